/** Bytes on disk of a data directory, split into RDB, AOF (appendonlydir) and total. */
import fs from 'node:fs/promises';
import path from 'node:path';

export interface DiskUsage {
  rdbBytes: number;
  aofBytes: number;
  /** every file under the directory, temp files included */
  diskBytes: number;
}

async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += await treeBytes(p);
    else if (e.isFile()) total += await fileBytes(p);
  }
  return total;
}

async function fileBytes(p: string): Promise<number> {
  try {
    return (await fs.stat(p)).size;
  } catch {
    return 0;
  }
}

export async function diskUsage(dir: string, dbfilename = 'dump.rdb', appenddirname = 'appendonlydir'): Promise<DiskUsage> {
  const [rdbBytes, aofBytes, diskBytes] = await Promise.all([
    fileBytes(path.join(dir, dbfilename)),
    treeBytes(path.join(dir, appenddirname)),
    treeBytes(dir),
  ]);
  return { rdbBytes, aofBytes, diskBytes };
}
