/**
 * Persistence mode → server flags, the same for both targets (the built-in server takes
 * redis-server's option names). Returned as argv elements: `--save ""` is ['--save', ''].
 */
import type { Mode } from '../../shared/types.js';

export function flagsFor(mode: Mode, savePoints: string): string[] {
  switch (mode) {
    case 'none':
      return ['--save', '', '--appendonly', 'no'];
    case 'rdb':
      return ['--save', savePoints, '--appendonly', 'no'];
    case 'aof-always':
      return ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always'];
    case 'aof-everysec':
      return ['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'];
    case 'aof-no':
      return ['--save', '', '--appendonly', 'yes', '--appendfsync', 'no'];
    case 'rdb+aof':
      return ['--save', savePoints, '--appendonly', 'yes', '--appendfsync', 'everysec', '--aof-use-rdb-preamble', 'yes'];
  }
}

/** Does this mode take RDB snapshots on its own (save points)? */
export function hasSavePoints(mode: Mode): boolean {
  return mode === 'rdb' || mode === 'rdb+aof';
}

export function hasAof(mode: Mode): boolean {
  return mode.startsWith('aof') || mode === 'rdb+aof';
}

/** Shows argv the way a shell user would type it: `--save ""`. */
export function formatFlags(flags: readonly string[]): string {
  return flags.map((f) => (f === '' ? '""' : /\s/.test(f) ? `"${f}"` : f)).join(' ');
}

/** Files the harness names explicitly, so disk usage knows where to look. */
export const DATA_FILES = { dbfilename: 'dump.rdb', appenddirname: 'appendonlydir', appendfilename: 'appendonly.aof' } as const;

/** Flags common to every launch: where to listen and where the data lives. */
export function baseFlags(port: number, dir: string): string[] {
  return [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--dbfilename', DATA_FILES.dbfilename,
    '--appenddirname', DATA_FILES.appenddirname,
    '--appendfilename', DATA_FILES.appendfilename,
    '--daemonize', 'no',
    '--logfile', '',
    '--protected-mode', 'no',
  ];
}
