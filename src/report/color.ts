/**
 * Terminal colour, decided by the CLI and passed to renderers as a boolean so renderers
 * stay pure. Quiet by default: no colour in CI, when stdout is not a TTY, or with NO_COLOR.
 */
export function shouldColor(isTTY: boolean | undefined, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  if (env.CI === 'true' || env.CI === '1') return false;
  return isTTY === true;
}

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;

export type Paint = keyof typeof CODES;

export function paint(s: string, style: Paint | Paint[], on: boolean): string {
  if (!on) return s;
  const styles = Array.isArray(style) ? style : [style];
  let out = s;
  for (const st of styles) out = `\x1b[${CODES[st][0]}m${out}\x1b[${CODES[st][1]}m`;
  return out;
}
