/**
 * manifest.json content must not change with the faster writer: manifestArtifact (object literals, no
 * redaction walk without secrets) against the previous spread-based construction kept here as a reference,
 * and writeJsonAtomic (V8's fast serializer unless a BigInt needs the replacer) against
 * `JSON.stringify(value, replacer, 2)`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WeirProject } from '../../../src/api/project.js';
import { ARTIFACT_SCHEMAS, manifestArtifact, writeJsonAtomic, type ArtifactMetadata, type CompiledFacts } from '../../../src/artifacts/artifacts.js';
import type { Manifest } from '../../../src/manifest/manifest.js';
import { createRedactor, redactDeep, type Redactor } from '../../../src/utils/redact.js';
import { cleanupProjects, makeProject } from '../../helpers/project.js';
import { macroChecksum, nodeChecksum } from '../../../src/artifacts/checksums.js';

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

/** manifestArtifact as it was before (spreads of a common part, always redacted). */
function reference(manifest: Manifest, md: ArtifactMetadata, compiled: ReadonlyMap<string, CompiledFacts>, redact: Redactor, udfs: Record<string, unknown>) {
  const nodes: Record<string, unknown> = {};
  const sources: Record<string, unknown> = {};
  const childMap: Record<string, string[]> = {};
  for (const uid of manifest.nodes.keys()) childMap[uid] = [];
  for (const [uid, ps] of manifest.parents) for (const p of ps) childMap[p]?.push(uid);
  for (const [uid, node] of manifest.nodes) {
    const c = compiled.get(uid);
    const common = {
      unique_id: uid, resource_type: node.resource_type, name: node.name, package_name: node.package_name, fqn: node.fqn,
      path: node.path, description: node.description, config: node.config, tags: node.tags, columns: node.columns, meta: node.meta,
    };
    if (node.resource_type === 'source') {
      sources[uid] = { ...common, source_name: node.source_name, source_description: node.source_description, identifier: node.identifier, schema: node.schema, database: node.database, loader: node.loader, relation_name: c?.relation_name, freshness: node.freshness, loaded_at_field: node.loaded_at_field, checksum: nodeChecksum(node) };
      continue;
    }
    const depends_on = {
      nodes: manifest.parents.get(uid) ?? [],
      macros: node.resource_type === 'seed' ? [] : node.deps.macros.map((m) => `macro.${manifest.projectName}.${m}`),
    };
    const tests = childMap[uid].filter((x) => manifest.nodes.get(x)?.resource_type === 'test');
    nodes[uid] = {
      ...common,
      depends_on,
      raw_code: node.resource_type === 'seed' ? undefined : node.raw_code,
      compiled_code: c?.compiled_code,
      compiled_path: c?.compiled_path,
      relation_name: c?.relation_name,
      ...(node.resource_type === 'test' ? { test_type: node.test_type, test_metadata: node.generic ? { name: node.generic.name, kwargs: node.generic.kwargs, column_name: node.generic.column_name, attached_node: node.generic.attached_node } : undefined } : { tests }),
      ...(node.resource_type === 'seed' ? { seed_file: node.path } : {}),
      checksum: nodeChecksum(node),
    };
  }
  const macros = Object.fromEntries(manifest.macros.map((m) => [m.unique_id, { ...m, checksum: macroChecksum(m) }]));
  return redactDeep({
    metadata: { ...md, weir_schema_version: ARTIFACT_SCHEMAS.manifest },
    nodes, sources, macros, udfs,
    parent_map: Object.fromEntries(manifest.parents),
    child_map: childMap,
  }, redact);
}

describe('manifest.json writing', () => {
  it('writes exactly the JSON the previous construction + JSON.stringify(value, replacer, 2) wrote', async () => {
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
    for (const udfs of [{}, { 'udf.shop.f': { name: 'f', big: 12n, nested: { list: [1, 'hunter22', -3n] } } }]) {
      for (const secret of [false, true]) {
        const redact = secret ? createRedactor(['hunter22']) : undefined;
        writeJsonAtomic(file, manifestArtifact(p.manifest, metadata, facts, redact, udfs));
        const expected = `${JSON.stringify(reference(p.manifest, metadata, facts, redact ?? ((s) => s), udfs), replacer, 2)}\n`;
        const actual = readFileSync(file, 'utf8');
        expect(actual).toEqual(expected);
        expect(actual.includes('hunter22')).toBe(!secret);
      }
    }
    writeJsonAtomic(file, manifestArtifact(p.manifest, metadata));
    expect(readFileSync(file, 'utf8')).toEqual(`${JSON.stringify(reference(p.manifest, metadata, new Map(), (s) => s, {}), replacer, 2)}\n`);
  });
});
