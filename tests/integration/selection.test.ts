/**
 * Selections from the command line that match nothing: a warning naming the selector and the closest
 * node, and a successful (empty) run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';

afterAll(() => cleanupProjects());

describe('empty selections', () => {
  it('warns when --select matches nothing, suggesting the closest node, and exits 0', async () => {
    const dir = await makeProject({ 'models/stg_orders.sql': 'select 1 as x' });
    const r = await runCli(['run', '--select', 'stg_orderz'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("WARN nothing to run: --select stg_orderz matches no model node; did you mean 'stg_orders'?");
  });
});
