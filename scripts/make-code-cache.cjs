'use strict';
// `npm run build`'s last step (after scripts/bundle-server.mjs): starts the freshly bundled
// server once (empty, no persistence, a free port, a temporary dir), sends it a PING, and saves
// the V8 code cache of everything that start compiled (see bin/code-cache.cjs). V8 keys a cache
// to its flags, so this runs twice: without V8 flags (dist/server.bundle.cache, a start by
// hand) and, in a child process, under the flags the harness launches the server with
// (dist/server.bundle.launch.cache; bin/server-flags.cjs). A failure only warns:
// the server then starts without a cache and writes one itself.
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { requireCached, saveCache } = require('../bin/code-cache.cjs');
const { SERVER_V8_FLAGS, cacheName } = require('../bin/server-flags.cjs');

const dist = path.join(__dirname, '..', 'dist');
const name = cacheName(process.execArgv);
if (name === null) {
  process.stderr.write(`warning: no code cache for node ${process.execArgv.join(' ')} (a cache is kept only for the flag sets in bin/server-flags.cjs)\n`);
  process.exit(0);
}
const cache = path.join(dist, name);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-code-cache-'));
const done = (ok, why) => {
  fs.rmSync(dir, { recursive: true, force: true });
  if (!ok) process.stderr.write(`warning: no code cache for the server bundle (${why}); it will start a little slower\n`);
  // the first run makes the launch flags' cache after its own (a process per flag set)
  if (process.execArgv.length === 0) spawnSync(process.execPath, [...SERVER_V8_FLAGS, __filename], { stdio: 'inherit' });
  process.exit(0);
};
setTimeout(() => done(false, 'the server did not answer within 10 s'), 10_000).unref();

fs.rmSync(cache, { force: true });
const probe = net.createServer().listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  probe.close(() => {
    const loaded = requireCached(path.join(dist, 'server.bundle.cjs'), cache);
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--loglevel', 'warning'];
    loaded.exports.runServerCli(args).catch((e) => done(false, e.message));
    const ping = () => {
      const s = net.connect(port, '127.0.0.1');
      s.on('error', () => setTimeout(ping, 5));
      s.on('connect', () => s.write('PING\r\n'));
      s.on('data', () => done(saveCache(loaded, cache), `cannot write ${cache}`));
    };
    ping();
  });
});
