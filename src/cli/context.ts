/**
 * What the command handlers (cli/commands/) get from the CLI entry (cli/main.ts): the streams, the parsed
 * global options, project loading, the reporter, printing and the exit code. Types only: main.ts imports
 * nothing here at run time, so start-up loads none of the handlers.
 */
import type { CompileOptions, UnchangedCompile, WeirProject } from '../api/project.js';
import type { Reporter } from '../events/events.js';
import type { LogLevel } from '../events/level-filter.js';

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

/** The global options of every command, as yargs parses them. */
export interface GlobalArgs {
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

/** A command's parsed arguments (its own options plus the global ones). */
export type CommandArgs = Record<string, unknown>;

/** The CLI entry's services for one invocation of `weir`. */
export interface CliContext {
  readonly io: CliIO;
  /** Whether run commands cancel on SIGINT/SIGTERM (see {@link CliIO.handleSignals}). */
  readonly handleSignals: boolean;
  /** Creates the reporter from the global options (also the one {@link reporter} returns). */
  makeReporter(a: GlobalArgs): Promise<Reporter>;
  /** Creates the reporter, then loads the project from the global options (its secrets join the redactor). */
  load(a: GlobalArgs): Promise<WeirProject>;
  /**
   * {@link load} for a compile with `args` (see WeirProject.loadForCompile): the project, or what the last
   * compile reported when its inputs and outputs are unchanged (nothing to do).
   */
  loadForCompile(a: GlobalArgs, args: CompileOptions): Promise<WeirProject | UnchangedCompile>;
  /** The reporter made by {@link makeReporter} / {@link load}. */
  reporter(): Reporter;
  /** Writes to stdout. */
  print(s: string): void;
  /** Parses `--vars` (YAML or JSON mapping). @throws WeirError `WEIR_VARS_INVALID` */
  parseVars(text: string | undefined): Record<string, unknown>;
  /** The process's exit code when the command returns (default 0). */
  setExitCode(code: number): void;
}
