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

export function parseManifest(text: string, where: string): AofFile[] {
  const files: AofFile[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parts = line.split(/\s+/);
    const f: Partial<AofFile> = {};
    for (let k = 0; k + 1 < parts.length; k += 2) {
      const key = parts[k]!;
      const val = parts[k + 1]!;
      if (key === 'file') f.name = val;
      else if (key === 'seq') f.seq = Number(val);
      else if (key === 'type') f.type = val as AofFile['type'];
    }
    if (!f.name || !Number.isInteger(f.seq) || (f.type !== 'b' && f.type !== 'i' && f.type !== 'h')) {
      throw new AofError(`Invalid AOF manifest file format at ${where}:${i + 1}: '${line}'`);
    }
    if (f.name.includes('/')) throw new AofError(`Invalid AOF manifest file name at ${where}:${i + 1}: '${f.name}'`);
    files.push(f as AofFile);
  });
  if (files.filter((f) => f.type === 'b').length > 1) throw new AofError(`Found duplicate base file information in ${where}`);
  return files;
}

export function renderManifest(files: AofFile[]): string {
  return files.map((f) => `file ${f.name} seq ${f.seq} type ${f.type}\n`).join('');
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
