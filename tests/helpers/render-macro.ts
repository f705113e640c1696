/**
 * Renders a template with Weir's real Handlebars environment (built-in helpers, the standard library's
 * `src/stdlib/macros/*.sql` as partials, the DuckDB dialect), so macro tests exercise exactly what models get.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TemplateEnvironment } from '../../src/compiler/environment.js';
import type { RenderState } from '../../src/compiler/helpers/render-state.js';
import { duckdbDialect } from '../../src/adapters/duckdb/dialect.js';

const macroDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/stdlib/macros');

let env: TemplateEnvironment | undefined;

/** The environment with every `macros/*.sql` registered (built once). */
export function macroEnvironment(): TemplateEnvironment {
  if (!env) {
    const partials = readdirSync(macroDir)
      .filter((f) => f.endsWith('.sql'))
      .map((f) => ({ name: f.replace(/\.sql$/, ''), path: `weir-sql/macros/${f}`, raw: readFileSync(path.join(macroDir, f), 'utf8') }));
    env = new TemplateEnvironment(partials);
  }
  return env;
}

/**
 * Renders `template` (e.g. a `{{> macro ...}}` call) for DuckDB.
 * @param context template variables (e.g. `{ relation: 'my_table' }`)
 * @param vars values for `{{var ...}}`
 */
export function renderWithWeir(template: string, context: Record<string, unknown> = {}, vars: Record<string, unknown> = {}): string {
  const e = macroEnvironment();
  const state: RenderState = {
    nodeId: 'model.test.macro_call', file: 'models/macro_call.sql', dialect: duckdbDialect, vars, env: {}, secrets: new Set(),
    resolveRef: (name) => duckdbDialect.quoteIdentifier(name),
    resolveSource: (s, t) => duckdbDialect.relation({ schema: s, identifier: t }),
  };
  return e.compile(template, 'models/macro_call.sql')(context, { data: { weir: state } });
}
