/** Parses an INFO reply (`# Section` headers, `field:value` lines) into a flat record. */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return out;
}

/** A numeric INFO field, or null when absent or not a number. */
export function infoNumber(info: Record<string, string>, field: string): number | null {
  const v = info[field];
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** True while a background save or AOF rewrite runs. */
export function snapshotInProgress(info: Record<string, string>): boolean {
  return info.rdb_bgsave_in_progress === '1' || info.aof_rewrite_in_progress === '1';
}
