/**
 * Replays an strace output file into a CrashModel as a stream: memory stays flat whatever the
 * trace's size (a 60 s trace of a busy server runs to gigabytes). Most lines are the server's
 * socket I/O; a cheap substring test drops them before any parsing.
 */
import fs from 'node:fs';
import type { CrashModel } from './crash-model.js';
import { StraceJoiner } from './strace-line.js';

export interface ReplayStats {
  lines: number;
  bytes: number;
  ms: number;
}

/** Calls that may name a file of the tree without its absolute path (cwd-relative). */
const PATH_CALLS = new Set(['rename', 'renameat', 'renameat2', 'unlink', 'unlinkat', 'rmdir', 'mkdir', 'mkdirat', 'chdir', 'fchdir', 'link', 'linkat', 'sync', 'syncfs', 'truncate', 'creat', 'open', 'openat']);
const NL = 10;
const PAREN = 40;
const SPACE = 32;

/**
 * Lines are split and filtered as bytes (readline and a string per line cost more than the
 * model): only a line that names the tree, resumes a call, ends a thread or is a path call
 * is decoded and parsed.
 */
export async function replayTrace(file: string, model: CrashModel): Promise<ReplayStats> {
  const t0 = performance.now();
  const joiner = new StraceJoiner();
  const root = Buffer.from(model.root, 'latin1');
  const resumed = Buffer.from('<... ');
  const ended = Buffer.from('+++');
  let lines = 0;
  let bytes = 0;
  let carry: Buffer | null = null;
  const handle = (line: Buffer): void => {
    lines++;
    bytes += line.length + 1;
    if (line.indexOf(root) < 0 && line.indexOf(resumed) < 0 && line.indexOf(ended) < 0) {
      const paren = line.indexOf(PAREN);
      if (paren < 0) return;
      const name = line.toString('latin1', line.lastIndexOf(SPACE, paren) + 1, paren);
      if (!PATH_CALLS.has(name)) return;
    }
    const r = joiner.feed(line.toString('latin1'));
    if (!r) return;
    if (r.begun) model.begin(r.begun);
    if (r.call) model.apply(r.call);
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    if (carry) {
      // the line split between two chunks: join just that one
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      handle(Buffer.concat([carry, chunk.subarray(0, nl)]));
      carry = null;
      start = nl + 1;
    }
    for (let nl = chunk.indexOf(NL, start); nl >= 0; nl = chunk.indexOf(NL, start)) {
      handle(chunk.subarray(start, nl));
      start = nl + 1;
    }
    // copy the partial last line, so the chunk it came from can be freed
    carry = start < chunk.length ? Buffer.from(chunk.subarray(start)) : null;
  }
  if (carry) handle(carry);
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
