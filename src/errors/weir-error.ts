/**
 * Weir's single error type. Every failure a user can act on is a `WeirError` with a stable `code`,
 * a message that names what went wrong, an optional `hint` saying how to fix it, and a location
 * (file, line, column, node id). The CLI maps errors to exit codes by {@link WeirError.exitCode}.
 */

/** Where an error points to. `line` and `column` are 1-based. */
export interface SourceLocation {
  /** Path relative to the project directory (or absolute when outside it). */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** unique_id of the node the error concerns, e.g. `model.shop.stg_orders`. */
  readonly nodeId?: string;
  /** Dotted key path inside a YAML file, e.g. `targets.dev.type`. */
  readonly keyPath?: string;
}

/** Stable error codes. Codes are part of the public API: never renamed, only added. */
export type WeirErrorCode =
  | 'WEIR_PROJECT_NOT_FOUND'
  | 'WEIR_PROJECT_INVALID'
  | 'WEIR_YAML_SYNTAX'
  | 'WEIR_SCHEMA_YAML_INVALID'
  | 'WEIR_ENV_MISSING'
  | 'WEIR_TARGET_UNKNOWN'
  | 'WEIR_TARGET_INVALID'
  /** A dbt profiles.yml given with --profiles-dir can't be read or mapped to Weir targets. */
  | 'WEIR_PROFILE_INVALID'
  | 'WEIR_ADAPTER_UNKNOWN'
  | 'WEIR_TEMPLATE_SYNTAX'
  | 'WEIR_TEMPLATE_RENDER'
  | 'WEIR_HELPER_UNKNOWN'
  | 'WEIR_REF_NOT_FOUND'
  | 'WEIR_SOURCE_NOT_FOUND'
  | 'WEIR_REF_DYNAMIC'
  | 'WEIR_MACRO_INVALID'
  | 'WEIR_DUPLICATE_NODE'
  | 'WEIR_DAG_CYCLE'
  | 'WEIR_SELECTOR_INVALID'
  | 'WEIR_VARS_INVALID'
  | 'WEIR_CONFIG_INVALID'
  | 'WEIR_SEED_INVALID'
  | 'WEIR_DB_LOCKED'
  | 'WEIR_RUN_LOCKED'
  | 'WEIR_DB_OPEN_FAILED'
  /** The database file is damaged (DuckDB checksum/metadata errors) and could not be restored. */
  | 'WEIR_DB_CORRUPT'
  | 'WEIR_EXTENSION_UNAVAILABLE'
  | 'WEIR_SQL_ERROR'
  | 'WEIR_UDF_INVALID'
  | 'WEIR_UDF_FAILED'
  | 'WEIR_UDF_UNAVAILABLE'
  | 'WEIR_CONTRACT_VIOLATION'
  | 'WEIR_NODE_NOT_FOUND'
  | 'WEIR_USAGE'
  | 'WEIR_STATE_INVALID'
  | 'WEIR_HOOK_FAILED'
  | 'WEIR_OPERATION_FAILED'
  /** An incremental model's columns differ from its table's under `on_schema_change: fail`. */
  | 'WEIR_SCHEMA_CHANGE'
  /** A model's data test failed on its staged relation (write-audit-publish); the relation was not published. */
  | 'WEIR_AUDIT_FAILED'
  | 'WEIR_DOCS_APP_MISSING'
  | 'WEIR_DOCS_NOT_GENERATED'
  | 'WEIR_DOCS_SERVE_FAILED'
  /** An optional peer dependency (an engine client, onnxruntime-node) is needed but not installed. */
  | 'WEIR_DEPENDENCY_MISSING'
  /** A node's compiled SQL holds more than one statement (and the model did not opt in). */
  | 'WEIR_MULTIPLE_STATEMENTS'
  /** Two nodes resolve to the same relation (alias, or names differing only in case). */
  | 'WEIR_DUPLICATE_RELATION'
  /** A snapshot's unique_key is not unique in its query's rows. */
  | 'WEIR_SNAPSHOT_KEY_NOT_UNIQUE'
  /** The run was stopped by SIGINT/SIGTERM. */
  | 'WEIR_CANCELLED'
  /** A UDF or query ran longer than its timeout. */
  | 'WEIR_TIMEOUT'
  | 'WEIR_INTERNAL';

/** Codes that mean "the project or the command is invalid" (exit code 2) rather than "a node failed". */
const INVALID_INPUT_CODES: ReadonlySet<WeirErrorCode> = new Set<WeirErrorCode>([
  'WEIR_PROJECT_NOT_FOUND', 'WEIR_PROJECT_INVALID', 'WEIR_YAML_SYNTAX', 'WEIR_SCHEMA_YAML_INVALID',
  'WEIR_ENV_MISSING', 'WEIR_TARGET_UNKNOWN', 'WEIR_TARGET_INVALID', 'WEIR_PROFILE_INVALID', 'WEIR_ADAPTER_UNKNOWN',
  'WEIR_TEMPLATE_SYNTAX', 'WEIR_TEMPLATE_RENDER', 'WEIR_HELPER_UNKNOWN', 'WEIR_REF_NOT_FOUND',
  'WEIR_SOURCE_NOT_FOUND', 'WEIR_REF_DYNAMIC', 'WEIR_MACRO_INVALID', 'WEIR_DUPLICATE_NODE', 'WEIR_DAG_CYCLE',
  'WEIR_SELECTOR_INVALID', 'WEIR_VARS_INVALID', 'WEIR_CONFIG_INVALID', 'WEIR_DB_LOCKED', 'WEIR_RUN_LOCKED', 'WEIR_DB_OPEN_FAILED',
  'WEIR_DB_CORRUPT', 'WEIR_NODE_NOT_FOUND', 'WEIR_USAGE', 'WEIR_UDF_INVALID', 'WEIR_STATE_INVALID',
  'WEIR_DOCS_APP_MISSING', 'WEIR_DOCS_NOT_GENERATED', 'WEIR_DOCS_SERVE_FAILED', 'WEIR_DEPENDENCY_MISSING', 'WEIR_DUPLICATE_RELATION',
]);

/** Options accepted by the {@link WeirError} constructor. */
export interface WeirErrorOptions {
  readonly hint?: string;
  readonly location?: SourceLocation;
  readonly cause?: unknown;
}

/**
 * An error a user can act on.
 * @example
 * throw new WeirError('WEIR_REF_NOT_FOUND', "Model 'orders' refers to unknown model 'stg_order'",
 *   { hint: "Did you mean 'stg_orders'?", location: { file: 'models/orders.sql', line: 3 } });
 */
export class WeirError extends Error {
  readonly code: WeirErrorCode;
  readonly hint?: string;
  readonly location?: SourceLocation;

  constructor(code: WeirErrorCode, message: string, options: WeirErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WeirError';
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
  }

  /** 2 for invalid project/command input, 1 otherwise (a node failed at run time). */
  get exitCode(): 1 | 2 {
    return INVALID_INPUT_CODES.has(this.code) ? 2 : 1;
  }

  /** `file:line:column` prefix (empty when the error has no file). */
  get where(): string {
    const l = this.location;
    if (!l?.file) return '';
    return `${l.file}${l.line ? `:${l.line}` : ''}${l.line && l.column ? `:${l.column}` : ''}`;
  }

  /** One human-readable block: location, message, hint. */
  format(): string {
    const where = this.where;
    const key = this.location?.keyPath ? ` (${this.location.keyPath})` : '';
    const head = where ? `${where}${key}: ${this.message}` : `${key ? `${key.trim()} ` : ''}${this.message}`;
    return this.hint ? `${head}\n  hint: ${this.hint}` : head;
  }

  /** JSON envelope used by the JSON reporter and artifacts. */
  toJSON(): { code: WeirErrorCode; message: string; hint?: string; location?: SourceLocation } {
    return { code: this.code, message: this.message, hint: this.hint, location: this.location };
  }
}

/**
 * Several errors found together (e.g. every invalid key in project.yaml, every missing ref), so a
 * user sees all of them at once rather than one per run. Its `code` is that of the first error.
 * @throws never; construct with at least one error.
 */
export class WeirErrors extends WeirError {
  readonly errors: readonly WeirError[];

  constructor(errors: readonly WeirError[]) {
    const first = errors[0];
    super(first.code, errors.length === 1 ? first.message : `${errors.length} problems found`, {
      hint: first.hint,
      location: first.location,
    });
    this.name = 'WeirErrors';
    this.errors = errors;
  }

  override get exitCode(): 1 | 2 {
    return this.errors.some((e) => e.exitCode === 2) ? 2 : 1;
  }

  override format(): string {
    if (this.errors.length === 1) return this.errors[0].format();
    return [`${this.errors.length} problems found:`, ...this.errors.map((e) => `- ${e.format().replace(/\n/g, '\n  ')}`)].join('\n');
  }
}

/** Throws {@link WeirErrors} when `errors` is non-empty. */
export function throwIfAny(errors: readonly WeirError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new WeirErrors(errors);
}

/** Wraps anything thrown into a WeirError (unknown errors become `WEIR_INTERNAL`). */
export function toWeirError(err: unknown): WeirError {
  if (err instanceof WeirError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new WeirError('WEIR_INTERNAL', message, { cause: err });
}
