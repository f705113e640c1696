/**
 * Deploying portable TypeScript UDFs to Snowflake as JavaScript UDFs: the UDF's module is bundled with
 * esbuild into one self-contained script (no Node APIs: `platform: 'neutral'`), wrapped so the bundle is
 * evaluated once per JavaScript context and cached on the global object, and emitted as
 * `CREATE OR REPLACE SECURE FUNCTION ... LANGUAGE JAVASCRIPT` — one statement per arity (optional
 * arguments). Snowflake exposes arguments to the body by their upper-cased names.
 * https://docs.snowflake.com/en/developer-guide/udf/javascript/udf-javascript-introduction
 *
 * - Node built-ins imported by the UDF's module (e.g. by its `setup`, which runs in Weir's process) are
 *   replaced by stubs that throw when called, so a module whose `fn` is pure still bundles.
 * - Values from the UDF's `deployValues` (e.g. a key resolved by `setup`) are embedded in the body and
 *   set on the global object before `fn` runs (read with `deployedValue`). The function is SECURE, so
 *   its body is visible only to the owner role (https://docs.snowflake.com/en/developer-guide/secure-udf-procedure).
 * - The COMMENT ends with `[weir udf <module> v<version> sha256:<16 hex>]`, a fingerprint of the
 *   statement (body, signature, options). `weir` reads it back to skip functions that are already
 *   deployed unchanged ({@link udfFingerprintOf}, {@link deployedUdfFingerprints}).
 * - Only portable scalar UDFs are deployed ({@link deployableUdfs}); calls to the others fail with
 *   Snowflake's "Unknown function" error plus the reason (connection.ts).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import { WeirError } from '../../errors/weir-error.js';
import { resolveUdfVersion, type UdfSqlType } from '../../udfs/define.js';
import type { LoadedUdf } from '../../udfs/registry.js';
import type { AdapterError, Connection, QueryResult, UdfRegistration } from '../adapter.js';
import { selfPackagePlugin } from '../../udfs/module-loader.js';
import { quoteSnowflakeIdentifier } from './dialect.js';

/** Snowflake SQL type of a UDF type (JavaScript UDFs receive FLOAT for all numbers). */
const SNOWFLAKE_TYPES: Record<UdfSqlType, string> = {
  VARCHAR: 'STRING', JSON: 'STRING', DOUBLE: 'FLOAT', INTEGER: 'FLOAT', BIGINT: 'FLOAT', BOOLEAN: 'BOOLEAN', DATE: 'DATE', TIMESTAMP: 'TIMESTAMP_NTZ',
};

/** Where to create the functions. */
export interface SnowflakeUdfTarget {
  readonly database?: string;
  readonly schema: string;
}

/**
 * Bundles a portable scalar UDF into a JavaScript function body.
 * @param root project root (module paths are resolved from it)
 * @param arity number of arguments this overload takes
 * @param code the UDF's bundle when already built (see {@link snowflakeUdfDdl}); built here otherwise
 * @returns the body: evaluates the bundle once (cached on the global object), sets the UDF's
 *   `deployValues`, and calls the UDF
 * @throws WeirError `WEIR_UDF_INVALID` when the UDF is not a portable scalar UDF or its module can't be
 *   bundled without Node APIs
 */
export async function bundleUdfBody(udf: LoadedUdf, root: string, arity: number, code?: string): Promise<string> {
  const def = udf.definition;
  if (def.kind !== 'scalar' || !def.portable) {
    throw new WeirError('WEIR_UDF_INVALID', `UDF ${def.name} (${udf.module}) is not a portable scalar UDF, so it can't be deployed as a Snowflake JavaScript UDF`, {
      location: { file: udf.module },
      hint: def.kind === 'batch' ? 'Batch UDFs run client-side on engines without in-process JavaScript.' : 'Mark it `portable: true` if its code uses no Node APIs.',
    });
  }
  const global = `__weir_udf_${def.name}`;
  const bundle = code ?? await buildBundle(udf, root);
  // The evaluated bundle is cached on the global object under a name that includes a hash of its code,
  // so a context that outlives a CREATE OR REPLACE never calls the old code.
  const cached = `${global}_${createHash('sha256').update(bundle).digest('hex').slice(0, 12)}`;
  const argNames = def.args.slice(0, arity).map((a) => a.name.toUpperCase());
  const values = def.deployValues?.() ?? {};
  return [
    `var G = typeof globalThis !== 'undefined' ? globalThis : this;`,
    `if (G.${cached} === undefined) {`,
    bundle.trim(),
    `G.${cached} = ${global};`,
    `}`,
    ...(Object.keys(values).length ? [`G.__weir_deployed_values = ${JSON.stringify(values)};`] : []),
    `return G.${cached}.udf.fn(${argNames.join(', ')});`,
  ].join('\n');
}

/** esbuild plugin: `node:*` and bare Node built-in imports become stubs that throw when used. */
const nodeBuiltinStubs: Plugin = {
  name: 'weir-node-builtin-stubs',
  setup(b) {
    b.onResolve({ filter: /^node:|^(fs|path|crypto|os|url|util|stream|zlib|child_process|worker_threads)$/ }, (args) => ({ path: args.path, namespace: 'weir-node-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'weir-node-stub' }, async (args) => {
      // The stub exports the same names as the real module (read from this process), each a function that throws.
      const real = (await import(args.path.startsWith('node:') ? args.path : `node:${args.path}`)) as Record<string, unknown>;
      const names = Object.keys(real).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
      const what = JSON.stringify(`${args.path} is not available inside a Snowflake JavaScript UDF`);
      return {
        contents: [
          `const stub = (k) => function () { throw new Error(${what} + ' (' + k + ')'); };`,
          ...names.map((k) => `export const ${k} = stub(${JSON.stringify(k)});`),
          `export default new Proxy({}, { get: (_t, k) => stub(String(k)) });`,
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

/** The UDF's module bundled into one IIFE script (global `__weir_udf_<name>`) exporting `udf`. */
async function buildBundle(udf: LoadedUdf, root: string): Promise<string> {
  const def = udf.definition;
  const abs = udf.absolutePath;
  const { build } = await import('esbuild');
  try {
    const res = await build({
      stdin: { contents: `export { ${udf.exportName} as udf } from ${JSON.stringify(abs)};\n`, resolveDir: root, loader: 'ts', sourcefile: 'weir-udf-entry.ts' },
      bundle: true, format: 'iife', globalName: `__weir_udf_${def.name}`, platform: 'neutral', target: 'es2019', write: false, minify: true,
      legalComments: 'none', logLevel: 'silent', mainFields: ['module', 'main'], plugins: [selfPackagePlugin(false), nodeBuiltinStubs],
    });
    return res.outputFiles[0].text;
  } catch (e) {
    const first = ((e as { errors?: { text: string }[] }).errors?.[0]?.text) ?? (e as Error).message;
    throw new WeirError('WEIR_UDF_INVALID', `UDF ${def.name} (${udf.module}) can't be bundled for Snowflake: ${first}`, {
      location: { file: udf.module }, hint: 'A portable UDF may only import pure JavaScript/TypeScript (no native addons).', cause: e,
    });
  }
}

const quoteSnowflakeString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** One `CREATE FUNCTION` statement of a UDF overload and what identifies its deployed version. */
export interface SnowflakeUdfStatement {
  /** Upper-case function name (unqualified). */
  readonly name: string;
  readonly arity: number;
  /** 16 hex digits of SHA-256 over the statement without its COMMENT; also written into the COMMENT. */
  readonly fingerprint: string;
  readonly sql: string;
}

/** The fingerprint Weir wrote into a function's COMMENT (`... sha256:0123456789abcdef]`), if any. */
export function udfFingerprintOf(comment: string | null | undefined): string | undefined {
  return /\bsha256:([0-9a-f]{16})\]\s*$/.exec(comment ?? '')?.[1];
}

/**
 * `CREATE OR REPLACE SECURE FUNCTION` statements for a portable UDF, one per arity, each with its fingerprint.
 * @throws WeirError as {@link bundleUdfBody}
 */
export async function snowflakeUdfDdl(udf: LoadedUdf, root: string, target: SnowflakeUdfTarget): Promise<SnowflakeUdfStatement[]> {
  const def = udf.definition;
  const required = def.args.filter((a) => !a.optional).length;
  const qualified = [target.database, target.schema, def.name].filter(Boolean).map((p) => String(p).toUpperCase()).join('.');
  const out: SnowflakeUdfStatement[] = [];
  let code: string | undefined;
  for (let arity = required; arity <= def.args.length; arity++) {
    if (def.kind === 'scalar' && def.portable) code ??= await buildBundle(udf, root);
    const body = await bundleUdfBody(udf, root, arity, code);
    const params = def.args.slice(0, arity).map((a) => `${a.name.toUpperCase()} ${SNOWFLAKE_TYPES[a.type]}`).join(', ');
    const quotedBody = body.includes('$$') ? quoteSnowflakeString(body) : `$$\n${body}\n$$`;
    const head = [
      `CREATE OR REPLACE SECURE FUNCTION ${qualified}(${params})`,
      `RETURNS ${SNOWFLAKE_TYPES[def.returns]}`,
      'LANGUAGE JAVASCRIPT',
      (def.nulls ?? 'propagate') === 'propagate' ? 'RETURNS NULL ON NULL INPUT' : 'CALLED ON NULL INPUT',
      def.deterministic ? 'IMMUTABLE' : 'VOLATILE',
    ];
    const fingerprint = createHash('sha256').update([...head, quotedBody].join('\n')).digest('hex').slice(0, 16);
    const comment = `${def.description} [weir udf ${udf.module} v${resolveUdfVersion(def)} sha256:${fingerprint}]`;
    out.push({ name: def.name.toUpperCase(), arity, fingerprint, sql: [...head, `COMMENT = ${quoteSnowflakeString(comment)}`, `AS ${quotedBody}`].join('\n') });
  }
  return out;
}

/**
 * The registrations Snowflake can host: portable scalar UDFs (returned, to deploy as JavaScript UDFs).
 * Batch UDFs and non-portable scalar UDFs are skipped (Snowflake can't call back into this process): each
 * is recorded in `undeployed` (lower-case name → why), which "unknown function" errors quote; a deployable
 * UDF is removed from it.
 */
export function deployableUdfs(udfs: readonly UdfRegistration[], undeployed: Map<string, string>): LoadedUdf[] {
  const deploy = [];
  for (const { udf } of udfs) {
    const def = udf.definition;
    if (def.kind === 'scalar' && def.portable) {
      deploy.push(udf);
      undeployed.delete(def.name.toLowerCase());
    } else {
      undeployed.set(def.name.toLowerCase(), def.kind === 'batch'
        ? `UDF ${def.name} (${udf.module}) is a batch UDF: batch UDFs can't run on Snowflake (only portable scalar UDFs are deployed as JavaScript UDFs).`
        : `UDF ${def.name} (${udf.module}) is not portable, so it was not deployed to Snowflake: mark it \`portable: true\` if its code uses no Node APIs.`);
    }
  }
  return deploy;
}

/**
 * Fingerprints of the functions Weir deployed in the target schema, by `NAME/arity`, from one
 * `SHOW USER FUNCTIONS IN SCHEMA` (https://docs.snowflake.com/en/sql-reference/sql/show-user-functions):
 * `arguments` looks like `SHOUT(VARCHAR, FLOAT) RETURN VARCHAR`, `description` is the COMMENT.
 * An empty map when the schema doesn't exist yet.
 */
export async function deployedUdfFingerprints(conn: Connection, database: string, schema: string): Promise<Map<string, string>> {
  const qualified = [database, schema].map(quoteSnowflakeIdentifier).join('.');
  let res: QueryResult;
  try {
    res = await conn.execute(`show user functions in schema ${qualified}`);
  } catch (e) {
    if ((e as AdapterError).sqlState === '02000' || /does not exist|not authorized/i.test((e as Error).message)) return new Map();
    throw e;
  }
  const col = (name: string) => res.columns.findIndex((c) => c.name.toLowerCase() === name);
  const [iName, iArgs, iDesc] = [col('name'), col('arguments'), col('description')];
  const out = new Map<string, string>();
  if (iName < 0 || iArgs < 0 || iDesc < 0) return out;
  for (const r of res.rows) {
    const fp = udfFingerprintOf(r[iDesc] as string | null);
    const args = /\(([^)]*)\)/.exec(String(r[iArgs]))?.[1].trim() ?? '';
    const arity = args === '' ? 0 : args.split(',').length;
    if (fp) out.set(`${String(r[iName]).toUpperCase()}/${arity}`, fp);
  }
  return out;
}
