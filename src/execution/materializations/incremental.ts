/**
 * The `incremental` materialization (dbt's, https://docs.getdbt.com/docs/build/incremental-models): the
 * first build, a `--full-refresh`, or a relation that is not a table builds the whole table (like
 * `table`, via a temporary relation and a swap). Otherwise the model is rendered with
 * `{{#if (is_incremental)}}` on, its rows are written to a staging table `<name>__weir_incr`, and the
 * strategy moves them into the table:
 * - `append`: insert all;
 * - `merge`: `MERGE INTO` on `unique_key` (engines without the `merge` capability run delete+insert);
 * - `delete+insert`: delete the rows whose key is in the new rows, insert the new rows;
 * - `microbatch`: one step per `batch_size` window of `event_time`: delete the window, insert its rows.
 * The DML of a step runs in one transaction where the engine has transactional DML (capability flags), so
 * a failure leaves the table as it was; the staging table is dropped afterwards and, if a killed run left
 * it behind, before the next step.
 */
import type { Adapter, Connection } from '../../adapters/adapter.js';
import { swapIn, tmpRelation } from '../../adapters/relation-swap.js';
import type { RenderOverrides } from '../../compiler/render.js';
import { WeirError } from '../../errors/weir-error.js';
import { typedConfig, type BatchSize, type IncrementalConfig } from '../../manifest/node-configs.js';
import type { ModelNode, RelationName } from '../../manifest/types.js';
import { tableOptionsOf } from '../../adapters/table-options.js';
import { materializeTable } from './table.js';
import type { Audit, MaterializationResult, Strategy } from './strategy.js';
import { singleStatementSync } from './statements.js';
import { now } from '../../events/events.js';
import { writeFileIfChanged } from '../../utils/write-file.js';
import path from 'node:path';
import { appendSql, deleteMatchingSql, deleteWindowSql, mergeSql, planSchemaChange, windowPredicate } from './incremental-sql.js';
import type { RelationCache } from './relation-cache.js';

/** Suffix of the staging table an incremental step writes its new rows to. */
export const STAGING_SUFFIX = '__weir_incr';

/** The staging relation next to `target`. */
export function stagingRelation(target: RelationName): RelationName {
  return { ...target, identifier: `${target.identifier}${STAGING_SUFFIX}` };
}

/** Everything an incremental build needs. */
export interface IncrementalBuild {
  readonly adapter: Adapter;
  readonly conn: Connection;
  readonly node: ModelNode;
  readonly relation: RelationName;
  readonly relations?: RelationCache;
  /** Renders the model's SQL with the given incremental inputs (and records it as the compiled SQL). */
  render(overrides: RenderOverrides): string;
  /** `--full-refresh`: rebuild from scratch. */
  readonly fullRefresh?: boolean;
  /** `--event-time-start` / `--event-time-end` (microbatch backfills), UTC. */
  readonly eventTimeStart?: Date;
  readonly eventTimeEnd?: Date;
  /** The current time (default: now); microbatch's last batch contains it. */
  readonly now?: Date;
  /**
   * Write-audit-publish: checks the staged relation before it is published. A full build audits its
   * temporary table before the swap; an incremental step is applied to a staged copy of the table
   * (`<name>__weir_tmp`), which is audited and then swapped in, so a failing audit leaves the table as it was.
   */
  readonly audit?: Audit;
}

/** What an incremental build reports. */
export interface IncrementalResult extends MaterializationResult {
  /** Status message, e.g. `MERGE 10`, `CREATE TABLE 20`, `MICROBATCH 3 batches, 42 rows`. */
  readonly message: string;
  /** Something the user should know although the build succeeded (e.g. an empty microbatch window). */
  readonly warning?: string;
}

/**
 * Builds or updates an incremental model.
 * @throws WeirError `WEIR_CONFIG_INVALID` (a unique_key column missing from the output), `WEIR_SCHEMA_CHANGE` (`on_schema_change: fail` and
 *   the columns differ); the engine's error otherwise — after rolling back, with the table unchanged where
 *   the engine has transactional DML
 */
export async function materializeIncremental(b: IncrementalBuild): Promise<IncrementalResult> {
  const cfg = typedConfig(b.node, 'incremental');
  const existing = b.relations ? await b.relations.kindOf(b.adapter, b.conn, b.relation) : await b.adapter.relationKind(b.conn, b.relation);
  const incremental = existing === 'table' && !b.fullRefresh;
  if (incremental && b.audit) return auditedCopy(b, (staged) => (cfg.microbatch ? microbatch(staged, cfg, true, 'table') : applyIncrement(staged, cfg)));
  if (cfg.microbatch) return microbatch(b, cfg, incremental, existing);
  if (!incremental) {
    const r = await materializeTable(b.adapter, b.conn, b.relation, b.render({ isIncremental: false }), b.relations, b.audit, tableOptionsOf(b.node.config));
    return { rowsAffected: r.rowsAffected, message: `CREATE TABLE ${r.rowsAffected ?? ''}`.trim() };
  }
  return applyIncrement(b, cfg);
}

/**
 * Write-audit-publish of an incremental step: the table is copied to `<name>__weir_tmp`, `step` applies
 * the increment to the copy, the copy is audited and swapped in. Any failure drops the copy and leaves
 * the table untouched. Costs a full copy of the table per run (documented in README).
 */
async function auditedCopy(b: IncrementalBuild, step: (staged: IncrementalBuild) => Promise<IncrementalResult>): Promise<IncrementalResult> {
  const { adapter, conn } = b;
  const d = adapter.dialect;
  const tmp = tmpRelation(b.relation);
  const tmpSql = d.relation(tmp);
  await conn.execute(d.ddl.dropRelation(tmpSql, 'table'));
  try {
    await conn.execute(d.ddl.createTableAs(tmpSql, `select * from ${target(b)}`));
    const r = await step({ ...b, relation: tmp, relations: undefined, audit: undefined });
    await b.audit!(tmp);
    await swapIn(adapter, conn, tmp, b.relation, 'table');
    b.relations?.set(b.relation, 'table');
    return r;
  } catch (e) {
    await conn.execute(d.ddl.dropRelation(tmpSql, 'table')).catch(() => undefined);
    throw e;
  }
}

/** One incremental step (append, merge or delete+insert) into `b.relation`, which exists as a table. */
async function applyIncrement(b: IncrementalBuild, cfg: IncrementalConfig): Promise<IncrementalResult> {
  const sql = b.render({ isIncremental: true });
  const strategy = cfg.strategy === 'merge' && !b.adapter.capabilities.merge ? 'delete+insert' : cfg.strategy;
  const rows = await withStaging(b, sql, (staging, cols) => {
    if (strategy === 'append' || cfg.uniqueKey.length === 0) return [appendSql(b.adapter.dialect, target(b), staging, cols)];
    if (strategy === 'merge') return [mergeSql(b.adapter.dialect, target(b), staging, cols, cfg.uniqueKey)];
    return [deleteMatchingSql(b.adapter.dialect, target(b), staging, cfg.uniqueKey), appendSql(b.adapter.dialect, target(b), staging, cols)];
  }, cfg);
  const verb = strategy === 'merge' && cfg.uniqueKey.length ? 'MERGE' : strategy === 'delete+insert' ? 'DELETE+INSERT' : 'INSERT';
  return { rowsAffected: rows, message: `${verb} ${rows}` };
}

const target = (b: IncrementalBuild) => b.adapter.dialect.relation(b.relation);

/**
 * Writes `sql`'s rows to the staging table, applies `on_schema_change`, runs the strategy's statements
 * (from `statements(staging, columns)`) in one transaction where possible, and drops the staging table.
 * @returns the number of staged rows
 */
async function withStaging(
  b: IncrementalBuild, sql: string, statements: (staging: string, cols: readonly string[]) => string[], cfg: IncrementalConfig,
): Promise<number> {
  const { adapter, conn } = b;
  const d = adapter.dialect;
  const staging = d.relation(stagingRelation(b.relation));
  await conn.execute(d.ddl.dropRelation(staging, 'table'));
  try {
    await conn.execute(d.ddl.createTableAs(staging, sql));
    const rows = Number((await conn.execute(`select count(*) from ${staging}`)).rows[0][0]);
    const targetCols = await adapter.listColumns(conn, b.relation);
    const stagingCols = await adapter.listColumns(conn, stagingRelation(b.relation));
    const plan = planSchemaChange(d, target(b), targetCols, stagingCols, cfg.onSchemaChange);
    if (cfg.onSchemaChange === 'fail' && (plan.added.length || plan.removed.length)) {
      throw new WeirError('WEIR_SCHEMA_CHANGE', `model '${b.node.name}': the model's columns differ from ${target(b)} (on_schema_change: fail)${plan.added.length ? `; new: ${plan.added.map((c) => c.name).join(', ')}` : ''}${plan.removed.length ? `; missing: ${plan.removed.map((c) => c.name).join(', ')}` : ''}`, {
        location: { file: b.node.path },
        hint: 'Set on_schema_change to append_new_columns or sync_all_columns, or rebuild with --full-refresh.',
      });
    }
    if (plan.insertColumns.length === 0) {
      throw new WeirError('WEIR_SCHEMA_CHANGE', `model '${b.node.name}': the model shares no column with ${target(b)}`, {
        location: { file: b.node.path }, hint: 'Rebuild it with --full-refresh.',
      });
    }
    const missingKeys = cfg.uniqueKey.filter((k) => !plan.insertColumns.some((c) => c.toLowerCase() === k.toLowerCase()));
    if (missingKeys.length) {
      throw new WeirError('WEIR_CONFIG_INVALID', `model '${b.node.name}': unique_key column${missingKeys.length > 1 ? 's' : ''} ${missingKeys.join(', ')} not in the model's output`, {
        location: { file: b.node.path }, hint: `The model's columns: ${stagingCols.map((c) => c.name).join(', ')}.`,
      });
    }
    await inTransaction(adapter, conn, plan.alters, statements(staging, plan.insertColumns));
    return rows;
  } finally {
    await conn.execute(d.ddl.dropRelation(staging, 'table')).catch(() => undefined);
  }
}

/**
 * Runs `alters` then `dml` (SQL statements): in one transaction when the engine has transactional DML (the alters join it
 * when DDL is transactional too, else they run first, on their own).
 */
export async function inTransaction(adapter: Adapter, conn: Connection, alters: readonly string[], dml: readonly string[]): Promise<void> {
  const tx = adapter.capabilities.transactionalDml === true;
  const ddlInTx = tx && adapter.capabilities.transactionalDdl;
  if (!ddlInTx) for (const s of alters) await conn.execute(s);
  if (tx) await conn.execute('begin transaction');
  try {
    if (ddlInTx) for (const s of alters) await conn.execute(s);
    for (const s of dml) await conn.execute(s);
    if (tx) await conn.execute('commit');
  } catch (e) {
    if (tx) await conn.execute('rollback').catch(() => undefined);
    throw e;
  }
}

/** A microbatch window `[start, end)`, UTC. */
export interface Batch {
  readonly start: Date;
  readonly end: Date;
}

/** `d` truncated to the start of its `size` period (UTC). */
export function truncateTo(d: Date, size: BatchSize): Date {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (size) {
    case 'hour': return new Date(Date.UTC(y, m, d.getUTCDate(), d.getUTCHours()));
    case 'day': return new Date(Date.UTC(y, m, d.getUTCDate()));
    case 'month': return new Date(Date.UTC(y, m, 1));
    case 'year': return new Date(Date.UTC(y, 0, 1));
  }
}

/** `d` plus `n` periods of `size` (UTC). */
export function addPeriods(d: Date, size: BatchSize, n: number): Date {
  switch (size) {
    case 'hour': return new Date(d.getTime() + n * 3_600_000);
    case 'day': return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + n, d.getUTCHours()));
    case 'month': return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, d.getUTCDate(), d.getUTCHours()));
    case 'year': return new Date(Date.UTC(d.getUTCFullYear() + n, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()));
  }
}

/** At most this many batches per run (a typo in `begin` should not start a million statements). */
export const MAX_BATCHES = 100_000;

/**
 * The batches covering `[start, end)`, aligned to `size` (the first starts at `start` truncated, the last
 * ends at or after `end`). Empty when `end <= start`.
 * @throws WeirError `WEIR_USAGE` beyond {@link MAX_BATCHES}
 */
export function batchesBetween(start: Date, end: Date, size: BatchSize): Batch[] {
  const out: Batch[] = [];
  for (let s = truncateTo(start, size); s < end; s = addPeriods(s, size, 1)) {
    out.push({ start: s, end: addPeriods(s, size, 1) });
    if (out.length > MAX_BATCHES) throw new WeirError('WEIR_USAGE', `more than ${MAX_BATCHES} microbatches between ${start.toISOString()} and ${end.toISOString()}`, { hint: 'Narrow --event-time-start/--event-time-end, or use a larger batch_size.' });
  }
  return out;
}

/**
 * The batches a microbatch run processes: a full build covers `begin` (or `--event-time-start`) up to now
 * (or `--event-time-end`); an incremental run covers the current batch and `lookback` before it, unless
 * the flags give the window.
 */
export function plannedBatches(cfg: NonNullable<IncrementalConfig['microbatch']>, incremental: boolean, o: { start?: Date; end?: Date; now: Date }): Batch[] {
  const end = o.end ?? o.now;
  const start = o.start ?? (incremental ? addPeriods(truncateTo(o.now, cfg.batchSize), cfg.batchSize, -cfg.lookback) : cfg.begin);
  // The current (partial) batch is included: `end` rounds up to the batch boundary after it.
  return batchesBetween(start, o.end ? end : new Date(end.getTime() + 1), cfg.batchSize);
}

async function microbatch(b: IncrementalBuild, cfg: IncrementalConfig, incremental: boolean, existing: 'table' | 'view' | undefined): Promise<IncrementalResult> {
  const mb = cfg.microbatch!;
  const { adapter, conn } = b;
  const d = adapter.dialect;
  if (b.eventTimeStart && b.eventTimeEnd && b.eventTimeEnd <= b.eventTimeStart) {
    throw new WeirError('WEIR_USAGE', `--event-time-end (${b.eventTimeEnd.toISOString()}) must be after --event-time-start (${b.eventTimeStart.toISOString()})`);
  }
  const batches = plannedBatches(mb, incremental, { start: b.eventTimeStart, end: b.eventTimeEnd, now: b.now ?? new Date() });
  const pred = (w: Batch) => windowPredicate(d, mb.eventTime, w.start, w.end);
  if (!incremental) {
    // Every batch into a temporary table, then one swap: a killed or failed full build leaves the old relation.
    const tmp = d.relation(tmpRelation(b.relation));
    await conn.execute(d.ddl.dropRelation(tmp, 'table'));
    let rows = 0;
    try {
      const first = batches[0] ?? { start: mb.begin, end: mb.begin };
      await conn.execute(d.ddl.createTableAs(tmp, `select * from (\n${b.render({ isIncremental: false, eventTimeWindow: first })}\n) as weir_batch where ${pred(first)}`));
      for (const w of batches.slice(1)) {
        const cols = (await adapter.listColumns(conn, tmpRelation(b.relation))).map((c) => c.name);
        await conn.execute(appendSql(d, tmp, `(\n${b.render({ isIncremental: false, eventTimeWindow: w })}\n) as weir_batch`, cols, pred(w)));
      }
      rows = Number((await conn.execute(`select count(*) from ${tmp}`)).rows[0][0]);
      if (b.audit) await b.audit(tmpRelation(b.relation));
      await swapIn(adapter, conn, tmpRelation(b.relation), b.relation, existing);
    } catch (e) {
      await conn.execute(d.ddl.dropRelation(tmp, 'table')).catch(() => undefined);
      throw e;
    }
    b.relations?.set(b.relation, 'table');
    return { rowsAffected: rows, message: `CREATE TABLE ${rows} (${batches.length} batch${batches.length === 1 ? '' : 'es'})` };
  }
  if (batches.length === 0) {
    // The window is empty: nothing to do, but never silently (e.g. --event-time-end before the current batch).
    const end = b.eventTimeEnd ?? b.now ?? new Date();
    const start = b.eventTimeStart ?? addPeriods(truncateTo(b.now ?? new Date(), mb.batchSize), mb.batchSize, -mb.lookback);
    const day = (x: Date) => x.toISOString().replace('T00:00:00.000Z', '').replace('.000Z', 'Z');
    return {
      rowsAffected: 0,
      message: 'MICROBATCH 0 batches',
      warning: `model '${b.node.name}': no microbatch to process — the window [${day(start)}, ${day(end)}) is empty`
        + (b.eventTimeStart ? '' : ` (--event-time-end lies before the ${mb.lookback ? `current ${mb.batchSize} minus lookback ${mb.lookback}` : `current ${mb.batchSize}`}, where an incremental run starts); pass --event-time-start too to backfill an earlier window`),
    };
  }
  let rows = 0;
  for (const w of batches) {
    rows += await withStaging(b, b.render({ isIncremental: true, eventTimeWindow: w }), (staging, cols) => [
      deleteWindowSql(d, target(b), mb.eventTime, w.start, w.end),
      appendSql(d, target(b), staging, cols, pred(w)),
    ], cfg);
  }
  return { rowsAffected: rows, message: `MICROBATCH ${batches.length} batch${batches.length === 1 ? '' : 'es'}, ${rows} rows` };
}

/**
 * The `incremental` materialization: each (re-)rendering of the model for a run or a microbatch is written
 * to its compiled SQL file and checked to be one statement; a warning of the build is reported.
 */
export const incrementalStrategy: Strategy<ModelNode> = {
  relation: 'table', auditable: true, tableOptions: true, reusable: true,
  async build({ ctx, conn, node, relation, relations, compiledPath, audit }) {
    const { adapter, renderer, redact } = ctx;
    const r = await materializeIncremental({
      adapter, conn, node, relation: relation!, relations, fullRefresh: ctx.fullRefresh, eventTimeStart: ctx.eventTimeStart, eventTimeEnd: ctx.eventTimeEnd, audit,
      render: (o) => {
        const sql = renderer.renderWith(node.unique_id, o).compiled_code!;
        if (compiledPath) writeFileIfChanged(path.join(ctx.targetDir, compiledPath), `${redact(sql)}\n`);
        return singleStatementSync(adapter, node, sql, compiledPath);
      },
    });
    if (r.warning) ctx.reporter.emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', node_id: node.unique_id, message: r.warning });
    return { rowsAffected: r.rowsAffected, message: r.message };
  },
};
