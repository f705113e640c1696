/**
 * Model contract configuration (`contract: {enforced: true}`, dbt's
 * https://docs.getdbt.com/reference/resource-configs/contract): read once in the parse phase and stored on
 * the node (`ModelNode.contract`), with parse-time checks. The check of the built columns is in
 * execution/contracts.ts.
 */
import { WeirError } from '../../errors/weir-error.js';
import type { ContractConfig } from '../../manifest/node-configs.js';
import type { ModelNode, NodeConfig } from '../../manifest/types.js';

/** A model's contract from its merged config: enforced when `contract: {enforced: true}` (or `'true'`). */
export function contractConfigOf(config: NodeConfig): ContractConfig {
  const c = config.contract as { enforced?: unknown } | undefined;
  return { enforced: typeof c === 'object' && c !== null && (c.enforced === true || c.enforced === 'true') };
}

/**
 * Parse-time checks of an enforced contract: the model must be a table or view (not ephemeral) and every
 * YAML column needs a `data_type`.
 * @param errors receives `WEIR_CONFIG_INVALID` naming the YAML file and line
 */
export function checkContract(node: ModelNode, site: { file: string; line?: number }, errors: WeirError[]): void {
  if (!node.contract?.enforced) return;
  const at = { location: { file: site.file, line: site.line, nodeId: node.unique_id } };
  if (node.config.materialized === 'ephemeral') {
    errors.push(new WeirError('WEIR_CONFIG_INVALID', `model '${node.name}': a contract can't be enforced on an ephemeral model (it builds no relation)`, { ...at, hint: 'Make it a table or view, or remove contract.' }));
  }
  const cols = Object.values(node.columns);
  if (cols.length === 0) {
    errors.push(new WeirError('WEIR_CONFIG_INVALID', `model '${node.name}' enforces a contract but declares no columns`, { ...at, hint: 'List every column under columns: with its data_type.' }));
  }
  const untyped = cols.filter((c) => !c.data_type).map((c) => c.name);
  if (untyped.length) {
    errors.push(new WeirError('WEIR_CONFIG_INVALID', `model '${node.name}' enforces a contract but column${untyped.length === 1 ? '' : 's'} ${untyped.map((c) => `'${c}'`).join(', ')} ha${untyped.length === 1 ? 's' : 've'} no data_type`, { ...at, hint: 'Give each column a data_type, e.g. data_type: integer.' }));
  }
}
