/**
 * OpenLineage RunEvents (spec 2-0-2, https://openlineage.io/spec/2-0-2/OpenLineage.json) for Weir's nodes:
 * one run per node execution with a START and then a COMPLETE or FAIL event, the node's inputs (the relations
 * it reads) and output (the relation it builds) as datasets, and on the output the facets
 * `schema` (SchemaDatasetFacet 1-2-0, the columns Weir's lineage found) and `columnLineage`
 * (ColumnLineageDatasetFacet 1-2-0, from Weir's column lineage: `direct` → DIRECT/IDENTITY,
 * `transformed` → DIRECT/TRANSFORMATION, `aggregated` → DIRECT/AGGREGATION, `filtered_by` → INDIRECT/FILTER,
 * `join_key` → INDIRECT/JOIN). Job facets: `jobType` (BATCH, integration WEIR, jobType MODEL/SEED/SNAPSHOT/TEST)
 * and `sql` (the compiled SQL); a FAIL carries `errorMessage`. Pure data: this file builds JSON, transports send it.
 */

/** A dataset as OpenLineage names it (https://openlineage.io/docs/spec/naming). */
export interface OlDatasetName {
  readonly namespace: string;
  readonly name: string;
}

/** One upstream column of an output column (Weir's lineage, datasets already named). */
export interface OlColumnSource {
  readonly dataset: OlDatasetName;
  readonly field: string;
  /** Weir's lineage kind. */
  readonly kind: 'direct' | 'transformed' | 'aggregated' | 'filtered_by' | 'join_key';
}

/** What Weir knows about one node for its events. */
export interface OlNodeFacts {
  readonly unique_id: string;
  readonly resource_type: string;
  readonly inputs: readonly OlDatasetName[];
  /** The relation it builds (absent for tests). */
  readonly output?: OlDatasetName;
  /** Output columns in order with their sources (empty when lineage is unknown). */
  readonly columns: readonly { readonly name: string; readonly sources: readonly OlColumnSource[] }[];
  readonly sql?: string;
  readonly dialect: string;
}

/** The producer URI written into every event and facet. */
export const OL_PRODUCER = 'https://github.com/weir-sql/weir';
const SPEC = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const facetBase = (schema: string) => ({ _producer: OL_PRODUCER, _schemaURL: schema });

const TRANSFORMATION: Record<OlColumnSource['kind'], { type: string; subtype: string }> = {
  direct: { type: 'DIRECT', subtype: 'IDENTITY' },
  transformed: { type: 'DIRECT', subtype: 'TRANSFORMATION' },
  aggregated: { type: 'DIRECT', subtype: 'AGGREGATION' },
  filtered_by: { type: 'INDIRECT', subtype: 'FILTER' },
  join_key: { type: 'INDIRECT', subtype: 'JOIN' },
};

/** Parameters of one event. */
export interface OlEventInput {
  readonly eventType: 'START' | 'COMPLETE' | 'FAIL';
  readonly eventTime: string;
  /** UUID of the node's run. */
  readonly runId: string;
  /** Job namespace (`--openlineage-namespace`, default the project name). */
  readonly namespace: string;
  readonly facts: OlNodeFacts;
  /** FAIL: the error message. */
  readonly error?: string;
  /** The invocation's run (parent facet), when known. */
  readonly parent?: { readonly runId: string; readonly namespace: string; readonly name: string };
}

/** Builds one RunEvent. */
export function olRunEvent(i: OlEventInput): Record<string, unknown> {
  const f = i.facts;
  const runFacets: Record<string, unknown> = {};
  if (i.parent) {
    runFacets.parent = { ...facetBase('https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet'), run: { runId: i.parent.runId }, job: { namespace: i.parent.namespace, name: i.parent.name } };
  }
  if (i.eventType === 'FAIL') {
    runFacets.errorMessage = { ...facetBase('https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet'), message: i.error ?? 'failed', programmingLanguage: 'SQL' };
  }
  const jobFacets: Record<string, unknown> = {
    jobType: { ...facetBase('https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet'), processingType: 'BATCH', integration: 'WEIR', jobType: f.resource_type.toUpperCase() },
  };
  if (f.sql) jobFacets.sql = { ...facetBase('https://openlineage.io/spec/facets/1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet'), query: f.sql, dialect: f.dialect };
  const outputs = f.output ? [{ ...f.output, facets: outputFacets(f) }] : [];
  return {
    eventType: i.eventType, eventTime: i.eventTime, producer: OL_PRODUCER, schemaURL: SPEC,
    run: { runId: i.runId, facets: runFacets },
    job: { namespace: i.namespace, name: f.unique_id, facets: jobFacets },
    inputs: f.inputs.map((d) => ({ namespace: d.namespace, name: d.name })),
    outputs,
  };
}

function outputFacets(f: OlNodeFacts): Record<string, unknown> {
  if (!f.columns.length) return {};
  const fields: Record<string, unknown> = {};
  const dataset = new Map<string, Record<string, unknown>>();
  for (const c of f.columns) {
    const direct = c.sources.filter((s) => TRANSFORMATION[s.kind].type === 'DIRECT');
    fields[c.name] = {
      inputFields: direct.map((s) => ({ namespace: s.dataset.namespace, name: s.dataset.name, field: s.field, transformations: [TRANSFORMATION[s.kind]] })),
    };
    for (const s of c.sources.filter((x) => TRANSFORMATION[x.kind].type === 'INDIRECT')) {
      dataset.set(`${s.dataset.namespace}\u0000${s.dataset.name}\u0000${s.field}\u0000${s.kind}`, { namespace: s.dataset.namespace, name: s.dataset.name, field: s.field, transformations: [TRANSFORMATION[s.kind]] });
    }
  }
  return {
    schema: { ...facetBase('https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet'), fields: f.columns.map((c, i) => ({ name: c.name, ordinal_position: i + 1 })) },
    columnLineage: { ...facetBase('https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet'), fields, dataset: [...dataset.values()] },
  };
}
