/**
 * `weir-sql/udf`: the UDF authoring API. A project's UDF module imports only this entry, which loads no
 * engine client, so it stays cheap to import and can be bundled into a Snowflake JavaScript UDF.
 *
 * @example
 * import { defineScalarUdf } from 'weir-sql/udf';
 * export const initials = defineScalarUdf({
 *   name: 'initials', args: [{ name: 'full_name', type: 'VARCHAR' }], returns: 'VARCHAR',
 *   deterministic: true, portable: true, description: 'Upper-case first letters of each word.',
 *   fn: (s) => s.split(/\s+/).filter(Boolean).map((w) => w[0].toUpperCase()).join(''),
 * });
 * @packageDocumentation
 */
export { defineScalarUdf, defineBatchUdf, deployedValue, isUdfDefinition, resolveUdfVersion } from '../udfs/define.js';
export type { ScalarUdf, BatchUdf, UdfDefinition, UdfArg, UdfSqlType, UdfContext, BatchContext, JsTypeOf } from '../udfs/define.js';
