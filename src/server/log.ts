import { appendFileSync } from 'node:fs';

/** Redis-style log lines: "pid:M 25 Nov 2026 11:30:00.123 * message". */
export type Level = 'debug' | 'verbose' | 'notice' | 'warning';
const RANK: Record<string, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const MARK: Record<Level, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export class Logger {
  constructor(
    private readonly level: () => string,
    private readonly file: string,
  ) {}

  log(level: Level, msg: string): void {
    if (RANK[level]! < (RANK[this.level()] ?? 2)) return;
    const d = new Date();
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    const ts = `${p(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
    const line = `${process.pid}:M ${ts} ${MARK[level]} ${msg}\n`;
    if (this.file === '') process.stdout.write(line);
    else appendFileSync(this.file, line);
  }

  notice(msg: string): void {
    this.log('notice', msg);
  }

  warning(msg: string): void {
    this.log('warning', msg);
  }
}
