/**
 * Unit tests (dbt 1.8's `unit_tests:`, https://docs.getdbt.com/docs/build/unit-tests): the parse-phase
 * checks that turn a YAML entry into a test node, and the SQL of a run — the tested model rendered with
 * each input (`ref`, `source`, `this`) replaced by an inline relation of the given rows. The inline
 * relation is `select cast(v as type) as col, ... union all select ...`, which every engine accepts; column
 * types come from the real upstream relation when it exists in the warehouse, else from the upstream's YAML
 * `data_type`, else from the values. Columns the rows don't give are NULL of their type.
 */
import type { Dialect } from '../adapters/adapter.js';
import { WeirError } from '../errors/weir-error.js';
import type { UnitTestPatch } from '../loader/unit-test-yaml.js';
import { uniqueId } from '../manifest/manifest.js';
import type { GraphNode, ModelNode, NodeConfig, TestNode, UnitTestInput } from '../manifest/types.js';
import { closest } from './environment.js';
import { injectCtes } from './ctes.js';

/** What {@link unitTestNode} needs from the parse phase. */
export interface UnitTestParseContext {
  readonly project: string;
  readonly nodes: ReadonlyMap<string, GraphNode>;
  /** ref name → unique_id. */
  readonly refIndex: ReadonlyMap<string, string>;
  /** `source.table` → unique_id. */
  readonly sourceIndex: ReadonlyMap<string, string>;
  /** Names of disabled models (their unit tests are dropped silently, as in dbt). */
  readonly disabled: ReadonlySet<string>;
  /** Whether a name is a helper (for `overrides.macros`). */
  isHelper(name: string): boolean;
  /** Builds the node config (folder config is not applied to unit tests). */
  finishConfig(raw: Record<string, unknown>): NodeConfig;
}

/**
 * Turns a `unit_tests:` entry into a test node (`test_type: 'unit'`, unique_id
 * `unit_test.<project>.<model>.<name>`), depending on the tested model.
 * @param errors receives `WEIR_SCHEMA_YAML_INVALID` errors naming the YAML file and line: unknown model, an
 *   input that is not a ref/source of the model, a ref/source of the model without an input, an unknown
 *   macro in `overrides.macros`
 * @returns the node, or undefined when invalid or disabled
 */
export function unitTestNode(p: UnitTestPatch, ctx: UnitTestParseContext, errors: WeirError[]): TestNode | undefined {
  const at = (line: number | undefined) => ({ file: p.file, line });
  const modelUid = ctx.refIndex.get(p.model);
  const model = modelUid ? ctx.nodes.get(modelUid) : undefined;
  if (!model || model.resource_type !== 'model') {
    if (ctx.disabled.has(p.model)) return undefined;
    const models = [...ctx.nodes.values()].filter((n) => n.resource_type === 'model').map((n) => n.name);
    const s = closest(p.model, models);
    errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', model
      ? `unit test '${p.name}' tests '${p.model}', which is a ${model.resource_type}, not a model`
      : `unit test '${p.name}' tests unknown model '${p.model}'`, {
      location: at(p.modelLine ?? p.line), hint: s ? `Did you mean '${s}'?` : 'model: is the name of a .sql file in model-paths.',
    }));
    return undefined;
  }
  const before = errors.length;
  const refs = new Set(model.deps.refs.map((r) => r.name));
  const sources = new Set(model.deps.sources.map((s) => `${s.source}.${s.table}`));
  const given: UnitTestInput[] = [];
  const covered = new Set<string>();
  for (const g of p.given) {
    let node: string | undefined;
    if (g.ref.kind === 'ref') {
      if (!refs.has(g.ref.name)) {
        const s = closest(g.ref.name, refs);
        errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `unit test '${p.name}': input ${g.input} is not a ref of model '${model.name}'`, {
          location: at(g.line), hint: `${s ? `Did you mean ref('${s}')? ` : ''}Model '${model.name}' reads: ${describeInputs(model) || 'no refs or sources'}.`,
        }));
        continue;
      }
      node = ctx.refIndex.get(g.ref.name);
      covered.add(`ref:${g.ref.name}`);
    } else if (g.ref.kind === 'source') {
      const key = `${g.ref.source}.${g.ref.table}`;
      if (!sources.has(key)) {
        const s = closest(key, sources);
        errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `unit test '${p.name}': input ${g.input} is not a source of model '${model.name}'`, {
          location: at(g.line), hint: `${s ? `Did you mean source('${s.replace('.', "', '")}')? ` : ''}Model '${model.name}' reads: ${describeInputs(model) || 'no refs or sources'}.`,
        }));
        continue;
      }
      node = ctx.sourceIndex.get(key);
      covered.add(`source:${key}`);
    } else node = model.unique_id;
    if (!node) continue; // an unresolved ref of the model itself is reported by the parse phase
    given.push({ input: g.input, node, kind: g.ref.kind, format: g.format, rows: g.rows, columns: g.columns, sql: g.sql, line: g.line });
  }
  const missing = [...[...refs].filter((r) => !covered.has(`ref:${r}`)).map((r) => `ref('${r}')`),
    ...[...sources].filter((s) => !covered.has(`source:${s}`)).map((s) => `source('${s.replace('.', "', '")}')`)];
  if (missing.length) {
    errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `unit test '${p.name}' gives no rows for ${missing.join(', ')} (model '${model.name}' reads ${missing.length === 1 ? 'it' : 'them'})`, {
      location: at(p.line),
      hint: `Add each under given:, e.g. - input: ${missing[0]}\n        rows: []  (unit tests never read real tables)`,
    }));
  }
  for (const name of Object.keys(p.overrides.macros)) {
    if (!ctx.isHelper(name)) {
      errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `unit test '${p.name}': overrides.macros names unknown helper '${name}'`, {
        location: at(p.line), hint: 'overrides.macros replaces helpers (built-in or from macros/*.ts) by a fixed value, e.g. is_incremental: true.',
      }));
    }
  }
  if (p.expect.format !== 'sql' && p.expect.rows.length > 0 && p.expect.columns.length === 0) {
    errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `unit test '${p.name}': expected rows name no columns`, { location: at(p.expect.line ?? p.line) }));
  }
  if (errors.length > before) return undefined;
  const config = ctx.finishConfig({ materialized: 'test', severity: 'error', ...p.config, tags: [...new Set([...model.tags, ...asTags(p.config.tags)])] });
  if (!config.enabled) return undefined;
  return {
    resource_type: 'test', unique_id: uniqueId('unit_test', ctx.project, model.name, p.name), name: p.name, package_name: ctx.project,
    fqn: [ctx.project, ...model.fqn.slice(1), p.name], path: p.file, description: p.description, config, tags: config.tags, columns: {},
    meta: (config.meta as Record<string, unknown> | undefined) ?? {}, test_type: 'unit', raw_code: '',
    deps: { refs: [{ name: model.name, line: p.modelLine }], sources: [], macros: [], config: {} },
    unit: { model: model.unique_id, given, expect: p.expect, overrides: p.overrides },
  };
}

const asTags = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

function describeInputs(model: ModelNode): string {
  return [...new Set([...model.deps.refs.map((r) => `ref('${r.name}')`), ...model.deps.sources.map((s) => `source('${s.source}', '${s.table}')`)])].join(', ');
}

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
