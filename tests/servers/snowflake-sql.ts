/**
 * TEST INFRASTRUCTURE — NOT SNOWFLAKE. Translates the Snowflake SQL that Weir and the demo send into
 * DuckDB SQL with Snowflake's semantics, for the protocol test server (snowflake-server.ts). Only what
 * DuckDB reads differently is rewritten; every rewrite follows the Snowflake reference page cited next
 * to it, including its NULL behaviour, so a model that relies on DuckDB semantics gives Snowflake's
 * answer here too. Anything a rewrite does not cover (e.g. REGEXP_SUBSTR with a position other than 1)
 * throws {@link UnsupportedSnowflakeSql}, which the server reports as a compilation error.
 */

/**
 * Rewrites Snowflake string literals (`\` escapes) into standard SQL literals DuckDB reads; leaves
 * quoted identifiers, `$$` bodies and comments alone.
 */
export function translateStringLiterals(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'") {
      let j = i + 1;
      let value = '';
      for (; j < sql.length; j++) {
        const c = sql[j];
        if (c === '\\' && j + 1 < sql.length) {
          const n = sql[++j];
          value += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n === '0' ? '\0' : n;
        } else if (c === "'") {
          if (sql[j + 1] === "'") {
            value += "'";
            j++;
          } else break;
        } else value += c;
      }
      out += `'${value.replace(/'/g, "''")}'`;
      i = j + 1;
    } else if (ch === '"') {
      const j = sql.indexOf('"', i + 1);
      const end = j < 0 ? sql.length : j + 1;
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '$' && sql[i + 1] === '$') {
      const j = sql.indexOf('$$', i + 2);
      const end = j < 0 ? sql.length : j + 2;
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const j = sql.indexOf('\n', i);
      const end = j < 0 ? sql.length : j;
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const j = sql.indexOf('*/', i + 2);
      const end = j < 0 ? sql.length : j + 2;
      out += sql.slice(i, end);
      i = end;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** A Snowflake construct the test server can't emulate. */
export class UnsupportedSnowflakeSql extends Error {}

/** Index of the parenthesis closing the one at `open` (strings, quoted identifiers, comments respected), or -1. */
export function matchingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    if (ch === "'" || ch === '"') {
      const j = s.indexOf(ch, i + 1);
      if (j < 0) return -1;
      i = j; // '' and "" escapes re-enter the same state on the next quote
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Splits a parenthesis-free-at-top-level argument list on top-level commas. */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "'" || ch === '"') {
      const j = s.indexOf(ch, i + 1);
      i = j < 0 ? s.length : j;
    } else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = s.slice(start).trim();
  if (last || out.length) out.push(last);
  return out;
}

const anyNull = (args: readonly string[]) => args.map((a) => `(${a}) is null`).join(' or ');
const intArg = (fn: string, name: string, v: string | undefined, dflt: number): number => {
  if (v === undefined) return dflt;
  const n = Number(v.trim());
  if (!Number.isInteger(n)) throw new UnsupportedSnowflakeSql(`${fn}: the test server needs a literal ${name}, got ${v}`);
  return n;
};
/** REGEXP_* `parameters` string ('c', 'i', 'm', 'e', 's'), literal only. */
const regexParams = (fn: string, v: string | undefined): string => {
  if (v === undefined) return '';
  const m = /^'([cimes]*)'$/.exec(v.trim());
  if (!m) throw new UnsupportedSnowflakeSql(`${fn}: the test server needs literal regex parameters, got ${v}`);
  return m[1];
};
/** RE2 inline flags for Snowflake regex parameters (https://docs.snowflake.com/en/sql-reference/functions-regexp#specifying-the-parameters-for-the-regular-expression). */
const inlineFlags = (params: string): string => {
  let i = false;
  let m = false;
  let s = false;
  for (const p of params) {
    if (p === 'i') i = true;
    else if (p === 'c') i = false;
    else if (p === 'm') m = true;
    else if (p === 's') s = true;
  }
  const f = `${i ? 'i' : ''}${m ? 'm' : ''}${s ? 's' : ''}`;
  return f ? `(?${f})` : '';
};
const withFlags = (pattern: string, params: string) => (inlineFlags(params) ? `('${inlineFlags(params)}' || ${pattern})` : pattern);

type Rewriter = (args: string[], tail: string) => { sql: string; consumed?: number };

/** Function rewrites, by lower-case Snowflake name. `tail` is the SQL after the closing parenthesis. */
const REWRITES: Record<string, Rewriter> = {
  // https://docs.snowflake.com/en/sql-reference/functions/regexp_instr — 1-based position of the first
  // match, 0 when none, NULL for NULL input. (Only position 1, occurrence 1, option 0.)
  regexp_instr: ([s, p, pos, occ, opt, params]) => {
    if (intArg('regexp_instr', 'position', pos, 1) !== 1 || intArg('regexp_instr', 'occurrence', occ, 1) !== 1 || intArg('regexp_instr', 'option', opt, 0) !== 0) {
      throw new UnsupportedSnowflakeSql('regexp_instr: the test server supports position 1, occurrence 1, option 0 only');
    }
    const pat = withFlags(p, regexParams('regexp_instr', params));
    return { sql: `(case when ${anyNull([s, pat])} then null when regexp_matches(${s}, ${pat}) then length(regexp_replace(${s}, '(?s)(?:' || ${pat} || ').*$', '')) + 1 else 0 end)` };
  },
  // https://docs.snowflake.com/en/sql-reference/functions/regexp_substr — the match (or, with 'e', a
  // capture group: default 1), NULL when there is none.
  regexp_substr: ([s, p, pos, occ, params, group]) => {
    if (intArg('regexp_substr', 'position', pos, 1) !== 1 || intArg('regexp_substr', 'occurrence', occ, 1) !== 1) {
      throw new UnsupportedSnowflakeSql('regexp_substr: the test server supports position 1, occurrence 1 only');
    }
    const ps = regexParams('regexp_substr', params);
    const g = group !== undefined ? intArg('regexp_substr', 'group', group, 1) : ps.includes('e') ? 1 : 0;
    const pat = withFlags(p, ps);
    return { sql: `(case when regexp_matches(${s}, ${pat}) then regexp_extract(${s}, ${pat}, ${g}) end)` };
  },
  // https://docs.snowflake.com/en/sql-reference/functions/regexp_replace — replaces every occurrence by
  // default (DuckDB: only with 'g'); replacement defaults to ''.
  regexp_replace: ([s, p, r, pos, occ, params]) => {
    if (intArg('regexp_replace', 'position', pos, 1) !== 1 || intArg('regexp_replace', 'occurrence', occ, 0) !== 0) {
      throw new UnsupportedSnowflakeSql('regexp_replace: the test server supports position 1, occurrence 0 (all) only');
    }
    return { sql: `regexp_replace(${s}, ${withFlags(p, regexParams('regexp_replace', params))}, ${r ?? "''"}, 'g')` };
  },
  // https://docs.snowflake.com/en/sql-reference/functions/regexp_like — implicitly anchored at both ends.
  regexp_like: ([s, p, params]) => ({ sql: `regexp_full_match(${s}, ${withFlags(p, regexParams('regexp_like', params))})` }),
  // https://docs.snowflake.com/en/sql-reference/functions/listagg — NULLs skipped; an empty input gives ''.
  listagg: ([x, sep], tail) => {
    const m = /^\s*within\s+group\s*\(/i.exec(tail);
    let order = '';
    let consumed = 0;
    if (m) {
      const open = m[0].length - 1;
      const close = matchingParen(tail, open);
      const inner = tail.slice(open + 1, close).trim();
      if (!/^order\s+by\s/i.test(inner)) throw new UnsupportedSnowflakeSql('listagg: WITHIN GROUP needs ORDER BY');
      order = ` ${inner}`;
      consumed = close + 1;
    }
    if (/^\s*over\s*\(/i.test(tail.slice(consumed))) return { sql: `string_agg(${x}, ${sep ?? "''"}${order})`, consumed };
    return { sql: `coalesce(string_agg(${x}, ${sep ?? "''"}${order}), '')`, consumed };
  },
  // https://docs.snowflake.com/en/sql-reference/functions/boolor_agg, .../booland_agg
  boolor_agg: ([x]) => ({ sql: `bool_or(${x})` }),
  booland_agg: ([x]) => ({ sql: `bool_and(${x})` }),
  // https://docs.snowflake.com/en/sql-reference/functions/datediff — part boundaries crossed, like DuckDB's date_diff.
  datediff: ([part, a, b]) => ({ sql: `date_diff('${datePart(part)}', ${a}, ${b})` }),
  timestampdiff: ([part, a, b]) => ({ sql: `date_diff('${datePart(part)}', ${a}, ${b})` }),
  // https://docs.snowflake.com/en/sql-reference/functions/dateadd — a DATE stays a DATE for day and larger parts.
  dateadd: ([part, n, x]) => {
    const p = datePart(part);
    const unit = p === 'quarter' ? `(${n}) * 3 * interval '1 month'` : p === 'week' ? `(${n}) * 7 * interval '1 day'` : `(${n}) * interval '1 ${p}'`;
    const sum = `(${x}) + ${unit}`;
    return { sql: ['year', 'quarter', 'month', 'week', 'day'].includes(p) ? `(case when typeof(${x}) = 'DATE' then cast(${sum} as date) else ${sum} end)` : `(${sum})` };
  },
  // https://docs.snowflake.com/en/sql-reference/functions/current_timestamp
  current_timestamp: () => ({ sql: 'current_timestamp' }),
  // https://docs.snowflake.com/en/sql-reference/functions/greatest, .../least — NULL when any argument is NULL.
  greatest: (args) => ({ sql: `(case when ${anyNull(args)} then null else greatest(${args.join(', ')}) end)` }),
  least: (args) => ({ sql: `(case when ${anyNull(args)} then null else least(${args.join(', ')}) end)` }),
  // https://docs.snowflake.com/en/sql-reference/functions/greatest_ignore_nulls — DuckDB's greatest/least skip NULLs.
  greatest_ignore_nulls: (args) => ({ sql: `greatest(${args.join(', ')})` }),
  least_ignore_nulls: (args) => ({ sql: `least(${args.join(', ')})` }),
  // https://docs.snowflake.com/en/sql-reference/functions/concat_ws — NULL when any argument is NULL.
  concat_ws: (args) => ({ sql: `(case when ${anyNull(args)} then null else concat_ws(${args.join(', ')}) end)` }),
  // https://docs.snowflake.com/en/sql-reference/functions/concat — NULL when any argument is NULL.
  concat: (args) => ({ sql: `(${args.map((a) => `(${a})`).join(' || ')})` }),
  // https://docs.snowflake.com/en/sql-reference/functions/array_construct_compact — NULLs dropped.
  array_construct_compact: (args) => ({ sql: `list_filter([${args.join(', ')}], x -> x is not null)` }),
  array_construct: (args) => ({ sql: `[${args.join(', ')}]` }),
  // https://docs.snowflake.com/en/sql-reference/functions/cast — Snowflake type names in casts.
  cast: ([arg]) => ({ sql: `cast(${castTarget(arg)})` }),
  try_cast: ([arg]) => ({ sql: `try_cast(${castTarget(arg)})` }),
  // https://docs.snowflake.com/en/sql-reference/functions/iff
  iff: ([c, a, b]) => ({ sql: `(case when ${c} then ${a} else ${b} end)` }),
  // https://docs.snowflake.com/en/sql-reference/functions/year — DuckDB has year() too; kept for clarity.
};

/** `expr as type` with the Snowflake type name mapped to DuckDB's (`timestamp_ntz` → `timestamp`, `number(p, s)` → `decimal(p, s)`). */
function castTarget(arg: string): string {
  const m = /^([\s\S]*\sas\s+)([A-Za-z_]\w*)(\s*\([^)]*\))?\s*$/i.exec(arg);
  if (!m) return arg;
  const t = m[2].toLowerCase();
  return `${m[1]}${TYPES[t] ?? m[2]}${m[3] ?? ''}`;
}

/** A date part argument (`day`, `'day'`, `DAY`) as DuckDB's part name. */
function datePart(p: string): string {
  const raw = p.trim().replace(/^'(.*)'$/, '$1').toLowerCase();
  const alias: Record<string, string> = { y: 'year', yy: 'year', yyyy: 'year', years: 'year', q: 'quarter', mm: 'month', mon: 'month', months: 'month', w: 'week', wk: 'week', d: 'day', dd: 'day', days: 'day', h: 'hour', hh: 'hour', hours: 'hour', m: 'minute', mi: 'minute', min: 'minute', minutes: 'minute', s: 'second', sec: 'second', seconds: 'second', ms: 'millisecond', us: 'microsecond' };
  const part = alias[raw] ?? raw;
  if (!/^(year|quarter|month|week|day|hour|minute|second|millisecond|microsecond)$/.test(part)) throw new UnsupportedSnowflakeSql(`unknown date part ${p}`);
  return part;
}

/** Snowflake type names DuckDB spells differently (https://docs.snowflake.com/en/sql-reference/intro-summary-data-types). */
const TYPES: Record<string, string> = {
  timestamp_ntz: 'timestamp', timestamp_ltz: 'timestamptz', timestamp_tz: 'timestamptz', datetime: 'timestamp',
  number: 'decimal', numeric: 'decimal', string: 'varchar', float4: 'double', float8: 'double', float: 'double', real: 'double',
  variant: 'json',
};

const WORD = /[A-Za-z_][\w$]*/y;
const OPEN_PAREN = /\s*\(/y;

/** The last non-blank character of `s` (scans back from the end; `s` is the output so far). */
function lastNonBlank(s: string): string {
  for (let k = s.length - 1; k >= 0; k--) if (!/\s/.test(s[k])) return s[k];
  return '';
}

/**
 * Rewrites function calls and type names in standard-literal SQL (Snowflake string escapes already
 * translated). Strings, quoted identifiers and comments are copied unchanged; qualified calls
 * (`schema.fn(...)`) are user functions and are left alone. Linear in the SQL length (seed INSERTs
 * carry thousands of binds).
 */
function rewrite(sql: string): string {
  let out = '';
  let i = 0;
  let copyFrom = 0;
  const flush = (to: number) => {
    out += sql.slice(copyFrom, to);
  };
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      for (;;) {
        const k = sql.indexOf(ch, j);
        if (k < 0) {
          j = sql.length;
          break;
        }
        if (sql[k + 1] === ch) j = k + 2;
        else {
          j = k + 1;
          break;
        }
      }
      i = j;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const j = sql.indexOf('\n', i);
      i = j < 0 ? sql.length : j;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const j = sql.indexOf('*/', i + 2);
      i = j < 0 ? sql.length : j + 2;
    } else if (ch === '$' && sql[i + 1] === '$') {
      const j = sql.indexOf('$$', i + 2);
      i = j < 0 ? sql.length : j + 2;
    } else if (/[A-Za-z_]/.test(ch) && !/[\w$]/.test(sql[i - 1] ?? '')) {
      WORD.lastIndex = i;
      const word = WORD.exec(sql)![0];
      const lower = word.toLowerCase();
      const after = i + word.length;
      if (!REWRITES[lower] && !TYPES[lower]) {
        i = after;
        continue;
      }
      OPEN_PAREN.lastIndex = after;
      const paren = OPEN_PAREN.exec(sql);
      flush(i);
      copyFrom = i;
      const prev = lastNonBlank(out);
      const qualified = prev === '.';
      if (paren && !qualified && REWRITES[lower]) {
        const open = after + paren[0].length - 1;
        const close = matchingParen(sql, open);
        if (close < 0) throw new UnsupportedSnowflakeSql(`unbalanced parentheses after ${word}`);
        const args = splitArgs(sql.slice(open + 1, close)).map(rewrite);
        const r = REWRITES[lower](args, sql.slice(close + 1, close + 400));
        out += r.sql;
        i = close + 1 + (r.consumed ?? 0);
        copyFrom = i;
      } else if (!qualified && TYPES[lower] && prev === ':' && out.endsWith('::')) {
        out += TYPES[lower];
        i = after;
        copyFrom = i;
      } else {
        i = after;
      }
    } else {
      i++;
    }
  }
  flush(sql.length);
  return out;
}

/**
 * Snowflake SQL → DuckDB SQL with Snowflake's semantics for the constructs listed in {@link REWRITES},
 * Snowflake string literals (backslash escapes) and type names in casts.
 * @throws UnsupportedSnowflakeSql for constructs the test server can't emulate
 */
/**
 * `TABLE(FLATTEN(INPUT => arr))` (https://docs.snowflake.com/en/sql-reference/functions/flatten), as Weir's
 * `unnest_join`/`json_array_join` helpers write it, → `(select unnest(arr) as value)`; over `parse_json(t)`
 * the JSON array is cast to DuckDB's json[] first. Only the VALUE column is provided.
 */
function translateFlatten(sql: string): string {
  let out = sql;
  for (;;) {
    const m = /\btable\s*\(\s*flatten\s*\(\s*input\s*=>\s*/i.exec(out);
    if (!m) return out;
    const argStart = m.index + m[0].length;
    let depth = 2;
    let i = argStart;
    for (; i < out.length && depth > 0; i++) {
      if (out[i] === "'") {
        const j = out.indexOf("'", i + 1);
        if (j < 0) return out;
        i = j;
      } else if (out[i] === '(') depth++;
      else if (out[i] === ')') depth--;
    }
    // `i` is just past the parenthesis closing TABLE(; the argument ends before the one closing FLATTEN(.
    const inner = out.slice(argStart, i).replace(/\)\s*\)\s*$/, '').trim();
    const json = /^(parse_json|json)\s*\(/i.test(inner);
    out = `${out.slice(0, m.index)}(select unnest(${json ? `cast(${inner} as json[])` : inner}) as value)${out.slice(i)}`;
  }
}

export function snowflakeToDuckDb(sql: string): string {
  const swap = swapWith(sql);
  if (swap) return swap;
  return translateFlatten(rewrite(translateStringLiterals(storedQueryObjects(sql))))
    // Snowflake's `ALTER TABLE x RENAME TO db.schema.y` takes a qualified new name; DuckDB's only a bare one.
    .replace(/(\brename\s+to\s+)(?:(?:"(?:[^"]|"")*"|[A-Za-z_][\w$]*)\s*\.\s*)+/gi, '$1')
    // TIMESTAMP_NTZ (Snowflake's timestamp without time zone) is DuckDB's TIMESTAMP.
    .replace(/\bas\s+timestamp_ntz\b/gi, 'as timestamp')
    // https://docs.snowflake.com/en/sql-reference/functions/generator — rows without columns.
    .replace(/\btable\s*\(\s*generator\s*\(\s*rowcount\s*=>\s*(\d+)\s*\)\s*\)/gi, 'range($1)')
    .replace(/\bcreate(\s+or\s+replace)?\s+transient\s+table\b/gi, (_m, orReplace: string | undefined) => `create${orReplace ?? ''} table`)
    // https://docs.snowflake.com/en/sql-reference/functions/startswith: DuckDB's starts_with.
    .replace(/\bstartswith\s*\(/gi, 'starts_with(')
    // https://docs.snowflake.com/en/sql-reference/functions/log: LOG(2, x) is DuckDB's log2(x).
    .replace(/\blog\s*\(\s*2\s*,/gi, 'log2(')
    // https://docs.snowflake.com/en/sql-reference/functions/get: CAST(GET(v, 'k') AS VARCHAR) is the member's
    // string value (DuckDB json_extract_string); PARSE_JSON(t) is DuckDB json(t).
    .replace(/\bcast\s*\(\s*get\s*\(\s*([\w.]+)\s*,\s*'(\w+)'\s*\)\s+as\s+varchar\s*\)/gi, "json_extract_string($1, '$.$2')")
    .replace(/\bparse_json\s*\(/gi, 'json(')
    // CLUSTER BY (cols) and COPY GRANTS of CREATE TABLE (https://docs.snowflake.com/en/sql-reference/sql/create-table):
    // DuckDB has neither; the statement stays recorded with them.
    .replace(/^(\s*create\s+(?:or\s+replace\s+)?table\s+[^(]*?)\s+cluster\s+by\s*\([^()]*\)/i, '$1')
    .replace(/^(\s*create\s+(?:or\s+replace\s+)?table\s+[^(]*?)\s+copy\s+grants\b/i, '$1');
}

const PART = String.raw`(?:"(?:[^"]|"")*"|[A-Za-z_][\w$]*)`;
const REL = String.raw`${PART}(?:\s*\.\s*${PART})*`;

/**
 * `CREATE OR REPLACE DYNAMIC TABLE t TARGET_LAG = … WAREHOUSE = w [REFRESH_MODE = …] [INITIALIZE = …] AS q`
 * (https://docs.snowflake.com/en/sql-reference/sql/create-dynamic-table) and `CREATE OR REPLACE
 * MATERIALIZED VIEW t [COPY GRANTS] [CLUSTER BY (…)] AS q` become `CREATE OR REPLACE TABLE t AS q`: DuckDB
 * keeps the query's result as a table (nothing refreshes it later; the statement stays recorded as sent).
 */
function storedQueryObjects(sql: string): string {
  const dynamic = new RegExp(String.raw`^\s*create\s+or\s+replace\s+dynamic\s+table\s+(${REL})\s+target_lag\s*=\s*(?:'[^']*'|downstream)\s+warehouse\s*=\s*${PART}(?:\s+refresh_mode\s*=\s*\w+)?(?:\s+initialize\s*=\s*\w+)?\s+as\s`, 'i');
  const mv = new RegExp(String.raw`^\s*create\s+or\s+replace\s+materialized\s+view\s+(${REL})(?:\s+copy\s+grants)?(?:\s+cluster\s+by\s*\([^()]*\))?\s+as\s`, 'i');
  const m = dynamic.exec(sql) ?? mv.exec(sql);
  return m ? `create or replace table ${m[1]} as ${sql.slice(m[0].length)}` : sql;
}

/**
 * `ALTER TABLE a SWAP WITH b` (Snowflake's atomic exchange of two tables,
 * https://docs.snowflake.com/en/sql-reference/sql/alter-table) as three DuckDB renames in one transaction.
 */
function swapWith(sql: string): string | undefined {
  const m = new RegExp(String.raw`^\s*alter\s+table\s+(${REL})\s+swap\s+with\s+(${REL})\s*;?\s*$`, 'i').exec(sql);
  if (!m) return undefined;
  const split = (rel: string) => {
    const parts = rel.match(new RegExp(PART, 'g'))!;
    return { qualifier: parts.slice(0, -1).map((p) => `${p}.`).join(''), name: parts[parts.length - 1] };
  };
  const a = split(m[1]);
  const b = split(m[2]);
  const parking = '"__weir_swap_parking"';
  return `begin transaction; alter table ${m[1]} rename to ${parking}; alter table ${m[2]} rename to ${a.name}; `
    + `alter table ${a.qualifier}${parking} rename to ${b.name}; commit`;
}
