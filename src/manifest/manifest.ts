/**
 * The manifest: every node of a project after the parse phase, with resolved dependencies.
 * Immutable plain data, written to `target/manifest.json` by the artifacts layer.
 */
import type { GraphNode, MacroNode } from './types.js';

/** The parsed project. */
export interface Manifest {
  readonly projectName: string;
  readonly projectVersion: string;
  /** Absolute project root. */
  readonly root: string;
  readonly targetName: string;
  readonly adapterType: string;
  /** All enabled nodes by unique_id, in a stable order (seeds, models, sources, tests; then by path). */
  readonly nodes: ReadonlyMap<string, GraphNode>;
  readonly macros: readonly MacroNode[];
  /** uid → uids it depends on (models, seeds, sources; tests on what they test). */
  readonly parents: ReadonlyMap<string, readonly string[]>;
  /** ref name → uid, for models and seeds. */
  readonly refIndex: ReadonlyMap<string, string>;
  /** `source.table` → uid. */
  readonly sourceIndex: ReadonlyMap<string, string>;
}

/** unique_id of a node: `<resource_type>.<project>.<name...>` as in dbt. */
export function uniqueId(resourceType: string, project: string, ...name: string[]): string {
  return [resourceType, project, ...name].join('.');
}
