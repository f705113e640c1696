/**
 * Validators of dbt's published artifact schemas (`../shared/data/dbt_artifact_schemas/`, from dbt-core
 * v1.12.3) with ajv (JSON Schema 2020-12), for tests.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** Where the schemas are (the shared data folder beside the repository). */
export const DBT_SCHEMA_DIR = path.resolve(__dirname, '../../../shared/data/dbt_artifact_schemas');

const FILES = { manifest: 'manifest/v12.json', run_results: 'run-results/v6.json', catalog: 'catalog/v1.json', sources: 'sources/v3.json' } as const;

const compiled = new Map<string, ValidateFunction>();

/** Which artifact. */
export type DbtArtifactKind = keyof typeof FILES;

/**
 * Validates a value against dbt's schema of that artifact.
 * @returns ajv's errors as `instancePath: message` lines (empty when valid)
 */
export function dbtSchemaErrors(kind: DbtArtifactKind, value: unknown): string[] {
  let validate = compiled.get(kind);
  if (!validate) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    validate = ajv.compile(JSON.parse(readFileSync(path.join(DBT_SCHEMA_DIR, FILES[kind]), 'utf8'))) as ValidateFunction;
    compiled.set(kind, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`);
}
