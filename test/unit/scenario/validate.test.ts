import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario, PRESETS_DIR, validateScenario } from '../../../src/scenario/index.js';
import { ConfigError } from '../../../src/shared/errors.js';
import { MODES } from '../../../src/shared/types.js';

function err(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('validateScenario', () => {
  it('fills defaults and names the scenario after its file', () => {
    const s = validateScenario({}, 'scenarios/my-test.json');
    expect(s.name).toBe('my-test');
    expect(s.modes).toEqual([...MODES]);
    expect(s.targets).toEqual(['builtin']);
    expect(s.faults).toEqual(['sigkill']);
  });

  it('names file, field and what is wrong', () => {
    expect(err(() => validateScenario({ trials: 0 }, 'a.json'))).toBe('a.json: field "trials" must be an integer from 1 to 1000 (got 0)');
    expect(err(() => validateScenario({ trials: '3' }, 'a.json'))).toBe('a.json: field "trials" must be an integer from 1 to 1000 (got "3")');
    expect(err(() => validateScenario({ modes: ['none', 'aof'] }, 'a.json'))).toMatch(/^a\.json: field "modes" has "aof", not one of none, rdb/);
    expect(err(() => validateScenario({ modes: [] }, 'a.json'))).toMatch(/field "modes" must be a non-empty array/);
    expect(err(() => validateScenario({ modes: ['rdb', 'rdb'] }, 'a.json'))).toMatch(/lists the same entry twice/);
    expect(err(() => validateScenario({ killWindowMs: [3000, 1000] }, 'a.json'))).toMatch(/field "killWindowMs" must have min <= max/);
    expect(err(() => validateScenario({ savePoints: '60' }, 'a.json'))).toMatch(/field "savePoints" must be "<seconds> <changes>" pairs/);
    expect(err(() => validateScenario({ fault: 'no-such-fault' }, 'a.json'))).toMatch(/field "fault" must be one of sigkill, sigkill-during-bgsave/);
    expect(err(() => validateScenario({ faults: ['sigkill', 'no-such-fault'] }, 'a.json'))).toMatch(/field "faults" has "no-such-fault", not one of sigkill, /);
    expect(err(() => validateScenario({ faults: [] }, 'a.json'))).toMatch(/field "faults" must be a non-empty array of faults/);
    expect(err(() => validateScenario({ faults: 'sigkill' }, 'a.json'))).toMatch(/field "faults" must be a non-empty array/);
    expect(err(() => validateScenario({ faults: ['sigterm', 'sigterm'] }, 'a.json'))).toMatch(/field "faults" lists the same entry twice/);
    expect(err(() => validateScenario({ name: 'a b' }, 'a.json'))).toMatch(/field "name" must be 1–64 letters/);
  });

  it('faults is a list; the legacy "fault" reads as a one-element list; both is an error', () => {
    expect(validateScenario({ faults: ['sigterm', 'sigkill'] }, 'a.json').faults).toEqual(['sigterm', 'sigkill']);
    const legacy = validateScenario({ fault: 'sigterm' }, 'a.json');
    expect(legacy.faults).toEqual(['sigterm']);
    expect('fault' in legacy).toBe(false);
    expect(err(() => validateScenario({ fault: 'sigterm', faults: ['sigkill'] }, 'a.json'))).toBe(
      'a.json: give either "faults" (a list) or the legacy "fault", not both',
    );
  });

  it('rejects unknown fields, suggesting the near one', () => {
    expect(err(() => validateScenario({ trails: 3 }, 'a.json'))).toMatch(/^a\.json: unknown field "trails" \(did you mean "trials"\?\); known fields: name, /);
    expect(err(() => validateScenario({ zzzzzz: 1 }, 'a.json'))).not.toMatch(/did you mean/);
  });

  it('rejects what is not an object', () => {
    expect(err(() => validateScenario([], 'a.json'))).toBe('a.json: a scenario must be a JSON object, got an array');
    expect(err(() => validateScenario(null, 'a.json'))).toBe('a.json: a scenario must be a JSON object, got null');
  });
});

describe('loadScenario', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-scenario-test-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reports bad JSON and missing files with the file name', async () => {
    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(bad, '{"trials": 3,}');
    await expect(loadScenario(bad)).rejects.toThrow(/bad\.json: not valid JSON/);
    await expect(loadScenario(path.join(tmp, 'nope.json'))).rejects.toThrow(/nope\.json: no such scenario file/);
    await expect(loadScenario('no-such-preset')).rejects.toThrow(/presets: .*default.*quick/);
  });

  it('finds presets by name', async () => {
    const q = await loadScenario('quick');
    expect(q.name).toBe('quick');
  });

  it('every preset is valid and as documented', async () => {
    const files = fs.readdirSync(PRESETS_DIR).filter((f) => f.endsWith('.json'));
    expect(files).toEqual(expect.arrayContaining(['default.json', 'quick.json', 'real-redis.json']));
    for (const f of files) await loadScenario(path.join(PRESETS_DIR, f));
    const d = await loadScenario('default');
    expect(d.modes).toEqual([...MODES]);
    expect(d.targets).toEqual(['builtin']);
    expect(d.trials).toBe(3);
    expect((await loadScenario('real-redis')).targets).toEqual(['builtin', 'redis']);
  });
});
