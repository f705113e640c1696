/**
 * OpenLineage: `weir build --openlineage-url URL --openlineage-file F` sends START and COMPLETE/FAIL RunEvents
 * per node to a local HTTP receiver started here and appends them to F; every event validates against the
 * OpenLineage 2-0-2 event schema and the facet schemas in ../shared/data/openlineage_spec/, and the output
 * datasets carry the column lineage Weir's own lineage analysis finds.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli } from '../../helpers/project.js';
import { openLineageErrors } from '../../helpers/openlineage-schemas.js';

type Ev = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let server: Server;
let url: string;
const received: { path: string; body: Ev }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(body) });
      res.writeHead(201).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  cleanupProjects();
  await new Promise((r) => server.close(r));
});

describe('OpenLineage RunEvents', () => {
  it('arrive at the receiver and in the file, valid against the spec, with column lineage', async () => {
    const dir = await makeProject({
      'seeds/orders.csv': 'order_id,customer_id,amount,status\n1,10,5,paid\n2,10,7,paid\n3,20,2,open\n',
      'models/stg_orders.sql': 'select order_id, customer_id, amount from {{ref "orders"}} where status = \'paid\'',
      'models/paid_ephemeral.sql': '{{config materialized="ephemeral"}}select * from {{ref "stg_orders"}}',
      'models/revenue.sql': '{{config materialized="table"}}select customer_id, sum(amount) as revenue from {{ref "paid_ephemeral"}} group by customer_id',
      'models/broken.sql': 'select * from {{ref "orders"}} join nowhere on true',
    });
    const r = await runCli(['build', '--openlineage-url', url, '--openlineage-file', 'target/openlineage.jsonl'], dir);
    expect(r.code).toBe(1); // broken fails
    expect(r.stdout).toMatch(/OpenLineage: sent \d+ events \(\d+ START, \d+ COMPLETE, 1 FAIL\)/);
    const events = received.map((x) => x.body);
    expect(new Set(received.map((x) => x.path))).toEqual(new Set(['/api/v1/lineage']));
    const fromFile = readFileSync(path.join(dir, 'target/openlineage.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Ev);
    expect(fromFile).toEqual(events);
    for (const e of events) expect(openLineageErrors(e), `${e.eventType} ${e.job.name}`).toEqual([]);

    const of = (job: string) => events.filter((e) => e.job.name === job);
    const rev = of('model.t.revenue');
    expect(rev.map((e) => e.eventType)).toEqual(['START', 'COMPLETE']);
    expect(rev[0].run.runId).toBe(rev[1].run.runId);
    const ns = `duckdb://${path.join(dir, 'target/t.duckdb')}`;
    // The ephemeral model is inlined: revenue reads stg_orders.
    expect(rev[1].inputs).toEqual([{ namespace: ns, name: 'main.stg_orders' }]);
    expect(rev[1].outputs[0]).toMatchObject({ namespace: ns, name: 'main.revenue' });
    const cl = rev[1].outputs[0].facets.columnLineage;
    expect(cl.fields.customer_id.inputFields).toEqual([{ namespace: ns, name: 'main.stg_orders', field: 'customer_id', transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] }]);
    expect(cl.fields.revenue.inputFields).toEqual([{ namespace: ns, name: 'main.stg_orders', field: 'amount', transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION' }] }]);
    expect(rev[1].job.facets.sql.query).toMatch(/sum\(amount\)/);
    const stg = of('model.t.stg_orders')[1];
    expect(stg.outputs[0].facets.columnLineage.dataset).toEqual([expect.objectContaining({ name: 'main.orders', field: 'status', transformations: [{ type: 'INDIRECT', subtype: 'FILTER' }] })]);
    const broken = of('model.t.broken');
    expect(broken.map((e) => e.eventType)).toEqual(['START', 'FAIL']);
    expect(broken[1].run.facets.errorMessage.message).toMatch(/nowhere/);
    expect(of('model.t.paid_ephemeral')).toEqual([]); // ephemeral: never runs
    expect(of('seed.t.orders').map((e) => e.eventType)).toEqual(['START', 'COMPLETE']);
  });

  it('a receiver that is down is a warning, not a failed run; a bad URL exits 2', async () => {
    const dir = await makeProject({ 'models/m.sql': 'select 1 as x' });
    const down = await runCli(['run', '--openlineage-url', 'http://127.0.0.1:9'], dir);
    expect(down.code).toBe(0);
    expect(down.stdout + down.stderr).toMatch(/OpenLineage: cannot send events to http:\/\/127.0.0.1:9\/api\/v1\/lineage/);
    const bad = await runCli(['run', '--openlineage-url', 'ftp://x'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stdout + bad.stderr).toMatch(/--openlineage-url must be http:\/\/ or https:\/\//);
  });
});
