/**
 * The load driver against an in-process fake server (replies +OK to SET, $-1 to GET, at
 * once, after a delay, or never): open-loop send precision, what throughput counts, the
 * generator's send lag and the service time kept apart from latency, and ops still due at the halt.
 */
import os from 'node:os';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { mergeHistograms, summarizeLatency } from '../../../src/harness/measure/latency.js';
import { Driver } from '../../../src/harness/workload/driver.js';
import { createWorkload } from '../../../src/harness/workload/generators.js';
import { Ledger } from '../../../src/harness/workload/ledger.js';
import { RespReader, type Reply } from '../../../src/harness/workload/resp-reader.js';
import type { WorkloadKind } from '../../../src/shared/types.js';

type Mode = 'now' | 'never' | number;

const servers: net.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A server that answers every command, `now`, after `ms`, or `never`. */
async function fakeServer(mode: Mode): Promise<number> {
  const srv = net.createServer((sock) => {
    sock.setNoDelay(true);
    sock.on('error', () => undefined);
    const reader = new RespReader((cmd: Reply) => {
      const name = Array.isArray(cmd) ? String(cmd[0]).toUpperCase() : '';
      const reply = name === 'GET' ? '$-1\r\n' : '+OK\r\n';
      if (mode === 'now') sock.write(reply);
      else if (typeof mode === 'number') setTimeout(() => sock.destroyed || sock.write(reply), mode);
    });
    sock.on('data', (c: Buffer) => reader.feed(c));
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return (srv.address() as net.AddressInfo).port;
}

/** The share of a core the open-loop driving test needs to judge sub-ms timing (it polls). */
const MIN_CPU_SHARE = 0.95;

async function drive(port: number, o: { rate: number; ms: number; workload?: WorkloadKind; clients?: number; pipeline?: number }) {
  const workload = createWorkload(o.workload ?? 'unique-set', { seed: 1, keys: 100, valueSize: 32, preload: 0 });
  const ledger = new Ledger(workload.ledgerOptions);
  const d = await Driver.connect({ port, clients: o.clients ?? 4, pipeline: o.pipeline ?? 1, rate: o.rate, workload, ledger });
  const t0 = performance.now();
  d.start(t0);
  await new Promise((r) => setTimeout(r, o.ms));
  const haltAt = performance.now();
  d.halt(haltAt);
  await Promise.race([d.settled(), new Promise((r) => setTimeout(r, 500))]);
  d.close();
  return { d, ledger, elapsedMs: haltAt - t0 };
}

// Timing-sensitive throughout (real sockets, real clocks): a loaded runner may miss a bound
// once; a real defect misses it every time.
describe('load driver', { retry: 2 }, () => {
  it('open loop: sends on time, so a fast server shows sub-millisecond latency (no timer-tick floor)', async () => {
    const port = await fakeServer('now');
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { d } = await drive(port, { rate: 2000, ms: 600 });
    const cpu = process.cpuUsage(cpu0);
    const share = (cpu.user + cpu.system) / 1000 / (performance.now() - t0);
    const lat = summarizeLatency(mergeHistograms(d.histograms()));
    const lag = summarizeLatency(mergeHistograms(d.lagHistograms()));
    expect(lat.count).toBeGreaterThan(900);
    expect(lag.count).toBe(d.issued);
    // A sub-millisecond bound says nothing on an oversubscribed machine (other suites, a
    // browser test, other agents): there the median is the scheduler's, tens of ms. Judge it
    // only when it can be. The load average lags by a minute, so also ask whether this
    // process, which polls while it drives, got a core: its CPU time over the drive's wall
    // time was 1.0-1.2 with a core free, 0.88 with two busy processes beside it (median
    // 0.37 ms) and 0.64 with three (1.9 ms).
    const load = os.loadavg()[0]!;
    if (load > 2 * os.availableParallelism() || share < MIN_CPU_SHARE) {
      console.warn(`open-loop timing bound not judged: load average ${load.toFixed(1)} on ${os.availableParallelism()} cores, ${share.toFixed(2)} of a core while driving`);
      return;
    }
    // a 1 ms timer tick put the median near 0.75 ms; sent on time, it is tens of µs
    expect(lat.p50Ms!).toBeLessThan(0.4);
    expect(lag.p50Ms!).toBeLessThan(0.2);
  });

  it('open loop: about the rate asked for', async () => {
    const port = await fakeServer('now');
    const { d, elapsedMs } = await drive(port, { rate: 1000, ms: 500 });
    const expected = (1000 * elapsedMs) / 1000;
    expect(d.issued).toBeGreaterThan(expected * 0.9);
    expect(d.issued).toBeLessThanOrEqual(Math.ceil(expected) + 4);
  });

  it('mixed: throughput and write latency count writes only; reads have their own', async () => {
    const port = await fakeServer('now');
    const { d, ledger } = await drive(port, { rate: 0, ms: 200, workload: 'mixed' });
    const acked = ledger.counts().acked;
    expect(d.writesAtHalt).toBeGreaterThan(100);
    expect(d.writesAtHalt).toBeLessThanOrEqual(acked);
    expect(d.readsAtHalt).toBeGreaterThan(d.writesAtHalt * 0.7); // about half the ops are GETs
    expect(mergeHistograms(d.histograms()).totalCount).toBe(acked);
    expect(mergeHistograms(d.readHistograms()).totalCount).toBe(d.completed - acked);
    expect(d.unsentDue).toBeNull(); // closed loop: nothing is ever "due"
  });

  it('a stalled server: due ops are counted as unsent, with their wait as a latency lower bound', async () => {
    const port = await fakeServer('never');
    const { d } = await drive(port, { rate: 1000, ms: 300, clients: 2 });
    expect(d.issued).toBe(2); // one op per client, then the windows stay full
    const unsent = d.unsentDue!;
    expect(unsent).toBeGreaterThan(250);
    expect(unsent).toBeLessThan(310);
    const lat = summarizeLatency(mergeHistograms(d.histograms()));
    expect(lat.count).toBe(unsent); // nothing was acknowledged; the unsent ops are the only records
    expect(lat.maxMs!).toBeGreaterThan(250); // the first op due waited the whole phase
    expect(lat.p50Ms!).toBeGreaterThan(100);
  });

  it('a slow server with a full window: the wait is latency, not generator lag, and service time counts from the actual send', async () => {
    const port = await fakeServer(20);
    const { d } = await drive(port, { rate: 2000, ms: 400, clients: 2 });
    const lat = summarizeLatency(mergeHistograms(d.histograms()));
    const lag = summarizeLatency(mergeHistograms(d.lagHistograms()));
    const service = summarizeLatency(mergeHistograms(d.serviceHistograms()));
    expect(lat.p50Ms!).toBeGreaterThan(20);
    expect(lag.p50Ms!).toBeLessThan(1);
    // 1,000 ops/s per client against one reply per 20 ms: ops wait in the client for hundreds
    // of ms, while each one's own round trip is the 20 ms reply delay
    expect(lat.p99Ms!).toBeGreaterThan(200);
    expect(service.count).toBe(d.acked);
    expect(service.p50Ms!).toBeGreaterThanOrEqual(19);
    expect(service.p99Ms!).toBeLessThan(60);
  });
});
