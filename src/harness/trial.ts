/**
 * One trial, the harness's one-way flow: target → workload → fault → recovery → check →
 * measure. Start the server in a fresh temp dir, (preload,) drive the workload, let the
 * fault kill it, measure the disk, restart it on the same dir timing recovery, read
 * everything back and judge it against the ledger. Every process is killed and the temp dir
 * removed on every way out (unless keep).
 */
import path from 'node:path';
import { RunError } from '../shared/errors.js';
import { emptyTrial } from './trial-result.js';
import { TrialSandbox } from './trial-sandbox.js';
import { StartupError, type TrialRun, type TrialSpec } from './trial-spec.js';
import { check } from './check/index.js';
import { faultContext } from './fault-context.js';
import { faults, type Fault, type FaultOutcome, type RestartContext } from './faults/index.js';
import { unmetNeed } from './faults/needs.js';
import { diskUsage } from './measure/disk.js';
import { SnapshotMonitor, spanMarkers } from './measure/snapshot-monitor.js';
import { buildTimeline } from './measure/timeline.js';
import { ioWriteBytes } from './measure/io-bytes.js';
import { afterKillFigures, ioFigures, recoveryFigures } from './measure/trial-figures.js';
import { DATA_FILES, hasAof, hasSavePoints } from './targets/modes.js';
import { freePort } from './targets/ports.js';
import { logTail, waitExit } from './targets/spawn.js';
import { snapshotOptions, type LaunchSpec, type TargetHandle } from './targets/target.js';
import type { RecoveryOutcome } from '../shared/result.js';
import { connectLoad, scenarioLoad } from './workload/load-driver.js';
import { createWorkload } from './workload/generators.js';
import { Ledger } from './workload/ledger.js';
import { preload, snapshotAndWait } from './workload/preload.js';
import { Rng } from '../shared/prng.js';
import { RespConnection } from './workload/resp-connection.js';
import { withTimeout } from './with-timeout.js';

const RESTART_TIMEOUT_MS = 120_000;
const READ_BACK_TIMEOUT_MS = 180_000;
const CRASH_EXIT_TIMEOUT_MS = 10_000;
const GRACEFUL_EXIT_TIMEOUT_MS = 60_000;

export async function runTrial(spec: TrialSpec): Promise<TrialRun> {
  const { scenario, target, mode } = spec;
  const phase = spec.onPhase ?? (() => undefined);
  const rng = new Rng(spec.seed);
  const fault: Fault = faults[spec.fault];
  const plan = fault.plan(rng.fork(), scenario);
  const result = emptyTrial(spec, target.flagsFor(mode, scenario.savePoints, scenario));
  // a fault this target or machine cannot take (an external target's files out of reach, no
  // root for a tmpfs, no strace) is not half-run
  const unavailable = unmetNeed(spec.fault, target.kind, target.caps) ?? fault.unavailable?.() ?? null;
  if (unavailable !== null) {
    result.error = `skipped: ${unavailable}`;
    return { result, dir: null, note: result.error };
  }

  const box = await TrialSandbox.create(spec);
  const { root, dataDir, handles, conns } = box;
  // where the harness sees the server's files: the trial's dir, or an external target's dataDir (or nowhere)
  const filesDir = target.dataDirFor ? target.dataDirFor(dataDir) : dataDir;
  let note: string | null = null;
  let started = false;

  try {
    // target (under the fault's session, when it keeps state: a tracer, a mount)
    phase('start');
    await target.prepareTrial?.(dataDir).catch((err: Error) => {
      throw new StartupError(err.message);
    });
    if (fault.prepare) box.session = await fault.prepare({ scenario, mode, plan, rng: rng.fork(), root, dataDir });
    const session = box.session;
    // the fault's wrap, then its session's (a tracer around whatever the fault launches)
    const wrap = (s: LaunchSpec): LaunchSpec => {
      const inner = fault.wrapLaunch ? fault.wrapLaunch(s, plan, dataDir) : s;
      return session?.wrapLaunch ? session.wrapLaunch(inner) : inner;
    };
    const first = await target.start({
      port: await freePort(),
      dir: dataDir,
      mode,
      savePoints: scenario.savePoints,
      ...snapshotOptions(scenario),
      logFile: path.join(root, 'server.log'),
      ...(fault.wrapLaunch || session?.wrapLaunch ? { wrapLaunch: wrap } : {}),
    }).catch((err: Error) => {
      throw new StartupError(err.message);
    });
    started = true;
    result.traced = first.traced;
    handles.push(first);
    const control = await RespConnection.connect(first.port, first.host);
    conns.push(control);

    let preloadBytes = 0;
    if (scenario.preload > 0) {
      phase('preload');
      preloadBytes = await preload(control, scenario.preload, scenario.valueSize, spec.seed);
      if (hasSavePoints(mode)) await snapshotAndWait(control, 'BGSAVE', RESTART_TIMEOUT_MS);
      if (hasAof(mode)) await snapshotAndWait(control, 'BGREWRITEAOF', RESTART_TIMEOUT_MS);
    }

    // workload
    const workload = createWorkload(scenario.workload, {
      seed: spec.seed,
      keys: scenario.keys,
      valueSize: scenario.valueSize,
      preload: scenario.preload,
    });
    const ledger = new Ledger(workload.ledgerOptions);
    const d = await connectLoad({ port: first.port, host: first.host, ...scenarioLoad(scenario), workload, ledger });
    box.driver = d;
    const monitorConn = await RespConnection.connect(first.port, first.host);
    conns.push(monitorConn);
    const faultConn = await RespConnection.connect(first.port, first.host);
    conns.push(faultConn);
    // its first reading is the baseline of the fork figures: taken after the preload's BGSAVE
    // finished, right before the writes start
    const monitor = new SnapshotMonitor(monitorConn);
    await monitor.start();

    phase('write');
    const ioBefore = ioWriteBytes(first.pid);
    let ioAtKill: number | null = null;
    const t0 = performance.now();
    d.start(t0);
    const endWrites = setTimeout(() => d.halt(), scenario.durationMs);
    let outcome: FaultOutcome;
    try {
      const readIo = (): void => void (ioAtKill ??= ioWriteBytes(first.pid));
      const inject = session?.inject ? session.inject.bind(session) : fault.inject?.bind(fault);
      if (!inject) throw new RunError(`internal: fault ${fault.kind} has no inject, in itself or its session`);
      outcome = await inject(faultContext({ scenario, mode, plan, handle: first, control: faultConn, t0 }, d, monitor, readIo));
    } finally {
      clearTimeout(endWrites);
    }
    phase('fault');
    const writeEnd = Math.min(d.haltedAt || outcome.killedAt, outcome.killedAt);
    const exit = await waitExit(first, fault.style === 'graceful' ? GRACEFUL_EXIT_TIMEOUT_MS : CRASH_EXIT_TIMEOUT_MS, outcome.signal);
    const observed = await monitor.stop(outcome.killedAt);
    await withTimeout(d.settled(), 5000, 'closing the load connections after the kill').catch(() => undefined);
    // with workers, this is where their ledgers and histograms come back and are merged
    await d.finish();
    for (const c of conns.splice(0)) c.close();

    // measure the disk as the dead server left it
    const disk = filesDir === null ? null : await diskUsage(filesDir, DATA_FILES.dbfilename, DATA_FILES.appenddirname);
    if (fault.afterExit) outcome = (await fault.afterExit({ dataDir: filesDir ?? dataDir, mode, plan, rng: rng.fork(), handle: first, outcome })) ?? outcome;
    if (session?.afterExit) outcome = (await session.afterExit({ dataDir: filesDir ?? dataDir, mode, plan, rng: rng.fork(), handle: first, outcome })) ?? outcome;
    note = outcome.note ?? null;
    if (outcome.detail) result.faultDetail = { ...outcome.detail };

    Object.assign(result, afterKillFigures(ledger, disk, observed, d, Math.max(0, writeEnd - t0)));
    // latency over time up to the kill (a graceful stop's last acks included)
    result.timeline = buildTimeline(ledger, t0, Math.max(writeEnd, outcome.killedAt), [
      ...spanMarkers(observed.spans),
      { kind: 'fault', at: outcome.killedAt, label: `${fault.kind} (${outcome.signal})` },
    ]);
    Object.assign(result, ioFigures(ioBefore, ioAtKill, result.acked, workload.logicalBytes(ledger)));
    if (exit.at < outcome.killedAt) {
      const tail = logTail(first.logFile);
      throw new RunError(
        `the server exited on its own ${Math.round(exit.at - t0)} ms into the write phase (code ${exit.code}, signal ${exit.signal}), before the fault${tail ? ` — log: ${tail}` : ''}`,
      );
    }
    if (outcome.error) throw new RunError(outcome.error);
    // an external target's kill, pause or resume that failed: the fault did not happen as planned
    if (first.failedCommand) throw new RunError(`${target.kind}: ${first.failedCommand}`);
    if (d.errors > 0) note = `${note ? `${note}; ` : ''}${d.errors} writes refused (${d.firstError})`;

    // recovery
    phase('recover');
    let restarts = 0;
    const start: RestartContext['start'] = async (o = {}) => {
      const port = await freePort();
      let h: TargetHandle;
      try {
        h = await target.start({
          port,
          dir: dataDir,
          mode,
          savePoints: scenario.savePoints,
          ...snapshotOptions(scenario),
          logFile: o.logFile ?? path.join(root, `server-restart${restarts++ > 0 ? `-${restarts}` : ''}.log`),
          timeoutMs: o.timeoutMs ?? RESTART_TIMEOUT_MS,
          ...(o.waitFor ? { waitFor: o.waitFor } : {}),
        });
      } catch (err) {
        throw new RestartRefused((err as Error).message);
      }
      handles.push(h);
      return h;
    };
    let second: TargetHandle;
    let restartError: string | null = null;
    try {
      const rctx = { mode, plan, rng: rng.fork(), start };
      const r = session?.restart ? await session.restart(rctx) : fault.restart ? await fault.restart(rctx) : { handle: await start() };
      second = r.handle;
      if (r.note) note = `${note ? `${note}; ` : ''}${r.note}`;
      if (r.detail) result.faultDetail = { ...result.faultDetail, ...r.detail };
      restartError = r.error ?? null;
    } catch (err) {
      // Only a server that would not start is an answer; anything else went wrong in the tool.
      if (!(err instanceof RestartRefused)) throw err;
      // The server would not start on what the fault left: every acknowledged write is gone.
      // That is the server's answer (correct for damaged files), not a failure of the trial.
      Object.assign(result, { lost: result.acked, lossPct: result.acked > 0 ? 100 : 0, outcome: 'refused' });
      result.outcomeDetail = (err as Error).message.split('\n')[0]!.slice(0, 300);
      return { result, dir: spec.keep ? root : null, note };
    }
    if (restartError) throw new RunError(restartError);
    result.recoveryMs = Math.round(second.readyMs * 1000) / 1000;

    // check
    phase('check');
    const conn = await RespConnection.connect(second.port, second.host);
    conns.push(conn);
    const rb = await withTimeout(workload.readBack(conn, ledger), READ_BACK_TIMEOUT_MS, 'reading the recovered data back');
    const counts = check(scenario.workload, ledger, rb, outcome.killedAt);
    Object.assign(result, counts);
    result.outcome = outcomeOf(counts);

    // measure: recovery time, load rate (over listening → ready), space
    result.keysRecovered = rb.dbsize;
    Object.assign(
      result,
      recoveryFigures({
        spawnedAt: second.spawnedAt,
        listeningAt: second.listeningAt,
        readyAt: second.readyAt,
        keys: rb.dbsize,
        disk,
        loadedBytes: disk === null ? null : hasAof(mode) ? disk.aofBytes : disk.rdbBytes,
        logicalBytes: workload.logicalBytes(ledger) + preloadBytes,
      }),
    );
  } catch (err) {
    if (!started) throw err;
    result.error = (err as Error).message.split('\n')[0]!.slice(0, 300);
  } finally {
    await box.dispose();
  }
  return { result, dir: spec.keep ? root : null, note };
}

/** The restarted server did not start (its own refusal, as opposed to a failure of the tool). */
class RestartRefused extends Error {
  override name = 'RestartRefused';
}

/** Wrong data outranks loss: a value nobody wrote is a failure whatever else happened. */
export function outcomeOf(c: { lost: number; unexpected: number; duplicated: number }): RecoveryOutcome {
  if (c.unexpected > 0 || c.duplicated > 0) return 'wrong-data';
  return c.lost > 0 ? 'lost-writes' : 'intact';
}
