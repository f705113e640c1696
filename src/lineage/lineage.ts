/**
 * Project-wide column lineage: parses every model's compiled SQL (DuckDB dialect) with
 * {@link DuckDbSqlParser}, analyzes it with {@link analyzeSelect} against the project's relations and the
 * catalog's columns, and returns the `target/lineage.json` artifact — an adjacency list from each model
 * column to its upstream columns, plus what could not be resolved.
 */
import type { ArtifactMetadata } from '../artifacts/artifacts.js';
import type { RelationName } from '../manifest/types.js';
import { analyzeSelect, type ColumnLineage, type LineageKind, type RelationResolver, type UpstreamColumn } from './column-lineage.js';
import { DuckDbSqlParser } from './duckdb-parser.js';

/** Schema identifier of `lineage.json`. */
export const LINEAGE_SCHEMA = 'https://weir.dev/schemas/lineage/v1.json';

/**
 * A column a node's materialization adds to what its SQL yields, e.g. a snapshot's `weir_*` meta columns:
 * it is not looked for in the query, and its lineage is that of the query columns it is computed from.
 */
export interface DerivedColumn {
  readonly name: string;
  /** How it is derived, in words (shown in lineage.json as `derived_by` and on the docs site). */
  readonly derivation: string;
  /**
   * Output columns of the node's query it is computed from: their upstream columns become its upstream,
   * with kind `transformed` (row dependencies — filters, join keys — keep their kind).
   */
  readonly from: readonly string[];
}

/** A node as the lineage computation sees it. */
export interface LineageInput {
  readonly unique_id: string;
  readonly resource_type: string;
  /** Compiled SQL in DuckDB's dialect (models and snapshots); absent for seeds and sources. */
  readonly compiled_code?: string;
  /** Where the node's relation lives; absent for ephemeral models (inlined as CTEs). */
  readonly relation?: RelationName;
  /** Columns the materialization adds after the query (snapshots: see execution/materializations/snapshot-lineage.ts). */
  readonly derivedColumns?: readonly DerivedColumn[];
}

/** Lineage of one column in `lineage.json`. */
export type ColumnLineageEntry = Omit<ColumnLineage, 'name'> & {
  /** Set on columns the materialization derives (see {@link DerivedColumn}): how. */
  readonly derived_by?: string;
};

/** Lineage of one model in `lineage.json`. */
export interface NodeLineage {
  /** Output columns in order, by name. */
  readonly columns: Readonly<Record<string, ColumnLineageEntry>>;
  /** Problems concerning the whole model (parse error, unknown relations). */
  readonly unresolved: readonly string[];
}

/** `target/lineage.json`. */
export interface LineageArtifact {
  readonly metadata: ArtifactMetadata & { readonly sql_dialect: 'duckdb' };
  readonly nodes: Readonly<Record<string, NodeLineage>>;
}

/** Options of {@link computeLineage}. */
export interface LineageOptions {
  /** Column names in order of a built relation (from the catalog), or undefined. */
  readonly columnsOf: (uid: string) => readonly string[] | undefined;
  /** Schema that unqualified table names resolve to (the target's schema). */
  readonly defaultSchema: string;
  readonly metadata: ArtifactMetadata;
  /**
   * Without a catalog (before a run): the output columns of nodes analyzed earlier in this call stand in for
   * the catalog's columns of their relations (give the nodes in DAG order), so `select *` from an upstream
   * model resolves.
   */
  readonly reuseComputedColumns?: boolean;
}

/**
 * Computes column lineage for every model/snapshot with compiled SQL.
 * @param nodes every model, seed, source and snapshot (relations of all of them are needed to resolve FROM)
 */
export async function computeLineage(nodes: readonly LineageInput[], options: LineageOptions): Promise<LineageArtifact> {
  const index = new Map<string, string>();
  const k = (...parts: (string | undefined)[]) => parts.filter((p) => p !== undefined && p !== '').map((p) => p!.toLowerCase()).join('.');
  for (const n of nodes) {
    if (!n.relation) continue;
    const r = n.relation;
    index.set(k(r.schema, r.identifier), n.unique_id);
    if (r.database) index.set(k(r.database, r.schema, r.identifier), n.unique_id);
  }
  const out: Record<string, NodeLineage> = {};
  const resolver: RelationResolver = {
    resolve: ({ catalog, schema, table }) => {
      const uid = index.get(k(catalog, schema || options.defaultSchema, table)) ?? (catalog ? undefined : index.get(k(schema || options.defaultSchema, table)));
      if (!uid) return undefined;
      const computed = options.reuseComputedColumns && out[uid] && Object.keys(out[uid].columns).length ? Object.keys(out[uid].columns) : undefined;
      return { node: uid, columns: options.columnsOf(uid) ?? computed };
    },
  };
  const parser = await DuckDbSqlParser.open();
  try {
    for (const n of nodes) {
      if (n.resource_type !== 'model' && n.resource_type !== 'snapshot') continue;
      if (n.compiled_code === undefined) {
        out[n.unique_id] = { columns: {}, unresolved: ['not compiled (its template failed to render): fix it and run weir docs generate again'] };
        continue;
      }
      const parsed = await parser.parse(n.compiled_code);
      if (!parsed.ok) {
        out[n.unique_id] = { columns: {}, unresolved: [`DuckDB cannot parse the compiled SQL: ${parsed.error}`] };
        continue;
      }
      const statements = parsed.statements;
      if (statements.length !== 1) {
        out[n.unique_id] = { columns: {}, unresolved: [`expected one SELECT statement, found ${statements.length}`] };
        continue;
      }
      // Derived columns are not the query's: compare and name the query's columns without them.
      const derived = n.derivedColumns ?? [];
      const derivedNames = new Set(derived.map((d) => d.name.toLowerCase()));
      const built = options.columnsOf(n.unique_id)?.filter((c) => !derivedNames.has(c.toLowerCase()));
      const res = analyzeSelect(statements[0], resolver, parser.aggregateFunctions, built);
      const columns: Record<string, ColumnLineageEntry> = Object.fromEntries(res.columns.map((c) => [c.name, { upstream: c.upstream, unresolved: c.unresolved }]));
      for (const d of derived) columns[d.name] = derivedLineage(d, res.columns);
      out[n.unique_id] = { columns, unresolved: res.unresolved };
    }
  } finally {
    parser.close();
  }
  return { metadata: { ...options.metadata, weir_schema_version: LINEAGE_SCHEMA, sql_dialect: 'duckdb' }, nodes: out };
}

/** Lineage of a derived column from the query columns it is computed from (matched case-insensitively). */
function derivedLineage(d: DerivedColumn, queryColumns: readonly ColumnLineage[]): ColumnLineageEntry {
  const upstream = new Map<string, UpstreamColumn>();
  const unresolved: string[] = [];
  for (const f of d.from) {
    const c = queryColumns.find((q) => q.name.toLowerCase() === f.toLowerCase());
    if (!c) {
      unresolved.push(`${f} (which it is computed from) is not a column of the query`);
      continue;
    }
    unresolved.push(...c.unresolved);
    for (const u of c.upstream) {
      const kind: LineageKind = u.kind === 'filtered_by' || u.kind === 'join_key' ? u.kind : 'transformed';
      upstream.set(`${u.node}\u0000${u.column.toLowerCase()}\u0000${kind}`, { node: u.node, column: u.column, kind });
    }
  }
  return { upstream: [...upstream.values()], unresolved: [...new Set(unresolved)], derived_by: d.derivation };
}
