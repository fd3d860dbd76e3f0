/** Feeds strace lines to a crash model in order, the way replayTrace does, without a file. */
import { CrashModel, type NameModel } from '../../../../src/harness/crash/crash-model.js';
import { StraceJoiner } from '../../../../src/harness/crash/strace-line.js';

export type Initial = { rel: string; kind: 'file' | 'dir'; size: number }[];

export function feed(root: string, lines: string[], names: NameModel = 'posix', initial: Initial = []): CrashModel {
  const m = new CrashModel(root, names, initial, '/');
  const j = new StraceJoiner();
  for (const l of lines) {
    const r = j.feed(l);
    if (r?.begun) m.begin(r.begun);
    if (r?.call) m.apply(r.call);
  }
  return m;
}
