/**
 * Readers while a run writes (DuckDB allows one writing process): a real concurrent `weir run` (spawned,
 * held inside a model by a gate UDF after it has already rebuilt another table) and readers — `weir query`,
 * `weir show` and `createClient` — that read the copy published by the last completed run: never the
 * half-finished state of the running one, and the new state as soon as that run ends.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { cleanupProjects, jsonLines, makeProject, runCli, writeFiles } from '../helpers/project.js';
import { GATE_UDF, requireDist, spawnWeir, waitFor, weirExec } from '../helpers/spawn-weir.js';
import { createClient } from '../../src/public/index.js';

let dir: string;
const facts = (version: number) => `{{config materialized="table"}}select range as id, ${version} as version from range(1000)`;

beforeAll(async () => {
  requireDist();
  dir = await makeProject({
    'udfs/gate.ts': GATE_UDF,
    'models/facts.sql': facts(1),
    // Runs after facts (it refs it) and blocks until the test opens the gate.
    'models/slow.sql': '{{config materialized="table"}}select gate({{literal (var "gate" "g")}}) as x, count(*) as n from {{ref "facts"}}',
  });
  writeFiles(dir, { 'gates/g0.open': '' });
  const first = await weirExec(['run', '--vars', '{gate: g0}', '--log-format', 'json'], dir);
  expect(first.code, first.stdout + first.stderr).toBe(0);
  const published = jsonLines(first.stdout).find((e) => e.code === 'WEIR_READ_COPY_PUBLISHED');
  expect(published).toMatchObject({ level: 'info', path: path.join(dir, 'target/t.read.duckdb') });
  expect(Number(published!.size)).toBeGreaterThan(0);
});
afterAll(cleanupProjects);

describe('readers during a run', () => {
  it('query, show and createClient read the last published copy while a run holds the database', async () => {
    writeFiles(dir, { 'models/facts.sql': facts(2) });
    const writer = spawnWeir(['run', '--vars', '{gate: g1}'], dir);
    await waitFor(() => existsSync(path.join(dir, 'gates/g1.started')) || writer.child.exitCode !== null, 'the writer to reach the gate');
    expect(writer.child.exitCode, writer.stdout + writer.stderr).toBeNull();
    // The writer has committed facts v2 into the database file and holds it; readers see v1, complete.
    const q = await runCli(['query', 'select version, count(*) as n from main.facts group by 1', '--format', 'csv'], dir);
    expect(q.code, q.stdout + q.stderr).toBe(0);
    expect(q.stdout).toBe('version,n\n1,1000\n');
    expect(q.stderr).toMatch(/^note: a Weir run holds the database; reading the copy published at \S+ \(.*t\.read\.duckdb\)\n$/);
    const show = await runCli(['show', '--select', 'facts', '--limit', '1', '--format', 'json'], dir);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toEqual([{ id: 0, version: 1 }]);
    const db = (await createClient({ projectDir: dir })) as Kysely<any>;
    const during = await db.selectFrom('main.facts').select(['version']).distinct().execute();
    expect(during).toEqual([{ version: 1 }]);

    writeFileSync(path.join(dir, 'gates/g1.open'), '');
    expect(await writer.exited).toBe(0);
    // The client that had the old copy open keeps reading it consistently; new readers see the new run.
    expect(await db.selectFrom('main.facts').select(['version']).distinct().execute()).toEqual([{ version: 1 }]);
    await db.destroy();
    const fresh = (await createClient({ projectDir: dir })) as Kysely<any>;
    expect(await fresh.selectFrom('main.facts').select(['version']).distinct().execute()).toEqual([{ version: 2 }]);
    await fresh.destroy();
    const after = await runCli(['query', 'select distinct version from main.facts', '--format', 'csv'], dir);
    expect(after).toMatchObject({ code: 0, stdout: 'version\n2\n', stderr: '' }); // the database itself, no note
  });

  it('without a published copy a locked database is still an error naming the lock', async () => {
    const d2 = await makeProject({
      'project.yaml': `name: t
target: dev
targets:
  dev:
    type: duckdb
    path: target/t.duckdb
    publish_read_copy: false
`,
      'udfs/gate.ts': GATE_UDF,
      'models/slow.sql': '{{config materialized="table"}}select gate(\'h\') as x',
    });
    const writer = spawnWeir(['run'], d2);
    await waitFor(() => existsSync(path.join(d2, 'gates/h.started')) || writer.child.exitCode !== null, 'the writer to reach the gate');
    const q = await runCli(['query', 'select 1'], d2);
    expect(q.code).toBe(2);
    expect(q.stdout + q.stderr).toContain('is locked by another process');
    await expect(createClient({ projectDir: d2, source: 'read-copy' })
      .then((db) => db.selectNoFrom((eb) => eb.val(1).as('x')).execute())).rejects.toMatchObject({ code: 'WEIR_DB_OPEN_FAILED', message: expect.stringContaining('no read copy') });
    writeFileSync(path.join(d2, 'gates/h.open'), '');
    expect(await writer.exited).toBe(0);
    expect(existsSync(path.join(d2, 'target/t.read.duckdb'))).toBe(false);
  });
});

describe('publishing the read copy on a full disk', () => {
  it('is an error and the run exits 1 (the build itself is done)', async () => {
    const { symlinkSync, rmSync: rm } = await import('node:fs');
    const d = await makeProject({ 'models/m.sql': '{{config materialized="table"}}select 1 as x' });
    expect((await runCli(['run'], d)).code).toBe(0);
    // The copy is written to `<copy>.<pid>.tmp`: pointing it at /dev/full makes the copy fail (the kernel's
    // copy_file_range answers EINVAL for a device; a real full disk answers ENOSPC on the same path).
    const tmp = path.join(d, `target/t.read.duckdb.${process.pid}.tmp`);
    symlinkSync('/dev/full', tmp);
    try {
      const r = await runCli(['run'], d);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout + r.stderr).toMatch(/ERROR could not publish the read copy.*copyfile/);
      expect(r.stdout + r.stderr).toContain('1 of 1 OK');
    } finally {
      rm(tmp, { force: true });
    }
    expect((await runCli(['run'], d)).code).toBe(0);
  });
});

describe('readers never hold a writer out', () => {
  it('a long weir query between runs reads the current copy, so a run starting meanwhile is not refused', async () => {
    const d = await makeProject({ 'models/m.sql': '{{config materialized="table"}}select 1 as x' });
    expect((await weirExec(['run'], d)).code).toBe(0);
    const reader = spawnWeir(['query', 'select count(*) from range(0, 200000) a, range(0, 200000) b'], d);
    try {
      await new Promise((r) => setTimeout(r, 1500)); // the reader is inside its query
      expect(reader.child.exitCode, reader.stdout + reader.stderr).toBeNull();
      const w = await weirExec(['run'], d);
      expect(w.code, w.stdout + w.stderr).toBe(0);
      expect(reader.child.exitCode).toBeNull(); // the reader was still running all along
    } finally {
      reader.child.kill('SIGKILL');
      await reader.exited;
    }
  });

  it('--lock-timeout also waits for the database file lock another process holds', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const d = await makeProject({ 'models/m.sql': '{{config materialized="table"}}select 1 as x' });
    expect((await weirExec(['run'], d)).code).toBe(0);
    // Another process (here: this test) holds the database file itself.
    const holder = await DuckDBInstance.create(path.join(d, 'target/t.duckdb'));
    const refused = await weirExec(['run'], d);
    expect(refused.code).toBe(2);
    expect(refused.stdout + refused.stderr).toContain('is locked by another process');
    const w = spawnWeir(['run', '--lock-timeout', '60'], d);
    await waitFor(() => w.stdout.includes('waiting up to') || w.child.exitCode !== null, 'the run to wait for the file lock');
    expect(w.child.exitCode, w.stdout + w.stderr).toBeNull();
    holder.closeSync();
    expect(await w.exited, w.stdout + w.stderr).toBe(0);
  });
});
