import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../shared/errors.js';

/**
 * Writes text to a file (creating its directory) or to stdout for '-'. The file appears
 * whole or not at all: written beside it under a temp name, then renamed.
 */
export function writeOutput(file: string, text: string): void {
  if (file === '-') {
    process.stdout.write(text);
    return;
  }
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new UsageError(`cannot write ${file}: ${(e as Error).message}`);
  }
}
