/**
 * INFO commandstats and errorstats, as Redis 7.0 counts them: a command's calls and time in
 * call(); rejected_calls when processCommand refused it (arity, NOAUTH, MISCONF, LOADING,
 * no-multi...), failed_calls when it ran and answered an error; every error reply counted
 * under its code (the first word: ERR, WRONGTYPE, EXECABORT...) and in total_error_replies,
 * unknown commands included. The per-command record hangs on the dispatch table's entry, so
 * counting costs no lookup.
 *
 * Time is sampled: every SAMPLE-th call of a command is timed (the first one included), and
 * usec is the sampled mean × calls. Two clock reads cost more than a GET or SET itself
 * (~85 ns of ~50 ns per dispatch, measured in process), and the mean is what usec_per_call
 * reports anyway.
 */
export const SAMPLE = 8;

export class CommandStat {
  calls = 0;
  /** calls timed, and their µs (fractional: most commands take less than one) */
  sampled = 0;
  sampledUsec = 0;
  rejected = 0;
  failed = 0;

  /** Whether the next call is one to time. */
  get timeNext(): boolean {
    return this.calls % SAMPLE === 0;
  }

  /** Estimated µs over all calls. */
  get usec(): number {
    return this.sampled === 0 ? 0 : (this.sampledUsec / this.sampled) * this.calls;
  }

  reset(): void {
    this.calls = 0;
    this.sampled = 0;
    this.sampledUsec = 0;
    this.rejected = 0;
    this.failed = 0;
  }
}

export class ErrorStats {
  total = 0;
  private readonly byCode = new Map<string, number>();

  /** An error reply (`-CODE message\r\n`): counted under CODE, or ERR without one (afterErrorReply). */
  count(reply: string): void {
    this.total++;
    const space = reply.indexOf(' ');
    const code = space > 1 && space < 32 ? reply.slice(1, space) : 'ERR';
    this.byCode.set(code, (this.byCode.get(code) ?? 0) + 1);
  }

  /** `errorstat_<CODE>: count=<n>` fields, codes in order (Redis keeps them in a radix tree). */
  fields(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const code of [...this.byCode.keys()].sort()) out[`errorstat_${code}`] = `count=${this.byCode.get(code)}`;
    return out;
  }

  reset(): void {
    this.total = 0;
    this.byCode.clear();
  }
}

/** `cmdstat_<name>` fields for the commands that were called, rejected or failed. */
export function commandStatFields(commands: Iterable<readonly [name: string, stat: CommandStat]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, s] of commands) {
    if (s.calls === 0 && s.rejected === 0 && s.failed === 0) continue;
    const perCall = s.calls === 0 ? 0 : s.usec / s.calls;
    out[`cmdstat_${name}`] = `calls=${s.calls},usec=${Math.round(s.usec)},usec_per_call=${perCall.toFixed(2)},rejected_calls=${s.rejected},failed_calls=${s.failed}`;
  }
  return out;
}
