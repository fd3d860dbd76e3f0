import { describe, expect, it } from 'vitest';
import { benchEntries, renderBenchJson } from '../../../src/report/bench-json.js';
import { stripAnsi } from '../../../src/report/format.js';
import { evaluateGates } from '../../../src/report/gate-eval.js';
import { gateSummaryLine, renderGateTable } from '../../../src/report/gate-table.js';
import { renderJunit } from '../../../src/report/junit.js';
import type { MicroResult } from '../../../src/report/micro-result.js';
import { result, typicalTrials } from './fixtures.js';
import { checkXml } from './xml-check.js';

const run = result(typicalTrials());
const outcomes = evaluateGates(
  [
    'lost[aof-always].max == 0',
    'loss_pct[*].max < 50',
    'throughput[aof-always].median >= 0.5 * throughput[none].median',
    'fork_usec[aof-always].max < 10000',
  ],
  run,
);

describe('gate table', () => {
  it('lists each gate and each check with value, threshold and reasons, within 100 columns', () => {
    const out = renderGateTable(outcomes);
    expect(out).toContain('lost[aof-always].max == 0');
    expect(out).toMatch(/PASS\s+│ builtin:aof-always/);
    expect(out).toMatch(/FAIL\s+│ builtin:none\s+│\s+100% │ < 50/);
    expect(out).toMatch(/PASS\s+│ builtin:aof-always\s+│\s+83000 ops\/s │/);
    expect(out).toContain('fork_usec was not measured');
    expect(out).toContain('throughput[builtin:none@sigkill].median');
    expect(out).toContain('>= 53500 (0.5 ×');
    expect(Math.max(...stripAnsi(out).split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(100);
    expect(out.trim().split('\n').at(-1)).toBe(gateSummaryLine(outcomes));
  });

  it('summary line says PASSED or FAILED with counts', () => {
    expect(gateSummaryLine(outcomes)).toBe('Gates: FAILED — 2 of 6 checks failed in 2 of 4 gates.');
    expect(gateSummaryLine(outcomes.filter((o) => o.pass))).toBe('Gates: PASSED — 4/4 checks of 3 gates.');
  });
});

describe('renderJunit', () => {
  it('is well-formed XML with one testcase per gate and failures for failed gates', () => {
    const xml = renderJunit(outcomes, 'durabench gates: unit');
    expect(checkXml(xml)).toEqual({ ok: true, root: 'testsuites' });
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml.match(/<failure /g)).toHaveLength(2);
    expect(xml).toMatch(/<testsuite name="durabench gates: unit" tests="4" failures="2"/);
    expect(xml).toContain('name="throughput[aof-always].median &gt;= 0.5 * throughput[none].median"');
  });

  it('escapes markup, quotes and control characters', () => {
    const nasty = outcomes.map((o) => ({ ...o, gate: `${o.gate} <&"'>\u0001`, reason: 'a & b < c "d"\u0000' }));
    const xml = renderJunit(nasty, 'suite "x" & <y>');
    expect(checkXml(xml)).toMatchObject({ ok: true });
    expect(xml).not.toMatch(/[\u0000\u0001]/);
    expect(xml).toContain('name="suite &quot;x&quot; &amp; &lt;y&gt;"');
  });

  it('the checker rejects broken XML (so the test above means something)', () => {
    expect(checkXml('<?xml version="1.0" encoding="UTF-8"?>\n<a><b></a>').ok).toBe(false);
    expect(checkXml('<?xml version="1.0" encoding="UTF-8"?>\n<a x="1 & 2"></a>').ok).toBe(false);
    expect(checkXml('<?xml version="1.0" encoding="UTF-8"?>\n<a>1 < 2</a>').ok).toBe(false);
  });
});

describe('bench JSON (github-action-benchmark)', () => {
  it('splits by direction with name, unit, value, range, extra', () => {
    const bigger = JSON.parse(renderBenchJson(run, 'bigger'));
    const smaller = JSON.parse(renderBenchJson(run, 'smaller'));
    expect(Array.isArray(bigger) && Array.isArray(smaller)).toBe(true);
    for (const e of [...bigger, ...smaller]) {
      expect(Object.keys(e).sort()).toEqual(['extra', 'name', 'range', 'unit', 'value']);
      expect(typeof e.name).toBe('string');
      expect(typeof e.unit).toBe('string');
      expect(Number.isFinite(e.value)).toBe(true);
      expect(e.range).toMatch(/^± [\d.e+-]+$/);
    }
    const names = (xs: Array<{ name: string }>) => xs.map((x) => x.name);
    expect(names(bigger)).toContain('throughput[builtin:none]');
    expect(names(bigger)).not.toContain('lost[builtin:none]');
    expect(names(smaller)).toContain('lost[builtin:none]');
    expect(names(smaller)).toContain('recovery_ms[builtin:rdb]');
    expect(bigger.find((e: { name: string }) => e.name === 'throughput[builtin:none]')).toMatchObject({
      unit: 'ops/s', value: 107_000, range: '± 1000',
    });
  });

  it('micro results: ops/s bigger, mean ms smaller', () => {
    const micro: MicroResult = {
      schemaVersion: 1, kind: 'micro', tool: { name: 'durabench', version: '1' },
      environment: { node: 'v20', os: 'linux', cpu: 'x', cores: 2, memoryBytes: 1 }, startedAt: '', timeMs: 100,
      benchmarks: [{ name: 'crc64/1 MiB', opsPerSec: 1000, meanMs: 1, medianMs: 1, p99Ms: 2, rme: 1.234, samples: 100 }],
    };
    expect(benchEntries(micro, 'bigger')).toEqual([
      { name: 'crc64/1 MiB', unit: 'ops/s', value: 1000, range: '± 1.234%', extra: '100 samples' },
    ]);
    expect(benchEntries(micro, 'smaller')[0]).toMatchObject({ unit: 'ms', value: 1 });
  });
});
