/**
 * Client-side UDFs: how a query calls TypeScript UDFs on an engine that can't run them itself (Trino has
 * no JavaScript UDFs; Snowflake's JavaScript UDFs are synchronous and can't use Node, so batch UDFs and
 * non-portable scalar UDFs can't run there either). Which UDFs take this path is decided by the adapter's
 * `capabilities.udfHosting` (see `hostsUdf` in adapters/adapter.ts), never by the engine's name.
 *
 * Before a model, test or ad-hoc query runs, {@link ClientUdfs.prepare}:
 * 1. finds the UDF calls in its SQL (src/sql/: a tokenizer that respects strings, quoted identifiers and
 *    comments), and checks arities and availability (`on_udf_unavailable: skip` as on DuckDB);
 * 2. in rounds, innermost calls first (`jw(normalize_name(a), normalize_name(b))` takes two rounds): for
 *    every call whose arguments and whose SELECT block's inputs hold no pending call, runs one query per
 *    UDF and arity that reads the distinct argument tuples (cast to the declared argument types, NULL
 *    tuples left out unless the UDF has `nulls: 'pass'`), page by page where the connection can stream;
 * 3. computes the results in TypeScript — scalar UDFs directly, batch UDFs through the persistent cache
 *    table `weir_udf_cache` (keyed by a hash of name, version and arguments, so nothing is computed twice
 *    across runs) — converted to the declared return type exactly as the DuckDB registration does;
 * 4. writes them into a lookup table (`weir_udf_<name>_<arity>_<tag>` in the target's schema) with batched
 *    `INSERT ... VALUES` of bound values, and rewrites each call site into a correlated scalar subquery on
 *    that table, matching every argument with `=` (NULL in gives NULL out) or, for `nulls: 'pass'`, with
 *    `IS NOT DISTINCT FROM`.
 * The lookup tables are dropped after the node runs, except for views, which keep reading them (a view
 * then answers with the UDF results of its last build: rows whose arguments are new give NULL).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Adapter, Connection, Dialect, QueryResult } from '../../adapters/adapter.js';
import { WeirError } from '../../errors/weir-error.js';
import type { RelationName } from '../../manifest/types.js';
import { BatchUdfRuntime, stableJson } from '../../udfs/batch.js';
import { assertUdfAvailable, type UdfCaller } from './availability.js';
import { argBind, toSqlResult, toUdfArgument, udfSqlType } from './udf-values.js';
import type { BatchContext, ScalarUdf, UdfDefinition } from '../../udfs/define.js';
import { preview, signatureOf, type LoadedUdf } from '../../udfs/registry.js';
import { planCall } from './udf-call-sites.js';
import { findCalls, replaceSpans, type SqlCall } from '../../sql/calls.js';
import { structureOf, tokenizeOptionsFor } from '../../sql/tokenize.js';

/** Name of the persistent batch-UDF cache table (shared with the in-engine path, batch-udfs.ts). */
const CACHE_TABLE = 'weir_udf_cache';
/** Keys per cache lookup statement. */
const CACHE_CHUNK = 200;
/** Rows per INSERT statement, and a budget of characters of bound values per statement. */
const INSERT_ROWS = 500;
const INSERT_CHARS = 400_000;

/** SQL prepared for the engine: the rewritten text and the lookup tables it reads. */
export interface PreparedSql {
  readonly sql: string;
  /** Lookup tables created for it. */
  readonly lookupTables: readonly RelationName[];
  /** Drops the lookup tables (kept for views, which read them later). Never throws. */
  cleanup(conn: Connection): Promise<void>;
}

/** One lookup table: a UDF at one arity, for one caller. */
interface LookupTable {
  readonly udf: LoadedUdf;
  readonly arity: number;
  readonly relation: RelationName;
  readonly sql: string;
  /** Memory keys of the argument tuples already in the table. */
  readonly stored: Set<string>;
}

/** A lookup as made for a call: its table and, per argument, the SQL text or an inner lookup to join. */
interface LookupShape {
  readonly table: LookupTable;
  readonly args: readonly (string | LookupShape)[];
}

/**
 * The project's UDFs that run client-side on this run's engine, with their batch runtimes (in-memory
 * results shared by the run's nodes) and the cache-table state.
 */
export class ClientUdfs {
  private readonly byName = new Map<string, LoadedUdf>();
  private readonly runtimes = new Map<string, BatchUdfRuntime>();
  /** Schema and cache-table creation, once per run (shared by concurrent nodes). */
  private schemaReady?: Promise<void>;
  private cacheReady?: Promise<void>;

  /**
   * @param udfs the UDFs the engine doesn't host
   * @param context project context for batch UDFs
   */
  constructor(udfs: readonly LoadedUdf[], readonly context: Omit<BatchContext, 'nodeId'>) {
    for (const u of udfs) {
      this.byName.set(u.definition.name.toLowerCase(), u);
      if (u.definition.kind === 'batch') this.runtimes.set(u.definition.name, new BatchUdfRuntime(u, context));
    }
  }

  /** Lower-case names of the client-side UDFs. */
  get names(): ReadonlySet<string> {
    return new Set(this.byName.keys());
  }

  /** The client-side UDF calls in SQL (empty when it needs no preparing). */
  callsIn(sql: string, dialect: Dialect): SqlCall[] {
    if (this.byName.size === 0) return [];
    return findCalls(structureOf(sql, tokenizeOptionsFor(dialect)), this.names);
  }

  /**
   * Evaluates every client-side UDF call of `sql` and returns the SQL rewritten to read the results.
   * @throws WeirError `WEIR_UDF_UNAVAILABLE` (or UdfUnavailableSkip), `WEIR_UDF_INVALID` (wrong number of
   *   arguments), `WEIR_UDF_FAILED` (the UDF threw or returned a value of the wrong type),
   *   `WEIR_UDF_UNAVAILABLE` also for calls that can't be evaluated client-side (they wait on each other),
   *   `WEIR_SQL_ERROR` (the engine rejected an argument-collection or lookup-table statement)
   */
  async prepare(adapter: Adapter, conn: Connection, caller: UdfCaller, sql: string): Promise<PreparedSql> {
    const d = adapter.dialect;
    const opts = tokenizeOptionsFor(d);
    let s = structureOf(sql, opts);
    let calls = findCalls(s, this.names);
    const tables = new Map<string, LookupTable>();
    const shapes = new Map<string, LookupShape>();
    const keep = caller.resource_type === 'model' && caller.config.materialized === 'view';
    const prepared = (text: string): PreparedSql => ({
      sql: text,
      lookupTables: [...tables.values()].map((t) => t.relation),
      cleanup: async (c: Connection) => {
        if (keep) return;
        for (const t of tables.values()) await c.execute(d.ddl.dropRelation(t.sql, 'table')).catch(() => undefined);
      },
    });
    if (calls.length === 0) return prepared(sql);
    const what = `${caller.resource_type} '${caller.name}'`;

    // Arity and availability first: nothing is computed for a call that can't run.
    for (const name of new Set(calls.map((c) => c.name))) assertUdfAvailable(this.byName.get(name)!, caller, this.context);
    for (const c of calls) {
      const def = this.byName.get(c.name)!.definition;
      const required = def.args.filter((a) => !a.optional).length;
      if (c.args.length < required || c.args.length > def.args.length) {
        throw new WeirError('WEIR_UDF_INVALID', `${what} calls UDF ${def.name} with ${c.args.length} argument(s) (${c.args.map((a) => preview(a)).join(', ')}), but it takes ${required === def.args.length ? required : `${required} to ${def.args.length}`}: ${signatureOf(def)}`, {
          location: { file: caller.path, nodeId: caller.unique_id },
          hint: `Call ${def.name} with the arguments its definition in ${this.byName.get(c.name)!.module} declares.`,
        });
      }
    }

    const tag = createHash('sha256').update(keep ? caller.unique_id : `${caller.unique_id}\u0000${process.pid}\u0000${randomBytes(8).toString('hex')}`).digest('hex').slice(0, 10);
    try {
      while (calls.length) {
        const ready: { call: SqlCall; sql: string }[] = [];
        let waiting = '';
        for (const call of calls) {
          const def = this.byName.get(call.name)!.definition;
          const cast = (expr: string, i: number) => `cast((${expr}) as ${udfSqlType(def.args[i].type, d)})`;
          let plan;
          try {
            plan = planCall(s, call, calls, cast);
          } catch (e) {
            throw this.unsupported(caller, call, (e as Error).message);
          }
          if (plan.ready) ready.push({ call, sql: plan.sql });
          else if (!waiting) waiting = `${call.name}(${call.args.map((a) => preview(a)).join(', ')}) waits for ${plan.waitingFor}`;
        }
        if (ready.length === 0) throw this.unsupported(caller, calls[0], waiting);

        const groups = new Map<string, { call: SqlCall; sql: string }[]>();
        for (const r of ready) {
          const k = `${r.call.name}/${r.call.args.length}`;
          groups.set(k, [...(groups.get(k) ?? []), r]);
        }
        const edits: { start: number; end: number; text: string }[] = [];
        for (const [k, group] of groups) {
          const udf = this.byName.get(group[0].call.name)!;
          const arity = group[0].call.args.length;
          let table = tables.get(k);
          if (!table) {
            table = await this.createLookup(adapter, conn, caller, udf, arity, tag);
            tables.set(k, table);
          }
          await this.fill(adapter, conn, caller, table, group.map((g) => g.sql));
          for (const g of group) edits.push({ start: g.call.start, end: g.call.end, text: this.lookupExpression(d, table, g.call, shapes) });
        }
        sql = replaceSpans(sql, edits);
        s = structureOf(sql, opts);
        calls = findCalls(s, this.names);
      }
    } catch (e) {
      await prepared(sql).cleanup(conn);
      throw e;
    }
    return prepared(sql);
  }

  private unsupported(caller: UdfCaller, call: SqlCall, why: string): WeirError {
    return new WeirError('WEIR_UDF_UNAVAILABLE', `the UDF call ${call.name}(${call.args.map((a) => preview(a)).join(', ')}) can't be evaluated on this target, which runs UDFs client-side: ${why}`, {
      location: { file: caller.path, nodeId: caller.unique_id },
      hint: 'Client-side UDFs need their arguments computable from their own SELECT block: move the call into a CTE that selects its inputs (not from a recursive CTE or an enclosing query), or build the model on DuckDB.',
    });
  }

  /**
   * The correlated lookup that replaces a call: `(select l1.weir_result from <table> as l1 where
   * l1.weir_arg_1 = cast((<arg>) as <type>) and ...)`. An argument that is itself a lookup made in an
   * earlier round (`f(g(x))`) is joined inside the same subquery instead of nested in it, when `f` returns
   * NULL for NULL input (then a missing or NULL `g` result gives NULL either way): correlation stays one
   * level deep, which engines decorrelate into joins (DuckDB runs nested correlated subqueries row by row).
   */
  private lookupExpression(d: Dialect, table: LookupTable, call: SqlCall, shapes: Map<string, LookupShape>): string {
    const def = table.udf.definition;
    const pass = (def.nulls ?? 'propagate') === 'pass';
    const shape: LookupShape = { table, args: call.args.map((a) => (!pass && shapes.get(a)) || a) };
    let n = 0;
    const from: string[] = [];
    const conds: string[] = [];
    const flatten = (sh: LookupShape): string => {
      const alias = `weir_udf_l${++n}`;
      const tdef = sh.table.udf.definition;
      const op = (tdef.nulls ?? 'propagate') === 'pass' ? 'is not distinct from' : '=';
      from.push(`${sh.table.sql} as ${alias}`);
      sh.args.forEach((arg, i) => {
        const col = `${alias}.${d.quoteIdentifier(`weir_arg_${i + 1}`)}`;
        const type = udfSqlType(tdef.args[i].type, d);
        if (typeof arg === 'string') conds.push(`${col} ${op} cast((${arg}) as ${type})`);
        else conds.push(`${col} ${op} cast(${flatten(arg)}.${d.quoteIdentifier('weir_result')} as ${type})`);
      });
      return alias;
    };
    const alias = flatten(shape);
    const text = `(select ${alias}.${d.quoteIdentifier('weir_result')} from ${from.join(', ')}${conds.length ? ` where ${conds.join(' and ')}` : ''})`;
    shapes.set(text, shape);
    return text;
  }

  private async createLookup(adapter: Adapter, conn: Connection, caller: UdfCaller, udf: LoadedUdf, arity: number, tag: string): Promise<LookupTable> {
    const d = adapter.dialect;
    const def = udf.definition;
    const relation: RelationName = { database: adapter.defaultDatabase, schema: adapter.defaultSchema, identifier: `weir_udf_${def.name}_${arity}_${tag}` };
    const sql = d.relation(relation);
    const cols = def.args.slice(0, arity).map((a, i) => `${d.quoteIdentifier(`weir_arg_${i + 1}`)} ${udfSqlType(a.type, d)}`);
    cols.push(`${d.quoteIdentifier('weir_result')} ${udfSqlType(def.returns, d)}`);
    await this.engine(caller, def.name, 'creating its lookup table', async () => {
      await this.ensureSchema(adapter, conn);
      await conn.execute(d.ddl.dropRelation(sql, 'table'));
      await conn.execute(`create table ${sql} (${cols.join(', ')})`);
    });
    return { udf, arity, relation, sql, stored: new Set() };
  }

  /** Creates the target schema once (concurrent callers wait for the same statement; a failure is retried by the next caller). */
  private async ensureSchema(adapter: Adapter, conn: Connection): Promise<void> {
    this.schemaReady ??= adapter.createSchema(conn, adapter.defaultSchema, adapter.defaultDatabase);
    await this.schemaReady.catch((e: unknown) => {
      this.schemaReady = undefined;
      throw e;
    });
  }

  /** Runs a statement, turning an engine error into a WeirError that says which step failed. */
  private async engine<T>(caller: UdfCaller, udfName: string, step: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (e instanceof WeirError) throw e;
      // The runner prefixes the node (the error's location is its file), so the message starts with the step.
      throw new WeirError('WEIR_SQL_ERROR', `${step} for UDF ${udfName} failed: ${(e as Error).message}`, {
        location: { file: caller.path, nodeId: caller.unique_id },
        hint: step.startsWith('collecting')
          ? 'Client-side UDFs read their distinct arguments with a query built from the SELECT block around the call: the arguments must come from that block (not from an enclosing query). Move the call into a CTE that selects its inputs.'
          : 'Check that the target user may create tables in the target schema.',
        cause: e,
      });
    }
  }

  /** Collects the distinct argument tuples of the collection queries, computes the new ones and stores them. */
  private async fill(adapter: Adapter, conn: Connection, caller: UdfCaller, table: LookupTable, queries: readonly string[]): Promise<void> {
    const d = adapter.dialect;
    const def = table.udf.definition;
    const n = table.arity;
    const argCols = Array.from({ length: n }, (_, i) => `weir_arg_${i + 1}`);
    const union = queries.map((q, i) => `select * from (\n${q}\n) as weir_q${i + 1}`).join('\nunion all\n');
    const notNull = (def.nulls ?? 'propagate') === 'propagate' && n > 0 ? `\nwhere ${argCols.map((c) => `${c} is not null`).join(' and ')}` : '';
    const collect = `select distinct ${n ? argCols.join(', ') : '1'} from (\n${union}\n) as weir_args${notNull}`;
    const raw: unknown[][] = [];
    await this.engine(caller, def.name, 'collecting the distinct arguments', async () => {
      const read = (r: QueryResult) => {
        for (const row of r.rows) {
          const tuple = n ? row.slice(0, n) : [];
          const key = stableJson(tuple);
          if (table.stored.has(key)) continue;
          table.stored.add(key);
          raw.push(tuple);
        }
      };
      if (conn.stream) for await (const page of conn.stream(collect)) read(page);
      else read(await conn.execute(collect));
    });
    if (raw.length === 0) return;
    const args = raw.map((t) => t.map((v, i) => toUdfArgument(v, def.args[i].type)));
    const results = def.kind === 'scalar' ? this.computeScalar(caller, table.udf, args) : await this.computeBatch(adapter, conn, caller, table.udf, args);
    // Write in batches of bound rows: cast(? as type) so every engine stores the declared types.
    const types = [...def.args.slice(0, n).map((a) => udfSqlType(a.type, d)), udfSqlType(def.returns, d)];
    const cols = [...argCols, 'weir_result'].map((c) => d.quoteIdentifier(c)).join(', ');
    const rowSql = `(${types.map((t) => `cast(? as ${t})`).join(', ')})`;
    let i = 0;
    while (i < raw.length) {
      const binds: unknown[] = [];
      let rows = 0;
      let chars = 0;
      while (i < raw.length && rows < INSERT_ROWS && (rows === 0 || chars < INSERT_CHARS)) {
        const vals = [...raw[i].map((v, j) => argBind(v, def.args[j].type)), results[i]];
        for (const v of vals) chars += typeof v === 'string' ? v.length + 8 : 24;
        binds.push(...vals);
        rows++;
        i++;
      }
      await this.engine(caller, def.name, 'writing its results to the lookup table', () =>
        conn.execute(`insert into ${table.sql} (${cols}) values ${Array.from({ length: rows }, () => rowSql).join(', ')}`, binds));
    }
  }

  private failed(caller: UdfCaller, udf: LoadedUdf, args: readonly unknown[], more: number, e: unknown): WeirError {
    return new WeirError('WEIR_UDF_FAILED', `UDF ${udf.definition.name} (${udf.module}) failed while preparing ${caller.resource_type} '${caller.name}' on (${args.map(preview).join(', ')})${more > 0 ? ` and ${more} more input(s)` : ''}: ${(e as Error).message}`, {
      location: { file: caller.path, nodeId: caller.unique_id }, cause: e,
    });
  }

  private computeScalar(caller: UdfCaller, udf: LoadedUdf, tuples: readonly unknown[][]): unknown[] {
    const def = udf.definition as ScalarUdf;
    const fn = def.fn as (...a: unknown[]) => unknown;
    const propagate = (def.nulls ?? 'propagate') === 'propagate';
    return tuples.map((args) => {
      if (propagate && args.some((a) => a === null)) return null;
      try {
        return toSqlResult(fn(...args), def.returns);
      } catch (e) {
        throw this.failed(caller, udf, args, 0, e);
      }
    });
  }

  /** Batch UDF results: from memory, then the cache table, then computed in batches and cached. */
  private async computeBatch(adapter: Adapter, conn: Connection, caller: UdfCaller, udf: LoadedUdf, tuples: readonly unknown[][]): Promise<unknown[]> {
    const def = udf.definition as Extract<UdfDefinition, { kind: 'batch' }>;
    const rt = this.runtimes.get(def.name)!;
    const d = adapter.dialect;
    const cache = d.relation({ database: adapter.defaultDatabase, schema: adapter.defaultSchema, identifier: CACHE_TABLE });
    const propagate = (def.nulls ?? 'propagate') === 'propagate';
    const out: unknown[] = new Array(tuples.length).fill(null);
    const need: number[] = [];
    tuples.forEach((args, i) => {
      if (propagate && args.some((a) => a === null)) return;
      if (rt.has(args)) out[i] = rt.get(args);
      else need.push(i);
    });
    if (need.length === 0) return out.map((v) => toSqlResult(v, def.returns));
    await this.engine(caller, def.name, 'reading the batch-UDF cache', async () => {
      this.cacheReady ??= this.ensureSchema(adapter, conn).then(async () => {
        await conn.execute(`create table if not exists ${cache} (${['key', 'udf', 'version', 'args', 'result'].map((c) => `${d.quoteIdentifier(c)} varchar`).join(', ')})`);
      });
      await this.cacheReady.catch((e: unknown) => {
        this.cacheReady = undefined;
        throw e;
      });
      const keys = need.map((i) => rt.cacheKey(tuples[i]));
      const found = new Map<string, unknown>();
      for (let j = 0; j < keys.length; j += CACHE_CHUNK) {
        const part = keys.slice(j, j + CACHE_CHUNK);
        const r = await conn.execute(`select ${d.quoteIdentifier('key')}, ${d.quoteIdentifier('result')} from ${cache} where ${d.quoteIdentifier('key')} in (${part.map(() => '?').join(', ')})`, part);
        for (const [k, v] of r.rows) found.set(String(k), v === null ? null : JSON.parse(String(v)));
      }
      need.splice(0, need.length, ...need.filter((i, j) => {
        if (!found.has(keys[j])) return true;
        rt.set(tuples[i], found.get(keys[j]));
        out[i] = found.get(keys[j]);
        return false;
      }));
    });
    if (need.length) {
      const missing = need.map((i) => tuples[i]);
      let results: unknown[];
      try {
        results = await rt.compute(missing, { ...this.context, nodeId: caller.unique_id });
      } catch (e) {
        if (e instanceof WeirError) throw e;
        throw this.failed(caller, udf, missing[0], missing.length - 1, e);
      }
      await this.engine(caller, def.name, 'writing the batch-UDF cache', async () => {
        for (let j = 0; j < missing.length; j += CACHE_CHUNK) {
          const rows = missing.slice(j, j + CACHE_CHUNK);
          const binds: unknown[] = [];
          rows.forEach((args, k) => binds.push(rt.cacheKey(args), def.name, rt.version, stableJson(args), stableJson(results[j + k] ?? null)));
          await conn.execute(`insert into ${cache} (${['key', 'udf', 'version', 'args', 'result'].map((c) => d.quoteIdentifier(c)).join(', ')}) values ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`, binds);
        }
      });
      need.forEach((i, j) => {
        rt.set(tuples[i], results[j] ?? null);
        out[i] = results[j] ?? null;
      });
    }
    return out.map((v, i) => {
      try {
        return toSqlResult(v, def.returns);
      } catch (e) {
        throw this.failed(caller, udf, tuples[i], 0, e);
      }
    });
  }
}
