import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../log.js';
import { type LoadTarget, loadRdbFileAsync } from '../rdb/index.js';
import { untrackedBytes } from '../../store/untracked.js';
import { AofError } from './aof-error.js';
import type { AofFile } from './manifest.js';
import { AofParser, type ParseStatus } from './parser.js';
import { TransactionReplay } from './transaction-replay.js';
import { SLICE_MS } from '../sliced.js';
import { nextTurn } from '../../turn-end.js';

const COMMANDS_PER_STEP = 1024;

/** Redis's words when an AOF ends early and may not be trimmed. */
const UNEXPECTED_EOF = (name: string): string =>
  `Unexpected end of file reading the append only file ${name}. You can: ` +
  '1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. ' +
  "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.";

/** Whether a file begins with "REDIS": a base file in the RDB format. */
function startsWithRdbMagic(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(5);
    return fs.readSync(fd, head, 0, 5, 0) === 5 && head.latin1Slice(0, 5) === 'REDIS';
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A file of commands, whole, in memory V8 does not count toward its heap limits
 * (untracked.ts): a 100 MB AOF read into an ordinary Buffer would schedule collections.
 */
function readWhole(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const buf = untrackedBytes(size);
    let n = 0;
    while (n < size) {
      const got = fs.readSync(fd, buf, n, size - n, n);
      if (got === 0) break;
      n += got;
    }
    return n === size ? buf : buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Replays the files a manifest lists, base first then incr files by sequence, yielding to
 * the event loop between steps so clients get -LOADING. A base that starts with "REDIS" is
 * an RDB. A truncated last command of the last file is trimmed when aof-load-truncated is
 * on (as Redis does), and so is a transaction the file ends inside (MULTI without EXEC: none
 * of it is applied); anything else unreadable is an AofError that names the file.
 * `beginFile` runs before each file of commands: as Redis gives every file a new fake client,
 * each one's commands start in database 0 until its first SELECT.
 */
export async function loadAofFiles(
  dir: string,
  files: readonly AofFile[],
  dbs: LoadTarget,
  exec: (argv: string[]) => void,
  o: { loadTruncated: boolean; log: Logger; beginFile?: () => void },
): Promise<{ commands: number; baseSize: number }> {
  const live = files.filter((f) => f.type !== 'h').sort((a, b) => (a.type === b.type ? a.seq - b.seq : a.type === 'b' ? -1 : 1));
  let commands = 0;
  let baseSize = 0;
  for (let i = 0; i < live.length; i++) {
    const f = live[i]!;
    const file = path.join(dir, f.name);
    if (!fs.existsSync(file)) throw new AofError(`The AOF file ${f.name} listed in the manifest doesn't exist`);
    if (f.type === 'b') baseSize = fs.statSync(file).size;
    if (startsWithRdbMagic(file)) {
      // As Redis loads an AOF preamble: expired keys stay; active expiry removes them later.
      await loadRdbFileAsync(file, dbs, { skipExpired: false });
      continue;
    }
    const buf = readWhole(file);
    o.beginFile?.();
    const parser = new AofParser(buf);
    const tx = new TransactionReplay(exec);
    const onCommand = (argv: string[], at: number) => tx.command(argv, at);
    for (;;) {
      // a slice of about SLICE_MS, then a turn of the event loop (answering -LOADING)
      const t0 = performance.now();
      let st: ParseStatus;
      do st = parser.step(COMMANDS_PER_STEP, onCommand);
      while (st === 'more' && performance.now() - t0 < SLICE_MS);
      if (st === 'more') {
        await nextTurn();
        continue;
      }
      if (st === 'corrupt') {
        throw new AofError(`Bad file format reading the append only file ${f.name}: ${parser.error}. Check it with redis-check-aof`);
      }
      // The end of the file, or a torn command. A transaction left open is never applied: the
      // file is valid only up to its MULTI. (Redis 7.0 reverts to the MULTI at a clean end, but
      // after a torn command it cuts after the last whole one, inside the transaction: the
      // MULTI left behind swallows the commands appended after it at the next load,
      // valkey-io/valkey#4342. We cut before the MULTI in both cases.)
      if (st === 'eof' && !tx.open) break;
      let validUpTo = parser.valid;
      if (tx.open) {
        o.log.warning(`Revert incomplete MULTI/EXEC transaction in AOF file ${f.name}`);
        validUpTo = tx.validBeforeMulti;
      }
      const last = i === live.length - 1;
      if (last && o.loadTruncated) {
        o.log.warning(`!!! Warning: short read while loading the AOF file ${f.name}!!! AOF loaded anyway because aof-load-truncated is enabled; truncating ${buf.length - validUpTo} bytes at offset ${validUpTo}`);
        fs.truncateSync(file, validUpTo);
        break;
      }
      o.log.warning(`Unexpected end of file reading the append only file ${f.name} at offset ${validUpTo}${last ? ' (aof-load-truncated is no)' : ' (not the last file: it cannot be trimmed)'}`);
      throw new AofError(UNEXPECTED_EOF(f.name));
    }
    commands += parser.commands;
  }
  return { commands, baseSize };
}
