/**
 * Values that come from outside the project's SQL — `--vars`, project `vars`, environment variables and
 * `run-operation --args` — are strings an attacker may control. Inside a render they travel as
 * {@link UntrustedString}: comparisons, `literal`, `ident` and `raw` see the plain value, but printing one
 * into SQL (`{{val}}` in a macro, `{{this}}` inside `{{#each}}`/`{{#with}}`, a partial argument printed raw,
 * a cross-dialect helper's SQL argument) is an error that names the place and the helper to use.
 * Numbers, booleans, null and the empty string stay plain (they cannot carry SQL).
 */

/** Where an untrusted value came from, for messages: `var "country"`, `env "X"`, `run-operation argument "who"`. */
export type UntrustedOrigin = string;

/** Thrown when an untrusted value would be printed into SQL; the renderer adds file and line. */
export class UntrustedOutputError extends Error {
  constructor(message: string, readonly line?: number, readonly column?: number) {
    super(message);
  }
}

/** The message for an untrusted value printed raw; `what` names the printed expression (e.g. `{{col}}`). */
export function untrustedMessage(origin: UntrustedOrigin, what: string): string {
  return `${what} would print a string from ${origin} into SQL unquoted (SQL injection): ` +
    `write {{literal ...}} for a value or {{ident ...}} for a name (e.g. {{literal ${what.replace(/^\{\{|\}\}$/g, '')}}}); ` +
    'if it really is SQL text written by you, say so with {{raw ...}}';
}

/**
 * A string from vars, env or run-operation args. Not a `String`: converting it to a primitive (string
 * concatenation, template output) throws, so it cannot reach SQL text without going through
 * `literal`/`ident`/`raw`. `JSON.stringify` gives the plain value.
 */
export class UntrustedString {
  // Private fields: no own enumerable property, so `{{#each}}` over one does not expose the text.
  readonly #value: string;
  readonly #origin: UntrustedOrigin;

  constructor(value: string, origin: UntrustedOrigin) {
    this.#value = value;
    this.#origin = origin;
  }

  /** The plain string. */
  get value(): string {
    return this.#value;
  }

  /** Where it came from, e.g. `var "country"`. */
  get origin(): UntrustedOrigin {
    return this.#origin;
  }

  [Symbol.toPrimitive](): never {
    throw new UntrustedOutputError(untrustedMessage(this.origin, `(${this.origin})`));
  }

  toString(): never {
    throw new UntrustedOutputError(untrustedMessage(this.origin, `(${this.origin})`));
  }

  toJSON(): string {
    return this.value;
  }
}

/**
 * Marks every non-empty string in a value tree (arrays and plain objects, copied) as untrusted.
 * Other values are returned as they are.
 */
export function markUntrusted(value: unknown, origin: UntrustedOrigin): unknown {
  if (typeof value === 'string') return value === '' ? value : new UntrustedString(value, origin);
  if (Array.isArray(value)) return value.map((v) => markUntrusted(v, origin));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markUntrusted(v, origin)]));
  }
  return value;
}

/** The plain value of a (possibly) untrusted value tree: what `literal`, `ident`, comparisons and TS helpers see. */
export function plain(value: unknown): unknown {
  if (value instanceof UntrustedString) return value.value;
  if (Array.isArray(value)) return value.some(isTainted) ? value.map(plain) : value;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype && Object.values(value).some(isTainted)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** Whether a value tree holds an untrusted string. */
export function isTainted(value: unknown): boolean {
  if (value instanceof UntrustedString) return true;
  if (Array.isArray(value)) return value.some(isTainted);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).some(isTainted);
  return false;
}

/** The origin of the first untrusted string in a value tree. */
export function originOf(value: unknown): UntrustedOrigin | undefined {
  if (value instanceof UntrustedString) return value.origin;
  if (Array.isArray(value)) for (const v of value) { const o = originOf(v); if (o) return o; }
  else if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) { const o = originOf(v); if (o) return o; }
  }
  return undefined;
}
