/**
 * A snapshot's column lineage through `weir build` + `weir docs generate` on DuckDB, and on its docs page
 * in headless Chromium (as docs-site.test.ts: Debian's /usr/bin/chromium via playwright-core): the query's
 * columns map to the snapshot's same-named columns, the weir_* meta columns are shown as derived by the
 * snapshot strategy, and there is no column-count note.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';
import type { LineageArtifact } from '../../src/lineage/lineage.js';

const CHROMIUM = '/usr/bin/chromium';
const META = ['weir_scd_id', 'weir_updated_at', 'weir_valid_from', 'weir_valid_to'];
let dir: string;
let lineage: LineageArtifact;
let profile: string | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  dir = await makeProject({
    'seeds/raw_customers.csv': 'id,status,updated_at\n1,new,2024-01-01\n2,vip,2024-01-02\n',
    'snapshots/customers_snap.sql': '{{config unique_key="id" strategy="timestamp" updated_at="updated_at"}}\nselect id, upper(status) as status, updated_at from {{ref "raw_customers"}}',
    'models/current_customers.sql': 'select id, status from {{ref "customers_snap"}} where weir_valid_to is null',
  });
  const build = await runCli(['build'], dir);
  expect(build.code, build.stdout + build.stderr).toBe(0);
  const gen = await runCli(['docs', 'generate'], dir);
  expect(gen.code, gen.stdout + gen.stderr).toBe(0);
  expect(gen.stdout).toMatch(/lineage: .* 0 unresolved/);
  lineage = JSON.parse(readFileSync(path.join(dir, 'target/lineage.json'), 'utf8')) as LineageArtifact;
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  cleanupProjects();
});

describe('snapshot column lineage', () => {
  it('lineage.json: query columns by name, weir_* columns derived by the strategy, no count note', () => {
    const snap = lineage.nodes['snapshot.t.customers_snap'];
    expect(snap.unresolved).toEqual([]);
    expect(Object.keys(snap.columns)).toEqual(['id', 'status', 'updated_at', ...META]);
    expect(snap.columns.status).toEqual({ upstream: [{ node: 'seed.t.raw_customers', column: 'status', kind: 'transformed' }], unresolved: [] });
    expect(snap.columns.weir_scd_id.upstream.map((u) => `${u.column}:${u.kind}`)).toEqual(['id:transformed', 'updated_at:transformed']);
    for (const c of META) expect(snap.columns[c].derived_by, c).toMatch(/^snapshot, timestamp strategy \(updated_at updated_at\): /);
    // Downstream of the snapshot, its meta columns are ordinary upstream columns.
    expect(lineage.nodes['model.t.current_customers'].columns.id.upstream).toContainEqual({ node: 'snapshot.t.customers_snap', column: 'weir_valid_to', kind: 'filtered_by' });
  });

  it('the docs page shows the derivation of each weir_* column', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium), as .ci/run does`);
    profile = mkdtempSync(path.join(os.tmpdir(), 'weir-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 800 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${pathToFileURL(path.join(dir, 'target/docs/index.html')).href}#/node/snapshot.t.customers_snap`);
    await page.waitForSelector('table.lineage');
    expect(await page.locator('ul.unresolved').count()).toBe(0);
    const scd = page.locator('table.lineage tr[data-column="weir_scd_id"] td.value-deps');
    expect(await scd.innerText()).toMatch(/raw_customers\.id transformed[\s\S]*hash of the unique key \(id\)/);
    const validTo = page.locator('table.lineage tr[data-column="weir_valid_to"] td.value-deps');
    expect(await validTo.innerText()).toMatch(/when the version stopped being current/);
    expect(await validTo.innerText()).not.toMatch(/constants only/);
    expect(await page.locator('table.lineage tr[data-column="id"] .derived').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
