/**
 * Unit tests (dbt's parser/unit_tests.py, dbt 1.8's `unit_tests:` in schema YAML): given rows for a model's
 * inputs, expected rows for its output (https://docs.getdbt.com/docs/build/unit-tests). Here the checks that
 * turn a YAML entry into a test node; the SQL of a run is built by compiler/unit-tests.ts.
 */
import { WeirError } from '../errors/weir-error.js';
import { closest } from '../utils/closest.js';
import type { UnitTestPatch } from '../loader/unit-test-yaml.js';
import { uniqueId } from '../manifest/manifest.js';
import type { GraphNode, ModelNode, NodeConfig, TestNode, UnitTestInput } from '../manifest/types.js';
import { finishConfig, type ParseContext } from './parse-context.js';

/** Adds a test node per unit test (after models are parsed: a unit test names its model). */
export function parseUnitTests(ctx: ParseContext): void {
  const { files, project, errors, env, nodes, refIndex, sourceIndex, disabled, addTest } = ctx;
  for (const sf of files.schemaFiles) {
    for (const u of sf.unit_tests ?? []) {
      const node = unitTestNode(u, {
        project, nodes, refIndex, sourceIndex, disabled, isHelper: (n) => env.isHelper(n), finishConfig: (raw) => finishConfig(raw, 'test'),
      }, errors);
      if (node && nodes.has(node.unique_id)) {
        errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `unit test '${node.name}' of model '${u.model}' is defined twice (also in ${nodes.get(node.unique_id)!.path})`, {
          location: { file: u.file, line: u.line }, hint: 'Unit test names must be unique per model.',
        }));
      } else if (node) addTest(node);
    }
  }
}

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
