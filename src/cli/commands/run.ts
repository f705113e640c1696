/**
 * Handlers of the run commands — `seed`, `run`, `test`, `build`, `snapshot` and `retry`: command-line
 * values → the library's typed run options; SIGINT/SIGTERM → cancelling the run; the run's summary → the
 * exit code (errors/exit-codes.ts: 0, 1, or 130/143 when cancelled by a signal).
 */
import type { RunCommand } from '../../api/project.js';
import { WeirError } from '../../errors/weir-error.js';
import { runExitCode, SIGNAL_EXIT_CODES } from '../../errors/exit-codes.js';
import { now } from '../../events/events.js';
import { list, selectorArgs, stateDir } from '../args.js';
import type { CliContext, CommandArgs, GlobalArgs } from '../context.js';

/**
 * Runs `f` with an AbortSignal that SIGINT/SIGTERM abort (Airflow's task timeout, Ctrl-C): running queries
 * are cancelled, unfinished nodes recorded as cancelled in run_results.json, the lock released; the run
 * then exits 130/143. A second signal stops the process at once.
 */
async function withSignals<T>(ctx: CliContext, f: (signal?: AbortSignal) => Promise<T>): Promise<T> {
  if (!ctx.handleSignals) return f(undefined);
  const ac = new AbortController();
  const handler = (sig: keyof typeof SIGNAL_EXIT_CODES) => () => {
    if (ac.signal.aborted) process.exit(SIGNAL_EXIT_CODES[sig]);
    ctx.reporter().emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', message: `${sig} received: cancelling the running queries and stopping (send it again to stop at once)` });
    ac.abort(sig);
  };
  const onInt = handler('SIGINT');
  const onTerm = handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await f(ac.signal);
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

/**
 * `weir seed|run|test|build|snapshot`.
 * @throws WeirError `WEIR_USAGE` for `--threads` or `--lock-timeout` out of range; what the run throws
 */
export async function runHandler(ctx: CliContext, command: RunCommand, a: CommandArgs): Promise<void> {
  const project = await ctx.load(a as unknown as GlobalArgs);
  if (a.threads !== undefined && (!Number.isInteger(a.threads) || (a.threads as number) < 1)) {
    throw new WeirError('WEIR_USAGE', '--threads must be a positive integer');
  }
  if (!Number.isFinite(a['lock-timeout']) || (a['lock-timeout'] as number) < 0) {
    throw new WeirError('WEIR_USAGE', '--lock-timeout must be a number of seconds ≥ 0', { hint: 'e.g. --lock-timeout 600' });
  }
  const summary = await withSignals(ctx, (signal) => project.execute(command, {
    signal,
    select: list(a.select), exclude: list(a.exclude), threads: a.threads as number | undefined, ...selectorArgs(a),
    openLineage: { url: a['openlineage-url'] as string | undefined, file: a['openlineage-file'] as string | undefined, namespace: a['openlineage-namespace'] as string | undefined },
    failFast: a['fail-fast'] as boolean, fullRefresh: a['full-refresh'] as boolean, reporter: ctx.reporter(),
    state: stateDir(ctx.io, a), defer: a.defer as boolean, favorState: a['favor-state'] as boolean,
    eventTimeStart: a['event-time-start'] as string | undefined, eventTimeEnd: a['event-time-end'] as string | undefined,
    lockTimeout: a['lock-timeout'] as number,
    ...(command === 'build' ? { audit: a.audit !== false } : {}), empty: a.empty === true, reuse: a.reuse as boolean | undefined,
    testHistory: a['test-history'] as boolean | undefined,
  }));
  ctx.setExitCode(runExitCode(summary));
}

/** `weir retry`: the last run's failed, errored and skipped nodes, with its flags (exit 0 when nothing to retry). */
export async function retryHandler(ctx: CliContext, a: CommandArgs): Promise<void> {
  const g = a as unknown as GlobalArgs;
  const project = await ctx.load(g);
  const { retryLastRun } = await import('../../api/retry.js');
  const { WeirProject } = await import('../../api/project.js');
  const summary = await withSignals(ctx, (signal) => retryLastRun(project, {
    signal,
    reporter: ctx.reporter(),
    varsGiven: g.vars !== undefined,
    // The previous run's target and vars, except those given on this command line.
    reload: async (o) => WeirProject.load({
      projectDir: g['project-dir'] ?? ctx.io.cwd, target: g.target ?? o.target, vars: g.vars !== undefined ? ctx.parseVars(g.vars) : o.vars,
      env: ctx.io.env, reporter: ctx.reporter(), partialParse: g['partial-parse'] !== false,
    }),
  }));
  ctx.setExitCode(summary ? runExitCode(summary) : 0);
}
