/**
 * `selectors.yml` (dbt's YAML selectors, https://docs.getdbt.com/reference/node-selection/yaml-selectors):
 * named selection definitions read from the project root and checked here. A definition is a CLI-style
 * string (`"tag:nightly+"`), a method mapping (`{method: tag, value: nightly, parents: true,
 * children: true, parents_depth: 1, children_depth: 2, childrens_parents: true}`), a one-key shorthand
 * (`{tag: nightly}`), `{union: [...]}` or `{intersection: [...]}` of definitions, and `{exclude: [...]}`
 * inside a union or intersection (what the others selected minus these). `method: selector` refers to
 * another named selector. One selector may say `default: true`: it is used when a command gets no
 * `--select`/`--exclude`/`--selector`. Unknown keys are errors with file, line and the closest key.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { WeirError, WeirErrors } from '../errors/weir-error.js';
import { closestKey } from './config-keys.js';
import { parseYamlFile } from './yaml-file.js';

/** A checked selector definition. */
export type SelectorDefinition =
  | { readonly kind: 'cli'; readonly text: string }
  | { readonly kind: 'method'; readonly method: string; readonly value: string; readonly parents: number; readonly children: number; readonly childrensParents: boolean }
  | { readonly kind: 'selector'; readonly name: string }
  | { readonly kind: 'union' | 'intersection'; readonly include: readonly SelectorDefinition[]; readonly exclude: readonly SelectorDefinition[] };

/** One named selector. */
export interface YamlSelector {
  readonly name: string;
  readonly description: string;
  readonly default: boolean;
  readonly definition: SelectorDefinition;
  /** The definition as written (for manifest.json `selectors`). */
  readonly raw: unknown;
}

/** The file name, in the project root. */
export const SELECTORS_FILE = 'selectors.yml';

const METHOD_KEYS = ['method', 'value', 'parents', 'children', 'parents_depth', 'children_depth', 'childrens_parents', 'indirect_selection'];
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads `selectors.yml` when the project has one.
 * @returns selectors by name (empty without the file)
 * @throws WeirErrors `WEIR_SELECTOR_INVALID` for every problem, each at its line
 */
export function readYamlSelectors(root: string): ReadonlyMap<string, YamlSelector> {
  const abs = path.join(root, SELECTORS_FILE);
  if (!existsSync(abs)) return new Map();
  const yaml = parseYamlFile(readFileSync(abs, 'utf8'), SELECTORS_FILE, 'WEIR_SELECTOR_INVALID');
  const errors: WeirError[] = [];
  const at = (keys: (string | number)[], message: string, hint?: string) =>
    errors.push(new WeirError('WEIR_SELECTOR_INVALID', message, { location: { file: SELECTORS_FILE, keyPath: keys.join('.'), ...yaml.locate(keys) }, hint }));
  const out = new Map<string, YamlSelector>();
  const list = isObj(yaml.value) ? yaml.value.selectors : undefined;
  if (!Array.isArray(list)) {
    at([], `${SELECTORS_FILE} must have a list under selectors:`, 'selectors:\n  - name: nightly\n    definition: "tag:nightly"');
    throw new WeirErrors(errors);
  }
  list.forEach((s, i) => {
    if (!isObj(s)) return at(['selectors', i], 'a selector must be a mapping with name and definition');
    for (const k of Object.keys(s)) {
      if (!['name', 'description', 'default', 'definition'].includes(k)) at(['selectors', i, k], `unknown key '${k}' in selector`, `Did you mean '${closestKey(k, ['name', 'description', 'default', 'definition']) ?? 'definition'}'?`);
    }
    if (typeof s.name !== 'string' || !s.name) return at(['selectors', i], 'a selector needs a name');
    if (out.has(s.name)) return at(['selectors', i, 'name'], `selector '${s.name}' is defined twice`);
    if (s.definition === undefined) return at(['selectors', i], `selector '${s.name}' has no definition`);
    const definition = parseDefinition(s.definition, ['selectors', i, 'definition'], at);
    out.set(s.name, { name: s.name, description: typeof s.description === 'string' ? s.description : '', default: s.default === true, definition, raw: s.definition });
  });
  const defaults = [...out.values()].filter((s) => s.default);
  if (defaults.length > 1) at(['selectors'], `more than one selector says default: true (${defaults.map((d) => d.name).join(', ')})`);
  if (errors.length) throw new WeirErrors(errors);
  return out;
}

type At = (keys: (string | number)[], message: string, hint?: string) => void;

function parseDefinition(v: unknown, keys: (string | number)[], at: At): SelectorDefinition {
  if (typeof v === 'string') return { kind: 'cli', text: v };
  if (!isObj(v)) {
    at(keys, 'a selector definition must be a string or a mapping');
    return { kind: 'cli', text: '' };
  }
  const ks = Object.keys(v);
  if (ks.length === 1 && (ks[0] === 'union' || ks[0] === 'intersection')) {
    const kind = ks[0];
    const items = v[kind];
    if (!Array.isArray(items)) {
      at([...keys, kind], `${kind} must be a list of definitions`);
      return { kind, include: [], exclude: [] };
    }
    const include: SelectorDefinition[] = [];
    const exclude: SelectorDefinition[] = [];
    items.forEach((item, i) => {
      if (isObj(item) && Object.keys(item).length === 1 && 'exclude' in item) {
        const ex = item.exclude;
        if (!Array.isArray(ex)) at([...keys, kind, i, 'exclude'], 'exclude must be a list of definitions');
        else ex.forEach((e, j) => exclude.push(parseDefinition(e, [...keys, kind, i, 'exclude', j], at)));
      } else include.push(parseDefinition(item, [...keys, kind, i], at));
    });
    return { kind, include, exclude };
  }
  if (!('method' in v) && ks.length === 1) return parseDefinition({ method: ks[0], value: v[ks[0]] }, keys, at); // {tag: nightly}
  for (const k of ks) if (!METHOD_KEYS.includes(k)) at([...keys, k], `unknown key '${k}' in a selector definition`, `Did you mean '${closestKey(k, [...METHOD_KEYS, 'union', 'intersection', 'exclude']) ?? 'method'}'?`);
  if (typeof v.method !== 'string' || v.value === undefined) {
    at(keys, 'a method definition needs method and value');
    return { kind: 'cli', text: '' };
  }
  if (v.indirect_selection !== undefined) at([...keys, 'indirect_selection'], 'indirect_selection inside a selector definition is not supported by Weir', 'Pass --indirect-selection on the command line.');
  if (v.method === 'selector') return { kind: 'selector', name: String(v.value) };
  const depth = (flag: unknown, d: unknown, key: string): number => {
    if (d !== undefined) {
      if (!Number.isInteger(d) || (d as number) < 0) at([...keys, key], `${key} must be a whole number ≥ 0`);
      return Number(d);
    }
    return flag === true ? Infinity : 0;
  };
  return {
    kind: 'method', method: v.method, value: String(v.value),
    parents: depth(v.parents, v.parents_depth, 'parents_depth'), children: depth(v.children, v.children_depth, 'children_depth'),
    childrensParents: v.childrens_parents === true,
  };
}
