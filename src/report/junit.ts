import type { GateOutcome } from './gate-eval.js';
import { byGate, fmtGateNum } from './gate-table.js';

/**
 * JUnit XML for CI test reporters: one <testsuite> named `name`, one <testcase> per gate
 * (a gate on `*` is one testcase; it fails when any of its checks fails, and the failure
 * lists every check). All text is XML-escaped; characters XML 1.0 forbids are dropped.
 */
export function renderJunit(outcomes: readonly GateOutcome[], name: string, timestamp?: string): string {
  const gates = byGate(outcomes);
  const failures = [...gates.values()].filter((cs) => cs.some((c) => !c.pass)).length;
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites name="${attr(name)}" tests="${gates.size}" failures="${failures}" errors="0">`);
  lines.push(
    `  <testsuite name="${attr(name)}" tests="${gates.size}" failures="${failures}" errors="0" skipped="0"` +
      `${timestamp ? ` timestamp="${attr(junitTimestamp(timestamp))}"` : ''}>`,
  );
  for (const [gate, checks] of gates) {
    const failed = checks.filter((c) => !c.pass);
    lines.push(`    <testcase classname="durabench.gates" name="${attr(gate)}" time="0">`);
    const detail = checks.map(describe).join('\n');
    if (failed.length > 0) {
      const msg =
        failed.length === 1 ? describe(failed[0]!) : `${failed.length} of ${checks.length} checks failed: ${failed.map((c) => c.check).join('; ')}`;
      lines.push(`      <failure message="${attr(msg)}" type="GateFailed">${text(detail)}</failure>`);
    } else {
      lines.push(`      <system-out>${text(detail)}</system-out>`);
    }
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>');
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

/** JUnit's XSD wants ISO 8601 without zone or fraction: 2025-01-01T00:00:00. */
function junitTimestamp(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})/.exec(iso);
  return m ? m[1]! : iso;
}

function describe(c: GateOutcome): string {
  const v = c.value === null ? 'n/a' : fmtGateNum(c.value);
  const t = c.threshold === null ? 'n/a' : fmtGateNum(c.threshold);
  const status = c.pass ? 'PASS' : 'FAIL';
  const from = c.thresholdFrom && c.thresholdFrom !== t ? ` (${c.thresholdFrom})` : '';
  return `${status} ${c.check}: value ${v}, threshold ${t}${from}${c.reason ? ` — ${c.reason}` : ''}`;
}

// XML 1.0 allows #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(s: string): string {
  return s.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function xmlAttr(s: string): string {
  return xmlText(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

const attr = xmlAttr;
const text = xmlText;
