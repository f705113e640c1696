/**
 * The one check of a UDF's JavaScript result against its declared SQL return type, shared by every place
 * that turns results into engine values (DuckDB registration, the client-side lookup tables of engines
 * that can't host a UDF), so the accepted values and the error messages are the same everywhere.
 */
import type { UdfSqlType } from './define.js';

/** A result that fits its declared type, in one canonical JS shape per type (see {@link checkUdfResult}). */
export type CheckedUdfResult =
  | { readonly type: 'VARCHAR'; readonly value: string }
  | { readonly type: 'JSON'; readonly value: unknown }
  | { readonly type: 'DOUBLE'; readonly value: number }
  | { readonly type: 'INTEGER'; readonly value: number }
  | { readonly type: 'BIGINT'; readonly value: bigint }
  | { readonly type: 'BOOLEAN'; readonly value: boolean }
  | { readonly type: 'DATE' | 'TIMESTAMP'; readonly value: Date };

/**
 * Checks a UDF result against its return type: VARCHAR takes anything (as `String(v)`), JSON anything,
 * DOUBLE a number or bigint (as a number), INTEGER an integer number, BIGINT a bigint or integer number
 * (as a bigint), BOOLEAN a boolean, DATE/TIMESTAMP a Date.
 * @returns null for null/undefined, else the value in its canonical shape
 * @throws Error `returned …, expected …` when the value doesn't fit (the caller adds UDF, arguments, model)
 */
export function checkUdfResult(v: unknown, type: UdfSqlType): CheckedUdfResult | null {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'VARCHAR':
      return { type, value: typeof v === 'string' ? v : String(v) };
    case 'JSON':
      return { type, value: v };
    case 'DOUBLE':
      if (typeof v !== 'number' && typeof v !== 'bigint') throw new Error(`returned ${typeof v}, expected a number (DOUBLE)`);
      return { type, value: Number(v) };
    case 'INTEGER':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`returned ${String(v)}, expected an integer (INTEGER)`);
      return { type, value: v };
    case 'BIGINT':
      if (typeof v === 'bigint') return { type, value: v };
      if (typeof v === 'number' && Number.isInteger(v)) return { type, value: BigInt(v) };
      throw new Error(`returned ${String(v)}, expected an integer (BIGINT)`);
    case 'BOOLEAN':
      if (typeof v !== 'boolean') throw new Error(`returned ${typeof v}, expected a boolean`);
      return { type, value: v };
    case 'DATE':
    case 'TIMESTAMP':
      if (!(v instanceof Date)) throw new Error(`returned ${typeof v}, expected a Date`);
      return { type, value: v };
  }
}
