'use strict';
// Loads the server bundle with a V8 code cache beside it (dist/server.bundle.cache): compiling
// the ~220 KB bundle is the largest part of the built-in server's start-up after Node's own
// (~20 of ~40 ms on the 2-core VM), and that start-up is inside every recovery time measured.
// Node 20 has no module.enableCompileCache, so this is what it does, by hand: vm.Script with
// cachedData. The cache is made by `npm run build` (scripts/make-code-cache.cjs) after a real
// start and PING, so it holds the functions a start runs, not just the top level. V8 rejects a
// cache made by another Node/V8 version; V8's own check of the source is its length only, so
// the cache starts with the build id the bundle ends with (`//# durabench-build <sha1 of the
// code>`, written by scripts/bundle-server.mjs) and a cache for another build is never handed
// to V8. The id is read, not computed: hashing the bundle here meant loading node:crypto,
// ~2-3 ms of every start. A file without an id is compiled without a cache.
// Without a usable cache the bundle compiles as usual and a fresh cache is written once the
// server has run a while (atomically; a read-only dist/ is not an error).
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

/** require(file) through a vm.Script using cacheFile (null: none); returns the exports and the script */
function requireCached(file, cacheFile) {
  // esbuild writes ASCII (its default charset), so latin1 decodes it as utf8 would, faster
  const source = fs.readFileSync(file, 'latin1');
  const digest = buildId(source);
  let cachedData;
  try {
    const cache = digest === null || cacheFile === null ? null : fs.readFileSync(cacheFile);
    if (cache !== null && cache.subarray(0, digest.length).equals(digest)) cachedData = cache.subarray(digest.length);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const dir = path.dirname(file);
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dir);
  const req = (id) => mod.require(id);
  script.runInThisContext().call(mod.exports, mod.exports, req, mod, file, dir);
  mod.loaded = true;
  const fresh = cachedData !== undefined && !script.cachedDataRejected;
  return { exports: mod.exports, script, digest, fresh };
}

/** the id on the source's last line, as bytes (what a cache file starts with), or null */
function buildId(source) {
  const m = /\/\/# durabench-build ([0-9a-f]{40})\n?$/.exec(source.slice(-80));
  return m === null ? null : Buffer.from(m[1], 'hex');
}

/** writes the loaded script's code cache (what it has compiled so far) atomically; false on failure */
function saveCache({ script, digest }, cacheFile) {
  if (digest === null) return false;
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, Buffer.concat([digest, script.createCachedData()]));
    fs.renameSync(tmp, cacheFile);
    return true;
  } catch {
    fs.rmSync(tmp, { force: true });
    return false;
  }
}

module.exports = { requireCached, saveCache };
