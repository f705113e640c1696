/**
 * Secret redaction: every string that leaves Weir (log lines, JSON events, artifacts) passes through a
 * redactor built from the run's secret values (passwords, tokens read from the environment).
 */

/** Replacement text for a secret. */
export const REDACTED = '***';

/** A function that replaces every occurrence of a secret in a string. */
export type Redactor = (s: string) => string;

/**
 * Builds a redactor.
 * @param secrets values to hide; values shorter than 4 characters are ignored (too likely to hit ordinary text)
 */
export function createRedactor(secrets: Iterable<string>): Redactor {
  const list = [...new Set([...secrets].filter((s) => s && s.length >= 4))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (s) => s;
  const re = new RegExp(list.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return (s) => s.replace(re, REDACTED);
}

/** Applies a redactor to every string inside a JSON-like value (returns a new value). */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, redact);
    return out as T;
  }
  return value;
}
