/**
 * The relations that exist in a run's schemas, listed with one catalog query when the run starts and kept
 * current as materializations build. Materializations need to know whether a relation exists (and as
 * what) before replacing it; asking the catalog once per node cost one `duckdb_tables()`/`duckdb_views()`
 * scan per node, which grows with the catalog (quadratic over a run, ~1 ms per node at 500 relations).
 * Nodes of one run build distinct relations, so concurrent workers never race on an entry.
 */
import type { Adapter, Connection } from '../../adapters/adapter.js';
import type { RelationKind } from '../../adapters/ansi-sql.js';
import type { RelationName } from '../../manifest/types.js';

// Lower-cased: a false "exists" only leads to a `drop ... if exists` that does nothing, a false
// "missing" would break `create or replace view` over a table, so matching errs towards "exists".
const keyOf = (r: RelationName) => `${r.schema}\u0000${r.identifier}`.toLowerCase();

/** Relation kinds known for this run. */
export class RelationCache {
  private constructor(private readonly kinds: Map<string, RelationKind> | undefined) {}

  /**
   * Lists the relations of `schemas` (default database). When listing fails, the cache stays empty and
   * every lookup goes to the adapter.
   */
  static async load(adapter: Adapter, schemas: readonly string[]): Promise<RelationCache> {
    try {
      const kinds = new Map<string, RelationKind>();
      for (const r of await adapter.listRelations(schemas)) kinds.set(keyOf(r), r.kind);
      return new RelationCache(kinds);
    } catch {
      return new RelationCache(undefined);
    }
  }

  /** Kind of the relation now, or undefined when it does not exist. */
  async kindOf(adapter: Adapter, conn: Connection, r: RelationName): Promise<RelationKind | undefined> {
    if (!this.kinds || r.database !== undefined) return adapter.relationKind(conn, r);
    return this.kinds.get(keyOf(r));
  }

  /** Records that `r` now exists as `kind`. */
  set(r: RelationName, kind: RelationKind): void {
    this.kinds?.set(keyOf(r), kind);
  }
}
