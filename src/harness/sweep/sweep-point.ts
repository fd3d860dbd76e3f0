/**
 * One point of `durabench sweep`: one target at one dataset size, in a temp dir of its own.
 *
 *   fill      start in the AOF mode (AOF rewrites off, no save points), pipelined SETs of
 *             `keys` values; DBSIZE must say keys; SIGKILL (the AOF is complete: every
 *             reply followed its write()), measure the AOF
 *   aof-load  restart on that AOF: spawn → ready, listening → ready, DBSIZE, RSS
 *   baseline  (the AOF switched off: the windows measure the snapshot alone) open-loop SETs
 *             over the dataset's keys, no snapshot
 *   snapshot  the same load with a BGSAVE started in it: fork pause, duration, COW bytes,
 *             latency of the writes that overlapped it, the window's timeline
 *   rdb-load  SIGKILL, the BGSAVE's dump.rdb alone in a fresh dir: restart in rdb mode,
 *             spawn → ready, listening → ready, DBSIZE, RSS
 *
 * Without an AOF mode the fill server takes the windows itself; without rdb the RDB is
 * still written (the snapshot is measured) but not loaded.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RunError } from '../../shared/errors.js';
import type { Mode } from '../../shared/types.js';
import type { SweepPoint } from '../../shared/sweep-result.js';
import { diskUsage } from '../measure/disk.js';
import { infoNumber, parseInfo } from '../measure/info.js';
import { latencyDuring, mergeHistograms, summarizeLatency } from '../measure/latency.js';
import { openLoopWindow, warmUpWindows } from '../measure/open-loop-window.js';
import { rssBytes } from '../measure/rss.js';
import { buildTimeline } from '../measure/timeline.js';
import { registerTempDir } from '../targets/children.js';
import { DATA_FILES, hasAof } from '../targets/modes.js';
import { freePort } from '../targets/ports.js';
import { shutDown } from '../targets/shut-down.js';
import type { Target, TargetHandle } from '../targets/target.js';
import { WARM_UP_MS } from '../workload/load-driver.js';
import { overwritePreloaded } from '../workload/overwrite-preloaded.js';
import { preload, type ValueKind } from '../workload/preload.js';
import { replyInt, replyText, RespConnection } from '../workload/resp-connection.js';

export type SweepPhase = 'fill' | 'aof-load' | 'baseline' | 'snapshot' | 'rdb-load';

export interface PointOptions {
  keys: number;
  valueSize: number;
  values: ValueKind;
  /** the modes whose files are loaded: rdb and/or one AOF mode (its fsync policy fills) */
  modes: Mode[];
  rate: number;
  clients: number;
  windowMs: number;
  seed: number;
  tmpRoot?: string;
  onPhase?: (p: SweepPhase) => void;
}

/** spawn → ready can take minutes at size */
const START_TIMEOUT_MS = 600_000;
const SNAPSHOT_TIMEOUT_MS = 600_000;
/** a BGSAVE starts this far into the snapshot window, and the window runs on this long after it */
const SNAPSHOT_AT_MS = 500;
const SNAPSHOT_AFTER_MS = 500;
/** auto AOF rewrites off: the AOF must stay the fill's commands, not become an RDB preamble */
const EXTRA_FLAGS = ['--auto-aof-rewrite-percentage', '0'];

export function emptyPoint(target: Target['kind'], keys: number, valueBytes: number): SweepPoint {
  const none = { p99Ms: null, p999Ms: null, maxMs: null };
  return {
    target, keys, valueBytes,
    forkUsec: null, snapshotMs: null, cowBytes: null,
    baseline: { ...none }, duringSnapshot: { ...none }, timeline: null,
    rdbBytes: null, aofBytes: null,
    rdbLoad: { recoveryMs: null, loadMs: null }, aofLoad: { recoveryMs: null, loadMs: null },
    rssBytes: null, skipped: null, snapshotWrites: null, sendLagMaxMs: null, fillMs: null, error: null,
  };
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export async function measurePoint(target: Target, o: PointOptions): Promise<SweepPoint> {
  const point = emptyPoint(target.kind, o.keys, o.valueSize);
  const phase = o.onPhase ?? (() => undefined);
  const aofMode = o.modes.find(hasAof) ?? null;
  const root = await fs.mkdtemp(path.join(o.tmpRoot ?? os.tmpdir(), `durabench-sweep-${target.kind}-`));
  const unregister = registerTempDir(root);
  const handles: TargetHandle[] = [];
  const conns: RespConnection[] = [];
  const launch = async (mode: Mode, dir: string, log: string): Promise<{ h: TargetHandle; conn: RespConnection }> => {
    await fs.mkdir(dir, { recursive: true });
    const h = await target.start({
      port: await freePort(),
      dir,
      mode,
      savePoints: '',
      logFile: path.join(root, log),
      timeoutMs: START_TIMEOUT_MS,
      wrapLaunch: (spec) => ({ ...spec, args: [...spec.args, ...EXTRA_FLAGS] }),
    });
    handles.push(h);
    const conn = await RespConnection.connect(h.port);
    conns.push(conn);
    return { h, conn };
  };
  const kill = async (h: TargetHandle): Promise<void> => {
    if (h.alive) h.kill('SIGKILL');
    await h.exited;
  };
  const expectKeys = async (conn: RespConnection, what: string): Promise<void> => {
    const n = replyInt(await conn.call('DBSIZE'));
    if (n !== o.keys) throw new RunError(`${what}: DBSIZE ${n}, expected ${o.keys}`);
  };
  const fillDir = path.join(root, 'fill');
  let rssAfterAof: number | null = null;
  try {
    phase('fill');
    let { h, conn } = await launch(aofMode ?? 'rdb', fillDir, 'fill.log');
    const f0 = performance.now();
    await preload(conn, o.keys, o.valueSize, o.seed, o.values);
    point.fillMs = Math.round(performance.now() - f0);
    await expectKeys(conn, 'after the fill');

    if (aofMode) {
      // To restart on the same files, not to measure a loss: a SIGKILL here lost acknowledged
      // writes in aof-everysec whenever redis-server had postponed its AOF write behind a slow
      // background fsync (a busy disk: DBSIZE 49,610 of 50,000).
      await shutDown(h);
      point.aofBytes = (await diskUsage(fillDir, DATA_FILES.dbfilename, DATA_FILES.appenddirname)).aofBytes;
      phase('aof-load');
      ({ h, conn } = await launch(aofMode, fillDir, 'aof-load.log'));
      point.aofLoad = { recoveryMs: r3(h.readyMs), loadMs: r3(h.readyAt - h.listeningAt) };
      await expectKeys(conn, 'after loading the AOF');
      rssAfterAof = await rssBytes(h.pid, conn);
      // The windows measure the snapshot alone. With an everysec AOF on, redis-server's fsync
      // queues behind the fork child's RDB writes and it stalls writes up to 2 s at a time
      // ("Asynchronous AOF fsync is taking too long"): a real cost, but the AOF's, not the fork's.
      await conn.call('CONFIG', 'SET', 'appendonly', 'no');
    }

    const load = (seed: number, ms: number) => ({
      port: h.port,
      admin: conn,
      workload: overwritePreloaded(o.keys, o.valueSize, o.values, seed),
      rate: o.rate,
      clients: o.clients,
      ms,
    });
    const window = async (snapshot: boolean) =>
      openLoopWindow({
        ...load(o.seed + (snapshot ? 1 : 0), o.windowMs),
        ...(snapshot ? { snapshot: { command: 'BGSAVE' as const, atMs: SNAPSHOT_AT_MS, afterMs: SNAPSHOT_AFTER_MS, timeoutMs: SNAPSHOT_TIMEOUT_MS } } : {}),
      });

    phase('baseline');
    // Discarded first, so both windows measure a warm server and generator: the server has
    // just loaded its AOF or taken the fill, not a load like this one (its reply path runs
    // unoptimized for a few hundred ms), and the generator's code changes shape at its first
    // halt (warmUpRoundsMs).
    await warmUpWindows(load(o.seed + 2, Math.min(WARM_UP_MS, o.windowMs)));
    const base = await window(false);
    const b = latencyDuring(base.ledger, base.t0, base.end);
    point.baseline = { p99Ms: b.p99Ms, p999Ms: b.p999Ms, maxMs: b.maxMs };

    phase('snapshot');
    const forksBefore = infoNumber(parseInfo(replyText(await conn.call('INFO'))), 'total_forks') ?? 0;
    const w = await window(true);
    const s = w.snapshot!;
    if (s.info.rdb_last_bgsave_status !== undefined && s.info.rdb_last_bgsave_status !== 'ok') {
      throw new RunError(`the BGSAVE failed (rdb_last_bgsave_status:${s.info.rdb_last_bgsave_status})`);
    }
    // latest_fork_usec is this save's only if a fork happened since the reading before it
    if ((infoNumber(s.info, 'total_forks') ?? 0) > forksBefore) point.forkUsec = infoNumber(s.info, 'latest_fork_usec');
    point.snapshotMs = r3(s.doneAt - s.sentAt);
    point.cowBytes = infoNumber(s.info, 'rdb_last_cow_size');
    const d = latencyDuring(w.ledger, s.sentAt, s.doneAt);
    point.duringSnapshot = { p99Ms: d.p99Ms, p999Ms: d.p999Ms, maxMs: d.maxMs };
    point.snapshotWrites = d.count;
    const lag = summarizeLatency(mergeHistograms([...base.driver.lagHistograms(), ...w.driver.lagHistograms()]));
    point.sendLagMaxMs = lag.maxMs;
    point.timeline = buildTimeline(w.ledger, w.t0, w.end, [
      { kind: 'snapshot-start', at: s.sentAt, label: 'BGSAVE' },
      { kind: 'snapshot-end', at: s.doneAt, label: 'BGSAVE' },
    ]);
    await kill(h);

    const rdbDir = path.join(root, 'rdb');
    await fs.mkdir(rdbDir);
    await fs.rename(path.join(fillDir, DATA_FILES.dbfilename), path.join(rdbDir, DATA_FILES.dbfilename));
    point.rdbBytes = (await fs.stat(path.join(rdbDir, DATA_FILES.dbfilename))).size;
    if (o.modes.includes('rdb')) {
      // the AOF dir stays behind: an rdb-mode server in rdbDir loads the RDB and nothing else
      await fs.rm(fillDir, { recursive: true, force: true });
      phase('rdb-load');
      const r = await launch('rdb', rdbDir, 'rdb-load.log');
      point.rdbLoad = { recoveryMs: r3(r.h.readyMs), loadMs: r3(r.h.readyAt - r.h.listeningAt) };
      await expectKeys(r.conn, 'after loading the RDB');
      point.rssBytes = await rssBytes(r.h.pid, r.conn);
      await kill(r.h);
    }
    point.rssBytes ??= rssAfterAof;
  } catch (err) {
    point.error = (err as Error).message.split('\n')[0]!.slice(0, 300);
  } finally {
    for (const c of conns) c.close();
    for (const h of handles) await kill(h).catch(() => undefined);
    await fs.rm(root, { recursive: true, force: true }).catch(() => undefined);
    unregister();
  }
  return point;
}
