/**
 * The scheduler: runs a plan with N workers (one connection each). A node starts when everything it waits
 * for has finished successfully; when a node errors (or a test fails with severity error) its downstream
 * nodes are marked skipped and the rest of the graph continues — unless `failFast`, which stops starting
 * new nodes after the first failure.
 */
import type { ExecutionPlan } from './plan.js';

/**
 * Outcome classes the scheduler cares about: `failed-continue` is a failed model with dbt 1.12's
 * `on_error: continue` (https://docs.getdbt.com/reference/resource-configs/on_error): its children still
 * run; a child with another failed parent that skips its children is skipped all the same, and fail-fast
 * still stops the run.
 */
export type Outcome = 'ok' | 'failed' | 'failed-continue';

/** Callbacks of {@link schedule}. */
export interface ScheduleHooks<C> {
  /** Runs one node on the worker's connection; must not throw. Returns whether it succeeded. */
  run(uid: string, conn: C): Promise<Outcome>;
  /** Called for each node skipped, with the failed node that caused it (or undefined for fail-fast). */
  skip(uid: string, cause: string | undefined): void;
}

/**
 * Runs the plan.
 * @param connections one per worker (the number of threads)
 * @param signal when it aborts (SIGINT/SIGTERM), no further node starts; running nodes finish (their
 *   queries are cancelled by the caller) and every node not started is passed to `skip` with no cause
 */
export async function schedule<C>(plan: ExecutionPlan, connections: readonly C[], hooks: ScheduleHooks<C>, failFast: boolean, signal?: AbortSignal): Promise<void> {
  const remaining = new Map<string, number>();
  for (const [uid, deps] of plan.waitsFor) remaining.set(uid, deps.size);
  const rank = new Map(plan.order.map((u, i) => [u, i]));
  // Ready nodes, earliest in plan order first (a binary heap on the plan rank).
  const ready = new RankHeap(rank);
  for (const u of plan.order) if (remaining.get(u) === 0) ready.push(u);
  const done = new Set<string>();
  let stopped = false;
  let inFlight = 0;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onAbort = () => {
    stopped = true;
    notify();
  };
  if (signal?.aborted) stopped = true;
  signal?.addEventListener('abort', onAbort, { once: true });

  const skipDownstream = (uid: string, cause: string | undefined) => {
    const stack = [...(plan.blocks.get(uid) ?? [])];
    while (stack.length) {
      const d = stack.pop()!;
      if (done.has(d)) continue;
      done.add(d);
      hooks.skip(d, cause);
      stack.push(...(plan.blocks.get(d) ?? []));
    }
  };

  const finish = (uid: string, outcome: Outcome) => {
    done.add(uid);
    if (outcome === 'failed' || (outcome === 'failed-continue' && failFast)) {
      skipDownstream(uid, uid);
      if (failFast) stopped = true;
    } else {
      for (const d of plan.blocks.get(uid) ?? []) {
        if (done.has(d)) continue;
        const n = remaining.get(d)! - 1;
        remaining.set(d, n);
        if (n === 0) ready.push(d);
      }
    }
  };

  const worker = async (conn: C) => {
    for (;;) {
      if (stopped) return;
      const uid = ready.pop();
      if (uid === undefined) {
        if (inFlight === 0) return;
        if (stopped) return;
        await new Promise<void>((r) => {
          const prev = wake;
          wake = () => {
            prev?.();
            r();
          };
        });
        continue;
      }
      if (done.has(uid)) continue;
      inFlight++;
      const outcome = await hooks.run(uid, conn);
      inFlight--;
      finish(uid, outcome);
      notify();
    }
  };
  try {
    await Promise.all(connections.map((c) => worker(c)));
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  // Fail-fast (or an unreachable node): whatever did not run is skipped.
  for (const uid of plan.order) {
    if (!done.has(uid)) {
      done.add(uid);
      hooks.skip(uid, undefined);
    }
  }
}

/**
 * Node ids ordered by their rank in the plan (a binary min-heap): `pop` returns the ready node that comes
 * first in the plan, as sorting the ready list after every finished node did, in O(log n) per operation.
 */
class RankHeap {
  private readonly ids: string[] = [];
  private readonly keys: number[] = [];

  constructor(private readonly rank: ReadonlyMap<string, number>) {}

  push(uid: string): void {
    const k = this.rank.get(uid)!;
    let i = this.ids.length;
    this.ids.push(uid);
    this.keys.push(k);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.keys[p] <= k) break;
      this.ids[i] = this.ids[p];
      this.keys[i] = this.keys[p];
      i = p;
    }
    this.ids[i] = uid;
    this.keys[i] = k;
  }

  /** The node with the lowest rank, removed; undefined when empty. */
  pop(): string | undefined {
    const n = this.ids.length;
    if (n === 0) return undefined;
    const top = this.ids[0];
    const lastId = this.ids.pop()!;
    const lastKey = this.keys.pop()!;
    if (n > 1) {
      let i = 0;
      const m = n - 1;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= m) break;
        if (c + 1 < m && this.keys[c + 1] < this.keys[c]) c++;
        if (this.keys[c] >= lastKey) break;
        this.ids[i] = this.ids[c];
        this.keys[i] = this.keys[c];
        i = c;
      }
      this.ids[i] = lastId;
      this.keys[i] = lastKey;
    }
    return top;
  }
}
