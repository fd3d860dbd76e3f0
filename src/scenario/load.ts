/**
 * loadScenario: a path (or a preset's name: `quick` → scenarios/quick.json) → a validated
 * Scenario. Every failure is a ConfigError naming the file.
 */
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../shared/errors.js';
import type { Scenario } from '../shared/types.js';
import { resolveExternalTargets } from './external-target.js';
import { validateScenario } from './validate.js';

/** The presets directory: <repo>/scenarios (from src/scenario or dist/scenario). */
export const PRESETS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');

export const DEFAULT_SCENARIO_FILE = path.join(PRESETS_DIR, 'default.json');

async function exists(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

export async function listPresets(): Promise<string[]> {
  try {
    return (await fs.readdir(PRESETS_DIR)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  } catch {
    return [];
  }
}

/**
 * A scenario's "baseline": an absolute path as is; a relative one from the current directory
 * if it is there, else from the package root (the parent of scenarios/), so a preset's
 * "results/baseline/ci-gate.json" works from a clone and from an installed package alike.
 * undefined when no gate refers to `baseline`; a ConfigError naming the scenario when the
 * file is in neither place.
 */
export function resolveBaselinePath(scenario: { name: string; baseline?: string; gates: readonly string[] }, gates = scenario.gates): string | undefined {
  const p = scenario.baseline;
  if (p === undefined || !gates.some((g) => /\bbaseline\b/.test(g))) return undefined;
  if (path.isAbsolute(p)) return p;
  for (const base of [process.cwd(), path.dirname(PRESETS_DIR)]) {
    const candidate = path.resolve(base, p);
    if (fsSync.existsSync(candidate)) return candidate;
  }
  throw new ConfigError(`scenario '${scenario.name}' names baseline ${p}: not found here or in the package (pass --baseline FILE)`);
}

/** Finds the file: the path as given, else a preset of that name. */
export async function resolveScenarioPath(p: string): Promise<string> {
  if (await exists(p)) return p;
  if (!p.includes('/') && !p.includes(path.sep)) {
    const preset = path.join(PRESETS_DIR, p.endsWith('.json') ? p : `${p}.json`);
    if (await exists(preset)) return preset;
  }
  const presets = await listPresets();
  throw new ConfigError(`${p}: no such scenario file${presets.length ? ` (presets: ${presets.join(', ')})` : ''}`);
}

export async function loadScenario(p: string): Promise<Scenario> {
  const file = await resolveScenarioPath(p);
  const shown = path.relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${shown}: cannot read: ${(err as Error).message}`);
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${shown}: not valid JSON: ${(err as Error).message}`);
  }
  // external target files: from the current directory, else beside the scenario
  return resolveExternalTargets(validateScenario(obj, shown), [process.cwd(), path.dirname(file)], shown);
}
