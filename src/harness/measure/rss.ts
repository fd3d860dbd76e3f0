/**
 * Resident memory of a process as the kernel counts it (/proc/<pid>/status VmRSS), not as
 * the server reports it: one figure read the same way for both targets. INFO's
 * used_memory_rss is the fallback off Linux.
 */
import fs from 'node:fs';
import { infoNumber, parseInfo } from './info.js';
import { replyText, type RespConnection } from '../workload/resp-connection.js';

export function procRss(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export async function rssBytes(pid: number, conn: RespConnection): Promise<number | null> {
  return procRss(pid) ?? infoNumber(parseInfo(replyText(await conn.call('INFO', 'memory'))), 'used_memory_rss');
}
