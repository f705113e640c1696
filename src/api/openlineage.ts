/**
 * OpenLineage for `run`/`build`/`seed`/`snapshot`/`test` (`--openlineage-url`, `--openlineage-file`): the
 * facts of each selected node (the relations it reads and builds, named per OpenLineage's dataset naming
 * https://openlineage.io/docs/spec/naming, its compiled SQL, and its column lineage from Weir's own lineage
 * analysis, lineage/lineage.ts) and the emitter that sends START/COMPLETE/FAIL RunEvents while the run goes
 * (events/openlineage/). Dataset namespaces: DuckDB `duckdb://<absolute database file>`, Snowflake
 * `snowflake://<account>`, Trino `trino://<host>:<port>`; names `[database.]schema.table`.
 */
import path from 'node:path';
import type { Reporter } from '../events/events.js';
import { now } from '../events/events.js';
import { fileTransport, httpTransport, OpenLineageEmitter, type OlTransport } from '../events/openlineage/emitter.js';
import type { OlColumnSource, OlDatasetName, OlNodeFacts } from '../events/openlineage/run-events.js';
import type { GraphNode, RelationName } from '../manifest/types.js';
import type { LineageInput } from '../lineage/lineage.js';
import { WeirError } from '../errors/weir-error.js';
import type { WeirProject } from './project.js';
import { isEphemeral } from '../manifest/materialization.js';

/** Where to send events. */
export interface OpenLineageOptions {
  /** OpenLineage HTTP endpoint base (events go to `<url>/api/v1/lineage`). */
  readonly url?: string;
  /** File to append events to (one JSON per line; relative to the project directory). */
  readonly file?: string;
  /** Job namespace (default: the project's name). */
  readonly namespace?: string;
}

/** The dataset namespace of the project's target. */
function datasetNamespace(project: WeirProject): string {
  const t = project.files.target as Record<string, unknown>;
  if (t.type === 'duckdb') return `duckdb://${t.path === ':memory:' ? ':memory:' : path.resolve(project.files.root, String(t.path ?? 'target/weir.duckdb'))}`;
  if (t.type === 'snowflake') return `snowflake://${String(t.account ?? '').toLowerCase()}`;
  if (t.type === 'trino') {
    const u = new URL(String(t.server));
    return `trino://${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '8080')}`;
  }
  return `${String(t.type)}://${project.targetInfo.name}`;
}

const datasetName = (r: RelationName) => [r.database, r.schema, r.identifier].filter(Boolean).join('.');

/**
 * Creates the emitter for a run over `selected` nodes.
 * @throws WeirError `WEIR_USAGE` for a URL that is not http(s)
 */
export async function openLineageEmitter(project: WeirProject, selected: readonly string[], o: OpenLineageOptions, reporter: Reporter): Promise<OpenLineageEmitter> {
  const transports: OlTransport[] = [];
  if (o.url) {
    let u: URL;
    try {
      u = new URL(o.url);
    } catch {
      throw new WeirError('WEIR_USAGE', `--openlineage-url '${o.url}' is not a URL`, { hint: 'e.g. --openlineage-url http://localhost:5000 (events go to /api/v1/lineage)' });
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new WeirError('WEIR_USAGE', `--openlineage-url must be http:// or https://, got ${u.protocol}`);
    transports.push(httpTransport(o.url));
  }
  if (o.file) transports.push(fileTransport(path.resolve(project.files.root, o.file)));
  const namespace = datasetNamespace(project);
  const renderer = project.renderer();
  const m = project.manifest;
  const datasetOf = (uid: string): OlDatasetName | undefined => {
    const n = m.nodes.get(uid);
    if (!n || n.resource_type === 'test' || isEphemeral(n)) return undefined;
    const r = renderer.relationOf(n);
    return r ? { namespace, name: datasetName(r) } : undefined;
  };
  // Inputs: parents, through ephemeral models (inlined) to what they read.
  const inputsOf = (uid: string): OlDatasetName[] => {
    const out = new Map<string, OlDatasetName>();
    const stack = [...(m.parents.get(uid) ?? [])];
    const seen = new Set<string>();
    while (stack.length) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      const d = datasetOf(p);
      if (d) out.set(d.name, d);
      else stack.push(...(m.parents.get(p) ?? []));
    }
    return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
  };
  const lineage = await columnLineage(project, selected);
  const facts = new Map<string, OlNodeFacts>();
  for (const uid of selected) {
    const n = m.nodes.get(uid) as GraphNode;
    let sql: string | undefined;
    try {
      sql = 'raw_code' in n ? renderer.render(uid).compiled_code : undefined;
    } catch {
      sql = undefined; // the run reports the template error
    }
    const cols = lineage.get(uid) ?? [];
    facts.set(uid, {
      unique_id: uid, resource_type: n.resource_type, inputs: inputsOf(uid), output: datasetOf(uid), dialect: project.targetInfo.type,
      sql: sql === undefined ? undefined : project.redact(sql),
      columns: cols.map((c) => ({
        name: c.name,
        sources: c.upstream.flatMap((u): OlColumnSource[] => {
          const d = datasetOf(u.node);
          return d ? [{ dataset: d, field: u.column, kind: u.kind }] : [];
        }),
      })),
    });
  }
  return new OpenLineageEmitter({
    namespace: o.namespace ?? project.manifest.projectName, facts, transports,
    warn: (message) => reporter.emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', message }),
  });
}

/** Column lineage of the selected models and snapshots (DuckDB's parser over SQL rendered for DuckDB). */
async function columnLineage(project: WeirProject, selected: readonly string[]) {
  const m = project.manifest;
  const wanted = new Set(selected.filter((u) => ['model', 'snapshot'].includes(m.nodes.get(u)!.resource_type)));
  if (!wanted.size) return new Map<string, { name: string; upstream: { node: string; column: string; kind: OlColumnSource['kind'] }[] }[]>();
  const renderer = await project.duckdbRenderer();
  const inputs: LineageInput[] = [];
  // DAG order, so upstream models' columns are known when a model selects * from them.
  const { topologicalSort } = await import('graphology-dag');
  const order = topologicalSort(project.dag).filter((u) => m.nodes.has(u));
  const placed = new Set(order);
  for (const uid of [...order, ...[...m.nodes.keys()].filter((u) => !placed.has(u))]) {
    const n = m.nodes.get(uid);
    if (!n) continue;
    if (n.resource_type === 'test') continue;
    const ephemeral = isEphemeral(n);
    let compiled_code: string | undefined;
    if (wanted.has(n.unique_id)) {
      try {
        compiled_code = renderer.render(n.unique_id).compiled_code;
      } catch {
        compiled_code = undefined;
      }
    }
    inputs.push({ unique_id: n.unique_id, resource_type: wanted.has(n.unique_id) ? n.resource_type : 'source', relation: ephemeral ? undefined : renderer.relationOf(n), compiled_code });
  }
  const { computeLineage } = await import('../lineage/lineage.js');
  const art = await computeLineage(inputs, { columnsOf: () => undefined, reuseComputedColumns: true, defaultSchema: project.targetInfo.schema, metadata: { weir_schema_version: '', weir_version: '', generated_at: now(), invocation_id: '', project_name: '', target_name: '', adapter_type: '' } });
  const out = new Map<string, { name: string; upstream: { node: string; column: string; kind: OlColumnSource['kind'] }[] }[]>();
  for (const [uid, nl] of Object.entries(art.nodes)) out.set(uid, Object.entries(nl.columns).map(([name, c]) => ({ name, upstream: [...c.upstream] })));
  return out;
}
