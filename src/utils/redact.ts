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

/**
 * Applies a redactor to every string inside a JSON-like value. The input is never mutated; parts that
 * contain nothing to redact are shared with the result rather than copied (a manifest of 30,000 nodes
 * usually has no secrets in it at all, and copying it cost more than serializing it).
 */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const r = redactDeep(v, redact);
      if (out) out.push(r);
      else if (r !== v) {
        out = value.slice(0, i);
        out.push(r);
      }
    }
    return (out ?? value) as T;
  }
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let out: Record<string, unknown> | undefined;
    const obj = value as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      const r = redactDeep(v, redact);
      if (r !== v) {
        out ??= { ...obj };
        out[k] = r;
      }
    }
    return (out ?? value) as T;
  }
  return value;
}
