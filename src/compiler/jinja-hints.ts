/**
 * dbt users write Jinja out of habit. Handlebars either fails on it with a parser dump (`{{ ref('x') }}`:
 * "Expecting 'ID', 'STRING', … got 'INVALID'") or, worse, passes it through as text (`{% if … %}` reaches
 * the engine as a syntax error). This module finds Jinja constructs in a template before it is parsed and
 * turns each into an error at file:line:column that gives the Weir spelling.
 *
 * Recognised: statement tags `{% … %}` (if/elif/else/endif, for/endfor, set, macro, call, …), comments
 * `{# … #}`, and expression tags calling a function (`{{ ref('x') }}`, `{{ source('a', 'b') }}`,
 * `{{ config(materialized='table') }}`, `{{ var('x') }}`, `{{ env_var('X') }}`, `{{ is_incremental() }}`,
 * `{{ dbt_utils.star(…) }}`, …) or using a filter (`{{ x | upper }}`).
 */
import { WeirError, WeirErrors } from '../errors/weir-error.js';

/** One Jinja construct found in a template. */
export interface JinjaFinding {
  /** 1-based line and column of the construct. */
  readonly line: number;
  readonly column: number;
  /** The construct as written (trimmed to one line). */
  readonly text: string;
  /** What to write in Weir instead. */
  readonly weir: string;
}

/** Jinja statement keywords and their Weir (Handlebars) spelling. */
const STATEMENTS: Readonly<Record<string, string>> = {
  if: '{{#if cond}} … {{/if}} (comparisons: {{#if (eq a "b")}}; is_incremental(): {{#if (is_incremental)}})',
  elif: '{{else if cond}}',
  else: '{{else}}',
  endif: '{{/if}}',
  for: '{{#each list}} … {{this}} … {{/each}} (over a var: {{#each (var "names")}})',
  endfor: '{{/each}}',
  set: 'a var in project.yaml (vars:) read with {{var "name"}}, or {{#with value}} … {{/with}}',
  macro: 'a macro file macros/<name>.sql, called as {{> name arg="value"}}',
  endmacro: 'the end of the macro file macros/<name>.sql',
  call: '{{#> name}} … {{/name}} (a macro block with {{> @partial-block}})',
  endcall: '{{/name}}',
  raw: 'plain text (Weir templates need no raw block unless they contain {{ )',
  endraw: 'plain text',
  do: 'a helper in macros/<name>.ts',
  snapshot: 'a file in snapshots/ with {{config strategy="timestamp" unique_key="id" updated_at="updated_at"}}',
  endsnapshot: 'the end of the snapshot file',
  test: 'a generic test in tests/generic/<name>.sql',
  endtest: 'the end of the generic test file',
  materialization: 'one of Weir\'s materializations (view, table, ephemeral, incremental, snapshot)',
  filter: 'a helper in macros/<name>.ts',
};

/** Weir spelling of a Jinja function call, e.g. `ref('x')` → `{{ref "x"}}`. */
function weirCall(name: string, args: string): string {
  const converted = convertArgs(args);
  switch (name) {
    case 'ref': return `{{ref ${converted}}}`;
    case 'source': return `{{source ${converted}}}`;
    case 'config': return `{{config ${converted}}}`;
    case 'var': return `{{var ${converted}}}`;
    case 'env_var': return `{{env ${converted}}}`;
    case 'is_incremental': return '{{#if (is_incremental)}} … {{/if}}';
    case 'this': return '{{this}}';
    case 'log': case 'print': return 'nothing (Weir templates do not log); remove it';
    case 'run_query': case 'statement': return 'a hook (pre_hook / post_hook) or `weir run-operation`';
    default:
      if (name.startsWith('dbt_utils.')) return `a standard-library macro or a partial: {{> ${name.slice('dbt_utils.'.length)} …}} (see README "Coming from dbt")`;
      return `a macro call {{> ${name.replace(/\./g, '_')} ${converted}}} (macros/${name.replace(/\./g, '_')}.sql)`;
  }
}

/** `'a', "b", k='v', n=3, flag=true` → `"a" "b" k="v" n=3 flag=true` (best effort for the hint). */
function convertArgs(args: string): string {
  const parts: string[] = [];
  const re = /\s*(?:(\w+)\s*=\s*)?('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[^,]+)\s*(?:,|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(args)) !== null && m[0] !== '') {
    let v = m[2].trim();
    if (/^'.*'$/.test(v)) v = JSON.stringify(v.slice(1, -1).replace(/\\'/g, "'"));
    else if (v === 'True' || v === 'False') v = v.toLowerCase();
    else if (/^\[.*\]$/.test(v)) v = `(array ${convertArgs(v.slice(1, -1))})`;
    parts.push(m[1] ? `${m[1]}=${v}` : v);
  }
  return parts.join(' ');
}

/**
 * Finds Jinja constructs in template text. Handlebars comments (`{{!-- … --}}`, `{{! … }}`) are skipped.
 * @returns findings in text order (empty for a clean template)
 */
export function findJinja(source: string): JinjaFinding[] {
  const out: JinjaFinding[] = [];
  // Blank out Handlebars comments, keeping offsets (and newlines) intact.
  const text = source.replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, (c) => c.replace(/[^\n]/g, ' '));
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const at = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };
  const oneLine = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}...` : s).replace(/\s+/g, ' ');
  const re = /\{%-?\s*(\w+)?[\s\S]*?-?%\}|(?<!\{)\{#[\s\S]*?#\}|\{\{-?\s*([A-Za-z_][\w.]*)\(([^)]*)\)[^}]*\}\}|\{\{-?[^{}|]*?[^|]\|\s*[a-z_]+[^{}]*\}\}/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const s = m[0];
    let weir: string;
    if (s.startsWith('{%')) {
      const kw = (m[1] ?? '').toLowerCase();
      if (kw === 'if' && /is_incremental\s*\(\s*\)/.test(s)) weir = '{{#if (is_incremental)}}';
      else weir = STATEMENTS[kw] ?? 'a Handlebars block ({{#if}}, {{#each}}, {{#with}}) or a macro';
    } else if (s.startsWith('{#')) weir = '{{!-- comment --}}';
    else if (m[2]) weir = weirCall(m[2], m[3] ?? '');
    else {
      // A pipe inside a string argument, or Handlebars block parameters (`as |item|`), is not a filter.
      const before = s.slice(0, s.indexOf('|'));
      if ((before.split('"').length - 1) % 2 === 1 || (before.split("'").length - 1) % 2 === 1 || /\sas\s*$/.test(before) || /^\{\{-?\s*[#/^>!]/.test(s)) continue;
      weir = 'a helper call: Jinja filters (x | f) are written {{f x}} (e.g. {{literal (var "x")}})';
    }
    out.push({ ...at(m.index), text: oneLine(s), weir });
  }
  return out;
}

/**
 * Throws when the template holds Jinja.
 * @param file path for messages
 * @throws WeirError / WeirErrors `WEIR_TEMPLATE_SYNTAX` (exit 2), one per construct, naming file:line:column
 *   and the Weir spelling
 */
export function assertNoJinja(source: string, file: string): void {
  if (!source.includes('{%') && !source.includes('{#') && !/\{\{-?\s*[\w.]+\(|\|/.test(source)) return;
  const found = findJinja(source);
  if (!found.length) return;
  const errors = found.map((f) => new WeirError('WEIR_TEMPLATE_SYNTAX', `Jinja syntax is not Weir's: ${f.text}`, {
    location: { file, line: f.line, column: f.column },
    hint: `Weir templates are Handlebars. Write ${f.weir}. See README "Coming from dbt".`,
  }));
  throw errors.length === 1 ? errors[0] : new WeirErrors(errors);
}
