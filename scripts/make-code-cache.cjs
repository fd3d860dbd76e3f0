'use strict';
// `npm run build`'s last step (after scripts/bundle-server.mjs): starts the freshly bundled
// server once (empty, no persistence, a free port, a temporary dir), sends it a PING, and saves
// the V8 code cache of everything that start compiled to dist/server.bundle.cache (see
// bin/code-cache.cjs). A failure only warns:
// the server then starts without a cache and writes one itself.
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { requireCached, saveCache } = require('../bin/code-cache.cjs');

const dist = path.join(__dirname, '..', 'dist');
const cache = path.join(dist, 'server.bundle.cache');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-code-cache-'));
const done = (ok, why) => {
  fs.rmSync(dir, { recursive: true, force: true });
  if (!ok) process.stderr.write(`warning: no code cache for the server bundle (${why}); it will start a little slower\n`);
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
