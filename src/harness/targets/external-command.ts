/**
 * An external target's command templates → /bin/sh command lines. Every value is substituted
 * shell-quoted (a data dir with a space, `--save ""`'s empty argument), so a template never
 * needs quotes of its own around a placeholder. `{x:ssh}` is quoted twice: ssh joins its
 * arguments into one string that the remote shell parses again.
 */
import { PLACEHOLDER } from '../../shared/types.js';

export interface TemplateValues {
  port?: number;
  dir?: string;
  /** without the SIG prefix: KILL, TERM, STOP, CONT (what kill -s and docker kill -s take) */
  signal?: string;
  flags?: readonly string[];
}

/** One word for /bin/sh: as is when it is plainly safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function quoted(name: string, v: TemplateValues, twice: boolean): string {
  const words: string[] =
    name === 'flags' ? [...(v.flags ?? [])] : name === 'port' ? [String(v.port ?? '')] : [String(v[name as 'dir' | 'signal'] ?? '')];
  const once = words.map(shellQuote);
  return (twice ? once.map(shellQuote) : once).join(' ');
}

/** Substitutes every placeholder; one the caller gave no value for is an internal error. */
export function fillTemplate(template: string, v: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_, name: string, ssh: string | undefined) => {
    const given = name === 'flags' ? v.flags : v[name as 'port' | 'dir' | 'signal'];
    if (given === undefined) throw new Error(`internal: no value for {${name}}`);
    return quoted(name, v, Boolean(ssh));
  });
}

/** SIGKILL → KILL. */
export function signalName(sig: NodeJS.Signals): string {
  return sig.replace(/^SIG/, '');
}
