/**
 * The catalog: columns and types of every built relation, read from the engine's information schema
 * through the adapter (`listRelations` + `listColumns`), written to `target/catalog.json`. Shaped after
 * dbt's catalog artifact (https://docs.getdbt.com/reference/artifacts/catalog-json): `nodes` (models,
 * seeds, snapshots) and `sources` keyed by unique_id, each with `metadata` and `columns`; nodes whose
 * relation is not built are listed in `errors` instead of being left out silently.
 */
import type { Adapter, ColumnMeta } from '../adapters/adapter.js';
import type { RelationName } from '../manifest/types.js';
import type { ArtifactMetadata } from '../artifacts/artifacts.js';
import { dbtMetadata, DBT_SCHEMAS } from '../artifacts/dbt/metadata.js';

/** Schema identifier of `catalog.json`. */
export const CATALOG_SCHEMA = DBT_SCHEMAS.catalog;

/** A node whose relation the catalog should describe. */
export interface CatalogRequest {
  readonly unique_id: string;
  readonly resource_type: string;
  /** Where the node's relation lives (as the compiler names it; matched case-insensitively). */
  readonly relation: RelationName;
}

/** One column of a catalog table. `index` is 1-based (the engine's ordinal position). */
export interface CatalogColumn {
  readonly name: string;
  /** Engine type name, e.g. `VARCHAR`, `DECIMAL(18,2)`. */
  readonly type: string;
  readonly index: number;
  readonly comment: string | null;
}

/** One built relation. */
export interface CatalogTable {
  readonly unique_id: string;
  readonly metadata: {
    /** `table` or `view` as the engine reports it. */
    readonly type: 'table' | 'view';
    readonly database: string | null;
    /** Schema and name as the engine spells them (e.g. upper-cased on Snowflake). */
    readonly schema: string;
    readonly name: string;
    readonly comment: string | null;
    readonly owner: string | null;
  };
  readonly columns: Readonly<Record<string, CatalogColumn>>;
  readonly stats: Readonly<Record<string, unknown>>;
}

/** A node the catalog could not describe. */
export interface CatalogError {
  readonly unique_id: string;
  /** Relation looked for, `schema.name`. */
  readonly relation: string;
  readonly message: string;
}

/** `target/catalog.json`. */
export interface CatalogArtifact {
  readonly metadata: ArtifactMetadata;
  readonly nodes: Readonly<Record<string, CatalogTable>>;
  readonly sources: Readonly<Record<string, CatalogTable>>;
  readonly errors: readonly CatalogError[];
}

const key = (schema: string, name: string) => `${schema.toLowerCase()}\u0000${name.toLowerCase()}`;

/**
 * Reads the catalog from an open adapter: one `listRelations` over the schemas involved, then
 * `listColumns` for each requested relation that exists. A relation that is missing (not built yet, or an
 * ephemeral model) becomes an entry of `errors`; a failing column query is an error for that node only.
 * @param adapter an opened adapter (the caller closes it)
 * @param requests the nodes to describe (sources go to `sources`, everything else to `nodes`)
 */
export async function readCatalog(adapter: Adapter, requests: readonly CatalogRequest[], metadata: ArtifactMetadata): Promise<CatalogArtifact> {
  const schemas = [...new Set(requests.map((r) => r.relation.schema))];
  // Engines differ in identifier case (Snowflake upper-cases): ask for every spelling of the schemas.
  const spellings = [...new Set(schemas.flatMap((s) => [s, s.toUpperCase(), s.toLowerCase()]))];
  const relations = await adapter.listRelations(spellings);
  const found = new Map(relations.map((r) => [key(r.schema, r.identifier), r]));
  const nodes: Record<string, CatalogTable> = {};
  const sources: Record<string, CatalogTable> = {};
  const errors: CatalogError[] = [];
  const conn = await adapter.connect();
  try {
    for (const req of requests) {
      const rel = req.relation;
      const display = `${rel.schema}.${rel.identifier}`;
      const hit = found.get(key(rel.schema, rel.identifier));
      if (!hit) {
        errors.push({ unique_id: req.unique_id, relation: display, message: `relation ${display} not found in the target: build it first (weir build --select ${req.unique_id.split('.').slice(2).join('.')})` });
        continue;
      }
      let cols: ColumnMeta[];
      try {
        cols = await adapter.listColumns(conn, { database: rel.database, schema: hit.schema, identifier: hit.identifier });
      } catch (e) {
        errors.push({ unique_id: req.unique_id, relation: display, message: `cannot read the columns of ${display}: ${(e as Error).message}` });
        continue;
      }
      const table: CatalogTable = {
        unique_id: req.unique_id,
        metadata: { type: hit.kind, database: rel.database ?? adapter.defaultDatabase ?? null, schema: hit.schema, name: hit.identifier, comment: null, owner: null },
        columns: Object.fromEntries(cols.map((c, i) => [c.name, { name: c.name, type: c.type, index: i + 1, comment: null }])),
        stats: {},
      };
      (req.resource_type === 'source' ? sources : nodes)[req.unique_id] = table;
    }
  } finally {
    await conn.close();
  }
  return { metadata: { ...metadata, weir_schema_version: CATALOG_SCHEMA }, nodes, sources, errors };
}

/** Columns of a node from a catalog in engine order, or undefined when its relation is not in the catalog. */
export function catalogColumns(catalog: Pick<CatalogArtifact, 'nodes' | 'sources'>, uid: string): CatalogColumn[] | undefined {
  const t = catalog.nodes[uid] ?? catalog.sources[uid];
  return t ? Object.values(t.columns).sort((a, b) => a.index - b.index) : undefined;
}

/**
 * The catalog as `catalog.json` holds it: dbt's catalog v1 (https://schemas.getdbt.com/dbt/catalog/v1.json).
 * dbt's `errors` is a list of strings: each is `<unique_id>: <message>` (the site keeps the structured form).
 */
export function catalogJson(catalog: CatalogArtifact) {
  return {
    metadata: dbtMetadata(catalog.metadata, DBT_SCHEMAS.catalog),
    nodes: catalog.nodes,
    sources: catalog.sources,
    errors: catalog.errors.length ? catalog.errors.map((e) => `${e.unique_id}: ${e.message}`) : null,
  };
}
