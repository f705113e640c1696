/**
 * `weir query` / `weir show` failures through the real CLI (a spawned `bin/weir.js` on DuckDB): bad SQL, an
 * unknown table or column and a target that cannot be opened each give one error naming the target and its
 * profile entry (`project.yaml → targets.<name>`) with a hint saying what to check; exit codes as for other
 * CLI errors (1 for SQL that failed, 2 for a target that cannot be opened), never a stack trace.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, jsonLines, makeProject } from '../helpers/project.js';
import { requireDist, weirExec } from '../helpers/spawn-weir.js';

const PROJECT_YAML = `name: t
target: dev
targets:
  dev:
    type: duckdb
    path: target/t.duckdb
    threads: 1
  broken:
    type: duckdb
    path: target/not-a-database
`;

let dir: string;

beforeAll(async () => {
  requireDist();
  dir = await makeProject({ 'project.yaml': PROJECT_YAML, 'models/orders.sql': '{{config materialized="table"}}select 1 as order_id' });
  // The `broken` target's database path is a directory: opening it fails.
  mkdirSync(path.join(dir, 'target/not-a-database'), { recursive: true });
  const built = await weirExec(['run'], dir);
  expect(built.code, built.stdout + built.stderr).toBe(0);
});
afterAll(cleanupProjects);

/** No JS stack frames (`    at fn (file:1:2)`) in what the CLI printed. */
const expectNoStack = (out: string) => expect(out).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe('weir query errors name the target', () => {
  it('a syntax error: exit 1, target and profile named, hint to check the SQL syntax', async () => {
    const r = await weirExec(['query', 'selec 1'], dir);
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(1);
    expect(out).toContain("query failed on target 'dev' (duckdb; profile project.yaml → targets.dev)");
    expect(out).toContain('syntax error');
    expect(out).toContain('hint: Check the SQL syntax');
    expectNoStack(out);
  });

  it('an unknown table: hint about relation names, weir ls and building it', async () => {
    const r = await weirExec(['query', 'select * from ordrs'], dir);
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(1);
    expect(out).toContain("query failed on target 'dev'");
    expect(out).toContain('ordrs');
    expect(out).toMatch(/hint: Check the relation name: unqualified names resolve in schema 'main' of target 'dev'.*`weir ls`/);
    expectNoStack(out);
  });

  it('an unknown column: hint about column names; --limit does not hide the target', async () => {
    const r = await weirExec(['query', 'select order_idd from orders', '--limit', '5'], dir);
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(1);
    expect(out).toContain("query failed on target 'dev'");
    expect(out).toContain('hint: Check the column names');
  });

  it('a target that cannot be opened: exit 2, names the --target and its profile entry, hint to check the settings', async () => {
    const r = await weirExec(['query', 'select 1', '--target', 'broken'], dir);
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(2);
    expect(out).toContain("target 'broken' (duckdb; profile project.yaml → targets.broken): cannot open DuckDB database");
    expect(out).toContain('hint: Check the connection settings under targets.broken in project.yaml; `weir debug --target broken` tests the connection.');
    expect(out).not.toContain("target 'dev'");
    expectNoStack(out);
  });

  it('weir show on a target that cannot be opened fails the same way', async () => {
    const r = await weirExec(['show', '-s', 'orders', '--target', 'broken'], dir);
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(2);
    expect(out).toContain("target 'broken' (duckdb; profile project.yaml → targets.broken)");
    expectNoStack(out);
  });

  it('--log-format json: one WEIR_ERROR event with the code, the target and the hint', async () => {
    const r = await weirExec(['query', 'select * from nope_table', '--log-format', 'json'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const errors = jsonLines(r.stdout).filter((e) => e.code === 'WEIR_ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ level: 'error', error_code: 'WEIR_SQL_ERROR' });
    expect(String(errors[0].message)).toContain("query failed on target 'dev' (duckdb; profile project.yaml → targets.dev)");
    expect(String(errors[0].message)).toContain('hint: Check the relation name');
  });

  it('the same query succeeds on the target once the SQL is right', async () => {
    const r = await weirExec(['query', 'select order_id from orders', '--format', 'csv'], dir);
    expect(r).toMatchObject({ code: 0, stdout: 'order_id\n1\n' });
  });
});
