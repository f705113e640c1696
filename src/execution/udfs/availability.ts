/**
 * Whether a UDF can run for a caller: a batch UDF may say it is unavailable (e.g. no translation model
 * configured); the caller then fails, or is skipped with `on_udf_unavailable: skip`.
 */
import { WeirError } from '../../errors/weir-error.js';
import type { BatchContext } from '../../udfs/define.js';
import type { LoadedUdf } from '../../udfs/registry.js';

/** What the SQL being prepared belongs to (a node, or an ad-hoc query). */
export interface UdfCaller {
  readonly unique_id: string;
  readonly name: string;
  /** `model`, `test`, ... or `query` for `weir query`/`show`. */
  readonly resource_type: string;
  /** Project-relative file, for messages. */
  readonly path: string;
  readonly config: { readonly materialized?: string; readonly on_udf_unavailable?: string };
}

/** Thrown when a UDF is unavailable and the caller asked to be skipped (`on_udf_unavailable: skip`). */
export class UdfUnavailableSkip extends Error {}

/**
 * Fails (or asks to skip) when a batch UDF says it can't run here (e.g. no translation model configured).
 * @throws WeirError `WEIR_UDF_UNAVAILABLE` naming the UDF, its reason and the node; UdfUnavailableSkip
 *   when the node has `on_udf_unavailable: skip`
 */
export function assertUdfAvailable(udf: LoadedUdf, caller: UdfCaller, context: Omit<BatchContext, 'nodeId'>): void {
  const def = udf.definition;
  const reason = def.kind === 'batch' ? def.unavailable?.(context) : undefined;
  if (!reason) return;
  const msg = `UDF ${def.name} (${udf.module}) is unavailable: ${reason}`;
  if (caller.config.on_udf_unavailable === 'skip') throw new UdfUnavailableSkip(msg);
  throw new WeirError('WEIR_UDF_UNAVAILABLE', msg, {
    location: { file: caller.path, nodeId: caller.unique_id },
    hint: `Provide what the UDF needs, or set {{config on_udf_unavailable="skip"}} on ${caller.name} to skip it with a warning.`,
  });
}
