/**
 * `unit_tests:` in schema YAML, in dbt 1.8's shape
 * (https://docs.getdbt.com/reference/resource-properties/unit-tests): each entry names a model, gives rows
 * for the model's inputs and the rows it must return. This module only reads and checks the YAML shape
 * (every problem with file, key path and line); the compiler resolves models and inputs.
 */
import { createRequire } from 'node:module';
import type { parse as ParseCsv } from 'csv-parse/sync';
import { WeirError } from '../errors/weir-error.js';
import { formatKeyPath, type YamlFile } from './yaml-file.js';

/** csv-parse is loaded when a unit test gives rows as CSV (`format: csv`), not by every project load (start-up cost). */
const requireLazy = createRequire(import.meta.url);
const parseCsv: typeof ParseCsv = (...args: Parameters<typeof ParseCsv>) => (requireLazy('csv-parse/sync') as { parse: typeof ParseCsv }).parse(...args);

/** Where an input's rows come from, as written: `ref('x')`, `source('s', 't')` or `this`. */
export type UnitTestInputRef =
  | { readonly kind: 'ref'; readonly name: string }
  | { readonly kind: 'source'; readonly source: string; readonly table: string }
  | { readonly kind: 'this' };

/** Rows as read from YAML: `dict` (list of mappings), `csv` (text, parsed here) or `sql` (a query). */
export interface FixtureRows {
  readonly format: 'dict' | 'csv' | 'sql';
  /** Rows (`dict`/`csv`); CSV values are strings, empty CSV fields null. */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** Column names in first-seen order (`dict`/`csv`). */
  readonly columns: readonly string[];
  /** `sql`: the query text. */
  readonly sql?: string;
  readonly line?: number;
}

/** One `given:` entry. */
export interface UnitTestInputPatch extends FixtureRows {
  /** The `input:` text as written. */
  readonly input: string;
  readonly ref: UnitTestInputRef;
}

/** One `unit_tests:` entry, unresolved. */
export interface UnitTestPatch {
  readonly name: string;
  /** Name of the tested model. */
  readonly model: string;
  readonly description: string;
  readonly given: readonly UnitTestInputPatch[];
  readonly expect: FixtureRows;
  readonly overrides: { readonly vars: Readonly<Record<string, unknown>>; readonly macros: Readonly<Record<string, unknown>> };
  /** `config:` (`tags`, `enabled`, `meta`). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly file: string;
  readonly line?: number;
  /** Line of `model:` (for unknown-model errors). */
  readonly modelLine?: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const UNIT_TEST_KEYS = ['name', 'model', 'description', 'given', 'expect', 'overrides', 'config', 'versions'];
const INPUT_KEYS = ['input', 'rows', 'format', 'fixture'];

/**
 * Parses `ref('x')`, `ref("x")`, `source('a', 'b')` or `this` as written in a unit test's `input:`.
 * @returns undefined when the text is none of these
 */
export function parseUnitTestInput(v: unknown): UnitTestInputRef | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s === 'this') return { kind: 'this' };
  const ref = /^ref\(\s*['"]([^'"]+)['"]\s*\)$/.exec(s);
  if (ref) return { kind: 'ref', name: ref[1] };
  const src = /^source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)$/.exec(s);
  if (src) return { kind: 'source', source: src[1], table: src[2] };
  return undefined;
}

/**
 * Reads the `unit_tests:` list of one schema file.
 * @param yaml the parsed file (for locations)
 * @param list the `unit_tests:` value
 * @param errors receives one `WEIR_SCHEMA_YAML_INVALID` per problem, each naming file, key path and line
 */
export function readUnitTests(yaml: YamlFile, list: unknown, errors: WeirError[]): UnitTestPatch[] {
  const out: UnitTestPatch[] = [];
  if (list === undefined || list === null) return out;
  const fail = (path: (string | number)[], message: string, hint?: string, lineOffset = 0) => {
    const loc = yaml.locate(path);
    errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `${formatKeyPath(path)}: ${message}`, {
      location: { file: yaml.file, keyPath: formatKeyPath(path), ...loc, ...(loc.line && lineOffset ? { line: loc.line + lineOffset, column: undefined } : {}) },
      hint,
    }));
  };
  if (!Array.isArray(list)) {
    fail(['unit_tests'], 'unit_tests must be a list of {name, model, given, expect}');
    return out;
  }
  const seen = new Map<string, number>();
  list.forEach((u, i) => {
    const p: (string | number)[] = ['unit_tests', i];
    if (!isObj(u)) {
      fail(p, 'each unit test is a mapping with name, model, given and expect');
      return;
    }
    let ok = true;
    const bad = (path: (string | number)[], message: string, hint?: string, lineOffset?: number) => {
      ok = false;
      fail(path, message, hint, lineOffset);
    };
    for (const k of Object.keys(u)) {
      if (!UNIT_TEST_KEYS.includes(k)) bad([...p, k], `unknown key '${k}' in a unit test`, `Keys: ${UNIT_TEST_KEYS.join(', ')}.`);
    }
    if (typeof u.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(u.name)) {
      bad([...p, 'name'], 'a unit test needs a `name` made of letters, digits and underscores');
    }
    if (typeof u.model !== 'string' || !u.model) bad([...p, 'model'], 'a unit test needs the `model` it tests');
    const name = String(u.name);
    const key = `${String(u.model)}.${name}`;
    if (seen.has(key)) bad([...p, 'name'], `unit test '${name}' of model '${String(u.model)}' is defined twice (also unit_tests[${seen.get(key)}])`, 'Unit test names must be unique per model.');
    seen.set(key, i);

    const given: UnitTestInputPatch[] = [];
    if (u.given !== undefined && u.given !== null && !Array.isArray(u.given)) bad([...p, 'given'], "given must be a list of {input: ref('x'), rows: [...]}");
    else {
      ((u.given ?? []) as unknown[]).forEach((g, j) => {
        const gp = [...p, 'given', j];
        if (!isObj(g)) {
          bad(gp, "each given entry is a mapping: {input: ref('x'), rows: [...]}");
          return;
        }
        for (const k of Object.keys(g)) if (!INPUT_KEYS.includes(k)) bad([...gp, k], `unknown key '${k}' in a given input`, 'Keys: input, rows, format.');
        const ref = parseUnitTestInput(g.input);
        if (!ref) {
          bad([...gp, 'input'], `input must be ref('model'), source('source', 'table') or this, got ${JSON.stringify(g.input ?? null)}`);
          return;
        }
        if (g.fixture !== undefined) {
          bad([...gp, 'fixture'], 'fixture files are not supported: give the rows inline (rows: as a list, or format: csv with the rows as text)');
          return;
        }
        const rows = readRows(g, gp, bad);
        if (!rows) return;
        given.push({ ...rows, input: String(g.input).trim(), ref, line: yaml.locate(gp).line });
      });
    }
    const inputs = new Set<string>();
    given.forEach((g, j) => {
      const k = g.ref.kind === 'ref' ? `ref:${g.ref.name}` : g.ref.kind === 'source' ? `source:${g.ref.source}.${g.ref.table}` : 'this';
      if (inputs.has(k)) bad([...p, 'given', j, 'input'], `input ${g.input} is given twice`);
      inputs.add(k);
    });

    let expect: FixtureRows | undefined;
    if (!isObj(u.expect)) bad([...p, 'expect'], 'a unit test needs `expect: {rows: [...]}` (the rows the model must return)');
    else {
      for (const k of Object.keys(u.expect)) if (!['rows', 'format', 'fixture'].includes(k)) bad([...p, 'expect', k], `unknown key '${k}' in expect`, 'Keys: rows, format.');
      const e = readRows(u.expect, [...p, 'expect'], bad);
      expect = e && { ...e, line: yaml.locate([...p, 'expect']).line };
    }

    const overrides = { vars: {} as Obj, macros: {} as Obj };
    if (u.overrides !== undefined && u.overrides !== null) {
      if (!isObj(u.overrides)) bad([...p, 'overrides'], 'overrides must be a mapping: {vars: {...}, macros: {...}}');
      else {
        for (const [k, v] of Object.entries(u.overrides)) {
          if (k !== 'vars' && k !== 'macros' && k !== 'env_vars') bad([...p, 'overrides', k], `unknown key '${k}' in overrides`, 'Keys: vars, macros.');
          else if (v !== undefined && v !== null && !isObj(v)) bad([...p, 'overrides', k], `overrides.${k} must be a mapping of name to value`);
          else if (k === 'env_vars') bad([...p, 'overrides', k], 'overrides.env_vars is not supported: set the variable in the environment, or read it through a var and override that');
          else if (v) Object.assign(overrides[k as 'vars' | 'macros'], v);
        }
      }
    }
    let config: Obj = {};
    if (u.config !== undefined && u.config !== null) {
      if (!isObj(u.config)) bad([...p, 'config'], 'config must be a mapping (tags, enabled, meta)');
      else config = u.config;
    }
    if (!ok || !expect) return;
    out.push({
      name, model: String(u.model), description: typeof u.description === 'string' ? u.description : '', given, expect, overrides, config,
      file: yaml.file, line: yaml.locate(p).line, modelLine: yaml.locate([...p, 'model']).line,
    });
  });
  return out;
}

/** Reads `rows` + `format` of a given input or of expect. */
function readRows(
  g: Obj, path: (string | number)[],
  bad: (path: (string | number)[], message: string, hint?: string, lineOffset?: number) => void,
): FixtureRows | undefined {
  const format = g.format === undefined || g.format === null ? 'dict' : String(g.format);
  if (!['dict', 'csv', 'sql'].includes(format)) {
    bad([...path, 'format'], `format must be dict, csv or sql, got '${format}'`);
    return undefined;
  }
  const rowsPath = [...path, 'rows'];
  const raw = g.rows;
  if (format === 'sql') {
    if (typeof raw !== 'string' || !raw.trim()) {
      bad(rowsPath, 'with format: sql, rows is a query returning the rows, e.g. "select 1 as id"');
      return undefined;
    }
    return { format, rows: [], columns: [], sql: raw.trim().replace(/;\s*$/, '') };
  }
  if (format === 'csv') {
    if (typeof raw !== 'string') {
      bad(rowsPath, 'with format: csv, rows is CSV text with a header line (use a YAML block: rows: |)');
      return undefined;
    }
    try {
      const records = parseCsv(raw, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
      const header = parseCsv(raw.split('\n').find((l) => l.trim()) ?? '', { trim: true }) as string[][];
      const columns = header[0] ?? [];
      const dupe = columns.find((c, k) => columns.indexOf(c) !== k);
      if (dupe) {
        bad(rowsPath, `CSV header names column '${dupe}' twice`, undefined, 1);
        return undefined;
      }
      return { format, columns, rows: records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === '' ? null : v]))) };
    } catch (e) {
      const lines = (e as { lines?: number }).lines;
      bad(rowsPath, `malformed CSV: ${(e as Error).message}`, 'Each line needs as many fields as the header; quote fields that contain commas.', lines);
      return undefined;
    }
  }
  if (!Array.isArray(raw)) {
    bad(rowsPath, 'rows must be a list of mappings, e.g. rows: [{id: 1, status: paid}] (or format: csv with CSV text)');
    return undefined;
  }
  const columns: string[] = [];
  const rows: Obj[] = [];
  let ok = true;
  raw.forEach((r, k) => {
    if (!isObj(r)) {
      bad([...rowsPath, k], `each row is a mapping of column to value, got ${JSON.stringify(r)}`);
      ok = false;
      return;
    }
    for (const [col, v] of Object.entries(r)) {
      if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
        bad([...rowsPath, k, col], `value of column '${col}' must be a string, number, boolean or null, got ${JSON.stringify(v)}`);
        ok = false;
      }
      if (!columns.includes(col)) columns.push(col);
    }
    rows.push(r);
  });
  return ok ? { format: 'dict', rows, columns } : undefined;
}
