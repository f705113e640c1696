/**
 * `weir docs generate`: writes `target/catalog.json` (read through the adapter), `target/lineage.json`
 * (column lineage from the compiled SQL) and the static docs site in `target/docs/`: `index.html`, the
 * bundled app (`weir-docs.js`, `weir-docs.css`, built into `dist/docs-app/` by `npm run build`) and the
 * data as a script (`weir-docs-data.js`), so opening `index.html` from disk works without a server.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Adapter } from '../adapters/adapter.js';
import { writeJsonAtomic, type ArtifactMetadata } from '../artifacts/artifacts.js';
import { WeirError } from '../errors/weir-error.js';
import { computeLineage, type LineageArtifact, type LineageInput } from '../lineage/lineage.js';
import { writeFileIfChanged } from '../utils/write-file.js';
import { catalogColumns, catalogJson, readCatalog, type CatalogArtifact, type CatalogRequest } from './catalog.js';
import { buildSiteData, type SiteData } from './site-data.js';
import { historyRowFrom, readHistorySql, type TestHistoryRow } from '../artifacts/test-history.js';
import { isMatchWeightsTable, matchWeightsFrom, MATCH_WEIGHT_MAX_ROWS, type MatchWeights } from './match-weights.js';
import type { CatalogError } from './catalog.js';
import type { RelationName } from '../manifest/types.js';

/** Files of the bundled app copied into the site. */
export const APP_FILES = ['weir-docs.js', 'weir-docs.css'] as const;

/** What {@link generateDocs} needs from the project (the api layer gathers it). */
export interface GenerateDocsInput {
  /** Absolute target directory; `manifest.json` must already be written there (by a compile). */
  readonly targetDir: string;
  readonly metadata: ArtifactMetadata;
  /** Relations to describe in the catalog (models that aren't ephemeral, seeds, sources, snapshots). */
  readonly catalogRequests: readonly CatalogRequest[];
  /** Opens the target's adapter (closed by generateDocs). */
  readonly openAdapter: () => Promise<Adapter>;
  /** Every model/seed/source/snapshot with its relation and SQL compiled for DuckDB's dialect. */
  readonly lineageInputs: readonly LineageInput[];
  /** Schema unqualified table names resolve to. */
  readonly defaultSchema: string;
  /** Where the bundled app lives (default: `dist/docs-app` of this package). */
  readonly appDir?: string;
  /** The `weir_test_history` table to read the test trends from (absent: none shown). */
  readonly testHistory?: RelationName;
}

/** What {@link generateDocs} wrote. Paths are absolute. */
export interface GenerateDocsResult {
  readonly catalogPath: string;
  readonly lineagePath: string;
  readonly siteDir: string;
  readonly indexPath: string;
  readonly catalog: CatalogArtifact;
  readonly lineage: LineageArtifact;
  readonly site: SiteData;
}

/** `dist/docs-app` of this package, found from this module's location (works from `src/` and `dist/`). */
export function defaultAppDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return path.join(dir, 'dist', 'docs-app');
}

/**
 * Generates the catalog, the lineage and the site.
 * @throws WeirError `WEIR_DOCS_APP_MISSING` when the bundled app isn't built; `WEIR_PROJECT_INVALID` when
 *   `manifest.json` is missing; the adapter's errors when the target can't be opened
 */
export async function generateDocs(input: GenerateDocsInput): Promise<GenerateDocsResult> {
  const appDir = input.appDir ?? defaultAppDir();
  for (const f of APP_FILES) {
    if (!existsSync(path.join(appDir, f))) {
      throw new WeirError('WEIR_DOCS_APP_MISSING', `the docs app is not built: ${path.join(appDir, f)} is missing`, { hint: 'Run `npm run build` in the Weir package (it bundles src/docs/app with esbuild into dist/docs-app).' });
    }
  }
  const manifest = readJson(path.join(input.targetDir, 'manifest.json'));
  if (!manifest) throw new WeirError('WEIR_PROJECT_INVALID', `no manifest.json in ${input.targetDir}`, { hint: 'Run `weir compile` (weir docs generate does it first).' });
  const runResults = readJson(path.join(input.targetDir, 'run_results.json'));

  const adapter = await input.openAdapter();
  let catalog: CatalogArtifact;
  let history: TestHistoryRow[] = [];
  let weights: { tables: Record<string, MatchWeights>; errors: CatalogError[] } = { tables: {}, errors: [] };
  try {
    catalog = await readCatalog(adapter, input.catalogRequests, input.metadata);
    if (input.testHistory) history = await readHistory(adapter, input.testHistory);
    weights = await readMatchWeights(adapter, catalog);
  } finally {
    await adapter.close();
  }
  const catalogPath = path.join(input.targetDir, 'catalog.json');
  writeJsonAtomic(catalogPath, catalogJson(catalog));

  const lineage = await computeLineage(input.lineageInputs, {
    columnsOf: (uid) => catalogColumns(catalog, uid)?.map((c) => c.name),
    defaultSchema: input.defaultSchema,
    metadata: input.metadata,
  });
  const lineagePath = path.join(input.targetDir, 'lineage.json');
  writeJsonAtomic(lineagePath, lineage);

  const site = buildSiteData(manifest, catalog, lineage, runResults, history, weights);
  const siteDir = path.join(input.targetDir, 'docs');
  mkdirSync(siteDir, { recursive: true });
  for (const f of APP_FILES) copyFileSync(path.join(appDir, f), path.join(siteDir, f));
  // JSON is valid JavaScript; `<` is escaped so the data can never close a script element if inlined.
  writeFileIfChanged(path.join(siteDir, 'weir-docs-data.js'), `window.__WEIR_DOCS__ = ${JSON.stringify(site).replace(/</g, '\\u003c')};\n`);
  const indexPath = path.join(siteDir, 'index.html');
  writeFileIfChanged(indexPath, indexHtml(site.project_name), 0o644); // no data in it: the page shell
  return { catalogPath, lineagePath, siteDir, indexPath, catalog, lineage, site };
}

/** The recent rows of the test history table; none when it doesn't exist (no test run recorded yet). */
async function readHistory(adapter: Adapter, relation: RelationName): Promise<TestHistoryRow[]> {
  const conn = await adapter.connect();
  try {
    if ((await adapter.relationKind(conn, relation)) !== 'table') return [];
    const r = await conn.execute(readHistorySql(adapter.dialect, adapter.dialect.relation(relation)));
    return r.rows.map(historyRowFrom);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/**
 * The rows of every built model that holds an er_fellegi_sunter parameter table (its columns include
 * {@link MATCH_WEIGHT_COLUMNS}), for the match-weights chart. A table that cannot be read or charted (a query
 * error, more than MATCH_WEIGHT_MAX_ROWS rows, a malformed row) becomes an error entry the site lists, naming the
 * model, its relation and the reason.
 */
async function readMatchWeights(adapter: Adapter, catalog: CatalogArtifact): Promise<{ tables: Record<string, MatchWeights>; errors: CatalogError[] }> {
  const candidates = Object.values(catalog.nodes).filter((t) => t.unique_id.startsWith('model.') && isMatchWeightsTable(Object.keys(t.columns)));
  const tables: Record<string, MatchWeights> = {};
  const errors: CatalogError[] = [];
  if (!candidates.length) return { tables, errors };
  const conn = await adapter.connect();
  try {
    for (const t of candidates) {
      const relation = { database: t.metadata.database ?? undefined, schema: t.metadata.schema, identifier: t.metadata.name };
      const display = `${t.metadata.schema}.${t.metadata.name}`;
      try {
        const r = await conn.execute(`select * from ${adapter.dialect.relation(relation)} limit ${MATCH_WEIGHT_MAX_ROWS + 1}`);
        if (r.rows.length > MATCH_WEIGHT_MAX_ROWS) throw new Error(`more than ${MATCH_WEIGHT_MAX_ROWS} rows: not a parameter table`);
        tables[t.unique_id] = matchWeightsFrom(r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]]))));
      } catch (e) {
        errors.push({ unique_id: t.unique_id, relation: display, message: `cannot chart the match weights of ${display}: ${(e as Error).message}` });
      }
    }
  } finally {
    await conn.close().catch(() => undefined);
  }
  return { tables, errors };
}

function readJson(file: string): Record<string, any> | undefined { // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WeirError('WEIR_PROJECT_INVALID', `cannot read ${file}: ${(e as Error).message}`, { hint: 'Delete the file and run the command that writes it again.' });
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The site's single HTML page: the app renders every view into it (hash routing, so file:// works). */
function indexHtml(projectName: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(projectName)} · Weir docs</title>
<link rel="stylesheet" href="weir-docs.css">
</head>
<body>
<noscript>The Weir docs site needs JavaScript.</noscript>
<div id="app"></div>
<script src="weir-docs-data.js"></script>
<script src="weir-docs.js"></script>
</body>
</html>
`;
}
