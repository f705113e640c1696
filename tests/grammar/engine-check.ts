/**
 * TEST INFRASTRUCTURE. The check the protocol servers (tests/servers) and the grammar tests apply to every
 * statement: it must parse under the engine's grammar ({@link grammarErrors}) and call only functions the
 * engine documents ({@link unknownFunctions}), so SQL that only DuckDB (which executes it behind the
 * servers) understands fails the suite. A multi-row INSERT ... VALUES is checked on its first 50 rows
 * (the rest are written by the same literal writer); results are cached per statement text.
 */
import { grammarErrors, loadGrammars, type GrammarEngine } from './engine-grammars.js';
import { unknownFunctions } from './function-check.js';

export { loadGrammars, type GrammarEngine };

/** Why a statement is not valid for the engine. */
export interface EngineSqlProblem {
  /** `syntax`: the grammar rejects it; `function`: it calls a function the engine does not have. */
  readonly kind: 'syntax' | 'function';
  readonly message: string;
  /** For `function`: the unknown name (lower case). */
  readonly name?: string;
  /** 1-based position of the problem, when known. */
  readonly line?: number;
  readonly column?: number;
}

/**
 * Checks one SQL text (one or more statements) for an engine.
 * @param extraFunctions names the engine knows besides its built-ins (UDFs created on it)
 * @returns the first problem, or undefined when the SQL is valid as far as grammar and function lists tell
 */
export function checkEngineSql(engine: GrammarEngine, sql: string, extraFunctions: ReadonlySet<string> = new Set()): EngineSqlProblem | undefined {
  sql = firstValuesRows(sql, 50, engine === 'snowflake');
  const key = `${engine}\u0000${[...extraFunctions].sort().join(',')}\u0000${sql}`;
  if (cache.has(key)) return cache.get(key);
  const problem = check(engine, sql, extraFunctions);
  if (cache.size > 5000) cache.clear();
  cache.set(key, problem);
  return problem;
}

const cache = new Map<string, EngineSqlProblem | undefined>();

/**
 * A multi-row `INSERT ... VALUES (...), (...), ...` (seed batches, UDF lookup tables: thousands of rows Weir
 * writes with one literal writer) cut to its first `keep` rows, so the ANTLR parse stays fast; every other
 * statement is returned unchanged.
 */
function firstValuesRows(sql: string, keep: number, backslashEscapes: boolean): string {
  const m = /^\s*insert\s+into\s[^;]*?\bvalues\s*\(/is.exec(sql);
  if (!m || sql.length < 20_000) return sql;
  let depth = 0;
  let rows = 0;
  for (let i = m[0].length - 1; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'") {
      // skip a string literal ('' is an escaped quote; a backslash escapes on Snowflake — both stay inside)
      for (i++; i < sql.length; i++) {
        if (backslashEscapes && sql[i] === '\\') i++;
        else if (sql[i] === "'") {
          if (sql[i + 1] === "'") i++;
          else break;
        }
      }
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0 && ++rows === keep) return sql.slice(0, i + 1);
  }
  return sql;
}

function check(engine: GrammarEngine, sql: string, extraFunctions: ReadonlySet<string>): EngineSqlProblem | undefined {
  const syntax = grammarErrors(engine, sql);
  if (syntax.length) return { kind: 'syntax', message: `${syntax[0].message} (${engine} grammar)`, line: syntax[0].line, column: syntax[0].column };
  const fn = unknownFunctions(engine, sql, extraFunctions)[0];
  if (fn) {
    const before = sql.slice(0, fn.offset).split('\n');
    return { kind: 'function', name: fn.name, message: `Function '${fn.name}' not registered (not a ${engine} built-in function)`, line: before.length, column: before[before.length - 1].length + 1 };
  }
  return undefined;
}
