/**
 * OpenLineage as a {@link Reporter}: a node's WEIR_NODE_START becomes a START RunEvent, its WEIR_NODE_FINISH a
 * COMPLETE (success, pass, warn) or FAIL (error, fail) event with the same runId; nodes skipped before they
 * started send nothing. Events go through transports, to each one at a time in the run's order: HTTP (`POST <url>/api/v1/lineage`, JSON body, as the
 * OpenLineage HTTP transport) and a file (one event per line, appended). A transport failure never fails the
 * run: the first one per transport is reported as a WEIR_WARNING through `warn`, and {@link drain} resolves
 * when every event was handed over.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, WeirEvent } from '../events.js';
import { olRunEvent, type OlNodeFacts } from './run-events.js';

/** Where events go. */
export interface OlTransport {
  readonly name: string;
  send(event: Record<string, unknown>): Promise<void>;
}

/** POSTs each event to `<url>/api/v1/lineage` (or to `url` itself when it already ends in a path). */
export function httpTransport(url: string, timeoutMs = 10_000): OlTransport {
  const u = new URL(url);
  const endpoint = u.pathname === '/' || u.pathname === '' ? new URL('/api/v1/lineage', u).href : u.href;
  return {
    name: endpoint,
    async send(event) {
      const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event), signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    },
  };
}

/** Appends each event as one JSON line to `file` (absolute). */
export function fileTransport(file: string): OlTransport {
  mkdirSync(path.dirname(file), { recursive: true });
  return {
    name: file,
    async send(event) {
      appendFileSync(file, `${JSON.stringify(event)}\n`);
    },
  };
}

/** Options of {@link OpenLineageEmitter}. */
export interface OlEmitterOptions {
  readonly namespace: string;
  readonly facts: ReadonlyMap<string, OlNodeFacts>;
  readonly transports: readonly OlTransport[];
  /** Reports a transport failure (once per transport). */
  readonly warn: (message: string) => void;
  readonly parent?: { readonly runId: string; readonly namespace: string; readonly name: string };
}

/** Sends RunEvents for node events. */
export class OpenLineageEmitter implements Reporter {
  private readonly runIds = new Map<string, string>();
  /** Per transport, the last send: events go out one after the other, in the order of the run's events. */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly failed = new Set<string>();
  /** Events handed to transports, by type (for messages). */
  readonly counts = { START: 0, COMPLETE: 0, FAIL: 0 };

  constructor(private readonly o: OlEmitterOptions) {}

  emit(e: WeirEvent): void {
    if (e.code !== 'WEIR_NODE_START' && e.code !== 'WEIR_NODE_FINISH') return;
    const facts = this.o.facts.get(e.node_id);
    if (!facts) return;
    if (e.code === 'WEIR_NODE_START') {
      const runId = randomUUID();
      this.runIds.set(e.node_id, runId);
      this.send(olRunEvent({ eventType: 'START', eventTime: e.ts, runId, namespace: this.o.namespace, facts, parent: this.o.parent }));
      return;
    }
    const runId = this.runIds.get(e.node_id);
    if (!runId || e.status === 'skipped') return;
    const failed = e.status === 'error' || e.status === 'fail';
    this.send(olRunEvent({ eventType: failed ? 'FAIL' : 'COMPLETE', eventTime: e.completed_at ?? e.ts, runId, namespace: this.o.namespace, facts, error: failed ? e.message : undefined, parent: this.o.parent }));
  }

  private send(event: Record<string, unknown>): void {
    this.counts[event.eventType as 'START' | 'COMPLETE' | 'FAIL']++;
    for (const t of this.o.transports) {
      const prev = this.queues.get(t.name) ?? Promise.resolve();
      this.queues.set(t.name, prev.then(() => (this.failed.has(t.name) ? undefined : t.send(event))).catch((err: unknown) => {
        if (this.failed.has(t.name)) return;
        this.failed.add(t.name);
        this.o.warn(`OpenLineage: cannot send events to ${t.name}: ${(err as Error).message} (the run goes on; no more events are sent there)`);
      }));
    }
  }

  /** Resolves when every event was sent (or failed). */
  async drain(): Promise<void> {
    await Promise.all(this.queues.values());
  }
}
