/**
 * A run's summary is plain data for library callers: `success`, and `cancelledBy` (the abort reason) when
 * the run was cancelled; the CLI turns it into an exit code (errors/exit-codes.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { WeirProject } from '../../../src/api/project.js';
import { runExitCode } from '../../../src/errors/exit-codes.js';
import { cleanupProjects, makeProject } from '../../helpers/project.js';

afterAll(() => cleanupProjects());

describe('RunSummary', () => {
  it('a run that succeeded has no cancelledBy and exit code 0', async () => {
    const dir = await makeProject({ 'models/m.sql': 'select 1 as id' });
    const project = await WeirProject.load({ projectDir: dir });
    const s = await project.run();
    expect(s.success).toBe(true);
    expect(s.cancelledBy).toBeUndefined();
    expect(runExitCode(s)).toBe(0);
  });

  it('a run cancelled before it started names the abort reason, is not a success and maps to 130', async () => {
    const dir = await makeProject({ 'models/m.sql': 'select 1 as id' });
    const project = await WeirProject.load({ projectDir: dir });
    const ac = new AbortController();
    ac.abort('SIGINT');
    const s = await project.run({ signal: ac.signal });
    expect(s.cancelledBy).toBe('SIGINT');
    expect(s.success).toBe(false);
    expect(s.results.map((r) => r.error_code)).toEqual(['WEIR_CANCELLED']);
    expect(runExitCode(s)).toBe(130);
  });
});
