/** doctor's page-fault probe: a measurement in µs per page, and the line it makes of one. */
import { describe, expect, it } from 'vitest';
import { pageFaultCheck, pageFaultMicros, SLOW_FAULT_US } from '../../../src/cli/page-fault-probe.js';
import { renderChecks } from '../../../src/cli/doctor.js';

describe('page-fault probe', () => {
  it('measures a finite, positive cost per page (no threshold: machines differ)', () => {
    const us = pageFaultMicros(4, 1);
    expect(Number.isFinite(us)).toBe(true);
    expect(us).toBeGreaterThan(0);
  });

  it('passes a cheap fault and warns of a dear one, saying what it means', () => {
    expect(pageFaultCheck(0.4)).toEqual({ ok: true, detail: '0.40 µs per 4 KB page first touched', fix: '', miss: 'slow' });
    const slow = pageFaultCheck(10.2);
    expect(slow.ok).toBe(false);
    expect(slow.detail).toBe('10.20 µs per 4 KB page first touched');
    expect(slow.fix).toContain(`over ${SLOW_FAULT_US} µs`);
    expect(pageFaultCheck(SLOW_FAULT_US).ok).toBe(true);
  });

  it('doctor marks a slow measurement `slow`, not `absent`, and it does not block the run', () => {
    const out = renderChecks([{ what: 'page faults', required: false, ...pageFaultCheck(10.2) }]);
    expect(out).toMatch(/^slow {4}page faults {2}10\.20 µs per 4 KB page first touched {2}→ over 2 µs/);
    expect(out).toContain('The default run (built-in server) can run here.');
  });
});
