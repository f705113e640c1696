/**
 * {@link WeirProject.execute}: checks a run's options, selects its nodes, attaches OpenLineage, and hands
 * the typed invocation to execution/invocation/ (lock, adapter, hooks, nodes, artifacts, read copy).
 */
import { WeirError } from '../errors/weir-error.js';
import { runExitCode } from '../errors/exit-codes.js';
import { now, silentReporter } from '../events/events.js';
import type { GraphNode } from '../manifest/types.js';
import { parseUtcDate } from '../utils/utc-date.js';
import type { RunObserver } from '../execution/invocation/invocation.js';
import { RESOURCE_TYPES, type RunArgs, type RunCommand, type RunSummary } from './options.js';
import { redactingReporter } from './reporting.js';
import { recordedVars } from './retry.js';
import { suggestion } from './selection.js';
import type { WeirProject } from './project.js';

/**
 * Reads the microbatch window (Dates, or UTC date/timestamp texts).
 * @throws WeirError `WEIR_USAGE` for a value that is not a date, or an end not after the start
 */
function eventTimeWindow(args: RunArgs): { eventTimeStart?: Date; eventTimeEnd?: Date } {
  const parse = (v: string | Date | undefined, flag: string) => {
    if (v === undefined) return undefined;
    const d = parseUtcDate(v);
    if (!d) throw new WeirError('WEIR_USAGE', `${flag} '${String(v)}' is not a date`, { hint: `Give a UTC date or timestamp, e.g. ${flag} 2024-01-01 or ${flag} 2024-01-01T06:00:00.` });
    return d;
  };
  const eventTimeStart = parse(args.eventTimeStart, '--event-time-start');
  const eventTimeEnd = parse(args.eventTimeEnd, '--event-time-end');
  if (eventTimeStart && eventTimeEnd && eventTimeEnd <= eventTimeStart) {
    throw new WeirError('WEIR_USAGE', `--event-time-end (${eventTimeEnd.toISOString()}) must be after --event-time-start (${eventTimeStart.toISOString()})`);
  }
  return { eventTimeStart, eventTimeEnd };
}

/**
 * Executes seeds, models and/or tests (see {@link WeirProject.execute}).
 * @throws WeirError only for problems before any node runs (bad selector or options, database locked);
 *   node failures are results, not exceptions
 */
export async function executeCommand(project: WeirProject, command: RunCommand, args: RunArgs = {}): Promise<RunSummary> {
  const outer = redactingReporter(args.reporter ?? silentReporter, project.redact);
  const eventTime = eventTimeWindow(args);
  if (args.defer && !args.state) throw new WeirError('WEIR_USAGE', '--defer needs --state DIR (the artifacts of the run whose relations to read)');
  const selected = args.only
    ? args.only.filter((u) => RESOURCE_TYPES[command].includes(project.manifest.nodes.get(u)?.resource_type as GraphNode['resource_type']))
    : project.select(command, args);
  if (selected.length === 0 && (args.select?.length || args.exclude?.length)) {
    outer.emit({
      code: 'WEIR_WARNING', ts: now(), level: 'warn',
      message: `nothing to ${command}: --select ${(args.select ?? []).join(' ') || '(all)'}${args.exclude?.length ? ` --exclude ${args.exclude.join(' ')}` : ''} matches no ${RESOURCE_TYPES[command].join('/')} node${suggestion(args.select ?? [], project.manifest.refIndex.keys())} (list nodes with \`weir ls\`)`,
    });
  }
  // OpenLineage: RunEvents per node while the run goes (api/openlineage.ts).
  const lineage = args.openLineage && (args.openLineage.url || args.openLineage.file)
    ? await (await import('./openlineage.js')).openLineageEmitter(project, selected, args.openLineage, outer)
    : undefined;
  const observer: RunObserver | undefined = lineage && {
    emit: (e) => lineage.emit(e),
    finish: async () => {
      await lineage.drain();
      const c = lineage.counts;
      outer.emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `OpenLineage: sent ${c.START + c.COMPLETE + c.FAIL} events (${c.START} START, ${c.COMPLETE} COMPLETE, ${c.FAIL} FAIL)` });
    },
  };
  const threads = args.threads ?? project.targetInfo.threads;
  const config = project.files.config;
  const recordedArgs = {
    which: command, select: args.select ?? [], exclude: args.exclude ?? [], selector: args.selector, indirect_selection: args.indirectSelection, threads, fail_fast: !!args.failFast, full_refresh: !!args.fullRefresh,
    ...(command === 'build' ? { audit: args.audit !== false } : {}), ...(args.empty ? { empty: true } : {}), ...(args.reuse !== undefined ? { reuse: args.reuse } : {}),
    target: project.targetInfo.name, vars: recordedVars(project.cliVars), state: args.state, defer: !!args.defer, favor_state: !!args.favorState,
    event_time_start: eventTime.eventTimeStart?.toISOString(), event_time_end: eventTime.eventTimeEnd?.toISOString(),
  };
  const state = args.state;
  // Execution is imported on demand: compile, ls and docs never load it (start-up cost).
  const { runInvocation } = await import('../execution/invocation/invocation.js');
  const { runLockCommand } = await import('../execution/invocation/run-lock.js');
  const r = await runInvocation(project, {
    command, selected, threads, failFast: !!args.failFast, fullRefresh: !!args.fullRefresh, ...eventTime,
    audit: args.audit !== false, empty: !!args.empty,
    reuse: (args.reuse ?? config.reuse ?? false) && !args.empty && !args.fullRefresh,
    testHistory: args.testHistory ?? config.test_history ?? true,
    lockTimeout: args.lockTimeout ?? 0, lockCommand: runLockCommand(command, args),
    defer: args.defer && state ? { previous: () => project.previousState(state), favorState: !!args.favorState } : undefined,
    hooks: { start: config['on-run-start'] ?? [], end: config['on-run-end'] ?? [], file: project.files.configFile },
    udfContext: project.udfContext(), recordedArgs, signal: args.signal, reporter: outer, observer,
  });
  const success = r.nodesSucceeded && r.cancelledBy === undefined && r.readCopyPublished;
  return {
    command, success, results: r.results, counts: r.counts, elapsed: r.elapsed,
    ...(r.cancelledBy !== undefined ? { cancelledBy: r.cancelledBy } : {}),
    exitCode: runExitCode({ success, cancelledBy: r.cancelledBy }),
  };
}
