// `npm run build`: bundles the server (what `durabench server` runs) into one minified CommonJS
// file, dist/server.bundle.cjs: one file to read and compile instead of ~60 modules to resolve.
// Its start-up is inside every recovery time measured on the built-in target.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { build, transform } from 'esbuild';

const out = 'dist/server.bundle.cjs';
// The RDB encoding thread of a background save (src/server/persistence/rdb/encode-thread.ts),
// as one script the bundle starts with `eval`: the bundle is one file, wherever it is installed.
const thread = await build({
  entryPoints: ['src/server/persistence/rdb/encode-thread.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  write: false,
  minify: true,
  charset: 'ascii',
  logLevel: 'warning',
});
const bundled = await build({
  define: { __DURABENCH_RDB_THREAD__: JSON.stringify(thread.outputFiles[0].text) },
  // thread-encoder.ts reads import.meta.url only where that define is absent (the compiled modules)
  logOverride: { 'empty-import-meta': 'silent' },
  entryPoints: ['src/cli/server.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  write: false,
  charset: 'ascii', // bin/code-cache.cjs decodes the bundle as latin1
  logLevel: 'warning',
});
// esbuild wraps each default import of a Node built-in (`import fs from 'node:fs'`) in __toESM,
// which copies every export of the module onto a fresh object: a getter per export, per import,
// ~4 ms of the start-up. The server's code reads only `.default` of such an import (the tests
// spy on the module objects, so the sources keep the default imports).
const text = bundled.outputFiles[0].text;
const code = text.replace(/__toESM\(require\("(node:[\w/]+)"\), 1\)/g, '{ default: require("$1") }');
if (code === text) throw new Error('bundle-server: no __toESM(require("node:…"), 1) found; esbuild changed its output, update this script');
const minified = await transform(code, { minify: true, format: 'cjs', target: 'node20', charset: 'ascii', logLevel: 'warning' });
// The build's identity, for bin/code-cache.cjs to key its cache by without hashing the bundle
// (and loading node:crypto) at every start: the SHA-1 of the code, on the last line.
const id = crypto.createHash('sha1').update(minified.code).digest('hex');
fs.writeFileSync(`${out}.tmp`, `${minified.code}//# durabench-build ${id}\n`);
fs.renameSync(`${out}.tmp`, out);
