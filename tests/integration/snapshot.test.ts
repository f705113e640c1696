/**
 * Snapshots on DuckDB, beyond the cross-engine acceptance cases (tests/conformance/snapshot-cases.ts):
 * `build` runs snapshots in DAG order (a model may ref a snapshot), a failing step rolls back, new query
 * columns are added, and the error paths (a table that is not the snapshot's, a key not in the query).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';

afterAll(cleanupProjects);

const rows = async (dir: string, sql: string) => {
  const r = await runCli(['query', sql, '--format', 'json'], dir);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>[];
};
const out = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;
const SNAP = '{{config unique_key="id" strategy="check" check_cols="all"}}\nselect * from {{ref "people"}}';

describe('snapshots on DuckDB', () => {
  it('build runs seeds, snapshots and the models that ref them in order; snapshot runs only snapshots', async () => {
    const dir = await makeProject({
      'seeds/people.csv': 'id,name\n1,a\n2,b\n',
      'snapshots/people_history.sql': SNAP,
      'models/current_people.sql': 'select id, name from {{ref "people_history"}} where weir_valid_to is null',
    });
    let r = await runCli(['build'], dir);
    expect(r.code, out(r)).toBe(0);
    expect(await rows(dir, 'select count(*)::int as n from main.current_people')).toEqual([{ n: 2 }]);
    writeFiles(dir, { 'seeds/people.csv': 'id,name\n1,a\n2,B\n' });
    expect((await runCli(['seed'], dir)).code).toBe(0);
    r = await runCli(['snapshot'], dir);
    expect(r.code, out(r)).toBe(0);
    expect(r.stdout).toMatch(/1 of 1 OK\s+snapshot "main"\."people_history"/);
    expect(await rows(dir, 'select id, name from main.people_history order by id, weir_valid_from')).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 2, name: 'B' }]);
    const ls = await runCli(['ls', '--resource-type', 'snapshot', '--output', 'json'], dir);
    expect(JSON.parse(ls.stdout.trim())).toMatchObject({ unique_id: 'snapshot.t.people_history', resource_type: 'snapshot', materialized: 'snapshot' });
  });

  it('a failing step rolls back: the history is unchanged and no working table is left', async () => {
    const dir = await makeProject({ 'snapshots/s.sql': '{{config unique_key="id" strategy="check" check_cols="all"}}select * from (values (1, 10), (2, 20)) v(id, n)' });
    expect((await runCli(['snapshot'], dir)).code).toBe(0);
    // id 1 changes: its current version is deleted first, then inserting the new one fails (text into an integer column).
    writeFiles(dir, { 'snapshots/s.sql': `{{config unique_key="id" strategy="check" check_cols="all"}}select * from (values (1, 'eleven'), (2, '20')) v(id, n)` });
    const r = await runCli(['snapshot'], dir);
    expect(r.code, out(r)).toBe(1);
    expect(out(r)).toMatch(/database error in snapshot 's' \(snapshots\/s\.sql\)/);
    expect(await rows(dir, 'select id, n, weir_valid_to from main.s order by id')).toEqual([{ id: 1, n: 10, weir_valid_to: null }, { id: 2, n: 20, weir_valid_to: null }]);
    expect(await rows(dir, "select table_name from duckdb_tables() where table_name like '%weir%'")).toEqual([]);
  });

  it('a new column in the query is added to the history (older versions get NULL)', async () => {
    const dir = await makeProject({ 'snapshots/s.sql': '{{config unique_key="id" strategy="check" check_cols="all"}}select 1 as id' });
    expect((await runCli(['snapshot'], dir)).code).toBe(0);
    writeFiles(dir, { 'snapshots/s.sql': `{{config unique_key="id" strategy="check" check_cols="all"}}select 1 as id, 'x' as note` });
    const r = await runCli(['snapshot'], dir);
    expect(r.code, out(r)).toBe(0);
    expect(await rows(dir, 'select id, note, weir_valid_to is null as current from main.s order by weir_valid_from')).toEqual([
      { id: 1, note: null, current: false }, { id: 1, note: 'x', current: true },
    ]);
  });

  it('a table that is not the snapshot\'s, or a key missing from the query, fails the snapshot with its file named', async () => {
    // The table is made outside the project's nodes (a model with the same relation is refused at parse time).
    const dir = await makeProject({
      'macros/make_taken.sql': 'create table main.taken as select 1 as id',
      'snapshots/s.sql': '{{config unique_key="id" strategy="check" check_cols="all" alias="taken"}}select 1 as id',
    });
    expect((await runCli(['run-operation', 'make_taken'], dir)).code).toBe(0);
    let r = await runCli(['snapshot'], dir);
    expect(r.code).toBe(1);
    expect(out(r)).toMatch(/snapshot 's'.*"main"\."taken" exists but has no weir_scd_id, weir_updated_at, weir_valid_from, weir_valid_to columns.*another name or alias/s);
    writeFiles(dir, { 'snapshots/s.sql': '{{config unique_key="id" strategy="timestamp" updated_at="changed_at"}}select 1 as id, current_timestamp as at' });
    r = await runCli(['snapshot'], dir);
    expect(r.code).toBe(1);
    expect(out(r)).toMatch(/snapshot 's'.*column changed_at named in its config is not in its query.*columns: id, at/s);
  });
});
