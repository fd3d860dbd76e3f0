import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateGates } from '../../../src/report/gate-eval.js';
import { renderTables } from '../../../src/report/table.js';
import { parseAnyResult, parseMicroResult, parseRunResult, renderJson } from '../../../src/report/json.js';
import { ConfigError } from '../../../src/shared/errors.js';
import { result, trial, typicalTrials } from './fixtures.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('renderJson', () => {
  it('is pretty and round-trips', () => {
    const r = result(typicalTrials());
    const text = renderJson(r);
    expect(text).toMatch(/^\{\n {2}"schemaVersion": 1,/);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseRunResult(text, 'r.json')).toEqual(JSON.parse(text));
  });

  it('turns NaN and Infinity into null', () => {
    const r = result([trial({ recoveryMs: NaN, p99Ms: Infinity, maxMs: -Infinity })]);
    const text = renderJson(r);
    expect(text).not.toMatch(/NaN|Infinity/);
    const back = JSON.parse(text);
    expect(back.trials[0].recoveryMs).toBeNull();
    expect(back.trials[0].p99Ms).toBeNull();
    expect(back.trials[0].maxMs).toBeNull();
  });

  it('leaves the words NaN/Infinity inside strings alone', () => {
    const text = renderJson({ note: 'NaN is not a number; Infinity too' });
    expect(JSON.parse(text).note).toBe('NaN is not a number; Infinity too');
  });
});

describe('parseRunResult', () => {
  const bad = (text: string, re: RegExp) => {
    expect(() => parseRunResult(text, 'res.json')).toThrow(ConfigError);
    expect(() => parseRunResult(text, 'res.json')).toThrow(re);
  };

  it('names the file and what is wrong', () => {
    bad('{', /^res\.json: not valid JSON/);
    bad('[]', /res\.json: top level must be an object/);
    bad('{"schemaVersion":2,"kind":"run"}', /res\.json: schemaVersion 2 is not supported/);
    bad('{"kind":"run"}', /schemaVersion null is not supported/);
    bad('{"schemaVersion":1,"kind":"other"}', /kind "other" is not a durabench result/);
    bad(JSON.stringify({ ...result([]), trials: 'x' }), /res\.json: trials must be an array/);
    bad(JSON.stringify(result([{ ...trial(), mode: 'aof-sometimes' as never }])), /trials\[0\]\.mode must be one of/);
    bad(JSON.stringify(result([{ ...trial(), acked: 'many' as never }])), /trials\[0\]\.acked must be a number/);
    bad(JSON.stringify({ ...result([]), scenario: { ...result([]).scenario, gates: [1] } }), /scenario\.gates\[0\] must be a string/);
  });

  it('a micro result is not a run result', () => {
    const micro = { schemaVersion: 1, kind: 'micro', tool: { name: 'durabench', version: '1' }, benchmarks: [] };
    expect(() => parseRunResult(JSON.stringify(micro), 'm.json')).toThrow(/m\.json: is a 'micro' result/);
    expect(parseAnyResult(JSON.stringify(micro), 'm.json').kind).toBe('micro');
  });

  it('fills what older files may lack: summary, sanity, environment', () => {
    const r = result(typicalTrials()) as unknown as Record<string, unknown>;
    delete r.summary;
    delete r.sanity;
    delete r.environment;
    const back = parseRunResult(JSON.stringify(r), 'old.json');
    expect(back.summary).toHaveLength(3);
    expect(back.sanity).toEqual([]);
    expect(back.environment.targetVersions).toEqual({});
  });
});

describe('parseRunResult: results from before faults were an axis', () => {
  it('reads scenario.fault as scenario.faults', () => {
    const r = result(typicalTrials()) as unknown as { scenario: Record<string, unknown> };
    delete r.scenario.faults;
    r.scenario.fault = 'sigkill';
    const back = parseRunResult(JSON.stringify(r), 'old.json');
    expect(back.scenario.faults).toEqual(['sigkill']);
    expect('fault' in back.scenario).toBe(false);
    r.scenario.fault = 'bogus';
    expect(() => parseRunResult(JSON.stringify(r), 'old.json')).toThrow(/old\.json: scenario\.fault must be one of sigkill/);
    r.scenario.fault = 'sigkill';
    r.scenario.faults = ['sigkill'];
    expect(() => parseRunResult(JSON.stringify(r), 'old.json')).toThrow(/has both "faults" and the legacy "fault"/);
  });

  it("without either, the faults are the trials' own", () => {
    const r = result(typicalTrials().map((t, i) => ({ ...t, fault: i % 2 ? 'sigterm' : 'sigkill' }))) as unknown as {
      scenario: Record<string, unknown>;
    };
    delete r.scenario.faults;
    expect(parseRunResult(JSON.stringify(r), 'old.json').scenario.faults).toEqual(['sigkill', 'sigterm']);
  });

  it('the committed baseline loads, renders and gates (against itself)', () => {
    const file = path.join(REPO, 'results/baseline/ci-gate.json');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('"fault": "sigkill"');
    const base = parseRunResult(text, file);
    expect(base.scenario.faults).toEqual(['sigkill']);
    const outcomes = evaluateGates(base.scenario.gates, base, base);
    expect(outcomes.length).toBeGreaterThanOrEqual(base.scenario.gates.length);
    expect(outcomes.filter((o) => !o.pass)).toEqual([]);
    expect(outcomes[0]!.check).toMatch(/@sigkill\]/);
    expect(renderTables(base)).toContain('fault sigkill');
  });
});

describe('parseMicroResult', () => {
  it('validates benchmark entries', () => {
    const ok = {
      schemaVersion: 1, kind: 'micro', tool: { name: 'durabench', version: '1' },
      benchmarks: [{ name: 'a', opsPerSec: 1, meanMs: 1, p99Ms: 1, rme: 1, samples: 3 }],
    };
    expect(parseMicroResult(JSON.stringify(ok), 'm.json').benchmarks[0]!.medianMs).toBe(1);
    const dup = { ...ok, benchmarks: [...ok.benchmarks, ...ok.benchmarks] };
    expect(() => parseMicroResult(JSON.stringify(dup), 'm.json')).toThrow(/duplicate benchmark name 'a'/);
    const missing = { ...ok, benchmarks: [{ name: 'a' }] };
    expect(() => parseMicroResult(JSON.stringify(missing), 'm.json')).toThrow(/benchmarks\[0\]\.opsPerSec must be a number/);
  });
});
