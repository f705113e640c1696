/**
 * The generated docs site in a real browser: headless Chromium from Debian (/usr/bin/chromium, installed by
 * .ci/run) driven by playwright-core, with no browser download. The site is opened from file:// and through
 * `weir docs serve`; the test searches, opens a model, checks its columns and column lineage, uses the
 * graph (click, double-click to focus, the --select box, depth controls) and the column graph, and saves
 * screenshots under the project's target/screenshots/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, runCli } from '../helpers/project.js';
import { makeDocsProject } from '../helpers/docs-project.js';
import { serveDocs, type DocsServer } from '../../src/docs/serve.js';

const CHROMIUM = '/usr/bin/chromium';
let dir: string;
let shots: string;
let profile: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium), as .ci/run does`);
  dir = await makeDocsProject();
  const build = await runCli(['build', '--exclude', 'unbuilt_model'], dir);
  expect(build.code, build.stdout).toBe(0);
  const gen = await runCli(['docs', 'generate'], dir);
  expect(gen.code, gen.stdout).toBe(0);
  shots = path.join(dir, 'target', 'screenshots');
  mkdirSync(shots, { recursive: true });
  profile = mkdtempSync(path.join(os.tmpdir(), 'weir-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  // Nothing may come from the network: every request must be a file:// or 127.0.0.1 URL.
  await context.route(/^(?!file:|http:\/\/127\.0\.0\.1)/, (route) => {
    pageErrors.push(`network request to ${route.request().url()}`);
    return route.abort();
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  cleanupProjects();
});

/**
 * A graph box's centre once the drawn graph has stopped moving (a re-rendered graph may still be fitting
 * itself into the canvas: its ResizeObserver redraws after layout): the same position 100 ms apart.
 */
async function settledAt(uid: string): Promise<{ x: number; y: number }> {
  await page.waitForFunction(`(() => {
    const p = window.__weirGraph?.clientPosition(${JSON.stringify(uid)});
    const k = p ? p.x + ',' + p.y : '';
    const same = k !== '' && window.__weirLastPos === k;
    window.__weirLastPos = k;
    return same;
  })()`, undefined, { polling: 100 });
  return (await page.evaluate(`window.__weirGraph.clientPosition(${JSON.stringify(uid)})`)) as { x: number; y: number };
}

async function checkModelPage(): Promise<void> {
  await page.waitForSelector('table.columns');
  expect(await page.locator('h1').innerText()).toBe('customer_revenue');
  const rows = await page.locator('table.columns tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent!.replace(' not built', '').trim())));
  expect(rows).toEqual([['customer_id', 'BIGINT'], ['customer_name', 'VARCHAR'], ['revenue', 'DOUBLE'], ['orders', 'BIGINT'], ['documented_only', '']]);
  expect(await page.locator('table.columns tr[data-column="customer_id"]').innerText()).toMatch(/not_null.*unique|unique.*not_null/);
  const revenue = page.locator('table.lineage tr[data-column="revenue"]');
  expect(await revenue.locator('td.value-deps').innerText()).toMatch(/stg_orders\.amount aggregated/);
  expect(await revenue.locator('td.row-deps').innerText()).toMatch(/stg_orders\.is_paid filtered by/);
  expect(await page.locator('.details').innerText()).toMatch(/Owners\s+analytics@shop\.example[\s\S]*Last run\s+success/);
  expect(await page.locator('pre.sql[data-kind="compiled"] .hljs-keyword').count()).toBeGreaterThan(3); // highlighted
}

describe('docs site in Chromium', () => {
  it('from file://: search, open a model, columns and lineage', async () => {
    await page.goto(pathToFileURL(path.join(dir, 'target/docs/index.html')).href);
    expect(await page.locator('h1').innerText()).toBe('shop');
    expect(await page.locator('.catalog-errors').innerText()).toMatch(/unbuilt_model: relation main.unbuilt_model not found/);
    await page.fill('#search', 'revenue');
    await page.waitForSelector('#search-results li');
    const results = await page.locator('#search-results li').allInnerTexts();
    expect(results[0]).toMatch(/customer_revenue/);
    expect(results.some((r) => /unbuilt_model\s+column double_revenue/.test(r))).toBe(true); // column match
    await page.locator('#search-results a', { hasText: 'customer_revenue' }).first().click();
    expect(page.url()).toMatch(/#\/node\/model\.shop\.customer_revenue$/);
    await checkModelPage();
    await page.screenshot({ path: path.join(shots, 'model.png'), fullPage: true });
    await page.locator('pre.sql[data-kind="compiled"]').waitFor({ state: 'visible' });
    await page.click('button.tab:has-text("Source")');
    expect(await page.locator('pre.sql[data-kind="source"]').innerText()).toContain('{{ref "stg_customers"}}');
  });

  it('the graph: focus, click a box, double-click to refocus, selector box and depth', async () => {
    await page.click('a.button:has-text("View in lineage graph")');
    await page.waitForFunction('window.__weirGraph?.nodeIds().length > 0');
    const ids = async () => ((await page.evaluate('window.__weirGraph.nodeIds()')) as string[]).sort();
    expect(await page.inputValue('#selector')).toBe('2+customer_revenue+2');
    expect(await ids()).toEqual(['model.shop.customer_revenue', 'model.shop.int_paid_orders', 'model.shop.stg_customers', 'model.shop.stg_orders', 'model.shop.unbuilt_model', 'seed.shop.customers']); // the source is 3 edges up
    const p = await settledAt('model.shop.stg_customers');
    await page.mouse.click(p.x, p.y);
    await page.waitForSelector('#graph-panel h3');
    expect(await page.locator('#graph-panel h3').innerText()).toMatch(/stg_customers/);
    await page.screenshot({ path: path.join(shots, 'graph-focus.png') });
    // Depth 1 upstream / 0 downstream of customer_revenue.
    await page.selectOption('#up', '1');
    await page.waitForFunction("location.hash.includes('up=1')");
    await page.selectOption('#down', '0');
    await page.waitForFunction("document.getElementById('selector').value === '1+customer_revenue+0'");
    expect(await ids()).toEqual(['model.shop.customer_revenue', 'model.shop.int_paid_orders', 'model.shop.stg_customers']);
    // Double-click a box: focus moves to it.
    const q = await settledAt('model.shop.stg_customers');
    await page.mouse.dblclick(q.x, q.y);
    await page.waitForFunction("location.hash.includes('focus=model.shop.stg_customers')");
    expect(await page.inputValue('#selector')).toBe('1+stg_customers+0');
    // The --select grammar, evaluated in the browser.
    await page.fill('#selector', 'tag:marts');
    await page.click('#apply');
    expect(await ids()).toEqual(['model.shop.customer_revenue', 'model.shop.unbuilt_model']);
    await page.fill('#selector', 'resource_type:seed,customers+');
    await page.press('#selector', 'Enter');
    expect(await ids()).toEqual(['seed.shop.customers']);
    await page.fill('#selector', 'result:success,path:models/marts');
    await page.press('#selector', 'Enter');
    expect(await ids()).toEqual(['model.shop.customer_revenue']);
    await page.fill('#selector', 'bogus:x');
    await page.press('#selector', 'Enter');
    expect(await page.locator('#selector-error').innerText()).toMatch(/invalid selector 'bogus:x': unknown method 'bogus'/);
    await page.goto(`${page.url().split('#')[0]}#/graph`);
    await page.waitForFunction('window.__weirGraph?.nodeIds().length === 8');
    await page.screenshot({ path: path.join(shots, 'graph.png') });
  });

  it('the column graph of a model', async () => {
    await page.goto(`${page.url().split('#')[0]}#/columns/model.shop.customer_revenue`);
    await page.waitForFunction('window.__weirGraph?.nodeIds().length > 0');
    const ids = (await page.evaluate('window.__weirGraph.nodeIds()')) as string[];
    expect(ids).toEqual(expect.arrayContaining(['model.shop.customer_revenue::revenue', 'model.shop.stg_orders::amount', 'source.shop.shop_raw.orders::amount', 'seed.shop.customers::name', 'model.shop.unbuilt_model::double_revenue']));
    expect(ids).not.toContain('model.shop.stg_orders::is_paid'); // filters hidden until asked for
    await page.check('#rows');
    await page.waitForFunction("window.__weirGraph?.nodeIds().includes('model.shop.stg_orders::is_paid')");
    await page.screenshot({ path: path.join(shots, 'columns.png') });
    // A seed has no lineage of its own; its page links to the columns that read it.
    await page.goto(`${page.url().split('#')[0]}#/node/seed.shop.customers`);
    await page.click('a.button:has-text("Column graph")');
    await page.waitForFunction("window.__weirGraph?.nodeIds().includes('model.shop.stg_customers::customer_name')");
    expect(await page.evaluate('window.__weirGraph.nodeIds().includes("seed.shop.customers::name")')).toBe(true);
  });

  it('through weir docs serve (127.0.0.1)', async () => {
    let server: DocsServer | undefined;
    try {
      server = await serveDocs(path.join(dir, 'target/docs'), 0);
      await page.goto(server.url);
      await page.fill('#search', 'customer_revenue');
      await page.press('#search', 'Enter');
      await page.waitForSelector('.search-page li');
      await page.locator('.search-page a', { hasText: 'customer_revenue' }).first().click();
      await checkModelPage();
    } finally {
      await server?.close();
    }
    expect(pageErrors).toEqual([]);
  });
});

describe('a 5,000-node project graph', () => {
  it('renders from the precomputed layout; the selector and clicks work at that size', async () => {
    const { buildSiteData } = await import('../../src/docs/site-data.js');
    const { APP_FILES, defaultAppDir } = await import('../../src/docs/generate.js');
    const { copyFileSync, writeFileSync } = await import('node:fs');
    const n = 5000;
    const nodes: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const layer = Math.floor(i / 500);
      const parents = layer === 0 ? [] : [`model.big.m${(layer - 1) * 500 + ((i * 7) % 500)}`, `model.big.m${(layer - 1) * 500 + ((i * 13) % 500)}`];
      nodes[`model.big.m${i}`] = { unique_id: `model.big.m${i}`, resource_type: 'model', name: `m${i}`, path: `models/l${layer}/m${i}.sql`, fqn: ['big', `l${layer}`, `m${i}`], tags: layer === 9 ? ['leaf'] : [], config: { materialized: 'view' }, depends_on: { nodes: [...new Set(parents)] } };
    }
    const meta = { project_name: 'big', target_name: 'dev', adapter_type: 'duckdb', weir_version: '0', generated_at: 'now' };
    const site = buildSiteData({ metadata: meta, nodes }, { metadata: meta as never, nodes: {}, sources: {}, errors: [] }, { metadata: meta as never, nodes: {} });
    const big = path.join(dir, 'target', 'big-docs');
    mkdirSync(big, { recursive: true });
    for (const f of APP_FILES) copyFileSync(path.join(defaultAppDir(), f), path.join(big, f));
    copyFileSync(path.join(dir, 'target/docs/index.html'), path.join(big, 'index.html'));
    writeFileSync(path.join(big, 'weir-docs-data.js'), `window.__WEIR_DOCS__ = ${JSON.stringify(site)};`);
    await page.goto(`${pathToFileURL(path.join(big, 'index.html')).href}#/graph`);
    await page.waitForFunction(`window.__weirGraph?.nodeIds().length === ${n}`);
    expect(await page.locator('#graph-status').innerText()).toMatch(/5000 nodes, \d+ edges/);
    await page.fill('#selector', 'tag:leaf');
    await page.press('#selector', 'Enter');
    await page.waitForFunction('window.__weirGraph.nodeIds().length === 500');
    await page.fill('#selector', '2+m4999');
    await page.press('#selector', 'Enter');
    await page.waitForFunction('window.__weirGraph.nodeIds().length < 10');
    const p = await settledAt('model.big.m4999');
    await page.mouse.click(p.x, p.y);
    expect(await page.locator('#graph-panel h3').innerText()).toMatch(/m4999/);
    expect(pageErrors).toEqual([]);
  });
});
