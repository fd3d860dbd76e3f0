import { describe, expect, it } from 'vitest';
import { cmd, rewrite, type Ctx, type ServerApi } from '../../../src/server/commands/command.js';
import { commandTable, dispatch, type DispatchClient, type DispatchHost } from '../../../src/server/dispatch.js';
import { Keyspace } from '../../../src/server/keyspace.js';

function setup(opts: { loading?: boolean; refusal?: string | null; aofOn?: boolean; authenticated?: boolean } = {}) {
  const ks = new Keyspace();
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
  ];
  const client: DispatchClient = {
    id: 1, name: '', resp: 2, authenticated: opts.authenticated ?? true, libName: '', libVer: '',
    closeAfterReply: false, wroteThisTurn: false,
  };
  const ctx: Ctx = { ks, client, server: {} as ServerApi, resp: 2, rewritten: null };
  const host: DispatchHost = {
    table: commandTable(commands),
    ctx,
    loading: opts.loading ?? false,
    persistence: {
      aofOn: opts.aofOn ?? true,
      propagate: (argv) => void propagated.push([...argv]),
      writeRefusal: () => opts.refusal ?? null,
    },
  };
  return { host, client, ran, propagated, run: (...argv: string[]) => dispatch(host, client, argv) };
}

describe('dispatch', () => {
  it('answers an unknown command in Redis words, quoting up to 9 arguments', () => {
    const { run } = setup();
    expect(run('nope')).toBe("-ERR unknown command 'nope', with args beginning with: \r\n");
    expect(run('nope', 'a', 'b')).toBe("-ERR unknown command 'nope', with args beginning with: 'a' 'b' \r\n");
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
    expect(s.propagated).toEqual([['PEXPIREAT', 'k', '1'], ['DEL', 'j']]);
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
});
