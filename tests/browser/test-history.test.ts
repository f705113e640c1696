/**
 * Test history in the docs site, in headless Chromium (/usr/bin/chromium through playwright-core, no
 * browser download): after three test runs whose results change, a test's page shows one bar per run
 * coloured by status and a table of its runs; the tested model's page shows its tests summed per run.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';

const CHROMIUM = '/usr/bin/chromium';
let dir: string;
let profile: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium)`);
  dir = await makeProject({
    'seeds/orders.csv': 'id,amount\n1,10\n2,20\n',
    'models/stg_orders.sql': 'select id, amount from {{ref "orders"}}',
    'models/schema.yml': 'version: 2\nmodels:\n  - name: stg_orders\n    columns:\n      - name: id\n        tests: [unique]\n      - name: amount\n        tests: [not_null]\n',
  });
  expect((await runCli(['build'], dir)).code).toBe(0);
  writeFiles(dir, { 'seeds/orders.csv': 'id,amount\n1,10\n1,20\n2,\n3,30\n' });
  expect((await runCli(['seed'], dir)).code).toBe(0);
  expect((await runCli(['test'], dir)).code).toBe(1);
  writeFiles(dir, { 'seeds/orders.csv': 'id,amount\n1,10\n2,20\n3,30\n' });
  expect((await runCli(['seed'], dir)).code).toBe(0);
  expect((await runCli(['test'], dir)).code).toBe(0);
  const gen = await runCli(['docs', 'generate'], dir);
  expect(gen.code, gen.stdout).toBe(0);
  profile = mkdtempSync(path.join(os.tmpdir(), 'weir-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await context.route(/^(?!file:)/, (route) => {
    pageErrors.push(`network request to ${route.request().url()}`);
    return route.abort();
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  cleanupProjects();
});

describe('test history in the docs site (Chromium)', () => {
  it('shows a trend per test and per model', async () => {
    const index = pathToFileURL(path.join(dir, 'target/docs/index.html')).href;
    await page.goto(`${index}#/node/${encodeURIComponent('test.t.unique_stg_orders_id')}`);
    await page.waitForSelector('section.history[data-history="test"] svg.trend');
    const bars = await page.locator('section.history svg.trend rect.bar').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-status'), Number(r.getAttribute('data-value'))]));
    expect(bars).toEqual([['pass', 0], ['fail', 1], ['pass', 0]]);
    // The failing bar is red and taller than the passing ones.
    const fills = await page.locator('section.history svg.trend rect.bar').evaluateAll((rs) => rs.map((r) => [r.getAttribute('fill'), Number(r.getAttribute('height'))]));
    expect(fills[1][0]).toBe('#dc2626');
    expect(fills[1][1]).toBeGreaterThan(fills[0][1]);
    const rows = await page.locator('section.history table.history-table tbody tr').allInnerTexts();
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatch(/fail\s+1\s+4\s+25\.00 %/); // newest first: the failing run is in the middle
    mkdirSync(path.join(dir, 'target/screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(dir, 'target/screenshots/test-history.png'), fullPage: true });

    await page.goto(`${index}#/node/${encodeURIComponent('model.t.stg_orders')}`);
    await page.waitForSelector('section.history[data-history="model"] svg.trend');
    const modelBars = await page.locator('section.history svg.trend rect.bar').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-status'), Number(r.getAttribute('data-value'))]));
    expect(modelBars).toEqual([['pass', 0], ['fail', 2], ['pass', 0]]);
    expect(await page.locator('section.history h2').innerText()).toMatch(/Test history\s+3 runs/);
    expect(pageErrors).toEqual([]);
  });
});
