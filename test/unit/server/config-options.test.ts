import { afterEach, describe, expect, it } from 'vitest';
import { adminCommands } from '../../../src/server/commands/admin-cmds.js';
import type { Ctx } from '../../../src/server/commands/command.js';
import { normalize } from '../../../src/server/config-options.js';
import { parseServerArgs } from '../../../src/server/config.js';
import { DEFAULT_LIMITS, LIMITS, setEncodingLimits } from '../../../src/server/encoding.js';
import { Server } from '../../../src/server/server.js';
import { decode } from './commands/harness.js';

afterEach(() => setEncodingLimits(DEFAULT_LIMITS));

const noFile = (): string => {
  throw new Error('no config file in this test');
};

/** CONFIG ... through the command's handler, on a server that is never started. */
function configCommand(server: Server): (...argv: string[]) => unknown {
  const handler = adminCommands.find((c) => c.name === 'config')!.handler;
  const ctx = { server, resp: 2 } as unknown as Ctx;
  return (...argv) => decode(handler(ctx, ['CONFIG', ...argv]));
}

/** The message normalize throws, or null when the value is taken. */
function refusal(name: string, value: string): string | null {
  try {
    normalize(name, value);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('encoding knobs as redis-server 7.0 takes them', () => {
  it('ranges and parsing with Redis’s wording', () => {
    expect(refusal('hash-max-listpack-entries', '9223372036854775807')).toBeNull();
    expect(refusal('hash-max-listpack-entries', '9223372036854775808')).toBe(`argument couldn't be parsed into an integer`);
    for (const bad of ['007', '+5', '1k', '-0', ' 1', '0x10']) expect(refusal('hash-max-listpack-entries', bad), bad).toBe(`argument couldn't be parsed into an integer`);
    expect(refusal('set-max-intset-entries', '-1')).toBe('argument must be between 0 and 9223372036854775807 inclusive');
    expect(refusal('list-max-listpack-size', '-2147483649')).toBe('argument must be between -2147483648 and 2147483647 inclusive');
    expect(refusal('list-compress-depth', '-1')).toBe('argument must be between 0 and 2147483647 inclusive');
    expect(refusal('hash-max-listpack-value', '-1')).toBe('argument must be a memory value');
    expect(refusal('hash-max-listpack-value', '10000000000gb')).toBe('argument must be between 0 and 9223372036854775807 inclusive');
    expect(normalize('hash-max-listpack-value', '1K')).toBe('1000');
    expect(normalize('zset-max-ziplist-value', '1kb')).toBe('1024');
  });

  it('command line, config file and aliases reach the live limits', () => {
    const file = 'hash-max-ziplist-entries 7\nzset-max-listpack-value 1k\n';
    const config = parseServerArgs(['redis.conf', '--list-max-ziplist-size', '-3', '--list-compress-depth', '2', '--set-max-intset-entries', '9'], () => file);
    expect(config.get('hash-max-listpack-entries')).toBe('7');
    new Server(config);
    expect(LIMITS).toMatchObject({ hashMaxListpackEntries: 7, zsetMaxListpackValue: 1000, listMaxListpackSize: -3, listCompressDepth: 2, setMaxIntsetEntries: 9 });
    expect(() => parseServerArgs(['--hash-max-listpack-entries', 'x'], noFile)).toThrow(/bad value for '--hash-max-listpack-entries'/);
  });

  it('CONFIG SET by name or alias; CONFIG GET lists aliases, answers an exact name as typed', () => {
    const server = new Server(parseServerArgs([], noFile));
    const config = configCommand(server);
    expect(config('SET', 'hash-max-ziplist-entries', '5')).toBe('OK');
    expect(LIMITS.hashMaxListpackEntries).toBe(5);
    expect(config('GET', 'hash-max-*-entries')).toEqual(['hash-max-listpack-entries', '5', 'hash-max-ziplist-entries', '5']);
    expect(config('GET', 'HASH-MAX-ZIPLIST-ENTRIES', 'hash-max-ziplist-entries')).toEqual(['HASH-MAX-ZIPLIST-ENTRIES', '5']);
    expect(config('GET', '*')).toEqual(expect.arrayContaining(['list-max-ziplist-size', '-2', 'list-compress-depth', '0', 'stream-node-max-bytes', '4096']));
    expect(config('SET', 'list-compress-depth', '-1')).toEqual({
      err: `ERR CONFIG SET failed (possibly related to argument 'list-compress-depth') - argument must be between 0 and 2147483647 inclusive`,
    });
    expect(config('SET', 'zset-max-ziplist-value', 'x')).toEqual({
      err: `ERR CONFIG SET failed (possibly related to argument 'zset-max-ziplist-value') - argument must be a memory value`,
    });
  });
});
