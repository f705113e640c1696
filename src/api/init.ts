/**
 * `weir init NAME`: writes a new project that builds green as it is — project.yaml with a DuckDB dev
 * target (and commented Snowflake/Trino targets), a seed, a staging view and a mart table, schema YAML
 * with data tests and a unit test, a TypeScript UDF built with `weir-sql/udf`, calls into the standard
 * library (`stdlib: true`), `.gitignore` and a README.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WeirError } from '../errors/weir-error.js';

/** Options of {@link initProject}. */
export interface InitOptions {
  /** Write into a folder that already has files (never overwrites a file that exists). */
  readonly force?: boolean;
}

/** What {@link initProject} wrote. */
export interface InitResult {
  /** Absolute project folder. */
  readonly dir: string;
  /** The project name (an identifier derived from the folder name). */
  readonly name: string;
  /** Files written, relative to `dir`. */
  readonly files: readonly string[];
  /** Files left as they were because they already existed (only with `force`). */
  readonly kept: readonly string[];
}

/**
 * Creates a project in `dir` (relative to `cwd`).
 * @throws WeirError `WEIR_USAGE` when `dir` is a file, or a non-empty folder without `force`, or its name
 *   has no letter to make a project name from
 */
export function initProject(dir: string, cwd: string, options: InitOptions = {}): InitResult {
  const abs = path.resolve(cwd, dir);
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory()) throw new WeirError('WEIR_USAGE', `${dir} exists and is not a folder`, { hint: 'Give the name of a new folder: weir init my_project' });
    const present = readdirSync(abs).filter((f) => f !== '.git');
    if (present.length && !options.force) {
      throw new WeirError('WEIR_USAGE', `${dir} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''})`, {
        hint: `Choose a new folder, or add --force to add the starter files next to what is there (existing files are kept).`,
      });
    }
  }
  const name = projectName(path.basename(abs));
  const files = starterFiles(name);
  const written: string[] = [];
  const kept: string[] = [];
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(abs, rel);
    if (existsSync(p)) {
      kept.push(rel);
      continue;
    }
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    written.push(rel);
  }
  return { dir: abs, name, files: written, kept };
}

/** A project name (identifier) from a folder name: `my-shop` → `my_shop`. @throws WeirError `WEIR_USAGE` */
export function projectName(folder: string): string {
  let n = folder.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/[a-z]/.test(n)) throw new WeirError('WEIR_USAGE', `cannot make a project name from '${folder}'`, { hint: 'Use a folder name with letters, e.g. weir init shop' });
  if (/^[0-9]/.test(n)) n = `p_${n}`;
  return n;
}

/** The starter project's files by relative path. */
function starterFiles(name: string): Record<string, string> {
  return {
    'project.yaml': `# ${name}: a Weir project. Build it with \`npx weir build\`; see README.md.
name: ${name}
version: 0.1.0

# Weir's standard library: fuzzy-matching, PII and translation UDFs (jw_similarity, fuzz_ratio,
# redact_pii, ...) and macros (rfm_scores, ab_test_significance, er_*, normalize_phone, ...).
# Set to false to use only this project's own udfs/ and macros/.
stdlib: true

models:
  +materialized: view           # staging models are views
  marts:
    +materialized: table        # marts are tables

seeds:
  +schema: raw                  # seeds land in <target schema>_raw

target: dev
targets:
  dev:
    type: duckdb
    path: target/${name}.duckdb
    schema: main
    threads: 4

  # Snowflake (install the client first: npm install snowflake-sdk):
  # prod:
  #   type: snowflake
  #   account: myorg-myaccount
  #   user: weir
  #   password: '{{env "SNOWFLAKE_PASSWORD"}}'
  #   role: transformer
  #   warehouse: transforming_xs
  #   database: analytics
  #   schema: ${name}
  #   threads: 8

  # Trino (install the client first: npm install trino-client):
  # lake:
  #   type: trino
  #   server: https://trino.example.com:8443
  #   user: weir
  #   catalog: lake
  #   schema: ${name}
  #   auth: { type: basic, password: '{{env "TRINO_PASSWORD"}}' }
  #   threads: 4
`,
    'seeds/customers.csv': `customer_id,full_name,email,phone,country,signed_up_at
1,Ana Souza,ana.souza@example.com,+55 11 91234-5678,BR,2024-01-03
2,  jihu kim ,JIHU.KIM@example.kr,010-1234-5678,kr,2024-01-05
3,Robert Smith,bob.smith@example.com,(415) 555-0100,US,2024-02-11
4,Bob Smith,rsmith@example.net,,us,2024-02-12
5,Marie Curie,marie@example.fr,+33 1 23 45 67 89,FR,2024-03-01
`,
    'seeds/seeds.yml': `seeds:
  - name: customers
    description: Customers as the CRM exports them (untrimmed names, mixed-case emails and countries).
    config:
      column_types: { customer_id: integer, signed_up_at: date }
`,
    'models/staging/stg_customers.sql': `-- One row per customer, cleaned: trimmed names, lower-case emails, upper-case country codes.
select
  customer_id,
  trim(full_name) as full_name,
  lower(trim(email)) as email,
  upper(trim(country)) as country_code,
  {{> normalize_phone expr="phone" country="upper(trim(country))"}} as phone_e164,
  initials(trim(full_name)) as initials,
  signed_up_at
from {{ref "customers"}}
`,
    'models/marts/customer_lookalikes.sql': `{{config materialized="table"}}
-- Pairs of customers whose names look alike (standard library: jw_similarity, fuzz_ratio), with their
-- emails redacted (redact_pii) so the table can be shared.
select
  a.customer_id as customer_id,
  b.customer_id as other_customer_id,
  round(jw_similarity(a.full_name, b.full_name), 3) as name_similarity,
  fuzz_ratio(a.full_name, b.full_name, true) as name_ratio,
  redact_pii(a.email) as email_redacted
from {{ref "stg_customers"}} as a
join {{ref "stg_customers"}} as b on a.customer_id < b.customer_id
where jw_similarity(a.full_name, b.full_name) >= 0.7
`,
    'models/schema.yml': `models:
  - name: stg_customers
    description: Cleaned customers.
    columns:
      - name: customer_id
        data_tests: [unique, not_null]
      - name: email
        data_tests: [not_null]
      - name: country_code
        data_tests:
          - accepted_values:
              values: [BR, KR, US, FR]
  - name: customer_lookalikes
    description: Customer pairs with similar names, emails redacted.
    columns:
      - name: customer_id
        data_tests: [not_null]
      - name: name_similarity
        data_tests: [not_null]

unit_tests:
  - name: cleans_names_emails_and_countries
    model: stg_customers
    given:
      - input: ref('customers')
        rows:
          - {customer_id: 7, full_name: '  Ada Lovelace ', email: ' ADA@Example.com', phone: null, country: gb, signed_up_at: '2024-05-01'}
    expect:
      rows:
        - {customer_id: 7, full_name: Ada Lovelace, email: ada@example.com, country_code: GB, initials: AL}
`,
    'udfs/initials.ts': `// A TypeScript UDF: callable from SQL as initials(full_name) once the project builds.
import { defineScalarUdf } from 'weir-sql/udf';

export const initials = defineScalarUdf({
  name: 'initials',
  args: [{ name: 'full_name', type: 'VARCHAR' }],
  returns: 'VARCHAR',
  deterministic: true,
  portable: true, // pure: can also be deployed as a Snowflake JavaScript UDF
  description: 'Upper-case first letter of each word of a name: "Ada Lovelace" → "AL".',
  fn: (s: string) => s.split(/\\s+/).filter(Boolean).map((w) => w[0].toUpperCase()).join(''),
});
`,
    'macros/.gitkeep': '',
    'tests/.gitkeep': '',
    '.gitignore': `target/
node_modules/
`,
    'README.md': `# ${name}

A [Weir](https://www.npmjs.com/package/weir-sql) project: SQL models templated with Handlebars, built on
embedded DuckDB.

\`\`\`bash
npx weir build        # seeds, models and tests in dependency order → target/${name}.duckdb
npx weir show --select customer_lookalikes
npx weir query "select * from main.stg_customers"
\`\`\`

| path | what it holds |
|---|---|
| \`project.yaml\` | the project: name, folder config, targets (DuckDB dev; Snowflake and Trino examples commented) |
| \`seeds/customers.csv\` | a CSV seed, loaded by \`weir seed\` / \`weir build\` as \`main_raw.customers\` |
| \`models/staging/stg_customers.sql\` | a view: \`{{ref "customers"}}\` cleaned, using the standard library's \`normalize_phone\` macro and this project's \`initials\` UDF |
| \`models/marts/customer_lookalikes.sql\` | a table: look-alike customer names (\`jw_similarity\`, \`fuzz_ratio\`), emails redacted (\`redact_pii\`) |
| \`models/schema.yml\` | descriptions, data tests (unique, not_null, accepted_values) and a unit test |
| \`udfs/initials.ts\` | a TypeScript UDF made with \`defineScalarUdf\` from \`weir-sql/udf\` |
| \`macros/\`, \`tests/\` | your Handlebars macros (\`{{> name}}\`) and singular tests (SQL returning failing rows) |

Coming from dbt: \`{{ ref('x') }}\` is \`{{ref "x"}}\`, \`{{ config(materialized='table') }}\` is
\`{{config materialized="table"}}\`, \`{% if is_incremental() %}\` is \`{{#if (is_incremental)}}\`. See Weir's
README for the rest.
`,
  };
}
