/**
 * The `--log-format json` contract: every line of a full build (seed, models, a failing and a warning
 * test, a skipped descendant, a parse warning) validates against EVENT_CONTRACT, node events carry the node
 * id and timings, and the README documents every event code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEvent, EVENT_CONTRACT } from '../../src/events/contract.js';
import { cleanupProjects, jsonLines, makeProject, runCli, type CliResult } from '../helpers/project.js';

let dir: string;
let build: CliResult;

beforeAll(async () => {
  dir = await makeProject({
    'seeds/people.csv': 'id,name\n1,a\n1,b\n2,\n',
    'models/stg_people.sql': '{{config materialized="table"}}select * from {{ref "people"}}',
    'models/people_names.sql': 'select name from {{ref "stg_people"}}',
    'models/broken.sql': 'select * from no_such_table',
    'models/after_broken.sql': 'select * from {{ref "broken"}}',
    'models/schema.yml': `version: 2
models:
  - name: stg_people
    columns:
      - name: id
        tests: [unique]
      - name: name
        tests:
          - not_null:
              config: {severity: warn}
`,
  });
  // --no-audit: the failing unique test runs after stg_people is published, so the warn test runs too.
  build = await runCli(['build', '--no-audit', '--log-format', 'json'], dir);
});
afterAll(cleanupProjects);

describe('--log-format json', () => {
  it('every line of a build is a JSON event valid under the contract', () => {
    expect(build.code).toBe(1);
    const events = jsonLines(build.stdout);
    expect(events.length).toBeGreaterThan(10);
    const problems = events.flatMap(checkEvent);
    expect(problems).toEqual([]);
    expect(build.stderr).toBe('');
  });

  it('node events carry node ids and timings; every start has a finish', () => {
    const events = jsonLines(build.stdout);
    const starts = events.filter((e) => e.code === 'WEIR_NODE_START');
    const finishes = events.filter((e) => e.code === 'WEIR_NODE_FINISH');
    const skippedUpstream = ['model.t.after_broken', 'model.t.people_names']; // broken failed; unique test on stg_people failed
    expect(new Set(finishes.map((e) => e.node_id))).toEqual(new Set([...starts.map((e) => e.node_id), ...skippedUpstream]));
    for (const f of finishes) {
      if (skippedUpstream.includes(String(f.node_id))) {
        expect(f).toMatchObject({ status: 'skipped', execution_time: 0 });
        expect(f.started_at).toBeUndefined();
        continue;
      }
      expect(Date.parse(String(f.completed_at))).toBeGreaterThanOrEqual(Date.parse(String(f.started_at)));
      expect(typeof f.execution_time).toBe('number');
    }
    const byId = Object.fromEntries(finishes.map((e) => [String(e.node_id), e]));
    expect(byId['seed.t.people']).toMatchObject({ status: 'success', level: 'info', rows_affected: 3, relation: '"main"."people"' });
    expect(byId['model.t.broken']).toMatchObject({ status: 'error', level: 'error' });
    expect(Object.values(byId).find((e) => String(e.node_id).startsWith('test.t.unique_'))).toMatchObject({ status: 'fail', failures: 1, level: 'error' });
    expect(Object.values(byId).find((e) => String(e.node_id).startsWith('test.t.not_null_'))).toMatchObject({ status: 'warn', failures: 1, level: 'warn' });
    const end = events.at(-1)!;
    expect(end).toMatchObject({ code: 'WEIR_RUN_END', success: false, counts: { success: 2, error: 1, fail: 1, warn: 1, skipped: 2 } });
    expect(events[0]).toMatchObject({ code: 'WEIR_RUN_START', command: 'build', target: 'dev', adapter_type: 'duckdb' });
  });

  it('errors before a run are WEIR_ERROR events with the error code', async () => {
    const r = await runCli(['run', '--select', 'nope:x', '--log-format', 'json'], dir);
    expect(r.code).toBe(2);
    const events = jsonLines(r.stdout + r.stderr);
    expect(events.flatMap(checkEvent)).toEqual([]);
    expect(events.at(-1)).toMatchObject({ code: 'WEIR_ERROR', level: 'error', error_code: 'WEIR_SELECTOR_INVALID' });
  });

  it('the contract rejects malformed events', () => {
    expect(checkEvent({ code: 'WEIR_NODE_FINISH', ts: 'now', level: 'info' })[0]).toMatch(/^WEIR_NODE_FINISH\.ts/);
    expect(checkEvent({ code: 'WEIR_BOGUS' })).toEqual(['unknown event code "WEIR_BOGUS"']);
  });

  it('the README documents every event code in its table', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    for (const code of Object.keys(EVENT_CONTRACT)) expect(readme, code).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });
});
