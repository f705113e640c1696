/**
 * State comparison for `--state` selection, after dbt's state method
 * (https://docs.getdbt.com/reference/node-selection/methods#state): the current manifest against an
 * earlier one. A node is
 * - `state:new` when the earlier manifest has no node with its unique_id;
 * - `state:modified.body` when its checksum differs (model/test template text, seed file bytes, generic
 *   test definition, source address and freshness);
 * - `state:modified.configs` when its resolved config differs (keys in any order);
 * - `state:modified.macros` when a macro it uses (transitively) changed, appeared or disappeared, or the
 *   set of macros it uses changed;
 * - `state:modified` when it is new or any of the above holds; `state:unmodified` / `state:old` are the
 *   complements for existing nodes.
 * `result:<status>` selects nodes with that status in the earlier run_results.json.
 * `source_status:fresher` selects sources whose newest row (`max_loaded_at` in this target's
 * sources.json) is newer than in the state's sources.json (or that the state did not check), as dbt's
 * (https://docs.getdbt.com/reference/node-selection/methods#source_status); `source_status:fresher+`
 * then builds what reads from new data.
 */
import { WeirError } from '../errors/weir-error.js';
import { canonical, macroChecksum, nodeChecksum } from '../artifacts/checksums.js';
import type { PreviousNode, PreviousState, SourcesArtifact } from '../artifacts/previous-state.js';
import type { Manifest } from '../manifest/manifest.js';
import { manifestConfig, WEIR_FACTS_KEY } from '../artifacts/dbt/node-config.js';
import type { GraphNode } from '../manifest/types.js';

/** How a node differs from the earlier manifest. */
export type Modification = 'body' | 'configs' | 'macros';

/** `state:` values accepted. */
export const STATE_VALUES = ['modified', 'modified.body', 'modified.configs', 'modified.macros', 'new', 'old', 'unmodified'] as const;
/** `source_status:` values accepted. */
export const SOURCE_STATUS_VALUES = ['fresher'] as const;
/** `result:` values accepted (node statuses of run_results.json). */
export const RESULT_VALUES = ['error', 'fail', 'skipped', 'success', 'warn', 'pass'] as const;

/**
 * State of the earlier invocation bound to the current manifest, with per-node comparisons memoized.
 * Create one per selection (cheap); comparisons run only for nodes a `state:` atom asks about.
 */
export class SelectorState {
  private readonly memo = new Map<string, ReadonlySet<Modification> | 'new'>();
  private macroChanged?: Map<string, boolean>;
  private readonly resultStatus = new Map<string, string>();
  private currentSources?: SourcesArtifact | null;

  /**
   * @param current the current target's artifacts: `sources` reads its sources.json (for `source_status:`;
   *   called only when such an atom is evaluated), `sourcesFile` says where, for messages
   */
  constructor(readonly previous: PreviousState, private readonly manifest: Manifest, private readonly current: { sources?: () => SourcesArtifact | undefined; sourcesFile?: string } = {}) {
    for (const r of previous.runResults?.results ?? []) this.resultStatus.set(r.unique_id, r.status);
  }

  /**
   * Whether a source matches a `source_status:` value.
   * @throws WeirError `WEIR_STATE_INVALID` when either sources.json is missing
   */
  matchesSourceStatus(node: GraphNode, value: string): boolean {
    const hint = 'Run `weir source freshness` in production (copy its sources.json into the --state directory) and in this target before selecting by source_status.';
    if (!this.previous.sources) throw new WeirError('WEIR_STATE_INVALID', `source_status:${value} needs sources.json in the --state directory ${this.previous.dir}`, { hint });
    if (this.currentSources === undefined) this.currentSources = this.current.sources?.() ?? null;
    if (!this.currentSources) throw new WeirError('WEIR_STATE_INVALID', `source_status:${value} needs this target's ${this.current.sourcesFile ?? 'sources.json'}`, { hint });
    if (node.resource_type !== 'source') return false;
    const now = this.currentSources.results.find((r) => r.unique_id === node.unique_id);
    if (!now || now.status === 'runtime error' || !now.max_loaded_at) return false;
    const before = this.previous.sources.results.find((r) => r.unique_id === node.unique_id);
    if (!before || before.status === 'runtime error' || !before.max_loaded_at) return true;
    return Date.parse(now.max_loaded_at) > Date.parse(before.max_loaded_at);
  }

  /** `'new'`, or the set of modifications (empty when unchanged). */
  compare(node: GraphNode): ReadonlySet<Modification> | 'new' {
    const hit = this.memo.get(node.unique_id);
    if (hit) return hit;
    const prev = this.previous.manifest.nodes.get(node.unique_id);
    const out: ReadonlySet<Modification> | 'new' = prev ? this.diff(node, prev) : 'new';
    this.memo.set(node.unique_id, out);
    return out;
  }

  private diff(node: GraphNode, prev: PreviousNode): Set<Modification> {
    const out = new Set<Modification>();
    const now = nodeChecksum(node);
    // Manifests without checksums (older Weir builds) fall back to comparing raw_code.
    if (prev.checksum) {
      if (!now || now.checksum !== prev.checksum.checksum) out.add('body');
    } else if (node.resource_type === 'model' || node.resource_type === 'test') {
      if (node.raw_code !== prev.raw_code) out.add('body');
    }
    // Both sides in the manifest's form (dbt's hook spelling, Weir-only facts left out).
    if (JSON.stringify(canonical(comparableConfig(manifestConfig(node)))) !== JSON.stringify(canonical(comparableConfig(prev.config ?? {})))) out.add('configs');
    if (node.resource_type === 'model' || node.resource_type === 'test') {
      const ids = node.deps.macros.map((m) => `macro.${this.manifest.projectName}.${m}`);
      const before = [...(prev.depends_on?.macros ?? [])].sort();
      if (JSON.stringify([...ids].sort()) !== JSON.stringify(before) || ids.some((id) => this.macroModified(id))) out.add('macros');
    }
    return out;
  }

  /** Whether a macro (by unique_id) differs from the earlier manifest (or is missing from either side). */
  macroModified(uid: string): boolean {
    if (!this.macroChanged) {
      this.macroChanged = new Map();
      for (const m of this.manifest.macros) {
        const prev = this.previous.manifest.macros.get(m.unique_id);
        const sum = macroChecksum(m).checksum;
        this.macroChanged.set(m.unique_id, !prev || (prev.checksum ? prev.checksum.checksum !== sum : prev.raw_code !== m.raw_code));
      }
    }
    return this.macroChanged.get(uid) ?? true;
  }

  /**
   * Whether `node` matches a `state:` value.
   * @throws WeirError `WEIR_SELECTOR_INVALID` for an unknown value
   */
  matchesState(node: GraphNode, value: string): boolean {
    const c = this.compare(node);
    switch (value) {
      case 'new':
        return c === 'new';
      case 'old':
        return c !== 'new';
      case 'modified':
        return c === 'new' || c.size > 0;
      case 'unmodified':
        return c !== 'new' && c.size === 0;
      case 'modified.body':
      case 'modified.configs':
      case 'modified.macros':
        return c !== 'new' && c.has(value.slice('modified.'.length) as Modification);
      default:
        throw new WeirError('WEIR_SELECTOR_INVALID', `invalid selector 'state:${value}': unknown state '${value}'`, {
          hint: `Use one of: ${STATE_VALUES.map((v) => `state:${v}`).join(', ')}.`,
        });
    }
  }

  /**
   * Whether `node` had status `value` in the earlier run_results.json.
   * @throws WeirError `WEIR_STATE_INVALID` when the state directory has no run_results.json;
   *   `WEIR_SELECTOR_INVALID` for an unknown status
   */
  matchesResult(node: GraphNode, value: string): boolean {
    if (!(RESULT_VALUES as readonly string[]).includes(value)) {
      throw new WeirError('WEIR_SELECTOR_INVALID', `invalid selector 'result:${value}': unknown status '${value}'`, {
        hint: `Use one of: ${RESULT_VALUES.map((v) => `result:${v}`).join(', ')}.`,
      });
    }
    if (!this.previous.runResults) {
      throw new WeirError('WEIR_STATE_INVALID', `result:${value} needs run_results.json in the --state directory ${this.previous.dir}`, {
        hint: 'Copy run_results.json from the target directory of the run whose results you want to select by.',
      });
    }
    return this.resultStatus.get(node.unique_id) === value;
  }
}

/** The error for a state-dependent selector used without `--state`. */
export function stateRequired(raw: string): WeirError {
  return new WeirError('WEIR_STATE_INVALID', `selector '${raw}' compares with an earlier run: pass --state DIR`, {
    hint: 'DIR holds the manifest.json (and run_results.json for result:) of the run to compare with, e.g. --state prod-artifacts/.',
  });
}

/** A manifest config without the Weir-only facts (`config.weir`), which are not settings. */
function comparableConfig(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { [WEIR_FACTS_KEY]: _facts, ...rest } = config;
  return rest;
}
