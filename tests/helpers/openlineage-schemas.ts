/**
 * Validates OpenLineage events against the spec in `../shared/data/openlineage_spec/` (OpenLineage.json 2-0-2
 * and the facet schemas) with ajv, for tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const DIR = path.resolve(__dirname, '../../../shared/data/openlineage_spec');
let cache: { event: ValidateFunction; facets: ValidateFunction[] } | undefined;

function validators() {
  if (cache) return cache;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const event = ajv.compile(JSON.parse(readFileSync(path.join(DIR, 'OpenLineage.json'), 'utf8'))) as ValidateFunction;
  const facets = readdirSync(path.join(DIR, 'facets')).filter((f) => f.endsWith('.json'))
    .map((f) => ajv.compile(JSON.parse(readFileSync(path.join(DIR, 'facets', f), 'utf8'))) as ValidateFunction);
  cache = { event, facets };
  return cache;
}

/** Problems of one event: against the event schema, and every facets object against every facet schema. */
export function openLineageErrors(event: Record<string, any>): string[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const { event: ev, facets } = validators();
  const out: string[] = [];
  if (!ev(event)) out.push(...(ev.errors ?? []).map((e) => `event ${e.instancePath}: ${e.message}`));
  const facetObjects = [event.run?.facets, event.job?.facets, ...(event.inputs ?? []).map((d: any) => d.facets), ...(event.outputs ?? []).map((d: any) => d.facets)].filter(Boolean); // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const f of facetObjects) for (const v of facets) if (!v(f)) out.push(...(v.errors ?? []).map((e) => `facet ${e.instancePath}: ${e.message}`));
  return out;
}
