/**
 * Node selection with dbt's selector grammar (https://docs.getdbt.com/reference/node-selection/syntax):
 * space-separated terms are a union, comma-joined atoms an intersection; an atom is
 * `[@][N+]method:value[+N]` where `+` before/after adds ancestors/descendants (optionally limited to N
 * edges) and `@` adds descendants and all their ancestors. Methods: default (name or fqn path),
 * `tag:`, `path:`, `resource_type:` (`unit_test` for unit tests), `fqn:`, `source:`, `config.<key>:`,
 * `test_type:` (`unit`, `data` = `generic` + `singular`), `package:`, and with an earlier run's artifacts
 * (`--state`) `state:` and `result:` (see state.ts).
 * Wildcards `*` and `?` are allowed in values.
 */
import { WeirError } from '../errors/weir-error.js';
import type { Manifest } from '../manifest/manifest.js';
import type { GraphNode } from '../manifest/types.js';
import { ancestors, descendants, type Dag } from './dag.js';
import { RESULT_VALUES, SOURCE_STATUS_VALUES, STATE_VALUES, stateRequired, type SelectorState } from './state.js';

/** One parsed selector atom. */
export interface SelectorAtom {
  readonly raw: string;
  readonly method: string;
  readonly value: string;
  readonly parents: number; // 0 = none, Infinity = all
  readonly children: number;
  readonly childrenParents: boolean; // `@`
}

const ATOM = /^(@)?(?:(\d*)\+)?([^+]+?)(?:\+(\d*))?$/;
const METHODS = new Set(['fqn', 'tag', 'path', 'file', 'resource_type', 'source', 'config', 'test_type', 'package', 'test_name', 'state', 'result', 'source_status', 'exposure']);

/**
 * Parses one atom.
 * @throws WeirError `WEIR_SELECTOR_INVALID` with the offending text and the grammar
 */
export function parseAtom(raw: string): SelectorAtom {
  const m = ATOM.exec(raw);
  if (!m || !m[3]) throw badSelector(raw, 'expected [@][N+]name[+N]');
  const [, at, up, body, down] = m;
  if (at && up !== undefined) throw badSelector(raw, '`@` and a leading `+` cannot be combined');
  let method = 'fqn';
  let value = body;
  const colon = body.indexOf(':');
  if (colon > 0) {
    method = body.slice(0, colon);
    value = body.slice(colon + 1);
    const base = method.split('.')[0];
    if (!METHODS.has(base)) throw badSelector(raw, `unknown method '${method}' (methods: ${[...METHODS].join(', ')})`);
  } else if (body.includes('/') || body.endsWith('.sql') || body.endsWith('.csv')) method = 'path';
  if (!value) throw badSelector(raw, 'empty value');
  return {
    raw, method, value,
    parents: up === undefined ? 0 : up === '' ? Infinity : Number(up),
    children: down === undefined ? 0 : down === '' ? Infinity : Number(down),
    childrenParents: !!at,
  };
}

function badSelector(raw: string, why: string): WeirError {
  return new WeirError('WEIR_SELECTOR_INVALID', `invalid selector '${raw}': ${why}`, {
    hint: 'Examples: stg_orders, +customer_rfm, stg_orders+, 2+customer_rfm, @stg_orders, tag:daily, path:models/marts, resource_type:seed, "tag:a,tag:b" (intersection).',
  });
}

const globToRegExp = (g: string) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/** Whether `node` matches the atom's method and value (graph operators not applied). */
export function matchesAtom(node: GraphNode, atom: Pick<SelectorAtom, 'method' | 'value'>, manifest: Manifest, state?: SelectorState): boolean {
  const v = atom.value;
  const re = globToRegExp(v);
  switch (atom.method) {
    case 'fqn': {
      if (re.test(node.name)) return true;
      const parts = v.split('.');
      const fqn = node.fqn;
      const prefixMatch = (start: number) => parts.length <= fqn.length - start && parts.every((p, i) => globToRegExp(p).test(fqn[start + i]));
      return prefixMatch(0) || (fqn[0] === manifest.projectName && prefixMatch(1));
    }
    case 'tag':
      return node.tags.some((t) => re.test(t));
    case 'path':
    case 'file': {
      const p = node.path;
      const want = v.replace(/\\/g, '/').replace(/\/+$/, '');
      if (atom.method === 'file') return re.test(p.slice(p.lastIndexOf('/') + 1)) || re.test(p); // no node:path: the docs app bundles this module
      return p === want || p.startsWith(`${want}/`) || re.test(p);
    }
    case 'resource_type':
      // Unit tests are `unit_test` (as in dbt), not `test`.
      return node.resource_type === 'test' && node.test_type === 'unit' ? re.test('unit_test') : re.test(node.resource_type);
    case 'source':
      return node.resource_type === 'source' && (re.test(node.source_name) || re.test(`${node.source_name}.${node.name}`));
    case 'test_type':
      // `data` = generic + singular (dbt's data tests); `unit` = unit tests.
      return node.resource_type === 'test' && (re.test(node.test_type) || (v === 'data' && node.test_type !== 'unit'));
    case 'test_name':
      return node.resource_type === 'test' && (re.test(node.name) || (!!node.generic && re.test(node.generic.name)));
    case 'package':
      return re.test(node.package_name);
    case 'state':
      if (!state) throw stateRequired(`state:${v}`);
      return state.matchesState(node, v);
    case 'result':
      if (!state) throw stateRequired(`result:${v}`);
      return state.matchesResult(node, v);
    case 'source_status':
      if (!state) throw stateRequired(`source_status:${v}`);
      return state.matchesSourceStatus(node, v);
    default: {
      if (atom.method.startsWith('config.')) {
        const key = atom.method.slice('config.'.length);
        const val = (node.config as Record<string, unknown>)[key];
        if (Array.isArray(val)) return val.some((x) => re.test(String(x)));
        return val !== undefined && re.test(String(val));
      }
      return false;
    }
  }
}

/** Nodes selected by one atom, graph operators applied. */
function selectAtom(atom: SelectorAtom, manifest: Manifest, dag: Dag, state?: SelectorState): Set<string> {
  if (atom.method === 'exposure') {
    // An exposure is not a node that runs: `exposure:x` selects what it uses directly, `+exposure:x` also
    // everything upstream of that (dbt's `+exposure:x`); `*` matches every exposure.
    const all = [...(manifest.exposures?.values() ?? [])];
    const re = new RegExp(`^${atom.value.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    const hit = all.filter((e) => re.test(e.name));
    if (hit.length === 0) {
      const names = all.map((e) => e.name);
      throw badSelector(atom.raw, names.length ? `no exposure named '${atom.value}' (exposures: ${names.join(', ')})` : `no exposure named '${atom.value}': the project defines no exposures`);
    }
    const out = new Set<string>(hit.flatMap((e) => e.depends_on));
    // The exposure's own parents are one generation up: `2+exposure:x` adds theirs, and so on.
    if (atom.parents > 1) for (const uid of [...out]) for (const a of ancestors(dag, uid, atom.parents === Infinity ? Infinity : atom.parents - 1)) out.add(a);
    return out;
  }
  if (atom.method === 'state' || atom.method === 'result' || atom.method === 'source_status') {
    const allowed: readonly string[] = atom.method === 'state' ? STATE_VALUES : atom.method === 'result' ? RESULT_VALUES : SOURCE_STATUS_VALUES;
    if (!allowed.includes(atom.value)) throw badSelector(atom.raw, `unknown ${atom.method} '${atom.value}' (${allowed.map((x) => `${atom.method}:${x}`).join(', ')})`);
    if (!state) throw stateRequired(atom.raw);
  }
  const out = new Set<string>();
  for (const node of manifest.nodes.values()) if (matchesAtom(node, atom, manifest, state)) out.add(node.unique_id);
  const base = [...out];
  for (const uid of base) {
    if (atom.parents) for (const a of ancestors(dag, uid, atom.parents)) out.add(a);
    if (atom.children || atom.childrenParents) for (const d of descendants(dag, uid, atom.childrenParents ? Infinity : atom.children)) out.add(d);
  }
  if (atom.childrenParents) for (const uid of [...out]) for (const a of ancestors(dag, uid)) out.add(a);
  return out;
}

/**
 * Evaluates selector expressions: each string may hold several space-separated terms (union); a term's
 * comma-separated atoms intersect.
 * @returns selected unique_ids (all nodes when `selectors` is empty)
 * @throws WeirError `WEIR_SELECTOR_INVALID`
 */
export function evaluateSelectors(selectors: readonly string[], manifest: Manifest, dag: Dag, state?: SelectorState): Set<string> {
  const terms = selectors.flatMap((s) => s.split(/\s+/)).filter(Boolean);
  if (terms.length === 0) return new Set(manifest.nodes.keys());
  const out = new Set<string>();
  for (const term of terms) {
    const atoms = term.split(',').filter(Boolean).map(parseAtom);
    let acc: Set<string> | undefined;
    for (const atom of atoms) {
      const sel = selectAtom(atom, manifest, dag, state);
      acc = acc ? new Set([...acc].filter((x) => sel.has(x))) : sel;
    }
    for (const x of acc ?? []) out.add(x);
  }
  return out;
}

/** Options for {@link selectNodes}. */
export interface SelectionOptions {
  readonly select?: readonly string[];
  readonly exclude?: readonly string[];
  /** Resource types the command acts on (e.g. run: ['model']). */
  readonly resourceTypes: readonly GraphNode['resource_type'][];
  /**
   * Add tests whose parents include a selected node (dbt's "eager" indirect selection), when tests are
   * among the resource types.
   */
  readonly indirectTests?: boolean;
  /**
   * Which tests of selected nodes are added (dbt's `--indirect-selection`,
   * https://docs.getdbt.com/reference/node-selection/test-selection-examples): `eager` (default) a test
   * with any selected parent; `cautious` only when all its parents are selected; `buildable` when all its
   * parents are selected or upstream of a selected node; `empty` none.
   */
  readonly indirectSelection?: IndirectSelection;
  /** Nodes already chosen (a YAML selector's result), used instead of `select`. */
  readonly preselected?: ReadonlySet<string>;
  /** The earlier run's artifacts, for `state:` and `result:` atoms (`--state`). */
  readonly state?: SelectorState;
}

/** dbt's `--indirect-selection` modes. */
export type IndirectSelection = 'eager' | 'cautious' | 'buildable' | 'empty';

/** The modes, for validation. */
export const INDIRECT_SELECTION_MODES: readonly IndirectSelection[] = ['eager', 'cautious', 'buildable', 'empty'];

/**
 * Selects the nodes a command acts on: `select` minus `exclude`, filtered to the command's resource
 * types, plus indirectly selected tests.
 * @returns unique_ids in manifest order
 */
export function selectNodes(manifest: Manifest, dag: Dag, options: SelectionOptions): string[] {
  const selected = options.preselected ?? evaluateSelectors(options.select ?? [], manifest, dag, options.state);
  const excluded = options.exclude?.length ? evaluateSelectors(options.exclude, manifest, dag, options.state) : new Set<string>();
  const chosen = new Set([...selected].filter((u) => !excluded.has(u)));
  const mode = options.indirectSelection ?? 'eager';
  if (options.indirectTests !== false && mode !== 'empty' && options.resourceTypes.includes('test') && (options.select?.length || options.preselected)) {
    let upstream: Set<string> | undefined;
    const buildable = (p: string) => {
      if (!upstream) {
        upstream = new Set<string>();
        for (const u of chosen) for (const a of ancestors(dag, u)) upstream.add(a);
      }
      return chosen.has(p) || upstream.has(p);
    };
    const picked: string[] = [];
    for (const node of manifest.nodes.values()) {
      if (node.resource_type !== 'test' || chosen.has(node.unique_id) || excluded.has(node.unique_id)) continue;
      const ps = manifest.parents.get(node.unique_id) ?? [];
      const ok = mode === 'eager' ? ps.some((p) => chosen.has(p)) : mode === 'cautious' ? ps.length > 0 && ps.every((p) => chosen.has(p)) : ps.some((p) => chosen.has(p)) && ps.every(buildable);
      if (ok) picked.push(node.unique_id);
    }
    for (const u of picked) chosen.add(u);
  }
  return [...manifest.nodes.values()]
    .filter((n) => chosen.has(n.unique_id) && options.resourceTypes.includes(n.resource_type))
    .map((n) => n.unique_id);
}
