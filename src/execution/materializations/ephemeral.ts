/**
 * The `ephemeral` materialization: the model is inlined as a CTE into each dependent's compiled SQL
 * (compiler/render.ts) and builds nothing; a run never schedules it (execution/invocation/plan.ts isExecutable).
 */
import { WeirError } from '../../errors/weir-error.js';
import type { ModelNode } from '../../manifest/types.js';
import type { Strategy } from './strategy.js';

/** Builds nothing: being asked to build an ephemeral model is an internal error. */
export const ephemeralStrategy: Strategy<ModelNode> = {
  relation: undefined, auditable: false, tableOptions: false, reusable: false,
  build({ node }) {
    return Promise.reject(new WeirError('WEIR_INTERNAL', `model '${node.name}' is ephemeral: it is inlined into its dependents and never built on its own`, {
      location: { file: node.path, nodeId: node.unique_id },
    }));
  },
};
