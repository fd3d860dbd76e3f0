'use strict';
// Loads the server bundle with a V8 code cache beside it (dist/server.bundle.cache): compiling
// the ~220 KB bundle is the largest part of the built-in server's start-up after Node's own
// (~20 of ~40 ms on the 2-core VM), and that start-up is inside every recovery time measured.
// Node 20 has no module.enableCompileCache, so this is what it does, by hand: vm.Script with
// cachedData. The cache is made by `npm run build` (scripts/make-code-cache.cjs) after a real
// start and PING, so it holds the functions a start runs, not just the top level. V8 rejects a
// cache made by another Node/V8 version; V8's own check of the source is its length only, so
// the file starts with the bundle's SHA-1 and a cache for other bytes is never handed to V8.
// Without a usable cache the bundle compiles as usual and a fresh cache is written once the
// server has run a while (atomically; a read-only dist/ is not an error).
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

/** require(file) through a vm.Script using cacheFile; returns the exports and the script */
function requireCached(file, cacheFile) {
  // esbuild writes ASCII (its default charset), so latin1 decodes it as utf8 would, faster;
  // and the digest is of the bytes, not of a string encoded again
  const bytes = fs.readFileSync(file);
  const source = bytes.latin1Slice(0, bytes.length);
  const digest = crypto.createHash('sha1').update(bytes).digest();
  let cachedData;
  try {
    const cache = fs.readFileSync(cacheFile);
    if (cache.subarray(0, digest.length).equals(digest)) cachedData = cache.subarray(digest.length);
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

/** writes the loaded script's code cache (what it has compiled so far) atomically; false on failure */
function saveCache({ script, digest }, cacheFile) {
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
