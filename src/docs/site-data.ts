/**
 * The data the docs site shows, built from the artifacts only (`manifest.json`, `catalog.json`,
 * `run_results.json`, `lineage.json`): one flat record per node with its columns (catalog types merged
 * with YAML descriptions and the tests on each), SQL, config, owners and last run, plus a precomputed
 * left-to-right layout of the project graph. The site embeds it as a script (`weir-docs-data.js`), so it
 * works opened from disk where browsers refuse to fetch local JSON.
 */
import type { CatalogArtifact, CatalogError } from './catalog.js';
import type { LineageArtifact, NodeLineage } from '../lineage/lineage.js';
import { boxWidth, layoutDag, type Positions } from './graph-layout.js';
import { readWeirFacts } from '../artifacts/dbt/metadata.js';
import { runSucceeded } from '../artifacts/dbt/run-results-v6.js';
import type { TestHistoryRow } from '../artifacts/test-history.js';
import type { MatchWeights } from './match-weights.js';

/** A column as the site shows it. */
export interface SiteColumn {
  readonly name: string;
  /**
   * Type from the catalog, else the YAML `data_type`. Unbuilt models list the columns their SQL yields
   * (from the lineage analysis), without types.
   */
  readonly type?: string;
  readonly description: string;
  /** unique_ids of generic tests on this column. */
  readonly tests: readonly string[];
  /** Whether the built relation has this column (false: documented in YAML only). */
  readonly in_catalog: boolean;
}

/** Last run of a node, from `run_results.json`. Times in seconds. */
export interface SiteRun {
  readonly status: string;
  readonly execution_time: number;
  readonly started_at?: string;
  readonly completed_at?: string;
  readonly rows_affected?: number;
  readonly failures?: number;
  readonly message?: string;
}

/** One page of the site: a model, seed, source, snapshot, test or UDF. */
export interface SiteNode {
  readonly unique_id: string;
  readonly resource_type: string;
  readonly name: string;
  readonly package_name: string;
  readonly path: string;
  readonly fqn: readonly string[];
  readonly description: string;
  readonly tags: readonly string[];
  readonly config: Readonly<Record<string, unknown>>;
  readonly materialized?: string;
  /** From `meta.owner` (a string or a list). */
  readonly owners: readonly string[];
  readonly meta: Readonly<Record<string, unknown>>;
  readonly relation_name?: string;
  readonly raw_code?: string;
  readonly compiled_code?: string;
  readonly columns: readonly SiteColumn[];
  /** unique_ids this node depends on. */
  readonly depends_on: readonly string[];
  /** unique_ids of tests on this node. */
  readonly tests: readonly string[];
  readonly run?: SiteRun;
  /** Sources: the source's name; tests: generic or singular and the generic test's facts; UDFs: signature. */
  readonly source_name?: string;
  readonly test_type?: string;
  readonly test_metadata?: { readonly name: string; readonly column_name?: string; readonly attached_node?: string; readonly kwargs?: Readonly<Record<string, unknown>> };
  readonly udf?: { readonly kind: string; readonly signature: string; readonly returns: string; readonly deterministic?: boolean; readonly portable?: boolean; readonly version?: string };
  /** Exposures: what kind of use, how mature, where it lives. */
  readonly exposure?: { readonly type: string; readonly label?: string; readonly maturity?: string; readonly url?: string };
}

/** One run of a test in `weir_test_history`. */
export interface SiteTestPoint {
  /** When the run started (ISO). */
  readonly at: string;
  readonly status: string;
  readonly failures: number | null;
  readonly tested_rows: number | null;
  /** 0–100. */
  readonly failure_pct: number | null;
}

/** One run's tests of a model, summed. */
export interface SiteModelPoint {
  readonly at: string;
  /** Tests of the model that ran. */
  readonly tests: number;
  /** Of those, how many failed (status fail or error) or warned. */
  readonly failing: number;
  readonly warning: number;
  /** Failing rows over all its tests. */
  readonly failures: number;
}

/** Everything the docs app reads (`window.__WEIR_DOCS__`). */
export interface SiteData {
  readonly project_name: string;
  readonly target_name: string;
  readonly adapter_type: string;
  readonly weir_version: string;
  readonly generated_at: string;
  readonly nodes: readonly SiteNode[];
  /** Node positions of the project graph (models, seeds, sources, snapshots), left to right. */
  readonly layout: Positions;
  readonly last_run?: { readonly command: string; readonly generated_at: string; readonly elapsed_time: number; readonly success: boolean };
  readonly catalog_errors: readonly CatalogError[];
  readonly lineage: Readonly<Record<string, NodeLineage>>;
  /** Test trends from `weir_test_history`: per test (oldest first), and per model summed per run. */
  readonly test_history: Readonly<Record<string, readonly SiteTestPoint[]>>;
  readonly model_history: Readonly<Record<string, readonly SiteModelPoint[]>>;
  /** er_fellegi_sunter parameter tables by model unique_id, drawn as match-weights charts (match-weights.ts). */
  readonly match_weights: Readonly<Record<string, MatchWeights>>;
}

/** Resource types drawn in the project graph (tests and UDFs have pages but no boxes). */
export const GRAPH_TYPES: ReadonlySet<string> = new Set(['model', 'seed', 'source', 'snapshot']);

/** Height in pixels of a node box in the graph. */
export const BOX_HEIGHT = 26;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Builds the site data.
 * @param manifest the parsed `manifest.json`
 * @param runResults the parsed `run_results.json`, when there is one
 * @param matchWeights parameter tables read by `weir docs generate` (match-weights.ts) and the errors of those it
 *   could not read, listed with the catalog's errors
 */
export function buildSiteData(manifest: Json, catalog: CatalogArtifact, lineage: LineageArtifact, runResults?: Json, history: readonly TestHistoryRow[] = [],
  matchWeights: { readonly tables: Readonly<Record<string, MatchWeights>>; readonly errors: readonly CatalogError[] } = { tables: {}, errors: [] }): SiteData {
  const runs = new Map<string, Json>((runResults?.results ?? []).map((r: Json) => [String(r.unique_id), r]));
  // Unit tests are their own section in dbt's manifest; project hooks (`operation` nodes) get no page.
  const unitTests = Object.values(manifest.unit_tests ?? {}).map((u) => ({ ...(u as Json), resource_type: 'test', test_type: 'unit' }));
  const all: Json[] = [...Object.values(manifest.nodes ?? {}), ...Object.values(manifest.sources ?? {}), ...unitTests]
    .filter((n) => (n as Json).resource_type !== 'operation') as Json[];
  const types = new Map(all.map((n) => [String(n.unique_id), String(n.resource_type)]));
  const testsByColumn = new Map<string, string[]>();
  for (const n of all) {
    if (n.resource_type === 'test' && n.attached_node && n.column_name) {
      const k = `${n.attached_node}\u0000${String(n.column_name).toLowerCase()}`;
      testsByColumn.set(k, [...(testsByColumn.get(k) ?? []), n.unique_id]);
    }
  }
  const nodes: SiteNode[] = all.map((n) => {
    const uid = String(n.unique_id);
    const cat = catalog.nodes[uid] ?? catalog.sources[uid];
    const yamlCols = Object.values((n.columns ?? {}) as Record<string, Json>);
    const yamlByName = new Map(yamlCols.map((c) => [String(c.name).toLowerCase(), c]));
    const colTests = (name: string) => testsByColumn.get(`${uid}\u0000${name.toLowerCase()}`) ?? [];
    const columns: SiteColumn[] = [];
    if (cat) {
      for (const c of Object.values(cat.columns).sort((a, b) => a.index - b.index)) {
        const y = yamlByName.get(c.name.toLowerCase());
        columns.push({ name: c.name, type: c.type, description: String(y?.description ?? ''), tests: colTests(c.name), in_catalog: true });
      }
    }
    if (!cat) {
      // Not built: the columns its SQL yields (from the lineage analysis) are still worth showing.
      for (const name of Object.keys(lineage.nodes[uid]?.columns ?? {})) {
        const y = yamlByName.get(name.toLowerCase());
        columns.push({ name, type: y?.data_type ?? undefined, description: String(y?.description ?? ''), tests: colTests(name), in_catalog: false });
      }
    }
    for (const y of yamlCols) {
      if (columns.some((c) => c.name.toLowerCase() === String(y.name).toLowerCase())) continue;
      columns.push({ name: String(y.name), type: y.data_type ?? undefined, description: String(y.description ?? ''), tests: colTests(String(y.name)), in_catalog: false });
    }
    const r = runs.get(uid);
    const execute = (r?.timing ?? []).find((t: Json) => t.name === 'execute');
    const owner = n.meta?.owner;
    const rows = r?.adapter_response?.rows_affected;
    return {
      unique_id: uid, resource_type: String(n.resource_type), name: String(n.name), package_name: String(n.package_name ?? ''),
      path: String(n.path ?? ''), fqn: n.fqn ?? [], description: String(n.description ?? ''), tags: n.tags ?? [], config: n.config ?? {},
      materialized: n.config?.materialized, owners: owner === undefined ? [] : (Array.isArray(owner) ? owner : [owner]).map(String), meta: n.meta ?? {},
      relation_name: n.relation_name ?? undefined, raw_code: n.raw_code ?? undefined, compiled_code: n.compiled_code ?? undefined, columns,
      depends_on: n.depends_on?.nodes ?? (manifest.parent_map?.[uid] ?? []),
      tests: ((manifest.child_map?.[uid] ?? []) as string[]).filter((c) => types.get(c) === 'test'),
      run: r ? { status: String(r.status), execution_time: Number(r.execution_time), started_at: execute?.started_at ?? undefined, completed_at: execute?.completed_at ?? undefined, rows_affected: typeof rows === 'number' ? rows : undefined, failures: r.failures ?? undefined, message: r.message ?? undefined } : undefined,
      source_name: n.source_name, test_type: n.resource_type === 'test' ? (n.test_type ?? (n.test_metadata ? 'generic' : 'singular')) : undefined,
      test_metadata: n.test_metadata ? { name: n.test_metadata.name, kwargs: n.test_metadata.kwargs, column_name: n.column_name ?? undefined, attached_node: n.attached_node ?? undefined } : undefined,
    };
  });
  for (const u of Object.values((manifest.functions ?? {}) as Record<string, Json>)) {
    const w: Json = u.config?.weir ?? {};
    const optional = new Set<string>(w.optional_args ?? []);
    nodes.push({
      unique_id: String(u.unique_id), resource_type: 'udf', name: String(u.name), package_name: String(u.package_name ?? ''),
      path: String(u.original_file_path ?? ''), fqn: [String(u.name)], description: String(u.description ?? ''), tags: [], config: {}, owners: [], meta: {},
      columns: (u.arguments ?? []).map((a: Json) => ({ name: String(a.name), type: String(a.data_type), description: optional.has(String(a.name)) ? 'optional argument' : 'argument', tests: [], in_catalog: false })),
      depends_on: [], tests: [],
      udf: { kind: String(w.kind ?? 'scalar'), signature: String(w.signature ?? ''), returns: String(u.returns?.data_type ?? ''), deterministic: u.config?.volatility === 'deterministic', portable: w.portable, version: w.version ?? undefined },
    });
  }
  // Exposures (dbt's downstream uses: dashboards, notebooks, applications) get a page each.
  for (const e of Object.values((manifest.exposures ?? {}) as Record<string, Json>)) {
    const owner = [e.owner?.name, e.owner?.email].filter((x) => typeof x === 'string' && x).join(' ');
    nodes.push({
      unique_id: String(e.unique_id), resource_type: 'exposure', name: String(e.label ?? e.name), package_name: String(e.package_name ?? ''),
      path: String(e.original_file_path ?? e.path ?? ''), fqn: e.fqn ?? [String(e.name)], description: String(e.description ?? ''), tags: e.tags ?? [], config: {},
      owners: owner ? [owner] : [], meta: e.meta ?? {}, columns: [], depends_on: e.depends_on?.nodes ?? [], tests: [],
      exposure: { type: String(e.type), label: e.label ?? undefined, maturity: e.maturity ?? undefined, url: e.url ?? undefined },
    });
  }
  const graphNodes = nodes.filter((n) => GRAPH_TYPES.has(n.resource_type));
  const edges: [string, string][] = graphNodes.flatMap((n) => n.depends_on.map((p) => [p, n.unique_id] as [string, string]));
  const layout = layoutDag(graphNodes.map((n) => ({ id: n.unique_id, width: boxWidth(n.name), height: BOX_HEIGHT })), edges);
  const md = readWeirFacts(manifest.metadata);
  return {
    project_name: md.project_name, target_name: md.target_name, adapter_type: md.adapter_type,
    weir_version: md.weir_version, generated_at: catalog.metadata.generated_at, nodes, layout,
    last_run: runResults ? { command: String(runResults.args?.which ?? ''), generated_at: String(runResults.metadata?.generated_at ?? ''), elapsed_time: Number(runResults.elapsed_time), success: runSucceeded({ results: runResults.results ?? [] }) } : undefined,
    catalog_errors: [...catalog.errors, ...matchWeights.errors], lineage: lineage.nodes, ...historyData(history), match_weights: matchWeights.tables,
  };
}

/** Per-test points (oldest first) and per-model sums per run, from the history rows. */
export function historyData(rows: readonly TestHistoryRow[]): Pick<SiteData, 'test_history' | 'model_history'> {
  const test_history: Record<string, SiteTestPoint[]> = {};
  const byModel = new Map<string, Map<string, { at: string; tests: number; failing: number; warning: number; failures: number }>>();
  for (const r of [...rows].sort((a, b) => a.run_started_at.localeCompare(b.run_started_at))) {
    (test_history[r.test_id] ??= []).push({ at: r.run_started_at, status: r.status, failures: r.failures, tested_rows: r.tested_rows, failure_pct: r.failure_pct });
    if (!r.model_id || r.status === 'skipped') continue;
    const runs = byModel.get(r.model_id) ?? byModel.set(r.model_id, new Map()).get(r.model_id)!;
    const p = runs.get(r.invocation_id) ?? runs.set(r.invocation_id, { at: r.run_started_at, tests: 0, failing: 0, warning: 0, failures: 0 }).get(r.invocation_id)!;
    p.tests++;
    if (r.status === 'fail' || r.status === 'error') p.failing++;
    if (r.status === 'warn') p.warning++;
    p.failures += r.failures ?? 0;
  }
  const model_history: Record<string, SiteModelPoint[]> = {};
  for (const [m, runs] of byModel) model_history[m] = [...runs.values()].sort((a, b) => a.at.localeCompare(b.at));
  return { test_history, model_history };
}
