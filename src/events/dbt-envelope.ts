/**
 * dbt's structured-log envelope for `--log-format json` (https://docs.getdbt.com/reference/events-logging#structured-logging):
 * every line also carries `info` ({name, code, level, ts, msg, thread, pid, category, extra}) and `data`,
 * so tools that parse dbt's JSON logs (orchestrators, log shippers, dbt-log parsers) read Weir's. Weir's
 * own fields stay at the top level, unchanged. Each Weir code maps to the dbt event that means the same:
 *
 * | Weir code | dbt event (code) |
 * |---|---|
 * | WEIR_RUN_START | ConcurrencyLine (Q027) |
 * | WEIR_NODE_START | NodeStart (Q024), with `data.node_info` |
 * | WEIR_NODE_FINISH | NodeFinished (Q025), with `data.node_info` and `data.run_result` |
 * | WEIR_RUN_END | EndOfRunSummary (Z030) |
 * | WEIR_ERROR | MainEncounteredError (Z002) |
 * | WEIR_MESSAGE, WEIR_WARNING, WEIR_LOCK_*, WEIR_READ_COPY_PUBLISHED | Note (Z050) |
 *
 * `data.node_info` has dbt's keys: `unique_id`, `node_name`, `resource_type`, `materialized`, `node_status`,
 * `node_started_at`, `node_finished_at`, `node_relation.relation_name`. `info.thread` is `main` (Weir runs
 * on Node's main thread) and `info.pid` the process id.
 */
import type { WeirEvent } from './events.js';

/** dbt's `info` block. */
export interface DbtInfo {
  readonly name: string;
  readonly code: string;
  readonly level: string;
  readonly ts: string;
  readonly msg: string;
  readonly thread: string;
  readonly pid: number;
  readonly category: string;
  readonly extra: Readonly<Record<string, string>>;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** dbt's event name, code and message for a Weir event. */
function describe(e: WeirEvent): { name: string; code: string; msg: string } {
  switch (e.code) {
    case 'WEIR_RUN_START':
      return { name: 'ConcurrencyLine', code: 'Q027', msg: `Concurrency: ${e.threads} threads (target='${e.target}')` };
    case 'WEIR_NODE_START':
      return { name: 'NodeStart', code: 'Q024', msg: `Began running node ${e.node_id}` };
    case 'WEIR_NODE_FINISH':
      return { name: 'NodeFinished', code: 'Q025', msg: `Finished running node ${e.node_id}` };
    case 'WEIR_RUN_END': {
      const errors = e.counts.error + e.counts.fail;
      const warns = e.counts.warn;
      const msg = errors ? `Completed with ${plural(errors, 'error')} and ${plural(warns, 'warning')}:` : warns ? `Completed with ${plural(warns, 'warning')}:` : 'Completed successfully';
      return { name: 'EndOfRunSummary', code: 'Z030', msg };
    }
    case 'WEIR_ERROR':
      return { name: 'MainEncounteredError', code: 'Z002', msg: `Encountered an error:\n${e.message}` };
    case 'WEIR_MESSAGE':
    case 'WEIR_WARNING':
      return { name: 'Note', code: 'Z050', msg: e.message };
    case 'WEIR_LOCK_WAIT':
      return { name: 'Note', code: 'Z050', msg: `waiting up to ${e.timeout}s for the run lock ${e.lock_file}` };
    case 'WEIR_LOCK_STALE':
      return { name: 'Note', code: 'Z050', msg: `removed a stale run lock ${e.lock_file}: ${e.reason}` };
    case 'WEIR_READ_COPY_PUBLISHED':
      return { name: 'Note', code: 'Z050', msg: `published the read copy ${e.path}` };
  }
}

/** `data.node_info` of a node event, in dbt's keys. */
function nodeInfo(e: WeirEvent): Record<string, unknown> | undefined {
  if (e.code !== 'WEIR_NODE_START' && e.code !== 'WEIR_NODE_FINISH') return undefined;
  const fin = e.code === 'WEIR_NODE_FINISH' ? e : undefined;
  return {
    unique_id: e.node_id, node_name: e.node_id.split('.').slice(2).join('.'), resource_type: e.resource_type,
    materialized: fin?.materialized ?? '', node_status: fin ? fin.status : 'started',
    node_started_at: fin?.started_at ?? (fin ? '' : e.ts), node_finished_at: fin?.completed_at ?? '',
    node_relation: { relation_name: e.relation ?? '' },
  };
}

/**
 * The envelope of one event: dbt's `info` and `data` (Weir's fields without code/ts/level, plus
 * `node_info` and, for finished nodes, `run_result` {status, message, execution_time, rows_affected, failures}).
 */
export function dbtEnvelope(e: WeirEvent, pid: number = process.pid): { info: DbtInfo; data: Record<string, unknown> } {
  const d = describe(e);
  const { code: _c, ts: _t, level: _l, ...fields } = e as WeirEvent & Record<string, unknown>;
  const data: Record<string, unknown> = { ...fields };
  const info = nodeInfo(e);
  if (info) data.node_info = info;
  if (e.code === 'WEIR_NODE_FINISH') {
    data.run_result = { status: e.status, message: e.message ?? null, execution_time: e.execution_time, adapter_response: { rows_affected: e.rows_affected }, failures: e.failures ?? null };
  }
  return { info: { name: d.name, code: d.code, level: e.level, ts: e.ts, msg: d.msg, thread: 'main', pid, category: '', extra: {} }, data };
}
