/**
 * The FaultContext a trial hands its fault: the live server, a connection of the fault's own,
 * and the hooks that tie a kill to the load driver and an INFO to the snapshot monitor.
 */
import type { FaultContext } from './faults/index.js';
import { parseInfo } from './measure/info.js';
import type { SnapshotMonitor } from './measure/snapshot-monitor.js';
import type { LoadDriver } from './workload/load-driver.js';
import { replyText } from './workload/resp-connection.js';
import { withTimeout } from './with-timeout.js';

/** how long the INFO right before a kill may hold the kill back */
const FINAL_INFO_TIMEOUT_MS = 50;

export type FaultContextBase = Omit<FaultContext, 'signal' | 'observe' | 'finalInfo' | 'load'>;

/** `beforeKill` runs right before each signal, while the process can still be read. */
export function faultContext(
  base: FaultContextBase,
  d: LoadDriver,
  monitor: SnapshotMonitor,
  beforeKill: () => void = () => undefined,
): FaultContext {
  const { handle, control } = base;
  return {
    ...base,
    signal: (sig) => {
      beforeKill();
      const at = performance.now();
      // a server already seen to exit is not signalled: its pid (group) may be reused
      if (handle.alive) handle.kill(sig);
      d.halt(at);
      return at;
    },
    observe: (info) => monitor.record(info),
    load: () => ({
      acked: d.acked,
      errors: d.errors,
      firstError: d.firstError,
      closed: d.closedConnections,
      running: d.isRunning,
      slowWrites: (ms) => d.slowWrites(ms, performance.now()),
    }),
    finalInfo: () =>
      withTimeout(control.call('INFO'), FINAL_INFO_TIMEOUT_MS, 'INFO before the kill').then(
        (r) => monitor.record(parseInfo(replyText(r))),
        () => undefined, // no reading: the monitor's last poll stands
      ),
  };
}
