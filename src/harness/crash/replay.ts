/**
 * Replays an strace output file into a CrashModel as a stream: memory stays flat whatever the
 * trace's size (a 60 s trace of a busy server runs to gigabytes). Most lines are the server's
 * socket I/O; a cheap substring test drops them before any parsing.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import type { CrashModel } from './crash-model.js';
import { StraceJoiner } from './strace-line.js';

export interface ReplayStats {
  lines: number;
  bytes: number;
  ms: number;
}

/** Calls that may name a file of the tree without its absolute path (cwd-relative). */
const PATH_CALLS = /^\d+\s+[\d.]+\s+(?:rename|unlink|rmdir|mkdir|chdir|fchdir|link|sync|truncate|creat|open)\w*\(/;

export async function replayTrace(file: string, model: CrashModel): Promise<ReplayStats> {
  const t0 = performance.now();
  const joiner = new StraceJoiner();
  const rl = readline.createInterface({ input: fs.createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  let lines = 0;
  let bytes = 0;
  const root = model.root;
  for await (const line of rl) {
    lines++;
    bytes += line.length + 1;
    if (!line.includes(root) && !line.includes('<... ') && !line.includes('+++') && !PATH_CALLS.test(line)) continue;
    const r = joiner.feed(line);
    if (!r) continue;
    if (r.begun) model.begin(r.begun);
    if (r.call) model.apply(r.call);
  }
  return { lines, bytes, ms: Math.round((performance.now() - t0) * 10) / 10 };
}

/** The strace invocation that records what the model needs, with the least overhead. */
export function straceArgs(output: string): string[] {
  return [
    '-f', // threads and forked children (redis's fsync thread and BGSAVE child, libuv's pool)
    '-qq', // no attach/exit chatter
    '-ttt', // µs timestamps, to find a replaced file's bytes among the preserved copies
    '-y', // the path behind every fd
    '-s', '0', // never the data: the model needs sizes, not bytes
    '--seccomp-bpf', // stop only on the traced calls
    '-e', 'trace=open,openat,creat,write,writev,pwrite64,pwritev,pwritev2,fsync,fdatasync,sync,syncfs,rename,renameat,renameat2,unlink,unlinkat,mkdir,mkdirat,rmdir,truncate,ftruncate,link,linkat,chdir,fchdir',
    '-o', output,
    '--',
  ];
}
