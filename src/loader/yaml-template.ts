/**
 * Templated schema YAML: `{{var "name"}}`, `{{var "name" "default"}}`, `{{env "NAME"}}`,
 * `{{env "NAME" "default"}}` and `{{target.name}}` (`type`, `schema`, `database`, `threads`) render in the
 * string values of schema YAML files — sources, configs, tests' arguments — as dbt renders Jinja there
 * (https://docs.getdbt.com/reference/dbt-jinja-functions/var). Rendering happens per value after YAML
 * parsing, so a value can never change the file's structure. `description:` values and `unit_tests:` are
 * left as written (descriptions are documentation; fixtures are data), and so are hooks (`pre_hook`,
 * `post_hook`): like dbt, Weir renders a hook when its node runs, where `{{this}}` and `{{name}}` exist
 * (https://docs.getdbt.com/reference/resource-configs/pre-hook-post-hook).
 */
import { WeirError } from '../errors/weir-error.js';
import { SECRET_KEY_PATTERN } from './project-config.js';
import { formatKeyPath, type YamlFile } from './yaml-file.js';

/** Config keys holding hooks: rendered when the node runs, not when the YAML is read. */
const HOOK_KEYS: ReadonlySet<string> = new Set(['pre_hook', 'post_hook', 'pre-hook', 'post-hook']);

/** What the expressions can read. */
export interface YamlTemplateContext {
  /** Project vars merged with `--vars`. */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly env: NodeJS.ProcessEnv;
  /** The selected target: its name and its raw settings (`type`, `schema`, `database`, `threads`). */
  readonly target: { readonly name: string } & Readonly<Record<string, unknown>>;
}

const EXPR = /\{\{\s*([^}]*?)\s*\}\}/g;
const ARG = /\s*("((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(-?\d+(?:\.\d+)?)|(true|false|null))/y;
const TARGET_FIELDS = ['name', 'type', 'schema', 'database', 'threads'];

/** Reads the literal arguments after a helper name; undefined when something else is there. */
function literalArgs(text: string): unknown[] | undefined {
  const out: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    ARG.lastIndex = i;
    const m = ARG.exec(text);
    if (!m) return text.slice(i).trim() === '' ? out : undefined;
    out.push(m[2] ?? m[3] ?? (m[4] !== undefined ? Number(m[4]) : m[5] === 'null' ? null : m[5] === 'true'));
    i = ARG.lastIndex;
  }
  return out;
}

/**
 * Renders the templates in every string value of a schema YAML file.
 * @returns the rendered value tree and the values read from secret-looking environment variables
 * @param errors receives `WEIR_SCHEMA_YAML_INVALID` naming file, line and key path for an unknown
 *   expression, a missing var or env var without default, or a target field the target does not set
 */
export function renderYamlTemplates(yaml: YamlFile, ctx: YamlTemplateContext, errors: WeirError[]): { value: unknown; secrets: string[] } {
  const secrets: string[] = [];
  const fail = (path: (string | number)[], message: string, hint: string) => errors.push(new WeirError('WEIR_SCHEMA_YAML_INVALID', `${formatKeyPath(path)}: ${message}`, {
    location: { file: yaml.file, keyPath: formatKeyPath(path), ...yaml.locate(path) }, hint,
  }));
  /** One expression's value, or undefined after reporting an error. */
  const evaluate = (expr: string, path: (string | number)[]): { ok: true; value: unknown } | { ok: false } => {
    const [, head = '', rest = ''] = /^(\S+)(.*)$/s.exec(expr) ?? [];
    if (head === 'var' || head === 'env') {
      const args = literalArgs(rest);
      if (!args || args.length < 1 || args.length > 2 || typeof args[0] !== 'string') {
        fail(path, `{{${expr}}} takes a name in quotes and an optional default`, `e.g. {{${head} "${head === 'var' ? 'raw_schema' : 'RAW_SCHEMA'}" "raw"}}`);
        return { ok: false };
      }
      const name = args[0];
      if (head === 'var') {
        if (name in ctx.vars) return { ok: true, value: ctx.vars[name] };
        if (args.length === 2) return { ok: true, value: args[1] };
        fail(path, `var '${name}' is not defined`, `Define it under vars: in project.yaml, pass --vars '{"${name}": ...}', or give a default: {{var "${name}" "default"}}.`);
        return { ok: false };
      }
      const got = ctx.env[name];
      if (got !== undefined) {
        if (SECRET_KEY_PATTERN.test(name) && got) secrets.push(got);
        return { ok: true, value: got };
      }
      if (args.length === 2) return { ok: true, value: args[1] };
      fail(path, `environment variable ${name} is not set`, `Export ${name} before running Weir, or give a default: {{env "${name}" "default"}}.`);
      return { ok: false };
    }
    const t = /^target\.(\w+)$/.exec(expr);
    if (t && TARGET_FIELDS.includes(t[1])) {
      const v = t[1] === 'name' ? ctx.target.name : ctx.target[t[1]];
      if (v !== undefined) return { ok: true, value: v };
      fail(path, `target '${ctx.target.name}' does not set ${t[1]}`, `Set ${t[1]}: under targets.${ctx.target.name} in project.yaml.`);
      return { ok: false };
    }
    const jinja = /^\s*(var|env_var|target)\s*\(/.test(expr) || expr.startsWith('{') || expr.startsWith('%');
    fail(path, `{{${expr}}} can't be rendered in schema YAML`, jinja
      ? 'Weir templates are Handlebars, not Jinja: write {{var "name"}}, {{env "NAME"}} or {{target.schema}}.'
      : `Schema YAML renders {{var "name" ["default"]}}, {{env "NAME" ["default"]}} and {{target.${TARGET_FIELDS.join('|')}}}.`);
    return { ok: false };
  };
  const renderString = (s: string, path: (string | number)[]): unknown => {
    const whole = /^\{\{\s*([^}]*?)\s*\}\}$/s.exec(s);
    if (whole) {
      // The whole value is one expression: keep the value's type (a number, a list, ...).
      const r = evaluate(whole[1], path);
      return r.ok ? r.value : s;
    }
    return s.replace(EXPR, (m, expr: string) => {
      const r = evaluate(expr, path);
      if (!r.ok) return m;
      return r.value === null || r.value === undefined ? '' : typeof r.value === 'object' ? JSON.stringify(r.value) : String(r.value);
    });
  };
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (typeof v === 'string') return v.includes('{{') ? renderString(v, path) : v;
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        out[k] = (k === 'description' || (path.length === 0 && k === 'unit_tests') || HOOK_KEYS.has(k)) ? x : walk(x, [...path, k]);
      }
      return out;
    }
    return v;
  };
  return { value: walk(yaml.value, []), secrets };
}
