/**
 * Versioned JSON artifacts written to the target directory: `manifest.json` (every node with config,
 * dependencies, raw and compiled SQL) and `run_results.json` (per-node status and timing), valid against
 * dbt's published schemas (manifest v12, run-results v6; https://docs.getdbt.com/reference/artifacts/dbt-artifacts)
 * so tools that read dbt's artifacts read Weir's. Each carries `metadata.dbt_schema_version` (dbt's schema URL).
 * Secrets are redacted from everything written.
 */
import type { Manifest } from '../manifest/manifest.js';
import { redactDeep, type Redactor } from '../utils/redact.js';
import { PRIVATE_FILE_MODE, removeStaleTempFiles, writeFileAtomic } from '../utils/write-file.js';
import { DBT_SCHEMAS, type ArtifactMetadata } from './dbt/metadata.js';
import { dbtManifest, type ManifestOptions } from './dbt/manifest-v12.js';
import { packageInfo } from '../utils/package-info.js';

/** Schema identifiers of the artifacts this version writes: dbt's (see dbt/metadata.ts). */
export const ARTIFACT_SCHEMAS = DBT_SCHEMAS;

/** This installation's version (package.json), written into artifacts (`metadata.env.WEIR_VERSION`). */
export const WEIR_VERSION = packageInfo().version;

export type { ArtifactMetadata } from './dbt/metadata.js';
export type { RunResultEntry, RunResultsArtifact, DbtRunResult } from './dbt/run-results-v6.js';
export type { CompiledFacts, UdfFacts, ProjectHooks } from './dbt/manifest-v12.js';

/**
 * Writes JSON atomically (temp file + rename) so readers never see half a file; removes killed runs' temp files.
 * The file is created with mode 0600 ({@link PRIVATE_FILE_MODE}).
 * @param beforeWrite called after serializing, before anything is written (e.g. to wait for other writes that
 *   must land first); what it throws is thrown, with nothing written
 */
export function writeJsonAtomic(file: string, value: unknown, beforeWrite?: () => void): void {
  const text = `${stringify(value)}\n`;
  beforeWrite?.();
  // Artifacts hold compiled SQL (with the values in it) and run messages: owner-only, like compiled files.
  writeFileAtomic(file, text, PRIVATE_FILE_MODE);
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
 * Builds the `manifest.json` value (dbt's manifest v12, see dbt/manifest-v12.ts).
 * @param redact applied to every string value (not to keys); omit it when there are no secrets, which skips
 *   a walk over the whole 30,000-node graph
 */
export function manifestArtifact(manifest: Manifest, metadata: ArtifactMetadata, options: ManifestOptions = {}, redact?: Redactor) {
  const out = dbtManifest(manifest, metadata, options);
  return redact ? redactDeep(out, redact) : out;
}
