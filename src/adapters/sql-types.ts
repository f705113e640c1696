/**
 * SQL → TypeScript types for `weir codegen kysely` and `createClient`: one mapping for the type names of
 * DuckDB (`BIGINT`, `DECIMAL(18,2)`, `INTEGER[]`, `STRUCT(a INTEGER)`), Trino (`bigint`, `decimal(18,2)`,
 * `varchar(10)`, `timestamp(3) with time zone`, `array(integer)`, `row(a integer)`) and Snowflake (`NUMBER`,
 * `TEXT`, `TIMESTAMP_NTZ`, `VARIANT`, and the sdk's result types `FIXED`, `REAL`). The clients convert
 * every value to exactly these JS types, so generated types and returned rows agree on every engine:
 *
 * | SQL | TS | why |
 * |---|---|---|
 * | BOOLEAN | `boolean` | |
 * | TINYINT, SMALLINT, INTEGER (and unsigned ≤ 32 bit) | `number` | exact in a double |
 * | BIGINT, HUGEINT, UBIGINT | `string` | 64-bit values don't fit a double; a string is exact, JSON-safe and the same on every engine (`BigInt(s)` when arithmetic is needed) |
 * | DECIMAL, NUMERIC, NUMBER (Snowflake's integers are NUMBER(38,0) too) | `string` | exact decimal text |
 * | REAL, FLOAT, DOUBLE | `number` | |
 * | VARCHAR, CHAR, TEXT, STRING, UUID, JSON, ENUM, INTERVAL, TIME | `string` | |
 * | DATE | `string` (`YYYY-MM-DD`) | a calendar date has no time zone; a `Date` would shift it |
 * | TIMESTAMP (any precision, with or without time zone; Snowflake TIMESTAMP_NTZ/LTZ/TZ, DATETIME) | `Date` | timestamps without a zone are read as UTC |
 * | BLOB, BYTEA, VARBINARY, BINARY | `Uint8Array` | |
 * | `T[]`, `T[n]`, `array(T)` | `(T \| null)[]` | Snowflake's untyped ARRAY: `unknown[]` |
 * | STRUCT(...), row(...) | `{ field: T \| null; ... }` | |
 * | MAP, VARIANT, OBJECT, UNION, anything else | `unknown` | |
 */

/** A TypeScript type as text (e.g. `string`, `(number | null)[]`), plus how values are converted. */
export type ScalarKind = 'boolean' | 'number' | 'string' | 'date' | 'timestamp' | 'bytes' | 'exact' | 'unknown';

/** A parsed SQL type: a scalar, an array of an element type, or a struct of named fields. */
export type TsType =
  | { readonly kind: ScalarKind }
  | { readonly kind: 'array'; readonly element: TsType }
  | { readonly kind: 'struct'; readonly fields: readonly { readonly name: string; readonly type: TsType }[] };

const SCALARS: readonly [RegExp, ScalarKind][] = [
  [/^(BOOLEAN|BOOL|LOGICAL)$/, 'boolean'],
  [/^(TINYINT|SMALLINT|INTEGER|INT|INT1|INT2|INT4|SHORT|SIGNED|UTINYINT|USMALLINT|UINTEGER|BYTEINT)$/, 'number'],
  [/^(BIGINT|INT8|LONG|HUGEINT|UBIGINT|UHUGEINT|INT128|BIGNUM|VARINT)$/, 'exact'],
  [/^(DECIMAL|NUMERIC|NUMBER|FIXED|DEC)$/, 'exact'],
  [/^(REAL|FLOAT|FLOAT4|FLOAT8|DOUBLE|DOUBLE PRECISION)$/, 'number'],
  [/^(VARCHAR|CHAR|CHARACTER|CHARACTER VARYING|BPCHAR|TEXT|STRING|NVARCHAR|NCHAR|UUID|JSON|ENUM|INTERVAL|TIME|TIME WITH TIME ZONE|TIMETZ|TIME_NS|IPADDRESS)$/, 'string'],
  [/^DATE$/, 'date'],
  [/^(TIMESTAMP|TIMESTAMP WITH TIME ZONE|TIMESTAMPTZ|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMP_US|TIMESTAMP_NTZ|TIMESTAMP_LTZ|TIMESTAMP_TZ|DATETIME)$/, 'timestamp'],
  [/^(BLOB|BYTEA|VARBINARY|BINARY|BIT|BITSTRING)$/, 'bytes'],
];

/**
 * Parses an engine's type name into a {@link TsType}. Never throws: unknown types map to `unknown`.
 * @example sqlToTs('DECIMAL(18,2)') → { kind: 'exact' }; sqlToTs('array(varchar)') → array of string
 */
export function sqlToTs(sqlType: string): TsType {
  const t = sqlType.trim();
  // DuckDB lists/arrays: INTEGER[] / INTEGER[3] (the suffix binds last).
  const list = /^(.*)\[\d*\]$/s.exec(t);
  if (list) return { kind: 'array', element: sqlToTs(list[1]) };
  const call = /^([A-Za-z_ ]+?)\s*\((.*)\)\s*(.*)$/s.exec(t);
  if (call) {
    const head = call[1].trim().toUpperCase();
    const tail = call[3].trim().toUpperCase();
    if (head === 'ARRAY') return { kind: 'array', element: sqlToTs(call[2]) };
    if (head === 'STRUCT' || head === 'ROW') {
      return { kind: 'struct', fields: splitTopLevel(call[2]).map((f) => {
        const m = /^\s*("(?:[^"]|"")*"|\S+)\s+(.*)$/s.exec(f);
        if (!m) return { name: f.trim(), type: { kind: 'unknown' } as TsType };
        const name = m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1];
        return { name, type: sqlToTs(m[2]) };
      }) };
    }
    if (head === 'MAP' || head === 'UNION') return { kind: 'unknown' };
    // varchar(10), decimal(18,2), timestamp(3) with time zone, NUMBER(38,0)
    return scalar(tail ? `${head} ${tail}` : head);
  }
  const upper = t.toUpperCase().replace(/\s+/g, ' ');
  if (upper === 'ARRAY') return { kind: 'array', element: { kind: 'unknown' } };
  return scalar(upper);
}

function scalar(name: string): TsType {
  for (const [re, kind] of SCALARS) if (re.test(name)) return { kind };
  return { kind: 'unknown' };
}

/** Splits `a INTEGER, b STRUCT(x INT, y INT)` at top-level commas. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  let quoted = false;
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && (ch === '(' || ch === '[')) depth++;
    if (!quoted && (ch === ')' || ch === ']')) depth--;
    if (!quoted && depth === 0 && ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property name for a TypeScript interface: bare when an identifier, else a quoted string. */
export function tsPropertyName(name: string): string {
  return IDENT.test(name) ? name : JSON.stringify(name);
}

/** Renders a {@link TsType} as TypeScript text (without the top-level `| null`). */
export function tsTypeText(t: TsType): string {
  switch (t.kind) {
    case 'boolean': return 'boolean';
    case 'number': return 'number';
    case 'string': case 'date': case 'exact': return 'string';
    case 'timestamp': return 'Date';
    case 'bytes': return 'Uint8Array';
    case 'unknown': return 'unknown';
    case 'array': return t.element.kind === 'unknown' ? 'unknown[]' : `(${nullable(t.element)})[]`;
    case 'struct': return `{ ${t.fields.map((f) => `${tsPropertyName(f.name)}: ${nullable(f.type)}`).join('; ')} }`;
  }
}

const nullable = (t: TsType) => (t.kind === 'unknown' ? 'unknown' : `${tsTypeText(t)} | null`);

/**
 * Converts a value a driver returned to the JS type {@link sqlToTs} promises for its SQL type: exact
 * numbers and 64-bit integers to decimal strings, timestamps to `Date` (zone-less text read as UTC),
 * dates to `YYYY-MM-DD`, arrays element-wise. Values of other types are returned as they are.
 */
export function normalizeValue(value: unknown, t: TsType): unknown {
  if (value === null || value === undefined) return null;
  switch (t.kind) {
    case 'exact':
      return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : String(value);
    case 'number':
      return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : Number(value);
    case 'boolean':
      return typeof value === 'boolean' ? value : value === 'true' || value === 1 || value === '1';
    case 'timestamp':
      return toDate(value);
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
    case 'string':
      return typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : String(value);
    case 'array':
      return Array.isArray(value) ? value.map((v) => normalizeValue(v, t.element)) : value;
    default:
      return value;
  }
}

/** A timestamp value (Date, epoch ms, ISO or `YYYY-MM-DD HH:MM:SS[.fff][ zone]` text) as a Date. */
function toDate(value: unknown): Date | unknown {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value !== 'string') return value;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i.exec(value.trim());
  if (!m) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? value : d;
  }
  const frac = m[2].replace(/(\.\d{3})\d+$/, '$1'); // JS dates hold milliseconds
  let zone = m[3] ?? 'Z';
  if (/^utc$/i.test(zone)) zone = 'Z';
  else if (/^[+-]\d{2}$/.test(zone)) zone = `${zone}:00`;
  else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return new Date(`${m[1]}T${frac}${zone}`);
}
