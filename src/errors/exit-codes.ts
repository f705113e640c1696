/**
 * Process exit codes of Weir's outcomes, as the CLI returns them: 0 success; 1 a node errored or a test
 * failed (also: the read copy could not be published); 2 the project or the command is invalid (see
 * `WeirError.exitCode`); 128 + the signal number when a run was cancelled by a signal (SIGINT 2 →
 * 130, SIGTERM 15 → 143, as shells report it: https://tldp.org/LDP/abs/html/exitcodes.html).
 */

/** Exit code of a run stopped by a signal: 128 + the signal number. */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** What decides a run's exit code. */
export interface RunOutcome {
  /** Every node succeeded (warnings allowed) and the run finished. */
  readonly success: boolean;
  /** The abort reason when the run was cancelled (`SIGINT` → 130; any other reason → 143, SIGTERM's). */
  readonly cancelledBy?: string;
}

/** The exit code of a run: 130/143 when cancelled, else 0 on success, 1 otherwise. */
export function runExitCode(o: RunOutcome): 0 | 1 | 130 | 143 {
  if (o.cancelledBy !== undefined) return o.cancelledBy === 'SIGINT' ? SIGNAL_EXIT_CODES.SIGINT : SIGNAL_EXIT_CODES.SIGTERM;
  return o.success ? 0 : 1;
}
