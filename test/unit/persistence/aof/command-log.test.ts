/**
 * CommandLog writes the bytes encodeCommand's string would have held, for any latin1
 * arguments (binary values, empty strings, values that make it grow), turn after turn.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandLog } from '../../../../src/server/persistence/aof/command-log.js';
import { encodeCommand } from '../../../../src/server/resp/encoder.js';

const latin1 = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 300 });

describe('CommandLog', () => {
  it('holds exactly the RESP encodeCommand gives, across turns', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.array(latin1, { minLength: 1, maxLength: 6 }), { maxLength: 20 }), { maxLength: 5 }), (turns) => {
        const log = new CommandLog();
        for (const cmds of turns) {
          for (const argv of cmds) log.append(argv);
          expect(log.bytes().toString('latin1')).toBe(cmds.map(encodeCommand).join(''));
          expect(log.length).toBe(log.bytes().length);
          log.clear();
          expect(log.length).toBe(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('grows for a big turn, keeps what it had, and shrinks back after', () => {
    const log = new CommandLog();
    const big = 'x'.repeat(700_000);
    log.append(['SET', 'a', 'b']);
    log.append(['SET', 'k', big]);
    log.append(['SET', 'k2', big]);
    const text = log.bytes().toString('latin1');
    expect(text.startsWith('*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n')).toBe(true);
    expect(text.length).toBe(encodeCommand(['SET', 'a', 'b']).length + encodeCommand(['SET', 'k', big]).length + encodeCommand(['SET', 'k2', big]).length);
    log.clear();
    log.append(['PING']);
    expect(log.bytes().toString('latin1')).toBe('*1\r\n$4\r\nPING\r\n');
  });
});
