/**
 * Reporters as the library hands them out: every event redacted before the caller's reporter sees it.
 */
import type { Reporter, WeirEvent } from '../events/events.js';
import { redactDeep, type Redactor } from '../utils/redact.js';

/** Wraps a reporter so every string in every event is redacted. */
export function redactingReporter(inner: Reporter, redact: Redactor): Reporter {
  return {
    emit: (e: WeirEvent) => inner.emit(redactDeep(e, redact)),
    close: () => inner.close?.(),
  };
}
