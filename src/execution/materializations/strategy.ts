/**
 * Materialization strategies: how a compiled node becomes a relation. Each is a small function over the
 * adapter contract; engines differ only through the dialect's DDL rules and capability flags. (SQLMesh's
 * "kinds as strategy objects", dbt's materialization macros.)
 */
import type { RelationName } from '../../manifest/types.js';

/** What a materialization reports back. */
export interface MaterializationResult {
  /** Rows written (tables, seeds) when known. */
  readonly rowsAffected?: number;
}

/**
 * Write-audit-publish: checks a staged relation (the complete new contents of a model, not yet
 * published) and throws to stop its publication. See execution/tests/audit.ts.
 */
export type Audit = (staged: RelationName) => Promise<void>;
