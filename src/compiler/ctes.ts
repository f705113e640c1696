/** Adding common table expressions to a compiled query (ephemeral models, unit-test inputs). */

/**
 * Prepends CTEs to a query. When the query already starts with `WITH` (after comments), the CTEs are
 * merged into its WITH list (keeping `RECURSIVE`); otherwise a new WITH clause is added.
 */
export function injectCtes(sql: string, ctes: readonly { name: string; sql: string }[]): string {
  const list = ctes.map((c) => `${c.name} as (\n${c.sql}\n)`).join(',\n');
  const lead = /^(\s*(?:--[^\n]*\n|\/\*[\s\S]*?\*\/|\s)*)/.exec(sql)?.[1] ?? '';
  const rest = sql.slice(lead.length);
  const w = /^with(\s+recursive)?\s/i.exec(rest);
  if (w) return `${lead}${w[0]}${list},\n${rest.slice(w[0].length)}`;
  return `${lead}with ${list}\n${rest}`;
}
