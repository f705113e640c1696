/**
 * Schema YAML files beside models (`models/**.yml`, `seeds/**.yml`): descriptions, columns, generic tests
 * and sources, in dbt's `version: 2` shape. Parsing collects every problem with file and key path.
 */
import { readFreshness, type FreshnessSpec } from './freshness-spec.js';
import { WeirError } from '../errors/weir-error.js';
import type { ExposureFields } from '../manifest/types.js';
import { formatKeyPath, type YamlFile } from './yaml-file.js';
import { readUnitTests, type UnitTestPatch } from './unit-test-yaml.js';
import { checkConfigKeys, closestKey, TEST_KEYS } from './config-keys.js';

/** One generic test use as written in YAML, before it becomes a test node. */
export interface TestSpec {
  /** Test name, e.g. `not_null` or `accepted_values`. */
  readonly name: string;
  /** Arguments (`values`, `to`, `field`, `quote`, ...). */
  readonly kwargs: Readonly<Record<string, unknown>>;
  /** Test-level config (`severity`, `where`, `tags`, `enabled`, ...). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly file: string;
  readonly line?: number;
}

/** Properties a model or seed entry may have (dbt's model properties Weir implements). */
const NODE_KEYS = ['name', 'description', 'config', 'columns', 'tests', 'data_tests', 'meta', 'docs', 'access', 'group', 'versions', 'latest_version'];
/** dbt properties Weir does not implement, refused instead of ignored. */
const NOT_IMPLEMENTED_PROPERTIES: Readonly<Record<string, string>> = {
  constraints: 'constraints are not created; declare data_type and use contract: {enforced: true}',
  deprecation_date: 'deprecation dates are not implemented', time_spine: 'the semantic layer is not implemented',
  quote: 'column names are quoted when they need it', external: 'sources are relations in the warehouse',
  quoting: 'identifiers are always quoted', overrides: 'packages are not implemented',
};
/** Properties of a column. */
const COLUMN_KEYS = ['name', 'description', 'data_type', 'tags', 'tests', 'data_tests', 'meta', 'docs'];
/** Properties of a source and of a source table. */
const SOURCE_KEYS = ['name', 'description', 'schema', 'database', 'loader', 'tables', 'freshness', 'loaded_at_field', 'meta', 'tags', 'config'];
const SOURCE_TABLE_KEYS = ['name', 'identifier', 'description', 'columns', 'tests', 'data_tests', 'meta', 'tags', 'config', 'freshness', 'loaded_at_field'];
/** Arguments of the built-in generic tests (`column_name` for model-level tests). */
const BUILTIN_TEST_ARGS: Readonly<Record<string, readonly string[]>> = {
  not_null: ['column_name'], unique: ['column_name'], accepted_values: ['column_name', 'values', 'quote'], relationships: ['column_name', 'to', 'field'],
};

/** A documented column. */
export interface ColumnPatch {
  readonly name: string;
  readonly description: string;
  readonly data_type?: string;
  readonly tags: readonly string[];
  readonly tests: readonly TestSpec[];
}

/** A `models:` or `seeds:` entry. */
export interface NodePatch {
  readonly kind: 'models' | 'seeds';
  readonly name: string;
  readonly description: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly columns: readonly ColumnPatch[];
  readonly tests: readonly TestSpec[];
  readonly meta: Readonly<Record<string, unknown>>;
  readonly file: string;
  readonly line?: number;
  /** Line of each `config:` key (for strict config errors that need the materialization). */
  readonly configLines?: Readonly<Record<string, number | undefined>>;
  /** Model versions (`versions: [{v: 1}, {v: 2, defined_in: file_name}]`), each a file `<name>_v<v>.sql` unless `defined_in`. */
  readonly versions?: readonly { readonly v: number; readonly defined_in?: string; readonly line?: number }[];
  /** `latest_version:` (default: the highest `v`). */
  readonly latest_version?: number;
}

/** A `sources:` table. */
export interface SourceTablePatch {
  readonly name: string;
  readonly identifier: string;
  readonly description: string;
  readonly columns: readonly ColumnPatch[];
  readonly tests: readonly TestSpec[];
  readonly meta: Readonly<Record<string, unknown>>;
  readonly config: Readonly<Record<string, unknown>>;
  /** `freshness:` (null: explicitly disabled; see freshness-spec.ts). */
  readonly freshness?: FreshnessSpec | null;
  /** `loaded_at_field:` (an SQL expression). */
  readonly loaded_at_field?: string;
}

/** A `sources:` entry. */
export interface SourcePatch {
  readonly name: string;
  readonly description: string;
  readonly schema: string;
  readonly database?: string;
  readonly loader?: string;
  readonly tables: readonly SourceTablePatch[];
  /** Source-level `freshness:` and `loaded_at_field:`, inherited by the tables. */
  readonly freshness?: FreshnessSpec | null;
  readonly loaded_at_field?: string;
  /** Source-level `config:` (inherited by the tables, which override it). */
  readonly config?: Readonly<Record<string, unknown>>;
  readonly file: string;
  readonly line?: number;
}

/** A `groups:` entry (dbt's groups: an owner for a set of models, https://docs.getdbt.com/docs/build/groups). */
export interface GroupPatch {
  readonly name: string;
  readonly owner: Readonly<Record<string, unknown>>;
  readonly description: string;
  readonly file: string;
  readonly line?: number;
}

/** An `exposures:` entry (https://docs.getdbt.com/docs/build/exposures): a downstream use of the project's nodes. */
export interface ExposurePatch extends ExposureFields {
  /** As written: `ref('m')`, `source('s', 't')`. */
  readonly depends_on: readonly string[];
  readonly file: string;
  readonly line?: number;
}

/** Everything one schema YAML file declares. */
export interface SchemaFile {
  /** `groups:` entries. */
  readonly groups?: readonly GroupPatch[];
  /** `exposures:` entries. */
  readonly exposures?: readonly ExposurePatch[];
  readonly nodes: readonly NodePatch[];
  readonly sources: readonly SourcePatch[];
  /** `unit_tests:` entries (see unit-test-yaml.ts). */
  readonly unit_tests: readonly UnitTestPatch[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads one schema YAML document.
 * @param yaml the parsed file
 * @param errors collects problems (each names file, key path and line); parsing continues past them
 */
export function readSchemaFile(yaml: YamlFile, errors: WeirError[]): SchemaFile {
  const nodes: NodePatch[] = [];
  const sources: SourcePatch[] = [];
  const root = yaml.value;
  if (root === undefined || root === null) return { nodes, sources, unit_tests: [] };
  const fail = (path: (string | number)[], message: string, hint?: string) => {
    errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `${formatKeyPath(path)}: ${message}`, {
      location: { file: yaml.file, keyPath: formatKeyPath(path), ...yaml.locate(path) },
      hint,
    }));
  };
  /** Refuses properties of an entry that are not in `known` (dbt's unimplemented ones say so). */
  const onlyKeys = (o: Obj, path: (string | number)[], known: readonly string[], what: string) => {
    for (const k of Object.keys(o)) {
      if (known.includes(k)) continue;
      const why = NOT_IMPLEMENTED_PROPERTIES[k];
      if (why !== undefined) fail([...path, k], `'${k}' is a dbt property Weir does not implement`, `Remove it (${why}); free-form values go under meta:.`);
      else {
        const s = closestKey(k, known);
        fail([...path, k], `unknown property '${k}' of ${what}`, `${s ? `Did you mean \`${s}\`? ` : `Known: ${known.join(', ')}. `}Free-form values go under meta:.`);
      }
    }
  };
  /** Checks the keys of a `config:` mapping against its resource type. */
  const configKeys = (cfg: unknown, path: (string | number)[], resource: 'model' | 'seed' | 'source' | 'test', what: string) => {
    if (!isObj(cfg)) return;
    const keyLines: Record<string, number | undefined> = {};
    for (const k of Object.keys(cfg)) keyLines[k] = yaml.locate([...path, k]).line;
    checkConfigKeys(cfg, resource, { file: yaml.file, line: yaml.locate(path).line, keyLines, what }, errors);
  };
  /** `versions:` and `latest_version:` of a model entry. */
  const versionsOf = (m: Obj, p: (string | number)[], kind: string): { versions?: { v: number; defined_in?: string; line?: number }[]; latest_version?: number } => {
    if (m.versions === undefined && m.latest_version === undefined) return {};
    if (kind !== 'models') {
      fail([...p, 'versions'], 'only models have versions');
      return {};
    }
    if (!Array.isArray(m.versions) || m.versions.length === 0) {
      fail([...p, 'versions'], 'versions must be a non-empty list like [{v: 1}, {v: 2}]');
      return {};
    }
    const versions: { v: number; defined_in?: string; line?: number }[] = [];
    m.versions.forEach((e, i) => {
      const vp = [...p, 'versions', i];
      if (!isObj(e) || typeof e.v !== 'number' || !Number.isInteger(e.v) || e.v < 0) {
        fail(vp, 'each version needs a whole number v, e.g. - v: 2');
        return;
      }
      onlyKeys(e, vp, ['v', 'defined_in'], `version ${e.v} of model '${String(m.name)}'`);
      if (versions.some((x) => x.v === e.v)) fail(vp, `version ${e.v} is listed twice`);
      if (e.defined_in !== undefined && (typeof e.defined_in !== 'string' || !e.defined_in)) fail([...vp, 'defined_in'], 'defined_in must be a model file name (without .sql)');
      versions.push({ v: e.v, ...(typeof e.defined_in === 'string' ? { defined_in: e.defined_in } : {}), line: yaml.locate(vp).line });
    });
    const latest = m.latest_version === undefined ? Math.max(...versions.map((x) => x.v)) : Number(m.latest_version);
    if (!versions.some((x) => x.v === latest)) fail([...p, 'latest_version'], `latest_version ${String(m.latest_version)} is not among the versions (${versions.map((x) => x.v).join(', ')})`);
    return { versions, latest_version: latest };
  };
  const configLinesOf = (cfg: unknown, path: (string | number)[]): Record<string, number | undefined> =>
    isObj(cfg) ? Object.fromEntries(Object.keys(cfg).map((k) => [k, yaml.locate([...path, k]).line])) : {};
  if (!isObj(root)) {
    fail([], 'a schema file must be a mapping with `models:`, `seeds:` or `sources:`');
    return { nodes, sources, unit_tests: [] };
  }
  const known = ['version', 'models', 'seeds', 'sources', 'exposures', 'groups', 'unit_tests'];
  // dbt keys Weir does not read: refused rather than ignored.
  const notRead: Readonly<Record<string, string>> = {
    macros: 'macro properties are not read: describe a macro with a comment at the top of its file',
    snapshots: 'snapshot properties are not read: configure a snapshot with {{config ...}} in its file or under snapshots: in project.yaml',
    udfs: 'UDFs are TypeScript modules in udf-paths, described there',
    analyses: 'analyses are not implemented', metrics: 'the semantic layer is not implemented', semantic_models: 'the semantic layer is not implemented',
    saved_queries: 'the semantic layer is not implemented',
  };
  for (const key of Object.keys(root)) {
    if (known.includes(key)) continue;
    if (notRead[key]) fail([key], `'${key}:' is a dbt key Weir does not implement`, `Remove it (${notRead[key]}).`);
    else {
      const s = closestKey(key, known);
      fail([key], `unknown top-level key '${key}'`, `${s ? `Did you mean \`${s}\`? ` : ''}Schema files hold ${known.join(', ')}.`);
    }
  }

  const str = (v: unknown, path: (string | number)[], what: string): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    fail(path, `${what} must be a string`);
    return undefined;
  };
  const tags = (v: unknown, path: (string | number)[]): string[] => {
    if (v === undefined || v === null) return [];
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((t) => typeof t === 'string')) return v as string[];
    fail(path, 'tags must be a string or a list of strings');
    return [];
  };

  const readTests = (v: unknown, path: (string | number)[]): TestSpec[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      fail(path, 'tests must be a list, e.g. [not_null, unique]');
      return [];
    }
    const out: TestSpec[] = [];
    v.forEach((t, i) => {
      const p = [...path, i];
      const line = yaml.locate(p).line;
      if (typeof t === 'string') {
        out.push({ name: t, kwargs: {}, config: {}, file: yaml.file, line });
        return;
      }
      if (isObj(t) && Object.keys(t).length === 1) {
        const [name, body] = Object.entries(t)[0];
        if (body !== null && body !== undefined && !isObj(body)) {
          fail([...p, name], `arguments of test '${name}' must be a mapping`);
          return;
        }
        const b: Obj = { ...(body ?? {}) };
        if (b.config !== undefined && !isObj(b.config)) fail([...p, name, 'config'], 'config must be a mapping');
        configKeys(b.config, [...p, name, 'config'], 'test', `test '${name}'`);
        const config: Obj = isObj(b.config) ? { ...b.config } : {};
        delete b.config;
        const builtinArgs = BUILTIN_TEST_ARGS[name];
        if (builtinArgs) {
          const allowed = [...builtinArgs, ...TEST_KEYS, 'arguments'];
          for (const k of Object.keys(b)) {
            if (allowed.includes(k)) continue;
            const s = closestKey(k, allowed);
            fail([...p, name, k], `unknown argument or config '${k}' of test '${name}'`, `${s ? `Did you mean \`${s}\`? ` : ''}Arguments of ${name}: ${builtinArgs.join(', ')}; configs: ${TEST_KEYS.join(', ')}.`);
          }
          if (isObj(b.arguments)) {
            for (const k of Object.keys(b.arguments)) {
              if (builtinArgs.includes(k)) continue;
              const s = closestKey(k, builtinArgs);
              fail([...p, name, 'arguments', k], `unknown argument '${k}' of test '${name}'`, `${s ? `Did you mean \`${s}\`? ` : ''}Arguments of ${name}: ${builtinArgs.join(', ')}.`);
            }
          }
        }
        for (const k of ['severity', 'where', 'tags', 'enabled', 'error_if', 'warn_if', 'limit', 'store_failures', 'store_failures_as', 'fail_calc', 'meta', 'schema', 'database', 'alias']) {
          if (k in b) {
            config[k] = b[k];
            delete b[k];
          }
        }
        const args: Obj = isObj(b.arguments) ? { ...b.arguments } : {};
        delete b.arguments;
        if (config.severity !== undefined) {
          const s = String(config.severity).toLowerCase();
          if (s !== 'warn' && s !== 'error') fail([...p, name, 'severity'], `severity must be 'warn' or 'error', got '${String(config.severity)}'`);
          config.severity = s;
        }
        out.push({ name, kwargs: { ...b, ...args }, config, file: yaml.file, line });
        return;
      }
      fail(p, 'each test is a name (`- not_null`) or a one-key mapping (`- accepted_values: {values: [a, b]}`)');
    });
    return out;
  };

  const readColumns = (v: unknown, path: (string | number)[]): ColumnPatch[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      fail(path, 'columns must be a list of {name, description, tests}');
      return [];
    }
    const out: ColumnPatch[] = [];
    v.forEach((c, i) => {
      const p = [...path, i];
      if (!isObj(c) || typeof c.name !== 'string' || !c.name) {
        fail(p, 'a column needs a `name`');
        return;
      }
      onlyKeys(c, p, COLUMN_KEYS, `column '${c.name}'`);
      out.push({
        name: c.name,
        description: str(c.description, [...p, 'description'], 'description') ?? '',
        data_type: str(c.data_type, [...p, 'data_type'], 'data_type'),
        tags: tags(c.tags, [...p, 'tags']),
        tests: readTests(c.data_tests ?? c.tests, [...p, c.data_tests ? 'data_tests' : 'tests']),
      });
    });
    return out;
  };

  for (const kind of ['models', 'seeds'] as const) {
    const list = root[kind];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      fail([kind], `${kind} must be a list`);
      continue;
    }
    list.forEach((m, i) => {
      const p = [kind, i];
      if (!isObj(m) || typeof m.name !== 'string' || !m.name) {
        fail(p, `each entry of ${kind} needs a \`name\``);
        return;
      }
      if (m.config !== undefined && !isObj(m.config)) fail([...p, 'config'], 'config must be a mapping');
      onlyKeys(m, p, NODE_KEYS, `${kind.slice(0, -1)} '${m.name}'`);
      configKeys(m.config, [...p, 'config'], kind === 'models' ? 'model' : 'seed', `${kind.slice(0, -1)} '${m.name}'`);
      nodes.push({
        kind,
        name: m.name,
        description: str(m.description, [...p, 'description'], 'description') ?? '',
        // `access:` and `group:` may be written as properties too (dbt ≥ 1.7); config: wins.
        config: { ...(m.access !== undefined ? { access: m.access } : {}), ...(m.group !== undefined ? { group: m.group } : {}), ...(isObj(m.config) ? m.config : {}) },
        columns: readColumns(m.columns, [...p, 'columns']),
        tests: readTests(m.data_tests ?? m.tests, [...p, m.data_tests ? 'data_tests' : 'tests']),
        meta: isObj(m.meta) ? m.meta : {},
        file: yaml.file,
        line: yaml.locate(p).line,
        configLines: configLinesOf(m.config, [...p, 'config']),
        ...versionsOf(m, p, kind),
      });
    });
  }

  /** `freshness` and `loaded_at_field` of a source or table (top-level keys, or under `config:` as in dbt 1.9). */
  const freshnessOf = (o: Obj, p: (string | number)[]): { freshness?: FreshnessSpec | null; loaded_at_field?: string } => {
    const cfg = isObj(o.config) ? o.config : {};
    const fKey = 'freshness' in o ? [...p, 'freshness'] : [...p, 'config', 'freshness'];
    const freshness = readFreshness('freshness' in o ? o.freshness : cfg.freshness, fKey, fail);
    const lKey = 'loaded_at_field' in o ? [...p, 'loaded_at_field'] : [...p, 'config', 'loaded_at_field'];
    const raw = 'loaded_at_field' in o ? o.loaded_at_field : cfg.loaded_at_field;
    let loaded_at_field: string | undefined;
    if (raw !== undefined && raw !== null) {
      if (typeof raw === 'string' && raw.trim()) loaded_at_field = raw;
      else fail(lKey, 'loaded_at_field must be a column name or SQL expression', 'e.g. loaded_at_field: _loaded_at');
    }
    return { ...(freshness !== undefined ? { freshness } : {}), ...(loaded_at_field ? { loaded_at_field } : {}) };
  };

  const srcList = root.sources;
  if (srcList !== undefined && srcList !== null) {
    if (!Array.isArray(srcList)) fail(['sources'], 'sources must be a list');
    else {
      srcList.forEach((s, i) => {
        const p = ['sources', i];
        if (!isObj(s) || typeof s.name !== 'string' || !s.name) {
          fail(p, 'each source needs a `name`');
          return;
        }
        onlyKeys(s, p, SOURCE_KEYS, `source '${s.name}'`);
        configKeys(s.config, [...p, 'config'], 'source', `source '${s.name}'`);
        const tables: SourceTablePatch[] = [];
        if (!Array.isArray(s.tables)) fail([...p, 'tables'], 'a source needs a list of `tables`');
        else {
          s.tables.forEach((t, j) => {
            const tp = [...p, 'tables', j];
            if (!isObj(t) || typeof t.name !== 'string' || !t.name) {
              fail(tp, 'each source table needs a `name`');
              return;
            }
            onlyKeys(t, tp, SOURCE_TABLE_KEYS, `source table '${s.name}.${t.name}'`);
            configKeys(t.config, [...tp, 'config'], 'source', `source table '${s.name}.${t.name}'`);
            tables.push({
              name: t.name,
              identifier: str(t.identifier, [...tp, 'identifier'], 'identifier') ?? t.name,
              description: str(t.description, [...tp, 'description'], 'description') ?? '',
              columns: readColumns(t.columns, [...tp, 'columns']),
              tests: readTests(t.data_tests ?? t.tests, [...tp, 'tests']),
              meta: isObj(t.meta) ? t.meta : {},
              config: isObj(t.config) ? t.config : {},
              ...freshnessOf(t, tp),
            });
          });
        }
        sources.push({
          name: s.name,
          description: str(s.description, [...p, 'description'], 'description') ?? '',
          schema: str(s.schema, [...p, 'schema'], 'schema') ?? s.name,
          database: str(s.database, [...p, 'database'], 'database'),
          loader: str(s.loader, [...p, 'loader'], 'loader'),
          tables,
          config: isObj(s.config) ? s.config : {},
          ...freshnessOf(s, p),
          file: yaml.file,
          line: yaml.locate(p).line,
        });
      });
    }
  }
  // --- groups and exposures
  const groups: GroupPatch[] = [];
  const exposures: ExposurePatch[] = [];
  const entries = (key: 'groups' | 'exposures') => {
    const list = root[key];
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) {
      fail([key], `${key} must be a list`);
      return [];
    }
    return list.map((e, i) => ({ e, p: [key, i] as (string | number)[] })).filter(({ e, p }) => {
      if (isObj(e) && typeof e.name === 'string' && e.name) return true;
      fail(p, `each entry of ${key} needs a \`name\``);
      return false;
    }) as { e: Obj; p: (string | number)[] }[];
  };
  const owner = (v: unknown, p: (string | number)[], required: boolean): Obj => {
    if (v === undefined || v === null) {
      if (required) fail(p, 'an owner is required: owner: {name: ..., email: ...}');
      return {};
    }
    if (!isObj(v) || (v.name === undefined && v.email === undefined)) {
      fail(p, 'owner must be a mapping with name and/or email');
      return {};
    }
    onlyKeys(v, p, ['name', 'email'], 'owner');
    return v;
  };
  for (const { e, p } of entries('groups')) {
    onlyKeys(e, p, ['name', 'owner', 'description', 'config'], `group '${String(e.name)}'`);
    groups.push({ name: String(e.name), owner: owner(e.owner, [...p, 'owner'], true), description: str(e.description, [...p, 'description'], 'description') ?? '', file: yaml.file, line: yaml.locate(p).line });
  }
  const EXPOSURE_TYPES = ['dashboard', 'notebook', 'analysis', 'ml', 'application'];
  for (const { e, p } of entries('exposures')) {
    onlyKeys(e, p, ['name', 'label', 'type', 'owner', 'description', 'url', 'maturity', 'depends_on', 'tags', 'meta', 'config'], `exposure '${String(e.name)}'`);
    const type = String(e.type ?? '');
    if (!EXPOSURE_TYPES.includes(type)) fail([...p, 'type'], `exposure type must be one of ${EXPOSURE_TYPES.join(', ')}, got ${JSON.stringify(e.type)}`);
    if (e.maturity !== undefined && !['low', 'medium', 'high'].includes(String(e.maturity))) fail([...p, 'maturity'], `maturity must be low, medium or high, got ${JSON.stringify(e.maturity)}`);
    const deps = e.depends_on === undefined ? [] : e.depends_on;
    if (!Array.isArray(deps) || !deps.every((d) => typeof d === 'string')) fail([...p, 'depends_on'], "depends_on must be a list like [ref('orders'), source('crm', 'customers')]");
    exposures.push({
      name: String(e.name), label: str(e.label, [...p, 'label'], 'label'), type, owner: owner(e.owner, [...p, 'owner'], true),
      description: str(e.description, [...p, 'description'], 'description') ?? '', url: str(e.url, [...p, 'url'], 'url'),
      maturity: e.maturity === undefined ? undefined : String(e.maturity), tags: tags(e.tags, [...p, 'tags']), meta: isObj(e.meta) ? e.meta : {},
      depends_on: Array.isArray(deps) ? deps.map(String) : [], file: yaml.file, line: yaml.locate(p).line,
    });
  }
  return { nodes, sources, unit_tests: readUnitTests(yaml, root.unit_tests, errors), groups, exposures };
}
