/**
 * A target someone else runs (Docker, Kubernetes, systemd over ssh), driven only through the
 * shell commands its file gives (ExternalTargetSpec). The harness never touches the server
 * process: it starts it with `start`, signals it with `kill` (or `pause`/`resume`), waits for
 * `ready`, and talks to it on its address. Recovery time is `start` issued → first reply that
 * is not -LOADING, as for the local targets, so it includes what the start command adds.
 *
 * No orphans: a foreground start command's process group is tracked like a local server's,
 * and the `kill` command with KILL is registered to run on every way out (exit, signals, the
 * reaper after a kill -9 of the harness) until the server is seen gone.
 */
import fs from 'node:fs';
import net from 'node:net';
import { RunError } from '../../shared/errors.js';
import { EXTERNAL_PREFIX, EXTERNAL_SIGNALS, type ExternalTargetName, type ExternalTargetSpec, type Mode } from '../../shared/types.js';
import { probeReady } from '../measure/recovery-probe.js';
import { killProcessGroup, registerKillCommand, trackChild, untrackChild } from './children.js';
import { fillTemplate, signalName } from './external-command.js';
import { flagsFor } from './modes.js';
import { describeExit, runShell, spawnShell } from './shell-command.js';
import { DEFAULT_START_TIMEOUT_MS, logReason } from './spawn.js';
import type { ExitInfo, StartOptions, Target, TargetHandle } from './target.js';
import { settledWithin } from '../with-timeout.js';

/** a kill, pause or resume command may take this long (docker and kubectl talk to a daemon) */
const COMMAND_TIMEOUT_MS = 30_000;
/** after a KILL command returned, how long a foreground start command may take to end before its group is killed */
const FOREGROUND_GRACE_MS = 3000;
/** a daemon-style target (foreground: false) is seen gone when its address refuses this many polls in a row */
const DOWN_POLLS = 2;
const POLL_MS = 50;
/** how long after a kill or TERM the harness stays alive for the exit (a graceful stop may save for long) */
const KILL_WATCH_MS = 120_000;

export function externalTarget(spec: ExternalTargetSpec): Target {
  const kind: ExternalTargetName = `${EXTERNAL_PREFIX}${spec.name}`;
  const dataDir = spec.dataDir?.trim();
  return {
    kind,
    caps: {
      launches: false,
      dataDir: dataDir === undefined ? 'none' : dataDir === '{dir}' ? 'own' : 'mounted',
      signals: [...new Set([...(spec.signals ?? EXTERNAL_SIGNALS), ...(spec.pause ? ['STOP', 'CONT'] : [])])].map((x) => `SIG${x}` as NodeJS.Signals),
    },
    dataDirFor: (trialDir) => (dataDir === undefined ? null : fillTemplate(dataDir, { dir: trialDir })),
    async prepareTrial(trialDir) {
      if (spec.reset === undefined) return;
      const log = `${trialDir}.reset.log`;
      const e = await runShell(fillTemplate(spec.reset, { dir: trialDir }), log, COMMAND_TIMEOUT_MS);
      if (e.code !== 0) throw new RunError(`${kind}: reset ${describeExit(e, COMMAND_TIMEOUT_MS)}${tail(log)}`);
    },
    async check() {
      if (!fs.existsSync('/bin/sh')) throw new RunError(`${kind}: external targets run their commands with /bin/sh, which is missing`);
      return spec.description || 'run by the commands of its file';
    },
    flagsFor: (mode: Mode, savePoints: string) => flagsFor(mode, savePoints),
    start: (opts) => startExternal(kind, spec, opts),
  };
}

function tail(logFile: string): string {
  const t = logReason(logFile);
  return t ? ` — log: ${t}` : '';
}

async function startExternal(kind: ExternalTargetName, spec: ExternalTargetSpec, opts: StartOptions): Promise<TargetHandle> {
  const port = spec.port === '{port}' ? opts.port : spec.port;
  const flags = flagsFor(opts.mode, opts.savePoints);
  const values = { port, dir: opts.dir };
  const timeoutMs = opts.timeoutMs ?? spec.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const killCommand = (sig: string): string => fillTemplate(spec.kill, { ...values, signal: sig });

  // registered before the start runs: a kill -9 of the harness right after the spawn must
  // not find a server coming up that nothing kills
  const forgetKill = registerKillCommand(killCommand('KILL'));
  const spawnedAt = performance.now();
  let starter: ReturnType<typeof spawnShell>;
  try {
    starter = spawnShell(fillTemplate(spec.start, { ...values, flags }), opts.logFile);
  } catch (err) {
    forgetKill(); // nothing started
    throw err;
  }
  const starterPid = starter.pid ?? -1;
  if (starterPid > 0) trackChild(starterPid);
  const starterExit = new Promise<ExitInfo>((resolve) => {
    starter.once('error', () => resolve({ code: 127, signal: null, at: performance.now() }));
    starter.once('exit', (code, signal) => {
      if (starterPid > 0) untrackChild(starterPid);
      resolve({ code, signal, at: performance.now() });
    });
  });

  let isAlive = true;
  let failedCommand: string | null = null;
  let everUp = false;
  let killSentAt = 0;
  let resolveExit!: (e: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((r) => (resolveExit = r));
  const markExited = (e: ExitInfo): void => {
    if (!isAlive) return;
    isAlive = false;
    // a daemon never seen up may still come up (a start that failed slowly): its kill stays
    // registered, for the exit paths and the reaper
    if (spec.foreground || everUp) forgetKill();
    resolveExit(e);
  };
  if (spec.foreground) void starterExit.then(markExited);
  else watchAddress(spec.host, port, { armed: () => everUp || killSentAt > 0, stopped: () => !isAlive, onDown: markExited, onUp: () => (everUp = true) });
  // The polls do not keep the harness alive by themselves (a server nobody waits for must not);
  // once a kill is sent, someone awaits the exit: this timer holds the event loop until then.
  let keepAlive: NodeJS.Timeout | null = null;
  void exited.then(() => keepAlive && clearTimeout(keepAlive));

  // signals go out through the commands one after another, in the order the faults sent them
  let queue: Promise<unknown> = Promise.resolve();
  const kill = (sig: NodeJS.Signals): Promise<void> => {
    if ((sig === 'SIGKILL' || sig === 'SIGTERM') && isAlive) {
      killSentAt = performance.now();
      if (!spec.foreground && keepAlive === null) keepAlive = setTimeout(() => undefined, KILL_WATCH_MS);
    }
    const command =
      sig === 'SIGSTOP' && spec.pause ? fillTemplate(spec.pause, values) : sig === 'SIGCONT' && spec.resume ? fillTemplate(spec.resume, values) : killCommand(signalName(sig));
    let ranResolve!: () => void;
    const ran = new Promise<void>((r) => (ranResolve = r));
    queue = queue.then(async () => {
      const e = await runShell(command, opts.logFile, COMMAND_TIMEOUT_MS);
      ranResolve();
      if (e.code !== 0) {
        failedCommand ??= `${command} ${describeExit(e, COMMAND_TIMEOUT_MS)}`;
        fs.appendFileSync(opts.logFile, `durabench: that command ${describeExit(e, COMMAND_TIMEOUT_MS)}\n`);
      }
      if (sig !== 'SIGKILL' || !spec.foreground) return;
      // what the start command left behind locally goes too, once the kill had its chance
      const gone = await settledWithin(exited, FOREGROUND_GRACE_MS);
      if (!gone && starterPid > 0) killProcessGroup(starterPid, 'SIGKILL');
    });
    // settles once the command ran (a KILL's grace period not included)
    return ran;
  };

  const fail = async (why: string): Promise<never> => {
    const said = tail(opts.logFile); // what the start said, before the kill command adds its own lines
    kill('SIGKILL');
    if (starterPid > 0) killProcessGroup(starterPid, 'SIGKILL');
    await settledWithin(queue, COMMAND_TIMEOUT_MS);
    throw new RunError(`${kind} on ${spec.host}:${port} did not start: ${why}${said}`);
  };

  if (!spec.foreground) {
    if (!(await settledWithin(starterExit, timeoutMs))) return fail(`the start command did not return within ${timeoutMs} ms ("foreground": false says it returns once the server is started)`);
    const e = await starterExit;
    if (e.code !== 0) return fail(`the start command exited with code ${e.code}`);
  }
  const handle = (ready: { readyAt: number; ms: number; listeningAt: number }): TargetHandle => ({
    kind,
    host: spec.host,
    port,
    pid: -1,
    traced: false,
    dir: spec.dataDir === undefined ? opts.dir : fillTemplate(spec.dataDir, { dir: opts.dir }),
    logFile: opts.logFile,
    version: kind,
    flags,
    spawnedAt,
    readyAt: ready.readyAt,
    readyMs: ready.ms,
    listeningAt: ready.listeningAt,
    exited,
    get alive() {
      return isAlive;
    },
    get failedCommand() {
      return failedCommand;
    },
    kill,
  });
  if (opts.waitFor === 'spawned') return handle({ readyAt: NaN, ms: NaN, listeningAt: NaN });
  if (spec.ready !== undefined) {
    const left = Math.max(1, spawnedAt + timeoutMs - performance.now());
    const e = await runShell(fillTemplate(spec.ready, values), opts.logFile, left);
    if (e.code !== 0) return fail(`the ready command ${describeExit(e, Math.round(left))}`);
  }
  try {
    const ready = await probeReady({ port, host: spec.host, since: spawnedAt, timeoutMs, exited: spec.foreground ? exited : undefined });
    everUp = true;
    return handle(ready);
  } catch (err) {
    return fail((err as Error).message);
  }
}

/**
 * A server whose start command returned (docker run -d) is gone when its address refuses
 * connections: polled once it has been up (or a kill was sent), until it is seen down.
 */
function watchAddress(
  host: string,
  port: number,
  w: { armed: () => boolean; stopped: () => boolean; onDown: (e: ExitInfo) => void; onUp: () => void },
): void {
  let downs = 0;
  const later = (): void => void setTimeout(poll, POLL_MS).unref();
  const poll = (): void => {
    if (w.stopped()) return;
    const s = net.connect({ host, port });
    s.setTimeout(1000);
    let seen = false;
    const next = (up: boolean): void => {
      if (seen) return;
      seen = true;
      s.destroy();
      if (up) w.onUp();
      downs = up || !w.armed() ? 0 : downs + 1;
      if (downs >= DOWN_POLLS) w.onDown({ code: null, signal: null, at: performance.now() });
      else later();
    };
    s.once('connect', () => next(true));
    s.once('error', () => next(false));
    s.once('timeout', () => next(false));
  };
  later();
}
