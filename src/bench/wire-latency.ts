import { RespReader } from '../harness/workload/resp-reader.js';

/**
 * Server turnaround from a packet capture (tcpdump's pcap) of loopback TCP: for each
 * connection to `port`, the time from the packet that completes a request to the packet that
 * completes its reply (replies come in request order, so they pair first in, first out).
 * A second, independent look at latency (bench:wire): it sees neither the client's queue
 * nor its event loop, only what crossed the wire. Pure: capture bytes in, times out.
 * IPv4 only (the harness listens on 127.0.0.1); RESP2 both ways (the harness's reader); a
 * connection whose stream does not parse from its first captured byte (it opened before the
 * capture) is left out.
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

interface Conn {
  requests: RespReader;
  replies: RespReader;
  /** complete requests not yet answered: capture time (s) and whether it was `command` */
  pending: { t: number; counted: boolean }[];
  sawCommand: boolean;
  broken: boolean;
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
  const conns = new Map<number, Conn>();
  const ms: number[] = [];
  let t = 0; // the packet being fed: what completes in it, completes at its time
  const open = (): Conn => {
    const c: Conn = {
      // the harness's own RESP reader, both ways: a command is an array of bulk strings
      requests: new RespReader((r) => {
        const name = Array.isArray(r) && Buffer.isBuffer(r[0]) ? r[0].latin1Slice().toUpperCase() : null;
        if (name === null) throw new Error('not a command');
        c.sawCommand ||= name === want;
        c.pending.push({ t, counted: name === want });
      }),
      replies: new RespReader(() => {
        const req = c.pending.shift();
        if (req === undefined) throw new Error('a reply before its request');
        if (req.counted) ms.push((t - req.t) * 1000);
      }),
      pending: [],
      sawCommand: false,
      broken: false,
    };
    return c;
  };
  let o = 24;
  while (o + 16 <= pcap.length) {
    t = u32(o) + u32(o + 4) / (nano ? 1e9 : 1e6);
    const caplen = u32(o + 8);
    const ip = o + 16 + link;
    o += 16 + caplen;
    if (o > pcap.length || (pcap[ip]! >> 4) !== 4 || pcap[ip + 9] !== 6) continue;
    const tcp = ip + (pcap[ip]! & 15) * 4;
    const payload = pcap.subarray(tcp + (pcap[tcp + 12]! >> 4) * 4, Math.min(o, ip + pcap.readUInt16BE(ip + 2)));
    if (payload.length === 0) continue;
    const src = pcap.readUInt16BE(tcp);
    const dst = pcap.readUInt16BE(tcp + 2);
    const toServer = dst === port;
    if (!toServer && src !== port) continue;
    let c = conns.get(toServer ? src : dst);
    if (c === undefined) {
      if (!toServer) continue; // replies on a connection whose requests were not seen
      conns.set(src, (c = open()));
    }
    if (c.broken) continue;
    try {
      (toServer ? c.requests : c.replies).feed(payload);
    } catch {
      c.broken = true; // opened before the capture: its stream starts mid-message
    }
  }
  let connections = 0;
  let skipped = 0;
  for (const c of conns.values()) {
    if (c.broken) skipped++;
    else if (c.sawCommand) connections++;
  }
  return { ms, connections, skipped };
}
