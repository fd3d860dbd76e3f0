import { describe, expect, it } from 'vitest';
import { wireLatencies } from '../../../src/bench/wire-latency.js';

const PORT = 6400;

/** A pcap (little-endian, µs, Ethernet) of IPv4/TCP packets: [time s, src port, dst port, payload]. */
function pcap(packets: [number, number, number, string][]): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16);
  head.writeUInt32LE(1, 20);
  const parts = [head];
  for (const [t, src, dst, text] of packets) {
    const payload = Buffer.from(text, 'latin1');
    const eth = Buffer.alloc(14);
    eth.writeUInt16BE(0x0800, 12);
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + 20 + payload.length, 2);
    ip[9] = 6;
    const tcp = Buffer.alloc(20);
    tcp.writeUInt16BE(src, 0);
    tcp.writeUInt16BE(dst, 2);
    tcp[12] = 5 << 4;
    const frame = Buffer.concat([eth, ip, tcp, payload]);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(t), 0);
    rec.writeUInt32LE(Math.round((t % 1) * 1e6), 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    parts.push(rec, frame);
  }
  return Buffer.concat(parts);
}

const set = (k: string): string => `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$1\r\nv\r\n`;

describe('wireLatencies', () => {
  it('pairs each SET with its reply per connection, first in first out, across split packets', () => {
    const two = set('a') + set('bb');
    const r = wireLatencies(
      pcap([
        [10.0, 5001, PORT, two.slice(0, 20)], // split mid-command: complete at 10.001
        [10.001, 5001, PORT, two.slice(20)],
        [10.0015, 5002, PORT, set('c')],
        [10.003, PORT, 5001, '+OK\r\n+O'], // first reply at 10.003, second completes at 10.004
        [10.004, PORT, 5001, 'K\r\n'],
        [10.0065, PORT, 5002, '+OK\r\n'],
      ]),
      PORT,
    );
    expect(r.ms.map((x) => Number(x.toFixed(3)))).toEqual([2, 3, 5]);
    expect(r).toMatchObject({ connections: 2, skipped: 0 });
  });

  it('counts only the named command but keeps the others in the reply order', () => {
    const r = wireLatencies(
      pcap([
        [1.0, 5001, PORT, '*2\r\n$4\r\nINFO\r\n$11\r\npersistence\r\n' + set('k')],
        [1.002, PORT, 5001, '$5\r\nhello\r\n'],
        [1.005, PORT, 5001, '+OK\r\n'],
      ]),
      PORT,
    );
    expect(r.ms.map((x) => Number(x.toFixed(3)))).toEqual([5]);
  });

  it('leaves out a connection captured mid-stream and reads nested and null replies', () => {
    const r = wireLatencies(
      pcap([
        [2.0, 5003, PORT, 'lue\r\n' + set('x')], // the tail of a command sent before the capture
        [2.001, PORT, 5003, '+OK\r\n'],
        [2.0, 5004, PORT, '*2\r\n$3\r\nGET\r\n$1\r\nk\r\n' + set('y')],
        [2.002, PORT, 5004, '*2\r\n$-1\r\n*1\r\n:1\r\n'], // one nested array reply (2 elements)...
        [2.003, PORT, 5004, '+OK\r\n'],
      ]),
      PORT,
    );
    expect(r.skipped).toBe(1);
    expect(r.ms.map((x) => Number(x.toFixed(3)))).toEqual([3]);
  });

  it('says what is wrong with a file that is not a capture', () => {
    expect(() => wireLatencies(Buffer.from('not a capture at all, really'), PORT)).toThrow(/bad magic/);
    expect(() => wireLatencies(Buffer.alloc(4), PORT)).toThrow(/shorter than its header/);
  });
});
