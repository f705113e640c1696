/**
 * Reading the artifacts of an earlier invocation (`--state DIR`): its `manifest.json` (what was deployed:
 * checksums, config, macro dependencies, relation names) and, when present, its `run_results.json`
 * (per-node statuses for `result:` selectors and `weir retry`). Only the fields state selection needs
 * are typed; everything else is kept as read.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { WeirError } from '../errors/weir-error.js';
import { ARTIFACT_SCHEMAS, type RunResultsArtifact } from './artifacts.js';
import { WEIR_FACTS_KEY } from './dbt/node-config.js';
import type { Checksum } from './checksums.js';

/** A node (or source) of an earlier manifest, as far as state selection reads it. */
export interface PreviousNode {
  readonly unique_id: string;
  readonly resource_type: string;
  readonly name?: string;
  readonly config?: Record<string, unknown>;
  readonly raw_code?: string;
  readonly checksum?: Checksum;
  readonly depends_on?: { readonly nodes?: readonly string[]; readonly macros?: readonly string[] };
  readonly relation_name?: string;
  readonly test_metadata?: unknown;
}

/** A macro of an earlier manifest. */
export interface PreviousMacro {
  readonly unique_id: string;
  readonly raw_code?: string;
  readonly checksum?: Checksum;
}

/** An earlier `manifest.json` (nodes and sources merged into one map by unique_id). */
export interface PreviousManifest {
  readonly metadata: Record<string, unknown>;
  readonly nodes: ReadonlyMap<string, PreviousNode>;
  readonly macros: ReadonlyMap<string, PreviousMacro>;
}

/** A `sources.json` (from `weir source freshness`), as far as `source_status:` reads it. */
export interface SourcesArtifact {
  readonly metadata: Record<string, unknown>;
  readonly results: readonly { readonly unique_id: string; readonly status: string; readonly max_loaded_at?: string | null }[];
}

/** The artifacts found in a `--state` directory. */
export interface PreviousState {
  /** Absolute directory. */
  readonly dir: string;
  readonly manifest: PreviousManifest;
  /** Absent when the directory holds no run_results.json. */
  readonly runResults?: RunResultsArtifact;
  /** Absent when the directory holds no sources.json. */
  readonly sources?: SourcesArtifact;
}

/**
 * Reads a `sources.json` if it exists.
 * @returns undefined when there is no such file
 * @throws WeirError `WEIR_STATE_INVALID` when it is unreadable or not Weir's
 */
export function readSourcesArtifact(file: string): SourcesArtifact | undefined {
  if (!existsSync(file)) return undefined;
  const v = readJsonArtifact(file, 'source freshness results');
  const meta = isObj(v) && isObj(v.metadata) ? v.metadata : undefined;
  if (!meta || !Array.isArray((v as Record<string, unknown>).results) || meta.dbt_schema_version !== ARTIFACT_SCHEMAS.sources) {
    throw new WeirError('WEIR_STATE_INVALID', `${file} is not a sources.json of this Weir (metadata.dbt_schema_version is not ${ARTIFACT_SCHEMAS.sources})`, {
      location: { file }, hint: 'It is written by `weir source freshness`; run it again with this Weir version.',
    });
  }
  return v as unknown as SourcesArtifact;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads and parses a JSON artifact. @throws WeirError `WEIR_STATE_INVALID` naming the file */
export function readJsonArtifact(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new WeirError('WEIR_STATE_INVALID', `cannot read ${what} ${file}: ${(e as Error).message}`, { location: { file } });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new WeirError('WEIR_STATE_INVALID', `${what} ${file} is not valid JSON: ${(e as Error).message}`, {
      location: { file }, hint: 'The file is damaged or not an artifact: copy it again from the run that wrote it.',
    });
  }
}

/**
 * Parses an earlier manifest value.
 * @throws WeirError `WEIR_STATE_INVALID` when it is not a Weir manifest
 */
export function parsePreviousManifest(value: unknown, file: string): PreviousManifest {
  const meta = isObj(value) && isObj(value.metadata) ? value.metadata : undefined;
  const version = meta?.dbt_schema_version ?? meta?.weir_schema_version;
  if (!meta || !isObj((value as Record<string, unknown>).nodes) || typeof version !== 'string' || !version.includes('/manifest/')) {
    throw new WeirError('WEIR_STATE_INVALID', `${file} is not a manifest.json (no metadata.dbt_schema_version of a manifest)`, {
      location: { file }, hint: 'Point --state at the target directory of an earlier `weir run`/`build`/`compile` (it holds manifest.json).',
    });
  }
  if (version !== ARTIFACT_SCHEMAS.manifest) {
    throw new WeirError('WEIR_STATE_INVALID', `${file} has schema ${version}; this Weir reads ${ARTIFACT_SCHEMAS.manifest}`, {
      location: { file }, hint: 'Regenerate the state artifacts with this Weir version (`weir compile` on the production checkout).',
    });
  }
  const v = value as Record<string, unknown>;
  const nodes = new Map<string, PreviousNode>();
  for (const part of [v.nodes, v.sources, v.unit_tests]) {
    if (!isObj(part)) continue;
    for (const [uid, n] of Object.entries(part)) if (isObj(n)) nodes.set(uid, previousNode(uid, n));
  }
  const macros = new Map<string, PreviousMacro>();
  if (isObj(v.macros)) {
    for (const [uid, m] of Object.entries(v.macros)) if (isObj(m)) macros.set(uid, { unique_id: uid, raw_code: typeof m.macro_sql === 'string' ? m.macro_sql : undefined, checksum: typeof m.macro_sql === 'string' ? { name: 'sha256', checksum: createHash('sha256').update(m.macro_sql).digest('hex') } : undefined });
  }
  return { metadata: meta, nodes, macros };
}

/**
 * A node of manifest v12 as state selection reads it: unit tests' string checksums and sources' checksums
 * (kept in `config.weir.checksum`, the schema has no source checksum) become `{name, checksum}`.
 */
function previousNode(uid: string, n: Record<string, unknown>): PreviousNode {
  const config = isObj(n.config) ? n.config : undefined;
  const facts = config && isObj(config[WEIR_FACTS_KEY]) ? (config[WEIR_FACTS_KEY] as Record<string, unknown>) : undefined;
  const raw = n.checksum ?? facts?.checksum;
  const checksum = typeof raw === 'string' ? { name: 'sha256' as const, checksum: raw } : isObj(raw) && typeof raw.checksum === 'string' ? (raw as unknown as Checksum) : undefined;
  return { ...(n as object), unique_id: uid, checksum } as PreviousNode;
}

/**
 * Parses an earlier run_results value.
 * @throws WeirError `WEIR_STATE_INVALID` when it is not Weir run results
 */
export function parseRunResults(value: unknown, file: string): RunResultsArtifact {
  const meta = isObj(value) && isObj(value.metadata) ? value.metadata : undefined;
  if (!meta || !Array.isArray((value as Record<string, unknown>).results) || meta.dbt_schema_version !== ARTIFACT_SCHEMAS.runResults || !isObj((value as Record<string, unknown>).args)) {
    throw new WeirError('WEIR_STATE_INVALID', `${file} is not a run_results.json of this Weir (metadata.dbt_schema_version is not ${ARTIFACT_SCHEMAS.runResults})`, {
      location: { file }, hint: 'It is written to the target directory by `weir run`, `test`, `seed` and `build`; run one of them again with this Weir version.',
    });
  }
  return value as RunResultsArtifact;
}

/**
 * Loads the artifacts of an earlier invocation from `dir`.
 * @param dir absolute, or relative to `cwd`
 * @throws WeirError `WEIR_STATE_INVALID` for a missing directory, a missing or unreadable manifest.json,
 *   or artifacts that are not Weir's (each message names the path and how to fix it)
 */
export function loadPreviousState(dir: string, cwd: string = process.cwd()): PreviousState {
  const abs = path.resolve(cwd, dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new WeirError('WEIR_STATE_INVALID', `--state directory ${dir} does not exist`, {
      hint: 'Pass the directory holding the manifest.json of the run to compare with, e.g. --state prod-artifacts/ (copy the production target/ there).',
    });
  }
  const manifestFile = path.join(abs, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new WeirError('WEIR_STATE_INVALID', `no manifest.json in --state directory ${dir}`, {
      hint: 'Copy manifest.json (and run_results.json for result: selectors) from the target directory of the run to compare with.',
    });
  }
  const manifest = parsePreviousManifest(readJsonArtifact(manifestFile, 'state manifest'), manifestFile);
  const rrFile = path.join(abs, 'run_results.json');
  const runResults = existsSync(rrFile) ? parseRunResults(readJsonArtifact(rrFile, 'state run results'), rrFile) : undefined;
  return { dir: abs, manifest, runResults, sources: readSourcesArtifact(path.join(abs, 'sources.json')) };
}
