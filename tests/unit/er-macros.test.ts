/**
 * Entity-resolution macros (er_blocked_pairs → comparison levels → er_fellegi_sunter → er_clusters) on
 * Splink's fake_1000 development set (1,000 person records, 251 true clusters): pairwise precision,
 * recall and F1 of the predicted clusters against the true ones.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { renderWithWeir } from '../helpers/render-macro.js';
import { FAKE_1000_BLOCKING, PEOPLE_LEVELS } from '../helpers/er-people.js';

const data = path.resolve(__dirname, '../../../shared/data/splink_fake_1000/fake_1000.csv');
let db: DuckDBInstance;
let conn: DuckDBConnection;

const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];

beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
  await conn.run(`create table people as select * from read_csv('${data}', header = true, all_varchar = false)`);
  const pairs = renderWithWeir(`{{> er_blocked_pairs relation="people" id_col="unique_id" rules=(array ${FAKE_1000_BLOCKING})}}`);
  await conn.run(`create table candidate_pairs as ${pairs}`);
  await conn.run(`create table levels as ${PEOPLE_LEVELS}`);
  const gammas = '(array "gamma_first_name" "gamma_surname" "gamma_dob" "gamma_city" "gamma_email")';
  const fs = renderWithWeir(`{{> er_fellegi_sunter pairs="levels" iterations=12 gamma_cols=${gammas}
    tf_cols=(array "gamma_first_name" "gamma_surname") tf_value_cols=(array "first_name_tf" "surname_tf")}}`);
  await conn.run(`create table scored as ${fs}`);
  await conn.run(`create table scored_no_tf as ${renderWithWeir(`{{> er_fellegi_sunter pairs="levels" iterations=12 gamma_cols=${gammas}}}`)}`);
  const clusters = renderWithWeir(`{{> er_clusters nodes="people" id_col="unique_id" edges="scored" where="match_probability >= 0.5"}}`);
  await conn.run(`create table clusters as ${clusters}`);
}, 60_000);

afterAll(() => {
  conn?.closeSync();
  db?.closeSync();
});

describe('entity-resolution macros on splink fake_1000', () => {
  it('blocks to far fewer pairs than all n(n-1)/2', async () => {
    const [r] = await q(`select count(*) as n, count(distinct id_l || '-' || id_r) as d from candidate_pairs`);
    expect(r.n).toBe(r.d);
    expect(Number(r.n)).toBeLessThan((1000 * 999) / 2 / 20);
    // Blocking keeps most true pairs reachable.
    const [t] = await q(`select count(*) as kept from candidate_pairs p join people l on l.unique_id = p.id_l join people r on r.unique_id = p.id_r where l.cluster = r.cluster`);
    expect(Number(t.kept)).toBeGreaterThan(0.8 * 2031);
  });

  it('estimates m > u for agreement levels and gives matches high probabilities', async () => {
    const [r] = await q(`select avg(case when l.cluster = r.cluster then match_probability end) as p_match,
      avg(case when l.cluster <> r.cluster then match_probability end) as p_non
      from scored s join people l on l.unique_id = s.id_l join people r on r.unique_id = s.id_r`);
    expect(Number(r.p_match)).toBeGreaterThan(0.6);
    expect(Number(r.p_non)).toBeLessThan(0.2);
    expect(Number(r.p_match)).toBeGreaterThan(3 * Number(r.p_non));
  });

  it('clusters with pairwise precision, recall and F1 against the true clusters', async () => {
    const [r] = await q(`
      with pred as (select a.unique_id as l, b.unique_id as r from clusters a join clusters b on a.cluster_id = b.cluster_id and a.unique_id < b.unique_id),
      truth as (select a.unique_id as l, b.unique_id as r from people a join people b on a.cluster = b.cluster and a.unique_id < b.unique_id)
      select (select count(*) from pred) as predicted, (select count(*) from truth) as actual,
             (select count(*) from pred join truth using (l, r)) as tp`);
    const tp = Number(r.tp), predicted = Number(r.predicted), actual = Number(r.actual);
    expect(actual).toBe(2031);
    const precision = tp / predicted, recall = tp / actual, f1 = (2 * precision * recall) / (precision + recall);
    console.log(`fake_1000: predicted pairs ${predicted}, true pairs ${actual}, tp ${tp}, precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)}, F1 ${f1.toFixed(4)}`);
    // Measured: precision 0.89, recall 0.85, F1 0.87 with the term-frequency adjustment (BENCHMARKS.md (e)); the
    // bounds leave a small margin.
    expect(precision).toBeGreaterThan(0.85);
    expect(recall).toBeGreaterThan(0.8);
    expect(f1).toBeGreaterThan(0.84);
  });

  it('term-frequency adjustment: agreeing on a rare surname weighs more than on a common one', async () => {
    // pairs whose only difference is the surname's frequency: same levels everywhere
    const rows = await q(`
      select s.match_weight - n.match_weight as delta, l.surname_tf
      from scored s join scored_no_tf n using (id_l, id_r) join levels l using (id_l, id_r)
      where s.gamma_surname = 3 and s.gamma_first_name < 3`);
    expect(rows.length).toBeGreaterThan(50);
    const rare = rows.filter((r) => Number(r.surname_tf) <= 0.005).map((r) => Number(r.delta));
    const common = rows.filter((r) => Number(r.surname_tf) >= 0.01).map((r) => Number(r.delta));
    expect(rare.length).toBeGreaterThan(5);
    expect(common.length).toBeGreaterThan(5);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // the adjustment is mean(ln tf) − ln tf nats: a value 4× rarer adds ln 4 / ln 2 = 2 bits
    expect(mean(rare)).toBeGreaterThan(mean(common) + 1);
  });

  it('term-frequency adjustment improves F1 on fake_1000 over the same model without it', async () => {
    const f1 = async (table: string) => {
      await conn.run(`create or replace table c_${table} as ${renderWithWeir(`{{> er_clusters nodes="people" id_col="unique_id" edges="${table}" where="match_probability >= 0.5"}}`)}`);
      const [r] = await q(`
        with pred as (select a.unique_id as l, b.unique_id as r from c_${table} a join c_${table} b on a.cluster_id = b.cluster_id and a.unique_id < b.unique_id),
        truth as (select a.unique_id as l, b.unique_id as r from people a join people b on a.cluster = b.cluster and a.unique_id < b.unique_id)
        select (select count(*) from pred) as predicted, (select count(*) from truth) as actual, (select count(*) from pred join truth using (l, r)) as tp`);
      const p = Number(r.tp) / Number(r.predicted), rc = Number(r.tp) / Number(r.actual);
      return (2 * p * rc) / (p + rc);
    };
    const withTf = await f1('scored'), without = await f1('scored_no_tf');
    console.log(`fake_1000 F1: ${withTf.toFixed(4)} with term-frequency adjustment, ${without.toFixed(4)} without`);
    expect(withTf).toBeGreaterThan(without);
  });

  it('gives every record exactly one stable cluster id: the smallest id of its component', async () => {
    const [r] = await q(`select count(*) as n, count(distinct unique_id) as ids, sum(case when cluster_id > unique_id then 1 else 0 end) as bad from clusters`);
    expect(Number(r.n)).toBe(1000);
    expect(Number(r.ids)).toBe(1000);
    expect(Number(r.bad)).toBe(0);
  });
});
