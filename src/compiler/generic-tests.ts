/**
 * SQL of the built-in generic tests. Each returns a query whose rows are failures, as in dbt
 * (https://docs.getdbt.com/reference/resource-properties/data-tests): zero rows means the test passes.
 */
import type { Dialect } from '../adapters/adapter.js';
import type { GenericTestSpec } from '../manifest/types.js';

/**
 * Builds the failing-rows query of a generic test.
 * @param spec the test (name, kwargs, column)
 * @param model SQL of the tested relation (already wrapped with the test's `where` filter if any)
 * @param toRelation for `relationships`, the rendered parent relation
 * @param dialect quoting rules
 * @throws Error for an unsupported test name (the parse phase rejects those first)
 */
export function genericTestSql(spec: GenericTestSpec, model: string, dialect: Dialect, toRelation?: string): string {
  const col = columnSql(spec.column_name ?? '', dialect);
  switch (spec.name) {
    case 'not_null':
      return `select *\nfrom ${model} as weir_model\nwhere ${col} is null`;
    case 'unique':
      return `select ${col} as unique_field, count(*) as n_records\nfrom ${model} as weir_model\nwhere ${col} is not null\ngroup by ${col}\nhaving count(*) > 1`;
    case 'accepted_values': {
      const values = spec.kwargs.values as unknown[];
      const quote = spec.kwargs.quote !== false;
      const list = values.map((v) => (quote ? dialect.literal(String(v)) : String(v))).join(', ');
      return `select ${col} as value_field, count(*) as n_records\nfrom ${model} as weir_model\nwhere ${col} is not null and ${col} not in (${list})\ngroup by ${col}`;
    }
    case 'relationships': {
      const field = columnSql(String(spec.kwargs.field), dialect);
      return `select child.${col} as from_field\nfrom ${model} as child\nleft join ${toRelation} as parent on child.${col} = parent.${field}\nwhere child.${col} is not null and parent.${field} is null`;
    }
    default:
      throw new Error(`unsupported generic test ${String(spec.name)}`);
  }
}

/**
 * A column name becomes a (quoted when needed) column reference; anything else — e.g.
 * `column_name: "campaign_id || '|' || day"` on a model-level test — is an SQL expression, used as is (dbt
 * does the same).
 */
export function columnSql(name: string, dialect: Dialect): string {
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? dialect.columnRef(name) : name;
}
