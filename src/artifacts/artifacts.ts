/**
 * Versioned JSON artifacts written to the target directory: `manifest.json` (every node with config,
 * dependencies, raw and compiled SQL) and `run_results.json` (per-node status and timing), shaped after
 * dbt's artifacts (https://docs.getdbt.com/reference/artifacts/dbt-artifacts) so existing tooling maps
 * easily. Each carries `metadata.weir_schema_version`; a change that removes or renames a field bumps it.
 * Secrets are redacted from everything written.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../manifest/manifest.js';
import type { NodeStatus } from '../events/events.js';
import { redactDeep, type Redactor } from '../utils/redact.js';
import { removeStaleTempFiles } from '../utils/write-file.js';
import { macroChecksum, nodeChecksum } from './checksums.js';

/** Schema identifiers of the artifacts this version writes. */
export const ARTIFACT_SCHEMAS = {
  manifest: 'https://weir.dev/schemas/manifest/v1.json',
  runResults: 'https://weir.dev/schemas/run-results/v1.json',
} as const;

/** Weir's version, written into artifacts. */
export const WEIR_VERSION = '0.1.0';

/** Metadata common to all artifacts. */
export interface ArtifactMetadata {
  readonly weir_schema_version: string;
  readonly weir_version: string;
  readonly generated_at: string;
  readonly invocation_id: string;
  readonly project_name: string;
  readonly target_name: string;
  readonly adapter_type: string;
}

/** Per-node compiled facts merged into the manifest when available. */
export interface CompiledFacts {
  readonly compiled_code?: string;
  readonly relation_name?: string;
  readonly compiled_path?: string;
}

/** One entry of `run_results.json`. Times in seconds; timestamps ISO-8601. */
export interface RunResultEntry {
  readonly unique_id: string;
  readonly status: NodeStatus;
  readonly timing: readonly { name: 'compile' | 'execute'; started_at: string; completed_at: string }[];
  readonly execution_time: number;
  readonly rows_affected?: number;
  /** Tests: failing rows. */
  readonly failures?: number;
  readonly message?: string;
  readonly compiled_path?: string;
  readonly relation_name?: string;
  /** Error code for errored nodes. */
  readonly error_code?: string;
}

/** `run_results.json`. */
export interface RunResultsArtifact {
  readonly metadata: ArtifactMetadata;
  readonly command: string;
  readonly success: boolean;
  readonly elapsed_time: number;
  readonly args: Readonly<Record<string, unknown>>;
  readonly results: readonly RunResultEntry[];
}

/**
 * Writes JSON atomically (temp file + rename) so readers never see half a file; removes killed runs' temp files.
 * @param beforeWrite called after serializing, before anything is written (e.g. to wait for other writes that
 *   must land first); what it throws is thrown, with nothing written
 */
export function writeJsonAtomic(file: string, value: unknown, beforeWrite?: () => void): void {
  const text = `${stringify(value)}\n`;
  beforeWrite?.();
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  removeStaleTempFiles(file); // a killed run's half-written file
}

/**
 * `JSON.stringify(value, jsonReplacer, 2)`. A replacer function takes V8 off its fast serializer, so the
 * value is first serialized without one; only a BigInt (which then throws) needs the replacer.
 */
function stringify(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return JSON.stringify(value, jsonReplacer, 2);
  }
}

const jsonReplacer = (_k: string, v: unknown) => (typeof v === 'bigint' ? Number(v) : v);

/**
 * Builds the `manifest.json` value.
 * @param compiled compiled facts by unique_id (optional)
 * @param redact applied to every string value (not to keys); omit it when there are no secrets, which skips
 *   a walk over the whole 30,000-node graph
 * @param udfs UDF entries by unique_id (`udf.<project>.<name>`)
 */
export function manifestArtifact(manifest: Manifest, metadata: ArtifactMetadata, compiled: ReadonlyMap<string, CompiledFacts> = new Map(), redact?: Redactor, udfs: Record<string, unknown> = {}) {
  const nodes: Record<string, unknown> = {};
  const sources: Record<string, unknown> = {};
  const childMap: Record<string, string[]> = {};
  for (const uid of manifest.nodes.keys()) childMap[uid] = [];
  for (const [uid, ps] of manifest.parents) for (const p of ps) childMap[p]?.push(uid);
  // Object literals with every key in output order (undefined values are left out by JSON.stringify) rather
  // than spreads of a common part: building 30,000 nodes by spreading cost more than serializing them.
  for (const [uid, node] of manifest.nodes) {
    const c = compiled.get(uid);
    if (node.resource_type === 'source') {
      sources[uid] = {
        unique_id: uid, resource_type: node.resource_type, name: node.name, package_name: node.package_name, fqn: node.fqn,
        path: node.path, description: node.description, config: node.config, tags: node.tags, columns: node.columns, meta: node.meta,
        source_name: node.source_name, source_description: node.source_description, identifier: node.identifier, schema: node.schema, database: node.database, loader: node.loader, relation_name: c?.relation_name,
        freshness: node.freshness, loaded_at_field: node.loaded_at_field,
        checksum: nodeChecksum(node),
      };
      continue;
    }
    const depends_on = {
      nodes: manifest.parents.get(uid) ?? [],
      macros: node.resource_type === 'seed' ? [] : node.deps.macros.map((m) => `macro.${manifest.projectName}.${m}`),
    };
    if (node.resource_type === 'test') {
      const g = node.generic;
      nodes[uid] = {
        unique_id: uid, resource_type: node.resource_type, name: node.name, package_name: node.package_name, fqn: node.fqn,
        path: node.path, description: node.description, config: node.config, tags: node.tags, columns: node.columns, meta: node.meta,
        depends_on, raw_code: node.raw_code, compiled_code: c?.compiled_code, compiled_path: c?.compiled_path, relation_name: c?.relation_name,
        test_type: node.test_type, test_metadata: g ? { name: g.name, kwargs: g.kwargs, column_name: g.column_name, attached_node: g.attached_node } : undefined,
        checksum: nodeChecksum(node),
      };
      continue;
    }
    const tests = childMap[uid].filter((t) => manifest.nodes.get(t)?.resource_type === 'test');
    nodes[uid] = {
      unique_id: uid, resource_type: node.resource_type, name: node.name, package_name: node.package_name, fqn: node.fqn,
      path: node.path, description: node.description, config: node.config, tags: node.tags, columns: node.columns, meta: node.meta,
      depends_on, raw_code: node.resource_type === 'seed' ? undefined : node.raw_code, compiled_code: c?.compiled_code, compiled_path: c?.compiled_path, relation_name: c?.relation_name,
      tests, seed_file: node.resource_type === 'seed' ? node.path : undefined,
      checksum: nodeChecksum(node),
    };
  }
  const macros = Object.fromEntries(manifest.macros.map((m) => [m.unique_id, { ...m, checksum: macroChecksum(m) }]));
  const out = {
    metadata: { ...metadata, weir_schema_version: ARTIFACT_SCHEMAS.manifest },
    nodes, sources, macros, udfs,
    parent_map: Object.fromEntries(manifest.parents),
    child_map: childMap,
  };
  return redact ? redactDeep(out, redact) : out;
}
