/**
 * The table of materialization strategies, keyed by {@link Materialization}: adding a kind is one file in
 * execution/materializations/ plus one entry here (and in manifest/materialization.ts's list), and a kind without a
 * strategy is a type error.
 */
import { materializationOf, type Materialization } from '../../manifest/materialization.js';
import type { GraphNode } from '../../manifest/types.js';
import { dynamicTableStrategy } from '../materializations/dynamic-table.js';
import { ephemeralStrategy } from '../materializations/ephemeral.js';
import { externalStrategy } from '../materializations/external.js';
import { incrementalStrategy } from '../materializations/incremental.js';
import { materializedViewStrategy } from '../materializations/materialized-view.js';
import { seedStrategy } from '../materializations/seed.js';
import { snapshotStrategy } from '../materializations/snapshot.js';
import type { Strategy, StrategyTable } from '../materializations/strategy.js';
import { tableStrategy } from '../materializations/table.js';
import { testStrategy } from '../tests/strategy.js';
import { viewStrategy } from '../materializations/view.js';

/** One strategy per materialization. */
export const STRATEGIES: StrategyTable = {
  view: viewStrategy,
  table: tableStrategy,
  ephemeral: ephemeralStrategy,
  incremental: incrementalStrategy,
  snapshot: snapshotStrategy,
  external: externalStrategy,
  dynamic_table: dynamicTableStrategy,
  materialized_view: materializedViewStrategy,
  seed: seedStrategy,
  test: testStrategy,
};

/**
 * The strategy that builds a node ({@link materializationOf}: a model's `materialized`, else its resource
 * type); undefined for sources and for a kind with no strategy.
 */
export function strategyOf(node: GraphNode): Strategy | undefined {
  const m = materializationOf(node);
  // The table pairs each kind with the strategy for that kind's nodes; TypeScript can't follow the pairing.
  return m === undefined ? undefined : (STRATEGIES[m] as Strategy | undefined);
}

/**
 * The strategy named by a `materialized` config value (seeds and snapshots may carry other values in their
 * config); undefined when it names none.
 */
export function strategyNamed(materialized: string): Strategy | undefined {
  return Object.hasOwn(STRATEGIES, materialized) ? (STRATEGIES[materialized as Materialization] as Strategy) : undefined;
}
