import { describe, expect, it } from 'vitest';
import { emptyPoint } from '../../../src/harness/sweep/sweep-point.js';
import { renderClaimsTable } from '../../../src/report/claims-table.js';
import { parseSweepResult } from '../../../src/report/sweep-parse.js';
import { renderJson } from '../../../src/report/json.js';
import { renderSweepCsv, SWEEP_CSV_COLUMNS } from '../../../src/report/sweep-csv.js';
import { fmtKeys, renderSweepTables } from '../../../src/report/sweep-table.js';
import type { ClaimsResult } from '../../../src/shared/claims.js';
import type { SweepResult } from '../../../src/shared/sweep-result.js';
import { parseCsv } from './csv-parse.js';

const env = { node: 'v20', os: 'linux', cpu: 'Test CPU', cores: 2, memoryBytes: 8e9, targetVersions: { builtin: 'durabench 0.1.0', redis: 'redis-server 7.0.15' } };

function sweep(): SweepResult {
  const p = {
    ...emptyPoint('redis', 1_000_000, 100),
    forkUsec: 4100, snapshotMs: 2300, cowBytes: 12_000_000, snapshotWrites: 11_500,
    baseline: { p99Ms: 2.1, p999Ms: 3.4, maxMs: 9 }, duringSnapshot: { p99Ms: 6, p999Ms: 40, maxMs: 76 },
    rdbBytes: 111_888_988, aofBytes: 134_889_090, rdbLoad: { recoveryMs: 740, loadMs: 730 }, aofLoad: { recoveryMs: 800, loadMs: 790 },
    rssBytes: 199_000_000, sendLagMaxMs: 1.2, fillMs: 6000,
    timeline: { bucketMs: 10, buckets: [{ tMs: 0, ops: 5000, p99Ms: 2, maxMs: 3 }], markers: [{ kind: 'snapshot-start' as const, tMs: 500, label: 'BGSAVE' }] },
  };
  return {
    schemaVersion: 1, kind: 'sweep', tool: { name: 'durabench', version: '0.1.0' }, environment: env, startedAt: '2026-01-01T00:00:00.000Z',
    wallMs: 90_000, seed: 1, sizes: [1_000_000, 4_000_000], valueBytes: 100, values: 'random', targets: ['redis'], modes: ['rdb', 'aof-everysec'],
    rate: 5000, clients: 16, windowMs: 2000, loadAverage: 3.5,
    points: [p, { ...emptyPoint('redis', 4_000_000, 100), skipped: 'needs ~30 GB of memory, 20 GB free' }, { ...emptyPoint('builtin', 1_000_000, 100), error: 'DBSIZE 5, expected 1000000' }],
  };
}

describe('sweep renderers', () => {
  it('tables: a row per measured point, a line per skipped size and failed point, units in the headers', () => {
    const text = renderSweepTables(sweep());
    expect(text).toContain('4.1 ms'); // fork pause
    expect(text).toContain('2.1 → 6'); // p99 without → with a snapshot
    expect(text).toContain('112 B'); // RDB bytes per key (111.9)
    expect(text).toContain('skipped 4M keys: needs ~30 GB');
    expect(text).toContain('FAILED 1M builtin: DBSIZE 5');
    expect(text).not.toMatch(/NaN|undefined|null/);
    expect(fmtKeys(100_000)).toBe('100k');
    expect(fmtKeys(2500)).toBe('2.5k');
    expect(fmtKeys(4_000_000)).toBe('4M');
  });

  it('CSV: fixed header, empty cells for what was not measured, no timeline', () => {
    const rows = parseCsv(renderSweepCsv(sweep()));
    expect(rows[0]).toEqual([...SWEEP_CSV_COLUMNS]);
    expect(SWEEP_CSV_COLUMNS.join(',')).not.toMatch(/timeline|bucket/);
    const r = Object.fromEntries(SWEEP_CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(r.fork_usec).toBe('4100');
    expect(r.rdb_bytes_per_key).toBe('111.889');
    expect(rows[2]![SWEEP_CSV_COLUMNS.indexOf('fork_usec')]).toBe('');
    expect(rows[2]![SWEEP_CSV_COLUMNS.indexOf('skipped')]).toContain('needs');
  });

  it('JSON round-trips through the reader; a broken file is one clear error', () => {
    const s = sweep();
    expect(parseSweepResult(renderJson(s), 's.json')).toEqual(s);
    const bad = JSON.parse(renderJson(s));
    bad.points[0].forkUsec = 'fast';
    expect(() => parseSweepResult(JSON.stringify(bad), 's.json')).toThrow(/s\.json: points\[0\]\.forkUsec must be a number/);
    expect(() => parseSweepResult('{"schemaVersion":1,"kind":"run"}', 'r.json')).toThrow(/not a sweep result/);
  });
});

describe('claims table', () => {
  it('a row per claim and target, the verdict, the evidence and the rule', () => {
    const r: ClaimsResult = {
      schemaVersion: 1, kind: 'claims', tool: { name: 'durabench', version: '0.1.0' }, environment: env, startedAt: '', sources: ['a.json'],
      claims: [{ id: 'rdb-loads-faster', text: 'RDB files load faster than AOF files.' }],
      verdicts: [
        { id: 'rdb-loads-faster', target: 'builtin', verdict: 'held', rule: 'held: RDB load ≤ 0.8 × AOF load', evidence: 'rdb 1.0 s vs aof 3.3 s at 1M', figures: {} },
        { id: 'rdb-loads-faster', target: 'redis', verdict: 'did not hold', rule: 'held: RDB load ≤ 0.8 × AOF load', evidence: 'rdb 0.73 s vs aof 0.79 s at 1M', figures: {} },
      ],
    };
    const text = renderClaimsTable(r, { width: 100 });
    expect(text).toContain('1. RDB files load');
    expect(text).toContain('did not hold');
    expect(text).toContain('rdb 0.73 s vs aof 0.79 s');
    expect(text).toContain('rule — held: RDB load');
    expect(text).toContain('1 held, 1 did not hold, 0 not measured');
    for (const l of text.split('\n')) expect(l.length).toBeLessThanOrEqual(100);
  });
});
