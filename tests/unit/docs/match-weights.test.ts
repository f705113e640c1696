/**
 * The docs site's match-weights data (src/docs/match-weights.ts): which relations are er_fellegi_sunter parameter
 * tables, and the chart's data from their rows — rows produced by the real macro on Splink's fake_1000, and
 * malformed rows that must be reported, not drawn.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { isMatchWeightsTable, matchWeightsFrom } from '../../../src/docs/match-weights.js';
import { renderWithWeir } from '../../helpers/render-macro.js';
import { FAKE_1000_BLOCKING, FAKE_1000_RULE_GAMMAS, peopleLevels, trainedArgs } from '../../helpers/er-people.js';

const fake1000 = path.resolve(__dirname, '../../../../shared/data/splink_fake_1000/fake_1000.csv');
let db: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:', { threads: '1' });
  conn = await db.connect();
  await conn.run(`create table fake as select * from read_csv('${fake1000}', header = true, types = {'dob': 'VARCHAR'})`);
  await conn.run(`create table fake_pairs as ${renderWithWeir(`{{> er_blocked_pairs relation="fake" id_col="unique_id" rules=(array ${FAKE_1000_BLOCKING})}}`)}`);
  await conn.run(`create table fake_random as ${renderWithWeir('{{> er_random_pairs relation="fake" id_col="unique_id"}}')}`);
  await conn.run(`create table fake_levels as ${peopleLevels('fake_pairs', 'fake')}`);
  await conn.run(`create table fake_u_levels as ${peopleLevels('fake_random', 'fake')}`);
}, 60_000);

afterAll(() => {
  conn?.closeSync();
  db?.closeSync();
});

describe('match-weights data', () => {
  it('recognises a parameter table by its columns, in any case', () => {
    expect(isMatchWeightsTable(['comparison', 'level', 'm', 'u', 'bayes_factor', 'match_weight', 'lambda'])).toBe(true);
    expect(isMatchWeightsTable(['COMPARISON', 'LEVEL', 'M', 'U', 'BAYES_FACTOR', 'MATCH_WEIGHT'])).toBe(true);
    expect(isMatchWeightsTable(['id_l', 'id_r', 'match_weight', 'match_probability'])).toBe(false); // scored pairs
    expect(isMatchWeightsTable(['comparison', 'level', 'm', 'u', 'match_weight'])).toBe(false);
  });

  it("reads er_fellegi_sunter's parameter rows: prior, comparisons in order, levels highest first, λ facts", async () => {
    const reader = await conn.runAndReadAll(renderWithWeir(`{{> er_fellegi_sunter ${trainedArgs('fake', FAKE_1000_RULE_GAMMAS)} output="parameters"}}`));
    const rows = reader.getRowObjectsJS() as Record<string, unknown>[];
    const mw = matchWeightsFrom(rows);
    const prior = rows.find((r) => r.level === null)!;
    expect(mw.prior).toEqual({ lambda: Number(prior.lambda), match_weight: Number(prior.match_weight), source: 'em' });
    expect(mw.prior!.match_weight).toBeCloseTo(Math.log2(mw.prior!.lambda / (1 - mw.prior!.lambda)), 9);
    expect(mw.comparisons.map((c) => c.name)).toEqual(['gamma_city', 'gamma_dob', 'gamma_email', 'gamma_first_name', 'gamma_surname']);
    expect(mw.comparisons.find((c) => c.name === 'gamma_dob')!.levels.map((l) => l.level)).toEqual([5, 4, 3, 2, 1, 0]);
    const levelRows = rows.filter((r) => r.level !== null);
    expect(mw.comparisons.reduce((n, c) => n + c.levels.length, 0)).toBe(levelRows.length);
    for (const c of mw.comparisons) {
      for (const l of c.levels) {
        const r = levelRows.find((x) => x.comparison === c.name && Number(x.level) === l.level)!;
        expect(l).toEqual({ comparison: c.name, level: l.level, m: Number(r.m), u: Number(r.u), bayes_factor: Number(r.bayes_factor), match_weight: Number(r.match_weight) });
        expect(l.match_weight).toBeCloseTo(Math.log2(l.m / l.u), 9);
      }
    }
    expect(mw.lambda_em).toBe(Number(prior.lambda_em));
    expect(mw.lambda_deterministic).toBeUndefined();
    expect(mw.converged).toBe(prior.converged);
    expect(mw.warning).toBe(prior.warning ?? undefined);
  });

  it('keeps the warning of a table whose λ estimates disagree', async () => {
    const rows = (await conn.runAndReadAll(renderWithWeir(`{{> er_fellegi_sunter ${trainedArgs('fake', FAKE_1000_RULE_GAMMAS)} deterministic="gamma_email = 3" deterministic_recall=0.05 output="parameters"}}`))).getRowObjectsJS() as Record<string, unknown>[];
    const mw = matchWeightsFrom(rows);
    expect(mw.warning).toMatch(/^EM's lambda .* and the deterministic estimate .* differ by a factor of/);
    expect(mw.prior!.source).toBe('deterministic');
    expect(mw.lambda_deterministic).toBeGreaterThan(0);
  });

  it('accepts numbers as bigints or numeric strings and upper-case column names (as engines return them)', () => {
    const mw = matchWeightsFrom([
      { COMPARISON: 'name', LEVEL: 1n, M: '0.9', U: '0.1', BAYES_FACTOR: '9', MATCH_WEIGHT: String(Math.log2(9)) },
      { COMPARISON: 'name', LEVEL: 0n, M: 0.1, U: 0.9, BAYES_FACTOR: 1 / 9, MATCH_WEIGHT: -Math.log2(9) },
    ]);
    expect(mw.prior).toBeUndefined();
    expect(mw.comparisons).toEqual([{ name: 'name', levels: [
      { comparison: 'name', level: 1, m: 0.9, u: 0.1, bayes_factor: 9, match_weight: Math.log2(9) },
      { comparison: 'name', level: 0, m: 0.1, u: 0.9, bayes_factor: 1 / 9, match_weight: -Math.log2(9) },
    ] }]);
  });

  it('reports malformed rows with their row and column, and a table without levels', () => {
    const ok = { comparison: 'name', level: 1, m: 0.9, u: 0.1, bayes_factor: 9, match_weight: 3.17 };
    expect(() => matchWeightsFrom([ok, { ...ok, level: 0, u: 'n/a' }])).toThrow('row 2, column u: n/a is not a finite number');
    expect(() => matchWeightsFrom([{ ...ok, level: 1.5 }])).toThrow('row 1, column level: 1.5 is not an integer comparison level');
    expect(() => matchWeightsFrom([{ ...ok, comparison: '' }])).toThrow('row 1, column comparison: empty comparison name');
    expect(() => matchWeightsFrom([{ comparison: 'prior (lambda)', level: null, lambda: 0.01, match_weight: -6.6 }])).toThrow('no comparison level rows');
  });
});
