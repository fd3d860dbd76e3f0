import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsFixture, sweepFixture } from '../helpers/chart-fixtures.js';

/**
 * The HTML report seen as a person sees it: Debian's headless Chromium (driven by
 * playwright-core at /usr/bin/chromium) opens a report made from a real short run, and the
 * sweep and claims reports made by `durabench report --format html` from the fixtures; each
 * must load with no console error and no request beyond the file itself, every chart must
 * hold data marks, and the screenshot must not be blank.
 */
const CHROMIUM = process.env.DURABENCH_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`html-report-browser: skipped, no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run installs it)`);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'durabench');
let dir: string;

const run = promisify(execFile);
async function cli(...args: string[]): Promise<void> {
  try {
    await run(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, CI: 'true' }, timeout: 120_000 });
  } catch (e) {
    throw new Error(`durabench ${args.join(' ')} failed: ${(e as { stderr?: string }).stderr ?? e}`);
  }
}

/** Share of pixels that differ from the top-left (background) pixel, and the grey-level variance. */
function inked(png: Buffer): { share: number; variance: number } {
  const img = PNG.sync.read(png);
  const d = img.data;
  let differ = 0;
  let sum = 0;
  let sum2 = 0;
  const n = img.width * img.height;
  for (let i = 0; i < d.length; i += 4) {
    const grey = (d[i]! + d[i + 1]! + d[i + 2]!) / 3;
    sum += grey;
    sum2 += grey * grey;
    if (Math.abs(d[i]! - d[0]!) + Math.abs(d[i + 1]! - d[1]!) + Math.abs(d[i + 2]! - d[2]!) > 30) differ++;
  }
  return { share: differ / n, variance: sum2 / n - (sum / n) ** 2 };
}

describe.skipIf(!hasChromium)('HTML report in headless Chromium', () => {
  const reports: Record<string, string> = {};
  let browser: import('playwright-core').Browser;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-html-'));
    const { chromium } = await import('playwright-core');
    for (const name of ['sweep', 'claims'] as const) {
      fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(name === 'sweep' ? sweepFixture() : claimsFixture()));
      reports[name] = path.join(dir, `${name}.html`);
    }
    reports.run = path.join(dir, 'run.html');
    // side by side: a real short run (three modes, one second of writes each), the two
    // fixture reports, and the browser's start
    [browser] = await Promise.all([
      chromium.launch({
        executablePath: CHROMIUM,
        // as root, and on a machine with no network: no sandbox, no background fetches
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      }),
      cli('run', 'quick', '--modes', 'none,rdb,aof-everysec', '--duration', '1s', '--out', dir, '--html', reports.run, '-q'),
      cli('report', path.join(dir, 'sweep.json'), '--format', 'html', '-o', reports.sweep!),
      cli('report', path.join(dir, 'claims.json'), '--format', 'html', '-o', reports.claims!),
    ]);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens each report offline, without console errors; every chart holds data marks; the screenshot is not blank', async () => {
    for (const [name, file] of Object.entries(reports)) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => {
        if (r.url() !== `file://${file}`) requests.push(r.url());
      });
      await page.goto(`file://${file}`, { waitUntil: 'load' });

      const charts = await page.$$eval('figure.chart', (figs) =>
        figs.map((f) => ({
          id: f.getAttribute('data-chart'),
          // Vega draws each mark as a group of class "role-mark"; its children are the data items
          marks: f.querySelectorAll('svg .role-mark > *').length,
          width: f.querySelector('svg')?.getBoundingClientRect().width ?? 0,
        })),
      );
      expect(charts.length, `${name}: charts`).toBeGreaterThanOrEqual(name === 'claims' ? 3 : 4);
      for (const c of charts) {
        expect(c.marks, `${name} chart ${c.id}: data marks`).toBeGreaterThan(0);
        expect(c.width, `${name} chart ${c.id}: drawn`).toBeGreaterThan(100);
      }
      // the first screen, as a person opening the file sees it (a full page of tall SVGs costs seconds)
      const shot = await page.screenshot();
      const ink = inked(shot);
      expect(ink.share, `${name}: share of non-background pixels`).toBeGreaterThan(0.02);
      expect(ink.variance, `${name}: pixel variance`).toBeGreaterThan(50);
      expect(errors, `${name}: console errors`).toEqual([]);
      expect(requests, `${name}: requests beyond the file`).toEqual([]);
      await page.close();
    }
  }, 60_000);

  it('a blank page fails the same screenshot check (the check can fail)', async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    await page.setContent('<html><body style="background:white"></body></html>');
    const ink = inked(await page.screenshot());
    expect(ink.share).toBeLessThan(0.001);
    expect(ink.variance).toBeLessThan(1);
    await page.close();
  }, 30_000);
});
