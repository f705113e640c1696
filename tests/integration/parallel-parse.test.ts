/**
 * Template parsing on a worker thread (parser/partial-parse/preparse.ts) against the built `dist/` (the worker runs the
 * compiled module; from TypeScript sources no worker starts): the same manifest, compiled SQL, partial-parse
 * cache and errors as parsing everything on the main thread, with the worker's results actually used.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject } from '../helpers/project.js';
import type { WeirProject as WeirProjectType } from '../../src/api/project.js';

const root = path.resolve(__dirname, '../..');
let WeirProject: typeof WeirProjectType;
let loader: typeof import('../../src/parser/load-files.js');
let environment: typeof import('../../src/compiler/environment.js');
let parser: typeof import('../../src/parser/parse-project.js');

beforeAll(async () => {
  if (!existsSync(path.join(root, 'dist/parser/partial-parse/preparse-worker.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  const dist = (p: string) => import(pathToFileURL(path.join(root, 'dist', p)).href);
  ({ WeirProject } = (await dist('api/project.js')) as { WeirProject: typeof WeirProjectType });
  loader = await dist('parser/load-files.js');
  environment = await dist('compiler/environment.js');
  parser = await dist('parser/parse-project.js');
});
afterAll(cleanupProjects);

const SCHEMA = `models:
  - name: stg_a
    columns:
      - name: id
        tests: [not_null, unique]
sources:
  - name: raw
    tables:
      - name: events
`;

function models(n: number): Record<string, string> {
  const files: Record<string, string> = {
    'seeds/s.csv': 'id,amount\n1,10\n2,20\n',
    'macros/cents.sql': '({{col}} / 100.0)',
    'models/staging/stg_a.sql': '{{config materialized="table" tags=(array "a" "b")}}\nselect id, {{> cents col="amount"}} as dollars from {{ref "s"}}',
    'models/staging/schema.yml': SCHEMA,
    'models/staging/stg_src.sql': 'select * from {{source "raw" "events"}}\n{{#if (var "flag" false)}}where true{{else}}where false{{/if}}',
    'tests/assert_positive.sql': 'select * from {{ref "stg_a"}} where dollars < 0',
  };
  for (let i = 0; i < n; i++) files[`models/int/m${i}.sql`] = `-- model ${i}\nselect * from {{ref "stg_a"}}${i > 0 ? ` join {{ref "m${i - 1}"}} using (id)` : ''}\n{{!-- note --}}\n  {{> cents col="id"}}`;
  return files;
}

/** Every file under `dir` with its text (manifest metadata that differs per run normalized). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.duckdb')) out[path.relative(dir, p)] = readFileSync(p, 'utf8').replace(/"(generated_at|invocation_id)": "[^"]*"/g, '"$1": "X"')
        .split(JSON.stringify(path.dirname(dir)).slice(1, -1)).join('<project>'); // dbt's root_path is the project's absolute folder
    }
  };
  walk(dir);
  return out;
}

describe('templates parsed on a worker thread', () => {
  it('gives the same manifest, compiled SQL and partial-parse cache as the main thread, using the worker\'s results', async () => {
    const outputs: Record<string, string>[] = [];
    for (const parseInWorker of [false, true]) {
      const dir = await makeProject(models(30));
      const p = await WeirProject.load({ projectDir: dir, parseInWorker });
      const { errors } = p.compile();
      expect(errors).toEqual([]);
      if (parseInWorker) {
        expect(p.files.preparsed?.failure).toBeUndefined();
        expect(p.files.preparsed?.sent).toBe(34); // 32 models, 1 singular test, 1 macro
        expect(p.files.preparsed?.taken).toBe(34);
      } else expect(p.files.preparsed).toBeUndefined();
      outputs.push(snapshot(path.join(dir, 'target')));
    }
    expect(Object.keys(outputs[1]).sort()).toEqual(Object.keys(outputs[0]).sort());
    expect(Object.keys(outputs[1])).toContain('partial_parse.json');
    for (const k of Object.keys(outputs[0])) expect(outputs[1][k], k).toBe(outputs[0][k]);
  });

  it('leaves templates with problems to the main thread, which reports the same errors in the same order', async () => {
    const messages: string[][] = [];
    for (const parseInWorker of [false, true]) {
      const dir = await makeProject({
        ...models(3),
        'models/broken_syntax.sql': 'select 1\nfrom {{ref "stg_a"}\n',
        'models/dynamic_ref.sql': 'select * from {{ref (var "which")}}',
        'models/unknown_helper.sql': 'select {{frobnicate "x"}}',
        'models/unknown_ref.sql': 'select * from {{ref "nope"}}',
      });
      // The parse phase by hand (as WeirProject.load runs it), to see what the worker did.
      const files = loader.loadProjectFiles({ projectDir: dir, partialParse: false, parseInWorker });
      const env = new environment.TemplateEnvironment(files.macros.filter((m) => m.kind === 'partial'), []);
      let err: unknown;
      try {
        parser.parseProject(files, env, 'duckdb');
      } catch (e) {
        err = e;
      }
      expect(err).toBeDefined();
      // Clean templates come from the worker; the 2 with a syntax error or a dynamic ref are parsed here (unknown helpers and refs are checked here either way).
      if (parseInWorker) expect([files.preparsed?.sent, files.preparsed?.taken]).toEqual([11, 9]);
      const list = (err as { errors?: { format(): string }[] }).errors ?? [err as { format(): string }];
      messages.push(list.map((e) => e.format()));
    }
    expect(messages[0].join('\n')).toMatch(/broken_syntax\.sql/);
    expect(messages[0].join('\n')).toMatch(/dynamic_ref\.sql/);
    expect(messages[0].join('\n')).toMatch(/frobnicate/);
    expect(messages[0].join('\n')).toMatch(/nope/);
    expect(messages[1]).toEqual(messages[0]);
  });
});
