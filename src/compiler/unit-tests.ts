/**
 * Unit tests (dbt 1.8's `unit_tests:`, https://docs.getdbt.com/docs/build/unit-tests): the SQL of a run
 * (the YAML entry became a test node in the parse phase, parser/unit-tests.ts) — the tested model rendered with
 * each input (`ref`, `source`, `this`) replaced by an inline relation of the given rows. The inline
 * relation is `select cast(v as type) as col, ... union all select ...`, which every engine accepts; column
 * types come from the real upstream relation when it exists in the warehouse, else from the upstream's YAML
 * `data_type`, else from the values. Columns the rows don't give are NULL of their type.
 */
import type { Dialect } from '../adapters/adapter.js';
import { WeirError } from '../errors/weir-error.js';
import type { GraphNode, TestNode, UnitTestInput } from '../manifest/types.js';
import { injectCtes } from './ctes.js';

/** A column of an inline relation; `type` undefined means "infer from the values". */
export interface FixtureColumn {
  readonly name: string;
  readonly type?: string;
}

const INT = /^[-+]?\d+$/;
const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * The SQL type of a column from its values (nulls ignored): all booleans → `boolean`, integers → the
 * dialect's int, other numbers → its float, ISO dates (`2024-01-31`) → `date`, ISO timestamps → its
 * timestamp, anything else (or no values) → its string. CSV values are strings; with `fromText` numbers and
 * booleans written as text count as such.
 */
export function inferColumnType(values: readonly unknown[], dialect: Dialect, fromText = false): string {
  const t = dialect.fn.types;
  const vs = values.filter((v) => v !== null && v !== undefined);
  if (vs.length === 0) return t.string;
  const all = (f: (v: unknown) => boolean) => vs.every(f);
  if (all((v) => typeof v === 'boolean' || (fromText && typeof v === 'string' && /^(true|false)$/i.test(v)))) return 'boolean';
  if (all((v) => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)) || (fromText && typeof v === 'string' && INT.test(v)))) return t.int;
  if (all((v) => typeof v === 'number' || typeof v === 'bigint' || (fromText && typeof v === 'string' && FLOAT.test(v)))) return t.float;
  if (all((v) => typeof v === 'string' && DATE.test(v))) return 'date';
  if (all((v) => typeof v === 'string' && TIMESTAMP.test(v))) return t.timestamp;
  return t.string;
}

/**
 * An inline relation of rows: `select cast(v as type) as col, ... union all ...`; with no rows, one row of
 * typed NULLs filtered by `where 1 = 0`. Values are rendered with the dialect's `literal` (never spliced),
 * columns with its `columnRef`.
 * @param rows mappings of column → value; a column a row lacks is NULL (matched case-insensitively)
 * @param columns the relation's columns; untyped ones are inferred with {@link inferColumnType}
 * @param fromText the values are CSV text (numbers and booleans written as text are inferred as such)
 * @throws WeirError `WEIR_SCHEMA_YAML_INVALID` for a value the dialect can't write as a literal
 */
export function fixtureSql(rows: readonly Readonly<Record<string, unknown>>[], columns: readonly FixtureColumn[], dialect: Dialect, fromText = false): string {
  const lookup = rows.map((r) => {
    const m = new Map<string, unknown>();
    for (const [k, v] of Object.entries(r)) m.set(k.toLowerCase(), v);
    return m;
  });
  const typed = columns.map((c) => ({
    name: c.name,
    type: c.type ?? inferColumnType(lookup.map((m) => m.get(c.name.toLowerCase())), dialect, fromText),
  }));
  if (typed.length === 0) {
    throw new WeirError('WEIR_SCHEMA_YAML_INVALID', 'no columns known: the rows name none and the upstream relation is neither built nor documented with columns', {
      hint: 'Give the columns the model reads in at least one row (e.g. rows: [{id: 1}]), or document them under columns: in the upstream\'s YAML.',
    });
  }
  const lit = (v: unknown) => {
    if (v === null || v === undefined) return 'NULL';
    if (typeof v === 'bigint') return v.toString();
    try {
      return dialect.literal(v instanceof Date ? v.toISOString().replace('T', ' ').replace('Z', '') : v);
    } catch (e) {
      throw new WeirError('WEIR_SCHEMA_YAML_INVALID', `cannot write value ${JSON.stringify(v)} in SQL: ${(e as Error).message}`);
    }
  };
  const select = (m: Map<string, unknown> | undefined) =>
    `select ${typed.map((c) => `cast(${lit(m?.get(c.name.toLowerCase()))} as ${c.type}) as ${dialect.columnRef(c.name)}`).join(', ')}`;
  if (lookup.length === 0) return `${select(undefined)} where 1 = 0`;
  return lookup.map(select).join('\nunion all\n');
}

/** The CTE name an input of a unit test is inlined under. */
export function fixtureName(input: UnitTestInput, dialect: Dialect): string {
  const base = input.input.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return dialect.quoteIdentifier(`__weir_unit__${base}`);
}

/**
 * The columns of an input: the real relation's (when `warehouse` lists any), else the upstream node's YAML
 * columns, plus any column the rows give that neither names (typed from the values).
 * @param warehouse columns of the real upstream relation, `[]` when it does not exist (a column without a
 *   type is typed from the values)
 */
export function fixtureColumns(input: UnitTestInput, upstream: GraphNode | undefined, warehouse: readonly { name: string; type?: string }[]): FixtureColumn[] {
  const out: FixtureColumn[] = [];
  const have = new Set<string>();
  const givenName = new Map(input.columns.map((c) => [c.toLowerCase(), c]));
  const add = (name: string, type?: string) => {
    const k = name.toLowerCase();
    if (have.has(k)) return;
    have.add(k);
    out.push({ name: givenName.get(k) ?? name, type });
  };
  if (warehouse.length) for (const c of warehouse) add(c.name, c.type);
  else if (upstream) for (const c of Object.values(upstream.columns)) add(c.name, c.data_type);
  for (const c of input.columns) add(c);
  return out;
}

/** Input CTE names by input key, remembering which ones the rendered model asked for. */
class UsedNames extends Map<string, string> {
  readonly used = new Set<string>();
  override get(key: string): string | undefined {
    const v = super.get(key);
    if (v !== undefined) this.used.add(key);
    return v;
  }
}

/** The SQL of one unit test. */
export interface UnitTestSql {
  /** The model's query over the inline inputs. */
  readonly sql: string;
  /** `expect` with `format: sql`: the expected rows' query. */
  readonly expectSql?: string;
}

/**
 * Builds a unit test's query: the model rendered by `renderModel` (given the CTE name each input's
 * ref/source/`this` must resolve to) with the inline relations prepended as CTEs.
 * @param columnsOf the columns of each input (see {@link fixtureColumns})
 * @param strict false for `weir compile` (no warehouse introspected): an input with no known columns gets a
 *   placeholder relation instead of an error
 * @throws WeirError from rendering the model (its file and line), or for an unwritable value (the YAML file)
 */
export function unitTestSql(
  node: TestNode, dialect: Dialect,
  renderModel: (inputs: ReadonlyMap<string, string>) => string,
  columnsOf: (input: UnitTestInput) => FixtureColumn[],
  strict = true,
): UnitTestSql {
  const spec = node.unit!;
  const names = new UsedNames();
  for (const g of spec.given) names.set(g.kind === 'this' ? 'this' : g.node, fixtureName(g, dialect));
  // Render first: only the inputs the rendered model reads become CTEs (e.g. `this` outside an incremental run).
  const body = renderModel(names);
  const ctes: { name: string; sql: string }[] = [];
  for (const g of spec.given) {
    const key = g.kind === 'this' ? 'this' : g.node;
    if (!names.used.has(key)) continue;
    const name = names.get(key)!;
    let sql: string;
    const cols = g.format === 'sql' ? [] : columnsOf(g);
    try {
      sql = g.format === 'sql' ? g.sql! : cols.length === 0 && !strict ? `select null as ${dialect.columnRef('__weir_unknown_columns')} where 1 = 0` : fixtureSql(g.rows, cols, dialect, g.format === 'csv');
    } catch (e) {
      if (e instanceof WeirError) throw new WeirError(e.code, `unit test '${node.name}', input ${g.input}: ${e.message}`, { location: { file: node.path, line: g.line, nodeId: node.unique_id }, hint: e.hint });
      throw e;
    }
    ctes.push({ name, sql });
  }
  return {
    sql: ctes.length ? injectCtes(body, ctes) : body,
    expectSql: spec.expect.format === 'sql' ? spec.expect.sql : undefined,
  };
}
