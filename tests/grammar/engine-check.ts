/**
 * TEST INFRASTRUCTURE. The check the protocol servers (tests/servers) and the grammar tests apply to every
 * statement: it must parse under the engine's grammar ({@link grammarErrors}) and call only functions the
 * engine documents ({@link unknownFunctions}), so SQL that only DuckDB (which executes it behind the
 * servers) understands fails the suite.
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
  const syntax = grammarErrors(engine, sql);
  if (syntax.length) return { kind: 'syntax', message: `${syntax[0].message} (${engine} grammar)`, line: syntax[0].line, column: syntax[0].column };
  const fn = unknownFunctions(engine, sql, extraFunctions)[0];
  if (fn) {
    const before = sql.slice(0, fn.offset).split('\n');
    return { kind: 'function', name: fn.name, message: `Function '${fn.name}' not registered (not a ${engine} built-in function)`, line: before.length, column: before[before.length - 1].length + 1 };
  }
  return undefined;
}
