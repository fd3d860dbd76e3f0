import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { cellText } from './csv.js';
import { fmtDuration, fmtNum } from './format.js';
import type { MicroResult } from './micro-result.js';

/** Micro-benchmark results: name, ops/s, mean, p99, ± rme, samples. */
export function renderMicroTable(r: MicroResult, opts: { color?: boolean } = {}): string {
  const color = opts.color ?? false;
  const head = `durabench ${r.tool.version} micro-benchmarks · node ${r.environment.node} · ` +
    `${r.environment.cores} × ${r.environment.cpu} · ${r.timeMs} ms per benchmark`;
  if (r.benchmarks.length === 0) return `${head}\nNo benchmarks ran.\n`;
  const t = new Table({
    head: ['benchmark', 'ops/s', 'mean', 'p99', '± rme', 'samples'],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true },
  });
  for (const b of r.benchmarks) {
    t.push([
      b.name.length > 44 ? `${b.name.slice(0, 43)}…` : b.name,
      fmtNum(b.opsPerSec),
      fmtDuration(b.meanMs),
      fmtDuration(b.p99Ms),
      `${b.rme.toFixed(2)}%`,
      String(b.samples),
    ]);
  }
  return `${head.length > 100 ? `${head.slice(0, 99)}…` : head}\n${t.toString()}\n`;
}

export const MICRO_CSV_COLUMNS = ['name', 'ops_per_sec', 'mean_ms', 'median_ms', 'p99_ms', 'rme_pct', 'samples'] as const;

export function renderMicroCsv(r: MicroResult): string {
  const rows = r.benchmarks.map((b) =>
    [b.name, b.opsPerSec, b.meanMs, b.medianMs, b.p99Ms, b.rme, b.samples].map((v) => cellText(v)),
  );
  return stringify(rows, { header: true, columns: [...MICRO_CSV_COLUMNS], record_delimiter: 'unix' });
}
