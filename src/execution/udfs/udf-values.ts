/**
 * Values crossing between an engine and TypeScript UDFs on the client-side path (client-udfs.ts): the
 * engine types of UDF types, engine values as UDF arguments, and UDF results as values for the lookup
 * tables, converted exactly as the DuckDB registration does.
 */
import type { Dialect } from '../../adapters/adapter.js';
import { stableJson } from '../../udfs/batch.js';
import type { UdfSqlType } from '../../udfs/define.js';
import { checkUdfResult } from '../../udfs/result.js';

/** Engine type of a UDF type for lookup columns and casts. */
export function udfSqlType(type: UdfSqlType, dialect: Dialect): string {
  switch (type) {
    case 'VARCHAR':
    case 'JSON':
      return 'varchar';
    case 'DOUBLE':
      return 'double';
    case 'BIGINT':
      return 'bigint';
    case 'INTEGER':
      return 'integer';
    case 'BOOLEAN':
      return 'boolean';
    case 'DATE':
      return 'date';
    case 'TIMESTAMP':
      return dialect.fn.types.timestamp;
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * An engine value (as the adapter returns it) → the JS value UDF code receives, as on DuckDB: strings for
 * VARCHAR/JSON, numbers for DOUBLE/INTEGER, bigint for BIGINT, booleans, Date for DATE/TIMESTAMP (UTC).
 */
export function toUdfArgument(v: unknown, type: UdfSqlType): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'VARCHAR':
    case 'JSON':
      return typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : String(v);
    case 'DOUBLE':
    case 'INTEGER':
      return typeof v === 'number' ? v : Number(v);
    case 'BIGINT':
      return typeof v === 'bigint' ? v : BigInt(typeof v === 'number' ? Math.trunc(v) : String(v));
    case 'BOOLEAN':
      return typeof v === 'boolean' ? v : String(v).toLowerCase() === 'true';
    case 'DATE':
    case 'TIMESTAMP': {
      if (v instanceof Date) return v;
      const s = String(v).trim().replace(' ', 'T');
      return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}${s.length <= 10 ? 'T00:00:00' : ''}Z`);
    }
  }
}

/**
 * A UDF result → the value written to the lookup table, checked against the declared return type with the
 * messages of the DuckDB registration (doubles as their round-trip text, see {@link sqlNumber}; dates as
 * ISO text; JSON objects stringified).
 * @throws Error when the value doesn't fit the type
 */
export function toSqlResult(v: unknown, type: UdfSqlType): unknown {
  const r = checkUdfResult(v, type);
  if (!r) return null;
  switch (r.type) {
    case 'JSON':
      return typeof r.value === 'string' ? r.value : stableJson(r.value);
    case 'DOUBLE':
      return sqlNumber(r.value);
    case 'DATE':
      return r.value.toISOString().slice(0, 10);
    case 'TIMESTAMP': {
      const d = r.value;
      return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
    }
    default:
      return r.value;
  }
}

/**
 * A double as a bind value: its shortest round-trip text (`0.30000000000000004`, `1e+300`, `NaN`,
 * `-Infinity`), which `cast(? as double)` reads back exactly on every engine — a bare number could be
 * bound as a decimal or an integer, and non-finite numbers have no literal.
 */
function sqlNumber(n: number): string {
  return String(n);
}

/**
 * A collected argument value as a bind value: engine values go back as they came, except non-finite
 * numbers (strings the cast reads) and Date objects (ISO text, which casts to date and timestamp alike).
 */
export function argBind(v: unknown, type: UdfSqlType): unknown {
  if (typeof v === 'number' && type === 'DOUBLE') return sqlNumber(v);
  if (v instanceof Date) return toSqlResult(v, 'TIMESTAMP');
  return v;
}
