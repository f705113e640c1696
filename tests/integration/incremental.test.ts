/**
 * Incremental models on DuckDB, beyond the cross-engine acceptance cases (tests/conformance): a failing
 * step rolls back (the table is left as it was), a view becomes an incremental table, is_incremental is
 * false when compiling, append_new_columns, and the error paths (bad config, unknown unique_key column,
 * bad --event-time-* flags) with the file named.
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

describe('incremental models on DuckDB', () => {
  it('a failing delete+insert rolls back: the table keeps its rows and no staging table is left', async () => {
    const dir = await makeProject({
      'models/inc.sql': '{{config materialized="incremental" incremental_strategy="delete+insert" unique_key="id"}}select * from (values (1, 10), (2, 20)) v(id, n)',
    });
    expect((await runCli(['run'], dir)).code).toBe(0);
    // The new version deletes id 1 first, then its insert fails (a text value into the integer column).
    writeFiles(dir, { 'models/inc.sql': `{{config materialized="incremental" incremental_strategy="delete+insert" unique_key="id"}}select * from (values (1, 'eleven')) v(id, n)` });
    const r = await runCli(['run'], dir);
    expect(r.code, out(r)).toBe(1);
    expect(out(r)).toMatch(/database error in model 'inc' \(models\/inc\.sql\).*eleven/s);
    expect(await rows(dir, 'select id, n from main.inc order by id')).toEqual([{ id: 1, n: 10 }, { id: 2, n: 20 }]);
    expect(await rows(dir, "select table_name from duckdb_tables() where table_name like '%weir%'")).toEqual([]);
  });

  it('a view becomes an incremental table; compile renders is_incremental false and {{this}} as the relation', async () => {
    const dir = await makeProject({ 'models/m.sql': 'select 1 as id' });
    expect((await runCli(['run'], dir)).code).toBe(0);
    writeFiles(dir, { 'models/m.sql': '{{config materialized="incremental"}}select 1 as id{{#if (is_incremental)}} where id > (select max(id) from {{this}}){{/if}}' });
    const c = await runCli(['compile', '--print'], dir);
    expect(c.code, out(c)).toBe(0);
    expect(c.stdout).not.toMatch(/max\(id\)/);
    const r = await runCli(['run'], dir);
    expect(r.code, out(r)).toBe(0);
    expect(await rows(dir, "select table_name from duckdb_tables() where table_name = 'm'")).toEqual([{ table_name: 'm' }]);
    // Now it is incremental: the filter is on and nothing new comes in.
    expect((await runCli(['run'], dir)).code).toBe(0);
    expect(await rows(dir, 'select count(*)::int as n from main.m')).toEqual([{ n: 1 }]);
  });

  it('append_new_columns adds the new column; old rows get NULL', async () => {
    const dir = await makeProject({ 'models/m.sql': '{{config materialized="incremental" on_schema_change="append_new_columns"}}select 1 as id' });
    expect((await runCli(['run'], dir)).code).toBe(0);
    writeFiles(dir, { 'models/m.sql': `{{config materialized="incremental" on_schema_change="append_new_columns"}}select 2 as id, 'x' as note` });
    expect((await runCli(['run'], dir)).code).toBe(0);
    expect(await rows(dir, 'select id, note from main.m order by id')).toEqual([{ id: 1, note: null }, { id: 2, note: 'x' }]);
  });

  it('a unique_key that is not an output column fails the node, naming the column and the model\'s columns', async () => {
    const dir = await makeProject({ 'models/m.sql': '{{config materialized="incremental" unique_key="order_id"}}select 1 as id' });
    expect((await runCli(['run'], dir)).code).toBe(0); // the first build needs no key
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(1);
    expect(out(r)).toMatch(/model 'm'.*unique_key column order_id not in the model's output.*columns: id/s);
  });

  it('bad config is a parse error naming the file (exit 2); bad --event-time flags are usage errors', async () => {
    const dir = await makeProject({ 'models/m.sql': '{{config materialized="incremental" incremental_strategy="upsert"}}select 1 as id' });
    let r = await runCli(['run'], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toMatch(/models\/m\.sql.*unknown incremental_strategy 'upsert'.*append, merge, delete\+insert, microbatch/s);
    writeFiles(dir, { 'models/m.sql': '{{config materialized="incremental"}}select 1 as id' });
    r = await runCli(['run', '--event-time-start', 'last tuesday'], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toMatch(/--event-time-start 'last tuesday' is not a date/);
    r = await runCli(['run', '--event-time-start', '2024-02-01', '--event-time-end', '2024-01-01'], dir);
    expect(r.code).toBe(2);
    expect(out(r)).toMatch(/--event-time-end .* must be after --event-time-start/);
  });

  it('microbatch filters upstream refs that declare event_time to the batch, and --full-refresh rebuilds', async () => {
    const dir = await makeProject({
      'seeds/ev.csv': 'id,ts\n1,2024-01-01 10:00:00\n2,2024-01-02 11:00:00\n3,2024-01-03 12:00:00\n',
      'seeds/ev.yml': 'seeds:\n  - name: ev\n    config:\n      event_time: ts\n',
      // Every batch counts the rows it sees: with the upstream filtered, each batch sees one row.
      'models/mb.sql': `{{config materialized="incremental" incremental_strategy="microbatch" event_time="ts" batch_size="day" begin="2024-01-01"}}
select id, ts, (select count(*) from {{ref "ev"}}) as seen from {{ref "ev"}}`,
    });
    expect((await runCli(['seed'], dir)).code).toBe(0);
    let r = await runCli(['run', '--event-time-end', '2024-01-04'], dir);
    expect(r.code, out(r)).toBe(0);
    expect(await rows(dir, 'select id, seen::int as seen from main.mb order by id')).toEqual([{ id: 1, seen: 1 }, { id: 2, seen: 1 }, { id: 3, seen: 1 }]);
    r = await runCli(['run', '--full-refresh', '--event-time-start', '2024-01-02', '--event-time-end', '2024-01-03'], dir);
    expect(r.code, out(r)).toBe(0);
    expect(await rows(dir, 'select id from main.mb order by id')).toEqual([{ id: 2 }]);
  });
  it('weir retry repeats a failed microbatch backfill with the same --event-time window', async () => {
    const cfg = '{{config materialized="incremental" incremental_strategy="microbatch" event_time="ts" batch_size="day" begin="2024-01-01"}}';
    const dir = await makeProject({
      'seeds/ev.csv': 'id,ts\n1,2024-01-01 10:00:00\n2,2024-01-02 11:00:00\n3,2024-01-03 12:00:00\n',
      'models/mb.sql': `${cfg}select id, ts, nope from {{ref "ev"}}`,
    });
    expect((await runCli(['seed'], dir)).code).toBe(0);
    const r = await runCli(['run', '--event-time-start', '2024-01-02', '--event-time-end', '2024-01-03'], dir);
    expect(r.code).toBe(1);
    writeFiles(dir, { 'models/mb.sql': `${cfg}select id, ts from {{ref "ev"}}` });
    const again = await runCli(['retry'], dir);
    expect(again.code, out(again)).toBe(0);
    expect(await rows(dir, 'select id from main.mb order by id')).toEqual([{ id: 2 }]);
  });
});
