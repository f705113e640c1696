/**
 * Snowflake JavaScript UDF DDL generated from a portable TypeScript UDF: the statement text, and the
 * bundled body executed as Snowflake would (a function whose parameters are the upper-cased argument
 * names), proving the bundle is self-contained.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadUdfs } from '../../../src/udfs/registry.js';
import { bundleUdfBody, snowflakeUdfDdl, udfFingerprintOf } from '../../../src/adapters/snowflake/udfs.js';

const DEFINE = path.resolve(__dirname, '../../../src/udfs/define.ts').split(path.sep).join('/');
const root = mkdtempSync(path.join(os.tmpdir(), 'weir-sf-udf-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

mkdirSync(path.join(root, 'udfs/lib'), { recursive: true });
writeFileSync(path.join(root, 'udfs/lib/words.ts'), `export const initials = (s: string, sep = '') => s.split(/\\s+/).filter(Boolean).map((w) => w[0].toUpperCase()).join(sep);\n`);
writeFileSync(path.join(root, 'udfs/text.ts'), `
import { createHash } from 'node:crypto';
import { defineScalarUdf } from '${DEFINE}';
import { initials } from './lib/words.js';
export const initials_of = defineScalarUdf({
  name: 'initials_of', args: [{ name: 'full_name', type: 'VARCHAR' }, { name: 'sep', type: 'VARCHAR', optional: true }],
  returns: 'VARCHAR', deterministic: true, portable: true, description: "Initials of a name, e.g. 'Ada Lovelace' → 'AL'.",
  fn: (s: string, sep?: string) => initials(s, sep ?? ''),
});
export const sha = defineScalarUdf({
  name: 'sha', args: [{ name: 's', type: 'VARCHAR' }], returns: 'VARCHAR', deterministic: true, portable: true,
  description: 'SHA-256 (uses node:crypto, so it is not really portable).',
  fn: (s: string) => createHash('sha256').update(s).digest('hex'),
});
`);
writeFileSync(path.join(root, 'udfs/pure.ts'), `
import { defineScalarUdf } from '${DEFINE}';
import { initials } from './lib/words.js';
export const initials_pure = defineScalarUdf({
  name: 'initials_pure', args: [{ name: 'full_name', type: 'VARCHAR' }, { name: 'sep', type: 'VARCHAR', optional: true }],
  returns: 'VARCHAR', deterministic: true, portable: true, description: "Initials of a name, e.g. 'Ada Lovelace' → 'AL'.",
  fn: (s: string, sep?: string) => initials(s, sep ?? ''),
});
`);

describe('Snowflake JavaScript UDF deployment', () => {
  it('writes one CREATE FUNCTION per arity with Snowflake types, null handling and volatility', async () => {
    const [udf] = await loadUdfs([path.join(root, 'udfs/pure.ts')], root);
    const ddl = await snowflakeUdfDdl(udf, root, { database: 'analytics', schema: 'marts' });
    expect(ddl).toHaveLength(2);
    expect(ddl.map((d) => [d.name, d.arity])).toEqual([['INITIALS_PURE', 1], ['INITIALS_PURE', 2]]);
    expect(ddl[0].sql).toMatch(/^CREATE OR REPLACE SECURE FUNCTION ANALYTICS\.MARTS\.INITIALS_PURE\(FULL_NAME STRING\)\nRETURNS STRING\nLANGUAGE JAVASCRIPT\nRETURNS NULL ON NULL INPUT\nIMMUTABLE\nCOMMENT = 'Initials of a name, e\.g\. \\'Ada Lovelace\\' → \\'AL\\'\. \[weir udf udfs\/pure\.ts v1 sha256:[0-9a-f]{16}\]'\nAS \$\$\n/);
    expect(udfFingerprintOf(/COMMENT = '(.*)'\nAS/.exec(ddl[0].sql)![1])).toBe(ddl[0].fingerprint);
    expect(ddl[1].sql).toMatch(/INITIALS_PURE\(FULL_NAME STRING, SEP STRING\)/);
    expect(ddl[1].sql).toMatch(/return G\.__weir_udf_initials_pure_[0-9a-f]{12}\.udf\.fn\(FULL_NAME, SEP\);\n\$\$$/);
    expect(ddl[0].fingerprint).not.toBe(ddl[1].fingerprint);
    // Same code → same fingerprints (what lets `weir` skip unchanged functions).
    expect((await snowflakeUdfDdl(udf, root, { database: 'analytics', schema: 'marts' })).map((d) => d.fingerprint)).toEqual(ddl.map((d) => d.fingerprint));
  });

  it('bundles a self-contained body that runs the way Snowflake calls it', async () => {
    const [udf] = await loadUdfs([path.join(root, 'udfs/pure.ts')], root);
    const body1 = await bundleUdfBody(udf, root, 1);
    const body2 = await bundleUdfBody(udf, root, 2);
    expect(body1).not.toMatch(/\bimport\b|\brequire\(/);
    // Snowflake runs the body as a function of the upper-cased argument names.
    const f1 = new Function('FULL_NAME', body1) as (a: string) => string;
    const f2 = new Function('FULL_NAME', 'SEP', body2) as (a: string, b: string) => string;
    expect(f1('ada  lovelace')).toBe('AL');
    expect(f1('grace brewster murray hopper')).toBe('GBMH');
    expect(f2('ada lovelace', '.')).toBe('A.L');
  });

  it('stubs Node built-ins: a module importing them still bundles, and a fn that calls one fails naming it', async () => {
    const udfs = await loadUdfs([path.join(root, 'udfs/text.ts')], root);
    const sha = udfs.find((u) => u.definition.name === 'sha')!;
    const initialsOf = udfs.find((u) => u.definition.name === 'initials_of')!;
    // initials_of lives in a module that imports node:crypto, but its fn doesn't use it.
    expect((new Function('FULL_NAME', await bundleUdfBody(initialsOf, root, 1)) as (a: string) => string)('ada lovelace')).toBe('AL');
    const f = new Function('S', await bundleUdfBody(sha, root, 1)) as (a: string) => string;
    expect(() => f('x')).toThrow(/node:crypto is not available inside a Snowflake JavaScript UDF \(createHash\)/);
  });

  it('hands deployValues to the deployed body (read with deployedValue)', async () => {
    writeFileSync(path.join(root, 'udfs/keyed.ts'), `
import { defineScalarUdf, deployedValue } from '${DEFINE}';
let key: string | undefined;
export const keyed = defineScalarUdf({
  name: 'keyed', args: [{ name: 's', type: 'VARCHAR' }], returns: 'VARCHAR', deterministic: true, portable: true,
  description: 'Prefixes the key.', setup: () => { key = 'k-123'; }, deployValues: () => ({ KEY: key ?? '' }),
  fn: (s: string) => (key ?? deployedValue('KEY')) + ':' + s,
});
`);
    const [udf] = await loadUdfs([path.join(root, 'udfs/keyed.ts')], root);
    udf.definition.setup!({} as never);
    const f = new Function('S', await bundleUdfBody(udf, root, 1)) as (a: string) => string;
    expect(f('x')).toBe('k-123:x');
    delete (globalThis as { __weir_deployed_values?: unknown }).__weir_deployed_values;
  });
});
