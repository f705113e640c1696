/**
 * Reading a dbt `profiles.yml` (`--profiles-dir DIR`, `--profile NAME`): the profile's `outputs` become Weir
 * targets and its `target:` the default target, as dbt's profiles do
 * (https://docs.getdbt.com/docs/core/connect-data-platform/profiles.yml). Outputs of type duckdb, snowflake
 * and trino are mapped key by key onto Weir's target settings (the table below); any other type or key is an
 * error naming the file, line and key (with the closest known key), never ignored. `{{ env_var('NAME') }}`
 * and `{{ env_var('NAME', 'default') }}` read the environment (values under secret-looking keys are
 * redacted); any other Jinja in profiles.yml is an error. A profile without `outputs` (only `target:`)
 * keeps project.yaml's targets: that is what astronomer-cosmos' `profiles_yml_filepath` can point at.
 *
 * | dbt output key | Weir target key |
 * |---|---|
 * | duckdb: `path`, `schema`, `threads`, `settings` | same |
 * | snowflake: `account`, `user`, `password`, `role`, `warehouse`, `database`, `schema`, `threads`, `authenticator`, `private_key`, `private_key_path`, `private_key_passphrase`, `token`, `query_tag`, `connect_retries` | same |
 * | snowflake: `connect_timeout` | `connect_timeout_seconds` |
 * | trino: `host` + `port` + `http_scheme` | `server` (`http_scheme://host:port`) |
 * | trino: `database` | `catalog` |
 * | trino: `user`, `schema`, `threads`, `session_properties` | same |
 * | trino: `method: ldap` + `password` / `method: jwt` + `jwt_token` | `auth: {type: basic, password}` / `auth: {type: jwt, token}` |
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { WeirError, WeirErrors } from '../errors/weir-error.js';
import { closestKey } from './config-keys.js';
import { interpolateEnv } from './project-config.js';
import { parseYamlFile, type YamlFile } from './yaml-file.js';

/** Where a target was defined and how to find its keys' lines (for adapter validation errors). */
export interface TargetSource {
  /** Project-relative (or absolute when outside the project) file. */
  readonly file: string;
  /** Locates a key path given as Weir's `['targets', name, key...]`. */
  locate(p: (string | number)[]): { line?: number; column?: number };
}

/** The targets a profile defines. */
export interface ProfileTargets {
  readonly file: string;
  readonly profile: string;
  /** The profile's `target:`. */
  readonly defaultTarget?: string;
  /** Weir targets by output name (empty when the profile has no outputs). */
  readonly targets: Readonly<Record<string, Record<string, unknown>>>;
  /** Values read from the environment under secret-looking keys. */
  readonly secrets: readonly string[];
  readonly source: TargetSource;
}

const KEYS: Readonly<Record<string, readonly string[]>> = {
  duckdb: ['type', 'path', 'schema', 'threads', 'settings'],
  snowflake: ['type', 'account', 'user', 'password', 'role', 'warehouse', 'database', 'schema', 'threads', 'authenticator', 'private_key', 'private_key_path', 'private_key_passphrase', 'token', 'query_tag', 'connect_retries', 'connect_timeout'],
  trino: ['type', 'host', 'port', 'http_scheme', 'database', 'user', 'schema', 'threads', 'session_properties', 'method', 'password', 'jwt_token'],
};

const ENV_VAR = /\{\{\s*env_var\(\s*(['"])([^'"]+)\1\s*(?:,\s*(['"])([^'"]*)\3\s*)?\)\s*\}\}/g;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads `DIR/profiles.yml` and maps profile `profile`'s outputs to Weir targets.
 * @param dir absolute directory
 * @param root the project root (file names in errors are relative to it when inside)
 * @param options `keepEnvCalls`: leave `{{env "NAME"}}` in the values (for writing a project.yaml) instead of reading the environment
 * @throws WeirError `WEIR_PROFILE_INVALID` (exit 2) for a missing file, an unknown profile (with the closest
 *   name), an output of another type, an unknown key, unsupported Jinja, or an unset env var
 */
export function readDbtProfile(dir: string, profile: string, root: string, env: NodeJS.ProcessEnv, options: { keepEnvCalls?: boolean } = {}): ProfileTargets {
  const abs = path.join(dir, 'profiles.yml');
  const rel = path.relative(root, abs);
  const file = rel.startsWith('..') ? abs : rel.split(path.sep).join('/');
  if (!existsSync(abs)) {
    throw new WeirError('WEIR_PROFILE_INVALID', `--profiles-dir ${dir} has no profiles.yml`, { hint: 'Point --profiles-dir at the directory holding profiles.yml (dbt\'s default is ~/.dbt).' });
  }
  const yaml = parseYamlFile(readFileSync(abs, 'utf8'), file, 'WEIR_PROFILE_INVALID');
  if (!isObj(yaml.value)) throw new WeirError('WEIR_PROFILE_INVALID', `${file} must be a mapping of profile names`, { location: { file } });
  const profiles = Object.keys(yaml.value).filter((k) => k !== 'config');
  const p = yaml.value[profile];
  if (!isObj(p)) {
    const near = closestKey(profile, profiles);
    throw new WeirError('WEIR_PROFILE_INVALID', `profile '${profile}' is not in ${file}`, {
      location: { file }, hint: `${near ? `Did you mean '${near}'? ` : ''}Profiles in the file: ${profiles.join(', ') || 'none'}. Without --profile the project's name is used.`,
    });
  }
  const errors: WeirError[] = [];
  const at = (keys: (string | number)[], message: string, hint?: string) =>
    errors.push(new WeirError('WEIR_PROFILE_INVALID', message, { location: { file, keyPath: keys.join('.'), ...yaml.locate(keys) }, hint }));
  for (const k of Object.keys(p)) if (k !== 'target' && k !== 'outputs') at([profile, k], `unknown key '${k}' in profile '${profile}'`, 'A profile has target: and outputs:.');
  const rawOutputs = p.outputs === undefined ? {} : p.outputs;
  if (!isObj(rawOutputs)) at([profile, 'outputs'], `outputs of profile '${profile}' must be a mapping of target names`);
  // Jinja: env_var() becomes Weir's {{env}}; anything else is refused.
  const converted = convertJinja(isObj(rawOutputs) ? rawOutputs : {}, [profile, 'outputs'], at);
  let interpolated: { value: unknown; secrets: readonly string[] } = { value: {}, secrets: [] };
  try {
    interpolated = options.keepEnvCalls ? { value: converted, secrets: [] } : interpolateEnv(converted, { ...yaml, locate: (k: readonly (string | number)[]) => yaml.locate([profile, 'outputs', ...k]) } as YamlFile, env);
  } catch (e) {
    if (e instanceof WeirErrors) errors.push(...e.errors);
    else if (e instanceof WeirError) errors.push(e);
    else throw e;
  }
  const targets: Record<string, Record<string, unknown>> = {};
  for (const [name, out] of Object.entries(interpolated.value as Record<string, unknown>)) {
    const base = [profile, 'outputs', name];
    if (!isObj(out)) {
      at(base, `output '${name}' must be a mapping`);
      continue;
    }
    const type = String(out.type ?? '');
    const known = KEYS[type];
    if (!known) {
      at([...base, 'type'], `output '${name}' has type '${type || '(none)'}', which Weir can't run`, 'Weir runs duckdb, snowflake and trino outputs.');
      continue;
    }
    for (const k of Object.keys(out)) {
      if (known.includes(k)) continue;
      const near = closestKey(k, known);
      at([...base, k], `key '${k}' of ${type} output '${name}' is not supported by Weir`, near ? `Did you mean '${near}'?` : `Known keys: ${known.join(', ')}.`);
    }
    targets[name] = mapOutput(type, out, (k, m) => at([...base, k], m));
  }
  if (p.target !== undefined && typeof p.target !== 'string') at([profile, 'target'], `target of profile '${profile}' must be a name`);
  if (typeof p.target === 'string' && Object.keys(targets).length && !(p.target in targets)) {
    at([profile, 'target'], `default target '${p.target}' is not one of profile '${profile}''s outputs (${Object.keys(targets).join(', ')})`);
  }
  if (errors.length) throw errors.length === 1 ? errors[0] : new WeirErrors(errors);
  const keyOf: Record<string, string> = { catalog: 'database', server: 'host', connect_timeout_seconds: 'connect_timeout', auth: 'method' };
  return {
    file, profile, defaultTarget: typeof p.target === 'string' ? p.target : undefined, targets, secrets: interpolated.secrets,
    source: {
      file,
      locate: (k) => (k[0] === 'targets' ? yaml.locate([profile, 'outputs', String(k[1]), ...k.slice(2, 3).map((x) => keyOf[String(x)] ?? x)]) : {}),
    },
  };
}

function convertJinja(v: unknown, keys: (string | number)[], at: (k: (string | number)[], m: string, h?: string) => void): unknown {
  if (typeof v === 'string') {
    const out = v.replace(ENV_VAR, (_m, _q, name: string, q2: string | undefined, dflt: string | undefined) => (q2 === undefined ? `{{env "${name}"}}` : `{{env "${name}" "${dflt ?? ''}"}}`));
    const left = out.replace(/\{\{env "[^"]*"(?: "[^"]*")?\}\}/g, '');
    if (/\{\{|\{%/.test(left)) at(keys, `Jinja in ${keys.join('.')} that Weir can't read: ${v}`, "Only {{ env_var('NAME') }} and {{ env_var('NAME', 'default') }} are read in profiles.yml.");
    return out;
  }
  if (Array.isArray(v)) return v.map((x, i) => convertJinja(x, [...keys, i], at));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convertJinja(x, [...keys, k], at)]));
  return v;
}

function mapOutput(type: string, o: Record<string, unknown>, at: (k: string, m: string) => void): Record<string, unknown> {
  const num = (v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v);
  if (type === 'duckdb') {
    const { type: _t, ...rest } = o;
    return { type, ...rest, ...(o.threads !== undefined ? { threads: num(o.threads) } : {}) };
  }
  if (type === 'snowflake') {
    const { connect_timeout, ...rest } = o;
    return { ...rest, ...(o.threads !== undefined ? { threads: num(o.threads) } : {}), ...(connect_timeout !== undefined ? { connect_timeout_seconds: num(connect_timeout) } : {}) };
  }
  // trino
  const scheme = String(o.http_scheme ?? 'http');
  if (scheme !== 'http' && scheme !== 'https') at('http_scheme', `http_scheme must be http or https, got '${scheme}'`);
  if (typeof o.host !== 'string' || !o.host) at('host', 'a trino output needs host');
  const port = o.port === undefined ? (scheme === 'https' ? 443 : 8080) : num(o.port);
  const method = String(o.method ?? (o.password !== undefined ? 'ldap' : 'none'));
  let auth: Record<string, unknown> | undefined;
  if (method === 'ldap') auth = { type: 'basic', password: String(o.password ?? '') };
  else if (method === 'jwt') auth = { type: 'jwt', token: String(o.jwt_token ?? '') };
  else if (method !== 'none') at('method', `trino method '${method}' is not supported by Weir (none, ldap, jwt)`);
  const host = String(o.host ?? '').replace(/^https?:\/\//, '');
  return {
    type, server: `${scheme}://${host}:${port}`, user: o.user, catalog: o.database, schema: o.schema,
    ...(o.threads !== undefined ? { threads: num(o.threads) } : {}), ...(o.session_properties !== undefined ? { session_properties: o.session_properties } : {}),
    ...(auth ? { auth } : {}),
  };
}
