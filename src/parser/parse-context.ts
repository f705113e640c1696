/**
 * The state of one run of the parse phase, shared by the per-resource parsers (models.ts, seeds.ts, ...):
 * the loader's files, the template environment, the nodes and name indexes built so far, and every problem
 * found (all reported together at the end). Also the small node-building helpers they share.
 */
import { WeirError } from '../errors/weir-error.js';
import type { TemplateEnvironment } from '../compiler/environment.js';
import type { TemplateFacts } from '../compiler/template.js';
import type { ColumnPatch, NodePatch } from '../loader/schema-yaml.js';
import type { ColumnInfo, GraphNode, NodeConfig, TestNode } from '../manifest/types.js';
import type { ParseInput } from './load-files.js';

/** One parse's state; created by {@link createParseContext}, filled by the per-resource parsers in order. */
export interface ParseContext {
  readonly files: ParseInput;
  /** The template environment with the project's macros registered (helper names, render plans). */
  readonly env: TemplateEnvironment;
  /** The target's engine type (`duckdb`, ...): engine-specific materializations are checked against it. */
  readonly adapterType: string;
  /** The project's name (the second part of every unique_id). */
  readonly project: string;
  /** Every problem found so far; thrown together at the end of the parse. */
  readonly errors: WeirError[];
  /** Nodes by unique_id, in the order they were parsed. */
  readonly nodes: Map<string, GraphNode>;
  /** What `{{ref "name"}}` means: model, seed or snapshot name → unique_id. */
  readonly refIndex: Map<string, string>;
  /** `source.table` → unique_id. */
  readonly sourceIndex: Map<string, string>;
  /** Names of nodes with `enabled: false` (a ref to one gets its own message). */
  readonly disabled: Set<string>;
  /** Versioned models: name → version → unique_id. */
  readonly versions: Map<string, Map<number, string>>;
  /** Template facts of each partial (macro) by name, for the transitive closure of a template's macros. */
  readonly macroFacts: Map<string, TemplateFacts>;
  /** Schema YAML entries of models and seeds by name (see indexPatches in parse-project.ts). */
  readonly patches: { readonly models: Map<string, NodePatch>; readonly seeds: Map<string, NodePatch> };
  /** Makes `name` refer to `uid`; a name taken already is a `WEIR_DUPLICATE_NODE` error naming both paths. */
  addRefName(name: string, uid: string, path: string): void;
  /** Adds a test node; a unique_id taken already gets a `_2`, `_3`... suffix (id and name). */
  addTest(node: TestNode): void;
}

/** A fresh parse state for `files`, parsed for a target of engine `adapterType`. */
export function createParseContext(files: ParseInput, env: TemplateEnvironment, adapterType: string): ParseContext {
  const errors: WeirError[] = [];
  const nodes = new Map<string, GraphNode>();
  const refIndex = new Map<string, string>();
  const addRefName = (name: string, uid: string, path: string) => {
    const prev = refIndex.get(name);
    if (prev) {
      const other = nodes.get(prev);
      errors.push(new WeirError('WEIR_DUPLICATE_NODE', `two nodes are named '${name}': ${other?.path} and ${path}`, {
        location: { file: path }, hint: 'Model and seed names must be unique across the project: rename one file.',
      }));
      return;
    }
    refIndex.set(name, uid);
  };
  const testNames = new Map<string, number>();
  const addTest = (node: TestNode) => {
    let uid = node.unique_id;
    if (nodes.has(uid)) {
      const n = (testNames.get(uid) ?? 1) + 1;
      testNames.set(uid, n);
      uid = `${uid}_${n}`;
      node = { ...node, unique_id: uid, name: `${node.name}_${n}` };
    }
    nodes.set(uid, node);
  };
  return {
    files, env, adapterType, project: files.config.name, errors, nodes, refIndex, sourceIndex: new Map(), disabled: new Set(), versions: new Map(),
    macroFacts: new Map(), patches: { models: new Map(), seeds: new Map() }, addRefName, addTest,
  };
}

/**
 * A node's merged config made uniform: `enabled` a boolean (default true), `tags` a list of strings,
 * `materialized` a string (default: `view` for models, else the resource kind), `schema`/`alias` strings.
 */
export function finishConfig(raw: Record<string, unknown>, kind: string): NodeConfig {
  const tags = Array.isArray(raw.tags) ? raw.tags.map(String) : [];
  const enabled = raw.enabled === undefined ? true : raw.enabled !== false && raw.enabled !== 'false';
  const out: Record<string, unknown> = { ...raw, enabled, tags, materialized: String(raw.materialized ?? (kind === 'model' ? 'view' : kind)) };
  if (out.schema !== undefined) out.schema = String(out.schema);
  if (out.alias !== undefined) out.alias = String(out.alias);
  return out as NodeConfig;
}

/** Documented columns (schema YAML) keyed by name. */
export function columnsOf(cols: readonly ColumnPatch[] | undefined): Record<string, ColumnInfo> {
  const out: Record<string, ColumnInfo> = {};
  for (const c of cols ?? []) out[c.name] = { name: c.name, description: c.description, data_type: c.data_type, tags: c.tags };
  return out;
}

/** A leading `{{!-- ... --}}` or `/* ... *\/` or `--` comment block, used as a description fallback. */
export function leadingComment(raw: string): string {
  const s = raw.trimStart();
  const hb = /^\{\{!--([\s\S]*?)--\}\}/.exec(s) ?? /^\{\{!([\s\S]*?)\}\}/.exec(s);
  if (hb) return hb[1].trim();
  const block = /^\/\*([\s\S]*?)\*\//.exec(s);
  if (block) return block[1].replace(/^\s*\*\s?/gm, '').trim();
  const lines: string[] = [];
  for (const line of s.split('\n')) {
    const m = /^\s*--\s?(.*)$/.exec(line);
    if (!m) break;
    lines.push(m[1]);
  }
  return lines.join('\n').trim();
}
