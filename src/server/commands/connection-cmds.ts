import { VERSION } from '../version.js';
import * as R from '../resp/encoder.js';
import { cmd, type Command, type Ctx, SYNTAX } from './command.js';

/** Commands about the connection itself: PING, ECHO, HELLO, AUTH, QUIT, CLIENT (SELECT is in db-cmds). */

function helloReply(ctx: Ctx): string {
  const pairs: Array<[string, string]> = [
    ['server', R.bulk('redis')],
    ['version', R.bulk(VERSION)],
    ['proto', R.int(ctx.client.resp)],
    ['id', R.int(ctx.client.id)],
    ['mode', R.bulk('standalone')],
    ['role', R.bulk('master')],
    ['modules', R.EMPTY_ARRAY],
  ];
  return R.map(pairs, ctx.client.resp);
}

/** Checks a password for AUTH/HELLO; returns an error reply or null. */
function authenticate(ctx: Ctx, user: string | undefined, pass: string): string | null {
  const required = ctx.server.requirepass();
  if (user === undefined && required === '') {
    return R.error('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
  }
  if ((user !== undefined && user !== 'default') || pass !== required) {
    return R.error('WRONGPASS invalid username-password pair or user is disabled.');
  }
  ctx.client.authenticated = true;
  return null;
}

function hello(ctx: Ctx, argv: string[]): string {
  let proto = ctx.client.resp;
  let i = 1;
  if (argv.length > 1) {
    const v = Number(argv[1]);
    if (!/^\d+$/.test(argv[1]!)) return R.error('ERR Protocol version is not an integer or out of range');
    if (v !== 2 && v !== 3) return R.error('NOPROTO unsupported protocol version');
    proto = v;
    i = 2;
  }
  let name: string | undefined;
  for (; i < argv.length; i++) {
    const opt = argv[i]!.toLowerCase();
    if (opt === 'auth' && i + 2 < argv.length) {
      const err = authenticate(ctx, argv[i + 1], argv[i + 2]!);
      if (err) return err;
      i += 2;
    } else if (opt === 'setname' && i + 1 < argv.length) {
      name = argv[++i];
    } else {
      return R.error(`ERR Syntax error in HELLO option '${argv[i]}'`);
    }
  }
  if (!ctx.client.authenticated) return R.error('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
  if (name !== undefined) ctx.client.name = name;
  ctx.client.resp = proto;
  ctx.resp = proto;
  return helloReply(ctx);
}

function client(ctx: Ctx, argv: string[]): string {
  const sub = argv[1]!.toLowerCase();
  const c = ctx.client;
  switch (sub) {
    case 'setname':
      if (argv.length !== 3) return R.error(`ERR wrong number of arguments for 'client|setname' command`);
      if (/[\s]/.test(argv[2]!)) return R.error('ERR Client names cannot contain spaces, newlines or special characters.');
      c.name = argv[2]!;
      return R.OK;
    case 'getname':
      return c.name === '' ? R.nullBulk(ctx.resp) : R.bulk(c.name);
    case 'id':
      return R.int(c.id);
    case 'setinfo': {
      if (argv.length !== 4) return R.error(`ERR wrong number of arguments for 'client|setinfo' command`);
      const attr = argv[2]!.toLowerCase();
      if (attr === 'lib-name') c.libName = argv[3]!;
      else if (attr === 'lib-ver') c.libVer = argv[3]!;
      else return R.error(`ERR Unrecognized option '${argv[2]}'`);
      return R.OK;
    }
    case 'info':
      return R.bulk(`id=${c.id} name=${c.name} db=${c.db} resp=${c.resp} lib-name=${c.libName} lib-ver=${c.libVer}\n`);
    case 'list':
      return R.bulk(`id=${c.id} name=${c.name} db=${c.db} resp=${c.resp} lib-name=${c.libName} lib-ver=${c.libVer}\n`);
    case 'reply':
    case 'no-evict':
    case 'no-touch':
      return R.OK;
    default:
      return R.error(`ERR unknown subcommand '${argv[1]}'. Try CLIENT HELP.`);
  }
}

export const connectionCommands: Command[] = [
  cmd('ping', -1, ['fast'], [0, 0, 0], (ctx, argv) => {
    if (argv.length > 2) return R.error(`ERR wrong number of arguments for 'ping' command`);
    return argv.length === 2 ? R.bulk(argv[1]!) : R.PONG;
  }),
  cmd('echo', 2, ['fast'], [0, 0, 0], (_ctx, argv) => R.bulk(argv[1]!)),
  cmd('hello', -1, ['noauth', 'loading', 'fast'], [0, 0, 0], hello),
  cmd('auth', -2, ['noauth', 'loading', 'fast'], [0, 0, 0], (ctx, argv) => {
    if (argv.length > 3) return SYNTAX;
    const err = argv.length === 3 ? authenticate(ctx, argv[1], argv[2]!) : authenticate(ctx, undefined, argv[1]!);
    return err ?? R.OK;
  }),
  cmd('quit', -1, ['noauth', 'loading', 'fast'], [0, 0, 0], (ctx) => {
    ctx.client.closeAfterReply = true;
    return R.OK;
  }),
  cmd('client', -2, ['loading'], [0, 0, 0], client),
];
