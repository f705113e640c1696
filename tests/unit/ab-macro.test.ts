import { readFileSync } from 'node:fs';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { renderWithWeir } from '../helpers/render-macro.js';

/*
 * The macro is rendered with Weir's own template environment (noEscape, strict, macros as partials,
 * the real `ident`/`literal`/`normal_two_sided_p` helpers and DuckDB dialect) and run on in-memory DuckDB over per-user rows expanded from the textbook reference
 * counts in ../shared/data/ab_test_reference/textbook_proportion_tests.json.
 */

interface Reference {
  what: string;
  [k: string]: unknown;
}
const refFile = new URL('../../../shared/data/ab_test_reference/textbook_proportion_tests.json', import.meta.url);
const references = (JSON.parse(readFileSync(refFile, 'utf8')) as { textbook_and_library_references: Reference[] })
  .textbook_and_library_references;
const findRef = (prefix: string): Reference => {
  const r = references.find((x) => x.what.startsWith(prefix));
  if (!r) throw new Error(`reference '${prefix}' not found in ${refFile.pathname}`);
  return r;
};

function makeRenderer(): (ctx: Record<string, unknown>) => string {
  return (ctx) =>
    renderWithWeir(
      '{{> ab_test_significance relation=relation test_col="test_id" variant_col="variant" ' +
        'control_value="control" converted_col="converted" alpha=0.05}}',
      ctx,
    );
}

/** SQL for per-user rows: `conversions` converted users out of `users`. */
function userRows(test: string, variant: string, conversions: number, users: number): string {
  return `SELECT '${test}' AS test_id, '${variant}' AS variant, CAST(i < ${conversions} AS INTEGER) AS converted FROM range(${users}) AS t(i)`;
}

type Row = Record<string, unknown>;
let conn: DuckDBConnection;
let rows: Row[];
const render = makeRenderer();
let sql: string;

beforeAll(async () => {
  const db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();

  // statsmodels proportions_ztest(count=[5, 12], nobs=[83, 99]): z = (p1 - p2)/SE with p1 = 5/83.
  // In our convention z = (p_t - p_c)/SE, so treatment = 5/83 and control = 12/99.
  const zt = findRef('statsmodels proportions_ztest two-sample');
  const [c1, c2] = zt.count as number[];
  const [n1, n2] = zt.nobs as number[];
  // Fagerland et al. (2015): 7/34 vs 1/34, difference 7/34 - 1/34.
  // R pairwise.prop.test(smokers2, patients, correct = FALSE): group 1 as control, 2..4 as variants.
  const smokers = findRef('R prop.test(smokers2');
  const sx = smokers.x as number[];
  const sn = smokers.n as number[];
  const parts = [
    userRows('gh2969', 'control', c2, n2),
    userRows('gh2969', 'treatment', c1, n1),
    userRows('fagerland', 'control', 1, 34),
    userRows('fagerland', 'treatment', 7, 34),
    userRows('smokers', 'control', sx[0], sn[0]),
    userRows('smokers', 'g2', sx[1], sn[1]),
    userRows('smokers', 'g3', sx[2], sn[2]),
    userRows('smokers', 'g4', sx[3], sn[3]),
    // degenerate: nobody converts -> pooled SE 0 -> NULL z/p, not significant
    userRows('zero', 'control', 0, 10),
    userRows('zero', 'treatment', 0, 12),
    // a test without control rows
    userRows('nocontrol', 'treatment', 3, 10),
  ];
  await conn.run(`CREATE TABLE ab_users AS ${parts.join(' UNION ALL ')}`);
  sql = render({ relation: 'ab_users' });
  rows = (await conn.runAndReadAll(sql)).getRowObjects() as Row[];
});
afterAll(() => conn?.closeSync());

const get = (test: string, variant: string): Row => {
  const r = rows.find((x) => x.test_id === test && x.variant === variant);
  if (!r) throw new Error(`no row for ${test}/${variant}`);
  return r;
};
const num = (v: unknown): number => Number(v);

describe('macros/ab_test_significance.sql', () => {
  it('renders a CTE-only SELECT without a trailing semicolon', () => {
    expect(sql.trim()).toMatch(/^WITH /);
    expect(sql.trim().endsWith(';')).toBe(false);
    expect(sql).toContain('FROM ab_users');
  });

  it('emits one row per non-control variant with the documented columns', () => {
    expect(rows.map((r) => `${String(r.test_id)}/${String(r.variant)}`)).toEqual([
      'fagerland/treatment', 'gh2969/treatment', 'nocontrol/treatment', 'smokers/g2', 'smokers/g3', 'smokers/g4', 'zero/treatment',
    ]);
    expect(Object.keys(rows[0])).toEqual([
      'test_id', 'variant', 'control_users', 'control_conversions', 'control_rate', 'variant_users',
      'variant_conversions', 'variant_rate', 'absolute_lift', 'relative_lift', 'z_score', 'p_value', 'ci_low',
      'ci_high', 'is_significant', 'winner', 'control_rate_low', 'control_rate_high', 'variant_rate_low',
      'variant_rate_high',
    ]);
  });

  it('matches statsmodels proportions_ztest (pooled, two-sided) to 1e-9', () => {
    const zt = findRef('statsmodels proportions_ztest two-sample');
    const r = get('gh2969', 'treatment');
    expect(num(r.control_users)).toBe(99);
    expect(num(r.control_conversions)).toBe(12);
    expect(num(r.variant_users)).toBe(83);
    expect(num(r.variant_conversions)).toBe(5);
    expect(Math.abs(num(r.z_score) - (zt.z as number))).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(num(r.p_value) - (zt.p_value as number))).toBeLessThanOrEqual(1e-9);
    // actually agrees to double precision
    expect(Math.abs(num(r.z_score) - (zt.z as number)) / Math.abs(zt.z as number)).toBeLessThan(1e-14);
    expect(Math.abs(num(r.p_value) - (zt.p_value as number)) / (zt.p_value as number)).toBeLessThan(1e-14);
    expect(num(r.absolute_lift)).toBeCloseTo(5 / 83 - 12 / 99, 15);
    expect(num(r.relative_lift)).toBeCloseTo((5 / 83 - 12 / 99) / (12 / 99), 14);
    expect(r.is_significant).toBe(false);
    expect(r.winner).toBeNull();
  });

  it('reproduces the Wald CI of Fagerland, Lydersen & Laake (2015) for 7/34 vs 1/34', () => {
    const fag = findRef('Two independent proportions 7/34 vs 1/34');
    const [lo, hi] = (fag.diff_ci as Record<string, number[]>).Wald;
    const r = get('fagerland', 'treatment');
    expect(num(r.absolute_lift)).toBeCloseTo(6 / 34, 15);
    // published to 2 significant digits: 0.029 and 0.32
    expect(Math.abs(num(r.ci_low) - lo)).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(num(r.ci_high) - hi)).toBeLessThanOrEqual(0.005);
    // R PropCIs::wald2ci(adjust = "Wald"), printed to 7-8 significant digits
    const [plo, phi] = (fag.R_PropCIs_exact as Record<string, number[]>).wald2ci_Wald;
    expect(Math.abs(num(r.ci_low) - plo)).toBeLessThanOrEqual(5e-9);
    expect(Math.abs(num(r.ci_high) - phi)).toBeLessThanOrEqual(5e-9);
    // pooled z = 2.0785 (p = 0.0377): significant at 0.05, treatment wins
    expect(r.is_significant).toBe(true);
    expect(r.winner).toBe('treatment');
  });

  it('compares each variant with the control (R pairwise.prop.test, correct = FALSE)', () => {
    const smokers = findRef('R prop.test(smokers2');
    const raw = smokers.pairwise_raw_p as number[]; // order: 2-1, 3-1, 4-1, 3-2, 4-2, 4-3
    const [g2, g3, g4] = ['g2', 'g3', 'g4'].map((v) => get('smokers', v));
    expect(Math.abs(num(g2.p_value) - raw[0])).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(num(g3.p_value) - raw[1])).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(num(g4.p_value) - raw[2])).toBeLessThanOrEqual(1e-9);
    expect(g2.winner).toBe('g2'); // 90/93 vs 73/86, p = 0.0053
    expect(g3.is_significant).toBe(false);
    expect(g3.winner).toBeNull();
    expect(g4.is_significant).toBe(false);
  });

  it('declares the control the winner when a significant variant is worse', async () => {
    const swapped = `(SELECT test_id, CASE variant WHEN 'g2' THEN 'control' ELSE 'g2' END AS variant, converted
      FROM ab_users WHERE test_id = 'smokers' AND variant IN ('control', 'g2'))`;
    const out = (await conn.runAndReadAll(render({ relation: swapped }))).getRowObjects() as Row[];
    expect(out).toHaveLength(1);
    expect(num(out[0].z_score)).toBeLessThan(0);
    expect(out[0].is_significant).toBe(true);
    expect(out[0].winner).toBe('control');
  });

  it('returns NULL statistics instead of dividing by zero', () => {
    const zero = get('zero', 'treatment');
    expect(zero.z_score).toBeNull();
    expect(zero.p_value).toBeNull();
    expect(zero.relative_lift).toBeNull();
    expect(zero.is_significant).toBe(false);
    expect(zero.winner).toBeNull();
    expect(num(zero.ci_low)).toBe(0);
    const nc = get('nocontrol', 'treatment');
    expect(nc.control_users).toBeNull();
    expect(nc.p_value).toBeNull();
    expect(nc.is_significant).toBe(false);
  });

  it('honours alpha, ci_z and boolean outcomes', async () => {
    const sql = renderWithWeir(
      '{{> ab_test_significance relation="(SELECT test_id AS exp, variant AS arm, converted = 1 AS ok FROM ab_users)" ' +
        'test_col="exp" variant_col="arm" control_value="control" converted_col="ok" alpha=0.001 ci_z=2.5758293035489004}}',
    );
    const out = (await conn.runAndReadAll(sql)).getRowObjects() as Row[];
    const g2 = out.find((r) => r.exp === 'smokers' && r.arm === 'g2')!;
    expect(g2.is_significant).toBe(false); // p = 0.0053 > 0.001
    const fag = out.find((r) => r.exp === 'fagerland')!;
    const se = Math.sqrt(((7 / 34) * (27 / 34)) / 34 + ((1 / 34) * (33 / 34)) / 34);
    expect(num(fag.ci_low)).toBeCloseTo(6 / 34 - 2.5758293035489004 * se, 14);
  });

  it('gives one-sided p-values (alternative greater / less) from the same z as statsmodels', async () => {
    const zt = findRef('statsmodels proportions_ztest two-sample');
    const one = async (alternative: string) =>
      ((await conn.runAndReadAll(renderWithWeir(
        `{{> ab_test_significance relation="ab_users" test_col="test_id" variant_col="variant" control_value="control" converted_col="converted" alternative="${alternative}"}}`,
      ))).getRowObjects() as Row[]).find((r) => r.test_id === 'gh2969')!;
    const less = await one('less');
    const greater = await one('greater');
    const two = await one('two-sided');
    // z < 0: the one-sided p in the direction of z is half the two-sided p; the other is 1 minus that.
    expect(Math.abs(num(less.p_value) - (zt.p_value as number) / 2)).toBeLessThan(1e-13);
    expect(Math.abs(num(greater.p_value) - (1 - (zt.p_value as number) / 2))).toBeLessThan(1e-13);
    expect(Math.abs(num(two.p_value) - (zt.p_value as number))).toBeLessThan(1e-13);
    // Fagerland 7/34 vs 1/34: z = 2.0785, greater p = 0.0188 (significant), less p = 0.981
    const fag = async (alternative: string) =>
      ((await conn.runAndReadAll(renderWithWeir(
        `{{> ab_test_significance relation="ab_users" test_col="test_id" variant_col="variant" control_value="control" converted_col="converted" alternative="${alternative}"}}`,
      ))).getRowObjects() as Row[]).find((r) => r.test_id === 'fagerland')!;
    expect((await fag('greater')).winner).toBe('treatment');
    expect((await fag('less')).is_significant).toBe(false);
  });

  it('gives the Agresti–Caffo and Newcombe intervals of the difference (Fagerland et al. 2015, PropCIs, Newcombe 1998)', async () => {
    const fagRef = findRef('Two independent proportions 7/34 vs 1/34');
    await conn.run(`CREATE OR REPLACE TABLE newcombe_users AS
      ${userRows('a', 'control', 48, 80)} UNION ALL ${userRows('a', 'treatment', 56, 70)} UNION ALL
      ${userRows('b', 'control', 3, 10)} UNION ALL ${userRows('b', 'treatment', 9, 10)} UNION ALL
      ${userRows('fagerland', 'control', 1, 34)} UNION ALL ${userRows('fagerland', 'treatment', 7, 34)}`);
    const run = async (method: string) =>
      (await conn.runAndReadAll(renderWithWeir(
        `{{> ab_test_significance relation="newcombe_users" test_col="test_id" variant_col="variant" control_value="control" converted_col="converted" ci_method="${method}"}}`,
      ))).getRowObjects() as Row[];
    const ac = (await run('agresti_caffo')).find((r) => r.test_id === 'fagerland')!;
    const [aclo, achi] = (fagRef.R_PropCIs_exact as Record<string, number[]>).wald2ci_AC; // 7-8 significant digits
    expect(Math.abs(num(ac.ci_low) - aclo)).toBeLessThan(5e-9);
    expect(Math.abs(num(ac.ci_high) - achi)).toBeLessThan(5e-9);
    const [tlo, thi] = (fagRef.diff_ci as Record<string, number[]>)['Agresti-Caffo'];
    expect(Math.abs(num(ac.ci_low) - tlo)).toBeLessThan(0.0005);
    expect(Math.abs(num(ac.ci_high) - thi)).toBeLessThan(0.005);
    const nw = await run('newcombe');
    const f = nw.find((r) => r.test_id === 'fagerland')!;
    const [nlo, nhi] = (fagRef.diff_ci as Record<string, number[]>)['Newcombe hybrid score']; // 0.019, 0.34
    expect(Math.abs(num(f.ci_low) - nlo)).toBeLessThan(0.0005);
    expect(Math.abs(num(f.ci_high) - nhi)).toBeLessThan(0.005);
    // Newcombe (1998) Statistics in Medicine 17:873-890, Table II, method 10, examples (a) 56/70 - 48/80 and
    // (b) 9/10 - 3/10, printed to 4 decimals.
    const a = nw.find((r) => r.test_id === 'a')!;
    expect(num(a.ci_low).toFixed(4)).toBe('0.0524');
    expect(num(a.ci_high).toFixed(4)).toBe('0.3339');
    const b = nw.find((r) => r.test_id === 'b')!;
    expect(num(b.ci_low).toFixed(4)).toBe('0.1705');
    expect(num(b.ci_high).toFixed(4)).toBe('0.8090');
    // the point estimate and test are the same whatever the interval
    expect(num(a.absolute_lift)).toBeCloseTo(56 / 70 - 48 / 80, 15);
  });

  it('gives per-variant rate intervals (Wilson, Wald, Agresti–Coull) equal to R binom.confint', async () => {
    const csv = readFileSync(new URL('../../../shared/data/ab_test_reference/statsmodels_R_binom_confint_reference.csv', import.meta.url), 'utf8');
    const ref = csv.trim().split('\n').slice(1).map((l) => l.split(','))
      .map(([count, nobs, method, lo, hi]) => ({ count: Number(count), nobs: Number(nobs), method, lo: Number(lo), hi: Number(hi) }));
    const cases = [...new Set(ref.map((r) => `${r.count}/${r.nobs}`))];
    expect(cases).toHaveLength(8);
    // each case as a control group (of test i) and as a variant (of test i+1), so both columns are checked
    const parts = cases.flatMap((c, i) => {
      const [x, n] = c.split('/').map(Number);
      return [userRows(`t${i}`, 'control', x, n), userRows(`t${(i + 1) % cases.length}`, 'v', x, n)];
    });
    await conn.run(`CREATE OR REPLACE TABLE binom_users AS ${parts.join(' UNION ALL ')}`);
    const methods: Record<string, string> = { wilson: 'wilson', wald: 'asymptotic', agresti_coull: 'agresti-coull' };
    let checked = 0;
    for (const [ours, theirs] of Object.entries(methods)) {
      const out = (await conn.runAndReadAll(renderWithWeir(
        `{{> ab_test_significance relation="binom_users" test_col="test_id" variant_col="variant" control_value="control" converted_col="converted" rate_ci_method="${ours}"}}`,
      ))).getRowObjects() as Row[];
      cases.forEach((c, i) => {
        const [x, n] = c.split('/').map(Number);
        const r = ref.find((e) => e.count === x && e.nobs === n && e.method === theirs)!;
        // statsmodels clipped the (0,30) and (30,30) rows to [0, 1]
        const clip = (v: number) => (x === 0 || x === n ? Math.min(1, Math.max(0, v)) : v);
        const tol = n === 30 ? 5e-8 : 1e-12; // the n = 30 rows are printed to 7-8 significant digits
        const asControl = out.find((o) => o.test_id === `t${i}`)!;
        const asVariant = out.find((o) => o.test_id === `t${(i + 1) % cases.length}`)!;
        expect(Math.abs(clip(num(asControl.control_rate_low)) - r.lo), `${ours} ${c}`).toBeLessThan(tol);
        expect(Math.abs(clip(num(asControl.control_rate_high)) - r.hi), `${ours} ${c}`).toBeLessThan(tol);
        expect(Math.abs(clip(num(asVariant.variant_rate_low)) - r.lo), `${ours} ${c}`).toBeLessThan(tol);
        expect(Math.abs(clip(num(asVariant.variant_rate_high)) - r.hi), `${ours} ${c}`).toBeLessThan(tol);
        checked++;
      });
    }
    expect(checked).toBe(24);
  });

  it('reads a CTE of the calling model (nested, or continuing its WITH list with after_ctes)', async () => {
    const cte = `outcomes AS (SELECT * FROM ab_users WHERE test_id = 'fagerland')`;
    const call = (extra: string) => renderWithWeir(
      `{{> ab_test_significance relation="outcomes" test_col="test_id" variant_col="variant" control_value="control" converted_col="converted"${extra}}}`,
    );
    const continued = `WITH ${cte}\n${call(' after_ctes=true')}`;
    expect(continued).toMatch(/WITH outcomes AS \(.*\)\s*,\s*ab_variant_totals AS/s);
    const nested = `WITH ${cte}, results AS (${call('')}) SELECT * FROM results`;
    for (const sql of [continued, nested]) {
      const out = (await conn.runAndReadAll(sql)).getRowObjects() as Row[];
      expect(out).toHaveLength(1);
      expect(num(out[0].absolute_lift)).toBeCloseTo(6 / 34, 15);
    }
  });

  it('rejects an unknown alternative, ci_method or rate_ci_method, naming the closest value', () => {
    const call = (extra: string) => () => renderWithWeir(
      `{{> ab_test_significance relation="ab_users" test_col="test_id" variant_col="variant" control_value="control" converted_col="converted" ${extra}}}`,
    );
    expect(call('alternative="greter"')).toThrow(/alternative="greter" is not one of "two-sided", "greater", "less" \(did you mean "greater"\?\)/);
    expect(call('ci_method="newcomb"')).toThrow(/ci_method="newcomb" is not one of .*did you mean "newcombe"/);
    expect(call('rate_ci_method="clopper"')).toThrow(/rate_ci_method="clopper" is not one of "wilson", "wald", "agresti_coull"/);
  });
});

describe('macro argument errors point at the calling model', () => {
  it('reports file:line of the model, not of the macro', async () => {
    const { annotateRenderError } = await import('../../src/compiler/render-errors.js');
    const source = 'with o as (select 1)\nselect * from (\n{{> ab_test_significance relation="o" test_col="t" variant_col="v"\n    control_value="c" converted_col="x" ci_method="newcomb"}})';
    let caught: unknown;
    try {
      renderWithWeir(source);
    } catch (e) {
      caught = e;
    }
    const err = annotateRenderError(caught, 'models/ab.sql', 'model.t.ab', source);
    expect(err.code).toBe('WEIR_TEMPLATE_RENDER');
    expect(err.location).toMatchObject({ file: 'models/ab.sql', line: 4 });
    expect(err.message).toMatch(/did you mean "newcombe"/);
  });
});
