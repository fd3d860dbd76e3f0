import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The machine a micro run measured, as the run result records it. */
export function microEnvironment(): { node: string; os: string; cpu: string; cores: number; memoryBytes: number } {
  const cpus = os.cpus();
  return {
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryBytes: os.totalmem(),
  };
}

/** durabench's version from package.json (two levels up from src/micro or dist/micro). */
export function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
