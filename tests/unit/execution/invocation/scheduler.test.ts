import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeirProject } from '../../../../src/api/project.js';
import { buildPlan } from '../../../../src/execution/invocation/plan.js';
import { schedule, type Outcome } from '../../../../src/execution/invocation/scheduler.js';
import { cleanupProjects, makeProject } from '../../../helpers/project.js';

let project: WeirProject;

// s (seed) → a → b → c ; a → d → f ; e independent ; eph (ephemeral) between a and g.
// Tests: not_null on a.id (error), accepted_values on d.id with severity warn.
beforeAll(async () => {
  const dir = await makeProject({
    'seeds/s.csv': 'id\n1\n',
    'models/a.sql': 'select * from {{ref "s"}}',
    'models/b.sql': 'select * from {{ref "a"}}',
    'models/c.sql': 'select * from {{ref "b"}}',
    'models/d.sql': 'select * from {{ref "a"}}',
    'models/f.sql': 'select * from {{ref "d"}}',
    'models/e.sql': 'select 1 as id',
    'models/eph.sql': '{{config materialized="ephemeral"}}select * from {{ref "a"}}',
    'models/g.sql': 'select * from {{ref "eph"}}',
    'models/schema.yml': `version: 2
models:
  - name: a
    columns:
      - name: id
        tests: [not_null]
  - name: d
    columns:
      - name: id
        tests:
          - accepted_values: {values: [1], severity: warn}
`,
  });
  project = await WeirProject.load({ projectDir: dir });
});
afterAll(cleanupProjects);

const uid = (name: string) => {
  const u = project.manifest.refIndex.get(name) ?? [...project.manifest.nodes.keys()].find((k) => k.split('.')[2].startsWith(name));
  if (!u) throw new Error(`no node ${name}`);
  return u;
};
const short = (u: string) => project.manifest.nodes.get(u)!.name;

/** Runs the plan with fake nodes: `outcomes` maps node name → outcome (default ok). */
async function simulate(command: 'run' | 'build', outcomes: Record<string, Outcome>, opts: { failFast?: boolean; threads?: number } = {}) {
  const selected = project.select(command, {});
  const plan = buildPlan(project.manifest, project.dag, selected, command === 'build');
  const ran: string[] = [];
  const skipped: Record<string, string | undefined> = {};
  const conns = Array.from({ length: opts.threads ?? 1 }, (_, i) => i);
  await schedule(plan, conns, {
    run: async (u) => {
      await new Promise((r) => setTimeout(r, 1));
      ran.push(short(u));
      return outcomes[short(u)] ?? 'ok';
    },
    skip: (u, cause) => {
      skipped[short(u)] = cause && short(cause);
    },
  }, !!opts.failFast);
  return { ran, skipped, plan };
}

describe('plan', () => {
  it('never executes ephemeral models; their dependents wait for the ephemeral parents', () => {
    const plan = buildPlan(project.manifest, project.dag, project.select('run', {}), false);
    expect(plan.order.map(short)).not.toContain('eph');
    expect([...plan.waitsFor.get(uid('g'))!].map(short)).toEqual(['a']);
    // dependencies first
    const pos = (n: string) => plan.order.map(short).indexOf(n);
    expect(pos('a')).toBeLessThan(pos('b'));
    expect(pos('b')).toBeLessThan(pos('c'));
    expect(pos('d')).toBeLessThan(pos('f'));
  });

  it('build: a test blocks the children of the node it tests', () => {
    const plan = buildPlan(project.manifest, project.dag, project.select('build', {}), true);
    const t = uid('not_null_a_id');
    expect(plan.waitsFor.get(uid('b'))!.has(t)).toBe(true);
    expect(plan.waitsFor.get(uid('d'))!.has(t)).toBe(true);
    expect(plan.waitsFor.get(uid('e'))!.size).toBe(0);
  });
});

describe('scheduler', () => {
  it('a failure skips only its descendants; other branches still run', async () => {
    const { ran, skipped } = await simulate('run', { b: 'failed' }, { threads: 2 });
    expect(skipped).toEqual({ c: 'b' });
    expect(ran.sort()).toEqual(['a', 'b', 'd', 'e', 'f', 'g']);
  });

  it('a failing root skips every descendant (transitively, through ephemerals)', async () => {
    const { ran, skipped } = await simulate('run', { a: 'failed' });
    expect(Object.keys(skipped).sort()).toEqual(['b', 'c', 'd', 'f', 'g']);
    expect(Object.values(skipped).every((c) => c === 'a')).toBe(true);
    expect(ran.sort()).toEqual(['a', 'e']);
  });

  it('--fail-fast skips everything not yet started', async () => {
    const { ran, skipped } = await simulate('run', { a: 'failed' }, { failFast: true });
    expect(ran).toEqual(['a']);
    expect(Object.keys(skipped).sort()).toEqual(['b', 'c', 'd', 'e', 'f', 'g']);
    expect(skipped.e).toBeUndefined();
  });

  it('build: a failing (error) test skips the tested model\'s children', async () => {
    const { ran, skipped } = await simulate('build', { not_null_a_id: 'failed' });
    expect(ran).toContain('a');
    expect(Object.keys(skipped).sort()).toEqual(expect.arrayContaining(['b', 'c', 'd', 'f', 'g']));
    expect(skipped.b).toBe('not_null_a_id');
    expect(ran).toContain('e');
  });

  it('build: a passing (or severity warn) test lets children run', async () => {
    // the run hook reports a warn test as ok (see execution/invocation/run-nodes.ts: only error/fail count as failed)
    const { ran, skipped } = await simulate('build', {});
    expect(skipped).toEqual({});
    expect(ran).toHaveLength(project.select('build', {}).filter((u) => short(u) !== 'eph').length);
  });
});

describe('order on one connection', () => {
  it('always starts the ready node that comes first in the plan (random DAGs of 300 nodes)', async () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let round = 0; round < 5; round++) {
      const n = 300;
      const order = Array.from({ length: n }, (_, i) => `n${i}`);
      const waitsFor = new Map<string, Set<string>>(order.map((u) => [u, new Set<string>()]));
      const blocks = new Map<string, Set<string>>(order.map((u) => [u, new Set<string>()]));
      for (let i = 1; i < n; i++) {
        for (let k = 0; k < 2; k++) {
          if (rnd() < 0.3) continue;
          const p = order[Math.floor(rnd() * i)];
          waitsFor.get(order[i])!.add(p);
          blocks.get(p)!.add(order[i]);
        }
      }
      // The rule, by brute force: each step runs the first node in plan order whose parents have all run.
      const expected: string[] = [];
      const doneSet = new Set<string>();
      while (expected.length < n) {
        const next = order.find((u) => !doneSet.has(u) && [...waitsFor.get(u)!].every((p) => doneSet.has(p)))!;
        expected.push(next);
        doneSet.add(next);
      }
      const ran: string[] = [];
      await schedule({ order, waitsFor, blocks }, [0], { run: async (u) => { ran.push(u); return 'ok'; }, skip: () => undefined }, false);
      expect(ran).toEqual(expected);
    }
  });
});
