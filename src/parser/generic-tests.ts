/**
 * Generic data tests (dbt's parser/generic_test.py): the `tests:` / `data_tests:` entries of models, seeds,
 * sources and their columns in schema YAML become test nodes — the built-in ones (not_null, unique,
 * accepted_values, relationships) and custom ones (compiler/custom-generic-tests.ts: the partial
 * `test_<name>` rendered with the entry's arguments). Config precedence as dbt's: the entry's config, then
 * the definition's `{{config}}`, then project.yaml `data_tests:` for the YAML file's folders.
 */
import { createHash } from 'node:crypto';
import { WeirError } from '../errors/weir-error.js';
import { closest } from '../utils/closest.js';
import { collectFacts, parseTemplate } from '../compiler/template.js';
import { checkTestConfig, checkTestConfigTree } from './configs/data-test.js';
import { customTestArgs, customTestMacro, customTestNames } from './custom-generic-tests.js';
import { mergeConfig } from '../loader/folder-config.js';
import type { ColumnPatch, TestSpec } from '../loader/schema-yaml.js';
import { projectTestConfig, resourceFolders, testConfigKey, testConfigTree } from '../loader/test-config-tree.js';
import { uniqueId } from '../manifest/manifest.js';
import type { GenericTestName, GraphNode, NodeConfig, RefCall, SourceCall, SourceNode } from '../manifest/types.js';
import { finishConfig, type ParseContext } from './parse-context.js';
import { closure, resolveConfig } from './templates.js';

const GENERIC_TESTS: readonly GenericTestName[] = ['not_null', 'unique', 'accepted_values', 'relationships'];

/** Adds the generic test nodes of every documented model, seed and source table (after those are parsed). */
export function parseGenericTests(ctx: ParseContext): void {
  const { files, project, errors, nodes, refIndex, patches, macroFacts, addTest } = ctx;
  // project.yaml data_tests: (or tests:), checked once per level, applied by the folders of the YAML file.
  const testTreeKey = testConfigKey(files.config);
  if (testTreeKey) checkTestConfigTree(testConfigTree(files.config), testTreeKey, files.configFile, errors);
  const projectLevelByFile = new Map<string, Record<string, unknown>>();
  const projectLevel = (file: string) => {
    let c = projectLevelByFile.get(file);
    if (!c) projectLevelByFile.set(file, (c = projectTestConfig(files.config, resourceFolders(file, files.config))));
    return c;
  };
  const genericFor = (spec: TestSpec, attached: GraphNode, column: string | undefined) => {
    const custom = (GENERIC_TESTS as readonly string[]).includes(spec.name) ? undefined : customTestMacro(spec.name, files.macros);
    if (!(GENERIC_TESTS as readonly string[]).includes(spec.name) && !custom) {
      const known = [...GENERIC_TESTS, ...customTestNames(files.macros)];
      const s = closest(spec.name, known);
      errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `unknown generic test '${spec.name}' on ${attached.name}${column ? `.${column}` : ''}`, {
        location: { file: spec.file, line: spec.line },
        hint: `${s ? `Did you mean '${s}'? ` : ''}Generic tests: ${known.join(', ')}; a custom one is tests/generic/${spec.name}.sql or macros/test_${spec.name}.sql.`,
      }));
      return;
    }
    if (custom) {
      customFor(spec, attached, column, custom);
      return;
    }
    const name = spec.name as GenericTestName;
    const kwargs: Record<string, unknown> = { ...spec.kwargs };
    const refs: RefCall[] = attached.resource_type === 'source' ? [] : [{ name: attached.name }];
    const sources: SourceCall[] = attached.resource_type === 'source' ? [{ source: (attached as SourceNode).source_name, table: attached.name }] : [];
    const colName = column ?? (typeof kwargs.column_name === 'string' ? kwargs.column_name : undefined);
    if (!colName) {
      errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `test '${name}' on ${attached.name} needs a column: put it under columns: or give column_name`, { location: { file: spec.file, line: spec.line } }));
      return;
    }
    if (name === 'accepted_values' && (!Array.isArray(kwargs.values) || kwargs.values.length === 0)) {
      errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `accepted_values on ${attached.name}.${colName} needs a non-empty list: values: [a, b]`, { location: { file: spec.file, line: spec.line } }));
      return;
    }
    if (name === 'relationships') {
      const to = parseRelationArg(kwargs.to);
      if (!to || typeof kwargs.field !== 'string') {
        errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `relationships on ${attached.name}.${colName} needs to: ref('model') (or source('src', 'table')) and field: column`, { location: { file: spec.file, line: spec.line } }));
        return;
      }
      if (to.kind === 'ref') refs.push({ name: to.name, line: spec.line });
      else sources.push({ source: to.source, table: to.table, line: spec.line });
      kwargs.to = to;
    }
    const base = `${name}_${attached.resource_type === 'source' ? `source_${(attached as SourceNode).source_name}_` : ''}${attached.name}_${colName}`
      .replace(/[^A-Za-z0-9_]+/g, '_').replace(/_+$/, '');
    const hash = createHash('sha1').update(JSON.stringify([colName, spec.kwargs])).digest('hex').slice(0, 6);
    // Plain column tests keep readable names; tests with arguments or expressions get a short hash (and
    // long names are cut), so names stay unique and file-system safe.
    const plain = (name === 'not_null' || name === 'unique') && /^[A-Za-z_][A-Za-z0-9_]*$/.test(colName);
    const testName = plain && base.length <= 80 ? base : `${base.slice(0, 60).replace(/_+$/, '')}_${hash}`;
    // Precedence as dbt: the test's YAML config > project.yaml data_tests: for the YAML file's folders.
    const config = finishConfig(mergeConfig({ materialized: 'test', severity: 'error' }, projectLevel(spec.file), { tags: attached.tags }, spec.config), 'test');
    if (!config.enabled) return;
    checkTestConfig(spec.config as NodeConfig, { file: spec.file, line: spec.line, what: `test ${testName}` }, errors);
    addTest({
      resource_type: 'test', unique_id: uniqueId('test', project, testName), name: testName, package_name: project,
      fqn: [project, ...attached.fqn.slice(1, -1), testName], path: spec.file, description: '', config, tags: config.tags, columns: {}, meta: {},
      test_type: 'generic', generic: { name, kwargs, attached_node: attached.unique_id, column_name: colName }, raw_code: '',
      deps: { refs, sources, macros: [], config: {} },
    });
  };
  /** A custom generic test (compiler/custom-generic-tests.ts): the partial `macro` rendered with the arguments. */
  const customFor = (spec: TestSpec, attached: GraphNode, column: string | undefined, macro: string) => {
    const args = customTestArgs(spec.kwargs, spec.line);
    const colName = column ?? (typeof spec.kwargs.column_name === 'string' ? spec.kwargs.column_name : undefined);
    const raw = `{{> ${macro}}}`;
    const local: WeirError[] = [];
    const deps = closure(ctx, collectFacts(parseTemplate(raw, spec.file), spec.file, local), spec.file);
    errors.push(...local);
    const refs: RefCall[] = [...(attached.resource_type === 'source' ? [] : [{ name: attached.name }]), ...args.refs, ...deps.refs];
    const sources: SourceCall[] = [...(attached.resource_type === 'source' ? [{ source: (attached as SourceNode).source_name, table: attached.name }] : []), ...args.sources, ...deps.sources];
    const base = `${spec.name}_${attached.resource_type === 'source' ? `source_${(attached as SourceNode).source_name}_` : ''}${attached.name}${colName ? `_${colName}` : ''}`
      .replace(/[^A-Za-z0-9_]+/g, '_').replace(/_+$/, '');
    const hash = createHash('sha1').update(JSON.stringify([colName, spec.kwargs])).digest('hex').slice(0, 6);
    const testName = `${base.slice(0, 60).replace(/_+$/, '')}_${hash}`;
    // The test's YAML config > the definition's {{config}} > project.yaml data_tests: (as dbt).
    const mf = macroFacts.get(macro);
    const definition = mf ? resolveConfig(ctx, mf.config, mf.configLines, spec.file) : {};
    const config = finishConfig(mergeConfig({ materialized: 'test', severity: 'error' }, projectLevel(spec.file), definition, { tags: attached.tags }, spec.config), 'test');
    if (!config.enabled) return;
    checkTestConfig(mergeConfig(definition, spec.config) as NodeConfig, { file: spec.file, line: spec.line, what: `test ${testName}` }, errors);
    addTest({
      resource_type: 'test', unique_id: uniqueId('test', project, testName), name: testName, package_name: project,
      fqn: [project, ...attached.fqn.slice(1, -1), testName], path: spec.file, description: '', config, tags: config.tags, columns: {}, meta: {},
      test_type: 'generic', generic: { name: spec.name, kwargs: args.kwargs, attached_node: attached.unique_id, column_name: colName, macro }, raw_code: raw,
      deps: { refs, sources, macros: deps.macros, config: {} },
    });
  };
  const testsFor = (attached: GraphNode, modelTests: readonly TestSpec[], columns: readonly ColumnPatch[]) => {
    for (const t of modelTests) genericFor(t, attached, undefined);
    for (const c of columns) for (const t of c.tests) genericFor(t, attached, c.name);
  };
  for (const kind of ['models', 'seeds'] as const) {
    for (const [name, p] of patches[kind]) {
      const uid = refIndex.get(name);
      if (uid) testsFor(nodes.get(uid)!, p.tests, p.columns);
    }
  }
  for (const sf of files.schemaFiles) {
    for (const s of sf.sources) for (const t of s.tables) {
      const n = nodes.get(uniqueId('source', project, s.name, t.name));
      if (n) testsFor(n, t.tests, t.columns);
    }
  }
}

/** Parses `ref('x')`, `ref("x")`, `x`, `source('a', 'b')` as written in YAML test arguments. */
export function parseRelationArg(v: unknown): { kind: 'ref'; name: string } | { kind: 'source'; source: string; table: string } | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  const ref = /^ref\(\s*['"]([^'"]+)['"]\s*\)$/.exec(s);
  if (ref) return { kind: 'ref', name: ref[1] };
  const src = /^source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)$/.exec(s);
  if (src) return { kind: 'source', source: src[1], table: src[2] };
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) return { kind: 'ref', name: s };
  return undefined;
}
