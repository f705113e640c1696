/**
 * `weir compile` skips parsing, rendering and writing when every input of the last successful compile is
 * unchanged and its outputs are untouched (src/api/compile-record.ts). A skipped compile leaves
 * manifest.json's inode alone (it refreshes generated_at/invocation_id in place); a compile that runs
 * replaces the file (written atomically, by rename). Each input is changed in turn, and the output must
 * change with it; outputs touched on disk must be restored.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli, writeFiles } from '../helpers/project.js';
import { COMPILE_RECORD_FILE } from '../../src/api/compile-record.js';

afterAll(cleanupProjects);

const PROJECT = `name: rec
vars:
  min_id: 1
models:
  rec:
    +materialized: view
target: dev
targets:
  dev:
    type: duckdb
    path: target/dev.duckdb
    schema: main
  other:
    type: duckdb
    path: target/other.duckdb
    schema: elsewhere
`;

const FILES: Record<string, string> = {
  'project.yaml': PROJECT,
  'seeds/people.csv': 'id,name\n1,Kim\n2,Lee\n',
  'models/stg_people.sql': 'select id, name from {{ref "people"}} where id >= {{var "min_id"}}',
  'models/named.sql': 'select {{literal (env "REC_GREETING" "hello")}} as greeting, {{> shout}} as s from {{ref "stg_people"}}',
  'macros/shout.sql': `'LOUD'`,
  'models/schema.yml': `version: 2
models:
  - name: stg_people
    description: People, staged.
    columns:
      - name: id
        data_tests: [not_null]
`,
  'selectors.yml': `selectors:
  - name: people
    definition: {method: fqn, value: stg_people}
`,
};

let dir: string;
const target = (...p: string[]) => path.join(dir, 'target', ...p);
const manifestText = () => readFileSync(target('manifest.json'), 'utf8');
const manifest = () => JSON.parse(manifestText()) as { metadata: Record<string, unknown>; nodes: Record<string, Record<string, unknown>>; selectors: Record<string, unknown> };
const compiledFile = (name: string) => readFileSync(target('compiled', 'rec', 'models', `${name}.sql`), 'utf8');
const ino = () => statSync(target('manifest.json')).ino;
/** Without the two fields every compile changes. */
const content = (text: string) => text.replace(/"generated_at": "[^"]*"/, '').replace(/"invocation_id": "[^"]*"/, '');

async function compile(args: string[] = [], env: NodeJS.ProcessEnv = { PATH: process.env.PATH }): Promise<{ skipped: boolean; stdout: string }> {
  const before = (() => {
    try {
      return ino();
    } catch {
      return undefined;
    }
  })();
  const r = await runCli(['compile', ...args], dir, env);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return { skipped: before !== undefined && ino() === before, stdout: r.stdout };
}

beforeEach(async () => {
  dir = await makeProject(FILES);
  expect((await compile()).skipped).toBe(false);
});

describe('weir compile with unchanged inputs', () => {
  it('skips, reports the recorded compile, and leaves the outputs as a full compile writes them', async () => {
    const full = manifestText();
    const first = manifest().metadata;
    const again = await compile();
    expect(again.skipped).toBe(true);
    expect(again.stdout).toMatch(/compiled 3 nodes to target\/compiled \(no input changed since the last compile: its outputs are kept/);
    const meta = manifest().metadata;
    expect(meta.invocation_id).not.toBe(first.invocation_id);
    expect(meta.generated_at).not.toBe(first.generated_at);
    expect(content(manifestText())).toBe(content(full));
    // The same as a compile that parses everything (which never skips, and records nothing).
    const cold = await compile(['--no-partial-parse']);
    expect(cold.skipped).toBe(false);
    expect(content(manifestText())).toBe(content(full));
    expect(statSync(target(COMPILE_RECORD_FILE)).mode & 0o777).toBe(0o600);
    expect((await compile()).skipped).toBe(false); // the cold compile rewrote manifest.json
    expect((await compile()).skipped).toBe(true);
  });

  it('in a project that reads no environment variable (the fingerprint without scrypt)', async () => {
    rmSync(path.join(dir, 'models/named.sql'));
    expect((await compile()).skipped).toBe(false);
    const rec = readFileSync(target(COMPILE_RECORD_FILE), 'utf8');
    expect(JSON.parse(rec.split('\n')[0]).envKeys).toEqual([]);
    expect((await compile([], { PATH: process.env.PATH, REC_GREETING: 'hi' })).skipped).toBe(true);
    writeFiles(dir, { 'models/named.sql': FILES['models/named.sql'] });
    expect((await compile()).skipped).toBe(false);
    expect(JSON.parse(readFileSync(target(COMPILE_RECORD_FILE), 'utf8').split('\n')[0]).envKeys).toEqual(['REC_GREETING']);
  });

  it('ignores environment variables no template reads, not those it reads', async () => {
    expect((await compile([], { PATH: process.env.PATH, UNRELATED: 'x' })).skipped).toBe(true);
    expect(compiledFile('named')).toContain(`'hello'`);
    expect((await compile([], { PATH: process.env.PATH, REC_GREETING: 'hi' })).skipped).toBe(false);
    expect(compiledFile('named')).toContain(`'hi'`);
    expect((await compile([], { PATH: process.env.PATH, REC_GREETING: 'hi' })).skipped).toBe(true);
    expect((await compile()).skipped).toBe(false); // unset again
    expect(compiledFile('named')).toContain(`'hello'`);
  });
});

describe('weir compile after an input changed', () => {
  it('a model, a macro, schema YAML, a seed, project.yaml and selectors.yml', async () => {
    writeFiles(dir, { 'models/stg_people.sql': 'select id, name, 1 as v from {{ref "people"}} where id >= {{var "min_id"}}' });
    expect((await compile()).skipped).toBe(false);
    expect(compiledFile('stg_people')).toContain('1 as v');

    writeFiles(dir, { 'macros/shout.sql': `'LOUDER'` });
    expect((await compile()).skipped).toBe(false);
    expect(compiledFile('named')).toContain(`'LOUDER'`);

    writeFiles(dir, { 'models/schema.yml': FILES['models/schema.yml'].replace('People, staged.', 'Staged people.') });
    expect((await compile()).skipped).toBe(false);
    expect(manifest().nodes['model.rec.stg_people'].description).toBe('Staged people.');

    const sum = (manifest().nodes['seed.rec.people'].checksum as { checksum: string }).checksum;
    writeFiles(dir, { 'seeds/people.csv': 'id,name\n1,Kim\n2,Lee\n3,Park\n' });
    expect((await compile()).skipped).toBe(false);
    expect((manifest().nodes['seed.rec.people'].checksum as { checksum: string }).checksum).not.toBe(sum);

    writeFiles(dir, { 'project.yaml': PROJECT.replace('min_id: 1', 'min_id: 5') });
    expect((await compile()).skipped).toBe(false);
    expect(compiledFile('stg_people')).toContain('>= 5');

    writeFiles(dir, { 'selectors.yml': FILES['selectors.yml'].replace('name: people', 'name: staged') });
    expect((await compile()).skipped).toBe(false);
    expect(Object.keys(manifest().selectors)).toEqual(['staged']);
    expect((await compile()).skipped).toBe(true);
  });

  it('--vars, --target, --select and --format', async () => {
    expect((await compile(['--vars', '{min_id: 7}'])).skipped).toBe(false);
    expect(compiledFile('stg_people')).toContain('>= 7');
    expect((await compile(['--vars', '{min_id: 7}'])).skipped).toBe(true);

    expect((await compile(['--target', 'other'])).skipped).toBe(false);
    expect(compiledFile('named')).toContain('elsewhere');
    expect((await compile(['--target', 'other'])).skipped).toBe(true);

    const sel = await compile(['--select', 'stg_people']);
    expect(sel.skipped).toBe(false);
    expect(sel.stdout).toMatch(/compiled 2 nodes to/); // the model and its test
    expect(sel.stdout).not.toMatch(/no input changed/);
    const selAgain = await compile(['--select', 'stg_people']);
    expect(selAgain.skipped).toBe(true);
    expect(selAgain.stdout).toMatch(/compiled 2 nodes to/);

    expect((await compile(['--format'])).skipped).toBe(false);
    expect(compiledFile('stg_people')).toMatch(/^select\n/);
    expect((await compile()).skipped).toBe(false);
    expect(compiledFile('stg_people')).toMatch(/^select id/);
  });
});

describe('weir compile after its outputs changed', () => {
  it('restores a removed or edited compiled file and an edited manifest.json', async () => {
    const full = manifestText();
    const file = target('compiled', 'rec', 'models', 'named.sql');
    const sql = readFileSync(file, 'utf8');
    rmSync(file);
    expect((await compile()).skipped).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(sql);

    writeFileSync(file, sql.replace('hello', 'HELLO'));
    expect((await compile()).skipped).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(sql);

    writeFileSync(target('manifest.json'), full.replace('People, staged.', 'People, edited.'));
    expect((await compile()).skipped).toBe(false);
    expect(content(manifestText())).toBe(content(full));

    rmSync(target(COMPILE_RECORD_FILE));
    expect((await compile()).skipped).toBe(false);
    expect((await compile()).skipped).toBe(true);
  });

  it('a garbled record is not used', async () => {
    writeFileSync(target(COMPILE_RECORD_FILE), '{"format":1,');
    expect((await compile()).skipped).toBe(false);
    expect((await compile()).skipped).toBe(true);
  });
});

describe('compiles that are never skipped', () => {
  it('after a compile with errors, until it succeeds', async () => {
    writeFiles(dir, { 'models/bad.sql': 'select {{var "nope"}} as x' });
    const r = await runCli(['compile'], dir, { PATH: process.env.PATH });
    expect(r.code).toBe(1);
    const before = ino();
    expect((await runCli(['compile'], dir, { PATH: process.env.PATH })).code).toBe(1);
    expect(ino()).not.toBe(before);
    rmSync(path.join(dir, 'models/bad.sql'));
    expect((await compile()).skipped).toBe(false);
    expect((await compile()).skipped).toBe(true);
  });

  it('with --no-partial-parse, and in projects with TypeScript helper macros', async () => {
    expect((await compile(['--no-partial-parse'])).skipped).toBe(false);
    expect((await compile(['--no-partial-parse'])).skipped).toBe(false);
    writeFiles(dir, { 'macros/flags.ts': 'export function only_paid() { return false; }\n' });
    expect((await compile()).skipped).toBe(false);
    expect((await compile()).skipped).toBe(false);
  });

  it('replays the load warnings of the recorded compile', async () => {
    writeFiles(dir, { 'project.yaml': PROJECT.replace('    +materialized: view', '    +materialized: view\n    nowhere:\n      +tags: [x]') });
    const full = await compile();
    expect(full.skipped).toBe(false);
    expect(full.stdout).toMatch(/models config path 'nowhere' matches no folder/);
    const again = await compile();
    expect(again.skipped).toBe(true);
    expect(again.stdout).toMatch(/models config path 'nowhere' matches no folder/);
  });
});

describe('projects with UDF modules', () => {
  const DEFINE = path.resolve(__dirname, '../../src/udfs/define.ts').split(path.sep).join('/');
  const udf = (description: string, version: string) => `import { defineScalarUdf } from '${DEFINE}';
export const shout = defineScalarUdf({
  name: 'shout', args: [{ name: 's', type: 'VARCHAR' }], returns: 'VARCHAR', deterministic: true, portable: true,
  description: '${description}', version: ${version},
  fn: (s: string) => s.toUpperCase(),
});
`;
  const fn = () => (manifest() as unknown as { functions: Record<string, { description: string; config: { weir: { version: string } } }> }).functions['function.rec.shout'];

  it('skip while the UDFs describe themselves the same; compile when a module, or what a version function reads, changes', async () => {
    writeFiles(dir, { 'udfs/text.ts': udf('Upper-cases s.', "'1'") });
    expect((await compile()).skipped).toBe(false);
    expect((await compile()).skipped).toBe(true);
    writeFiles(dir, { 'udfs/text.ts': udf('Shouts s.', "'1'") });
    expect((await compile()).skipped).toBe(false);
    expect(fn().description).toBe('Shouts s.');
    expect((await compile()).skipped).toBe(true);
    // A version computed from the context: its inputs (here a var) are the compile's.
    writeFiles(dir, { 'udfs/text.ts': udf('Shouts s.', '(ctx) => String(ctx.vars.min_id)') });
    expect((await compile()).skipped).toBe(false);
    expect(fn().config.weir.version).toBe('1');
    expect((await compile()).skipped).toBe(true);
    expect((await compile(['--vars', '{min_id: 3}'])).skipped).toBe(false);
    expect(fn().config.weir.version).toBe('3');
  });

  it('a file the module imports counts through what the module defines', async () => {
    writeFiles(dir, {
      'udfs/text.ts': udf('x', "'1'").replace(`description: 'x'`, 'description: DESC').replace(/^/, "import { DESC } from './lib/desc.ts';\n"),
      'udfs/lib/desc.ts': `export const DESC = 'First.';\n`,
    });
    expect((await compile()).skipped).toBe(false);
    expect(fn().description).toBe('First.');
    expect((await compile()).skipped).toBe(true);
    writeFiles(dir, { 'udfs/lib/desc.ts': `export const DESC = 'Second.';\n` });
    expect((await compile()).skipped).toBe(false);
    expect(fn().description).toBe('Second.');
  });

  it('a UDF module that fails to load is reported as without the record, and never skipped', async () => {
    writeFiles(dir, { 'udfs/text.ts': 'export const broken = ;\n' });
    const r1 = await runCli(['compile'], dir, { PATH: process.env.PATH });
    const r2 = await runCli(['compile', '--no-partial-parse'], dir, { PATH: process.env.PATH });
    expect(r1.code).toBe(2);
    expect(r1.code).toBe(r2.code);
    expect(r1.stdout + r1.stderr).toContain('udfs/text.ts');
  });
});
