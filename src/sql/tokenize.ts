/**
 * Reading SQL text: a tokenizer that knows string literals (`'it''s'`, backslash escapes where the dialect
 * has them, `E'..'`, `$$..$$`), quoted identifiers, line and block comments, and the parenthesis structure
 * of the significant tokens. Pure text work, no engine: the one way Weir reads SQL text (statements,
 * function calls, SELECT blocks; see the other files of src/sql/).
 */

/** Token kinds. `word`: bare identifier or keyword; `quoted`: "identifier"; `string`: any string literal. */
export type SqlTokenKind = 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'comment' | 'space';

/** One token: kind, text, and its [start, end) character offsets in the SQL. */
export interface SqlToken {
  readonly kind: SqlTokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Tokenizer options. */
export interface TokenizeOptions {
  /** `\` escapes the next character inside '...' (Snowflake, MySQL); false for standard SQL (Trino, DuckDB). */
  readonly backslashEscapes?: boolean;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * Splits SQL into tokens (whitespace and comments included, so the tokens cover the text exactly).
 * Unterminated strings, identifiers and comments run to the end of the text (the engine reports them).
 */
export function tokenizeSql(sql: string, options: TokenizeOptions = {}): SqlToken[] {
  const out: SqlToken[] = [];
  const n = sql.length;
  let i = 0;
  const push = (kind: SqlTokenKind, end: number) => {
    out.push({ kind, text: sql.slice(i, end), start: i, end });
    i = end;
  };
  const quoted = (from: number, q: string, backslash: boolean): number => {
    for (let j = from + 1; j < n; j++) {
      const c = sql[j];
      if (backslash && c === '\\') j++;
      else if (c === q) {
        if (sql[j + 1] === q) j++;
        else return j + 1;
      }
    }
    return n;
  };
  while (i < n) {
    const c = sql[i];
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < n && /\s/.test(sql[j])) j++;
      push('space', j);
    } else if (c === '-' && sql[i + 1] === '-') {
      // A line comment ends at a line feed or a carriage return (as in DuckDB's, Trino's and Snowflake's lexers).
      let j = i + 2;
      while (j < n && sql[j] !== '\n' && sql[j] !== '\r') j++;
      push('comment', j);
    } else if (c === '/' && sql[i + 1] === '*') {
      const j = sql.indexOf('*/', i + 2);
      push('comment', j < 0 ? n : j + 2);
    } else if (c === "'") {
      push('string', quoted(i, "'", !!options.backslashEscapes));
    } else if ((c === 'E' || c === 'e') && sql[i + 1] === "'") {
      push('string', quoted(i + 1, "'", true));
    } else if (c === '"') {
      push('quoted', quoted(i, '"', false));
    } else if (c === '$' && /^\$([A-Za-z_]\w*)?\$/.test(sql.slice(i, i + 64))) {
      const tag = /^\$([A-Za-z_]\w*)?\$/.exec(sql.slice(i, i + 64))![0];
      const j = sql.indexOf(tag, i + tag.length);
      push('string', j < 0 ? n : j + tag.length);
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < n && WORD_PART.test(sql[j])) j++;
      push('word', j);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(sql.slice(i))!;
      push('number', i + m[0].length);
    } else push('punct', i + 1);
  }
  return out;
}

/** The significant tokens of a query with their parenthesis structure. */
export interface SqlStructure {
  readonly sql: string;
  /** Significant tokens (no whitespace or comments). */
  readonly tokens: readonly SqlToken[];
  /** For `(`: index of the matching `)`, and vice versa; -1 elsewhere or when unbalanced. */
  readonly match: readonly number[];
  /** Index of the innermost `(` enclosing each token (-1 at top level). */
  readonly parent: readonly number[];
}

/** Builds the significant-token structure of SQL. */
export function structureOf(sql: string, options: TokenizeOptions = {}): SqlStructure {
  const tokens = tokenizeSql(sql, options).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const match = new Array<number>(tokens.length).fill(-1);
  const parent = new Array<number>(tokens.length).fill(-1);
  const stack: number[] = [];
  tokens.forEach((t, i) => {
    parent[i] = stack.length ? stack[stack.length - 1] : -1;
    if (t.kind !== 'punct') return;
    if (t.text === '(') stack.push(i);
    else if (t.text === ')' && stack.length) {
      const o = stack.pop()!;
      match[o] = i;
      match[i] = o;
      parent[i] = stack.length ? stack[stack.length - 1] : -1;
    }
  });
  return { sql, tokens, match, parent };
}

/** Whether a token is one of the given words (case-insensitive). */
export const isWord = (t: SqlToken | undefined, ...words: string[]) => !!t && t.kind === 'word' && words.includes(t.text.toLowerCase());
/** Whether a token is the punctuation `p`. */
export const isPunct = (t: SqlToken | undefined, p: string) => !!t && t.kind === 'punct' && t.text === p;


/** Lower-case names of the identifiers (bare and quoted) in SQL text. */
export function identifierNames(text: string): string[] {
  return tokenizeSql(text).filter((t) => t.kind === 'word' || t.kind === 'quoted').map(identifierName);
}


/** The lower-case name of an identifier token: a bare word, or a quoted identifier without its quotes (`""` read as `"`). */
export function identifierName(t: SqlToken): string {
  return (t.kind === 'quoted' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text).toLowerCase();
}

/** Tokenizer options for a dialect: backslash escapes when its literal of `\` doubles it (Snowflake). */
export function tokenizeOptionsFor(dialect: { literal(value: string): string }): TokenizeOptions {
  return { backslashEscapes: dialect.literal('\\') !== "'\\'" };
}
