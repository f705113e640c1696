/**
 * The baseline of the execution benchmarks: the SQL Weir sends, executed directly through
 * @duckdb/node-api on one connection, in dependency order, with no framework around it.
 *
 * Statements come from a Weir `manifest.json` (compiled SQL, relation names, materializations) and are
 * the ones Weir's materializations issue: `create schema if not exists`; views `create or replace view`;
 * tables CTAS into `<name>__weir_tmp` then (in a transaction) drop the old relation and rename; seeds the
 * same `read_csv(...)` CTAS + swap; tests `select count(*) from (<test sql>)`. What Weir adds on top
 * (parsing, rendering, relation-kind lookups, artifacts, events, scheduling) is what the ratio measures.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** One node's statements. */
interface Step {
  readonly uid: string;
  readonly sql: readonly string[];
}

type Obj = Record<string, unknown>;
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Splits `"schema"."name"` into its parts (quotes removed). */
function parts(relation: string): string[] {
  return [...relation.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1].replace(/""/g, '"'));
}

/**
 * Builds the statement list for the given resource types from a manifest.
 * @param manifestFile path of target/manifest.json written by a Weir run of the same project
 * @param projectRoot for seed file paths
 * @param only restricts the plan to these unique_ids (the nodes the Weir run executed)
 */
export function planFromManifest(manifestFile: string, projectRoot: string, types: readonly string[], only?: ReadonlySet<string>): { schemas: string[]; steps: Step[] } {
  const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as { nodes: Record<string, Obj>; parent_map: Record<string, string[]> };
  const nodes = m.nodes;
  const wanted = Object.keys(nodes).filter((u) => types.includes(String(nodes[u].resource_type)) && (nodes[u].config as Obj).materialized !== 'ephemeral' && (!only || only.has(u)));
  const want = new Set(wanted);
  // Topological order over every node (dependencies through ephemeral models count), ties in manifest order.
  const all = Object.keys(m.parent_map);
  const indeg = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const u of all) {
    const ps = m.parent_map[u] ?? [];
    indeg.set(u, ps.length);
    for (const p of ps) (children.get(p) ?? children.set(p, []).get(p)!).push(u);
  }
  const queue = all.filter((u) => indeg.get(u) === 0);
  const order: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i];
    if (want.has(u)) order.push(u);
    for (const c of children.get(u) ?? []) {
      indeg.set(c, indeg.get(c)! - 1);
      if (indeg.get(c) === 0) queue.push(c);
    }
  }
  const schemas = new Set<string>();
  const steps: Step[] = [];
  for (const uid of order) {
    const n = nodes[uid];
    const config = n.config as Obj;
    const type = n.resource_type;
    if (type === 'test') {
      steps.push({ uid, sql: [`select count(*) as failures from (\n${n.compiled_code}\n) as weir_test`] });
      continue;
    }
    const rel = String(n.relation_name);
    const [schema, name] = parts(rel).slice(-2);
    schemas.add(schema);
    const tmp = `"${schema}"."${name}__weir_tmp"`;
    const swap = [`drop table if exists ${tmp}`];
    const finish = ['begin transaction', `drop table if exists ${rel}`, `alter table ${tmp} rename to "${name}"`, 'commit'];
    if (type === 'seed') {
      const file = path.resolve(projectRoot, String(n.path));
      const delim = String(config.delimiter ?? (/\.tsv(\.gz)?$/.test(file) ? '\t' : ','));
      const opts = ['header = true', 'auto_detect = true', 'sample_size = -1', 'strict_mode = true', 'null_padding = false', `delim = ${lit(delim)}`, `quote = '"'`, `escape = '"'`];
      const types = Object.entries((config.column_types ?? {}) as Record<string, string>);
      if (types.length) opts.push(`types = {${types.map(([k, v]) => `${lit(k)}: ${lit(v)}`).join(', ')}}`);
      steps.push({ uid, sql: [`create or replace table ${tmp} as select * from read_csv(${lit(file)}, ${opts.join(', ')})`, `select count(*) from ${tmp}`, ...finish] });
    } else if (config.materialized === 'table') {
      steps.push({ uid, sql: [...swap, `create table ${tmp} as\n${n.compiled_code}`, ...finish] });
    } else {
      steps.push({ uid, sql: [`create or replace view ${rel} as\n${n.compiled_code}`] });
    }
  }
  return { schemas: [...schemas], steps };
}

/** Names of the project's UDFs in a manifest.json (dbt's `functions`; older manifests had `udfs`). */
export function udfNamesOf(manifest: { functions?: Record<string, unknown>; udfs?: Record<string, unknown> }): string[] {
  return Object.keys({ ...manifest.udfs, ...manifest.functions }).map((k) => k.split('.').pop()!);
}

/**
 * Executes a plan on a fresh database file, one connection, statement by statement.
 * @returns wall time in ms (open to close)
 */
export async function runDirect(dbPath: string, plan: { schemas: string[]; steps: Step[] }): Promise<number> {
  const t = performance.now();
  const db = await DuckDBInstance.create(dbPath);
  const conn = await db.connect();
  try {
    for (const s of plan.schemas) await conn.run(`create schema if not exists "${s}"`);
    for (const step of plan.steps) {
      for (const sql of step.sql) {
        try {
          await conn.runAndReadAll(sql);
        } catch (e) {
          throw new Error(`direct execution of ${step.uid} failed: ${(e as Error).message}`);
        }
      }
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return performance.now() - t;
}

/** DuckDB's version string. */
export async function duckdbVersion(): Promise<string> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const r = await conn.runAndReadAll('select version()');
  const v = String(r.getRows()[0][0]);
  conn.closeSync();
  db.closeSync();
  return v;
}
