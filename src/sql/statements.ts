/**
 * Splitting SQL text into statements at top-level `;` (outside strings, quoted names, comments and
 * dollar-quoting), with each statement's offsets and first line.
 */
import { tokenizeSql, type TokenizeOptions } from './tokenize.js';

/** One statement of a SQL text: its text (without the `;`), offsets and 1-based first line. */
export interface SqlStatement {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

/**
 * Splits SQL at top-level `;` (outside strings, quoted names and comments). Pieces that hold only
 * whitespace and comments are dropped.
 */
export function splitStatements(sql: string, options: TokenizeOptions = {}): SqlStatement[] {
  const out: SqlStatement[] = [];
  let start = 0;
  let meaningful = false;
  let firstMeaningful = 0;
  const close = (end: number) => {
    if (meaningful) {
      const text = sql.slice(start, end);
      out.push({ text, start, end, line: sql.slice(0, firstMeaningful).split(/\r\n|\r|\n/).length });
    }
    meaningful = false;
  };
  for (const t of tokenizeSql(sql, options)) {
    if (t.kind === 'punct' && t.text === ';') {
      close(t.start);
      start = t.end;
    } else if (t.kind !== 'space' && t.kind !== 'comment') {
      if (!meaningful) firstMeaningful = t.start;
      meaningful = true;
    }
  }
  close(sql.length);
  return out;
}
