/**
 * Snowflake seeds through a stage: a seed at or above the target's `seed_stage_rows` / `seed_stage_bytes` is
 * PUT to a temporary stage and loaded with COPY INTO; smaller ones use batched INSERTs. Runs on the Snowflake
 * protocol server (NOT Snowflake): it answers the PUT with a LOCAL_FS stage, snowflake-sdk's own file-transfer
 * code compresses and copies the file there, and COPY INTO reads that folder with DuckDB's CSV reader. Every
 * statement passes the Snowflake grammar check first.
 */
import { readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';
import { startSnowflakeServer, type SnowflakeTestServer } from '../servers/snowflake-server.js';

describe('Snowflake seeds through a stage + COPY INTO', () => {
  let snowflake: SnowflakeTestServer;
  const env = { ...process.env, SF_PW: 'pw-stage-1' };
  const project = (extra: string) => `name: t
target: snowflake
targets:
  snowflake: { type: snowflake, account: acme, user: weir_ci, password: '{{env "SF_PW"}}', database: analytics, schema: dev, access_url: '${'URL'}', seed_stage_rows: 4${extra} }
`;
  beforeAll(async () => {
    snowflake = await startSnowflakeServer({ users: { weir_ci: 'pw-stage-1' } });
  });
  afterAll(async () => {
    await snowflake?.close();
    await cleanupProjects();
  });

  it('loads big seeds (csv, tsv, csv.gz) with CREATE TEMPORARY STAGE, PUT, COPY INTO; small ones with INSERT', async () => {
    const csv = 'id,name,amount,day\n1,"Kim, Ana",1.5,2024-01-02\n2,"say ""hi""",,2024-01-03\n3,,2.25,\n4,Lee,3,2024-01-05\n5,Park,4,2024-01-06\n';
    const dir = await makeProject({
      'project.yaml': project('').replace('URL', snowflake.url),
      'seeds/big.csv': csv,
      'seeds/big_tab.tsv': csv.replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/g, '\t'),
      'seeds/big_gz.csv.gz': gzipSync(csv),
      'seeds/small.csv': 'id,name\n1,a\n2,b\n',
    });
    const r = await runCli(['seed'], dir, env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const sent = snowflake.queries.map((q) => q.sqlText);
    const of = (name: string) => sent.filter((s) => s.includes(`"${name}__WEIR_STAGE"`));
    for (const [name, file, delim] of [['BIG', 'big.csv', "','"], ['BIG_TAB', 'big_tab.tsv', "'\t'"], ['BIG_GZ', 'big_gz.csv.gz', "','"]]) {
      const stmts = of(name);
      expect(stmts).toHaveLength(4);
      expect(stmts[0]).toBe(`create or replace temporary stage "ANALYTICS"."DEV"."${name}__WEIR_STAGE"`);
      expect(stmts[1]).toMatch(new RegExp(`^put 'file:///.*/seeds/${file.replace(/\./g, '\\.')}' @"ANALYTICS"\\."DEV"\\."${name}__WEIR_STAGE" auto_compress = true overwrite = true$`));
      expect(stmts[2]).toBe(`copy into "ANALYTICS"."DEV"."${name}__WEIR_TMP" ("ID", "NAME", "AMOUNT", "DAY") from @"ANALYTICS"."DEV"."${name}__WEIR_STAGE" file_format = (type = csv field_delimiter = ${delim} skip_header = 1 field_optionally_enclosed_by = '"' empty_field_as_null = true null_if = ('') compression = auto) on_error = abort_statement purge = true`);
      expect(stmts[3]).toBe(`drop stage if exists "ANALYTICS"."DEV"."${name}__WEIR_STAGE"`);
      const rows = await snowflake.duck(`select id, name, amount, cast(day as varchar), typeof(id), typeof(amount), typeof(day) from analytics.dev.${name.toLowerCase()} order by id`);
      expect(rows).toEqual([
        [1n, 'Kim, Ana', 1.5, '2024-01-02', 'BIGINT', 'DOUBLE', 'DATE'],
        [2n, 'say "hi"', null, '2024-01-03', 'BIGINT', 'DOUBLE', 'DATE'],
        [3n, null, 2.25, null, 'BIGINT', 'DOUBLE', 'DATE'],
        [4n, 'Lee', 3, '2024-01-05', 'BIGINT', 'DOUBLE', 'DATE'],
        [5n, 'Park', 4, '2024-01-06', 'BIGINT', 'DOUBLE', 'DATE'],
      ]);
    }
    // The small seed was inserted, not staged.
    expect(sent.some((s) => /SMALL__WEIR_STAGE/.test(s))).toBe(false);
    expect(sent.some((s) => /^insert into "ANALYTICS"\."DEV"\."SMALL__WEIR_TMP"/.test(s))).toBe(true);
    expect(await snowflake.duck('select count(*) from analytics.dev.small')).toEqual([[2n]]);
  }, 120_000);

  it('a value COPY cannot load fails the seed naming the file; the stage is dropped', async () => {
    const dir = await makeProject({
      'project.yaml': project(', seed_stage_bytes: 0').replace('URL', snowflake.url),
      'seeds/bad.csv': 'id,n\n1,2\n2,x\n',
      'seeds/seeds.yml': 'version: 2\nseeds:\n  - name: bad\n    config:\n      column_types: { n: BIGINT }\n',
    });
    const r = await runCli(['seed'], dir, env);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/seeds\/bad\.csv.*seed could not be loaded into "ANALYTICS"\."DEV"\."BAD__WEIR_TMP" through stage "ANALYTICS"\."DEV"\."BAD__WEIR_STAGE"/);
    expect(snowflake.queries.map((q) => q.sqlText).at(-2)).toBe('drop stage if exists "ANALYTICS"."DEV"."BAD__WEIR_STAGE"');
  }, 120_000);
});
