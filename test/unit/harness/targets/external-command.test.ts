import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillTemplate, shellQuote, signalName } from '../../../../src/harness/targets/external-command.js';
import { unmetNeed } from '../../../../src/harness/faults/needs.js';

/** What /bin/sh makes of a command line: its words. */
const words = (line: string): string[] => {
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
};

describe('external command templates', () => {
  it('substitutes every placeholder shell-quoted', () => {
    const line = fillTemplate('redis-server --port {port} --dir {dir} {flags}', { port: 6390, dir: '/tmp/a dir', flags: ['--save', '', '--appendonly', 'no'] });
    expect(line).toBe(`redis-server --port 6390 --dir '/tmp/a dir' --save '' --appendonly no`);
    expect(words(line.replace(/^redis-server /, ''))).toEqual(['--port', '6390', '--dir', '/tmp/a dir', '--save', '', '--appendonly', 'no']);
  });

  it('leaves ${VAR} and other braces to the shell', () => {
    expect(fillTemplate('echo ${HOME} {dir} {}', { dir: 'x' })).toBe('echo ${HOME} x {}');
  });

  it('{x:ssh} survives a second shell (ssh joins its arguments for the remote one)', () => {
    // like ssh: the arguments joined by spaces, parsed again by a second shell
    const line = fillTemplate(`fakessh printf "'%s\\n'" {flags:ssh}`, { flags: ['--save', '', "it's", 'a b'] });
    expect(execFileSync('/bin/sh', ['-c', `fakessh() { sh -c "$*"; }; ${line}`], { encoding: 'utf8' })).toBe("--save\n\nit's\na b\n");
  });

  it('quoting round-trips any word through /bin/sh', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }).filter((s) => !s.includes('\0')), (w) => {
        expect(words(shellQuote(w))).toEqual([w]);
      }),
      { numRuns: 40 },
    );
  });

  it('signals by name, as kill -s and docker kill -s take them', () => {
    expect(signalName('SIGKILL')).toBe('KILL');
    expect(signalName('SIGSTOP')).toBe('STOP');
  });
});

describe('faults a target cannot take', () => {
  const local = { launches: true, dataDir: 'own', signals: ['SIGKILL', 'SIGTERM', 'SIGSTOP', 'SIGCONT'] } as const;
  const bare = { launches: false, dataDir: 'none', signals: ['SIGKILL', 'SIGTERM'] } as const;
  it('the servers durabench launches take every fault', () => {
    for (const f of ['sigkill', 'power-loss', 'disk-full', 'torn-tail', 'pause'] as const) expect(unmetNeed(f, 'redis', local)).toBeNull();
  });
  it('an external target without dataDir or STOP says why, per fault', () => {
    expect(unmetNeed('sigkill', 'external:x', bare)).toBeNull();
    expect(unmetNeed('sigterm', 'external:x', bare)).toBeNull();
    expect(unmetNeed('torn-tail', 'external:x', bare)).toMatch(/changes the server's files: give external:x a "dataDir"/);
    expect(unmetNeed('disk-full', 'external:x', { ...bare, dataDir: 'mounted' })).toMatch(/"dataDir": "\{dir\}"/);
    expect(unmetNeed('corrupt', 'external:x', { ...bare, dataDir: 'mounted' })).toBeNull();
    expect(unmetNeed('power-loss', 'external:x', { ...bare, dataDir: 'own' })).toMatch(/traces the server's system calls/);
    expect(unmetNeed('pause', 'external:x', bare)).toMatch(/sends SIGSTOP and SIGCONT, which external:x cannot be sent/);
  });
});
