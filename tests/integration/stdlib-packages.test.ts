/**
 * The standard library (`stdlib: true`) and `packages:` end to end on DuckDB: models call the shipped UDFs
 * and macros by name, a project's own UDF or macro of the same name wins with a warning, packages (local
 * folders and npm packages in node_modules) add theirs, and every misconfiguration is an exit-2 error
 * naming project.yaml's line.
 */
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cleanupProjects, jsonLines, makeProject, runCli, writeFiles } from '../helpers/project.js';
import { DuckDBInstance } from '@duckdb/node-api';

afterAll(cleanupProjects);

const YAML = (extra = '') => `name: shop
stdlib: true
${extra}
target: dev
targets:
  dev: {type: duckdb, path: target/shop.duckdb, threads: 2}
`;

async function rows(dir: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(path.join(dir, 'target/shop.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

describe('stdlib: true', () => {
  it('models call the standard UDFs and macros by name, with the values the library computes', async () => {
    const dir = await makeProject({
      'project.yaml': YAML(),
      'models/people.sql': `select * from (values (1, 'MARTHA', 'MARHTA', 'call +82 10-1234-5678 or ana@example.com'), (2, 'New York', 'new york', 'nothing here')) t(id, a, b, body)`,
      'models/scored.sql': `{{config materialized="table"}}
select id, jw_similarity(a, b) as jw, fuzz_ratio(a, b, true) as ratio, redact_pii(body) as redacted,
  {{> normalize_phone expr="'010-1234-5678'" country="'KR'"}} as phone
from {{ref "people"}}`,
    });
    const r = await runCli(['build'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = await rows(dir, 'select * from main.scored order by id');
    expect(Number(out[0].jw)).toBeCloseTo(0.961111, 6); // Winkler's MARTHA/MARHTA
    expect(Number(out[1].ratio)).toBe(100);
    expect(out[0].redacted).toBe('call <PHONE_NUMBER> or <EMAIL_ADDRESS>');
    expect(out[1].redacted).toBe('nothing here');
    expect(out[0].phone).toBe('+821012345678');
  });

  it("a project's own UDF and macro of a standard name win, each with a warning naming both", async () => {
    const dir = await makeProject({
      'project.yaml': YAML(),
      'udfs/mine.ts': `import { defineScalarUdf } from 'weir-sql/udf';
export const fuzz_ratio = defineScalarUdf({ name: 'fuzz_ratio', args: [{ name: 'a', type: 'VARCHAR' }, { name: 'b', type: 'VARCHAR' }],
  returns: 'DOUBLE', deterministic: true, description: 'always 42, to tell it apart', fn: () => 42 });`,
      'macros/is_valid_email.sql': `({{expr}} = 'mine')`,
      'models/m.sql': `{{config materialized="table"}}
select fuzz_ratio('a', 'b') as r, {{> is_valid_email expr="'mine'"}} as ok`,
    });
    const r = await runCli(['build', '--log-format', 'json'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const warnings = jsonLines(r.stdout).filter((e) => e.level === 'warn').map((e) => String(e.message));
    expect(warnings.some((w) => w.includes("UDF 'fuzz_ratio' of udfs/mine.ts hides weir-sql/udfs/fuzzy."))).toBe(true);
    expect(warnings.some((w) => w.includes("macro 'is_valid_email' of macros/is_valid_email.sql hides weir-sql/macros/is_valid_email.sql"))).toBe(true);
    expect(await rows(dir, 'select * from main.m')).toEqual([{ r: 42, ok: true }]);
  });

  it('without stdlib, the standard functions are not there', async () => {
    const dir = await makeProject({
      'project.yaml': YAML().replace('stdlib: true', 'stdlib: false'),
      'models/m.sql': `select {{> rfm_scores}}`,
    });
    const r = await runCli(['compile'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain("rfm_scores");
  });
});

describe('packages:', () => {
  it('a local Weir project and an npm package add their macros and UDFs; a package beats the stdlib with a warning', async () => {
    const dir = await makeProject({
      'project.yaml': YAML(`packages:
  - local: vendor/shared_lib
  - package: weir-pkg-demo`),
      'models/m.sql': `{{config materialized="table"}}
select {{> cents_to_dollars col="250"}} as dollars, shout('hi') as s, jw_similarity('x', 'x') as jw`,
    });
    const shared = path.join(dir, 'vendor/shared_lib');
    writeFiles(shared, {
      'project.yaml': 'name: shared_lib\nmacro-paths: [macros]\n',
      'macros/cents_to_dollars.sql': '({{col}} / 100.0)',
    });
    writeFiles(path.join(dir, 'node_modules/weir-pkg-demo'), {
      'package.json': JSON.stringify({ name: 'weir-pkg-demo', version: '1.0.0', type: 'module' }),
      'project.yaml': 'name: weir_pkg_demo\n',
      'udfs/shout.ts': `import { defineScalarUdf } from 'weir-sql/udf';
export const shout = defineScalarUdf({ name: 'shout', args: [{ name: 's', type: 'VARCHAR' }], returns: 'VARCHAR', deterministic: true,
  description: 'upper case with a bang', fn: (s: string) => s.toUpperCase() + '!' });
export const jw_similarity = defineScalarUdf({ name: 'jw_similarity', args: [{ name: 'a', type: 'VARCHAR' }, { name: 'b', type: 'VARCHAR' }],
  returns: 'DOUBLE', deterministic: true, description: 'a package override', fn: () => -1 });`,
    });
    const r = await runCli(['build', '--log-format', 'json'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await rows(dir, 'select * from main.m')).toEqual([{ dollars: 2.5, s: 'HI!', jw: -1 }]);
    const warnings = jsonLines(r.stdout).filter((e) => e.level === 'warn').map((e) => String(e.message));
    expect(warnings.some((w) => w.includes("UDF 'jw_similarity' of weir-pkg-demo/udfs/shout.ts hides weir-sql/udfs/fuzzy."))).toBe(true);
  });

  it('two packages defining the same macro, a package that is not installed and a folder without project.yaml are errors at project.yaml:line', async () => {
    const dir = await makeProject({
      'project.yaml': YAML(`packages:
  - local: vendor/pa
  - local: vendor/pb
  - package: not-installed-weir-pkg
  - local: vendor/plain`),
      'models/m.sql': 'select 1 as x',
    });
    const parent = path.join(dir, 'vendor');
    writeFiles(path.join(parent, 'pa'), { 'project.yaml': 'name: pa\n', 'macros/twice.sql': '1' });
    writeFiles(path.join(parent, 'pb'), { 'project.yaml': 'name: pb\n', 'macros/twice.sql': '2' });
    writeFiles(path.join(parent, 'plain'), { 'README.md': 'not a weir project' });
    const r = await runCli(['compile'], dir);
    expect(r.code).toBe(2);
    const text = r.stdout + r.stderr;
    expect(text).toContain("macro 'twice' is defined by two packages: pa/macros/twice.sql and pb/macros/twice.sql");
    expect(text).toMatch(/project\.yaml:6:\d+.*package 'not-installed-weir-pkg' is not installed/);
    expect(text).toContain('npm install not-installed-weir-pkg');
    expect(text).toMatch(/project\.yaml:7:\d+.*has no project\.yaml, so it is not a Weir package/);
  });

  it('a malformed packages entry names the key', async () => {
    const dir = await makeProject({ 'project.yaml': YAML('packages:\n  - git: https://example.com/x.git'), 'models/m.sql': 'select 1 as x' });
    const r = await runCli(['compile'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('project.yaml:4:5 (packages[0]): packages[0]: each package is {package: <npm name>} or {local: <folder>}');
  });
});
