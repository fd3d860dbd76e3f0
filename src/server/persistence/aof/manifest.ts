import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir } from '../rdb/save-file.js';
import { AofError } from './aof-error.js';

/**
 * Redis 7's multi-part AOF manifest: one line per file,
 * `file appendonly.aof.1.base.rdb seq 1 type b` (b = base, i = incr, h = history).
 */
export interface AofFile {
  name: string;
  seq: number;
  type: 'b' | 'i' | 'h';
}

export function manifestName(appendfilename: string): string {
  return `${appendfilename}.manifest`;
}

/**
 * Parses a manifest as Redis's aofLoadManifestFromDisk does: `#` lines are comments, a line is
 * split as sdssplitargs splits it (so a quoted name may hold spaces), keys in any case.
 */
export function parseManifest(text: string, where: string): AofFile[] {
  const files: AofFile[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const bad = () => new AofError(`Invalid AOF manifest file format at ${where}:${i + 1}: '${line}'`);
    const parts = splitArgs(line);
    if (parts === null || parts.length % 2 !== 0) throw bad();
    const f: Partial<AofFile> = {};
    for (let k = 0; k + 1 < parts.length; k += 2) {
      const key = parts[k]!.toLowerCase();
      const val = parts[k + 1]!;
      if (key === 'file') f.name = val;
      else if (key === 'seq') f.seq = Number(val);
      else if (key === 'type') f.type = val as AofFile['type'];
    }
    if (!f.name || !Number.isInteger(f.seq) || (f.type !== 'b' && f.type !== 'i' && f.type !== 'h')) throw bad();
    if (f.name.includes('/')) throw new AofError(`Invalid AOF manifest file name at ${where}:${i + 1}: '${f.name}'`);
    files.push(f as AofFile);
  });
  if (files.filter((f) => f.type === 'b').length > 1) throw new AofError(`Found duplicate base file information in ${where}`);
  return files;
}

/** One line per file; a name with spaces, quotes, backslashes or control bytes is quoted (sdscatrepr). */
export function renderManifest(files: AofFile[]): string {
  return files.map((f) => `file ${needsRepr(f.name) ? repr(f.name) : f.name} seq ${f.seq} type ${f.type}\n`).join('');
}

const isSpace = (c: string) => c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\v' || c === '\f';
const isPrint = (code: number) => code >= 0x20 && code < 0x7f;

/** sdsneedsrepr: anything sdssplitargs would not read back as one bare word. */
function needsRepr(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' || c === '"' || isSpace(c) || !isPrint(s.charCodeAt(i))) return true;
  }
  return false;
}

/** sdscatrepr: a double-quoted string with C escapes and \xHH for other unprintable bytes. */
function repr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = s.charCodeAt(i);
    if (c === '\\' || c === '"') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code === 7) out += '\\a';
    else if (code === 8) out += '\\b';
    else if (isPrint(code)) out += c;
    else out += '\\x' + code.toString(16).padStart(2, '0');
  }
  return out + '"';
}

/**
 * sdssplitargs: words separated by spaces; "double quotes" take \n \r \t \b \a \xHH and
 * \<any>; 'single quotes' take \' only; a closing quote must end the word. null when unbalanced.
 */
function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let p = 0;
  const n = line.length;
  for (;;) {
    while (p < n && isSpace(line[p]!)) p++;
    if (p >= n) return out;
    let cur = '';
    let inq = false; // "..."
    let insq = false; // '...'
    for (;;) {
      const c = line[p];
      if (inq) {
        if (c === undefined) return null;
        if (c === '\\' && line[p + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(p + 2, p + 4))) {
          cur += String.fromCharCode(parseInt(line.slice(p + 2, p + 4), 16));
          p += 3;
        } else if (c === '\\' && p + 1 < n) {
          p++;
          const e = line[p]!;
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (p + 1 < n && !isSpace(line[p + 1]!)) return null;
          p++;
          break;
        } else cur += c;
      } else if (insq) {
        if (c === undefined) return null;
        if (c === '\\' && line[p + 1] === "'") {
          p++;
          cur += "'";
        } else if (c === "'") {
          if (p + 1 < n && !isSpace(line[p + 1]!)) return null;
          p++;
          break;
        } else cur += c;
      } else {
        if (c === undefined || isSpace(c)) break;
        if (c === '"') inq = true;
        else if (c === "'") insq = true;
        else cur += c;
      }
      p++;
    }
    out.push(cur);
  }
}

/**
 * writeManifest on the thread pool (write, fsync, rename, directory fsync): the commit at
 * the end of a rewrite, so a slow fsync (ext4 commits the journal, and with it whatever
 * the AOF has dirty) never holds the event loop. `done` gets null or the first error.
 */
export function writeManifestAsync(dir: string, name: string, files: AofFile[], done: (err: Error | null) => void): void {
  const tmp = path.join(dir, `temp-${name}`);
  const text = renderManifest(files);
  fs.open(tmp, 'w', (err, fd) => {
    if (err) return done(err);
    fs.write(fd, text, 0, 'latin1', (werr) => {
      const fsynced = (serr: Error | null) =>
        fs.close(fd, (cerr) => {
          const e = werr ?? serr ?? cerr;
          if (e) return done(e);
          fs.rename(tmp, path.join(dir, name), (rerr) => {
            if (rerr) return done(rerr);
            fs.open(dir, 'r', (oerr, dfd) => {
              if (oerr) return done(null); // a directory that cannot be opened: as fsyncDir
              fs.fsync(dfd, (ferr) => {
                fs.close(dfd, () => {
                  const code = (ferr as NodeJS.ErrnoException | null)?.code;
                  done(ferr && code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' ? ferr : null);
                });
              });
            });
          });
        });
      if (werr) fsynced(null);
      else fs.fsync(fd, fsynced);
    });
  });
}

/** Writes the manifest so that a crash leaves the old or the new one: temp, fsync, rename, fsync dir. */
export function writeManifest(dir: string, name: string, files: AofFile[]): void {
  const tmp = path.join(dir, `temp-${name}`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, renderManifest(files));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path.join(dir, name));
  fsyncDir(dir);
}
