/**
 * (~1–2 min) The whole demo warehouse with `--target snowflake` against the local protocol server
 * (tests/servers/snowflake-server.ts — NOT Snowflake: it runs the SQL on DuckDB, so this proves the
 * adapter's loading, materializations and JavaScript-UDF deployment at demo scale, not that every model
 * is valid Snowflake SQL), with the same row counts as the DuckDB target for every relation. The
 * identity and privacy models call the project's scalar TypeScript UDFs, deployed as JavaScript UDFs;
 * `emails_translated` (a batch UDF needing a translation model) is skipped with a warning on both targets.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { runCli } from '../helpers/project.js';
import { startSnowflakeServer, type SnowflakeTestServer } from '../servers/snowflake-server.js';

const root = path.resolve(import.meta.dirname, '../..');
const PASSWORD = 'pw-demo-Snow-9921';
const PII_KEY = 'demo-pii-key-for-tests-0123456789';
let dir: string | undefined;
let server: SnowflakeTestServer | undefined;
afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('demo warehouse on the snowflake target (local protocol server, not Snowflake)', () => {
  it('builds every model with the same row counts as DuckDB', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'weir-sf-demo-'));
    for (const d of ['models', 'macros', 'seeds', 'udfs', 'tests', 'project.yaml']) if (existsSync(path.join(root, d))) cpSync(path.join(root, d), path.join(dir, d), { recursive: true });
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    server = await startSnowflakeServer({ users: { weir: PASSWORD } });
    writeFileSync(path.join(dir, 'project.yaml'), `${readFileSync(path.join(dir, 'project.yaml'), 'utf8')}  snowflake:
    type: snowflake
    account: acme-demo
    user: weir
    password: '{{env "SNOWFLAKE_PASSWORD"}}'
    database: analytics
    schema: main
    access_url: ${server.url}
    threads: 4
    seed_batch_rows: 5000
    connect_retries: 0
`);
    const { WEIR_TRANSLATION_MODEL_DIR: _noModel, ...parentEnv } = process.env;
    const base = { ...parentEnv, WEIR_PII_KEY: PII_KEY, SNOWFLAKE_PASSWORD: PASSWORD };
    const sfEnv = { ...base, WEIR_TARGET_PATH: 'target_sf' };

    // customer_rfm_export is materialized: external (a local Parquet file): DuckDB only, refused elsewhere.
    const s = await runCli(['build', '--target', 'snowflake', '--exclude', 'customer_rfm_export'], dir, sfEnv);
    expect(s.code, s.stdout + s.stderr).toBe(0);
    expect(server.unknownRequests).toEqual([]);
    // Seeds of 50,000 rows or more (seed_stage_rows' default) went through a stage + COPY INTO, the rest through INSERTs.
    const staged = server.queries.map((q) => /^copy into "ANALYTICS"\."\w+"\."(\w+)__WEIR_TMP"/.exec(q.sqlText)?.[1]).filter(Boolean);
    expect(staged.sort()).toEqual(['RAW_AB_ASSIGNMENTS', 'RAW_EVENTS', 'RAW_ORDERS', 'RAW_ORDER_ITEMS', 'RAW_PAGE_VIEWS']);
    expect(server.queries.some((q) => /^insert into "ANALYTICS"\."\w+"\."RAW_PRODUCTS__WEIR_TMP"/.test(q.sqlText))).toBe(true);
    // emails_translated needs a translation model: skipped with a warning, as on DuckDB.
    expect(s.stdout + s.stderr).toMatch(/emails_translated[\s\S]*translation model|translate[\s\S]*unavailable/i);
    // Every identity/privacy UDF was deployed as a JavaScript UDF; the PII key never reached Weir's output.
    const created = server.queries.map((q) => /^CREATE OR REPLACE SECURE FUNCTION ANALYTICS\.MAIN\.(\w+)\(/.exec(q.sqlText)?.[1]).filter(Boolean);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target_sf/manifest.json'), 'utf8')) as { functions: Record<string, { name: string; config: { weir: { kind: string; portable: boolean } } }> };
    const portable = Object.values(manifest.functions).filter((u) => u.config.weir.kind === 'scalar' && u.config.weir.portable).map((u) => u.name.toUpperCase());
    expect(portable).toEqual(expect.arrayContaining(['DETECT_PII', 'REDACT_PII', 'PII_HASH', 'NORMALIZE_NAME', 'DOUBLE_METAPHONE', 'FUZZ_TOKEN_SET_RATIO']));
    expect(new Set(created)).toEqual(new Set(portable));
    expect(s.stdout + s.stderr).not.toContain(PII_KEY);
    expect(s.stdout + s.stderr).not.toContain(PASSWORD);
    for (const f of readdirSync(path.join(dir, 'target_sf')).filter((n) => n.endsWith('.json'))) {
      const text = readFileSync(path.join(dir, 'target_sf', f), 'utf8');
      expect(text, f).not.toContain(PII_KEY);
      expect(text, f).not.toContain(PASSWORD);
    }


    const duckEnv = { ...base, WEIR_TARGET_PATH: 'target_duck', WEIR_DUCKDB_PATH: 'target_duck/weir.duckdb' };
    const d = await runCli(['build', '--exclude', 'customer_rfm_export'], dir, duckEnv);
    expect(d.code, d.stdout + d.stderr).toBe(0);

    const sfRelations = await server.duck(`select table_schema, table_name from information_schema.tables where table_catalog = 'ANALYTICS' and table_name not ilike '%weir%' order by 1, 2`);
    const duck = await DuckDBInstance.create(path.join(dir, 'target_duck/weir.duckdb'), { access_mode: 'READ_ONLY' });
    const conn = await duck.connect();
    try {
      const duckRelations = (await conn.runAndReadAll(`select upper(table_schema), upper(table_name) from information_schema.tables where table_catalog = 'weir' and table_name not ilike '%weir%' order by 1, 2`)).getRows();
      expect(sfRelations).toEqual(duckRelations);
      expect(sfRelations.length).toBeGreaterThan(40);
      for (const [schema, table] of sfRelations) {
        const sfRows = (await server.duck(`select count(*) from "ANALYTICS"."${String(schema)}"."${String(table)}"`))[0][0];
        const duckRows = (await conn.runAndReadAll(`select count(*) from "${String(schema).toLowerCase()}"."${String(table).toLowerCase()}"`)).getRows()[0][0];
        expect(sfRows, `${String(schema)}.${String(table)}`).toBe(duckRows);
      }
    } finally {
      conn.closeSync();
      duck.closeSync();
    }
  }, 900_000);
});
