/**
 * Acceptance cases for snapshots (SCD type 2), modelled on dbt's adapter "basic" suite
 * (dbt-tests-adapter `BaseSnapshotTimestamp`, `BaseSnapshotCheckCols`): a 10-row seed grows to 20 rows,
 * then 10 rows change, then 10 rows vanish; after each round the snapshots hold the expected numbers of
 * versions and of current rows, for the `timestamp` and `check` strategies and the three hard-delete
 * modes. Run for every adapter by adapters.test.ts; the files they add are removed at the end.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { writeFiles } from '../helpers/project.js';
import { cli, show, withAdapter, type CaseContext, type ConformanceCase } from './cases.js';

const row = (id: number, changed: boolean) => `${id},${changed ? `n${id}-v2` : `n${id}`},${changed ? '2024-02-01' : `2024-01-${String(id).padStart(2, '0')}`}`;
const seed = (ids: number[], changed: (id: number) => boolean = () => false) => `id,name,updated_at\n${ids.map((i) => row(i, changed(i))).join('\n')}\n`;
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** The rounds: seed contents. */
const ROUNDS = [
  seed(range(1, 10)),
  seed(range(1, 20)),
  seed(range(1, 20), (id) => id <= 10),
  seed(range(11, 20)),
];

const FILES: Record<string, string> = {
  'seeds/snap_rows.csv': ROUNDS[0],
  'snapshots/snap_ts.sql': '{{config unique_key="id" strategy="timestamp" updated_at="updated_at"}}\nselect * from {{ref "snap_rows"}}',
  'snapshots/snap_check.sql': '{{config unique_key="id" strategy="check" check_cols=(array "name")}}\nselect id, name from {{ref "snap_rows"}}',
  'snapshots/snap_invalidate.sql': '{{config unique_key="id" strategy="timestamp" updated_at="updated_at" hard_deletes="invalidate"}}\nselect * from {{ref "snap_rows"}}',
  'snapshots/snap_new_record.sql': '{{config unique_key="id" strategy="check" check_cols="all" hard_deletes="new_record"}}\nselect id, name from {{ref "snap_rows"}}',
  // A model may be a snapshot too; it runs with `weir run`.
  'models/snap_model.sql': '{{config materialized="snapshot" unique_key="id" strategy="check" check_cols="all"}}\nselect id, name from {{ref "snap_rows"}}',
};
const SNAPSHOTS = ['snap_ts', 'snap_check', 'snap_invalidate', 'snap_new_record', 'snap_model'];

/** `[all versions, current versions]` per snapshot (current: weir_valid_to is null). */
async function versions(ctx: CaseContext): Promise<Record<string, [number, number]>> {
  return withAdapter(ctx, async (a, conn, rel) => {
    const out: Record<string, [number, number]> = {};
    for (const s of SNAPSHOTS) {
      const r = await conn.execute(`select count(*), count(case when weir_valid_to is null then 1 end) from ${a.dialect.relation(rel(s))}`);
      out[s] = [Number(r.rows[0][0]), Number(r.rows[0][1])];
    }
    return out;
  });
}

async function round(ctx: CaseContext, n: number): Promise<void> {
  writeFiles(ctx.dir, { 'seeds/snap_rows.csv': ROUNDS[n] });
  for (const args of [['seed', '--select', 'snap_rows'], ['snapshot'], ['run', '--select', 'snap_model']]) {
    const r = await cli(ctx, args);
    expect(r.code, show(r)).toBe(0);
  }
}

export const snapshotCases: readonly ConformanceCase[] = [
  {
    name: 'snapshots: the first snapshot records the 10 seed rows as current versions; resource_type snapshot is selectable',
    async run(ctx) {
      writeFiles(ctx.dir, FILES);
      await round(ctx, 0);
      expect(await versions(ctx)).toEqual(Object.fromEntries(SNAPSHOTS.map((s) => [s, [10, 10]])));
      const ls = await cli(ctx, ['ls', '--select', 'resource_type:snapshot', '--output', 'name']);
      expect(ls.stdout.trim().split('\n').sort()).toEqual(['snap_check', 'snap_invalidate', 'snap_new_record', 'snap_ts']);
      await withAdapter(ctx, async (a, conn, rel) => {
        expect((await a.listColumns(conn, rel('snap_new_record'))).map((c) => c.name.toLowerCase()))
          .toEqual(['id', 'name', 'weir_scd_id', 'weir_updated_at', 'weir_valid_from', 'weir_valid_to', 'weir_is_deleted']);
      });
    },
  },
  {
    name: 'snapshots: 10 added rows → 20 versions; 10 changed rows → 30 versions, 20 current; an unchanged rerun adds nothing',
    async run(ctx) {
      await round(ctx, 1);
      expect(await versions(ctx)).toEqual(Object.fromEntries(SNAPSHOTS.map((s) => [s, [20, 20]])));
      for (let i = 0; i < 2; i++) {
        await round(ctx, 2);
        expect(await versions(ctx)).toEqual(Object.fromEntries(SNAPSHOTS.map((s) => [s, [30, 20]])));
      }
      await withAdapter(ctx, async (a, conn, rel) => {
        // The closed version of a changed row ends where the new one starts (timestamp strategy: at its updated_at).
        const r = await conn.execute(`select count(*) from ${a.dialect.relation(rel('snap_ts'))} as o join ${a.dialect.relation(rel('snap_ts'))} as n
          on o.id = n.id and o.weir_valid_to = n.weir_valid_from and o.name <> n.name`);
        expect(Number(r.rows[0][0])).toBe(10);
        const ids = await conn.execute(`select count(distinct weir_scd_id) from ${a.dialect.relation(rel('snap_check'))}`);
        expect(Number(ids.rows[0][0])).toBe(30);
      });
    },
  },
  {
    name: 'snapshots: 10 vanished rows → ignore keeps them current, invalidate closes them, new_record adds deleted-flag rows',
    async run(ctx) {
      for (let i = 0; i < 2; i++) {
        await round(ctx, 3);
        expect(await versions(ctx)).toEqual({
          snap_ts: [30, 20], snap_check: [30, 20], snap_model: [30, 20], snap_invalidate: [30, 10], snap_new_record: [40, 20],
        });
      }
      await withAdapter(ctx, async (a, conn, rel) => {
        const r = await conn.execute(`select count(*) from ${a.dialect.relation(rel('snap_new_record'))} where weir_is_deleted and weir_valid_to is null`);
        expect(Number(r.rows[0][0])).toBe(10);
      });
      // A vanished key that comes back gets a new current version.
      await round(ctx, 2);
      const v = await versions(ctx);
      expect(v.snap_new_record).toEqual([50, 20]);
      expect(v.snap_invalidate).toEqual([40, 20]);
    },
  },
  {
    name: 'snapshots: a config error names the file; no working table is left behind',
    async run(ctx) {
      writeFiles(ctx.dir, { 'snapshots/snap_bad.sql': '{{config unique_key="id" strategy="timestamp"}}\nselect 1 as id' });
      try {
        const r = await cli(ctx, ['snapshot']);
        expect(r.code).toBe(2);
        expect(show(r)).toMatch(/snapshots\/snap_bad\.sql.*snapshot 'snap_bad': strategy timestamp needs updated_at/s);
      } finally {
        rmSync(path.join(ctx.dir, 'snapshots/snap_bad.sql'));
      }
      await withAdapter(ctx, async (a, conn, rel) => {
        const rels = await a.listRelations([a.defaultSchema]);
        expect(rels.map((r) => r.identifier.toLowerCase()).filter((n) => n.includes('__weir'))).toEqual([]);
        for (const r of rels) {
          if (r.identifier.toLowerCase().startsWith('snap_')) await conn.execute(a.dialect.ddl.dropRelation(a.dialect.relation(rel(r.identifier)), r.kind));
        }
      });
      rmSync(path.join(ctx.dir, 'snapshots'), { recursive: true, force: true });
      rmSync(path.join(ctx.dir, 'models/snap_model.sql'));
      rmSync(path.join(ctx.dir, 'seeds/snap_rows.csv'));
    },
  },
];
