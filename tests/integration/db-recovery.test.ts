/**
 * A DuckDB database file found corrupt at open (a checksum error, as a kill during a write can leave): Weir
 * restores the read copy the last completed run published, keeps the corrupt file aside, warns, and the run
 * goes on; without a read copy, or with `recover_from_read_copy: false`, it stops with an error that names
 * the target and says what to do. The corruption is real: bytes of the file's first data block are
 * overwritten, and DuckDB itself reports the checksum mismatch.
 */
import { closeSync, existsSync, openSync, readdirSync, writeSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT_YAML, cleanupProjects, jsonLines, makeProject, runCli } from '../helpers/project.js';

afterAll(cleanupProjects);

const MODELS = {
  'models/facts.sql': '{{config materialized="table"}}select range as id, range * 2 as doubled from range(5000)',
  'models/summary.sql': '{{config materialized="table"}}select count(*) as n, sum(doubled) as total from {{ref "facts"}}',
};

/** The default test project with extra settings on its DuckDB target. */
const yaml = (extra: string) => `${DEFAULT_PROJECT_YAML}${extra}`;

/** Overwrites 4 KiB of the first data block (after DuckDB's three 4 KiB headers) with garbage. */
function corrupt(dbFile: string): void {
  const fd = openSync(dbFile, 'r+');
  try {
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 12288);
  } finally {
    closeSync(fd);
  }
}

async function summary(dir: string): Promise<string> {
  const r = await runCli(['query', 'select n, total from main.summary', '--format', 'csv'], dir);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r.stdout;
}

describe('a corrupt DuckDB database file', () => {
  it('is restored from the last published read copy, the corrupt file kept aside, with a warning; the run succeeds', async () => {
    const dir = await makeProject(MODELS);
    expect((await runCli(['run'], dir)).code).toBe(0);
    const before = await summary(dir);
    expect(before).toBe('n,total\n5000,24995000\n');
    const db = path.join(dir, 'target/t.duckdb');
    corrupt(db);

    const r = await runCli(['run', '--log-format', 'json'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const warning = jsonLines(r.stdout).find((e) => e.error_code === 'WEIR_DB_RESTORED');
    expect(warning, r.stdout).toBeDefined();
    expect(warning).toMatchObject({ code: 'WEIR_WARNING', level: 'warn' });
    expect(String(warning!.message)).toMatch(/the database file was corrupt \(.*(checksum|Corrupt).*\); restored the read copy published at \d{4}-\d\d-\d\dT.* later changes are gone .* kept as .*t\.duckdb\.corrupt-/);
    const kept = readdirSync(path.join(dir, 'target')).filter((f) => f.startsWith('t.duckdb.corrupt-'));
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(await summary(dir)).toBe(before);
    // the restored file is a normal database again: the next run needs no recovery
    const again = await runCli(['run', '--log-format', 'json'], dir);
    expect(again.code).toBe(0);
    expect(jsonLines(again.stdout).some((e) => e.error_code === 'WEIR_DB_RESTORED')).toBe(false);
  });

  it('`weir query` restores it too and says so on stderr, keeping stdout clean', async () => {
    const dir = await makeProject(MODELS);
    expect((await runCli(['run'], dir)).code).toBe(0);
    corrupt(path.join(dir, 'target/t.duckdb'));
    // The database changed after the copy was published (readers use the copy while it is current, i.e. not
    // older than the database): make that unambiguous even when both writes fall in one timestamp tick.
    const later = new Date(Date.now() + 2000);
    utimesSync(path.join(dir, 'target/t.duckdb'), later, later);
    const r = await runCli(['query', 'select n from main.summary', '--format', 'csv'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toBe('n\n5000\n');
    expect(r.stderr).toMatch(/^warning: the database file was corrupt .*restored the read copy/);
  });

  it('with recover_from_read_copy: false, stops with an error naming the target, the file and the read copy to use', async () => {
    const dir = await makeProject({ ...MODELS, 'project.yaml': yaml('    recover_from_read_copy: false\n') });
    expect((await runCli(['run'], dir)).code).toBe(0);
    const db = path.join(dir, 'target/t.duckdb');
    corrupt(db);
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(2);
    const out = r.stdout + r.stderr;
    expect(out).toContain(`target 'dev': the database file ${db} is corrupt`);
    expect(out).toMatch(/A read copy published at \S+ exists \(.*t\.read\.duckdb\); set recover_from_read_copy: true/);
    expect(out).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
    expect(readdirSync(path.join(dir, 'target')).some((f) => f.includes('.corrupt-'))).toBe(false);
    expect(existsSync(db)).toBe(true);
  });

  it('without a read copy, stops with an error that says how to rebuild', async () => {
    const dir = await makeProject({ ...MODELS, 'project.yaml': yaml('    publish_read_copy: false\n') });
    expect((await runCli(['run'], dir)).code).toBe(0);
    expect(existsSync(path.join(dir, 'target/t.read.duckdb'))).toBe(false);
    corrupt(path.join(dir, 'target/t.duckdb'));
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/is corrupt: .*\n?.*No read copy was published to restore\. Move the file away and rebuild with `weir build --full-refresh`/s);
  });
});

describe('a missing DuckDB database file beside its read copy', () => {
  it('is restored from the copy (not silently replaced by an empty one); a killed restore\'s temp file is removed', async () => {
    const { rmSync, writeFileSync } = await import('node:fs');
    const dir = await makeProject({ 'snapshots/s.sql': '{{config unique_key="id" strategy="check" check_cols="all"}}select 1 as id, {{var "v" 1}} as n' });
    expect((await runCli(['snapshot', '--vars', '{v: 1}'], dir)).code).toBe(0);
    expect((await runCli(['snapshot', '--vars', '{v: 2}'], dir)).code).toBe(0); // history: 2 versions
    // A restore killed midway: the database is gone and a half-written temp copy (of a dead process) is left.
    const db = path.join(dir, 'target/t.duckdb');
    rmSync(db);
    rmSync(`${db}.wal`, { force: true });
    const leftover = `${db}.999999.tmp`;
    writeFileSync(leftover, Buffer.alloc(4096, 7));
    const r = await runCli(['snapshot', '--vars', '{v: 2}', '--log-format', 'json'], dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const warn = jsonLines(r.stdout).find((e) => e.error_code === 'WEIR_DB_RESTORED');
    expect(String(warn?.message)).toMatch(/was missing while its read copy exists; restored the read copy published at .* instead of starting an empty database/);
    expect(existsSync(leftover)).toBe(false);
    const q = await runCli(['query', 'select count(*) as n from main.s', '--format', 'json'], dir);
    expect(JSON.parse(q.stdout)).toEqual([{ n: 2 }]); // the history survived
  });
});
