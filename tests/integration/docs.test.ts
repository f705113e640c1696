/**
 * `weir docs generate` / `weir docs serve` on a small project: catalog.json from the warehouse (and errors
 * for unbuilt relations), lineage.json, the site files and their data, serving on 127.0.0.1 only.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli, type CliResult } from '../helpers/project.js';
import { dbtSchemaErrors } from '../helpers/dbt-schemas.js';
import { makeDocsProject } from '../helpers/docs-project.js';
import { WeirProject } from '../../src/api/project.js';
import { serveDocs } from '../../src/docs/serve.js';
import { generateDocs } from '../../src/docs/generate.js';
import type { SiteData } from '../../src/docs/site-data.js';

let dir: string;
let gen: CliResult;
const rawGet = (port: number, p: string, headers: Record<string, string> = {}) => new Promise<number>((resolve, reject) => {
  http.get({ host: '127.0.0.1', port, path: p, headers }, (res) => {
    res.resume();
    resolve(res.statusCode ?? 0);
  }).on('error', reject);
});
const read = (rel: string) => JSON.parse(readFileSync(path.join(dir, rel), 'utf8'));

beforeAll(async () => {
  dir = await makeDocsProject();
  const build = await runCli(['build', '--exclude', 'unbuilt_model'], dir);
  expect(build.code, build.stdout + build.stderr).toBe(0);
  gen = await runCli(['docs', 'generate'], dir);
});
afterAll(cleanupProjects);

describe('weir docs generate', () => {
  it('reports what it wrote', () => {
    expect(gen.code, gen.stdout + gen.stderr).toBe(0);
    expect(gen.stdout).toMatch(/catalog: 6 relations \(1 not built\) → target\/catalog.json/);
    expect(gen.stdout).toMatch(/WARN catalog: relation main.unbuilt_model not found in the target/);
    expect(gen.stdout).toMatch(/site: \d+ pages → target\/docs\/index.html/);
  });

  it('writes catalog.json with the engine\'s column types, sources apart, and unbuilt relations as errors', () => {
    const cat = read('target/catalog.json');
    expect(cat.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/catalog/v1.json');
    expect(dbtSchemaErrors('catalog', cat)).toEqual([]);
    const rev = cat.nodes['model.shop.customer_revenue'];
    expect(rev.metadata).toMatchObject({ type: 'table', schema: 'main', name: 'customer_revenue' });
    expect(Object.values(rev.columns).map((c: any) => [c.name, c.type, c.index])).toEqual([ // eslint-disable-line @typescript-eslint/no-explicit-any
      ['customer_id', 'BIGINT', 1], ['customer_name', 'VARCHAR', 2], ['revenue', 'DOUBLE', 3], ['orders', 'BIGINT', 4],
    ]);
    expect(cat.nodes['model.shop.stg_customers'].metadata.type).toBe('view');
    expect(cat.nodes['seed.shop.customers'].columns.name.type).toBe('VARCHAR');
    expect(cat.sources['source.shop.shop_raw.orders'].columns.amount.type).toBe('DOUBLE');
    expect(cat.nodes['model.shop.int_paid_orders']).toBeUndefined(); // ephemeral: no relation
    expect(cat.errors).toEqual([expect.stringMatching(/^model.shop.unbuilt_model: relation main.unbuilt_model not found in the target: build it first \(weir build --select unbuilt_model\)/)]);
  });

  it('writes lineage.json through ephemeral CTEs, sources and seeds', () => {
    const lin = read('target/lineage.json');
    const rev = lin.nodes['model.shop.customer_revenue'].columns;
    expect(Object.keys(rev)).toEqual(['customer_id', 'customer_name', 'revenue', 'orders']);
    expect(rev.customer_name.upstream).toContainEqual({ node: 'model.shop.stg_customers', column: 'customer_name', kind: 'direct' });
    expect(rev.revenue.upstream).toContainEqual({ node: 'model.shop.stg_orders', column: 'amount', kind: 'aggregated' });
    expect(rev.revenue.upstream).toContainEqual({ node: 'model.shop.stg_orders', column: 'is_paid', kind: 'filtered_by' });
    expect(rev.revenue.upstream).toContainEqual({ node: 'model.shop.stg_orders', column: 'customer_id', kind: 'join_key' });
    expect(lin.nodes['model.shop.stg_orders'].columns.is_paid.upstream).toEqual([{ node: 'source.shop.shop_raw.orders', column: 'status', kind: 'transformed' }]);
    expect(lin.nodes['model.shop.stg_customers'].columns.customer_name.upstream).toEqual([{ node: 'seed.shop.customers', column: 'name', kind: 'transformed' }]);
    // Not built, but its SQL names its columns: lineage needs no catalog entry of its own.
    expect(lin.nodes['model.shop.unbuilt_model'].columns.double_revenue.upstream).toEqual([{ node: 'model.shop.customer_revenue', column: 'revenue', kind: 'transformed' }]);
  });

  it('writes a static site whose data script holds every page, with run results', () => {
    for (const f of ['index.html', 'weir-docs.js', 'weir-docs.css', 'weir-docs-data.js']) expect(existsSync(path.join(dir, 'target/docs', f)), f).toBe(true);
    const html = readFileSync(path.join(dir, 'target/docs/index.html'), 'utf8');
    expect(html).toContain('<script src="weir-docs-data.js"></script>');
    expect(html).not.toMatch(/https?:\/\//); // nothing from the network
    const ctx: { window: { __WEIR_DOCS__?: SiteData } } = { window: {} };
    vm.runInNewContext(readFileSync(path.join(dir, 'target/docs/weir-docs-data.js'), 'utf8'), ctx);
    const site = ctx.window.__WEIR_DOCS__!;
    const byId = new Map(site.nodes.map((n) => [n.unique_id, n]));
    const rev = byId.get('model.shop.customer_revenue')!;
    expect(rev.owners).toEqual(['analytics@shop.example']);
    expect(rev.materialized).toBe('table');
    expect(rev.tags).toEqual(['marts']);
    expect(rev.run?.status).toBe('success');
    expect(rev.compiled_code).toMatch(/"main_staging"\."stg_customers" c/);
    expect(rev.columns.map((c) => [c.name, c.type, c.in_catalog])).toEqual([
      ['customer_id', 'BIGINT', true], ['customer_name', 'VARCHAR', true], ['revenue', 'DOUBLE', true], ['orders', 'BIGINT', true], ['documented_only', undefined, false],
    ]);
    expect(rev.columns[0].tests.map((t) => byId.get(t)!.test_metadata!.name).sort()).toEqual(['not_null', 'unique']);
    expect(byId.get('function.shop.initials')).toMatchObject({ resource_type: 'udf', udf: { signature: expect.stringContaining('initials') } });
    expect(byId.get('test.shop.assert_revenue_positive')?.run?.status).toBe('pass');
    expect(byId.get('model.shop.unbuilt_model')?.run).toBeUndefined();
    expect(Object.keys(site.layout).sort()).toEqual([
      'model.shop.customer_revenue', 'model.shop.int_paid_orders', 'model.shop.stg_customers', 'model.shop.stg_orders', 'model.shop.unbuilt_model',
      'seed.shop.customers', 'seed.shop.orders', 'source.shop.shop_raw.orders',
    ]);
    // Left to right: a dependency sits left of its dependents.
    expect(site.layout['seed.shop.customers'].x).toBeLessThan(site.layout['model.shop.stg_customers'].x);
    expect(site.layout['model.shop.stg_customers'].x).toBeLessThan(site.layout['model.shop.customer_revenue'].x);
  });

  it('fails clearly when the docs app is not built', async () => {
    const project = await WeirProject.load({ projectDir: dir });
    await expect(generateDocs({
      targetDir: project.targetDir, metadata: {} as never, catalogRequests: [], lineageInputs: [], defaultSchema: 'main',
      openAdapter: () => project.openAdapter(), appDir: path.join(dir, 'no-app-here'),
    })).rejects.toMatchObject({ code: 'WEIR_DOCS_APP_MISSING', hint: expect.stringMatching(/npm run build/) });
  });
});

describe('weir docs generate with a broken model', () => {
  it('still writes the site; the model has no lineage, the error is reported and the exit code is 1', async () => {
    const broken = await makeProject({
      'models/ok.sql': 'select 1 as a',
      'models/broken.sql': 'select {{var "not_defined"}} as b from {{ref "ok"}}',
    });
    const r = await runCli(['docs', 'generate'], broken);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/models\/broken.sql.*not_defined/);
    const lin = JSON.parse(readFileSync(path.join(broken, 'target/lineage.json'), 'utf8'));
    expect(lin.nodes['model.t.broken'].unresolved[0]).toMatch(/not compiled/);
    expect(lin.nodes['model.t.ok'].columns.a).toEqual({ upstream: [], unresolved: [] });
    expect(existsSync(path.join(broken, 'target/docs/index.html'))).toBe(true);
  });
});

describe('weir docs serve', () => {
  it('serves the site on 127.0.0.1 with content types, 404s and no path traversal', async () => {
    const server = await serveDocs(path.join(dir, 'target/docs'), 0);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const index = await fetch(server.url);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await index.text()).toContain('weir-docs.js');
      expect((await fetch(`${server.url}weir-docs-data.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect((await fetch(`${server.url}nope.js`)).status).toBe(404);
      // fetch() normalizes `..`; a raw request keeps it (an encoded slash survives URL parsing).
      for (const p of ['/..%2fcatalog.json', '/%2e%2e%2fcatalog.json']) expect(await rawGet(server.port, p), p).toBe(403);
      expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
      // A NUL byte or a control character in the path is a bad request, not a crash of the server.
      for (const p of ['/%00', '/index.html%00', '/%0a', '/%E0%A4%A']) expect(await rawGet(server.port, p), p).toBe(400);
      // DNS rebinding: a request addressed to another name is refused; this server's own names pass.
      expect(await rawGet(server.port, '/', { host: `attacker.example:${server.port}` })).toBe(403);
      expect(await rawGet(server.port, '/', { host: 'attacker.example' })).toBe(403);
      expect(await rawGet(server.port, '/', { host: `localhost:${server.port}` })).toBe(200);
      expect((await fetch(server.url)).status).toBe(200); // still serving after all of that
    } finally {
      await server.close();
    }
  });

  it('weir docs serve runs until stopped; a taken port and a missing site are clear errors (exit 2)', async () => {
    const { main } = await import('../../src/cli/main.js');
    const { StringSink } = await import('../helpers/project.js');
    const blocker = await serveDocs(path.join(dir, 'target/docs'), 0);
    try {
      const out = new StringSink();
      const taken = await main(['docs', 'serve', '--port', String(blocker.port)], { stdout: out, stderr: out, cwd: dir });
      expect(taken).toBe(2);
      expect(out.text).toMatch(/cannot serve the docs on 127.0.0.1:\d+: the port is in use/);
    } finally {
      await blocker.close();
    }
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const out = new StringSink();
    const running = main(['docs', 'serve', '--port', '0'], { stdout: out, stderr: out, cwd: dir, waitForStop: () => stopped });
    for (let i = 0; i < 100 && !/serving/.test(out.text); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out.text)?.[1];
    expect(url, out.text).toBeDefined();
    expect((await fetch(url!)).status).toBe(200);
    stop();
    expect(await running).toBe(0);

    rmSync(path.join(dir, 'target/docs'), { recursive: true });
    const missing = await runCli(['docs', 'serve'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stdout + missing.stderr).toMatch(/no docs site in .*target\/docs[\s\S]*Run `weir docs generate` first/);
  });
});
