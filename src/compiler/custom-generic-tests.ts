/**
 * Custom generic tests: a test named `X` in schema YAML that is not built in is the Handlebars partial
 * `test_X` — a file `tests/generic/X.sql` (each file one test, as dbt's `tests/generic/`) or a macro
 * `macros/test_X.sql`. It renders to a query returning the failing rows, with these variables:
 * `model` (the tested relation, already filtered by the test's `where`), `column_name` (the column, quoted
 * when needed; absent for model-level tests without one) and every argument of the YAML entry
 * (`ref('m')` / `source('s', 't')` arguments become relations and dependencies). The parse phase finds the
 * partial and records the arguments (parser/custom-generic-tests.ts); here what rendering needs of them.
 */

/** A relation argument, resolved at render time. */
export type RelationArg = { readonly kind: 'ref'; readonly name: string } | { readonly kind: 'source'; readonly source: string; readonly table: string };

/** Whether a value is a {@link RelationArg}. */
export function isRelationArg(v: unknown): v is RelationArg {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && ((v as RelationArg).kind === 'ref' || (v as RelationArg).kind === 'source')
    && Object.keys(v).every((k) => ['kind', 'name', 'source', 'table'].includes(k));
}
