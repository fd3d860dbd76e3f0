import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { wantCharts, writeHtmlReport } from '../../../src/cli/chart-output.js';
import { claimsFixture } from '../../helpers/chart-fixtures.js';

describe('wantCharts', () => {
  it('on a TTY outside CI unless --no-charts', () => {
    expect(wantCharts(undefined, { isTTY: true }, {})).toBe(true);
    expect(wantCharts(true, { isTTY: true }, {})).toBe(true);
    expect(wantCharts(false, { isTTY: true }, {})).toBe(false);
    expect(wantCharts(true, { isTTY: false }, {})).toBe(false);
    expect(wantCharts(true, {}, {})).toBe(false);
    expect(wantCharts(true, { isTTY: true }, { CI: 'true' })).toBe(false);
    expect(wantCharts(true, { isTTY: true }, { CI: '1' })).toBe(false);
  });
});

describe('writeHtmlReport', () => {
  it('writes the file whole, leaving no temp file; a failed render leaves nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-html-unit-'));
    try {
      const file = path.join(dir, 'sub', 'claims.html');
      await writeHtmlReport(claimsFixture(), file);
      expect(fs.readFileSync(file, 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*<\/html>\n$/);
      expect(fs.readdirSync(path.dirname(file))).toEqual(['claims.html']);

      const broken = claimsFixture();
      (broken as unknown as { verdicts: unknown }).verdicts = null;
      const other = path.join(dir, 'broken.html');
      await expect(writeHtmlReport(broken, other)).rejects.toThrow(/cannot render the HTML report/);
      expect(fs.existsSync(other)).toBe(false);
      expect(fs.readdirSync(dir).sort()).toEqual(['sub']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
