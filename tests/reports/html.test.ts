/**
 * The HTML report in a real browser (Debian's chromium through playwright-core): it loads with no
 * console error and no request beyond itself, the three charts are drawn, it prints to PDF. A
 * screenshot and the PDF are kept in tests/artifacts/ for a person to look at.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { generateWeeklyReport, renderReport } from '../../src/reports/generate.js';
import { weekPeriod } from '../../src/reports/week.js';
import { ensureDebianPackage } from '../helpers/apt.js';
import { tempDir } from '../helpers/db.js';
import { AS_OF, INJECTION_SUBJECT, reportDataset } from '../helpers/report-dataset.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

let browser: Browser;
let htmlPath: string;
let html: string;

beforeAll(async () => {
  ensureDebianPackage(CHROMIUM, 'chromium', 'the HTML report test');
  const ds = await reportDataset();
  const report = await generateWeeklyReport(ds.repository, weekPeriod('2026-W43', 'Europe/Amsterdam'), parseConfig({}).sla, AS_OF);
  const [file] = await renderReport(report, 'html');
  html = file!.body as string;
  htmlPath = join(tempDir('cm-html-'), file!.name);
  writeFileSync(htmlPath, html);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

describe('HTML report', () => {
  it('is self-contained and escapes what customers wrote', () => {
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    expect(html).toContain('=HYPERLINK(&quot;http://evil.example/x&quot;,&quot;klik&quot;)');
    expect(html).not.toContain(INJECTION_SUBJECT);
    expect(html).toContain('余额不见了');
  });

  it('renders in Chromium without console errors or outside requests, with three drawn charts; screenshot and PDF kept', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith('file://')) return route.continue();
      problems.push(`request: ${route.request().url()}`);
      return route.abort();
    });
    await page.goto(`file://${htmlPath}`);

    const charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        const bars = [...svg.querySelectorAll('rect.bar')].map((r) => (r as unknown as { getBBox(): { width: number; height: number } }).getBBox()).filter((b) => b.width > 0 && b.height > 0);
        return { title: svg.querySelector('title')?.textContent, width: box.width, height: box.height, bars: bars.length };
      }),
    );
    expect(charts.map((c) => c.title)).toEqual(['Complaint messages per day by channel', 'Urgency mix of new cases and messages', 'Distribution of first-response times']);
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(300);
      expect(c.height).toBeGreaterThan(100);
    }
    // Per day by channel: 10-19 email, 10-20 email, 10-21 x, 10-22 email, 10-25 email and x.
    expect(charts[0]!.bars).toBe(6);
    // Urgency mix: four levels in new cases, four in messages.
    expect(charts[1]!.bars).toBe(8);
    // First-response buckets with cases: 1–4 h, 4–24 h, 1–3 days, no response yet.
    expect(charts[2]!.bars).toBe(4);
    expect(await page.locator('h2#sla_breaches + table tbody tr').count()).toBe(4);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'weekly-report.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    writeFileSync(join(ARTIFACTS, 'weekly-report.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(problems).toEqual([]);
    await page.close();
  });
});
