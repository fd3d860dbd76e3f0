/**
 * A Redis 7 multi-part AOF read from outside (appendonlydir/): its incr files and the commands
 * in them, binary safe (latin1), the same way for the built-in server's files and redis-server's.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The incr files under dataDir/appendonlydir, oldest first (by sequence number, not by name). */
export function incrFiles(dataDir: string): string[] {
  const dir = path.join(dataDir, 'appendonlydir');
  const seq = (f: string): number => Number(/\.(\d+)\.incr\.aof$/.exec(f)?.[1]);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.incr.aof'))
    .sort((a, b) => seq(a) - seq(b))
    .map((f) => path.join(dir, f));
}

/** The incr file being written (the newest). */
export function incrFile(dataDir: string): string {
  const files = incrFiles(dataDir);
  if (files.length === 0) throw new Error(`no incr file in ${dataDir}/appendonlydir`);
  return files[files.length - 1]!;
}

/** Every incr file's text, oldest first. */
export function incrText(dataDir: string): string {
  return incrFiles(dataDir)
    .map((f) => fs.readFileSync(f, 'latin1'))
    .join('');
}

/** The commands in RESP text (an AOF, or the part of one written since some offset), SELECT left out unless asked for. */
export function aofCommands(text: string, opts: { select?: boolean } = {}): string[][] {
  const out: string[][] = [];
  let i = 0;
  const line = (): string => {
    const e = text.indexOf('\r\n', i);
    if (e < 0) throw new Error(`a torn command at byte ${i}`);
    const l = text.slice(i, e);
    i = e + 2;
    return l;
  };
  while (i < text.length) {
    const n = Number(line().slice(1));
    const argv: string[] = [];
    for (let k = 0; k < n; k++) {
      const len = Number(line().slice(1));
      argv.push(text.slice(i, i + len));
      i += len + 2;
    }
    if (opts.select || argv[0]!.toUpperCase() !== 'SELECT') out.push(argv);
  }
  return out;
}

/** A unix-ms timestamp (PXAT, PEXPIREAT, XCLAIM's TIME) as `<ms>`, so that two servers' AOFs compare. */
export const maskTime = (a: string): string => (/^1[0-9]{12}$/.test(a) ? '<ms>' : a);
