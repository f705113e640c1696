/**
 * Model contracts (dbt's `contract: {enforced: true}`,
 * https://docs.getdbt.com/reference/resource-configs/contract): before a model's relation is replaced, the
 * columns and types its query returns are checked against the `columns:` (name, `data_type`) of its schema
 * YAML. The check reads the query's result shape (`where 1 = 0`: no row is computed), so a violation fails
 * the node while the previous relation stays in place. Types are compared with the dialect's aliases
 * (adapters/type-names.ts).
 */
import type { Connection, Dialect } from '../../adapters/adapter.js';
import { sameType } from '../../adapters/type-names.js';
import { WeirError } from '../../errors/weir-error.js';
import type { ModelNode } from '../../manifest/types.js';

/** Whether a model's contract is enforced (its typed config, read by the parse phase: parser/configs/contract.ts). */
export function contractEnforced(node: ModelNode): boolean {
  return node.contract.enforced;
}

/** One difference between a contract and a query's columns. */
export interface ContractDiff {
  readonly column: string;
  readonly problem: 'missing' | 'extra' | 'type';
  readonly declared?: string;
  readonly actual?: string;
}

/**
 * Compares declared columns with actual ones: names case-insensitively (Snowflake reports unquoted names
 * in upper case), order ignored, types with {@link sameType} under the dialect's aliases.
 * @returns the differences, declared columns first
 */
export function compareContract(
  declared: readonly { name: string; data_type?: string }[], actual: readonly { name: string; type: string }[], aliases: Readonly<Record<string, string>> = {},
): ContractDiff[] {
  const out: ContractDiff[] = [];
  const byName = new Map(actual.map((c) => [c.name.toLowerCase(), c]));
  const declaredNames = new Set(declared.map((c) => c.name.toLowerCase()));
  for (const c of declared) {
    const a = byName.get(c.name.toLowerCase());
    if (!a) out.push({ column: c.name, problem: 'missing', declared: c.data_type });
    else if (c.data_type && !sameType(c.data_type, a.type, aliases)) out.push({ column: c.name, problem: 'type', declared: c.data_type, actual: a.type });
  }
  for (const a of actual) if (!declaredNames.has(a.name.toLowerCase())) out.push({ column: a.name, problem: 'extra', actual: a.type });
  return out;
}

/** The column-by-column lines of a contract violation. */
export function formatContractDiff(diffs: readonly ContractDiff[]): string {
  return diffs.map((d) => {
    if (d.problem === 'missing') return `  - ${d.column}: in the contract (${d.declared ?? 'no type'}) but not returned by the query`;
    if (d.problem === 'extra') return `  - ${d.column}: returned by the query (${d.actual}) but not in the contract`;
    return `  - ${d.column}: type differs: contract ${d.declared}, query ${d.actual}`;
  }).join('\n');
}

/**
 * Checks a model's query against its contract on `conn` (one query returning no rows).
 * @throws WeirError `WEIR_CONTRACT_VIOLATION` naming the model, its YAML file and every difference
 */
export async function enforceContract(conn: Connection, dialect: Dialect, node: ModelNode, sql: string): Promise<void> {
  const r = await conn.execute(`select * from (\n${sql}\n) as weir_contract where 1 = 0`);
  const diffs = compareContract(Object.values(node.columns), r.columns, dialect.typeAliases);
  if (diffs.length === 0) return;
  const file = node.patch_path ?? node.path;
  throw new WeirError('WEIR_CONTRACT_VIOLATION', `contract of model '${node.name}' not met (${diffs.length} difference${diffs.length === 1 ? '' : 's'}); the existing relation was kept:\n${formatContractDiff(diffs)}`, {
    location: { file: node.patch_path, nodeId: node.unique_id },
    hint: `Change the model's query (${node.path}) or its columns: in ${file}.`,
  });
}
