import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExternalTarget, resolveExternalTargets, validateExternalTarget } from '../../../src/scenario/external-target.js';
import { applyOverrides, validateScenario } from '../../../src/scenario/index.js';

const ok = { name: 'box', start: 'exec redis-server --port {port} --dir {dir} {flags}', kill: 'kill -s {signal} 1' };
const err = (o: unknown): string => {
  try {
    validateExternalTarget(o, 't.json');
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('external target files', () => {
  it('takes the defaults: 127.0.0.1, a free {port}, a foreground start', () => {
    expect(validateExternalTarget(ok, 't.json')).toEqual({ ...ok, description: '', host: '127.0.0.1', port: '{port}', foreground: true });
  });

  it('refuses what is wrong in one line naming the file and the field', () => {
    expect(err([])).toBe('t.json: an external target must be a JSON object, got []');
    expect(err({ ...ok, name: 'a b' })).toMatch(/^t\.json: field "name" must be 1–40 letters/);
    expect(err({ name: 'x', kill: ok.kill })).toMatch(/^t\.json: field "start" is missing/);
    expect(err({ ...ok, strat: 'x' })).toMatch(/unknown field "strat" \(did you mean "start"\?\)/);
    expect(err({ ...ok, kill: 'docker kill -s {sginal} x' })).toMatch(/field "kill" uses \{sginal\}, which kill cannot use \(it may use \{port\}, \{dir\}, \{signal\}\)/);
    expect(err({ ...ok, start: 'redis-server {signal}' })).toMatch(/field "start" uses \{signal\}/);
    expect(err({ ...ok, port: 70000 })).toMatch(/field "port" must be a port \(1–65535\) or "\{port\}"/);
    expect(err({ ...ok, port: 6379 })).toMatch(/"start" uses \{port\} but "port" is fixed at 6379/);
    expect(err({ ...ok, pause: 'docker pause x' })).toMatch(/give "pause" and "resume" together/);
    expect(err({ ...ok, signals: ['TERM'] })).toMatch(/field "signals" must list the signals kill can send, KILL among them/);
    expect(err({ ...ok, start: 'a\nb' })).toMatch(/field "start" must be one line/);
    for (const e of [err([]), err({ ...ok, port: 'x' })]) expect(e.split('\n')).toHaveLength(1);
  });

  it('leaves ${VAR} to the shell', () => {
    expect(err({ ...ok, start: 'exec redis-server --dir ${HOME}/x {flags}' })).toBe('no error');
  });

  it('every example in examples/targets is valid', () => {
    const dir = path.resolve('examples/targets');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) expect(loadExternalTarget(path.join(dir, f)).name).toMatch(/./);
  });

  it('a missing or broken file is one line', () => {
    expect(() => loadExternalTarget('/nonexistent.json', 'x.json')).toThrow(/^x\.json: no such external target file$/);
  });
});

describe('resolving external targets in a scenario', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-ext-'));
  fs.writeFileSync(path.join(dir, 'box.json'), JSON.stringify(ok));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('external:<file> becomes external:<name> with the file recorded', () => {
    const s = resolveExternalTargets(validateScenario({ targets: ['builtin', 'external:box.json'] }, 's.json'), [dir], 's.json');
    expect(s.targets).toEqual(['builtin', 'external:box']);
    expect(s.externalTargets?.box?.start).toBe(ok.start);
    // resolving again (a result's scenario) keeps the name
    expect(resolveExternalTargets(s, [dir], 's.json')).toEqual(s);
  });

  it('--target external:<file> from the current directory', () => {
    const s = applyOverrides(validateScenario({}, 's.json'), { target: `redis,external:${path.join(dir, 'box.json')}` });
    expect(s.targets).toEqual(['redis', 'external:box']);
    expect(applyOverrides(s, { target: 'builtin' }).externalTargets).toBeUndefined();
  });

  it('a file that is not there is one line', () => {
    expect(() => applyOverrides(validateScenario({}, 's.json'), { target: 'external:nope.json' })).toThrow(/^--target: target external:nope\.json: no such external target file$/);
  });

  it('a scenario file checks externalTargets like a target file', () => {
    expect(() => validateScenario({ externalTargets: { box: { ...ok, name: 'other' } } }, 's.json')).toThrow(/has "box" describing a target named "other"/);
  });
});
