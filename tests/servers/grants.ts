/**
 * GRANT statements in the protocol test servers (test infrastructure): DuckDB has no privileges, so the
 * servers answer a GRANT by checking that its relation exists.
 */

/**
 * The relation of a `GRANT ... ON [TABLE|VIEW] <relation> TO ...` statement, or undefined for other SQL.
 * Test servers answer GRANTs by checking that the relation exists (DuckDB has no privileges).
 */
export function grantTarget(sql: string): string | undefined {
  return /^\s*grant\s+[a-z_ ]+?\s+on\s+(?:table\s+|view\s+)?((?:"(?:[^"]|"")*"|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[\w$]+))*)\s+to\s+/is.exec(sql)?.[1];
}
