/**
 * loadScenario: a path (or a preset's name: `quick` → scenarios/quick.json) → a validated
 * Scenario. Every failure is a ConfigError naming the file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../shared/errors.js';
import type { Scenario } from '../shared/types.js';
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
  return validateScenario(obj, shown);
}
