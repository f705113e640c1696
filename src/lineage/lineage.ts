/**
 * Project-wide column lineage: parses every model's compiled SQL (DuckDB dialect) with
 * {@link DuckDbSqlParser}, analyzes it with {@link analyzeSelect} against the project's relations and the
 * catalog's columns, and returns the `target/lineage.json` artifact — an adjacency list from each model
 * column to its upstream columns, plus what could not be resolved.
 */
import type { ArtifactMetadata } from '../artifacts/artifacts.js';
import type { RelationName } from '../manifest/types.js';
import { analyzeSelect, type ColumnLineage, type RelationResolver } from './column-lineage.js';
import { DuckDbSqlParser } from './duckdb-parser.js';

/** Schema identifier of `lineage.json`. */
export const LINEAGE_SCHEMA = 'https://weir.dev/schemas/lineage/v1.json';

/** A node as the lineage computation sees it. */
export interface LineageInput {
  readonly unique_id: string;
  readonly resource_type: string;
  /** Compiled SQL in DuckDB's dialect (models and snapshots); absent for seeds and sources. */
  readonly compiled_code?: string;
  /** Where the node's relation lives; absent for ephemeral models (inlined as CTEs). */
  readonly relation?: RelationName;
}

/** Lineage of one model in `lineage.json`. */
export interface NodeLineage {
  /** Output columns in order, by name. */
  readonly columns: Readonly<Record<string, Omit<ColumnLineage, 'name'>>>;
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
  const resolver: RelationResolver = {
    resolve: ({ catalog, schema, table }) => {
      const uid = index.get(k(catalog, schema || options.defaultSchema, table)) ?? (catalog ? undefined : index.get(k(schema || options.defaultSchema, table)));
      return uid ? { node: uid, columns: options.columnsOf(uid) } : undefined;
    },
  };
  const parser = await DuckDbSqlParser.open();
  const out: Record<string, NodeLineage> = {};
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
      const res = analyzeSelect(statements[0], resolver, parser.aggregateFunctions, options.columnsOf(n.unique_id));
      out[n.unique_id] = {
        columns: Object.fromEntries(res.columns.map((c) => [c.name, { upstream: c.upstream, unresolved: c.unresolved }])),
        unresolved: res.unresolved,
      };
    }
  } finally {
    parser.close();
  }
  return { metadata: { ...options.metadata, weir_schema_version: LINEAGE_SCHEMA, sql_dialect: 'duckdb' }, nodes: out };
}
