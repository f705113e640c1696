/**
 * The adapter conformance suite: every case in cases.ts, for every adapter in harnesses.ts (DuckDB, and
 * Snowflake / Trino through their official clients against the local protocol servers in tests/servers,
 * which are NOT Snowflake or Trino). Cases of one adapter share a project and run in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects } from '../helpers/project.js';
import { cases, makeConformanceProject, type CaseContext } from './cases.js';
import { harnesses } from './harnesses.js';
import { incrementalCases } from './incremental-cases.js';
import { snapshotCases } from './snapshot-cases.js';

afterAll(cleanupProjects);

describe.each(harnesses().map((h) => [h.name, h] as const))('adapter conformance: %s', (_name, h) => {
  let ctx: CaseContext;
  beforeAll(async () => {
    await h.start();
    ctx = { h, dir: await makeConformanceProject(h), outputs: [] };
  });
  afterAll(() => h.stop());

  for (const c of cases) it(c.name, () => c.run(ctx), 30_000);
  for (const c of [...incrementalCases, ...snapshotCases]) it(c.name, () => c.run(ctx), 60_000);

  it('the engine server saw no request it does not implement', () => {
    expect(h.unknownRequests()).toEqual([]);
  });
});
