import { VERSION } from '../server/version.js';
import fs from 'node:fs';
import { ConfigValueError, parseServerArgs } from '../server/config.js';
import { Server } from '../server/server.js';

const USAGE = `Usage: durabench server [/path/to/redis.conf] [--option value ...]

Takes redis-server's own options, e.g.
  durabench server --port 7000 --dir /tmp/db --save "60 1000" --appendonly yes --appendfsync always
Options: --port --bind --requirepass --dir --dbfilename --save --appendonly --appendfsync
  --appendfilename --appenddirname --aof-use-rdb-preamble --aof-load-truncated
  --auto-aof-rewrite-percentage --auto-aof-rewrite-min-size --stop-writes-on-bgsave-error
  --maxclients --proto-max-bulk-len --client-query-buffer-limit --client-output-buffer-limit
  --loglevel --logfile --hz; durabench's own: --snapshot-strategy cow|blocking,
  --snapshot-encoder auto|thread|main, --snapshot-warm-up yes|no
`;

/**
 * `durabench server`: redis-server's command line, its exit codes (1 on a bad option or an
 * unloadable dataset) and its signals (SIGTERM/SIGINT shut down as SHUTDOWN does).
 */
export async function runServerCli(args: string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  if (args.includes('--version') || args.includes('-v')) {
    process.stdout.write(`durabench server v=${VERSION} (Redis-compatible)\n`);
    return;
  }
  let server: Server;
  try {
    const config = parseServerArgs(args, (p) => fs.readFileSync(p, 'utf8'));
    const dir = config.get('dir');
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new ConfigValueError(`Can't chdir to '${dir}': No such file or directory`);
    }
    server = new Server(config);
  } catch (e) {
    return fatal(e instanceof Error ? e.message : String(e));
  }
  process.on('SIGTERM', () => server.signal('SIGTERM'));
  process.on('SIGINT', () => server.signal('SIGINT'));
  try {
    await server.start();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') {
      return fatal(`Could not create server TCP listening socket ${server.config.get('bind')}:${server.config.get('port')}: ${err.code}`);
    }
    // RdbError / AofError: Redis refuses to start with a clear message.
    return fatal(err.message);
  }
}

function fatal(msg: string): void {
  process.stderr.write(`durabench server: ${msg}\n`);
  process.exit(1);
}
