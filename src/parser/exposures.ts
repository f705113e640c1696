/**
 * Exposures (dbt's exposures): the dashboards, notebooks and applications declared in schema YAML that use
 * the project's nodes, their `depends_on` resolved to unique_ids.
 */
import { WeirError } from '../errors/weir-error.js';
import { closest } from '../utils/closest.js';
import { uniqueId } from '../manifest/manifest.js';
import type { ExposureDef } from '../manifest/types.js';
import { parseRelationArg } from './generic-tests.js';
import type { ParseContext } from './parse-context.js';

/** The project's exposures by unique_id (after every node is parsed). */
export function parseExposures(ctx: ParseContext): Map<string, ExposureDef> {
  const { files, project, errors, refIndex, sourceIndex } = ctx;
  const exposures = new Map<string, ExposureDef>();
  for (const sf of files.schemaFiles) {
    for (const e of sf.exposures ?? []) {
      const uid = uniqueId('exposure', project, e.name);
      if (exposures.has(uid)) {
        errors.push(new WeirError('WEIR_DUPLICATE_NODE', `exposure '${e.name}' is defined twice (also in ${exposures.get(uid)!.path})`, { location: { file: e.file, line: e.line } }));
        continue;
      }
      const dependsOn: string[] = [];
      for (const d of e.depends_on) {
        const rel = parseRelationArg(d);
        const target = rel?.kind === 'ref' ? refIndex.get(rel.name) : rel?.kind === 'source' ? sourceIndex.get(`${rel.source}.${rel.table}`) : undefined;
        if (!target) {
          const name = rel?.kind === 'ref' ? rel.name : rel?.kind === 'source' ? `${rel.source}.${rel.table}` : d;
          const s = rel?.kind === 'source' ? closest(name, sourceIndex.keys()) : closest(name, refIndex.keys());
          errors.push(new WeirError('WEIR_REF_NOT_FOUND', `exposure '${e.name}' depends on ${rel ? `unknown ${rel.kind === 'ref' ? 'model' : 'source'} '${name}'` : `'${d}', which is not ref('...') or source('...', '...')`}`, {
            location: { file: e.file, line: e.line }, hint: s ? `Did you mean '${s}'?` : "Write depends_on: [ref('orders'), source('crm', 'customers')].",
          }));
        } else if (!dependsOn.includes(target)) dependsOn.push(target);
      }
      exposures.set(uid, {
        unique_id: uid, name: e.name, label: e.label, type: e.type, owner: e.owner, description: e.description, url: e.url, maturity: e.maturity,
        tags: e.tags, meta: e.meta, path: e.file, depends_on: dependsOn,
      });
    }
  }
  return exposures;
}
