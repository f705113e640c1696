/**
 * Weir's public library API. Everything the CLI does is available here. Importing it loads no part of
 * the command line (yargs and src/cli/ load on the first {@link runCli} call).
 * @packageDocumentation
 */
import type { CliIO } from '../cli/context.js';

export { WeirProject, formatCompiled, redactingReporter } from '../api/project.js';
export type { RunArgs, RunSummary, RunCommand, SelectionArgs, ProjectLoadOptions } from '../api/project.js';
export { WeirError, WeirErrors } from '../errors/weir-error.js';
export type { WeirErrorCode, SourceLocation } from '../errors/weir-error.js';
export type { Reporter, WeirEvent, NodeStatus } from '../events/events.js';
export { TextReporter } from '../events/text-reporter.js';
export { JsonReporter } from '../events/json-reporter.js';
export type { Adapter, Dialect, Connection, QueryResult, AdapterCapabilities } from '../adapters/adapter.js';
export { ADAPTER_TYPES } from '../adapters/registry.js';
export type { Manifest } from '../manifest/manifest.js';
export type * from '../manifest/types.js';
export { evaluateSelectors, parseAtom, selectNodes } from '../graph/selector.js';
export { normalCdf, normalTwoSidedP, normalCdfSql, normalTwoSidedPSql } from '../compiler/sqlmath.js';
export { ARTIFACT_SCHEMAS, WEIR_VERSION } from '../artifacts/artifacts.js';
export { defineScalarUdf, defineBatchUdf, isUdfDefinition, resolveUdfVersion } from '../udfs/define.js';
export type { ScalarUdf, BatchUdf, UdfDefinition, UdfArg, UdfSqlType, UdfContext, BatchContext } from '../udfs/define.js';
export { retryLastRun, planRetry } from '../api/retry.js';
export type { RetryPlan, RetryOptions } from '../api/retry.js';
export { loadPreviousState } from '../artifacts/previous-state.js';
export type { PreviousState } from '../artifacts/previous-state.js';
export { SelectorState } from '../graph/state.js';
export { runOperation, parseOperationArgs } from '../api/operation.js';
export type { OperationResult } from '../api/operation.js';
export { sourceFreshness } from '../api/freshness.js';
export { diffModel, defaultDiffKey, formatDiff, type DiffOptions, type TableDiff } from '../api/diff.js';
export type { FreshnessArgs, FreshnessSummary } from '../api/freshness.js';
export type { FreshnessResult, FreshnessStatus } from '../execution/freshness.js';
export { readCatalog, catalogColumns, CATALOG_SCHEMA } from '../docs/catalog.js';
export type { CatalogArtifact, CatalogTable, CatalogColumn, CatalogError, CatalogRequest } from '../docs/catalog.js';
export { serveDocs, type DocsServer } from '../docs/serve.js';
export type { GenerateDocsResult } from '../docs/generate.js';
export { computeLineage, LINEAGE_SCHEMA } from '../lineage/lineage.js';
export type { LineageArtifact, NodeLineage, LineageInput, DerivedColumn, ColumnLineageEntry } from '../lineage/lineage.js';
export { analyzeSelect } from '../lineage/column-lineage.js';
export type { LineageKind, UpstreamColumn, ColumnLineage, RelationResolver } from '../lineage/column-lineage.js';
export { createClient } from '../client/create-client.js';
export type { CreateClientOptions } from '../client/create-client.js';
export { sqlToTs, tsTypeText } from '../adapters/sql-types.js';
export { EVENT_CONTRACT, checkEvent } from '../events/contract.js';

/**
 * Runs the `weir` command line in-process, as bin/weir.js does.
 * @param argv arguments without `node weir`, e.g. `['build', '--select', 'tag:nightly']`
 * @param io streams to write to (default: the process's stdout/stderr)
 * @returns the exit code (0 success, 1 a node failed, 2 invalid project or command, 130/143 cancelled)
 */
export async function runCli(argv: readonly string[], io?: CliIO): Promise<number> {
  const { main } = await import('../cli/main.js');
  return main(argv, io);
}
