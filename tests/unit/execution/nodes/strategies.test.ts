/**
 * The table of materialization strategies (execution/nodes/strategies.ts): one strategy per kind
 * of manifest/materialization.ts, found for each node by its materialization, with the properties the rest
 * of execution reads from it.
 */
import { describe, expect, it } from 'vitest';
import { isEphemeral, materializationOf, MODEL_MATERIALIZATIONS } from '../../../../src/manifest/materialization.js';
import { STRATEGIES, strategyNamed, strategyOf } from '../../../../src/execution/nodes/strategies.js';
import { WeirError } from '../../../../src/errors/weir-error.js';
import type { GraphNode } from '../../../../src/manifest/types.js';

const node = (resource_type: string, materialized: string) =>
  ({ unique_id: `${resource_type}.p.x`, name: 'x', path: 'models/x.sql', resource_type, config: { materialized } }) as unknown as GraphNode;

describe('materialization strategies', () => {
  it('have exactly one strategy per materialization kind', () => {
    expect(Object.keys(STRATEGIES).sort()).toEqual([...MODEL_MATERIALIZATIONS, 'seed', 'test'].sort());
  });

  it('find a node\'s strategy by its materialization: a model by its config, other nodes by their type', () => {
    expect(materializationOf(node('model', 'incremental'))).toBe('incremental');
    expect(materializationOf(node('seed', 'view'))).toBe('seed');
    expect(materializationOf(node('snapshot', 'snapshot'))).toBe('snapshot');
    expect(materializationOf(node('test', 'test'))).toBe('test');
    expect(materializationOf(node('source', 'view'))).toBeUndefined();
    expect(strategyOf(node('model', 'table'))).toBe(STRATEGIES.table);
    expect(strategyOf(node('seed', 'view'))).toBe(STRATEGIES.seed);
    expect(strategyOf(node('source', 'view'))).toBeUndefined();
    expect(strategyNamed('external')).toBe(STRATEGIES.external);
    expect(strategyNamed('toString')).toBeUndefined();
  });

  it('say what each kind leaves in the warehouse and which run features apply to it', () => {
    const props = Object.fromEntries(Object.entries(STRATEGIES).map(([k, s]) => [k, [s.relation, s.auditable, s.tableOptions, s.reusable]]));
    expect(props).toEqual({
      view: ['view', false, false, true],
      table: ['table', true, true, true],
      ephemeral: [undefined, false, false, false],
      incremental: ['table', true, true, true],
      snapshot: ['table', false, false, false],
      external: ['view', false, false, false],
      dynamic_table: ['table', false, false, true],
      materialized_view: ['view', false, true, false],
      seed: ['table', false, false, true],
      test: [undefined, false, false, false],
    });
  });

  it('never build an ephemeral model (it is inlined into its dependents)', async () => {
    const n = node('model', 'ephemeral');
    expect(isEphemeral(n)).toBe(true);
    expect(isEphemeral(node('seed', 'ephemeral'))).toBe(false);
    const err = await STRATEGIES.ephemeral.build({ node: n } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeirError);
    expect((err as WeirError).code).toBe('WEIR_INTERNAL');
    expect((err as WeirError).message).toContain("model 'x' is ephemeral");
  });
});
