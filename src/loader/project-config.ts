/**
 * `project.yaml`: its schema (validated with zod, every problem reported with file and key path), default
 * paths, environment interpolation (`{{env "NAME" "default"}}` inside string values), and the set of
 * secret values that must never reach logs or artifacts.
 */
import { z } from '../vendor/zod.js';
import { WeirError, WeirErrors } from '../errors/weir-error.js';
import { formatKeyPath, type YamlFile } from './yaml-file.js';
import { checkOneTestConfigKey } from './test-config-tree.js';

const pathList = z.union([z.string().min(1), z.array(z.string().min(1))]).transform((v) => (Array.isArray(v) ? v : [v]));

/** A target: which engine and how to reach it. Engine-specific keys are validated by the adapter. */
export const targetSchema = z
  .object({
    type: z.string().min(1, 'type is required (e.g. duckdb)'),
    threads: z.number().int().min(1).max(64).optional(),
    schema: z.string().min(1).optional(),
    database: z.string().min(1).optional(),
  })
  .passthrough();

/** Folder-level config tree: `+key: value` sets config, any other key names a subfolder. */
const folderConfig: z.ZodType<Record<string, unknown>> = z.lazy(() => z.record(z.string(), z.unknown()));

/** The schema of `project.yaml`. Unknown top-level keys are rejected so typos surface. */
export const projectConfigSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'name must be a valid identifier (letters, digits, underscores)'),
    version: z.union([z.string(), z.number()]).transform(String).default('0.1.0'),
    'config-version': z.number().int().optional(),
    'model-paths': pathList.default(['models']),
    'seed-paths': pathList.default(['seeds']),
    'macro-paths': pathList.default(['macros']),
    'udf-paths': pathList.default(['udfs']),
    'test-paths': pathList.default(['tests']),
    'snapshot-paths': pathList.default(['snapshots']),
    /** Weir's standard library of UDFs and macros (src/stdlib/), off unless asked for. */
    stdlib: z.boolean().default(false),
    /** Other Weir projects whose macros and UDFs this project uses (see loader/libraries.ts). */
    packages: z.array(z.union([
      z.object({ package: z.string().regex(/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/, 'package must be an npm package name') }).strict(),
      z.object({ local: z.string().min(1) }).strict(),
    ], { error: 'each package is {package: <npm name>} or {local: <folder>}' })).default([]),
    'target-path': z.string().min(1).default('target'),
    vars: z.record(z.string(), z.unknown()).default({}),
    /** Names of vars whose values are secrets (redacted like secret-looking names; see secretVarValues). */
    secret_vars: z.array(z.string().min(1)).default([]),
    models: folderConfig.default({}),
    seeds: folderConfig.default({}),
    /** Project-level data test config (dbt ≥ 1.8); `tests:` is its legacy name (see test-config-tree.ts). */
    data_tests: folderConfig.default({}),
    tests: folderConfig.default({}),
    snapshots: folderConfig.default({}),
    target: z.string().min(1).optional(),
    /** `--reuse` by default for seed/run/build (execution/nodes/reuse.ts); `--no-reuse` overrides. */
    reuse: z.boolean().optional(),
    /** Whether `test`/`build` append to `weir_test_history` (execution/tests/test-history.ts); default true. */
    test_history: z.boolean().optional(),
    'on-run-start': z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v])).default([]),
    'on-run-end': z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v])).default([]),
    targets: z.record(z.string(), targetSchema).refine((t) => Object.keys(t).length > 0, 'define at least one target'),
  })
  .strict();

/** Validated project configuration. Paths are relative to the project root. */
export type ProjectConfig = z.output<typeof projectConfigSchema>;
/** One target's raw configuration (engine-specific keys included). */
export type TargetConfig = z.output<typeof targetSchema>;

// Secret names and values: see utils/redact.ts (the CLI needs them before any project code loads).
export { SECRET_KEY_PATTERN, SECRET_NAME_PATTERN, secretVarValues } from '../utils/redact.js';
import { SECRET_KEY_PATTERN } from '../utils/redact.js';

/** Result of interpolating `{{env ...}}` in a YAML value tree. */
export interface EnvInterpolation {
  readonly value: unknown;
  /** Values that came from the environment under a secret key or a secret-looking env var name. */
  readonly secrets: readonly string[];
}

const ENV_CALL = /\{\{\s*env\s+("([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)')(?:\s+("([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'))?\s*\}\}/g;

/**
 * Replaces `{{env "NAME"}}` / `{{env "NAME" "default"}}` in every string of a YAML value tree.
 * @param activeTarget the target this run uses: unset variables (without default) under other targets'
 *   settings are left empty instead of being errors
 * Interpolation happens per value after YAML parsing, so an env value can never change the YAML structure.
 * @throws WeirErrors `WEIR_ENV_MISSING` for each unset variable without default (file and key path named)
 */
export function interpolateEnv(
  value: unknown,
  yaml: YamlFile,
  env: NodeJS.ProcessEnv = process.env,
  activeTarget?: string,
): EnvInterpolation {
  const secrets: string[] = [];
  const errors: WeirError[] = [];
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (typeof v === 'string' && v.includes('{{')) {
      const lastKey = String(path[path.length - 1] ?? '');
      return v.replace(ENV_CALL, (_m, _q1, a, b, q2, c, d) => {
        const name = (a ?? b) as string;
        const fallback = q2 === undefined ? undefined : ((c ?? d) as string);
        const got = env[name];
        if (got === undefined && fallback === undefined) {
          // Another target's settings: not needed for this run, so its variables need not be set
          // (dev machines should not have to export production secrets).
          if (activeTarget !== undefined && path[0] === 'targets' && path.length > 1 && path[1] !== activeTarget) return '';
          errors.push(new WeirError('WEIR_ENV_MISSING', `environment variable ${name} is not set`, {
            location: { file: yaml.file, keyPath: formatKeyPath(path), ...yaml.locate(path) },
            hint: `Export ${name} before running Weir, or give a default: {{env "${name}" "default"}}.`,
          }));
          return '';
        }
        const out = got ?? fallback!;
        // A default standing in for a secret is as secret as the value it replaces.
        if ((SECRET_KEY_PATTERN.test(lastKey) || SECRET_KEY_PATTERN.test(name)) && out.length > 0) secrets.push(out);
        return out;
      });
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, [...path, k]);
      return out;
    }
    return v;
  };
  const result = walk(value, []);
  if (errors.length) throw errors.length === 1 ? errors[0] : new WeirErrors(errors);
  return { value: coerceNumbers(result), secrets };
}

/** Env values are strings; `threads: "{{env 'T' '4'}}"` should still validate as a number. */
function coerceNumbers(v: unknown, key = ''): unknown {
  if (typeof v === 'string' && /^(threads|port|timeout|login_timeout|retries)$/.test(key) && /^\d+$/.test(v)) return Number(v);
  if (Array.isArray(v)) return v.map((x) => coerceNumbers(x));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, coerceNumbers(x, k)]));
  }
  return v;
}

/**
 * Validates a parsed `project.yaml` value.
 * @returns the config with defaults applied
 * @throws WeirErrors `WEIR_PROJECT_INVALID`, one per problem, each with key path and line
 */
export function validateProjectConfig(value: unknown, yaml: YamlFile): ProjectConfig {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WeirError('WEIR_PROJECT_INVALID', 'project.yaml must be a mapping with at least `name` and `targets`', {
      location: { file: yaml.file, line: 1 },
      hint: 'Start from:\nname: my_project\ntargets:\n  dev: {type: duckdb, path: target/weir.duckdb}',
    });
  }
  const parsed = projectConfigSchema.safeParse(value);
  if (parsed.success) {
    const cfg = parsed.data;
    if (cfg.target !== undefined && !(cfg.target in cfg.targets)) {
      throw new WeirError('WEIR_PROJECT_INVALID', `default target '${cfg.target}' is not defined under targets (defined: ${Object.keys(cfg.targets).join(', ')})`, {
        location: { file: yaml.file, keyPath: 'target', ...yaml.locate(['target']) },
        hint: 'Set `target:` to one of the names under `targets:`.',
      });
    }
    checkOneTestConfigKey(cfg, yaml.file, yaml.locate(['tests']).line);
    return cfg;
  }
  const errors = parsed.error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as (string | number)[];
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    }
    const keyPath = formatKeyPath(path);
    return new WeirError('WEIR_PROJECT_INVALID', `${keyPath ? `${keyPath}: ` : ''}${message}`, {
      location: { file: yaml.file, keyPath: keyPath || undefined, ...yaml.locate(path) },
      hint: issue.code === 'unrecognized_keys'
        ? 'Allowed keys: name, version, secret_vars, model-paths, seed-paths, macro-paths, udf-paths, test-paths, snapshot-paths, stdlib, packages, target-path, vars, models, seeds, data_tests, tests, snapshots, on-run-start, on-run-end, target, targets.'
        : undefined,
    });
  });
  throw new WeirErrors(errors);
}

