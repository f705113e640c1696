/**
 * Entity-resolution scaling: N generated person records (clusters of 1–4 records of one person with
 * typos, swapped name order, changed emails and missing values), resolved by the repository's macros
 * (er_blocked_pairs → comparison levels → er_fellegi_sunter → er_clusters) rendered by Weir and run on
 * in-memory DuckDB. Reports wall time per stage, candidate pairs (blocking keeps them ~linear in N,
 * against N(N−1)/2 without it) and pairwise precision/recall against the generator's clusters; also the
 * same pipeline on Splink's fake_1000 reference set.
 */
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { renderWithWeir } from '../tests/helpers/render-macro.js';
import { FAKE_1000_BLOCKING, PEOPLE_LEVELS, SCALED_BLOCKING } from '../tests/helpers/er-people.js';
export { FAKE_1000_BLOCKING };
import { prng } from './util.js';

const SYLLABLES = ['ka', 'ren', 'mi', 'jo', 'lee', 'son', 'da', 'vid', 'an', 'na', 'el', 'la', 'ro', 'bert', 'su', 'jin', 'min', 'ho', 'ye', 'ji', 'ma', 'ry', 'tho', 'mas', 'li', 'sa', 'ben', 'ton', 'ha', 'eun'];
const CITIES = ['seoul', 'busan', 'london', 'leeds', 'boston', 'austin', 'denver', 'dublin', 'incheon', 'daegu'];


/** CSV text of n records: unique_id, first_name, surname, dob, city, email, cluster. Deterministic (mulberry32). */
export function makeRecords(n: number, seed = 7): string {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const typo = (s: string) => {
    if (s.length < 3 || r() > 0.3) return s;
    const i = 1 + Math.floor(r() * (s.length - 2));
    return r() < 0.5 ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  };
  const lines = ['unique_id,first_name,surname,dob,city,email,cluster'];
  let id = 0;
  for (let cluster = 0; id < n; cluster++) {
    const word = (k: number) => Array.from({ length: k }, () => pick(SYLLABLES)).join('');
    const first = word(2 + Math.floor(r() * 2)), last = word(2);
    const dob = `19${50 + Math.floor(r() * 50)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
    const city = pick(CITIES);
    const email = `${first}${Math.floor(r() * 1000)}@${pick(['gmail.com', 'naver.com', 'yahoo.com'])}`;
    const size = 1 + Math.floor(r() * r() * 4);
    for (let k = 0; k < size && id < n; k++, id++) {
      const f = k === 0 ? first : typo(first);
      const l = k === 0 ? last : typo(last);
      const swap = k > 0 && r() < 0.1;
      lines.push([id, swap ? l : f, swap ? f : l, r() < 0.1 ? '' : dob, r() < 0.2 ? '' : city, r() < 0.2 ? '' : k > 0 && r() < 0.3 ? typo(email) : email, cluster].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}


/** One resolution run. Times in seconds. */
export interface ErRun {
  readonly records: number;
  readonly candidatePairs: number;
  readonly allPairs: number;
  readonly blockSeconds: number;
  readonly scoreSeconds: number;
  readonly clusterSeconds: number;
  readonly totalSeconds: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** Resolves the CSV at `csvPath` (columns as {@link makeRecords}) and scores it against `cluster`. */
export async function resolveRecords(csvPath: string, blocking: string = SCALED_BLOCKING): Promise<ErRun> {
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await db.connect();
  try {
    await conn.run(`create table people as select * from read_csv('${csvPath}', header = true, types = {'dob': 'VARCHAR'})`);
    const rules = blocking;
    let t = performance.now();
    await conn.run(`create table candidate_pairs as ${renderWithWeir(`{{> er_blocked_pairs relation="people" id_col="unique_id" rules=(array ${rules})}}`)}`);
    const blockSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    await conn.run(`create table levels as ${PEOPLE_LEVELS}`);
    await conn.run(`create table scored as ${renderWithWeir(`{{> er_fellegi_sunter pairs="levels" iterations=10 gamma_cols=(array "gamma_first_name" "gamma_surname" "gamma_dob" "gamma_city" "gamma_email") tf_cols=(array "gamma_first_name" "gamma_surname") tf_value_cols=(array "first_name_tf" "surname_tf")}}`)}`);
    const scoreSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    await conn.run(`create table clusters as ${renderWithWeir(`{{> er_clusters nodes="people" id_col="unique_id" edges="scored" where="match_probability >= 0.5"}}`)}`);
    const clusterSeconds = (performance.now() - t) / 1000;
    const r = (await conn.runAndReadAll(`
      with pred as (select a.unique_id l, b.unique_id r from clusters a join clusters b on a.cluster_id = b.cluster_id and a.unique_id < b.unique_id),
      truth as (select a.unique_id l, b.unique_id r from people a join people b on a.cluster = b.cluster and a.unique_id < b.unique_id)
      select (select count(*) from people) n, (select count(*) from candidate_pairs) c, (select count(*) from pred) p, (select count(*) from truth) t,
             (select count(*) from pred join truth using (l, r)) tp`)).getRowObjectsJS()[0];
    const n = Number(r.n), tp = Number(r.tp);
    const precision = tp / Number(r.p), recall = tp / Number(r.t);
    return {
      records: n, candidatePairs: Number(r.c), allPairs: (n * (n - 1)) / 2, blockSeconds, scoreSeconds, clusterSeconds,
      totalSeconds: blockSeconds + scoreSeconds + clusterSeconds, precision, recall, f1: (2 * precision * recall) / (precision + recall),
    };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** Splink's fake_1000 through the same pipeline (the reference set the tests use). */
export function fake1000Path(): string {
  return path.resolve(import.meta.dirname, '../../shared/data/splink_fake_1000/fake_1000.csv');
}
