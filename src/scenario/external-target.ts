/**
 * External target files: `--target external:<file>` (or `"targets": ["external:<file>"]` in a
 * scenario) → a validated ExternalTargetSpec, or a ConfigError of one line naming the file,
 * the field and what is wrong. Unknown fields and unknown {placeholders} are rejected, so a
 * typo fails before anything starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../shared/errors.js';
import { EXTERNAL_NAME, EXTERNAL_PREFIX, EXTERNAL_SIGNALS, PLACEHOLDER, type ExternalSignal, type ExternalTargetSpec, type Scenario, type TargetKind } from '../shared/types.js';
import { suggest } from '../shared/suggest.js';

function showValue(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Which placeholders each command may use ({x:ssh} is {x} quoted twice, for a remote shell). */
export const PLACEHOLDERS = {
  start: ['port', 'dir', 'flags'],
  ready: ['port', 'dir'],
  kill: ['port', 'dir', 'signal'],
  pause: ['port', 'dir'],
  resume: ['port', 'dir'],
  reset: ['dir'],
  dataDir: ['dir'],
} as const satisfies Partial<Record<keyof ExternalTargetSpec, readonly string[]>>;

type CommandField = keyof typeof PLACEHOLDERS;
const REQUIRED: readonly CommandField[] = ['start', 'kill'];
const FIELDS = ['name', 'description', 'host', 'port', 'foreground', 'signals', 'startTimeoutMs', ...Object.keys(PLACEHOLDERS)] as const;


function templateProblem(field: CommandField, v: unknown): string | null {
  if (typeof v !== 'string' || v.trim() === '') return 'must be a non-empty shell command (a string)';
  if (/[\n\r\0]/.test(v)) return 'must be one line';
  const allowed: readonly string[] = PLACEHOLDERS[field];
  for (const m of v.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    if (!allowed.includes(name)) return `uses {${name}}, which ${field} cannot use (it may use ${allowed.map((a) => `{${a}}`).join(', ')})`;
  }
  return null;
}

export function validateExternalTarget(obj: unknown, file: string): ExternalTargetSpec {
  const fail = (msg: string): never => {
    throw new ConfigError(`${file}: ${msg}`);
  };
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return fail(`an external target must be a JSON object, got ${showValue(obj)}`);
  const o = obj as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!(FIELDS as readonly string[]).includes(k)) {
      const hint = suggest(k, FIELDS);
      fail(`unknown field "${k}"${hint ? ` (did you mean "${hint}"?)` : ''}; known fields: ${FIELDS.join(', ')}`);
    }
  }
  const field = (k: string, problem: string | null): void => {
    if (problem) fail(`field "${k}" ${problem} (got ${showValue(o[k])})`);
  };
  field('name', typeof o.name === 'string' && EXTERNAL_NAME.test(o.name) ? null : 'must be 1–40 letters, digits, "_" or "-" (it names the target: external:<name>)');
  for (const k of REQUIRED) if (!(k in o)) fail(`field "${k}" is missing: the shell command that ${k === 'start' ? 'starts the server' : 'sends it {signal}'}`);
  for (const k of Object.keys(PLACEHOLDERS) as CommandField[]) if (k in o) field(k, templateProblem(k, o[k]));
  if ('description' in o) field('description', typeof o.description === 'string' ? null : 'must be a string');
  if ('host' in o) field('host', typeof o.host === 'string' && /^[A-Za-z0-9.:_[\]-]+$/.test(o.host) ? null : 'must be a host name or address');
  if ('port' in o) {
    const p = o.port;
    field('port', p === '{port}' || (typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535) ? null : 'must be a port (1–65535) or "{port}" (a free port per start)');
  }
  if ('signals' in o) {
    const v = o.signals;
    const ok = Array.isArray(v) && v.length > 0 && v.every((x) => (EXTERNAL_SIGNALS as readonly unknown[]).includes(x)) && v.includes('KILL');
    field('signals', ok ? null : `must list the signals kill can send, KILL among them (of ${EXTERNAL_SIGNALS.join(', ')})`);
  }
  if ('foreground' in o) field('foreground', typeof o.foreground === 'boolean' ? null : 'must be true or false');
  if ('startTimeoutMs' in o) {
    const t = o.startTimeoutMs;
    field('startTimeoutMs', typeof t === 'number' && Number.isInteger(t) && t >= 100 && t <= 3_600_000 ? null : 'must be an integer from 100 to 3600000');
  }
  if ((o.pause === undefined) !== (o.resume === undefined)) fail('give "pause" and "resume" together, or neither (then kill sends STOP and CONT)');
  if (o.port !== undefined && o.port !== '{port}' && typeof o.start === 'string' && /\{port(:ssh)?\}/.test(o.start)) {
    fail(`field "start" uses {port} but "port" is fixed at ${o.port}: use "port": "{port}", or write the port in the command`);
  }
  const spec: ExternalTargetSpec = {
    name: o.name as string,
    description: (o.description as string | undefined) ?? '',
    host: (o.host as string | undefined) ?? '127.0.0.1',
    port: (o.port as number | '{port}' | undefined) ?? '{port}',
    start: o.start as string,
    foreground: (o.foreground as boolean | undefined) ?? true,
    kill: o.kill as string,
  };
  for (const k of ['pause', 'resume', 'ready', 'reset', 'dataDir'] as const) if (typeof o[k] === 'string') spec[k] = o[k];
  if (typeof o.startTimeoutMs === 'number') spec.startTimeoutMs = o.startTimeoutMs;
  if (Array.isArray(o.signals)) spec.signals = [...new Set(o.signals as ExternalSignal[])];
  return spec;
}

/** Reads and validates an external target file; errors name the file as the user gave it. */
export function loadExternalTarget(file: string, shown = file): ExternalTargetSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError(`${shown}: ${e.code === 'ENOENT' ? 'no such external target file' : `cannot read: ${e.message}`}`);
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${shown}: not valid JSON: ${(err as Error).message}`);
  }
  return validateExternalTarget(obj, shown);
}

/**
 * Turns every `external:<file>` of a scenario's targets into `external:<name>` with the file's
 * contents in `externalTargets`. `external:<name>` already there stays. A relative file is
 * looked up in each of `baseDirs` in turn (the current directory, then the scenario's).
 */
export function resolveExternalTargets(s: Scenario, baseDirs: readonly string[], where: string): Scenario {
  const known: Record<string, ExternalTargetSpec> = { ...(s.externalTargets ?? {}) };
  const resolve = (list: readonly TargetKind[]): TargetKind[] =>
    list.map((t) => {
      if (!t.startsWith(EXTERNAL_PREFIX)) return t;
      const ref = t.slice(EXTERNAL_PREFIX.length);
      if (known[ref] && !/[/.]/.test(ref)) return t;
      const candidates = path.isAbsolute(ref) ? [ref] : baseDirs.map((d) => path.resolve(d, ref));
      const file = candidates.find((c) => fs.existsSync(c));
      if (!file) {
        throw new ConfigError(`${where}: target ${t}: no such external target file${ref.endsWith('.json') ? '' : ` (and no external target named "${ref}" in the scenario)`}`);
      }
      const spec = loadExternalTarget(file, path.relative(process.cwd(), file) || file);
      const prior = known[spec.name];
      if (prior && JSON.stringify(prior) !== JSON.stringify(spec)) {
        throw new ConfigError(`${where}: two different external targets are named "${spec.name}": rename one (its "name" field)`);
      }
      known[spec.name] = spec;
      return `${EXTERNAL_PREFIX}${spec.name}` as TargetKind;
    });
  const targets = resolve(s.targets);
  if (new Set(targets).size !== targets.length) throw new ConfigError(`${where}: the targets name the same external target twice`);
  const out: Scenario = { ...s, targets, targetsIfPresent: resolve(s.targetsIfPresent) };
  // keep only the specs a target uses: the result records what ran
  const used = Object.fromEntries(Object.entries(known).filter(([n]) => [...targets, ...out.targetsIfPresent].includes(`${EXTERNAL_PREFIX}${n}`)));
  if (Object.keys(used).length > 0) out.externalTargets = used;
  else delete out.externalTargets;
  return out;
}
