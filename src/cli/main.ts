/**
 * The `weir` command line: parses argv with yargs, calls the library API, prints through a reporter and
 * maps outcomes to exit codes — 0 success, 1 a node errored or a test failed, 2 the project or the
 * command is invalid (errors/exit-codes.ts). This file holds the global options and each command's
 * options; the handlers live in cli/commands/ (one file per group) and get a {@link CliContext}.
 *
 * Start-up cost: only yargs and a few small modules are imported up front. The library (loader, compiler,
 * execution, engine clients, docs, reporters' dependencies) and the handlers (cli/commands/) are imported
 * when the command that uses them runs, so `weir --help` or a mistyped command costs little more than
 * Node's own start-up, and `weir ls` never loads what only `weir run` needs (checked by tests/integration/lazy-modules.test.ts; measured by
 * `npm run bench`, section start-up).
 */
import type { Argv } from 'yargs';
import { createRequire } from 'node:module';
import { WeirError } from '../errors/weir-error.js';
import type { CompileOptions, ProjectLoadOptions, RunCommand, UnchangedCompile, WeirProject } from '../api/project.js';
import { JsonReporter } from '../events/json-reporter.js';
import type { Reporter } from '../events/events.js';
import path from 'node:path';
import { docsCommand } from './docs-command.js';
import { airflowDagCommand } from './airflow-command.js';
import { codegenCommand } from './codegen-command.js';
import { versionText } from '../utils/package-info.js';
import { createRedactor, redactDeep, SECRET_NAME_PATTERN, secretVarValues, type Redactor } from '../utils/redact.js';
import { FlagEnv, INDIRECT_SELECTION_MODES, type EnvFlag } from './flag-env.js';
import { levelFilter, LOG_LEVELS, type LogLevel } from '../events/level-filter.js';
import type { IndirectSelection } from '../graph/selector.js';
import type { CliContext, CliIO, CommandArgs, GlobalArgs } from './context.js';

export type { CliIO } from './context.js';

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
  const loadOptions = async (a: GlobalArgs): Promise<ProjectLoadOptions> => {
    const vars = parseVars(a.vars);
    const rep = await makeReporter(a);
    return {
      projectDir: a['project-dir'] ?? io.cwd, target: a.target, vars, env: io.env, reporter: rep, partialParse: a['partial-parse'] !== false,
      profiles: a['profiles-dir'] !== undefined || a.profile !== undefined ? { dir: path.resolve(io.cwd ?? process.cwd(), a['profiles-dir'] ?? '.'), profile: a.profile } : undefined,
      targetPath: a['target-path'],
    };
  };
  const load = async (a: GlobalArgs): Promise<WeirProject> => {
    const options = await loadOptions(a);
    const { WeirProject } = await import('../api/project.js');
    return loaded = await WeirProject.load(options);
  };
  const loadForCompile = async (a: GlobalArgs, args: CompileOptions): Promise<WeirProject | UnchangedCompile> => {
    const options = await loadOptions(a);
    const { WeirProject } = await import('../api/project.js');
    const r = await WeirProject.loadForCompile(options, args);
    if (r instanceof WeirProject) loaded = r;
    return r;
  };
  const print = (s: string) => io.stdout.write(s);
  const ctx: CliContext = {
    io, handleSignals: io.handleSignals ?? io.stdout === process.stdout,
    makeReporter, load, loadForCompile, reporter: () => reporter!, print, parseVars, setExitCode: (c) => (exitCode = c),
  };
  // Handlers are loaded with their command (see the start-up note above).
  const commands = () => import('./commands/project.js');
  const reads = () => import('./commands/read.js');
  const operations = () => import('./commands/operations.js');
  const runs = () => import('./commands/run.js');

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
    handler: async (a: CommandArgs) => (await runs()).runHandler(ctx, command, a),
  });

  const { default: yargs } = await import('../vendor/yargs.js');
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
      handler: async (a: CommandArgs) => (await commands()).compileHandler(ctx, a),
    })
    .command({
      command: 'ls',
      aliases: ['list'],
      describe: 'list nodes',
      builder: (y: Argv) => selectionOptions(y, flagEnv)
        .option('resource-type', { type: 'string', array: true, choices: ['model', 'seed', 'snapshot', 'source', 'test', 'udf'], describe: 'only these resource types' })
        .option('output', { choices: ['name', 'path', 'json', 'selector'] as const, default: 'selector' as const })
        .option('output-keys', { type: 'string', array: true, describe: 'with --output json: only these keys (name, resource_type, package_name, original_file_path, unique_id, alias, config, tags, depends_on, source_name, path, fqn, materialized)' }),
      handler: async (a: CommandArgs) => (await commands()).lsHandler(ctx, a),
    })
    .command({
      command: 'import-dbt <dbt-dir>',
      describe: 'convert a dbt project into a Weir project (--out NEW_DIR); lists what it could not convert (exit 1)',
      builder: (y: Argv) => y
        .positional('dbt-dir', { type: 'string', demandOption: true, describe: 'the dbt project (holds dbt_project.yml)' })
        .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'the new Weir project directory (new or empty)' }),
      handler: async (a: CommandArgs) => (await operations()).importDbtHandler(ctx, a),
    })
    .command({
      command: 'parse',
      describe: 'parse the project and write manifest.json (no SQL rendered, nothing run)',
      handler: async (a: CommandArgs) => (await commands()).parseHandler(ctx, a),
    })
    .command({
      command: 'clean',
      describe: 'delete the artifacts in the target directory (manifest, run results, compiled SQL, docs, caches); DuckDB database files stay',
      handler: async (a: CommandArgs) => (await commands()).cleanHandler(ctx, a),
    })
    .command({
      command: 'retry',
      describe: 're-run the nodes that errored, failed or were skipped in the last run (same command and flags)',
      handler: async (a: CommandArgs) => (await runs()).retryHandler(ctx, a),
    })
    .command({
      command: 'run-operation <macro>',
      describe: 'render a macro with --args and run its SQL on the target',
      builder: (y: Argv) => y
        .positional('macro', { type: 'string', demandOption: true, describe: 'macro name (macros/<name>.sql)' })
        .option('args', { type: 'string', describe: 'macro arguments as YAML or JSON, e.g. \'{"days": 7}\'' })
        .option('lock-timeout', { type: 'number', default: 0, describe: 'seconds to wait for another run holding target/weir.lock (0: exit 2 at once)' }),
      handler: async (a: CommandArgs) => (await operations()).runOperationHandler(ctx, a),
    })
    .command({
      command: 'source <action>',
      describe: 'source commands: `weir source freshness` checks loaded_at_field against freshness and writes target/sources.json',
      builder: (y: Argv) => selectionOptions(y, flagEnv)
        .positional('action', { choices: ['freshness'] as const, demandOption: true })
        .option('output', { alias: 'o', type: 'string', describe: 'where to write sources.json (default: <target-path>/sources.json)' }),
      handler: async (a: CommandArgs) => (await operations()).sourceHandler(ctx, a),
    })
    .command({
      command: 'show',
      describe: 'preview a model\'s rows',
      builder: (y: Argv) => y
        .option('select', { alias: 's', type: 'string', demandOption: true, describe: 'model, seed or source (src.table) name' })
        .option('limit', { type: 'number', default: 10 })
        .option('format', { choices: ['table', 'csv', 'json'] as const, default: 'table' as const }),
      handler: async (a: CommandArgs) => (await reads()).showHandler(ctx, a),
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
      handler: async (a: CommandArgs) => (await reads()).diffHandler(ctx, a),
    })
    .command({
      command: 'query <sql>',
      describe: 'run SQL against the target and print the result',
      builder: (y: Argv) => y
        .positional('sql', { type: 'string', demandOption: true })
        .option('limit', { type: 'number', describe: 'at most this many rows' })
        .option('format', { choices: ['table', 'csv', 'json'] as const, default: 'table' as const }),
      handler: async (a: CommandArgs) => (await reads()).queryHandler(ctx, a),
    })
    .command({
      command: 'init <name>',
      describe: 'start a new project in folder <name>: project.yaml, a seed, models, tests, a UDF, README',
      builder: (y: Argv) => y
        .positional('name', { type: 'string', demandOption: true, describe: 'folder to create (its name, as an identifier, becomes the project name)' })
        .option('force', { type: 'boolean', default: false, describe: 'write into a non-empty folder (existing files are kept)' }),
      handler: async (a: CommandArgs) => (await operations()).initHandler(ctx, a),
    })
    .command(airflowDagCommand(load, (s) => print(s), () => reporter!, io.cwd))
    .command(codegenCommand(load, (s) => print(s), () => reporter!, io.cwd))
    .command({
      command: 'debug',
      describe: 'check the configuration and the connection',
      handler: async (a: CommandArgs) => (await reads()).debugHandler(ctx, a),
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

  skipHelpCache(parser);
  try {
    if (envError) throw envError;
    await parser.parseAsync();
  } catch (e) {
    const err = e instanceof WeirError ? e : new WeirError('WEIR_INTERNAL', e instanceof Error ? e.message : String(e), { cause: e });
    const { errorEvent, reportError } = await import('./report-error.js');
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


/**
 * Stops yargs from rendering the running command's whole help text before each handler runs (its usage
 * instance's `cacheHelpMessage`, 15–30 ms of every command: column widths of every option, wrapped text),
 * which it keeps so a handler may print the help later. Weir's handlers never print help: `--help` and the
 * usage errors (`.fail` above, which throws) never read the cache, so the output is unchanged. yargs is
 * pinned and bundled (scripts/bundle-vendor.mjs); if its internals ever lack the hook, nothing is changed.
 */
function skipHelpCache(parser: Argv): void {
  const internals = (parser as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.();
  const usage = internals?.getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

/** The selection options of commands that select nodes (defaults from WEIR_* / DBT_* variables). */
function selectionOptions(y: Argv, env: FlagEnv = new FlagEnv({})) {
  return y
    .option('select', { alias: ['s', 'models', 'm'], type: 'string', array: true, describe: 'selector(s): name, +name, name+, n+name, @name, tag:x, path:p, resource_type:t; space = union, comma = intersection' })
    .option('exclude', { type: 'string', array: true, describe: 'selector(s) to leave out' })
    .option('selector', { type: 'string', default: env.str('selector'), describe: 'a named selector of selectors.yml (not with --select)' })
    .option('indirect-selection', { choices: INDIRECT_SELECTION_MODES, default: (env.str('indirect-selection') ?? 'eager') as IndirectSelection, describe: 'tests of selected nodes: eager (any parent selected), cautious (all), buildable (all built or upstream), empty (none)' })
    .option('state', { type: 'string', default: env.str('state'), describe: 'directory with an earlier run\'s manifest.json (and run_results.json) for state:/result: selectors and --defer' });
}
