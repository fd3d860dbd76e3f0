import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { setAutogroupNice } from '../../../src/bench/autogroup.js';

const autogroups = (() => {
  try {
    return fs.readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'latin1').trim() === '1';
  } catch {
    return false;
  }
})();

describe.runIf(autogroups)('setAutogroupNice (needs sched autogroups on)', () => {
  it("sets a session's nice value as the kernel reads it back, and refuses what it cannot set", () => {
    // a session of its own, as the harness starts servers: its autogroup is its own
    const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    try {
      expect(setAutogroupNice(child.pid!, 7)).toMatch(/^\/autogroup-\d+ nice 7$/);
      expect(fs.readFileSync(`/proc/${child.pid}/autogroup`, 'latin1')).toContain('nice 7');
      expect(() => setAutogroupNice(child.pid!, 20)).toThrow(/-20 to 19, not 20/);
      expect(() => setAutogroupNice(child.pid!, 1.5)).toThrow(/whole number/);
      expect(() => setAutogroupNice(2 ** 22 + 17, 5)).toThrow(/cannot set process \d+'s autogroup/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
