/**
 * Canonical SQL type names, for comparing a declared `data_type` (YAML) with the type an engine reports
 * (model contracts). A type is split into a lower-case base name and its parameters
 * (`DECIMAL(10, 2)` → `decimal` + `10,2`); the base goes through an alias table — ANSI's, extended by each
 * dialect (`Dialect.typeAliases`) where the engine's synonyms differ (DuckDB `FLOAT` is 4-byte, Snowflake's
 * numbers are all `NUMBER`, ...).
 */

/** Base-name synonyms shared by the engines (SQL standard and common spellings). */
export const ANSI_TYPE_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  int: 'integer', integer: 'integer', int4: 'integer', signed: 'integer',
  bigint: 'bigint', int8: 'bigint', long: 'bigint',
  smallint: 'smallint', int2: 'smallint', short: 'smallint',
  tinyint: 'tinyint', int1: 'tinyint',
  varchar: 'varchar', text: 'varchar', string: 'varchar', 'character varying': 'varchar', 'char varying': 'varchar', nvarchar: 'varchar',
  char: 'char', character: 'char', bpchar: 'char',
  double: 'double', 'double precision': 'double', float8: 'double', float: 'double',
  real: 'real', float4: 'real',
  decimal: 'decimal', numeric: 'decimal', dec: 'decimal',
  bool: 'boolean', boolean: 'boolean', logical: 'boolean',
  date: 'date',
  timestamp: 'timestamp', datetime: 'timestamp', 'timestamp without time zone': 'timestamp',
  timestamptz: 'timestamptz', 'timestamp with time zone': 'timestamptz',
  time: 'time', 'time without time zone': 'time',
  varbinary: 'varbinary', binary: 'varbinary', blob: 'varbinary', bytea: 'varbinary',
  json: 'json', uuid: 'uuid', interval: 'interval',
});

/** A type split into canonical base and parameters (`''` when none). */
export interface CanonicalType {
  readonly base: string;
  readonly params: string;
}

/**
 * Canonicalizes a type name: lower case, whitespace collapsed, parameters split off (also from
 * `timestamp(3) with time zone`), the base mapped through `aliases` (falling back to
 * {@link ANSI_TYPE_ALIASES}).
 */
export function canonicalType(type: string, aliases: Readonly<Record<string, string>> = {}): CanonicalType {
  let t = type.trim().toLowerCase().replace(/\s+/g, ' ');
  let params = '';
  const m = /^([a-z_ ]+?)\s*\(([^)]*)\)(.*)$/.exec(t);
  if (m) {
    params = m[2].replace(/\s+/g, '');
    t = `${m[1]}${m[3]}`.replace(/\s+/g, ' ').trim();
  }
  const base = aliases[t] ?? ANSI_TYPE_ALIASES[t] ?? t;
  return { base, params };
}

/**
 * Whether a declared type and an engine-reported type are the same: equal bases, and equal parameters
 * when both give them (a declared `varchar` matches `VARCHAR(20)`; `decimal(10,2)` doesn't match
 * `DECIMAL(18,3)`).
 */
export function sameType(declared: string, actual: string, aliases: Readonly<Record<string, string>> = {}): boolean {
  const a = canonicalType(declared, aliases);
  const b = canonicalType(actual, aliases);
  if (a.base !== b.base) return false;
  return !a.params || !b.params || a.params === b.params;
}
