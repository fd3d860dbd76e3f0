/**
 * The live configuration (Config) and how redis-server's argv and a redis.conf file fill it;
 * option names, defaults and validation are in config-options.ts.
 */
import { ALIASES, canonicalName, ConfigValueError, type ConfigName, DEFS, isConfigName, normalize, parseMemory } from './config-options.js';

// The CLI catches what parseServerArgs throws.
export { ConfigValueError } from './config-options.js';

/** The live configuration: a name → normalized string map with typed getters. */
export class Config {
  private readonly values = new Map<string, string>();

  constructor() {
    for (const [name, def] of Object.entries(DEFS)) this.values.set(name, normalize(name, def.default));
  }

  get(name: ConfigName): string {
    return this.values.get(name)!;
  }

  num(name: ConfigName): number {
    return Number(this.values.get(name));
  }

  yes(name: ConfigName): boolean {
    return this.values.get(name) === 'yes';
  }

  /** Startup assignment (command line / file); an alias sets its option. */
  set(name: string, value: string): void {
    this.values.set(canonicalName(name) ?? name, normalize(name, value));
  }

  /** CONFIG SET: refuses immutable options, as Redis does. Returns the option set (an alias resolved). */
  setAtRuntime(name: string, value: string): string {
    const canonical = canonicalName(name);
    const def = canonical === undefined ? undefined : DEFS[canonical];
    if (!def) throw new ConfigValueError(`Unknown option or number of arguments for CONFIG SET - '${name}'`);
    if (!def.mutable) throw new ConfigValueError(`CONFIG SET failed (possibly related to argument '${name}') - can't set immutable config`);
    try {
      this.values.set(canonical!, normalize(name, value));
    } catch (e) {
      throw new ConfigValueError(`CONFIG SET failed (possibly related to argument '${name}') - ${(e as Error).message}`);
    }
    return canonical!;
  }

  /** CONFIG GET with a glob pattern over names, aliases included (as Redis 7.0 lists them). */
  matching(match: (name: string) => boolean): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const [k, v] of this.values) if (match(k)) out.push([k, v]);
    for (const [alias, k] of Object.entries(ALIASES)) if (match(alias)) out.push([alias, this.values.get(k)!]);
    return out;
  }

  /** Hard limit in bytes of a normal client's pending output (0 = none). */
  outputHardLimit(): number {
    const parts = this.get('client-output-buffer-limit').split(/\s+/);
    const i = parts.indexOf('normal');
    if (i < 0) return 64 * 1024 * 1024;
    return parseMemory(parts[i + 1] ?? '0') ?? 0;
  }
}

/**
 * Parses redis-server style arguments: an optional config file first, then `--name value...`
 * where a value runs until the next `--option` (so `--save 900 1 300 10` works, as in Redis).
 */
export function parseServerArgs(args: string[], readFile: (p: string) => string): Config {
  const config = new Config();
  let i = 0;
  if (args.length > 0 && !args[0]!.startsWith('--')) {
    applyConfigFile(config, readFile(args[0]!), args[0]!);
    i = 1;
  }
  while (i < args.length) {
    const a = args[i]!;
    if (!a.startsWith('--') || a.length === 2) throw new ConfigValueError(`unexpected argument '${a}': options look like --port 7000`);
    const name = a.slice(2).toLowerCase();
    const vals: string[] = [];
    i++;
    while (i < args.length && !(args[i]!.startsWith('--') && args[i]!.length > 2 && /^--[a-z]/i.test(args[i]!))) vals.push(args[i++]!);
    if (!isConfigName(name)) throw new ConfigValueError(`unknown option '--${name}'`);
    if (vals.length === 0 && name !== 'save' && name !== 'requirepass') {
      throw new ConfigValueError(`option '--${name}' needs a value`);
    }
    try {
      config.set(name, vals.join(' '));
    } catch (e) {
      throw new ConfigValueError(`bad value for '--${name}' ('${vals.join(' ')}'): ${(e as Error).message}`);
    }
  }
  return config;
}

function applyConfigFile(config: Config, text: string, file: string): void {
  text.split('\n').forEach((raw, n) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+)\s*(.*)$/.exec(line)!;
    const name = m[1]!.toLowerCase();
    const value = m[2]!.replace(/^"(.*)"$/, '$1');
    try {
      config.set(name, value);
    } catch (e) {
      throw new ConfigValueError(`${file}:${n + 1}: '${line}': ${(e as Error).message}`);
    }
  });
}
