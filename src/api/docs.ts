/**
 * {@link WeirProject.generateDocs}: gathers what the docs site shows — the catalog requests of built
 * relations and each node's SQL compiled for DuckDB's dialect (column lineage) — and hands them to
 * docs/generate.ts, loaded on demand.
 */
import type { CatalogRequest } from '../docs/catalog.js';
import type { GenerateDocsResult } from '../docs/generate.js';
import type { LineageInput } from '../lineage/lineage.js';
import { TEST_HISTORY_TABLE } from '../artifacts/test-history.js';
import type { WeirError } from '../errors/weir-error.js';
import type { WeirProject } from './project.js';

/**
 * Compiles every node (writing manifest.json), reads the catalog of built relations, computes column
 * lineage and writes catalog.json, lineage.json and the site in `target/docs/`.
 * @returns what was written, plus the compile errors (a broken model has no compiled SQL or lineage)
 * @throws WeirError when the target can't be opened or the docs app isn't built
 */
export async function generateDocs(project: WeirProject): Promise<GenerateDocsResult & { compileErrors: WeirError[] }> {
  const { errors } = project.compile();
  const renderer = project.renderer();
  const duckRenderer = await project.duckdbRenderer();
  const { snapshotDerivedColumns } = await import('../execution/materializations/snapshot-lineage.js');
  const catalogRequests: CatalogRequest[] = [];
  const lineageInputs: LineageInput[] = [];
  for (const node of project.manifest.nodes.values()) {
    if (node.resource_type === 'test') continue;
    const ephemeral = node.config.materialized === 'ephemeral';
    const relation = ephemeral ? undefined : renderer.relationOf(node);
    if (relation) catalogRequests.push({ unique_id: node.unique_id, resource_type: node.resource_type, relation });
    let compiled_code: string | undefined;
    if ('raw_code' in node) {
      try {
        compiled_code = duckRenderer.render(node.unique_id).compiled_code;
      } catch {
        /* a compile error, reported by compile() */
      }
    }
    lineageInputs.push({
      unique_id: node.unique_id, resource_type: node.resource_type, relation, compiled_code: compiled_code === undefined ? undefined : project.redact(compiled_code),
      // A snapshot's weir_* columns are derived by its strategy, not selected by its query.
      derivedColumns: node.resource_type === 'snapshot' ? snapshotDerivedColumns(node.snapshot) : undefined,
    });
  }
  // Loaded on demand: docs bring DuckDB's SQL parser (column lineage) and the graph layout, which compiling doesn't need.
  const { generateDocs: writeDocs } = await import('../docs/generate.js');
  const result = await writeDocs({
    targetDir: project.targetDir, metadata: project.metadata(), catalogRequests, lineageInputs,
    // The catalog is read like a query reads: from a current read copy, so a scheduled run is not held out.
    openAdapter: () => project.openReadAdapter(), defaultSchema: project.targetInfo.schema,
    testHistory: { database: renderer.target.database, schema: renderer.target.schema, identifier: TEST_HISTORY_TABLE },
  });
  return { ...result, compileErrors: errors };
}
