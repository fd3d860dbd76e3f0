import fs from 'node:fs';
import { busySpans, type CpuProfile } from './busy-spans.js';
import { fail } from './lib.js';

/**
 * npm run profile:spans -- <file.cpuprofile> [top] [from-seconds] — prints the longest busy
 * spans of a CPU profile (busy-spans.ts). Profile the built-in server with
 * DURABENCH_SERVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=DIR" (written when it exits cleanly:
 * SHUTDOWN or SIGTERM, not SIGKILL; the benches stop a profiled server with SHUTDOWN NOSAVE);
 * `from` skips the preload.
 */
const [file, top = '8', from = '0'] = process.argv.slice(2);
if (!file) fail('profile:spans', 'usage: npm run profile:spans -- <file.cpuprofile> [top] [from-seconds]');
let profile: CpuProfile;
try {
  profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
} catch (e) {
  fail('profile:spans', `cannot read ${file} as a CPU profile: ${(e as Error).message}`);
}
for (const s of busySpans(profile, { top: Number(top), fromMs: Number(from) * 1000 })) {
  process.stdout.write(`${s.durationMs.toFixed(1)} ms busy at ${(s.atMs / 1000).toFixed(3)} s, ${s.samples} samples\n`);
  process.stdout.write(`  self: ${s.self.slice(0, 6).map(([n, c]) => `${n} ×${c}`).join(' | ')}\n`);
  process.stdout.write(`  incl: ${s.inclusive.slice(0, 10).map(([n, c]) => `${n} ×${c}`).join(' | ')}\n`);
}
