import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../../src/report/csv.js';
import { stripAnsi } from '../../../src/report/format.js';
import { parseGate } from '../../../src/shared/gate-parse.js';
import { renderJson } from '../../../src/report/json.js';
import { renderTables } from '../../../src/report/table.js';
import { renderMatrix } from '../../../src/report/matrix.js';
import { OUTCOMES } from '../../../src/shared/result.js';
import type { FaultKind } from '../../../src/shared/types.js';
import { ConfigError } from '../../../src/shared/errors.js';
import { parseCsv } from './csv-parse.js';
import { result, typicalTrials } from './fixtures.js';

const num = fc.oneof(
  fc.double({ noDefaultInfinity: false, noNaN: false }),
  fc.integer({ min: -1e9, max: 1e12 }),
  fc.constant(0),
);

describe('properties', () => {
  it('any text in a cell reads back as itself (or neutralised) from the CSV', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite' }), (s) => {
        const [t] = typicalTrials();
        const [header, row] = parseCsv(renderCsv(result([{ ...t!, error: s }])));
        const cell = row![header!.indexOf('error')];
        expect(cell).toBe(/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
      }),
    );
  });

  it('any fault detail reads back from the CSV as the same object, on one row', () => {
    const value = fc.oneof(fc.string({ unit: 'grapheme-composite' }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), value), (detail) => {
        const [t] = typicalTrials();
        const rows = parseCsv(renderCsv(result([{ ...t!, faultDetail: detail }])));
        const [header, row] = rows;
        expect(rows).toHaveLength(5); // header, the trial, median/min/max
        const back = JSON.parse(row![header!.indexOf('fault_detail')]!) as unknown;
        expect(back).toEqual(JSON.parse(JSON.stringify(detail)));
      }),
    );
  });

  it('the gate parser either parses or throws a ConfigError naming the gate', () => {
    const pieces = fc.constantFrom('lost', 'throughput', '[', ']', '.', 'max', 'median', '*', ':', 'redis', 'aof-always',
      'rdb+aof', '==', '<=', '>', '0.5', '1e3', 'baseline', ' ', '-', '50k', 'x', '(', '=', '@', 'sigkill', 'sigterm');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 14 }), (parts) => {
        const text = parts.join('');
        try {
          const g = parseGate(text);
          expect(g.text).toBe(text.trim());
        } catch (e) {
          expect(e).toBeInstanceOf(ConfigError);
          expect((e as Error).message.startsWith(`gate '${text.trim()}': `)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('tables stay within 100 columns and JSON/CSV never carry NaN/Infinity, whatever the numbers', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(num, num, num, num), { minLength: 9, maxLength: 9 }), (vals) => {
        const trials = typicalTrials(['builtin', 'redis']).map((t, i) => {
          const [a, b, c, d] = vals[i % 9]!;
          return { ...t, acked: a, lost: b, recoveryMs: c, throughputOps: d, p99Ms: d, diskBytes: Math.abs(a) };
        });
        const r = result(trials, { targets: ['builtin', 'redis'] });
        const table = stripAnsi(renderTables(r));
        expect(Math.max(...table.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(100);
        expect(renderJson(r)).not.toMatch(/NaN|Infinity/);
        expect(renderCsv(r)).not.toMatch(/NaN|Infinity/);
      }),
      { numRuns: 100 },
    );
  });

  it('the durability matrix and the whole report stay within 100 columns, whatever the faults and outcomes', () => {
    const kinds = ['sigkill', 'sigkill-during-bgsave', 'sigkill-during-rewrite', 'sigterm', 'power-loss', 'power-loss-torn',
      'disk-full', 'torn-tail', 'corrupt', 'pause', 'sigkill-during-load'] as FaultKind[];
    const outcome = fc.constantFrom(null, ...OUTCOMES);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(kinds, { minLength: 1, maxLength: 11 }),
        fc.array(fc.tuple(outcome, num, num, fc.boolean(), fc.boolean()), { minLength: 9, maxLength: 9 }),
        (faults, vals) => {
          const trials = faults.flatMap((fault, fi) =>
            typicalTrials(['builtin', 'redis']).map((t, i) => {
              const [o, pct, win, traced, err] = vals[(i + fi) % 9]!;
              return { ...t, fault, outcome: o, lossPct: pct, lossWindowMs: win, lost: Math.abs(pct) > 1 ? 5 : 0, traced,
                error: err && i % 4 === 0 ? 'boom' : null, faultDetail: traced ? { trace_bytes: win, cut_file: `appendonly.aof.${i}.incr.aof` } : null };
            }),
          );
          const r = result(trials, { targets: ['builtin', 'redis'], faults });
          for (const text of [renderMatrix(r), renderTables(r)]) {
            expect(Math.max(...stripAnsi(text).split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(100);
            expect(text).not.toMatch(/NaN|undefined/);
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});
