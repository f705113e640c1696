/**
 * `--log-format json` lines carry dbt's structured-log envelope (`info` {name, code, level, ts, msg, ...},
 * `data` with `node_info`) next to Weir's own fields, so dbt log parsers read them; every line validates
 * against the contract (Weir fields + envelope).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { checkEvent } from '../../../src/events/contract.js';
import { cleanupProjects, jsonLines, makeProject, runCli } from '../../helpers/project.js';

afterAll(cleanupProjects);

describe("dbt's JSON log envelope", () => {
  it('keeps Weir codes and adds info/data with dbt event names and node_info', async () => {
    const dir = await makeProject({
      'seeds/s.csv': 'id\n1\n',
      'models/ok.sql': 'select * from {{ref "s"}}',
      'models/bad.sql': 'select * from nowhere',
    });
    const r = await runCli(['build', '--log-format', 'json'], dir);
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout);
    expect(lines.flatMap(checkEvent)).toEqual([]);
    const start = lines.find((e) => e.code === 'WEIR_RUN_START') as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(start.info).toMatchObject({ name: 'ConcurrencyLine', code: 'Q027', level: 'info', msg: "Concurrency: 2 threads (target='dev')", ts: start.ts });
    const fin = lines.find((e) => e.code === 'WEIR_NODE_FINISH' && e.node_id === 'model.t.ok') as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(fin.info).toMatchObject({ name: 'NodeFinished', code: 'Q025', msg: 'Finished running node model.t.ok' });
    expect(fin.data.node_info).toMatchObject({ unique_id: 'model.t.ok', node_name: 'ok', resource_type: 'model', materialized: 'view', node_status: 'success', node_relation: { relation_name: '"main"."ok"' } });
    expect(fin.data.run_result).toMatchObject({ status: 'success' });
    expect(fin.status).toBe('success'); // Weir's fields unchanged
    const bad = lines.find((e) => e.code === 'WEIR_NODE_FINISH' && e.node_id === 'model.t.bad') as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(bad.info).toMatchObject({ level: 'error' });
    expect(bad.data.node_info.node_status).toBe('error');
    const end = lines.at(-1) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(end.info).toMatchObject({ name: 'EndOfRunSummary', code: 'Z030', msg: 'Completed with 1 error and 0 warnings:' });
    const err = jsonLines((await runCli(['ls', '--select', 'nope:x', '--log-format', 'json'], dir)).stdout).find((e) => e.code === 'WEIR_ERROR') as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(err.info).toMatchObject({ name: 'MainEncounteredError', code: 'Z002', level: 'error' });
  });
});
