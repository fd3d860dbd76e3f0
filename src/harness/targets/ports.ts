import fs from 'node:fs';
import net from 'node:net';

/**
 * A TCP port free on 127.0.0.1 right now. Picked below the kernel's ephemeral range: a port
 * the OS hands out for `listen(0)` is also what it hands to outgoing connections, so between
 * our check and the server's bind a client socket (ours, or a parallel test's) can take it,
 * and the server then fails with EADDRINUSE. Ports below the range are only ever taken by
 * listeners. Falls back to an OS-chosen port when none is found.
 */
export async function freePort(): Promise<number> {
  const [lo, hi] = belowEphemeral();
  for (let i = 0; i < 50; i++) {
    const port = lo + Math.floor(Math.random() * (hi - lo));
    if (await canListen(port)) return port;
  }
  return osPort();
}

function belowEphemeral(): [number, number] {
  let first = 32768;
  try {
    first = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || first;
  } catch {
    /* not Linux: the usual default */
  }
  // Stay clear of well-known service ports; if the range starts low, use the band above it.
  return first > 12000 ? [10000, first] : [61000, 65535];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function osPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}
