/**
 * (~2 min alone; longer on a loaded machine) The whole demo warehouse — seeds, staging, intermediate, marts, and the identity and privacy
 * models that call TypeScript UDFs (fuzzy matching, PII detection/redaction/pseudonyms) — built with
 * `weir build --target trino` against the local protocol server (tests/servers/trino-server.ts — NOT
 * Trino: it runs the SQL on DuckDB). It proves:
 * - the adapter's loading and materializations at demo scale (not that the demo SQL is portable Trino SQL:
 *   the identity models use DuckDB-only functions, which the server's DuckDB accepts);
 * - the client-side UDF path (execution/udfs/client-udfs.ts): every UDF call is evaluated in TypeScript from
 *   the distinct arguments read over the Trino protocol and read back through lookup tables, with the
 *   same row counts as the DuckDB target for every relation, and the same values as DuckDB's in-process
 *   UDFs for the UDF-derived columns (compared by an order-independent fingerprint, same PII key);
 * - `emails_translated` (batch UDF `translate`, no model configured) is skipped with a warning on both
 *   targets while the rest of the build succeeds.
 * The demo files are copied, not edited.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/project.js';
import { TrinoTestServer } from '../servers/trino-server.js';

const root = path.resolve(import.meta.dirname, '../..');
let dir: string | undefined;
let server: TrinoTestServer | undefined;
afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Order-independent fingerprint of the UDF-derived columns of a relation (same SQL on both sides: DuckDB). */
const FINGERPRINTS: Record<string, string> = {
  'main_identity.int_identity_records': `select count(*) as n, md5(string_agg(record_id || '|' || coalesce(name_norm, '∅') || '|' || coalesce(name_key1, '∅') || '|' || coalesce(name_key2, '∅') || '|' || coalesce(family_dm, '∅') || '|' || coalesce(given_dm, '∅'), ',' order by record_id)) as f from REL`,
  'main_identity.customer_email_matching': `select count(*) as n, md5(string_agg(email_id || '|' || coalesce(customer_id, '∅') || '|' || match_method || '|' || coalesce(cast(round(match_score, 9) as varchar), '∅'), ',' order by email_id)) as f from REL`,
  'main_identity.identity_pair_scores': `select count(*) as n, md5(string_agg(id_l || '|' || id_r || '|' || gamma_name || '|' || gamma_email, ',' order by id_l, id_r)) as f from REL`,
  'main_privacy.emails_anonymized': `select count(*) as n, md5(string_agg(email_id || '|' || coalesce(sender_pseudonym, '∅') || '|' || coalesce(subject_redacted, '∅') || '|' || coalesce(body_redacted, '∅'), ',' order by email_id)) as f from REL`,
  'main_privacy.customers_anonymized': `select count(*) as n, md5(string_agg(customer_pseudonym || '|' || coalesce(email_pseudonym, '∅') || '|' || coalesce(phone_pseudonym, '∅'), ',' order by customer_pseudonym)) as f from REL`,
};

describe('demo warehouse on the trino target', () => {
  it('builds the whole demo, UDF models included, with the same rows and UDF values as DuckDB', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'weir-trino-demo-'));
    for (const d of ['models', 'macros', 'seeds', 'udfs', 'tests', 'project.yaml']) if (existsSync(path.join(root, d))) cpSync(path.join(root, d), path.join(dir, d), { recursive: true });
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    server = await TrinoTestServer.start({ catalogs: ['lake'], pageSize: 1000 });
    writeFileSync(path.join(dir, 'project.yaml'), `${readFileSync(path.join(dir, 'project.yaml'), 'utf8')}  trino:\n    type: trino\n    server: ${server.url}\n    user: weir\n    catalog: lake\n    schema: main\n    threads: 4\n    seed_batch_rows: 2000\n`);
    // One PII key for both targets, so pseudonyms are comparable; no translation model on either.
    const base = { ...process.env, WEIR_PII_KEY: 'trino-demo-test-key', WEIR_TRANSLATION_MODEL_DIR: '' };
    const env = { ...base, WEIR_TARGET_PATH: 'target_trino' };
    // customer_rfm_export is materialized: external (a local Parquet file): DuckDB only, refused elsewhere.
    const t = await runCli(['build', '--target', 'trino', '--quiet', '--exclude', 'customer_rfm_export'], dir, env);
    expect(t.code, t.stdout + t.stderr).toBe(0);
    const duckEnv = { ...base, WEIR_TARGET_PATH: 'target_duck', WEIR_DUCKDB_PATH: 'target_duck/weir.duckdb' };
    const d = await runCli(['build', '--quiet'], dir, duckEnv);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    for (const target of ['target_trino', 'target_duck']) {
      const results = (JSON.parse(readFileSync(path.join(dir, target, 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message?: string }[] }).results;
      const translated = results.find((r) => r.unique_id === 'model.weir_demo.emails_translated');
      expect(translated, target).toMatchObject({ status: 'skipped', message: expect.stringMatching(/on_udf_unavailable: skip.*UDF translate .*unavailable/) });
      expect(results.filter((r) => r.status === 'error' || r.status === 'fail'), target).toEqual([]);
    }

    const rels = await server.query(`select table_schema, table_name from information_schema.tables where table_catalog = 'lake' and table_name not like '%weir%' order by 1, 2`);
    const names = rels.map((r) => `${String(r.table_schema)}.${String(r.table_name)}`);
    for (const k of Object.keys(FINGERPRINTS)) expect(names).toContain(k);
    expect(rels.length).toBeGreaterThan(35);
    for (const r of rels) {
      const rel = `"${String(r.table_schema)}"."${String(r.table_name)}"`;
      const tn = Number((await server.query(`select count(*) as n from lake.${rel}`))[0].n);
      const q = await runCli(['query', `select count(*) as n from ${rel}`, '--format', 'json'], dir, duckEnv);
      expect(tn, rel).toBe(Number((JSON.parse(q.stdout) as { n: number }[])[0].n));
    }
    for (const [name, sql] of Object.entries(FINGERPRINTS)) {
      const [schema, table] = name.split('.');
      const onTrino = (await server.query(sql.replace('REL', `lake."${schema}"."${table}"`)))[0];
      const q = await runCli(['query', sql.replace('REL', `"${schema}"."${table}"`), '--format', 'json'], dir, duckEnv);
      const onDuck = (JSON.parse(q.stdout) as { n: number; f: string }[])[0];
      expect(Number(onTrino.n), name).toBeGreaterThan(0);
      expect({ n: Number(onTrino.n), f: onTrino.f }, name).toEqual({ n: Number(onDuck.n), f: onDuck.f });
    }
    // The lookup tables of the client-side UDFs are dropped after each node; the batch cache stays.
    const leftovers = await server.query(`select table_name from information_schema.tables where table_catalog = 'lake' and table_name like 'weir_udf_%' and table_name <> 'weir_udf_cache'`);
    expect(leftovers).toEqual([]);
  }, 900_000);
});
