/**
 * `weir build` plans: tests block the dependents of the node they guard, never creating a cycle — the
 * demo once had two models with relationships tests to a shared parent, each downstream of that parent,
 * and the plan silently dropped 47 nodes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { WeirProject } from '../../../../src/api/project.js';
import { buildPlan } from '../../../../src/execution/invocation/plan.js';
import { cleanupProjects, makeProject } from '../../../helpers/project.js';

afterAll(() => cleanupProjects());

const SCHEMA = `version: 2
models:
  - name: a
    columns:
      - name: id
        tests:
          - relationships: {to: ref('base'), field: id}
  - name: b
    columns:
      - name: id
        tests:
          - relationships: {to: ref('base'), field: id}
`;

describe('build plan with relationships tests to a shared parent', () => {
  it('plans every node, and a relationships test blocks only its own model\'s dependents', async () => {
    const dir = await makeProject({
      'models/base.sql': 'select 1 as id',
      'models/a.sql': 'select id from {{ref "base"}}',
      'models/b.sql': 'select id from {{ref "base"}}',
      'models/a_child.sql': 'select * from {{ref "a"}}',
      'models/both.sql': 'select * from {{ref "a"}} join {{ref "b"}} using (id)',
      'models/schema.yml': SCHEMA,
      'tests/a_and_base.sql': 'select * from {{ref "a"}} join {{ref "base"}} using (id) where false',
    });
    const project = await WeirProject.load({ projectDir: dir });
    const selected = project.select('build');
    const plan = buildPlan(project.manifest, project.dag, selected, true);
    expect(plan.order).toHaveLength(selected.length);
    const waits = (m: string) => [...plan.waitsFor.get(`model.t.${m}`)!].sort();
    const relA = [...plan.waitsFor.keys()].find((u) => u.startsWith('test.t.relationships_a_id'))!;
    const relB = [...plan.waitsFor.keys()].find((u) => u.startsWith('test.t.relationships_b_id'))!;
    // b depends on base only: it must not wait for a's relationships test (which depends on a and base).
    expect(waits('b')).toEqual(['model.t.base']);
    expect(waits('a_child')).toContain(relA);
    expect(waits('a_child')).toContain('test.t.a_and_base');
    expect(waits('a_child')).not.toContain(relB);
    expect(waits('both')).toEqual(expect.arrayContaining([relA, relB, 'test.t.a_and_base']));
    // Order respects every wait.
    const pos = new Map(plan.order.map((u, i) => [u, i]));
    for (const [u, deps] of plan.waitsFor) for (const d of deps) expect(pos.get(d)!).toBeLessThan(pos.get(u)!);
  });
});
