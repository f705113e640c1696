/**
 * Secret redaction: every string that leaves Weir (log lines, JSON events, artifacts) passes through a
 * redactor built from the run's secret values (passwords, tokens read from the environment).
 */

/** Key names whose values are secrets (matched case-insensitively against the last key segment). */
export const SECRET_KEY_PATTERN = /pass(word|phrase)?|secret|token|private_?key|credential|api_?key/i;

/** Var and argument names whose values are secrets: {@link SECRET_KEY_PATTERN} plus `pwd`, `auth`, `access_key`, `secret_key`. */
export const SECRET_NAME_PATTERN = new RegExp(`${SECRET_KEY_PATTERN.source}|pwd|auth|access_?key|secret_?key`, 'i');

/**
 * Values of vars that are secrets: those whose name (any key on the path, e.g. `db_password`,
 * `api.token`) looks secret ({@link SECRET_NAME_PATTERN}) or that `secret_vars` lists. Strings and numbers are
 * returned as text; nested values of a secret var are all secret.
 */
export function secretVarValues(vars: Readonly<Record<string, unknown>>, secretNames: readonly string[] = []): string[] {
  const out: string[] = [];
  const walk = (v: unknown, secret: boolean) => {
    if (secret && (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') && String(v) !== '') out.push(String(v));
    else if (Array.isArray(v)) for (const x of v) walk(x, secret);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, secret || SECRET_NAME_PATTERN.test(k));
  };
  for (const [k, v] of Object.entries(vars)) walk(v, secretNames.includes(k) || SECRET_NAME_PATTERN.test(k));
  return out;
}

/** Replacement text for a secret. */
export const REDACTED = '***';

/** A function that replaces every occurrence of a secret in a string. */
export type Redactor = (s: string) => string;

/**
 * Builds a redactor.
 * @param secrets values to hide. Values of 4 characters or more are replaced wherever they occur; shorter
 *   ones (a 3-character password is still a password) only where they stand alone — not inside a longer
 *   word or number — so that `ab` does not turn every `table` into `t***le`.
 */
export function createRedactor(secrets: Iterable<string>): Redactor {
  const list = [...new Set([...secrets].filter((s) => s && s !== REDACTED))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (s) => s;
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const alts = list.map((s) => (s.length >= 4 ? esc(s) : `(?<![\\p{L}\\p{N}_])${esc(s)}(?![\\p{L}\\p{N}_])`));
  const re = new RegExp(alts.join('|'), 'gu');
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
