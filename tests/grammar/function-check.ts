/**
 * TEST INFRASTRUCTURE. Checks the function names an SQL text calls against the engine's documented
 * built-in functions (tests/grammar/functions/<engine>.txt, each citing its documentation page), so that a
 * function the engine lacks (a DuckDB-ism such as `string_split`, `list_transform`, `regexp_matches` on
 * Trino) fails a test instead of being run by the protocol server's DuckDB.
 *
 * A call is a bare (or schema-qualified: only the last part is checked when unqualified) word followed by
 * `(`, except: a word after AS, INTO, TABLE, VIEW, JOIN, FROM, UPDATE, `.` (a qualified object or column list),
 * a CTE head `name (cols) as (`, a type name after CAST(... AS, and a column list of CREATE/INSERT.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tokenizeSql, type SqlToken } from '../../src/sql/tokenize.js';
import type { GrammarEngine } from './engine-grammars.js';

const lists = new Map<GrammarEngine, ReadonlySet<string>>();

/** The documented function names of an engine (lower case), read once from tests/grammar/functions/. */
export function engineFunctions(engine: GrammarEngine): ReadonlySet<string> {
  let set = lists.get(engine);
  if (!set) {
    const text = readFileSync(path.join(import.meta.dirname, 'functions', `${engine}.txt`), 'utf8');
    set = new Set(text.split('\n').map((l) => l.replace(/#.*/, '').trim().toLowerCase()).filter(Boolean));
    lists.set(engine, set);
  }
  return set;
}

/** Words after which `word (` is not a call (an object name with a column list, an alias with columns, a type). */
const NOT_CALL_AFTER = new Set(['as', 'into', 'table', 'view', 'join', 'from', 'update', 'exists', 'with', 'recursive', 'by', 'type', 'returns', 'function', 'on']);
/** SQL syntax words that may precede `(` without being a call (`in (`, `over (`, `within group (`, `then (`...). */
const SYNTAX = new Set(['select', 'from', 'where', 'and', 'or', 'not', 'in', 'exists', 'values', 'over', 'within', 'group', 'using', 'on', 'when',
  'then', 'else', 'end', 'case', 'by', 'having', 'qualify', 'partition', 'lateral', 'as', 'is', 'like', 'between', 'union', 'all', 'distinct', 'any',
  'some', 'except', 'intersect', 'minus', 'set', 'limit', 'offset', 'join', 'with', 'into', 'table', 'view', 'cluster', 'sets', 'cube', 'rollup',
  'filter', 'interval', 'unnest', 'row', 'array', 'return', 'sorted_by', 'partitioning', 'grants', 'copy', 'to', 'do', 'matched', 'insert', 'update', 'delete']);
/** Type names that take parentheses (`varchar(10)`, `decimal(18, 2)`, `timestamp(6)`, `array(varchar)`, `row(...)`). */
const TYPES = new Set(['varchar', 'char', 'decimal', 'numeric', 'number', 'timestamp', 'time', 'array', 'row', 'map', 'varbinary', 'timestamp_ntz', 'timestamp_tz', 'timestamp_ltz', 'float', 'double', 'string', 'binary', 'object', 'vector']);

/** One call of a function the engine lacks. */
export interface UnknownFunction {
  readonly name: string;
  /** Character offset of the call in the SQL. */
  readonly offset: number;
}

/**
 * The calls in `sql` of functions not in the engine's list (nor in `extra`, e.g. a project's UDF names
 * that Weir evaluates client-side before the SQL reaches the engine).
 */
export function unknownFunctions(engine: GrammarEngine, sql: string, extra: ReadonlySet<string> = new Set()): UnknownFunction[] {
  const known = engineFunctions(engine);
  const toks = tokenizeSql(sql, { backslashEscapes: engine === 'snowflake' }).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const out: UnknownFunction[] = [];
  const lower = (t: SqlToken | undefined) => (t && t.kind === 'word' ? t.text.toLowerCase() : undefined);
  for (let i = 0; i < toks.length - 1; i++) {
    const t = toks[i];
    if (t.kind !== 'word' || toks[i + 1].text !== '(') continue;
    const name = t.text.toLowerCase();
    const prev = toks[i - 1];
    if (prev && prev.text === '.') continue; // qualified: a relation (`schema.t (cols)`) or a schema-qualified UDF
    const p = lower(prev);
    if (p && NOT_CALL_AFTER.has(p)) continue;
    if (TYPES.has(name) && (p === 'as' || prev?.text === '(' || prev?.text === ',' || p === 'array' || p === 'row' || p === 'map')) {
      if (p === 'as' || isInsideTypeContext(toks, i)) continue;
    }
    // CTE head or alias with a column list: `name (a, b) as (`
    const close = matchingParen(toks, i + 1);
    // A parameterized type (`decimal(18, 2)`, `varchar(10)`, `timestamp(6)`), e.g. in a column definition.
    if (TYPES.has(name) && close > i + 2 && toks.slice(i + 2, close).every((x) => x.kind === 'number' || x.text === ',')) continue;
    if (close > 0 && lower(toks[close + 1]) === 'as' && toks[close + 2]?.text === '(') continue;
    if (SYNTAX.has(name) || known.has(name) || extra.has(name)) continue;
    out.push({ name, offset: t.start });
  }
  return out;
}

function matchingParen(toks: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let j = open; j < toks.length; j++) {
    if (toks[j].text === '(') depth++;
    else if (toks[j].text === ')' && --depth === 0) return j;
  }
  return -1;
}

/** Whether the word at `i` sits inside `cast(... as <type>)` or a nested type (`array(row(a varchar))`). */
function isInsideTypeContext(toks: readonly SqlToken[], i: number): boolean {
  let depth = 0;
  for (let j = i - 1; j >= 0; j--) {
    const x = toks[j].text.toLowerCase();
    if (x === ')') depth++;
    else if (x === '(') {
      if (depth === 0) {
        const w = toks[j - 1]?.text.toLowerCase();
        return w !== undefined && TYPES.has(w);
      }
      depth--;
    } else if (depth === 0 && x === 'as') return true;
  }
  return false;
}
