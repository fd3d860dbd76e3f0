import { RespError, type Reply } from './resp-reader.js';

/**
 * A transaction sent as one operation gets n replies: +OK to MULTI, +QUEUED per command, then
 * EXEC's array. This folds them into the one reply the op ring expects. The op counts as
 * acknowledged only when EXEC answered an array free of errors; otherwise its reply is the
 * first error: a refused MULTI or queued command (-MISCONF, -LOADING), -EXECABORT, an EXEC
 * aborted by a watched key (null), or a command's own error inside the array. Every command
 * gets exactly one reply, so the count keeps replies and ops in step.
 */
export function foldReplies(n: number, onReply: (r: Reply) => void): (r: Reply) => void {
  let seen = 0;
  let firstError: RespError | null = null;
  return (r) => {
    if (++seen < n) {
      if (firstError === null && r instanceof RespError) firstError = r;
      return;
    }
    seen = 0;
    const e = firstError;
    firstError = null;
    if (e !== null) onReply(e);
    else if (r instanceof RespError) onReply(r);
    else if (!Array.isArray(r)) onReply(new RespError(r === null ? 'EXEC aborted (null reply)' : `EXEC answered ${typeof r}, not an array`));
    else {
      const inner = r.find((x) => x instanceof RespError);
      // the last command's reply stands for the op (the transaction workload's INCR value)
      onReply(inner ?? (r.length > 0 ? r[r.length - 1]! : null));
    }
  };
}
