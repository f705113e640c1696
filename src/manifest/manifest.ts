/**
 * The manifest: every node of a project after the parse phase, with resolved dependencies.
 * Immutable plain data, written to `target/manifest.json` by the artifacts layer.
 */
import path from 'node:path';
import type { ExposureDef, GraphNode, GroupDef, MacroNode } from './types.js';

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
  /** Versioned models: name → version → unique_id (`{{ref "x" v=2}}`); `refIndex` maps the name to the latest. */
  readonly versions?: ReadonlyMap<string, ReadonlyMap<number, string>>;
  /** Groups by name (schema YAML `groups:`). */
  readonly groups?: ReadonlyMap<string, GroupDef>;
  /** Exposures by unique_id (`exposure.<project>.<name>`). */
  readonly exposures?: ReadonlyMap<string, ExposureDef>;
}

/** unique_id a `ref` names: a version of a versioned model when `version` is given, else the name's node (a versioned model's latest). */
export function refUid(manifest: Pick<Manifest, 'refIndex' | 'versions'>, name: string, version?: number): string | undefined {
  return version === undefined ? manifest.refIndex.get(name) : manifest.versions?.get(name)?.get(version);
}

/** unique_id of a node: `<resource_type>.<project>.<name...>` as in dbt. */
export function uniqueId(resourceType: string, project: string, ...name: string[]): string {
  return [resourceType, project, ...name].join('.');
}

/**
 * Path (relative to the target dir, POSIX separators) where a node's compiled SQL is written:
 * `compiled/<project>/<node path>`, generic tests under `compiled/<project>/<schema file without .yml>/<test name>.sql`.
 */
export function compiledPathOf(manifest: Manifest, node: GraphNode): string {
  const p = node.resource_type === 'test' && node.test_type !== 'singular'
    ? `${node.path.replace(/\.ya?ml$/, '')}/${node.name}.sql`
    : node.path;
  return path.posix.join('compiled', manifest.projectName, p);
}
