/**
 * The `weir` command line: parses argv with yargs, calls the library API, prints through a reporter and
 * maps outcomes to exit codes — 0 success, 1 a node errored or a test failed, 2 the project or the
 * command is invalid.
 *
 * Start-up cost: only yargs and a few small modules are imported up front. The library (loader, compiler,
 * execution, engine clients, docs, reporters' dependencies) is imported by the handler of the command that
 * uses it, so `weir --help` or a mistyped command costs little more than Node's own start-up, and `weir ls`
 * never loads what only `weir run` needs (checked by tests/integration/lazy-modules.test.ts; measured by
 * `npm run bench`, section start-up).
 */
import type { Argv } from 'yargs';
import { createRequire } from 'node:module';
import { WeirError, WeirErrors } from '../errors/weir-error.js';
import type { RunCommand, WeirProject } from '../api/project.js';
import { JsonReporter } from '../events/json-reporter.js';
import { now, type Reporter } from '../events/events.js';
import type { ResultFormat } from './output.js';
import path from 'node:path';
import { docsCommand } from './docs-command.js';
import { airflowDagCommand } from './airflow-command.js';
import { codegenCommand } from './codegen-command.js';
import { versionText } from '../utils/package-info.js';
import { createRedactor, redactDeep, SECRET_NAME_PATTERN, secretVarValues, type Redactor } from '../utils/redact.js';
import { FlagEnv, INDIRECT_SELECTION_MODES, type EnvFlag } from './flag-env.js';
import { levelFilter, LOG_LEVELS, type LogLevel } from '../events/level-filter.js';
import type { IndirectSelection } from '../graph/selector.js';

/** Streams the CLI writes to (injectable for tests). */
export interface CliIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** `weir docs serve` stops when this resolves (default: SIGINT/SIGTERM). */
  readonly waitForStop?: () => Promise<void>;
  /**
   * Whether run commands (seed/run/test/build/snapshot/retry) handle SIGINT/SIGTERM by cancelling the run
   * (default: true when writing to the process's own stdout, i.e. from bin/weir.js).
   */
  readonly handleSignals?: boolean;
}

/** Exit code of a run stopped by a signal: 128 + the signal number (SIGINT 2 → 130, SIGTERM 15 → 143). */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

interface GlobalArgs {
  'project-dir'?: string;
  'profiles-dir'?: string;
  profile?: string;
  'target-path'?: string;
  'log-level': LogLevel;
  target?: string;
  vars?: string;
  'log-format': 'text' | 'json';
  quiet: boolean;
  /** `--no-partial-parse` sets false. */
  'partial-parse'?: boolean;
}

/** `require` for the CommonJS packages loaded on demand in synchronous code (the `yaml` parser). */
const requireLazy = createRequire(import.meta.url);

/**
 * Environment variables whose names match the secret pattern but hold paths the shell or the desktop sets
 * (`PWD`/`OLDPWD` contain "pwd", `SSH_AUTH_SOCK`/`XAUTHORITY` "auth"): redacting them would blank the working
 * directory out of every message. Names ending in `_PATH`, `_DIR`, `_SOCK`, `_HOME` or `_FILE` hold where a
 * secret is, not the secret.
 */
export const NOT_SECRET_ENV = /^(PWD|OLDPWD|SSH_AUTH_SOCK|XAUTHORITY|GPG_AGENT_INFO)$|_(PATH|DIR|SOCK|HOME|FILE)$/i;

/**
 * Secrets visible on the command line before any project is loaded: values of secret-looking environment
 * variables, and of `--vars` / `--args` entries whose names look secret (see secretVarValues). Unparsable
 * values are skipped (their own error reports them).
 */
export function secretsFromCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(env)) if (v && SECRET_NAME_PATTERN.test(k) && !NOT_SECRET_ENV.test(k)) out.push(v);
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(vars|args)(?:=(.*))?$/s.exec(argv[i]);
    if (!m) continue;
    try {
      out.push(...secretVarValues(parseVars(m[2] ?? argv[i + 1])));
    } catch {
      /* reported by the command */
    }
  }
  return out;
}

/** A reporter that redacts every string of every event before `inner` sees it. */
function redacting(inner: Reporter, redact: Redactor): Reporter {
  return { ...inner, emit: (e) => inner.emit(redactDeep(e, redact)), close: inner.close?.bind(inner) };
}

/** Parses `--vars` (YAML or JSON mapping). @throws WeirError `WEIR_VARS_INVALID` */
export function parseVars(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  let v: unknown;
  try {
    v = (requireLazy('yaml') as typeof import('yaml')).parse(text);
  } catch (e) {
    throw new WeirError('WEIR_VARS_INVALID', `--vars is not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}`, { hint: `Example: --vars '{"start_date": "2024-01-01"}'` });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new WeirError('WEIR_VARS_INVALID', '--vars must be a mapping', { hint: `Example: --vars '{"start_date": "2024-01-01", "days": 7}'` });
  }
  return v as Record<string, unknown>;
}

const list = (v: unknown): string[] | undefined => {
  if (v === undefined) return undefined;
  const arr = (Array.isArray(v) ? v : [v]).map(String).filter(Boolean);
  return arr.length ? arr : undefined;
};

/**
 * Runs the CLI.
 * @param argv arguments without `node weir`
 * @returns the exit code
 */
export async function main(argv: readonly string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  // `weir --version` / `weir version` answer before anything else is loaded.
  if (argv.includes('--version') || argv.includes('-v') || (argv.length === 1 && argv[0] === 'version')) {
    io.stdout.write(`${versionText()}\n`);
    return 0;
  }
  let exitCode = 0;
  let reporter: Reporter | undefined;
  // Every line the CLI prints goes through one redactor: secrets known before the project loads (secret-
  // looking env variables, --vars and --args values under secret-looking names), then the project's own.
  const early = createRedactor(secretsFromCommandLine(argv, io.env ?? process.env));
  let loaded: WeirProject | undefined;
  const redact: Redactor = (s) => (loaded ? loaded.redact(early(s)) : early(s));
  // Flag defaults from WEIR_* / DBT_* variables; a bad value is reported once parsing starts.
  const flagEnv = new FlagEnv(io.env ?? process.env);
  let envError: unknown;
  const fromEnv = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (e) {
      envError ??= e;
      return undefined;
    }
  };
  const envStr = (f: EnvFlag) => flagEnv.str(f);
  const envBool = (f: EnvFlag) => fromEnv(() => flagEnv.bool(f));
  const makeReporter = async (a: GlobalArgs): Promise<Reporter> =>
    (reporter = levelFilter(redacting(a['log-format'] === 'json'
      ? new JsonReporter(io.stdout)
      : new (await import('../events/text-reporter.js')).TextReporter(io.stdout, { quiet: a.quiet, err: io.stderr }), redact), a['log-level'] ?? 'debug'));
  const load = async (a: GlobalArgs): Promise<WeirProject> => {
    const vars = parseVars(a.vars);
    const rep = await makeReporter(a);
    const { WeirProject } = await import('../api/project.js');
    return loaded = await WeirProject.load({
      projectDir: a['project-dir'] ?? io.cwd, target: a.target, vars, env: io.env, reporter: rep, partialParse: a['partial-parse'] !== false,
      profiles: a['profiles-dir'] !== undefined || a.profile !== undefined ? { dir: path.resolve(io.cwd ?? process.cwd(), a['profiles-dir'] ?? '.'), profile: a.profile } : undefined,
      targetPath: a['target-path'],
    });
  };
  const print = (s: string) => io.stdout.write(s);
  // SIGINT/SIGTERM during a run (Airflow's task timeout, Ctrl-C): cancel it cleanly — running queries are
  // cancelled, unfinished nodes recorded as cancelled in run_results.json, the lock released — and exit
  // 130/143. A second signal stops at once.
  const handleSignals = io.handleSignals ?? io.stdout === process.stdout;
  const withSignals = async <T>(f: (signal?: AbortSignal) => Promise<T>): Promise<T> => {
    if (!handleSignals) return f(undefined);
    const ac = new AbortController();
    const handler = (sig: keyof typeof SIGNAL_EXIT_CODES) => () => {
      if (ac.signal.aborted) process.exit(SIGNAL_EXIT_CODES[sig]);
      reporter?.emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', message: `${sig} received: cancelling the running queries and stopping (send it again to stop at once)` });
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
  };

  const runCmd = (command: RunCommand, describe: string) => ({
    command,
    describe,
    builder: (y: Argv) => selectionOptions(y, flagEnv)
      .option('threads', { type: 'number', default: fromEnv(() => flagEnv.num('threads')), describe: 'worker threads (connections); default: the target\'s threads' })
      .option('openlineage-url', { type: 'string', default: (io.env ?? process.env).OPENLINEAGE_URL || undefined, describe: 'send OpenLineage RunEvents (START/COMPLETE/FAIL per node) to URL/api/v1/lineage (env OPENLINEAGE_URL)' })
      .option('openlineage-file', { type: 'string', describe: 'append OpenLineage RunEvents to this file, one JSON per line' })
      .option('openlineage-namespace', { type: 'string', default: (io.env ?? process.env).OPENLINEAGE_NAMESPACE || undefined, describe: 'OpenLineage job namespace (default: the project name; env OPENLINEAGE_NAMESPACE)' })
      .option('fail-fast', { alias: 'x', type: 'boolean', default: envBool('fail-fast') ?? false, describe: 'stop starting new nodes after the first failure' })
      .option('full-refresh', { type: 'boolean', default: envBool('full-refresh') ?? false, describe: 'rebuild incremental models from scratch' })
      .option('defer', { type: 'boolean', default: envBool('defer') ?? false, describe: 'with --state: refs to unselected nodes missing from this target read the state manifest\'s relations' })
      .option('favor-state', { type: 'boolean', default: envBool('favor-state') ?? false, describe: 'with --defer: read unselected nodes from the state\'s relations even when this target has them' })
      .option('event-time-start', { type: 'string', describe: 'microbatch models: first event time to (re)process, UTC (e.g. 2024-01-01)' })
      .option('event-time-end', { type: 'string', describe: 'microbatch models: end (exclusive) of the event times to (re)process, UTC' })
      .option('lock-timeout', { type: 'number', default: 0, describe: 'seconds to wait for another run holding target/weir.lock (0: exit 2 at once)' })
      .option('reuse', { type: 'boolean', describe: 'skip seeds and models whose SQL, config and input data are unchanged since their last build on this target (default: reuse: in project.yaml; --no-reuse: rebuild)' })
      .option('test-history', { type: 'boolean', describe: 'test/build: append each data test result to weir_test_history in the target (default: test_history in project.yaml, else on)' })
      .option('empty', { type: 'boolean', default: false, describe: 'zero-row build: refs and sources read as empty relations, seeds create empty tables (dbt --empty)' })
      .options(command === 'build' ? {
        audit: { type: 'boolean', default: true, describe: 'write-audit-publish: test table/incremental models on their staged relation before the swap (--no-audit: publish first, test after)' },
      } : {}),
    handler: async (a: Record<string, unknown>) => {
      const project = await load(a as unknown as GlobalArgs);
      if (a.threads !== undefined && (!Number.isInteger(a.threads) || (a.threads as number) < 1)) {
        throw new WeirError('WEIR_USAGE', '--threads must be a positive integer');
      }
      if (!Number.isFinite(a['lock-timeout']) || (a['lock-timeout'] as number) < 0) {
        throw new WeirError('WEIR_USAGE', '--lock-timeout must be a number of seconds ≥ 0', { hint: 'e.g. --lock-timeout 600' });
      }
      const summary = await withSignals((signal) => project.execute(command, {
        signal,
        select: list(a.select), exclude: list(a.exclude), threads: a.threads as number | undefined, ...selectorArgs(a),
        openLineage: { url: a['openlineage-url'] as string | undefined, file: a['openlineage-file'] as string | undefined, namespace: a['openlineage-namespace'] as string | undefined },
        failFast: a['fail-fast'] as boolean, fullRefresh: a['full-refresh'] as boolean, reporter: reporter!,
        state: stateDir(a), defer: a.defer as boolean, favorState: a['favor-state'] as boolean,
        eventTimeStart: a['event-time-start'] as string | undefined, eventTimeEnd: a['event-time-end'] as string | undefined,
        lockTimeout: a['lock-timeout'] as number,
        ...(command === 'build' ? { audit: a.audit !== false } : {}), empty: a.empty === true, reuse: a.reuse as boolean | undefined,
        testHistory: a['test-history'] as boolean | undefined,
      }));
      exitCode = summary.exitCode;
    },
  });
  /** `--state` as an absolute path (relative paths are relative to the working directory, as in dbt). */
  const stateDir = (a: Record<string, unknown>): string | undefined =>
    typeof a.state === 'string' && a.state ? path.resolve(io.cwd ?? process.cwd(), a.state) : undefined;

  const { default: yargs } = await import('yargs');
  const parser = yargs([...argv])
    .scriptName('weir')
    .usage('$0 <command> [options]')
    .epilog('weir --version (-v) prints the versions of Weir, Node and DuckDB.')
    .option('project-dir', { type: 'string', default: envStr('project-dir'), describe: 'project directory (default: current directory)', global: true })
    .option('profiles-dir', { type: 'string', default: envStr('profiles-dir'), describe: 'directory of a dbt profiles.yml whose profile outputs (duckdb, snowflake, trino) become targets', global: true })
    .option('profile', { type: 'string', default: envStr('profile'), describe: 'profile of profiles.yml (default: the project name)', global: true })
    .option('target', { alias: 't', type: 'string', default: envStr('target'), describe: 'target name from project.yaml targets: (or the profile\'s outputs)', global: true })
    .option('target-path', { type: 'string', default: envStr('target-path'), describe: 'artifacts directory, overriding project.yaml target-path', global: true })
    .option('vars', { type: 'string', default: envStr('vars'), describe: 'variables as YAML or JSON, e.g. \'{"start_date": "2024-01-01"}\'', global: true })
    .option('log-format', { choices: ['text', 'json'] as const, default: (envStr('log-format') ?? 'text') as 'text' | 'json', describe: 'text for people, json lines for schedulers', global: true })
    .option('log-level', { choices: LOG_LEVELS, default: (envStr('log-level') ?? 'debug') as LogLevel, describe: 'only events at or above this level (none: no log lines)', global: true })
    .option('quiet', { alias: 'q', type: 'boolean', default: envBool('quiet') ?? false, describe: 'print only warnings, errors and the summary', global: true })
    .option('partial-parse', { type: 'boolean', default: envBool('partial-parse') ?? true, describe: 'reuse unchanged files\' parse results from target/partial_parse.json (--no-partial-parse: parse everything)', global: true })
    .command(runCmd('seed', 'load CSV seeds into the warehouse'))
    .command(runCmd('run', 'build models in DAG order'))
    .command(runCmd('test', 'run data tests'))
    .command(runCmd('build', 'seeds, models, snapshots and tests in DAG order; a failing test skips its descendants'))
    .command(runCmd('snapshot', 'record SCD type-2 history of the snapshots (snapshots/*.sql)'))
    .command({
      command: 'compile',
      describe: 'render models and tests to SQL in target/compiled and write manifest.json',
      builder: (y: Argv) => selectionOptions(y, flagEnv).option('print', { type: 'boolean', default: false, describe: 'print the compiled SQL (formatted)' })
        .option('format', { type: 'boolean', default: false, describe: 'format the compiled SQL files with sql-formatter (slower: off by default, as in dbt)' })
        .option('defer', { type: 'boolean', default: false, describe: 'with --state: refs to unselected nodes missing from this target render as the state manifest\'s relations' })
        .option('favor-state', { type: 'boolean', default: false, describe: 'with --defer: use the state\'s relations even when this target has them' }),
      handler: async (a: Record<string, unknown>) => {
        const project = await load(a as unknown as GlobalArgs);
        const sel = { select: list(a.select), exclude: list(a.exclude), state: stateDir(a), ...selectorArgs(a) };
        const relationOverrides = a.defer ? await project.deferOverrides('compile', { ...sel, favorState: a['favor-state'] as boolean }) : undefined;
        // Formatting is opt-in: on large projects sql-formatter took most of compile's time.
        const { compiled, errors } = project.compile({ ...sel, relationOverrides, format: a.format === true || a.print === true });
        if (a.print) for (const c of compiled.values()) print(`-- ${c.unique_id}\n${c.compiled_code}\n\n`);
        for (const e of errors) reportError(e, reporter!);
        if (!a.print) reporter!.emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `compiled ${compiled.size} node${compiled.size === 1 ? '' : 's'} to ${project.files.config['target-path']}/compiled${errors.length ? `, ${errors.length} failed` : ''}` });
        exitCode = errors.length ? 1 : 0;
      },
    })
    .command({
      command: 'ls',
      aliases: ['list'],
      describe: 'list nodes',
      builder: (y: Argv) => selectionOptions(y, flagEnv)
        .option('resource-type', { type: 'string', array: true, choices: ['model', 'seed', 'snapshot', 'source', 'test', 'udf'], describe: 'only these resource types' })
        .option('output', { choices: ['name', 'path', 'json', 'selector'] as const, default: 'selector' as const })
        .option('output-keys', { type: 'string', array: true, describe: 'with --output json: only these keys (name, resource_type, package_name, original_file_path, unique_id, alias, config, tags, depends_on, source_name, path, fqn, materialized)' }),
      handler: async (a: Record<string, unknown>) => {
        const project = await load(a as unknown as GlobalArgs);
        const types = a['resource-type'] as string[] | undefined;
        // UDFs are not graph nodes: list them when asked for, or when listing everything unfiltered.
        const listUdfs = types ? types.includes('udf') : !list(a.select) && !list(a.exclude);
        if (listUdfs) {
          for (const { source: _source, ...u } of project.udfManifest()) {
            const selector = `${project.manifest.projectName}.${u.name}`;
            if (a.output === 'json') print(`${JSON.stringify({ unique_id: `function.${selector}`, resource_type: 'function', ...u })}\n`);
            else if (a.output === 'path') print(`${u.path}\n`);
            else if (a.output === 'name') print(`${u.name}\n`);
            else print(`${selector}  ${u.signature}\n`);
          }
          if (types && types.every((t) => t === 'udf')) return;
        }
        const nodeTypes = types?.filter((t) => t !== 'udf');
        const uids = project.select('ls', { select: list(a.select), exclude: list(a.exclude), resourceTypes: nodeTypes as never, state: stateDir(a), ...selectorArgs(a) });
        const { lsJson, LS_JSON_KEYS } = await import('./ls-json.js');
        const keys = list(a['output-keys'])?.flatMap((k) => k.split(/[\s,]+/)).filter(Boolean);
        if (keys && a.output !== 'json') throw new WeirError('WEIR_USAGE', '--output-keys needs --output json');
        for (const k of keys ?? []) {
          if (!LS_JSON_KEYS.includes(k)) throw new WeirError('WEIR_USAGE', `--output-keys: unknown key '${k}'`, { hint: `Keys: ${LS_JSON_KEYS.join(', ')}.` });
        }
        const renderer = a.output === 'json' ? project.renderer() : undefined;
        for (const uid of uids) {
          const n = project.manifest.nodes.get(uid)!;
          if (a.output === 'json') {
            const entry = lsJson(project.manifest, n, renderer!.relationOf(n));
            print(`${JSON.stringify(keys ? Object.fromEntries(keys.map((k) => [k, entry[k]])) : entry)}\n`);
          } else if (a.output === 'path') print(`${n.path}\n`);
          else if (a.output === 'name') print(`${n.name}\n`);
          else print(`${n.fqn.join('.')}\n`);
        }
      },
    })
    .command({
      command: 'import-dbt <dbt-dir>',
      describe: 'convert a dbt project into a Weir project (--out NEW_DIR); lists what it could not convert (exit 1)',
      builder: (y: Argv) => y
        .positional('dbt-dir', { type: 'string', demandOption: true, describe: 'the dbt project (holds dbt_project.yml)' })
        .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'the new Weir project directory (new or empty)' }),
      handler: async (a: Record<string, unknown>) => {
        const cwd = io.cwd ?? process.cwd();
        const rep = await makeReporter(a as unknown as GlobalArgs);
        const { importDbtProject } = await import('../importers/dbt/import-project.js');
        const out = path.resolve(cwd, String(a.out));
        const r = await importDbtProject(path.resolve(cwd, String(a['dbt-dir'])), out);
        for (const n of r.notes) rep.emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `note: ${n}` });
        for (const p of r.problems) rep.emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', file: p.file, line: p.line, message: `${p.file}:${p.line}: not converted: ${p.why}` });
        rep.emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `wrote ${r.files.length} files to ${path.relative(cwd, out) || '.'}; ${r.problems.length ? `${r.problems.length} part${r.problems.length === 1 ? '' : 's'} left unconverted (listed above)` : 'everything converted'}` });
        exitCode = r.problems.length ? 1 : 0;
      },
    })
    .command({
      command: 'parse',
      describe: 'parse the project and write manifest.json (no SQL rendered, nothing run)',
      handler: async (a: Record<string, unknown>) => {
        const project = await load(a as unknown as GlobalArgs);
        const file = project.writeManifest();
        reporter!.emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `parsed ${project.manifest.nodes.size} nodes and ${project.manifest.macros.length} macros; wrote ${path.relative(project.files.root, file)}` });
      },
    })
    .command({
      command: 'clean',
      describe: 'delete the artifacts in the target directory (manifest, run results, compiled SQL, docs, caches); DuckDB database files stay',
      handler: async (a: Record<string, unknown>) => {
        const project = await load(a as unknown as GlobalArgs);
        const { cleanTargetDir } = await import('../api/clean.js');
        const r = cleanTargetDir(project.targetDir);
        const rel = path.relative(project.files.root, project.targetDir) || '.';
        reporter!.emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `removed ${r.removed.length} entr${r.removed.length === 1 ? 'y' : 'ies'} from ${rel}${r.kept.length ? `; kept ${r.kept.join(', ')} (database files and the run lock)` : ''}` });
      },
    })
    .command({
      command: 'retry',
      describe: 're-run the nodes that errored, failed or were skipped in the last run (same command and flags)',
      handler: async (a: Record<string, unknown>) => {
        const g = a as unknown as GlobalArgs;
        const project = await load(g);
        const { retryLastRun } = await import('../api/retry.js');
        const { WeirProject } = await import('../api/project.js');
        const summary = await withSignals((signal) => retryLastRun(project, {
          signal,
          reporter: reporter!,
          varsGiven: g.vars !== undefined,
          // The previous run's target and vars, except those given on this command line.
          reload: async (o) => WeirProject.load({
            projectDir: g['project-dir'] ?? io.cwd, target: g.target ?? o.target, vars: g.vars !== undefined ? parseVars(g.vars) : o.vars,
            env: io.env, reporter: reporter!, partialParse: g['partial-parse'] !== false,
          }),
        }));
        exitCode = summary?.exitCode ?? 0;
      },
    })
    .command({
      command: 'run-operation <macro>',
      describe: 'render a macro with --args and run its SQL on the target',
      builder: (y: Argv) => y
        .positional('macro', { type: 'string', demandOption: true, describe: 'macro name (macros/<name>.sql)' })
        .option('args', { type: 'string', describe: 'macro arguments as YAML or JSON, e.g. \'{"days": 7}\'' })
        .option('lock-timeout', { type: 'number', default: 0, describe: 'seconds to wait for another run holding target/weir.lock (0: exit 2 at once)' }),
      handler: async (a: Record<string, unknown>) => {
        const { parseOperationArgs, runOperation } = await import('../api/operation.js');
        const macroArgs = parseOperationArgs(a.args as string | undefined);
        const project = await load(a as unknown as GlobalArgs);
        const r = await runOperation(project, String(a.macro), macroArgs, a['lock-timeout'] as number);
        const n = r.result?.rows.length ?? 0;
        reporter!.emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: r.sql ? `run-operation ${r.macro}: OK${n ? ` (${n} row${n === 1 ? '' : 's'})` : ''}` : `run-operation ${r.macro}: the macro rendered no SQL; nothing was run` });
        if (n && r.result?.columns.length && (a as unknown as GlobalArgs)['log-format'] !== 'json') print((await import('./output.js')).formatResult(r.result, 'table'));
      },
    })
    .command({
      command: 'source <action>',
      describe: 'source commands: `weir source freshness` checks loaded_at_field against freshness and writes target/sources.json',
      builder: (y: Argv) => selectionOptions(y, flagEnv)
        .positional('action', { choices: ['freshness'] as const, demandOption: true })
        .option('output', { alias: 'o', type: 'string', describe: 'where to write sources.json (default: <target-path>/sources.json)' }),
      handler: async (a: Record<string, unknown>) => {
        const project = await load(a as unknown as GlobalArgs);
        const { sourceFreshness } = await import('../api/freshness.js');
        const summary = await sourceFreshness(project, { select: list(a.select), exclude: list(a.exclude), state: stateDir(a), ...selectorArgs(a), output: a.output as string | undefined, reporter: reporter! });
        exitCode = summary.exitCode;
      },
    })
    .command({
      command: 'show',
      describe: 'preview a model\'s rows',
      builder: (y: Argv) => y
        .option('select', { alias: 's', type: 'string', demandOption: true, describe: 'model, seed or source (src.table) name' })
        .option('limit', { type: 'number', default: 10 })
        .option('format', { choices: ['table', 'csv', 'json'] as const, default: 'table' as const }),
      handler: async (a: Record<string, unknown>) => {
        const project = await load(a as unknown as GlobalArgs);
        const { formatResult } = await import('./output.js');
        const format = a.format as ResultFormat;
        print(formatResult(await project.show(String(a.select), a.limit as number, { ...readNotice(io), display: format === 'json' ? 'json' : 'text' }), format, { width: terminalWidth(io) }));
      },
    })
    .command({
      command: 'diff',
      describe: 'compare a model\'s rows in this target with another target or a state directory\'s relation',
      builder: (y: Argv) => y
        .option('select', { alias: 's', type: 'string', demandOption: true, describe: 'model, seed or snapshot name' })
        .option('against', { type: 'string', demandOption: true, describe: 'a target name from project.yaml, or a directory with an earlier run\'s manifest.json' })
        .option('key', { type: 'string', describe: 'key columns, comma-separated (default: unique_key, else a unique test\'s column)' })
        .option('sample', { type: 'number', default: 5, describe: 'rows per kind in the sample' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const }),
      handler: async (a: Record<string, unknown>) => {
        const project = await load(a as unknown as GlobalArgs);
        if (!Number.isInteger(a.sample) || (a.sample as number) < 0) throw new WeirError('WEIR_USAGE', '--sample must be an integer ≥ 0');
        const key = typeof a.key === 'string' ? a.key.split(',').map((k) => k.trim()).filter(Boolean) : undefined;
        const { diffModel, formatDiff } = await import('../api/diff.js');
        const d = await diffModel(project, { select: String(a.select), against: String(a.against), key, sample: a.sample as number, cwd: io.cwd });
        print(a.format === 'json' ? `${JSON.stringify({ model: String(a.select), ...d }, null, 2)}\n` : formatDiff(String(a.select), d));
      },
    })
    .command({
      command: 'query <sql>',
      describe: 'run SQL against the target and print the result',
      builder: (y: Argv) => y
        .positional('sql', { type: 'string', demandOption: true })
        .option('limit', { type: 'number', describe: 'at most this many rows' })
        .option('format', { choices: ['table', 'csv', 'json'] as const, default: 'table' as const }),
      handler: async (a: Record<string, unknown>) => {
        const project = await load(a as unknown as GlobalArgs);
        const { formatResult } = await import('./output.js');
        const format = a.format as ResultFormat;
        print(formatResult(await project.query(String(a.sql), a.limit as number | undefined, { ...readNotice(io), display: format === 'json' ? 'json' : 'text' }), format, { width: terminalWidth(io) }));
      },
    })
    .command({
      command: 'init <name>',
      describe: 'start a new project in folder <name>: project.yaml, a seed, models, tests, a UDF, README',
      builder: (y: Argv) => y
        .positional('name', { type: 'string', demandOption: true, describe: 'folder to create (its name, as an identifier, becomes the project name)' })
        .option('force', { type: 'boolean', default: false, describe: 'write into a non-empty folder (existing files are kept)' }),
      handler: async (a: Record<string, unknown>) => {
        const { initProject } = await import('../api/init.js');
        const r = initProject(String(a.name), io.cwd ?? process.cwd(), { force: a.force as boolean });
        const rel = path.relative(io.cwd ?? process.cwd(), r.dir) || '.';
        print(`Created project '${r.name}' in ${rel} (${r.files.length} files${r.kept.length ? `; kept existing ${r.kept.join(', ')}` : ''}).\n`);
        print(`Next:\n  cd ${rel}\n  npx weir build\n`);
      },
    })
    .command(airflowDagCommand(load, (s) => print(s), () => reporter!, io.cwd))
    .command(codegenCommand(load, (s) => print(s), () => reporter!, io.cwd))
    .command({
      command: 'debug',
      describe: 'check the configuration and the connection',
      handler: async (a: Record<string, unknown>) => {
        const project = await load(a as unknown as GlobalArgs);
        const facts = await project.debug();
        if ((a as unknown as GlobalArgs)['log-format'] === 'json') print(`${JSON.stringify(facts)}\n`);
        else for (const [k, v] of Object.entries(facts)) print(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}\n`);
      },
    })
    .demandCommand(1, 'Give a command: init, seed, run, test, build, snapshot, retry, run-operation, source freshness, compile, parse, ls, show, query, clean, airflow-dag, codegen or debug.')
    .command(docsCommand({ load: (a) => load(a as unknown as GlobalArgs), reporter: () => reporter!, waitForStop: io.waitForStop, setExitCode: (c) => (exitCode = c) }))
    .middleware(() => {
      // A flag value from the environment that could not be read (command builders run during parsing).
      if (envError) throw envError;
    })
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      throw new WeirError('WEIR_USAGE', msg ?? 'invalid command line', { hint: 'Run `weir --help` for usage.' });
    });

  try {
    if (envError) throw envError;
    await parser.parseAsync();
  } catch (e) {
    const err = e instanceof WeirError ? e : new WeirError('WEIR_INTERNAL', e instanceof Error ? e.message : String(e), { cause: e });
    if (reporter) reportError(err, reporter);
    else {
      const jsonLogs = argv.includes('json') && argv.some((x) => x.startsWith('--log-format'));
      if (jsonLogs) redacting(new JsonReporter(io.stderr), redact).emit(errorEvent(err));
      else io.stderr.write(`error: ${redact(err.format())}\n`);
    }
    if (err.code === 'WEIR_INTERNAL' && process.env.WEIR_DEBUG) io.stderr.write(`${redact(String((e as Error).stack))}\n`);
    exitCode = err.code === 'WEIR_INTERNAL' ? 1 : err.exitCode;
  } finally {
    reporter?.close?.();
  }
  return exitCode;
}

/** Tells (on stderr, so piped results stay clean) that a read used the published read copy. */
/** The width tables are fitted to: the terminal's columns, else `COLUMNS` from the environment, else none. */
function terminalWidth(io: CliIO): number | undefined {
  const tty = io.stdout as { isTTY?: boolean; columns?: number };
  if (tty.isTTY && tty.columns) return tty.columns;
  const env = Number((io.env ?? process.env).COLUMNS);
  return Number.isInteger(env) && env > 0 ? env : undefined;
}

function readNotice(io: CliIO) {
  return {
    onReadCopy: (c: { path: string; publishedAt: Date }) =>
      io.stderr.write(`note: a Weir run holds the database; reading the copy published at ${c.publishedAt.toISOString()} (${c.path})\n`),
    onRecovered: (message: string) => io.stderr.write(`warning: ${message}\n`),
  };
}

function selectionOptions(y: Argv, env: FlagEnv = new FlagEnv({})) {
  return y
    .option('select', { alias: ['s', 'models', 'm'], type: 'string', array: true, describe: 'selector(s): name, +name, name+, n+name, @name, tag:x, path:p, resource_type:t; space = union, comma = intersection' })
    .option('exclude', { type: 'string', array: true, describe: 'selector(s) to leave out' })
    .option('selector', { type: 'string', default: env.str('selector'), describe: 'a named selector of selectors.yml (not with --select)' })
    .option('indirect-selection', { choices: INDIRECT_SELECTION_MODES, default: (env.str('indirect-selection') ?? 'eager') as IndirectSelection, describe: 'tests of selected nodes: eager (any parent selected), cautious (all), buildable (all built or upstream), empty (none)' })
    .option('state', { type: 'string', default: env.str('state'), describe: 'directory with an earlier run\'s manifest.json (and run_results.json) for state:/result: selectors and --defer' });
}

/** `--selector` and `--indirect-selection` as selection arguments. */
function selectorArgs(a: Record<string, unknown>): { selector?: string; indirectSelection?: IndirectSelection } {
  return { selector: typeof a.selector === 'string' && a.selector ? a.selector : undefined, indirectSelection: a['indirect-selection'] as IndirectSelection | undefined };
}

function errorEvent(e: WeirError) {
  return { code: 'WEIR_ERROR' as const, ts: now(), level: 'error' as const, message: e.format(), error_code: e.code, file: e.location?.file, line: e.location?.line };
}

function reportError(e: WeirError, reporter: Reporter): void {
  const errors = e instanceof WeirErrors ? e.errors : [e];
  if (errors.length > 1) reporter.emit({ code: 'WEIR_ERROR', ts: now(), level: 'error', message: `${errors.length} problems found`, error_code: e.code });
  for (const x of errors) reporter.emit(errorEvent(x));
}
