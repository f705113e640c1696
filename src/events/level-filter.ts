/**
 * `--log-level`: a reporter that passes on only events at or above a level (dbt's `--log-level`:
 * debug < info < warn < error; `none` passes nothing). The run's summary (`WEIR_RUN_END`) is info: with
 * `--log-level warn` a successful run prints nothing, a failed one its error events.
 */
import type { Level, Reporter } from './events.js';

/** `--log-level` values. */
export type LogLevel = Level | 'none';

/** The values, lowest first. */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'none'];

/** Wraps `inner`, dropping events below `min` (`debug` passes everything). */
export function levelFilter(inner: Reporter, min: LogLevel): Reporter {
  if (min === 'debug') return inner;
  const floor = LOG_LEVELS.indexOf(min);
  return {
    emit: (e) => {
      if (LOG_LEVELS.indexOf(e.level) >= floor) inner.emit(e);
    },
    close: () => inner.close?.(),
  };
}
