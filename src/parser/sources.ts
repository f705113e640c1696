/**
 * Sources (dbt's parser/sources.py): one node per table declared under `sources:` in schema YAML, with
 * freshness (source level merged with table level) and dbt-duckdb's `external_location`.
 */
import path from 'node:path';
import { WeirError } from '../errors/weir-error.js';
import { mergeConfig } from '../loader/folder-config.js';
import { mergeFreshness } from '../loader/freshness-spec.js';
import { uniqueId } from '../manifest/manifest.js';
import type { SourceNode } from '../manifest/types.js';
import { columnsOf, finishConfig, type ParseContext } from './parse-context.js';

/** Adds a node per source table (a table declared twice is a `WEIR_DUPLICATE_NODE` error). */
export function parseSources(ctx: ParseContext): void {
  const { files, project, errors, nodes, sourceIndex } = ctx;
  /** A source table's `external_location` (dbt-duckdb): `{name}`/`{identifier}` substituted, a relative path resolved against the project. */
  const externalLocationOf = (raw: unknown, name: string, identifier: string, s: { file: string; line?: number; name: string }): { external_location?: string } => {
    if (raw === undefined || raw === null) return {};
    if (typeof raw !== 'string' || !raw.trim()) {
      errors.push(new WeirError('WEIR_CONFIG_INVALID', `source '${s.name}.${name}': external_location must be a file path or URL, got ${JSON.stringify(raw)}`, { location: { file: s.file, line: s.line }, hint: 'e.g. external_location: "data/{name}.parquet"' }));
      return {};
    }
    const loc = raw.replaceAll('{name}', name).replaceAll('{identifier}', identifier);
    return { external_location: /^[a-z][a-z0-9+.-]*:\/\//i.test(loc) ? loc : path.resolve(files.root, loc) };
  };
  for (const sf of files.schemaFiles) {
    for (const s of sf.sources) {
      for (const t of s.tables) {
        const uid = uniqueId('source', project, s.name, t.name);
        if (nodes.has(uid)) {
          errors.push(new WeirError('WEIR_DUPLICATE_NODE', `source '${s.name}.${t.name}' is declared twice`, { location: { file: s.file, line: s.line } }));
          continue;
        }
        const config = finishConfig(mergeConfig({ materialized: 'view' }, s.config ?? {}, t.config), 'source');
        const node: SourceNode = {
          resource_type: 'source', unique_id: uid, name: t.name, package_name: project, fqn: [project, s.name, t.name], path: s.file,
          description: t.description, config, tags: config.tags, columns: columnsOf(t.columns), meta: t.meta,
          source_name: s.name, source_description: s.description, identifier: t.identifier, schema: s.schema, database: s.database, loader: s.loader,
          freshness: mergeFreshness(s.freshness, t.freshness), loaded_at_field: t.loaded_at_field ?? s.loaded_at_field,
          ...externalLocationOf(config.external_location, t.name, t.identifier, s),
        };
        nodes.set(uid, node);
        sourceIndex.set(`${s.name}.${t.name}`, uid);
      }
    }
  }
}
