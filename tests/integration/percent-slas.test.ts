/**
 * Data-quality SLAs in percent: warn_if / error_if ">1%" judged against the tested relation's row count
 * (after the test's where), the percentage shown in the result; singular tests refuse them at parse time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, loadErrors, makeProject, runCli } from '../helpers/project.js';

afterAll(cleanupProjects);

// 200 customers: 3 without email (1.5%), 1 duplicated id (2 rows share id 7: 1 duplicate value).
const rows = ['id,email', ...Array.from({ length: 200 }, (_, i) => `${i === 199 ? 7 : i},${i < 3 ? '' : `u${i}@x.io`}`)].join('\n');

describe('percent SLAs', () => {
  it('judges ">1%" against the tested relation and shows the percentage', async () => {
    const dir = await makeProject({
      'seeds/customers.csv': `${rows}\n`,
      'seeds/schema.yml': [
        'version: 2',
        'seeds:',
        '  - name: customers',
        '    columns:',
        '      - name: email',
        '        tests:',
        '          - not_null: {warn_if: ">1%", error_if: ">5%"}',          // 1.5% → warn
        '          - not_null:',
        '              config: {error_if: ">1%", where: "id >= 100"}',     // 0 of 99 → pass
        '      - name: id',
        '        tests:',
        '          - unique: {error_if: ">=0.5%"}',                        // 1 / 200 = 0.5% → fail
        '          - unique: {error_if: ">1%", warn_if: ">1%"}',           // 0.5% → pass
        '',
      ].join('\n'),
    });
    const r = await runCli(['build'], dir);
    expect(r.code).toBe(1);
    const { readFileSync } = await import('node:fs');
    const rr = JSON.parse(readFileSync(`${dir}/target/run_results.json`, 'utf8')) as { results: { unique_id: string; status: string; message?: string }[] };
    const tests = rr.results.filter((x) => x.unique_id.startsWith('test.'));
    const byStatus = (s: string) => tests.filter((x) => x.status === s);
    expect(byStatus('warn')).toHaveLength(1);
    expect(byStatus('warn')[0].message).toContain('3 failing rows = 1.5% of 200 rows (warn_if >1%, error_if >5%)');
    expect(byStatus('fail')).toHaveLength(1);
    expect(byStatus('fail')[0].message).toContain('= 0.5% of 200 rows');
    expect(byStatus('pass')).toHaveLength(2);
    expect(byStatus('pass').map((x) => x.message), JSON.stringify(byStatus('pass'))).toContainEqual(expect.stringContaining('0 failing rows = 0% of 99 rows'));
  });

  it('a singular test with a percentage threshold, or a malformed one, is a parse error', async () => {
    const errs = await loadErrors({
      'models/m.sql': 'select 1 as id\n',
      'tests/t.sql': '{{config warn_if=">2%"}}\nselect * from {{ref "m"}} where id < 0\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        tests:\n          - not_null: {warn_if: "> 2 %%"}\n',
    });
    expect(errs.some((e) => e.message.includes("test 't': a percentage threshold"))).toBe(true);
    expect(errs.some((e) => e.message.includes('warn_if must be a comparison with a number or a percentage'))).toBe(true);
  });
});
