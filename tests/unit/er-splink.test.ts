/**
 * er_fellegi_sunter's trained estimator (Splink's method: u from random pairs, m by EM per blocking rule with
 * that rule's comparisons held out, λ given / deterministic / EM) on Splink's fake_1000 and on generated
 * records: pairwise precision and recall at match_probability ≥ 0.5, the parameter table and its warnings,
 * link_only pairs. Figures beside these are in BENCHMARKS.md (r).
 */
import path from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { renderWithWeir } from '../helpers/render-macro.js';
import { FAKE_1000_BLOCKING, LOOSE_FAKE_1000_BLOCKING, peopleLevels, FAKE_1000_RULE_GAMMAS, LOOSE_FAKE_1000_RULE_GAMMAS, SCALED_BLOCKING, SCALED_RULE_GAMMAS, LOOSE_SCALED_BLOCKING, LOOSE_SCALED_RULE_GAMMAS, trainedArgs, pairwiseScores } from '../helpers/er-people.js';
import { makeRecords } from '../../bench/er.js';

const fake1000 = path.resolve(__dirname, '../../../shared/data/splink_fake_1000/fake_1000.csv');
let db: DuckDBInstance;
let conn: DuckDBConnection;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'weir-er-splink-'));
const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];

/** Loads `csv` as table `<name>`, blocks with `rules`, draws random pairs and computes levels for both. */
async function prepare(name: string, csv: string, rules: string): Promise<void> {
  await conn.run(`create or replace table ${name} as select * from read_csv('${csv}', header = true, types = {'dob': 'VARCHAR'})`);
  await conn.run(`create or replace table ${name}_pairs as ${renderWithWeir(`{{> er_blocked_pairs relation="${name}" id_col="unique_id" rules=(array ${rules})}}`)}`);
  await conn.run(`create or replace table ${name}_random as ${renderWithWeir(`{{> er_random_pairs relation="${name}" id_col="unique_id"}}`)}`);
  await conn.run(`create or replace table ${name}_levels as ${peopleLevels(`${name}_pairs`, name)}`);
  await conn.run(`create or replace table ${name}_u_levels as ${peopleLevels(`${name}_random`, name)}`);
}

beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:', { threads: '2' });
  conn = await db.connect();
  await prepare('fake', fake1000, FAKE_1000_BLOCKING);
  await prepare('loose', fake1000, LOOSE_FAKE_1000_BLOCKING);
  const gen = path.join(tmp, 'people_10000.csv');
  writeFileSync(gen, makeRecords(10_000));
  await prepare('gen', gen, SCALED_BLOCKING);
  await prepare('genloose', gen, LOOSE_SCALED_BLOCKING);
}, 120_000);

afterAll(() => {
  conn?.closeSync();
  db?.closeSync();
  rmSync(tmp, { recursive: true, force: true });
});

describe('er_fellegi_sunter, trained estimator', () => {
  it('fake_1000 with the test blocking: precision ≥ 0.99, F1 over candidate pairs ≥ 0.95 (the goal; BENCHMARKS.md (r))', async () => {
    await conn.run(`create or replace table fake_scored as ${renderWithWeir(`{{> er_fellegi_sunter ${trainedArgs('fake', FAKE_1000_RULE_GAMMAS)}}}`)}`);
    const s = await pairwiseScores(conn, 'fake', 'fake_scored');
    console.log('fake_1000 trained:', s);
    expect(s.precision).toBeGreaterThanOrEqual(0.99);
    expect(s.candidateF1).toBeGreaterThanOrEqual(0.95);
  });

  it('fake_1000 under loose blocking (≈3% of candidate pairs match): precision ≥ 0.98, F1 over candidate pairs ≥ 0.95 (the goal; BENCHMARKS.md (r))', async () => {
    const [share] = await q(`select avg(case when a.cluster = b.cluster then 1.0 else 0 end) as s from loose_pairs p join loose a on a.unique_id = p.id_l join loose b on b.unique_id = p.id_r`);
    expect(Number(share.s)).toBeLessThan(0.035);
    await conn.run(`create or replace table loose_scored as ${renderWithWeir(`{{> er_fellegi_sunter ${trainedArgs('loose', LOOSE_FAKE_1000_RULE_GAMMAS)}}}`)}`);
    const trained = await pairwiseScores(conn, 'loose', 'loose_scored');
    console.log('fake_1000 loose: trained', trained);
    expect(trained.precision).toBeGreaterThanOrEqual(0.98);
    expect(trained.candidateF1).toBeGreaterThanOrEqual(0.95);
  });

  it('10,000 generated records: precision ≥ 0.99 at recall ≥ 0.9 of all true pairs', async () => {
    await conn.run(`create or replace table gen_scored as ${renderWithWeir(`{{> er_fellegi_sunter ${trainedArgs('gen', SCALED_RULE_GAMMAS)}}}`)}`);
    const s = await pairwiseScores(conn, 'gen', 'gen_scored');
    console.log('generated 10,000 trained:', s);
    expect(s.precision).toBeGreaterThanOrEqual(0.99);
    expect(s.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('10,000 generated records under loose blocking (≈1.5% match): F1 over candidates ≥ 0.95 where the legacy EM collapses', async () => {
    await conn.run(`create or replace table genloose_scored as ${renderWithWeir(`{{> er_fellegi_sunter ${trainedArgs('genloose', LOOSE_SCALED_RULE_GAMMAS)}}}`)}`);
    await conn.run(`create or replace table genloose_legacy as ${renderWithWeir(`{{> er_fellegi_sunter pairs="genloose_levels" gamma_cols=(array "gamma_first_name" "gamma_surname" "gamma_dob" "gamma_city" "gamma_email") iterations=10}}`)}`);
    const trained = await pairwiseScores(conn, 'genloose', 'genloose_scored');
    const legacy = await pairwiseScores(conn, 'genloose', 'genloose_legacy');
    console.log('generated 10,000 loose: trained', trained, 'legacy', legacy);
    expect(trained.matchShare).toBeLessThan(0.02);
    expect(trained.candidateF1).toBeGreaterThanOrEqual(0.95);
    expect(legacy.candidateF1).toBeLessThan(0.5); // the failure the trained estimator fixes
  });

  it('100,000 generated records (where the legacy EM took a blocking field for the match class): precision ≥ 0.95 at recall ≥ 0.9', async () => {
    const gen = path.join(tmp, 'people_100000.csv');
    writeFileSync(gen, makeRecords(100_000));
    await prepare('big', gen, SCALED_BLOCKING);
    await conn.run(`create or replace table big_scored as ${renderWithWeir(`{{> er_fellegi_sunter ${trainedArgs('big', SCALED_RULE_GAMMAS)}}}`)}`);
    const s = await pairwiseScores(conn, 'big', 'big_scored');
    console.log('generated 100,000 trained:', s);
    expect(s.precision).toBeGreaterThanOrEqual(0.95);
    expect(s.recall).toBeGreaterThanOrEqual(0.9);
  }, 180_000);

  it('output="parameters": m, u, Bayes factor and match weight per level, the prior, λ and convergence', async () => {
    const rows = await q(renderWithWeir(`{{> er_fellegi_sunter ${trainedArgs('fake', FAKE_1000_RULE_GAMMAS)} output="parameters"}}`));
    expect(Object.keys(rows[0])).toEqual(['comparison', 'level', 'm', 'u', 'u_random', 'bayes_factor', 'match_weight', 'm_sessions', 'lambda', 'lambda_source',
      'lambda_deterministic', 'lambda_em', 'lambda_ratio', 'iterations', 'converged_at', 'converged', 'warning']);
    expect(rows[0].comparison).toBe('prior (lambda)');
    const lam = Number(rows[0].lambda);
    expect(rows[0].lambda_source).toBe('em');
    // true λ of fake_1000: 2,031 matching pairs of 499,500; EM's estimate within a factor of 1.5 (P(rule | match) counts
    // the chance that the rule's fields are present: without it λ was 1.97e-3, a factor of 2.1 low)
    expect(lam).toBeGreaterThan(2031 / 499500 / 1.5);
    expect(lam).toBeLessThan((2031 / 499500) * 1.5);
    expect(Number(rows[0].match_weight)).toBeCloseTo(Math.log2(lam / (1 - lam)), 9);
    for (const comparison of ['gamma_first_name', 'gamma_surname', 'gamma_dob', 'gamma_city', 'gamma_email']) {
      const levels = rows.filter((r) => r.comparison === comparison);
      expect(levels.length, comparison).toBeGreaterThanOrEqual(2);
      const sum = (k: string) => levels.reduce((a, r) => a + Number(r[k]), 0);
      expect(sum('m'), comparison).toBeCloseTo(1, 3);
      expect(sum('u'), comparison).toBeCloseTo(1, 6);
      for (const r of levels) {
        expect(Number(r.bayes_factor)).toBeCloseTo(Number(r.m) / Number(r.u), 9);
        expect(Number(r.match_weight)).toBeCloseTo(Math.log2(Number(r.m) / Number(r.u)), 9);
      }
      // exact agreement is strong evidence, disagreement evidence against
      const top = levels[levels.length - 1];
      expect(Number(top.match_weight), comparison).toBeGreaterThan(3);
      expect(Number(levels[0].match_weight), comparison).toBeLessThan(0);
    }
    // m of a comparison held out by its own rule comes from the other rules' sessions
    const dob = rows.find((r) => r.comparison === 'gamma_dob' && Number(r.level) === 5)!;
    expect(Number(dob.m_sessions)).toBe(5);
  });

  it('u: the random pairs\' level shares less the matches expected among them, u = (q − λm)/(1 − λ), floored and renormalised; correct_u=false keeps q', async () => {
    const rows = await q(renderWithWeir(`{{> er_fellegi_sunter ${trainedArgs('fake', FAKE_1000_RULE_GAMMAS)} output="parameters"}}`));
    const lam = Number(rows[0].lambda);
    const [{ n }] = await q('select count(*) as n from fake_u_levels');
    expect(Number(n)).toBe(499500); // fake_1000 has fewer pairs than max_pairs: u from every pair
    for (const comparison of ['gamma_first_name', 'gamma_surname', 'gamma_dob', 'gamma_city', 'gamma_email']) {
      const levels = rows.filter((r) => r.comparison === comparison);
      // q from the random pairs' levels, with 0.5 added to each count
      const counts = await q(`select ${comparison} as level, count(*) as c from fake_u_levels where ${comparison} >= 0 group by 1`);
      const total = counts.reduce((a, r) => a + Number(r.c), 0);
      const qOf = (level: number) => (Number(counts.find((c) => Number(c.level) === level)?.c ?? 0) + 0.5) / (total + 0.5 * levels.length);
      const raw = levels.map((r) => Math.max((qOf(Number(r.level)) - lam * Number(r.m)) / (1 - lam), 0.5 / (total + 0.5 * levels.length)));
      const sum = raw.reduce((a, b) => a + b, 0);
      levels.forEach((r, i) => {
        expect(Number(r.u_random), `${comparison} ${r.level}`).toBeCloseTo(qOf(Number(r.level)), 12);
        expect(Number(r.u) / (raw[i] / sum), `${comparison} ${r.level}`).toBeCloseTo(1, 9);
      });
    }
    // exact birth date: among random pairs of fake_1000 about half the agreements are matches, so u is well below q
    const dob = rows.find((r) => r.comparison === 'gamma_dob' && Number(r.level) === 5)!;
    expect(Number(dob.u)).toBeLessThan(Number(dob.u_random) / 2);
    const plain = await q(renderWithWeir(`{{> er_fellegi_sunter ${trainedArgs('fake', FAKE_1000_RULE_GAMMAS)} correct_u=false output="parameters"}}`));
    for (const r of plain.filter((x) => x.level !== null)) expect(Number(r.u)).toBeCloseTo(Number(r.u_random), 12);
  });

  it('m: the median over the rule sessions that observed the level (output="sessions"), renormalised per comparison', async () => {
    const args = trainedArgs('fake', FAKE_1000_RULE_GAMMAS);
    const sessions = await q(renderWithWeir(`{{> er_fellegi_sunter ${args} output="sessions"}}`));
    expect(Object.keys(sessions[0])).toEqual(['session', 'comparison', 'level', 'm', 'session_lambda', 'converged']);
    // six rules, no session over all pairs; a rule's own comparisons are not estimated in its session
    expect([...new Set(sessions.map((r) => Number(r.session)))]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sessions.filter((r) => Number(r.session) === 2 && r.comparison === 'gamma_dob')).toEqual([]);
    expect(sessions.filter((r) => Number(r.session) === 5 && (r.comparison === 'gamma_city' || r.comparison === 'gamma_first_name'))).toEqual([]);
    const params = await q(renderWithWeir(`{{> er_fellegi_sunter ${args} output="parameters"}}`));
    const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const h = Math.floor(s.length / 2); return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2; };
    for (const comparison of ['gamma_first_name', 'gamma_surname', 'gamma_dob', 'gamma_city', 'gamma_email']) {
      const levels = params.filter((r) => r.comparison === comparison);
      const medians = levels.map((r) => sessions.filter((x) => x.comparison === comparison && Number(x.level) === Number(r.level)).map((x) => Number(x.m)));
      expect(medians.every((ms) => ms.length > 0), comparison).toBe(true);
      const raw = medians.map(median);
      const sum = raw.reduce((a, b) => a + b, 0);
      levels.forEach((r, i) => {
        expect(Number(r.m_sessions)).toBe(medians[i].length);
        expect(Number(r.m), `${comparison} ${r.level}`).toBeCloseTo(raw[i] / sum, 12);
      });
    }
  });

  it('λ from deterministic rules, and a warning when EM disagrees by more than lambda_warn_factor', async () => {
    const det = 'deterministic="(gamma_first_name = 4 and gamma_dob >= 3) or (gamma_surname = 4 and gamma_dob >= 3) or gamma_email = 3" deterministic_recall=0.7';
    const [ok] = await q(renderWithWeir(`{{> er_fellegi_sunter ${trainedArgs('fake', FAKE_1000_RULE_GAMMAS)} ${det} output="parameters"}}`));
    expect(ok.lambda_source).toBe('deterministic');
    const [n] = await q(`select count(*) as n from fake_levels where (gamma_first_name = 4 and gamma_dob >= 3) or (gamma_surname = 4 and gamma_dob >= 3) or gamma_email = 3`);
    expect(Number(ok.lambda)).toBeCloseTo(Number(n.n) / 0.7 / 499500, 12);
    expect(Number(ok.lambda_ratio)).toBeLessThan(3);
    expect(ok.warning).toBeNull();
    const [bad] = await q(renderWithWeir(`{{> er_fellegi_sunter ${trainedArgs('fake', FAKE_1000_RULE_GAMMAS)} deterministic="gamma_email = 3" deterministic_recall=0.05 output="parameters"}}`));
    expect(Number(bad.lambda_ratio)).toBeGreaterThan(3);
    expect(String(bad.warning)).toMatch(/^EM's lambda .* and the deterministic estimate .* differ by a factor of [\d.]+ \(more than 3\)/);
    const [given] = await q(renderWithWeir(`{{> er_fellegi_sunter ${trainedArgs('fake', FAKE_1000_RULE_GAMMAS)} lambda=0.004 lambda_warn_factor=10 output="parameters"}}`));
    expect(given.lambda_source).toBe('given');
    expect(Number(given.lambda)).toBe(0.004);
  });

  it('reports convergence: converged_at, and a warning when max_iterations is too small', async () => {
    const [few] = await q(renderWithWeir(`{{> er_fellegi_sunter ${trainedArgs('fake', FAKE_1000_RULE_GAMMAS)} max_iterations=2 output="parameters"}}`));
    expect(few.converged).toBe(false);
    expect(String(few.warning)).toMatch(/^EM did not converge in 2 iterations \(last change in m or lambda [\d.e-]+, in the session of rule [0-5]\): raise max_iterations; the last estimates are used$/);
    const [many] = await q(renderWithWeir(`{{> er_fellegi_sunter ${trainedArgs('fake', FAKE_1000_RULE_GAMMAS)} max_iterations=40 tolerance=0.001 output="parameters"}}`));
    expect(many.converged).toBe(true);
    expect(Number(many.converged_at)).toBeLessThan(40);
  });

  it('er_random_pairs: every pair when the relation has no more than max_pairs (default 1,000,000, Splink\'s), else about max_pairs distinct pairs', async () => {
    const count = async (rel: string, extra: string) => Number((await q(`select count(*) as n, count(distinct id_l || '-' || id_r) as d, sum(case when id_l < id_r then 0 else 1 end) as bad from (${renderWithWeir(`{{> er_random_pairs relation="${rel}" id_col="unique_id" ${extra}}}`)})`))
      .map((r) => { expect(Number(r.d)).toBe(Number(r.n)); expect(Number(r.bad)).toBe(0); return r.n; })[0]);
    expect(await count('fake', '')).toBe(499500);
    expect(await count('fake', 'max_pairs=499500')).toBe(499500);
    const sampled = await count('fake', 'max_pairs=200000');
    expect(sampled).toBeGreaterThan(190000);
    expect(sampled).toBeLessThanOrEqual(200000);
    const gen = await count('gen', '');
    expect(gen).toBeGreaterThan(950000);
    expect(gen).toBeLessThanOrEqual(1000000);
    await conn.run(`create or replace table thirds as select *, case when unique_id % 3 = 0 then 'a' else 'b' end as src from fake`);
    expect(await count('thirds', 'link_type="link_only" source_col="src"')).toBe(334 * 666);
    const across = await count('thirds', 'link_type="link_only" source_col="src" max_pairs=100000');
    expect(across).toBeGreaterThan(95000);
    expect(across).toBeLessThanOrEqual(100000);
  });

  it('link_only: candidate and random pairs only across sources; λ counts cross-source pairs', async () => {
    await conn.run(`create or replace table two as select *, case when unique_id % 2 = 0 then 'a' else 'b' end as src from fake`);
    await conn.run(`create or replace table two_pairs as ${renderWithWeir(`{{> er_blocked_pairs relation="two" id_col="unique_id" source_col="src" link_type="link_only" rules=(array ${FAKE_1000_BLOCKING})}}`)}`);
    await conn.run(`create or replace table two_random as ${renderWithWeir('{{> er_random_pairs relation="two" id_col="unique_id" source_col="src" link_type="link_only"}}')}`);
    for (const t of ['two_pairs', 'two_random']) {
      const [r] = await q(`select count(*) as n, sum(case when a.src = b.src then 1 else 0 end) as same from ${t} p join two a on a.unique_id = p.id_l join two b on b.unique_id = p.id_r`);
      expect(Number(r.n), t).toBeGreaterThan(1000);
      expect(Number(r.same), t).toBe(0);
    }
    await conn.run(`create or replace table two_levels as ${peopleLevels('two_pairs', 'two')}`);
    await conn.run(`create or replace table two_u_levels as ${peopleLevels('two_random', 'two')}`);
    const [p] = await q(renderWithWeir(`{{> er_fellegi_sunter ${trainedArgs('two', FAKE_1000_RULE_GAMMAS)} link_type="link_only" source_col="src" deterministic="gamma_email = 3" deterministic_recall=0.5 output="parameters"}}`));
    const [n] = await q('select count(*) as n from two_levels where gamma_email = 3');
    expect(Number(p.lambda_deterministic)).toBeCloseTo(Number(n.n) / 0.5 / (500 * 500), 12);
  });

  it('errors: unknown output or link_type, parameters without u_pairs, link types without source_col', () => {
    expect(() => renderWithWeir('{{> er_fellegi_sunter pairs="p" gamma_cols=(array "g") output="parameter"}}')).toThrow(/output="parameter" is not one of "pairs", "parameters", "sessions" \(did you mean "parameters"\?\)/);
    expect(() => renderWithWeir('{{> er_fellegi_sunter pairs="p" gamma_cols=(array "g") output="parameters"}}')).toThrow(/er_fellegi_sunter: u_pairs is required/);
    expect(() => renderWithWeir('{{> er_fellegi_sunter pairs="p" gamma_cols=(array "g") output="sessions"}}')).toThrow(/er_fellegi_sunter: u_pairs is required.*output="sessions"/);
    expect(() => renderWithWeir('{{> er_fellegi_sunter pairs="p" gamma_cols=(array "g") output="session"}}')).toThrow(/did you mean "sessions"/);
    expect(() => renderWithWeir('{{> er_blocked_pairs relation="p" id_col="id" rules=(array "1=1") link_type="linkonly"}}')).toThrow(/did you mean "link_only"/);
    expect(() => renderWithWeir('{{> er_blocked_pairs relation="p" id_col="id" rules=(array "1=1") link_type="link_only"}}')).toThrow(/er_blocked_pairs: source_col is required/);
  });
});
