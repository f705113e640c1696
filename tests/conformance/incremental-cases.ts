/**
 * Acceptance cases for incremental models (and empty models), modelled on dbt's adapter "basic" suite
 * (dbt-tests-adapter `BaseIncremental`, `BaseEmpty`): a 10-row seed grows to 20 rows (one old row changed),
 * and each strategy must end with the rows dbt's would. Run for every adapter by adapters.test.ts, after
 * the shared cases; the files they add are removed at the end. They branch on capability flags only.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { writeFiles } from '../helpers/project.js';
import { cli, count, show, withAdapter, type CaseContext, type ConformanceCase } from './cases.js';

const day = (n: number) => `2024-${n > 31 ? '02-01' : `01-${String(n).padStart(2, '0')}`}`;
/** Round 1: ids 1-10, updated_at 2024-01-<id>. */
const ROUND1 = `id,grp,name,updated_at\n${Array.from({ length: 10 }, (_, i) => `${i + 1},${(i + 1) % 2 ? 'a' : 'b'},n${i + 1},${day(i + 1)}`).join('\n')}\n`;
/** Round 2: ids 1-20; id 3 renamed and updated on 2024-02-01; ids 11-20 new. */
const ROUND2 = `id,grp,name,updated_at\n${Array.from({ length: 20 }, (_, i) => {
  const id = i + 1;
  return id === 3 ? `3,a,n3-new,${day(32)}` : `${id},${id % 2 ? 'a' : 'b'},n${id},${day(id)}`;
}).join('\n')}\n`;

const NEW_ROWS = `{{#if (is_incremental)}}where updated_at > (select max(updated_at) from {{this}}){{/if}}`;
const model = (config: string, select = 'id, grp, name, updated_at') =>
  `{{config materialized="incremental" ${config}}}\nselect ${select} from {{ref "inc_rows"}}\n${NEW_ROWS}\n`;

const FILES: Record<string, string> = {
  'seeds/inc_rows.csv': ROUND1,
  'seeds/inc.yml': 'seeds:\n  - name: inc_rows\n    config:\n      event_time: updated_at\n',
  'models/inc/inc_append.sql': model('incremental_strategy="append"'),
  'models/inc/inc_merge.sql': model('incremental_strategy="merge" unique_key="id"'),
  'models/inc/inc_delete_insert.sql': model('incremental_strategy="delete+insert"'),
  'models/inc/inc.yml': 'models:\n  - name: inc_delete_insert\n    config:\n      unique_key: [id, grp]\n',
  'models/inc/inc_sync.sql': model('unique_key="id" on_schema_change="sync_all_columns"'),
  'models/inc/inc_fail.sql': model('unique_key="id" on_schema_change="fail"'),
  'models/inc/inc_mb.sql': `{{config materialized="incremental" incremental_strategy="microbatch" event_time="updated_at" batch_size="day" begin="2024-01-01"}}
select id, name, updated_at from {{ref "inc_rows"}}`,
  'models/inc/empty_table.sql': '{{config materialized="table"}}select 1 as id, \'x\' as name from {{ref "inc_rows"}} where 1 = 0',
  'models/inc/empty_view.sql': 'select id from {{ref "inc_rows"}} where 1 = 0',
  'models/inc/empty_incremental.sql': '{{config materialized="incremental" unique_key="id"}}select id, name from {{ref "inc_rows"}} where 1 = 0',
};
const MODELS = ['inc_append', 'inc_merge', 'inc_delete_insert', 'inc_sync', 'inc_fail'];

/** Row counts of the given tables. */
async function counts(ctx: CaseContext, names: readonly string[]): Promise<Record<string, number>> {
  return withAdapter(ctx, async (a, conn, rel) => {
    const out: Record<string, number> = {};
    for (const n of names) out[n] = await count(a, conn, rel(n));
    return out;
  });
}

/** `select <expr> from <table>` → the first column of every row, as strings, sorted. */
async function column(ctx: CaseContext, table: string, expr: string): Promise<string[]> {
  return withAdapter(ctx, async (a, conn, rel) => {
    const r = await conn.execute(`select ${expr} from ${a.dialect.relation(rel(table))}`);
    return r.rows.map((x) => String(x[0])).sort();
  });
}

async function ok(ctx: CaseContext, args: string[]): Promise<void> {
  const r = await cli(ctx, args);
  expect(r.code, show(r)).toBe(0);
}

export const incrementalCases: readonly ConformanceCase[] = [
  {
    name: 'incremental: the first run builds every strategy from the 10-row seed',
    async run(ctx) {
      writeFiles(ctx.dir, FILES);
      await ok(ctx, ['seed', '--select', 'inc_rows']);
      await ok(ctx, ['run', '--select', ...MODELS]);
      expect(await counts(ctx, MODELS)).toEqual(Object.fromEntries(MODELS.map((m) => [m, 10])));
      await withAdapter(ctx, async (a, conn, rel) => expect(await a.relationKind(conn, rel('inc_merge'))).toBe('table'));
    },
  },
  {
    name: 'incremental: the 20-row seed → append 21 rows, merge and delete+insert 20 with the changed row updated; a second run changes nothing',
    async run(ctx) {
      writeFiles(ctx.dir, { 'seeds/inc_rows.csv': ROUND2 });
      await ok(ctx, ['seed', '--select', 'inc_rows']);
      const expected = { inc_append: 21, inc_merge: 20, inc_delete_insert: 20 };
      for (let i = 0; i < 2; i++) {
        await ok(ctx, ['run', '--select', 'inc_append', 'inc_merge', 'inc_delete_insert']);
        expect(await counts(ctx, Object.keys(expected))).toEqual(expected);
        expect(await column(ctx, 'inc_append', 'name')).toEqual([...Array.from({ length: 20 }, (_, k) => `n${k + 1}`), 'n3-new'].sort());
        for (const m of ['inc_merge', 'inc_delete_insert']) {
          expect(await column(ctx, m, 'name'), m).toEqual(Array.from({ length: 20 }, (_, k) => (k === 2 ? 'n3-new' : `n${k + 1}`)).sort());
          expect(await column(ctx, m, 'count(distinct id)')).toEqual(['20']);
        }
      }
      // No staging or temporary relation is left behind.
      await withAdapter(ctx, async (a) => {
        const rels = await a.listRelations([a.defaultSchema]);
        expect(rels.map((r) => r.identifier.toLowerCase()).filter((n) => n.includes('__weir'))).toEqual([]);
      });
    },
  },
  {
    name: 'incremental: --full-refresh rebuilds from scratch (append back to 20 rows)',
    async run(ctx) {
      await ok(ctx, ['run', '--select', 'inc_append', '--full-refresh']);
      expect(await counts(ctx, ['inc_append'])).toEqual({ inc_append: 20 });
    },
  },
  {
    name: 'incremental: on_schema_change sync_all_columns adds and drops columns; fail stops with the table unchanged',
    async run(ctx) {
      const select = "id, updated_at, upper(name) as name_upper";
      writeFiles(ctx.dir, {
        'models/inc/inc_sync.sql': model('unique_key="id" on_schema_change="sync_all_columns"', select),
        'models/inc/inc_fail.sql': model('unique_key="id" on_schema_change="fail"', select),
      });
      await ok(ctx, ['run', '--select', 'inc_sync']);
      await withAdapter(ctx, async (a, conn, rel) => {
        expect((await a.listColumns(conn, rel('inc_sync'))).map((c) => c.name.toLowerCase())).toEqual(['id', 'updated_at', 'name_upper']);
        expect(await count(a, conn, rel('inc_sync'))).toBe(20);
        const r = await conn.execute(`select count(name_upper) from ${a.dialect.relation(rel('inc_sync'))}`);
        expect(Number(r.rows[0][0])).toBe(11); // the 11 new or changed rows
      });
      const bad = await cli(ctx, ['run', '--select', 'inc_fail']);
      expect(bad.code, show(bad)).toBe(1);
      expect(show(bad)).toMatch(/model 'inc_fail'.*columns differ.*on_schema_change: fail.*new: name_upper.*missing: grp, name/is);
      await withAdapter(ctx, async (a, conn, rel) => {
        expect((await a.listColumns(conn, rel('inc_fail'))).map((c) => c.name.toLowerCase())).toEqual(['id', 'grp', 'name', 'updated_at']);
        expect(await count(a, conn, rel('inc_fail'))).toBe(10);
      });
    },
  },
  {
    name: 'incremental: microbatch builds daily batches, backfills a window with --event-time-start/--event-time-end, idempotently',
    async run(ctx) {
      // The seed is at round 2 now; a full build up to 2024-01-11 holds ids 1-10 except 3 (moved to February).
      await ok(ctx, ['run', '--select', 'inc_mb', '--event-time-end', '2024-01-11']);
      expect(await counts(ctx, ['inc_mb'])).toEqual({ inc_mb: 9 });
      for (let i = 0; i < 2; i++) {
        await ok(ctx, ['run', '--select', 'inc_mb', '--event-time-start', '2024-01-11', '--event-time-end', '2024-02-02']);
        expect(await counts(ctx, ['inc_mb'])).toEqual({ inc_mb: 20 });
      }
      expect(await column(ctx, 'inc_mb', 'name')).toContain('n3-new');
      // Back to round 1 and reprocess only January 3rd: id 3 comes back with its old name, nothing else moves.
      writeFiles(ctx.dir, { 'seeds/inc_rows.csv': ROUND1 });
      await ok(ctx, ['seed', '--select', 'inc_rows']);
      await ok(ctx, ['run', '--select', 'inc_mb', '--event-time-start', '2024-01-03', '--event-time-end', '2024-01-04']);
      expect(await counts(ctx, ['inc_mb'])).toEqual({ inc_mb: 21 });
      expect((await column(ctx, 'inc_mb', 'name')).filter((n) => n.startsWith('n3'))).toEqual(['n3', 'n3-new']);
    },
  },
  {
    name: 'empty models: table, view and incremental models with no rows build and stay empty',
    async run(ctx) {
      const names = ['empty_table', 'empty_view', 'empty_incremental'];
      for (let i = 0; i < 2; i++) {
        await ok(ctx, ['run', '--select', ...names]);
        expect(await counts(ctx, names)).toEqual({ empty_table: 0, empty_view: 0, empty_incremental: 0 });
      }
      await withAdapter(ctx, async (a, conn, rel) => {
        expect((await a.listColumns(conn, rel('empty_table'))).map((c) => c.name.toLowerCase())).toEqual(['id', 'name']);
        // Clean up what these cases built, so later runs of the shared project see only its own relations.
        for (const r of await a.listRelations([a.defaultSchema])) {
          const n = r.identifier.toLowerCase();
          if (n.startsWith('inc_') || n.startsWith('empty_')) await conn.execute(a.dialect.ddl.dropRelation(a.dialect.relation(rel(r.identifier)), r.kind));
        }
      });
      rmSync(path.join(ctx.dir, 'models/inc'), { recursive: true, force: true });
      rmSync(path.join(ctx.dir, 'seeds/inc_rows.csv'));
      rmSync(path.join(ctx.dir, 'seeds/inc.yml'));
    },
  },
];
