/**
 * A progress writer's two outputs: a status that rewrites one terminal line in place (only
 * when `live`, i.e. on a TTY), and whole lines that clear that status first. Shared by the
 * run and sweep progress renderers.
 */
export function statusLine(out: NodeJS.WriteStream, live: boolean): { status(s: string): void; line(s: string): void } {
  let shown = false;
  return {
    status(s: string): void {
      if (!live) return;
      const cols = Math.max(20, (out.columns || 100) - 1);
      out.write(`\r${s.length > cols ? `${s.slice(0, cols - 1)}…` : s}\x1b[K`);
      shown = true;
    },
    line(s: string): void {
      if (shown) out.write('\r\x1b[K');
      shown = false;
      out.write(`${s}\n`);
    },
  };
}
