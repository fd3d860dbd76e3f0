/**
 * Large datasets for the load and crash tests, written the fastest way a client can: SETs
 * pipelined on one raw connection, about twice the rate of an ioredis pipeline.
 */
import net from 'node:net';

const CHUNK = 5000;

/** SETs `${prefix}${i}` → value(i) for i < n; resolves once every +OK came back, rejects on any other reply. */
export function fillKeys(port: number, n: number, value: (i: number) => string, prefix = 'k'): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let acked = 0;
    let next = 0;
    const fail = (err: Error): void => {
      s.destroy();
      reject(err);
    };
    const writeSome = (): void => {
      while (next < n) {
        const parts: string[] = [];
        for (const end = Math.min(n, next + CHUNK); next < end; next++) {
          const k = `${prefix}${next}`;
          const v = value(next);
          parts.push(`*3\r\n$3\r\nSET\r\n$${Buffer.byteLength(k)}\r\n${k}\r\n$${Buffer.byteLength(v)}\r\n${v}\r\n`);
        }
        if (!s.write(parts.join(''))) return void s.once('drain', writeSome);
      }
    };
    s.setEncoding('latin1');
    let carry = '';
    s.on('data', (d: string) => {
      carry += d;
      const end = carry.lastIndexOf('\n') + 1;
      const lines = carry.slice(0, end);
      carry = carry.slice(end);
      if (!/^(?:\+OK\r\n)*$/.test(lines)) return fail(new Error(`fillKeys: ${lines.slice(0, 200)}`));
      acked += lines.length / 5;
      if (acked >= n) {
        s.destroy();
        resolve();
      }
    });
    s.once('error', fail);
    s.once('close', () => acked < n && fail(new Error(`fillKeys: the server closed the connection after ${acked} of ${n} SETs`)));
    s.once('connect', writeSome);
  });
}
