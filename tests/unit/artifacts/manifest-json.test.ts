/**
 * manifest.json writing: the value is dbt's manifest v12 (valid against dbt's schema), secrets are redacted
 * from it when known, and writeJsonAtomic (V8's fast serializer unless a BigInt needs the replacer) writes
 * exactly `JSON.stringify(value, replacer, 2)`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WeirProject } from '../../../src/api/project.js';
import { manifestArtifact, writeJsonAtomic, type ArtifactMetadata, type CompiledFacts } from '../../../src/artifacts/artifacts.js';
import { createRedactor } from '../../../src/utils/redact.js';
import { cleanupProjects, makeProject } from '../../helpers/project.js';
import { dbtSchemaErrors } from '../../helpers/dbt-schemas.js';

const out = mkdtempSync(path.join(os.tmpdir(), 'weir-manifest-'));
afterAll(() => {
  cleanupProjects();
  rmSync(out, { recursive: true, force: true });
});

const metadata: ArtifactMetadata = {
  weir_schema_version: '', weir_version: '0.1.0', generated_at: '2020-01-01T00:00:00Z', invocation_id: 'hunter22-id',
  project_name: 'shop', target_name: 'dev', adapter_type: 'duckdb',
};
const replacer = (_k: string, v: unknown) => (typeof v === 'bigint' ? Number(v) : v);

describe('manifest.json writing', () => {
  it('writes a valid manifest v12, redacted when secrets are known, byte-equal to JSON.stringify(value, replacer, 2)', async () => {
    const dir = await makeProject({
      'project.yaml': `name: shop
targets:
  dev: {type: duckdb, path: target/x.duckdb}
`,
      'seeds/raw.csv': 'id\n1\n',
      'models/a.sql': '-- Ünïcode “quotes” and a secret hunter22\nselect * from {{ref "raw"}}',
      'models/b.sql': 'select * from {{ref "a"}} where s = \'line\nbreak\t"q"\'',
      'models/c.sql': '{{config materialized="ephemeral"}}select * from {{source "crm" "acc"}}',
      'models/schema.yml': `version: 2
models:
  - name: a
    description: uses hunter22
    columns:
      - name: id
        tests: [not_null, {accepted_values: {values: [1, 2]}}]
sources:
  - name: crm
    tables: [{name: acc}]
`,
      'tests/t.sql': 'select * from {{ref "b"}} where false',
    });
    const p = await WeirProject.load({ projectDir: dir });
    const { compiled } = p.renderer().renderAll();
    const facts = new Map<string, CompiledFacts>([...compiled].map(([k, c]) => [k, { compiled_code: c.compiled_code, relation_name: c.relation_name, compiled_path: `x/${k}.sql` }]));
    const file = path.join(out, 'manifest.json');
    for (const secret of [false, true]) {
      const value = manifestArtifact(p.manifest, metadata, { compiled: facts }, secret ? createRedactor(['hunter22']) : undefined);
      expect(dbtSchemaErrors('manifest', value)).toEqual([]);
      writeJsonAtomic(file, value);
      const actual = readFileSync(file, 'utf8');
      expect(actual).toEqual(`${JSON.stringify(value, replacer, 2)}\n`);
      expect(actual.includes('hunter22')).toBe(!secret);
    }
    // A BigInt (e.g. a UDF-computed value in meta) goes through the replacer.
    writeJsonAtomic(file, { n: 12n, list: [1, -3n] });
    expect(readFileSync(file, 'utf8')).toEqual(`${JSON.stringify({ n: 12, list: [1, -3] }, null, 2)}\n`);
  });
});
