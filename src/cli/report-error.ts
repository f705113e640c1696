/**
 * Errors as the CLI reports them: one `WEIR_ERROR` event per problem (with a count first when there are
 * several), carrying the error code, file and line.
 */
import { WeirErrors, type WeirError } from '../errors/weir-error.js';
import { now, type Reporter } from '../events/events.js';

/** The `WEIR_ERROR` event of one error. */
export function errorEvent(e: WeirError) {
  return { code: 'WEIR_ERROR' as const, ts: now(), level: 'error' as const, message: e.format(), error_code: e.code, file: e.location?.file, line: e.location?.line };
}

/** Reports an error (each of a WeirErrors' problems, after a `N problems found` line). */
export function reportError(e: WeirError, reporter: Reporter): void {
  const errors = e instanceof WeirErrors ? e.errors : [e];
  if (errors.length > 1) reporter.emit({ code: 'WEIR_ERROR', ts: now(), level: 'error', message: `${errors.length} problems found`, error_code: e.code });
  for (const x of errors) reporter.emit(errorEvent(x));
}
