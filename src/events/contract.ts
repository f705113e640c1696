/**
 * The contract of `--log-format json`: for every event code, what it means and which fields it always
 * carries, as zod schemas a scheduler (or a test) can validate a JSON line against. The README's event
 * table is this table; codes and required fields are stable (only added to, never renamed or removed).
 */
import { z } from '../vendor/zod.js';
import type { WeirEvent } from './events.js';

const iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO-8601 timestamp');
const base = { ts: iso, level: z.enum(['debug', 'info', 'warn', 'error']) };
const status = z.enum(['success', 'error', 'skipped', 'pass', 'fail', 'warn', 'reused']);
const nodeId = z.string().regex(/^[a-z_]+\.[^.]+\..+$/, 'a unique_id such as model.shop.orders');
const seconds = z.number().min(0);
const holder = {
  lock_file: z.string(), holder_pid: z.number().int().optional(), holder_host: z.string().optional(),
  holder_command: z.string().optional(), holder_started_at: iso.optional(),
};

/** One documented event code. */
export interface EventSpec {
  /** What the event means. */
  readonly description: string;
  /** Fields beyond `code`, `ts`, `level` (required unless marked `?`), for the README. */
  readonly fields: string;
  /** Validates one parsed JSON line with this code. */
  readonly schema: z.ZodType;
}

/**
 * Every event code Weir emits, with its meaning and schema. Keyed by the {@link WeirEvent} union's codes,
 * so a new event type does not compile until it is documented here.
 */
export const EVENT_CONTRACT: Readonly<Record<WeirEvent['code'], EventSpec>> = {
  WEIR_RUN_START: {
    description: 'a seed/run/test/build starts (after the run lock is taken)',
    fields: 'command, target, adapter_type, node_count, threads',
    schema: z.object({ ...base, code: z.literal('WEIR_RUN_START'), command: z.string(), target: z.string(), adapter_type: z.string(), node_count: z.number().int().min(0), threads: z.number().int().min(1) }),
  },
  WEIR_NODE_START: {
    description: 'a node starts executing',
    fields: 'node_id, resource_type, index, total, relation?',
    schema: z.object({ ...base, code: z.literal('WEIR_NODE_START'), node_id: nodeId, resource_type: z.string(), index: z.number().int().min(1), total: z.number().int().min(1), relation: z.string().optional() }),
  },
  WEIR_NODE_FINISH: {
    description: 'a node finished, was skipped, or failed (`level` error for error/fail, warn for warn)',
    fields: 'node_id, resource_type, status, index, total, execution_time (s), started_at? / completed_at? (ISO; absent when skipped for an upstream failure), materialized?, relation?, rows_affected?, failures? (tests), message?',
    schema: z.object({
      ...base, code: z.literal('WEIR_NODE_FINISH'), node_id: nodeId, resource_type: z.string(), status, index: z.number().int().min(1), total: z.number().int().min(1),
      execution_time: seconds, started_at: iso.optional(), completed_at: iso.optional(), materialized: z.string().optional(), relation: z.string().optional(),
      rows_affected: z.number().int().optional(), failures: z.number().int().min(0).optional(), message: z.string().optional(),
    }),
  },
  WEIR_RUN_END: {
    description: 'the run ended; `success` is false when a node errored or a test failed',
    fields: 'elapsed (s), success, counts {success, error, skipped, pass, fail, warn}',
    schema: z.object({ ...base, code: z.literal('WEIR_RUN_END'), elapsed: seconds, success: z.boolean(), counts: z.object({ success: z.number(), error: z.number(), skipped: z.number(), pass: z.number(), fail: z.number(), warn: z.number() }) }),
  },
  WEIR_LOCK_WAIT: {
    description: 'another Weir run holds `target/weir.lock`; this one waits up to `timeout` s (`--lock-timeout`)',
    fields: 'lock_file, timeout (s), holder_pid?, holder_host?, holder_command?, holder_started_at?',
    schema: z.object({ ...base, code: z.literal('WEIR_LOCK_WAIT'), timeout: seconds, ...holder }),
  },
  WEIR_LOCK_STALE: {
    description: 'a stale run lock (its holder died on this host) was removed (level warn)',
    fields: 'lock_file, reason, holder_pid?, holder_host?, holder_command?, holder_started_at?',
    schema: z.object({ ...base, code: z.literal('WEIR_LOCK_STALE'), reason: z.string(), ...holder }),
  },
  WEIR_READ_COPY_PUBLISHED: {
    description: 'DuckDB: after a run, the database was checkpointed and copied atomically to `<name>.read.duckdb` for readers',
    fields: 'path, size (bytes), elapsed (s)',
    schema: z.object({ ...base, code: z.literal('WEIR_READ_COPY_PUBLISHED'), path: z.string(), size: z.number().int().min(0), elapsed: seconds }),
  },
  WEIR_MESSAGE: {
    description: 'a notice (e.g. `compiled 12 nodes`, `wrote dags/weir_dag.py`)',
    fields: 'message, node_id?',
    schema: z.object({ ...base, code: z.literal('WEIR_MESSAGE'), message: z.string(), node_id: nodeId.optional() }),
  },
  WEIR_WARNING: {
    description: 'a warning (parse-phase problems, empty selections, skipped UDFs)',
    fields: 'message, error_code?, file?, line?, node_id?',
    schema: z.object({ ...base, code: z.literal('WEIR_WARNING'), message: z.string(), error_code: z.string().optional(), file: z.string().optional(), line: z.number().int().optional(), node_id: nodeId.optional() }),
  },
  WEIR_ERROR: {
    description: 'an error that stops the command (the exit code follows: 2 for invalid input, 1 otherwise)',
    fields: 'message, error_code (a WeirError code, e.g. WEIR_RUN_LOCKED), file?, line?',
    schema: z.object({ ...base, code: z.literal('WEIR_ERROR'), message: z.string(), error_code: z.string().optional(), file: z.string().optional(), line: z.number().int().optional(), node_id: nodeId.optional() }),
  },
};

/** dbt's structured-log envelope every line carries (see dbt-envelope.ts). */
export const DBT_ENVELOPE = z.object({
  info: z.object({ name: z.string().min(1), code: z.string().regex(/^[A-Z]\d{3}$/), level: z.enum(['debug', 'info', 'warn', 'error']), ts: iso, msg: z.string(), thread: z.string(), pid: z.number().int(), category: z.string(), extra: z.record(z.string(), z.string()) }),
  data: z.record(z.string(), z.unknown()),
});

/**
 * Checks one parsed JSON line against the contract (Weir's fields and dbt's envelope).
 * @returns problems found (empty when the event is valid)
 */
export function checkEvent(event: unknown): string[] {
  const code = (event as { code?: unknown })?.code;
  const spec = typeof code === 'string' && Object.hasOwn(EVENT_CONTRACT, code) ? EVENT_CONTRACT[code as WeirEvent['code']] : undefined;
  if (!spec) return [`unknown event code ${JSON.stringify(code)}`];
  const r = spec.schema.safeParse(event);
  const problems = r.success ? [] : r.error.issues.map((i) => `${String(code)}.${i.path.join('.')}: ${i.message}`);
  const env = DBT_ENVELOPE.safeParse(event);
  if (!env.success) problems.push(...env.error.issues.map((i) => `${String(code)}.${i.path.join('.')}: ${i.message}`));
  return problems;
}
