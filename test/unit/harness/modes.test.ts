import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { formatFlags, flagsFor } from '../../../src/harness/targets/modes.js';
import { targets } from '../../../src/harness/targets/index.js';
import { MODES } from '../../../src/shared/types.js';

describe('mode → flags', () => {
  it('maps every mode as the design says', () => {
    const sp = '1 1000 5 100';
    expect(formatFlags(flagsFor('none', sp))).toBe('--save "" --appendonly no');
    expect(formatFlags(flagsFor('rdb', sp))).toBe('--save "1 1000 5 100" --appendonly no');
    expect(formatFlags(flagsFor('aof-always', sp))).toBe('--save "" --appendonly yes --appendfsync always');
    expect(formatFlags(flagsFor('aof-everysec', sp))).toBe('--save "" --appendonly yes --appendfsync everysec');
    expect(formatFlags(flagsFor('aof-no', sp))).toBe('--save "" --appendonly yes --appendfsync no');
    expect(formatFlags(flagsFor('rdb+aof', sp))).toBe('--save "1 1000 5 100" --appendonly yes --appendfsync everysec --aof-use-rdb-preamble yes');
  });

  it('both targets launch with the same flags', () => {
    for (const mode of MODES) {
      const opts = { port: 7000, dir: '/tmp/x', mode, savePoints: '1 1000', logFile: '/tmp/x.log' };
      const b = targets.builtin.launchSpec(opts);
      const r = targets.redis.launchSpec(opts);
      expect(b.args.slice(b.args.indexOf('server') + 1)).toEqual(r.args);
      expect(r.command).toBe('redis-server');
      expect(b.command).toBe(process.execPath);
    }
  });

  it('the built-in server is launched with the node flags that have a code cache of their own', () => {
    // bin/server-flags.cjs: fixed semi-spaces; a flag set without its cache would compile the
    // server at every start, inside every recovery time measured
    const { SERVER_V8_FLAGS, cacheName } = createRequire(import.meta.url)('../../../bin/server-flags.cjs') as {
      SERVER_V8_FLAGS: string[];
      cacheName(execArgv: string[]): string | null;
    };
    const args = targets.builtin.launchSpec!({ port: 7000, dir: '/tmp/x', mode: 'rdb', savePoints: '1 1000', logFile: '/tmp/x.log' }).args;
    const nodeFlags = args.slice(0, args.findIndex((a) => a.endsWith('durabench')));
    expect(nodeFlags).toEqual(expect.arrayContaining(SERVER_V8_FLAGS));
    if (process.env.DURABENCH_SERVER_NODE_FLAGS === undefined) expect(cacheName(nodeFlags)).toBe('server.bundle.launch.cache');
  });

  it('the built-in server adds a snapshot strategy and encoder only when they are not its defaults', () => {
    const b = targets.builtin;
    expect(formatFlags(b.flagsFor('rdb', '1 1000'))).toBe('--save "1 1000" --appendonly no');
    expect(formatFlags(b.flagsFor('rdb', '1 1000', { snapshotStrategy: 'cow', snapshotEncoder: 'auto' }))).toBe('--save "1 1000" --appendonly no');
    expect(formatFlags(b.flagsFor('rdb', '1 1000', { snapshotStrategy: 'blocking', snapshotEncoder: 'thread' }))).toBe('--save "1 1000" --appendonly no --snapshot-strategy blocking --snapshot-encoder thread');
    const opts = { port: 7000, dir: '/tmp/x', mode: 'rdb' as const, savePoints: '1 1000', logFile: '/tmp/x.log', snapshotEncoder: 'main' as const };
    expect(b.launchSpec!(opts).args.slice(-2)).toEqual(['--snapshot-encoder', 'main']);
    expect(targets.redis.launchSpec!(opts).args).not.toContain('--snapshot-encoder');
  });
});
