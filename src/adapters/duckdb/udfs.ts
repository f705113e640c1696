/**
 * Registers UDFs on the embedded DuckDB instance with `DuckDBScalarFunction` (one call per data chunk,
 * on the JS thread). Scalar UDFs call their implementation; batch UDFs register a lookup into their
 * runtime (see udfs/batch.ts). Optional arguments become overloads, one per arity. Registration is
 * catalog-wide: every connection of the instance sees the functions.
 * https://duckdb.org/docs/stable/clients/node_neo/overview (Scalar Functions)
 */
import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { duckdb } from './node-api.js';
import type { UdfSqlType } from '../../udfs/define.js';
import { preview, type LoadedUdf } from '../../udfs/registry.js';
import { checkUdfResult } from '../../udfs/result.js';
import { readVarcharVector, varcharScratch } from './udf-vectors.js';

const { BIGINT, BOOLEAN, DATE, DOUBLE, DuckDBDateValue, DuckDBScalarFunction, DuckDBTimestampValue, INTEGER, TIMESTAMP, VARCHAR, dateValue, timestampValue } = duckdb;

const TYPES: Record<UdfSqlType, DuckDBType> = {
  VARCHAR, JSON: VARCHAR, DOUBLE, BIGINT, INTEGER, BOOLEAN, DATE, TIMESTAMP,
};

const DAY_MS = 86_400_000;

/** DuckDB value → the JS value UDF code receives. */
function toJs(v: DuckDBValue): unknown {
  if (v instanceof DuckDBDateValue) return new Date(v.days * DAY_MS);
  if (v instanceof DuckDBTimestampValue) return new Date(Number(v.micros / 1000n));
  return v;
}

/** JS result → DuckDB value of the declared return type. @throws Error for a value of the wrong type */
function toDuckDB(v: unknown, type: UdfSqlType): DuckDBValue {
  // Fast paths (no allocation) for values already in their canonical shape; anything else goes through
  // the one shared check (udfs/result.ts), which converts or throws its error message.
  switch (type) {
    case 'DOUBLE':
    case 'VARCHAR':
      if (typeof v === (type === 'DOUBLE' ? 'number' : 'string')) return v as DuckDBValue;
      break;
    case 'INTEGER':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      break;
    case 'BOOLEAN':
      if (typeof v === 'boolean') return v;
      break;
  }
  const r = checkUdfResult(v, type);
  if (!r) return null;
  switch (r.type) {
    case 'JSON':
      return typeof r.value === 'string' ? r.value : JSON.stringify(r.value);
    case 'DATE':
      return dateValue(Math.floor(r.value.getTime() / DAY_MS));
    case 'TIMESTAMP':
      return timestampValue(BigInt(r.value.getTime()) * 1000n);
    default:
      return r.value;
  }
}

/** Argument types DuckDB already hands over as the JS values UDF code receives (no {@link toJs} needed). */
const PLAIN_ARG = new Set<UdfSqlType>(['VARCHAR', 'JSON', 'DOUBLE', 'BIGINT', 'INTEGER', 'BOOLEAN']);

/**
 * Registers one UDF (every arity) on a connection.
 *
 * Each call gets one data chunk (up to 2,048 rows): VARCHAR argument vectors are read whole into reused
 * arrays (udf-vectors.ts: one native read per run of adjacent strings instead of one per value), other
 * arguments value by value; then `impl` is called once per row with one reused argument array, and the
 * result vector is written — no allocation per row beyond the strings themselves and what the function makes.
 * @param impl the function called per row with JS arguments (the scalar implementation or a batch lookup);
 *   it must not keep the argument array, which is reused for the next row
 */
export function registerDuckDBUdf(conn: DuckDBConnection, udf: LoadedUdf, impl: (args: unknown[]) => unknown): void {
  const def = udf.definition;
  const required = def.args.filter((a) => !a.optional).length;
  const propagate = (def.nulls ?? 'propagate') === 'propagate';
  for (let arity = required; arity <= def.args.length; arity++) {
    const params = def.args.slice(0, arity);
    const plain = params.every((a) => PLAIN_ARG.has(a.type));
    // argument values of the current chunk, one reused array per argument
    const cols: unknown[][] = params.map(() => []);
    const scratch = varcharScratch();
    conn.registerScalarFunction(DuckDBScalarFunction.create({
      name: def.name,
      returnType: TYPES[def.returns],
      parameterTypes: params.map((a) => TYPES[a.type]),
      volatile: !def.deterministic || def.kind === 'batch',
      specialHandling: !propagate,
      mainFunction: (info, input, output) => {
        const rows = input.rowCount;
        for (let i = 0; i < arity; i++) {
          const vec = input.getColumnVector(i);
          const col = cols[i];
          if ((params[i].type !== 'VARCHAR' && params[i].type !== 'JSON') || !readVarcharVector(vec, rows, col, scratch)) {
            for (let row = 0; row < rows; row++) col[row] = vec.getItem(row);
          }
        }
        const args: unknown[] = new Array(arity);
        const returns = def.returns;
        for (let row = 0; row < rows; row++) {
          let hasNull = false;
          for (let i = 0; i < arity; i++) {
            const raw = cols[i][row] as DuckDBValue;
            if (raw === null) hasNull = true;
            args[i] = raw === null || plain ? raw : toJs(raw);
          }
          if (hasNull && propagate) {
            output.setItem(row, null);
            continue;
          }
          try {
            output.setItem(row, toDuckDB(impl(args), returns));
          } catch (e) {
            info.setError(`UDF ${def.name} (${udf.module}) failed on (${args.map(preview).join(', ')}): ${(e as Error).message}`);
            return;
          }
        }
        output.flush();
      },
    }));
  }
}
