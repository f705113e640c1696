/**
 * Data test configuration with dbt's semantics
 * (https://docs.getdbt.com/reference/data-test-configs): `fail_calc` (what is counted over the failing
 * rows, default `count(*)`), `warn_if` / `error_if` thresholds on that number (default `!=0`) read with
 * `severity`, `limit` on the failing rows, and `store_failures` / `store_failures_as` (keep the failing rows
 * in a table or view). Checked in the parse phase (parser/generic-tests.ts, singular-tests.ts); evaluated by execution after the
 * test query ran.
 */
import { WeirError } from '../../errors/weir-error.js';
import type { NodeConfig } from '../../manifest/types.js';
import { splitLevel } from '../../loader/folder-config.js';

/** A threshold such as `>10`, `!=0` or `>1%` (a percentage of the tested relation's rows). */
export interface Threshold {
  readonly op: '>' | '>=' | '<' | '<=' | '==' | '!=';
  readonly value: number;
  /** The value is a percentage of the tested relation's row count. */
  readonly percent?: boolean;
}

const THRESHOLD = /^\s*(>=|<=|==|!=|<>|=|>|<)\s*(-?\d+(?:\.\d+)?)\s*(%)?\s*$/;

/**
 * Parses a threshold: a comparison operator (`>`, `>=`, `<`, `<=`, `=`/`==`, `!=`/`<>`) and a number.
 * @returns undefined when the text is not a threshold
 */
export function parseThreshold(text: unknown): Threshold | undefined {
  if (typeof text !== 'string' && typeof text !== 'number') return undefined;
  const m = THRESHOLD.exec(String(text));
  if (!m) return undefined;
  const op = m[1] === '=' ? '==' : m[1] === '<>' ? '!=' : m[1];
  return { op: op as Threshold['op'], value: Number(m[2]), ...(m[3] ? { percent: true } : {}) };
}

/** Whether `n` meets the threshold. */
export function meets(n: number, t: Threshold): boolean {
  switch (t.op) {
    case '>': return n > t.value;
    case '>=': return n >= t.value;
    case '<': return n < t.value;
    case '<=': return n <= t.value;
    case '==': return n === t.value;
    default: return n !== t.value;
  }
}

/** Where a test's config was written, for messages. */
export interface ConfigSite {
  readonly file: string;
  readonly line?: number;
  /** e.g. `test not_null_orders_id`. */
  readonly what: string;
}

/**
 * Checks a data test's config keys; problems go to `errors` (`WEIR_CONFIG_INVALID`, naming the file and
 * line): a malformed `warn_if`/`error_if`, a `limit` that is not a whole number ≥ 0, `store_failures` not a
 * boolean, `store_failures_as` other than `table`/`view`, an empty `fail_calc`.
 */
export function checkTestConfig(config: NodeConfig, site: ConfigSite, errors: WeirError[]): void {
  const bad = (message: string, hint: string) => errors.push(new WeirError('WEIR_CONFIG_INVALID', `${site.what}: ${message}`, { location: { file: site.file, line: site.line }, hint }));
  for (const key of ['warn_if', 'error_if'] as const) {
    const v = config[key];
    if (v !== undefined && !parseThreshold(v)) {
      bad(`${key} must be a comparison with a number or a percentage, got ${JSON.stringify(v)}`, `Examples: ${key}: ">10", ${key}: "!=0", ${key}: ">1%" (of the tested relation's rows).`);
    }
  }
  const limit = config.limit;
  if (limit !== undefined && limit !== null && !(typeof limit === 'number' && Number.isInteger(limit) && limit >= 0)) {
    bad(`limit must be a whole number of rows, got ${JSON.stringify(limit)}`, 'Example: limit: 100.');
  }
  if (config.store_failures !== undefined && typeof config.store_failures !== 'boolean') {
    bad(`store_failures must be true or false, got ${JSON.stringify(config.store_failures)}`, 'Example: store_failures: true.');
  }
  const as = config.store_failures_as;
  if (as !== undefined && as !== 'table' && as !== 'view') {
    bad(`store_failures_as must be table or view, got ${JSON.stringify(as)}`, 'Example: store_failures_as: view.');
  }
  const fc = config.fail_calc;
  if (fc !== undefined && (typeof fc !== 'string' || !fc.trim())) {
    bad(`fail_calc must be an SQL expression over the failing rows, got ${JSON.stringify(fc)}`, "Examples: fail_calc: count(*), fail_calc: \"sum(case when amount > 100 then 1 else 0 end)\".");
  }
}

/** How failing rows are kept, or undefined when they are not (`store_failures_as` implies storing). */
export function storeFailuresAs(config: NodeConfig): 'table' | 'view' | undefined {
  if (config.store_failures_as === 'table' || config.store_failures_as === 'view') return config.store_failures_as;
  return config.store_failures === true ? 'table' : undefined;
}

/**
 * A test's status from its `fail_calc` result, with dbt's rules: severity `error` fails when `error_if`
 * holds (default `!=0`), else warns when `warn_if` holds; severity `warn` only warns, when `warn_if` holds.
 * A percentage threshold (`>1%`) is judged on `failures / rows × 100`, `rows` being the tested relation's
 * row count (after the test's `where`).
 */
export function testStatus(failures: number, config: NodeConfig, rows?: number): 'pass' | 'warn' | 'fail' {
  const warnIf = parseThreshold(config.warn_if ?? '!=0') ?? { op: '!=', value: 0 };
  const errorIf = parseThreshold(config.error_if ?? '!=0') ?? { op: '!=', value: 0 };
  const judged = (t: Threshold) => (t.percent ? failurePercent(failures, rows ?? 0) : failures);
  if (config.severity !== 'warn' && meets(judged(errorIf), errorIf)) return 'fail';
  if (meets(judged(warnIf), warnIf)) return 'warn';
  return 'pass';
}

/** `failures` as a percentage of `rows` (0 when the relation is empty). */
export function failurePercent(failures: number, rows: number): number {
  return rows > 0 ? (failures / rows) * 100 : 0;
}

/** Whether a test's `warn_if` or `error_if` is a percentage (it then needs the tested relation's row count). */
export function hasPercentThreshold(config: NodeConfig): boolean {
  return [config.warn_if, config.error_if].some((t) => parseThreshold(t)?.percent === true);
}

/**
 * Checks every level of project.yaml's data test config tree (`data_tests:` or legacy `tests:`) with
 * {@link checkTestConfig}, once per level, so a bad `+warn_if` there is reported at its key path in the
 * project file rather than once per test it reaches.
 * @param tree the tree; `key` is the project.yaml key it was written under
 */
export function checkTestConfigTree(tree: Record<string, unknown>, key: string, file: string, errors: WeirError[], locate?: (path: string[]) => number | undefined): void {
  const walk = (level: Record<string, unknown>, at: string[]) => {
    const { config, folders } = splitLevel(level);
    if (Object.keys(config).length) checkTestConfig(config as NodeConfig, { file, line: locate?.(at), what: at.join('.') }, errors);
    for (const [name, sub] of Object.entries(folders)) walk(sub, [...at, name]);
  };
  walk(tree, [key]);
}
