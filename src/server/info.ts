/** INFO rendering: "# Section\r\nfield:value\r\n" blocks, Redis's layout and names. */
export type InfoSection = [title: string, fields: Record<string, string | number>];

const DEFAULT = new Set(['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'keyspace']);

/** `wanted`: undefined/"default"/"all"/"everything" or one section name, case-insensitive. */
export function renderInfo(sections: InfoSection[], wanted?: string): string {
  const w = wanted?.toLowerCase();
  const pick = (title: string) =>
    w === undefined || w === 'default' ? DEFAULT.has(title.toLowerCase()) : w === 'all' || w === 'everything' || w === title.toLowerCase();
  const out: string[] = [];
  for (const [title, fields] of sections) {
    if (!pick(title)) continue;
    let block = `# ${title}\r\n`;
    for (const [k, v] of Object.entries(fields)) block += `${k}:${v}\r\n`;
    out.push(block);
  }
  return out.join('\r\n');
}
