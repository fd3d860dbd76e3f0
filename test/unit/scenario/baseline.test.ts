import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/scenario/index.js';
import { resolveBaselinePath } from '../../../src/scenario/load.js';
import { ConfigError } from '../../../src/shared/errors.js';

const gates = ['throughput[none].median >= 0.3 * baseline'];

describe('a scenario names its default baseline', () => {
  it('ci-gate names results/baseline/ci-gate.json and it is found (from the package root)', async () => {
    const s = await loadScenario('ci-gate');
    expect(s.baseline).toBe('results/baseline/ci-gate.json');
    const p = resolveBaselinePath(s)!;
    expect(p.endsWith('results/baseline/ci-gate.json')).toBe(true);
    expect(fs.existsSync(p)).toBe(true);
  });

  it('is not needed when no gate refers to baseline, nor when the scenario names none', () => {
    expect(resolveBaselinePath({ name: 'x', baseline: 'nowhere.json', gates: ['lost[*].max == 0'] })).toBeUndefined();
    expect(resolveBaselinePath({ name: 'x', gates })).toBeUndefined();
  });

  it('a missing file is one ConfigError line naming the scenario', () => {
    expect(() => resolveBaselinePath({ name: 'mine', baseline: 'results/nowhere.json', gates })).toThrow(ConfigError);
    expect(() => resolveBaselinePath({ name: 'mine', baseline: 'results/nowhere.json', gates })).toThrow(
      "scenario 'mine' names baseline results/nowhere.json: not found here or in the package (pass --baseline FILE)",
    );
  });
});
