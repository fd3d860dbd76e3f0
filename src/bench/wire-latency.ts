/**
 * Server turnaround from a packet capture (tcpdump's pcap) of loopback TCP: for each
 * connection to `port`, the time from the packet that completes a request to the packet that
 * completes its reply (replies come in request order, so they pair first in, first out).
 * A second, independent look at latency (bench:wire): it sees neither the client's queue
 * nor its event loop, only what crossed the wire. Pure: capture bytes in, times out.
 * IPv4 only (the harness listens on 127.0.0.1); a connection whose stream does not parse
 * as RESP from its first captured byte (it opened before the capture) is left out.
 */

export interface WireLatency {
  /** request → reply times of `command` requests (ms), in reply order */
  ms: number[];
  /** connections that carried `command` requests */
  connections: number;
  /** connections left out: their stream did not parse (opened before the capture) */
  skipped: number;
}

/** Link-layer header bytes by pcap link type: Ethernet (what `-i lo` writes), Linux SLL and SLL2, BSD loopback, raw IP. */
const LINK_HEADER: Record<number, number> = { 1: 14, 113: 16, 276: 20, 0: 4, 101: 0 };

interface Side {
  buf: Buffer;
  /** complete requests not yet answered: capture time (s) and whether it was `command` */
  pending: { t: number; counted: boolean }[];
  broken: boolean;
  sawCommand: boolean;
}

export function wireLatencies(pcap: Buffer, port: number, command = 'SET'): WireLatency {
  if (pcap.length < 24) throw new Error('not a pcap file: shorter than its header');
  const magic = pcap.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && pcap.readUInt32BE(0) !== 0xa1b2c3d4 && pcap.readUInt32BE(0) !== 0xa1b23c4d) throw new Error('not a pcap file: bad magic number');
  const nano = (le ? magic : pcap.readUInt32BE(0)) === 0xa1b23c4d;
  const u32 = (o: number): number => (le ? pcap.readUInt32LE(o) : pcap.readUInt32BE(o));
  const link = LINK_HEADER[u32(20)];
  if (link === undefined) throw new Error(`pcap link type ${u32(20)} is not one this reads (Ethernet, Linux SLL, loopback, raw IP)`);
  const want = command.toUpperCase();
  const conns = new Map<number, { req: Side; rep: Buffer; replyBroken: boolean }>();
  const ms: number[] = [];
  let o = 24;
  while (o + 16 <= pcap.length) {
    const t = u32(o) + u32(o + 4) / (nano ? 1e9 : 1e6);
    const caplen = u32(o + 8);
    const ip = o + 16 + link;
    o += 16 + caplen;
    if (o > pcap.length || (pcap[ip]! >> 4) !== 4 || pcap[ip + 9] !== 6) continue;
    const ihl = (pcap[ip]! & 15) * 4;
    const tcp = ip + ihl;
    const payload = pcap.subarray(tcp + (pcap[tcp + 12]! >> 4) * 4, Math.min(o, ip + pcap.readUInt16BE(ip + 2)));
    if (payload.length === 0) continue;
    const src = pcap.readUInt16BE(tcp);
    const dst = pcap.readUInt16BE(tcp + 2);
    if (dst === port) {
      let c = conns.get(src);
      if (c === undefined) conns.set(src, (c = { req: { buf: Buffer.alloc(0), pending: [], broken: false, sawCommand: false }, rep: Buffer.alloc(0), replyBroken: false }));
      const r = c.req;
      if (r.broken) continue;
      r.buf = r.buf.length > 0 ? Buffer.concat([r.buf, payload]) : payload;
      for (;;) {
        const cmd = requestEnd(r.buf);
        if (cmd === null) break;
        if (cmd.end < 0) {
          r.broken = true;
          break;
        }
        const counted = cmd.name === want;
        r.sawCommand ||= counted;
        r.pending.push({ t, counted });
        r.buf = r.buf.subarray(cmd.end);
      }
    } else if (src === port) {
      const c = conns.get(dst);
      if (c === undefined || c.req.broken || c.replyBroken) continue;
      c.rep = c.rep.length > 0 ? Buffer.concat([c.rep, payload]) : payload;
      for (;;) {
        const end = replyEnd(c.rep, 0);
        if (end === null) break;
        const req = c.req.pending.shift();
        if (end < 0 || req === undefined) {
          c.replyBroken = true;
          break;
        }
        if (req.counted) ms.push((t - req.t) * 1000);
        c.rep = c.rep.subarray(end);
      }
    }
  }
  let connections = 0;
  let skipped = 0;
  for (const c of conns.values()) {
    if (c.req.broken || c.replyBroken) skipped++;
    else if (c.req.sawCommand) connections++;
  }
  return { ms, connections, skipped };
}

/** Where the CRLF-terminated line at `at` ends (after its CRLF), or null if incomplete. */
function lineEnd(b: Buffer, at: number): number | null {
  const i = b.indexOf('\r\n', at, 'latin1');
  return i < 0 ? null : i + 2;
}

/** The integer after a type byte on the line at `at`. */
function lineInt(b: Buffer, at: number, end: number): number {
  const n = Number(b.latin1Slice(at + 1, end - 2));
  return Number.isInteger(n) ? n : NaN;
}

/** The first complete command in `b` (an array of bulk strings): its end and upper-cased name; null if incomplete; end -1 if not RESP. */
function requestEnd(b: Buffer): { end: number; name: string } | null {
  if (b.length === 0) return null;
  if (b[0] !== 0x2a) return { end: -1, name: '' }; // '*'
  let at = lineEnd(b, 0);
  if (at === null) return null;
  const n = lineInt(b, 0, at);
  if (!(n >= 1)) return { end: -1, name: '' };
  let name = '';
  for (let i = 0; i < n; i++) {
    if (at >= b.length) return null;
    if (b[at] !== 0x24) return { end: -1, name: '' }; // '$'
    const head = lineEnd(b, at);
    if (head === null) return null;
    const len = lineInt(b, at, head);
    if (!(len >= 0)) return { end: -1, name: '' };
    if (head + len + 2 > b.length) return null;
    if (i === 0) name = b.latin1Slice(head, head + len).toUpperCase();
    at = head + len + 2;
  }
  return { end: at, name };
}

/** The end of the complete reply at `at`; null if incomplete, -1 if not RESP2/RESP3. */
function replyEnd(b: Buffer, at: number): number | null {
  if (at >= b.length) return null;
  const type = String.fromCharCode(b[at]!);
  const head = lineEnd(b, at);
  if (head === null) return null;
  if ('+-:_,#('.includes(type)) return head;
  const n = lineInt(b, at, head);
  if (Number.isNaN(n)) return -1;
  if ('$=!'.includes(type)) return n < 0 ? head : head + n + 2 > b.length ? null : head + n + 2;
  if ('*~>%|'.includes(type)) {
    let end = head;
    const items = type === '%' || type === '|' ? 2 * n : n;
    for (let i = 0; i < items; i++) {
      const e = replyEnd(b, end);
      if (e === null || e < 0) return e;
      end = e;
    }
    return end;
  }
  return -1;
}
