/**
 * The match-weights chart in a real browser (headless Chromium from Debian, /usr/bin/chromium, through
 * playwright-core): a project builds an er_fellegi_sunter parameter table as a model (er_blocked_pairs →
 * er_random_pairs → comparison levels → er_fellegi_sunter output="parameters"), `weir docs generate` reads its
 * rows, and the model's page draws one bar per comparison level plus the prior, each bar's length and side
 * matching the table's match weight. A malformed parameter table is listed among the site's errors, not drawn.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, DEFAULT_PROJECT_YAML, makeProject, runCli } from '../helpers/project.js';
import { peopleLevels } from '../helpers/er-people.js';
import { makeRecords } from '../../bench/er.js';

const CHROMIUM = '/usr/bin/chromium';
const GAMMAS = '(array "gamma_first_name" "gamma_surname" "gamma_dob" "gamma_city" "gamma_email")';
let dir: string;
let profile: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
/** The parameter table as DuckDB holds it after the build. */
let table: { comparison: string; level: number | null; match_weight: number; m: number | null; u: number | null }[];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium), as .ci/run does`);
  dir = await makeProject({
    'project.yaml': `${DEFAULT_PROJECT_YAML}stdlib: true\n`,
    'seeds/people.csv': makeRecords(400),
    'models/er_pairs.sql': '{{> er_blocked_pairs relation=(ref "people") id_col="unique_id" rules=(array "l.first_name = r.first_name" "l.dob = r.dob" "l.email = r.email")}}',
    'models/er_random.sql': '{{> er_random_pairs relation=(ref "people") id_col="unique_id"}}',
    'models/er_pair_levels.sql': peopleLevels('{{ref "er_pairs"}}', '{{ref "people"}}'),
    'models/er_u_levels.sql': peopleLevels('{{ref "er_random"}}', '{{ref "people"}}'),
    'models/er_model.sql': `{{config materialized="table"}}
{{> er_fellegi_sunter pairs=(ref "er_pair_levels") u_pairs=(ref "er_u_levels") records=(ref "people") gamma_cols=${GAMMAS}
    rule_gammas=(array (array "gamma_first_name") (array "gamma_dob") (array "gamma_email")) output="parameters"}}`,
    'models/bad_parameters.sql': "select 'name' as comparison, 1 as level, 0.9 as m, 'n/a' as u, 9.0 as bayes_factor, 3.17 as match_weight",
  });
  const build = await runCli(['build'], dir);
  expect(build.code, build.stdout + build.stderr).toBe(0);
  const gen = await runCli(['docs', 'generate'], dir);
  expect(gen.code, gen.stdout + gen.stderr).toBe(0);
  const db = await DuckDBInstance.create(path.join(dir, 'target/t.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  table = ((await conn.runAndReadAll('select comparison, level, match_weight, m, u from main.er_model')).getRowObjectsJS() as Record<string, unknown>[])
    .map((r) => ({ comparison: String(r.comparison), level: r.level === null ? null : Number(r.level), match_weight: Number(r.match_weight), m: r.m === null ? null : Number(r.m), u: r.u === null ? null : Number(r.u) }));
  conn.closeSync();
  db.closeSync();
  profile = mkdtempSync(path.join(os.tmpdir(), 'weir-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  await context.route(/^(?!file:)/, (route) => {
    pageErrors.push(`network request to ${route.request().url()}`);
    return route.abort();
  });
}, 180_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  cleanupProjects();
});

describe('match-weights chart in Chromium', () => {
  it("draws one bar per comparison level and the prior, each as long as its match weight, on the model's page", async () => {
    await page.goto(`${pathToFileURL(path.join(dir, 'target/docs/index.html')).href}#/node/model.t.er_model`);
    await page.waitForSelector('svg.match-weights');
    expect(await page.locator('h1').innerText()).toBe('er_model');
    const bars = await page.locator('svg.match-weights g.mw-row').evaluateAll((gs) => gs.map((g) => {
      const r = g.querySelector('rect')!;
      return { group: g.getAttribute('data-group')!, level: g.getAttribute('data-level'), weight: Number(g.getAttribute('data-weight')),
        x: Number(r.getAttribute('x')), width: Number(r.getAttribute('width')), title: r.querySelector('title')!.textContent!, fill: r.getAttribute('fill') };
    }));
    const zero = Number(await page.locator('svg.match-weights line.mw-zero').getAttribute('x1'));
    // every row of the table is a bar: the prior first, then the comparisons, highest level first
    expect(bars.length).toBe(table.length);
    expect(bars[0].group).toBe('prior');
    const prior = table.find((r) => r.level === null)!;
    expect(bars[0].weight).toBeCloseTo(prior.match_weight, 9);
    for (const name of ['gamma_city', 'gamma_dob', 'gamma_email', 'gamma_first_name', 'gamma_surname']) {
      const drawn = bars.filter((b) => b.group === name);
      const rows = table.filter((r) => r.comparison === name).sort((a, b) => b.level! - a.level!);
      expect(drawn.map((b) => Number(b.level)), name).toEqual(rows.map((r) => r.level));
      drawn.forEach((b, i) => {
        expect(b.weight).toBeCloseTo(rows[i].match_weight, 9);
        const [, m, u] = /: m = ([^,]+), u = ([^,]+), Bayes factor/.exec(b.title)!;
        expect(Number(m) / rows[i].m!).toBeCloseTo(1, 2); // 3 significant digits in the tooltip
        expect(Number(u) / rows[i].u!).toBeCloseTo(1, 2);
      });
    }
    // geometry: bars start at the zero line, go right for evidence of a match and left against, lengths in proportion
    const scale = bars.filter((b) => Math.abs(b.weight) > 0.5).map((b) => b.width / Math.abs(b.weight));
    for (const b of bars) {
      if (b.weight >= 0) expect(b.x).toBeCloseTo(zero, 0);
      else expect(b.x + b.width).toBeCloseTo(zero, 0);
      if (Math.abs(b.weight) > 0.5) expect(b.width / Math.abs(b.weight)).toBeCloseTo(scale[0], 1);
      if (b.group !== 'prior') expect(b.fill).toBe(b.weight >= 0 ? '#059669' : '#dc2626');
    }
    expect(bars.some((b) => b.weight > 3) && bars.some((b) => b.weight < 0)).toBe(true);
    expect(await page.locator('.mw-facts').innerText()).toMatch(/^λ = [\d.e-]+ \(em\) · EM's λ/);
    mkdirSync(path.join(dir, 'target', 'screenshots'), { recursive: true });
    await page.locator('section.match-weights-section').screenshot({ path: path.join(dir, 'target', 'screenshots', 'match-weights.png') });
    if (process.env.WEIR_SHOTS_DIR) await page.locator('section.match-weights-section').screenshot({ path: path.join(process.env.WEIR_SHOTS_DIR, 'match-weights.png') });
    expect(pageErrors).toEqual([]);
  });

  it('lists a parameter table it cannot chart among the errors, and draws no chart for it', async () => {
    await page.goto(`${pathToFileURL(path.join(dir, 'target/docs/index.html')).href}#/`);
    expect(await page.locator('.catalog-errors').innerText()).toMatch(/bad_parameters: cannot chart the match weights of main\.bad_parameters: row 1, column u: n\/a is not a finite number/);
    await page.goto(`${pathToFileURL(path.join(dir, 'target/docs/index.html')).href}#/node/model.t.bad_parameters`);
    await page.waitForSelector('table.columns');
    expect(await page.locator('svg.match-weights').count()).toBe(0);
    // pages of models that are not parameter tables have no chart either
    await page.goto(`${pathToFileURL(path.join(dir, 'target/docs/index.html')).href}#/node/model.t.er_pairs`);
    await page.waitForSelector('table.columns');
    expect(await page.locator('svg.match-weights').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
