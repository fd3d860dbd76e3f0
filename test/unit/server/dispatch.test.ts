import { describe, expect, it } from 'vitest';
import { cmd, rewrite, type Ctx, type ServerApi } from '../../../src/server/commands/command.js';
import { ErrorStats } from '../../../src/server/command-stats.js';
import { commandTable, dispatch, type DispatchClient, type DispatchHost } from '../../../src/server/dispatch.js';
import { Databases } from '../../../src/server/databases.js';
import { transactionCommands } from '../../../src/server/commands/transactions.js';

const HALF = 'x'.repeat(2 ** 28);

function setup(opts: { loading?: boolean; refusal?: string | null; aofOn?: boolean; authenticated?: boolean } = {}) {
  let refusal = opts.refusal ?? null;
  const dbs = new Databases(16);
  const ks = dbs.get(0);
  const ran: string[] = [];
  const propagated: string[][] = [];
  const commands = [
    cmd('get', 2, ['readonly', 'fast'], [1, 1, 1], (_c, a) => (ran.push(a[0]!), '$-1\r\n')),
    cmd('touchw', -2, ['write'], [1, 1, 1], (c, a) => (ran.push(a[0]!), a[1] === 'change' && c.ks.dirty++, '+OK\r\n')),
    cmd('expw', 3, ['write'], [1, 1, 1], (c, a) => {
      c.ks.dirty++;
      rewrite(c, ['PEXPIREAT', a[1]!, '1']);
      rewrite(c, ['DEL', a[2]!]);
      return ':1\r\n';
    }),
    cmd('auth', -2, ['noauth', 'loading'], [0, 0, 0], () => '+OK\r\n'),
    cmd('ping', -1, ['loading'], [0, 0, 0], (c) => (c.resp === 3 ? '+PONG3\r\n' : '+PONG\r\n')),
    cmd('save', 1, ['admin', 'no_multi'], [0, 0, 0], () => '+OK\r\n'),
    // a write that changes the dataset, then hits an engine limit building its reply
    cmd('hugew', 2, ['write'], [1, 1, 1], (c) => {
      c.ks.dirty++;
      return 'x'.repeat(2 ** 30);
    }),
    // a reply of 2^28 chars: two of them are over V8's string limit (made once, a rope)
    cmd('halfw', 2, ['write'], [1, 1, 1], (c) => (c.ks.dirty++, HALF)),
    cmd('echoerr', 2, [], [0, 0, 0], (_c, a) => `-ERR no such thing '${a[1]}'\r\n`),
    cmd('bugw', 2, ['write'], [1, 1, 1], () => {
      throw new TypeError('a bug');
    }),
    ...transactionCommands,
  ];
  const client: DispatchClient = {
    id: 1, name: '', resp: 2, db: 0, authenticated: opts.authenticated ?? true, libName: '', libVer: '',
    closeAfterReply: false, wroteThisTurn: false,
  };
  const ctx: Ctx = { ks, dbs, client, server: {} as ServerApi, resp: 2, rewritten: null };
  const host: DispatchHost = {
    table: commandTable(commands),
    ctx,
    errorStats: new ErrorStats(),
    loading: opts.loading ?? false,
    persistence: {
      aofOn: opts.aofOn ?? true,
      propagate: (argv) => void propagated.push([...argv]),
      writeRefusal: () => refusal,
    },
  };
  const refuse = (r: string | null) => void (refusal = r);
  return { host, client, ran, propagated, refuse, run: (...argv: string[]) => dispatch(host, client, argv) };
}

describe('dispatch', () => {
  it("answers an engine limit (RangeError) as the client's error, and propagates what changed", () => {
    const { run, propagated } = setup();
    expect(run('hugew', 'k')).toBe('-ERR Invalid string length: more than the built-in server can build for one command\r\n');
    expect(propagated).toEqual([['hugew', 'k']]);
    expect(run('get', 'k')).toBe('$-1\r\n'); // and the server goes on
    // a bug is not a limit: it is not hidden
    expect(() => run('bugw', 'k')).toThrow(TypeError);
  });

  it('answers an unknown command in Redis words, quoting up to 9 arguments', () => {
    const { run } = setup();
    expect(run('nope')).toBe("-ERR unknown command 'nope', with args beginning with: \r\n");
    expect(run('nope', 'a', 'b')).toBe("-ERR unknown command 'nope', with args beginning with: 'a' 'b' \r\n");
  });

  it("keeps an error on one line: the client's CR and LF become spaces, as addReplyErrorFormat does", () => {
    const { run } = setup();
    expect(run('echoerr', 'g\r\n+OK')).toBe("-ERR no such thing 'g  +OK'\r\n");
    expect(run('nope\r\n+OK', 'a\nb')).toBe("-ERR unknown command 'nope  +OK', with args beginning with: 'a b' \r\n");
    expect(run('echoerr', 'plain')).toBe("-ERR no such thing 'plain'\r\n");
  });

  it('looks names up in any case', () => {
    const { run, ran } = setup();
    expect(run('GeT', 'k')).toBe('$-1\r\n');
    expect(run('GET', 'k')).toBe('$-1\r\n');
    expect(ran).toEqual(['GeT', 'GET']);
  });

  it('checks arity: exact for positive, at least for negative', () => {
    const { run, ran } = setup();
    expect(run('get')).toBe("-ERR wrong number of arguments for 'get' command\r\n");
    expect(run('GET', 'a', 'b')).toBe("-ERR wrong number of arguments for 'get' command\r\n");
    expect(run('touchw')).toBe("-ERR wrong number of arguments for 'touchw' command\r\n");
    expect(run('touchw', 'a', 'b', 'c')).toBe('+OK\r\n');
    expect(ran).toEqual(['touchw']);
  });

  it('checks in order: arity, then auth, then loading, then the write refusal', () => {
    const all = { loading: true, refusal: '-MISCONF nope\r\n', authenticated: false };
    expect(setup(all).run('get')).toMatch(/wrong number/);
    expect(setup(all).run('touchw', 'change')).toBe('-NOAUTH Authentication required.\r\n');
    expect(setup(all).run('auth', 'pw')).toBe('+OK\r\n'); // noauth + loading
    expect(setup({ ...all, authenticated: true }).run('touchw', 'change')).toBe('-LOADING Redis is loading the dataset in memory\r\n');
    expect(setup({ ...all, authenticated: true }).run('ping')).toBe('+PONG\r\n');
    const s = setup({ refusal: '-MISCONF nope\r\n' });
    expect(s.run('touchw', 'change')).toBe('-MISCONF nope\r\n');
    expect(s.run('get', 'k')).toBe('$-1\r\n'); // reads are not refused
    expect(s.ran).toEqual(['get']);
  });

  it('propagates a write only when it changed the dataset, and marks the client', () => {
    const s = setup();
    s.run('touchw', 'same');
    expect(s.propagated).toEqual([]);
    expect(s.client.wroteThisTurn).toBe(false);
    s.run('touchw', 'change');
    expect(s.propagated).toEqual([['touchw', 'change']]);
    expect(s.client.wroteThisTurn).toBe(true);
  });

  it('propagates the rewritten forms instead of argv, and nothing without an AOF', () => {
    const s = setup();
    s.run('expw', 'k', 'j');
    // Several propagated commands are one unit, as Redis 7.0's propagatePendingCommands makes them.
    expect(s.propagated).toEqual([['MULTI'], ['PEXPIREAT', 'k', '1'], ['DEL', 'j'], ['EXEC']]);
    s.run('touchw', 'change'); // the rewrite slot is reset per command
    expect(s.propagated.at(-1)).toEqual(['touchw', 'change']);
    const off = setup({ aofOn: false });
    off.run('touchw', 'change');
    expect(off.propagated).toEqual([]);
    expect(off.client.wroteThisTurn).toBe(false);
  });

  it("hands the handler the client's protocol", () => {
    const s = setup();
    s.client.resp = 3;
    expect(s.run('ping')).toBe('+PONG3\r\n');
  });

  describe('between MULTI and EXEC', () => {
    it('runs and propagates every queued command when their replies together overflow a string', () => {
      const s = setup();
      s.run('multi');
      for (const k of ['a', 'b', 'c']) s.run('halfw', k);
      expect(s.run('exec')).toMatch(/^-ERR EXEC ran every queued command, but their replies together are more than/);
      expect(s.propagated).toEqual([['MULTI'], ['halfw', 'a'], ['halfw', 'b'], ['halfw', 'c'], ['EXEC']]);
      expect(s.run('get', 'k')).toBe('$-1\r\n');
    });

    it('a refused command (no_multi, MISCONF, NOAUTH) dooms the transaction', () => {
      const s = setup();
      s.run('multi');
      expect(s.run('save')).toBe('-ERR Command not allowed inside a transaction\r\n');
      expect(s.run('touchw', 'change')).toBe('+QUEUED\r\n');
      expect(s.run('exec')).toBe('-EXECABORT Transaction discarded because of previous errors.\r\n');
      expect(s.ran).toEqual([]);
      const m = setup();
      m.run('multi');
      m.refuse('-MISCONF nope\r\n');
      expect(m.run('touchw', 'change')).toBe('-MISCONF nope\r\n');
      m.refuse(null);
      expect(m.run('exec')).toMatch(/^-EXECABORT Transaction discarded because of previous/);
    });

    it('EXEC carries its queued commands\' flags: refused as a write, or while loading', () => {
      const s = setup();
      s.run('multi');
      s.run('touchw', 'change');
      s.refuse('-MISCONF Errors writing to the AOF file: No space left on device\r\n');
      expect(s.run('exec')).toBe('-EXECABORT Transaction discarded because of: MISCONF Errors writing to the AOF file: No space left on device\r\n');
      expect(s.ran).toEqual([]);
      expect(s.run('exec')).toBe('-ERR EXEC without MULTI\r\n'); // discarded
      s.refuse(null);
      s.run('multi');
      s.run('get', 'k');
      s.refuse('-MISCONF nope\r\n');
      expect(s.run('exec')).toBe('*1\r\n$-1\r\n'); // only reads queued: not a write
      const l = setup();
      l.run('multi');
      l.run('get', 'k');
      (l.host as { loading: boolean }).loading = true;
      expect(l.run('exec')).toBe('-EXECABORT Transaction discarded because of: LOADING Redis is loading the dataset in memory\r\n');
    });

    it('propagates the queue as one unit: MULTI … EXEC around several writes', () => {
      const s = setup();
      s.run('multi');
      s.run('touchw', 'change');
      s.run('expw', 'k', 'j');
      s.run('touchw', 'same');
      expect(s.propagated).toEqual([]);
      expect(s.run('exec')).toBe('*3\r\n+OK\r\n:1\r\n+OK\r\n');
      expect(s.propagated).toEqual([['MULTI'], ['touchw', 'change'], ['PEXPIREAT', 'k', '1'], ['DEL', 'j'], ['EXEC']]);
      expect(s.client.wroteThisTurn).toBe(true);
    });
  });
});
