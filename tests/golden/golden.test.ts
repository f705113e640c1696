/**
 * Golden files: the demo's staging, intermediate and marts models as `weir compile --format --target <t>` renders (formatted, for review)
 * them for duckdb, snowflake and trino (tests/golden/<target>/<layer>/<model>.sql). The demo is copied to
 * a temp dir with snowflake/trino targets added to a test-only project.yaml (compile never connects).
 * `UPDATE_GOLDEN=1 npx vitest run tests/golden` rewrites the files.
 *
 * The Snowflake/Trino checks are STRUCTURAL, not a proof: no Snowflake or Trino engine is available here.
 * Each Snowflake/Trino golden file must parse with sql-formatter's parser for that language (it throws
 * on SQL it cannot parse, though it accepts much that the engine would reject), and Trino files must not
 * contain DuckDB-only syntax (see TRINO_FORBIDDEN).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { format } from 'sql-formatter';
import { runCli } from '../helpers/project.js';

const root = path.resolve(import.meta.dirname, '../..');
const goldenDir = path.join(root, 'tests/golden');
const TARGETS = ['duckdb', 'snowflake', 'trino'] as const;
const LAYERS = ['staging', 'intermediate', 'marts'];
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** DuckDB-only syntax that must not appear in Trino SQL (Trino has none of these). */
const TRINO_FORBIDDEN: [RegExp, string][] = [
  [/::/, '`::` casts'],
  [/\bqualify\b/i, 'QUALIFY'],
  [/\bstring_agg\s*\(/i, 'string_agg (use listagg)'],
  [/\bregexp_matches\s*\(/i, 'regexp_matches (use regexp_like)'],
  [/\bregexp_replace\s*\([^;]*?,\s*'g'\s*\)/i, "regexp_replace's 'g' flag"],
  [/\btry_strptime\s*\(|\bstrptime\s*\(|\bstrftime\s*\(/i, 'strptime/strftime (Trino: date_parse/date_format)'],
  [/\blist_\w+\s*\(|\blist_value\b/i, 'DuckDB list functions'],
  [/\bepoch\s*\(|\btoday\s*\(\)/i, 'epoch()/today()'],
  [/\bany_value\s*\(/i, 'any_value (use arbitrary)'],
  [/\bilike\b/i, 'ILIKE'],
  [/\bexclude\s*\(/i, 'SELECT * EXCLUDE'],
  [/\bdate_sub\s*\(|\bdatediff\s*\(/i, 'DuckDB date_sub / Snowflake datediff'],
];

let dir: string;
const compiled: Record<string, Map<string, string>> = {};

function listSql(base: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const layer of LAYERS) {
    const d = path.join(base, layer);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).filter((x) => x.endsWith('.sql')).sort()) out.set(`${layer}/${f}`, readFileSync(path.join(d, f), 'utf8'));
  }
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'weir-golden-'));
  for (const d of ['models', 'macros', 'seeds', 'udfs', 'project.yaml']) if (existsSync(path.join(root, d))) cpSync(path.join(root, d), path.join(dir, d), { recursive: true });
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  writeFileSync(path.join(dir, 'project.yaml'), `${readFileSync(path.join(dir, 'project.yaml'), 'utf8')}
  snowflake:
    type: snowflake
    account: golden
    user: weir
    password: unused
    database: analytics
    warehouse: wh
    schema: main
  trino:
    type: trino
    server: http://127.0.0.1:1
    user: weir
    catalog: lake
    schema: main
`);
  for (const t of TARGETS) {
    const env = { ...process.env, WEIR_TARGET_PATH: `target_${t}`, WEIR_DUCKDB_PATH: `target_${t}/weir.duckdb` };
    const target = t === 'duckdb' ? 'dev' : t;
    const r = await runCli(['compile', '--format', '--target', target, '--select', 'tag:staging', 'tag:intermediate', 'tag:marts', '--quiet'], dir, env);
    if (r.code !== 0) throw new Error(`compile --target ${target} failed:\n${r.stdout}`);
    compiled[t] = listSql(path.join(dir, `target_${t}/compiled/weir_demo/models`));
  }
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('golden compiled SQL per target', () => {
  for (const t of TARGETS) {
    it(`${t}: compiled demo models match tests/golden/${t}`, () => {
      const got = compiled[t];
      expect(got.size).toBeGreaterThan(15);
      if (UPDATE) {
        rmSync(path.join(goldenDir, t), { recursive: true, force: true });
        for (const [rel, sql] of got) {
          mkdirSync(path.dirname(path.join(goldenDir, t, rel)), { recursive: true });
          writeFileSync(path.join(goldenDir, t, rel), sql);
        }
      }
      const want = listSql(path.join(goldenDir, t));
      expect([...got.keys()], 'run UPDATE_GOLDEN=1 npx vitest run tests/golden to regenerate').toEqual([...want.keys()]);
      for (const [rel, sql] of got) expect(sql, `${t}/${rel}`).toBe(want.get(rel));
    });
  }

  for (const t of ['snowflake', 'trino'] as const) {
    it(`${t}: every golden file parses with sql-formatter's ${t} parser`, () => {
      for (const [rel, sql] of listSql(path.join(goldenDir, t))) {
        expect(() => format(sql, { language: t }), `${t}/${rel}`).not.toThrow();
      }
    });
  }

  it('trino: no DuckDB-only syntax in the golden files', () => {
    const found: string[] = [];
    for (const [rel, sql] of listSql(path.join(goldenDir, 'trino'))) {
      const code = sql.replace(/--[^\n]*/g, '').replace(/'(?:[^']|'')*'/g, (s) => (/^'g'$/.test(s) ? s : "''"));
      for (const [re, what] of TRINO_FORBIDDEN) if (re.test(code)) found.push(`${rel}: ${what}`);
    }
    expect(found).toEqual([]);
  });
});
