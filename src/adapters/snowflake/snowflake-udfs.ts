/**
 * Deploying portable TypeScript UDFs to Snowflake as JavaScript UDFs: the UDF's module is bundled with
 * esbuild into one self-contained script (no Node APIs: `platform: 'neutral'`), wrapped so the bundle is
 * evaluated once per JavaScript context and cached on the global object, and emitted as
 * `CREATE OR REPLACE FUNCTION ... LANGUAGE JAVASCRIPT` — one statement per arity (optional arguments).
 * Snowflake exposes arguments to the body by their upper-cased names.
 * https://docs.snowflake.com/en/developer-guide/udf/javascript/udf-javascript-introduction
 */
import path from 'node:path';
import { WeirError } from '../../errors/weir-error.js';
import { resolveUdfVersion, type UdfSqlType } from '../../udfs/define.js';
import type { LoadedUdf } from '../../udfs/registry.js';

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
 * @returns the body: evaluates the bundle once (cached on the global object) and calls the UDF
 * @throws WeirError `WEIR_UDF_INVALID` when the UDF is not a portable scalar UDF or its module can't be
 *   bundled without Node APIs
 */
export async function bundleUdfBody(udf: LoadedUdf, root: string, arity: number): Promise<string> {
  const def = udf.definition;
  if (def.kind !== 'scalar' || !def.portable) {
    throw new WeirError('WEIR_UDF_INVALID', `UDF ${def.name} (${udf.module}) is not a portable scalar UDF, so it can't be deployed as a Snowflake JavaScript UDF`, {
      location: { file: udf.module },
      hint: def.kind === 'batch' ? 'Batch UDFs run client-side on engines without in-process JavaScript.' : 'Mark it `portable: true` if its code uses no Node APIs.',
    });
  }
  const { build } = await import('esbuild');
  const abs = path.resolve(root, udf.module);
  const global = `__weir_udf_${def.name}`;
  let code: string;
  try {
    const res = await build({
      stdin: { contents: `export { ${udf.exportName} as udf } from ${JSON.stringify(abs)};\n`, resolveDir: root, loader: 'ts', sourcefile: 'weir-udf-entry.ts' },
      bundle: true, format: 'iife', globalName: global, platform: 'neutral', target: 'es2019', write: false, minify: true,
      legalComments: 'none', logLevel: 'silent', mainFields: ['module', 'main'],
    });
    code = res.outputFiles[0].text;
  } catch (e) {
    const first = ((e as { errors?: { text: string }[] }).errors?.[0]?.text) ?? (e as Error).message;
    throw new WeirError('WEIR_UDF_INVALID', `UDF ${def.name} (${udf.module}) can't be bundled for Snowflake: ${first}`, {
      location: { file: udf.module }, hint: 'A portable UDF may only import pure JavaScript/TypeScript (no node: modules, no native addons).', cause: e,
    });
  }
  const argNames = def.args.slice(0, arity).map((a) => a.name.toUpperCase());
  return [
    `var G = typeof globalThis !== 'undefined' ? globalThis : this;`,
    `if (G.${global} === undefined) {`,
    code.trim(),
    `G.${global} = ${global};`,
    `}`,
    `return G.${global}.udf.fn(${argNames.join(', ')});`,
  ].join('\n');
}

const quoteSnowflakeString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * `CREATE OR REPLACE FUNCTION` statements for a portable UDF, one per arity.
 * @throws WeirError as {@link bundleUdfBody}
 */
export async function snowflakeUdfDdl(udf: LoadedUdf, root: string, target: SnowflakeUdfTarget): Promise<string[]> {
  const def = udf.definition;
  const required = def.args.filter((a) => !a.optional).length;
  const qualified = [target.database, target.schema, def.name].filter(Boolean).map((p) => String(p).toUpperCase()).join('.');
  const out: string[] = [];
  for (let arity = required; arity <= def.args.length; arity++) {
    const body = await bundleUdfBody(udf, root, arity);
    const params = def.args.slice(0, arity).map((a) => `${a.name.toUpperCase()} ${SNOWFLAKE_TYPES[a.type]}`).join(', ');
    const quotedBody = body.includes('$$') ? quoteSnowflakeString(body) : `$$\n${body}\n$$`;
    out.push([
      `CREATE OR REPLACE FUNCTION ${qualified}(${params})`,
      `RETURNS ${SNOWFLAKE_TYPES[def.returns]}`,
      'LANGUAGE JAVASCRIPT',
      (def.nulls ?? 'propagate') === 'propagate' ? 'RETURNS NULL ON NULL INPUT' : 'CALLED ON NULL INPUT',
      def.deterministic ? 'IMMUTABLE' : 'VOLATILE',
      `COMMENT = ${quoteSnowflakeString(`${def.description} [weir udf ${udf.module} v${resolveUdfVersion(def)}]`)}`,
      `AS ${quotedBody}`,
    ].join('\n'));
  }
  return out;
}
