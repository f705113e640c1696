/**
 * Synthetic Weir projects for the benchmarks.
 *
 * {@link generateLayeredProject} writes a realistic layered warehouse of N models: small CSV seeds, staging
 * models that each read one seed (through macros such as `{{> cents_to_dollars}}` and `{{> surrogate_key}}`,
 * some with `{{config}}` blocks and `{{#if (var ...)}}` branches), intermediate models joining 2–4 upstream
 * refs, marts joining intermediates (tables, by folder config), a schema YAML per folder of ~50 models with
 * descriptions and generic tests (not_null, unique, accepted_values, relationships), and a few singular
 * tests. The SQL is valid DuckDB, so the same project can also be run.
 *
 * {@link generateChainProject} writes N trivial models (each `select` from up to two earlier models) for the
 * execution benchmark, as views or tables.
 *
 * Generation is deterministic (a seeded PRNG), so every run measures the same project.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { prng } from './util.js';


const pad = (n: number, w = 5) => String(n).padStart(w, '0');

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** project.yaml of a generated project. */
function projectYaml(name: string, dbPath: string, threads: number, materialized = 'view'): string {
  return `name: ${name}
version: 1.0.0
model-paths: [models]
seed-paths: [seeds]
macro-paths: [macros]
test-paths: [tests]
target-path: target
vars:
  include_deleted: false
  min_amount: 0
models:
  ${name}:
    +materialized: ${materialized}
    staging:
      +schema: staging
      +tags: [staging]
    intermediate:
      +schema: intermediate
      +tags: [intermediate]
    marts:
      +schema: marts
      +materialized: table
      +tags: [marts]
seeds:
  +schema: raw
target: dev
targets:
  dev:
    type: duckdb
    path: ${JSON.stringify(dbPath)}
    schema: main
    threads: ${threads}
`;
}

const MACROS: Record<string, string> = {
  cents_to_dollars: `{{!-- cents_to_dollars: an integer cents column as dollars. Call: {{> cents_to_dollars column="amount_cents"}} --}}
round(cast({{column}} as decimal(18, 2)) / 100, 2)`,
  surrogate_key: `{{!-- surrogate_key: md5 of two columns. Call: {{> surrogate_key a="id" b="status"}} --}}
md5(coalesce(cast({{a}} as varchar), '') || '|' || coalesce(cast({{b}} as varchar), ''))`,
  clean_status: `{{!-- clean_status: lower-cased, trimmed status with a default. --}}
coalesce(nullif(lower(trim({{column}})), ''), 'unknown')`,
  safe_divide: `{{!-- safe_divide: a / b, NULL when b is 0. --}}
case when {{denominator}} = 0 then null else {{numerator}} / {{denominator}} end`,
  date_spine_filter: `{{!-- date_spine_filter: keeps rows from the last N days of the data. --}}
{{column}} >= (select max({{column}}) from {{relation}}) - interval {{days}} day`,
  not_deleted: `{{!-- not_deleted: excludes soft-deleted rows unless vars.include_deleted. --}}
{{#if (var "include_deleted" false)}}true{{else}}not is_deleted{{/if}}`,
  amount_bucket: `{{!-- amount_bucket: a coarse bucket of an amount. --}}
case when {{column}} < 10 then 'small' when {{column}} < 100 then 'medium' else 'large' end`,
  audit_columns: `{{!-- audit_columns: load metadata columns. Uses the model name. --}}
current_timestamp as _loaded_at, {{literal name}} as _model`,
};

const STATUSES = ['active', 'pending', 'closed', 'unknown'];

/** Shape of a generated layered project. */
export interface LayeredProjectInfo {
  readonly root: string;
  readonly models: number;
  readonly seeds: number;
  readonly tests: number;
  readonly macros: number;
  readonly files: number;
}

/**
 * Writes a layered project of `models` models under `root`.
 * Mix: 30% staging, 45% intermediate, 25% marts; one seed per 6 staging models.
 */
export function generateLayeredProject(root: string, models: number, opts: { seed?: number; seedRows?: number; dbPath?: string } = {}): LayeredProjectInfo {
  const rnd = prng(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const nStg = Math.max(1, Math.round(models * 0.3));
  const nInt = Math.max(1, Math.round(models * 0.45));
  const nMart = Math.max(1, models - nStg - nInt);
  const nSeeds = Math.max(1, Math.ceil(nStg / 6));
  const seedRows = opts.seedRows ?? 5;
  let files = 0;
  let tests = 0;
  const put = (rel: string, text: string) => {
    write(path.join(root, rel), text);
    files++;
  };

  put('project.yaml', projectYaml('bench_layered', opts.dbPath ?? 'target/bench.duckdb', 4));
  for (const [name, body] of Object.entries(MACROS)) put(`macros/${name}.sql`, `${body}\n`);

  // --- seeds: id, fk_id, amount_cents, status, created_at, is_deleted
  const seedNames: string[] = [];
  const seedYaml: string[] = ['version: 2', 'seeds:'];
  for (let i = 0; i < nSeeds; i++) {
    const name = `raw_src_${pad(i)}`;
    seedNames.push(name);
    const rows = ['id,fk_id,amount_cents,status,created_at,is_deleted'];
    for (let r = 1; r <= seedRows; r++) rows.push(`${r},${(r % 3) + 1},${Math.floor(rnd() * 100000)},${pick(STATUSES)},2025-0${1 + (r % 9)}-1${r % 10} 10:00:00,${r % 7 === 0}`);
    put(`seeds/src_${Math.floor(i / 50)}/${name}.csv`, `${rows.join('\n')}\n`);
    seedYaml.push(`  - name: ${name}`, `    description: Raw extract ${i}.`, '    config:', '      column_types: {id: integer, fk_id: integer}');
  }
  put('seeds/seeds.yml', `${seedYaml.join('\n')}\n`);

  // Schema YAML groups of 50 models per folder.
  const yamlGroups = new Map<string, string[]>();
  const addDoc = (folder: string, entry: string) => {
    const g = yamlGroups.get(folder) ?? [];
    g.push(entry);
    yamlGroups.set(folder, g);
  };

  // --- staging
  const stgNames: string[] = [];
  for (let i = 0; i < nStg; i++) {
    const name = `stg_m${pad(i)}`;
    stgNames.push(name);
    const seed = seedNames[i % nSeeds];
    const folder = `staging/src_${Math.floor(i / 50)}`;
    const cfg = i % 10 === 0 ? `{{config materialized="table" tags=(array "hourly")}}\n` : i % 7 === 0 ? `{{config tags=(array "pii")}}\n` : '';
    const sql = `{{!-- Staging of ${seed}: typed, cleaned, soft deletes removed. --}}
${cfg}select
    id,
    fk_id,
    {{> cents_to_dollars column="amount_cents"}} as amount,
    {{> clean_status column="status"}} as status,
    cast(created_at as timestamp) as created_at,
    {{> surrogate_key a="id" b="fk_id"}} as row_key,
    {{> audit_columns}}
from {{ref "${seed}"}}
where {{> not_deleted}}
{{#if (gt (var "min_amount" 0) 0)}}
  and amount_cents >= {{var "min_amount"}}
{{/if}}
`;
    put(`models/${folder}/${name}.sql`, sql);
    tests += 3;
    addDoc(folder, `  - name: ${name}
    description: Staging of ${seed}.
    columns:
      - name: id
        description: Primary key.
        tests: [not_null, unique]
      - name: status
        tests:
          - accepted_values: {values: [${STATUSES.join(', ')}]}
      - name: amount
        description: Amount in dollars.`);
  }

  // --- intermediate: join 2-4 upstream (staging, or earlier intermediates)
  const intNames: string[] = [];
  for (let i = 0; i < nInt; i++) {
    const name = `int_m${pad(i)}`;
    const k = 2 + Math.floor(rnd() * 3);
    const ups = new Set<string>();
    while (ups.size < k) {
      ups.add(intNames.length > 0 && rnd() < 0.3 ? pick(intNames.slice(-200)) : pick(stgNames));
    }
    const upList = [...ups];
    const folder = `intermediate/domain_${Math.floor(i / 50)}`;
    const ctes = upList.map((u, j) => `u${j} as (\n    select id, fk_id, amount, status from {{ref "${u}"}}\n)`).join(',\n');
    const joins = upList.slice(1).map((_, j) => `left join u${j + 1} on u${j + 1}.id = u0.fk_id`).join('\n');
    const amountSum = upList.map((_, j) => `coalesce(u${j}.amount, 0)`).join(' + ');
    const cfg = i % 15 === 0 ? `{{config materialized="table"}}\n` : '';
    const sql = `{{!-- Intermediate ${i}: joins ${upList.join(', ')}. --}}
${cfg}with ${ctes}
select
    u0.id,
    u0.fk_id,
    u0.status,
    ${amountSum} as total_amount,
    {{> amount_bucket column="u0.amount"}} as amount_bucket,
    {{> safe_divide numerator="u0.amount" denominator="coalesce(u1.amount, 0)"}} as ratio
from u0
${joins}
`;
    put(`models/${folder}/${name}.sql`, sql);
    intNames.push(name);
    const rel = i % 4 === 0 ? `
      - name: fk_id
        tests:
          - relationships: {to: ref('${upList[1]}'), field: id, severity: warn}` : '';
    tests += 1 + (rel ? 1 : 0);
    addDoc(folder, `  - name: ${name}
    description: Intermediate join ${i}.
    columns:
      - name: id
        tests: [not_null]${rel}`);
  }

  // --- marts: aggregate 2-4 intermediates
  for (let i = 0; i < nMart; i++) {
    const name = `mart_m${pad(i)}`;
    const k = 2 + Math.floor(rnd() * 3);
    const ups = new Set<string>();
    while (ups.size < Math.min(k, intNames.length)) ups.add(pick(intNames));
    const upList = [...ups];
    const folder = `marts/domain_${Math.floor(i / 50)}`;
    const unions = upList.map((u) => `    select id, status, total_amount from {{ref "${u}"}}`).join('\n    union all\n');
    const cfg = i % 5 === 0 ? `{{config materialized="view" tags=(array "light")}}\n` : '';
    const sql = `{{!-- Mart ${i}: totals per status over ${upList.length} intermediates. --}}
${cfg}with unioned as (
${unions}
)
select
    status,
    count(*) as row_count,
    sum(total_amount) as total_amount,
    {{> safe_divide numerator="sum(total_amount)" denominator="count(*)"}} as avg_amount
from unioned
group by status
`;
    put(`models/${folder}/${name}.sql`, sql);
    tests += 2;
    addDoc(folder, `  - name: ${name}
    description: Mart ${i}.
    columns:
      - name: status
        tests: [not_null, unique]`);
  }

  for (const [folder, entries] of yamlGroups) put(`models/${folder}/schema.yml`, `version: 2\nmodels:\n${entries.join('\n')}\n`);

  // --- a few singular tests
  const nSingular = Math.max(1, Math.floor(models / 500));
  for (let i = 0; i < nSingular; i++) {
    put(`tests/assert_positive_${pad(i)}.sql`, `-- No negative totals in ${intNames[i % intNames.length]}.\nselect * from {{ref "${intNames[i % intNames.length]}"}} where total_amount < 0\n`);
    tests++;
  }
  return { root, models: nStg + nInt + nMart, seeds: nSeeds, tests, macros: Object.keys(MACROS).length, files };
}

/**
 * Writes `models` trivial models: model i selects a few literal columns, joined to up to two earlier models
 * (so the DAG has depth and fan-in). All are `materialized` (view or table).
 */
export function generateChainProject(root: string, models: number, materialized: 'view' | 'table', opts: { seed?: number; threads?: number } = {}): void {
  const rnd = prng(opts.seed ?? 7);
  write(path.join(root, 'project.yaml'), projectYaml('bench_chain', 'target/bench.duckdb', opts.threads ?? 4, materialized));
  for (let i = 0; i < models; i++) {
    const name = `m${pad(i)}`;
    const folder = `chain_${Math.floor(i / 100)}`;
    let sql: string;
    if (i < 10) sql = `select ${i} as id, 'v${i}' as label, ${i * 10} as amount\n`;
    else {
      const a = `m${pad(Math.floor(rnd() * i))}`;
      const b = `m${pad(Math.floor(rnd() * i))}`;
      sql = `select a.id + 1 as id, a.label, a.amount + coalesce(b.amount, 0) as amount\nfrom {{ref "${a}"}} as a\nleft join {{ref "${b}"}} as b on b.id = a.id\n`;
    }
    write(path.join(root, 'models', folder, `${name}.sql`), sql);
  }
}
