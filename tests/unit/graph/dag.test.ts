import { afterAll, describe, expect, it } from 'vitest';
import { DirectedGraph } from 'graphology';
import { WeirProject } from '../../../src/api/project.js';
import { ancestors, descendants, findCycle } from '../../../src/graph/dag.js';
import { WeirError } from '../../../src/errors/weir-error.js';
import { cleanupProjects, makeProject } from '../../helpers/project.js';

afterAll(cleanupProjects);

describe('DAG', () => {
  it('a cycle error names the whole cycle path and the files', async () => {
    const dir = await makeProject({
      'models/ok.sql': 'select 1 as id',
      'models/a.sql': 'select * from {{ref "c"}} join {{ref "ok"}} using (id)',
      'models/b.sql': 'select * from {{ref "a"}}',
      'models/c.sql': 'select * from {{ref "b"}}',
    });
    let err: unknown;
    try {
      await WeirProject.load({ projectDir: dir });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WeirError);
    const e = err as WeirError;
    expect(e.code).toBe('WEIR_DAG_CYCLE');
    expect(e.exitCode).toBe(2);
    // every node on the cycle, in dependency order, closing back on the first
    const m = /dependency cycle: (.*)$/.exec(e.message);
    expect(m).not.toBeNull();
    const path = m![1].split(' → ');
    expect(path).toHaveLength(4);
    expect(path[0]).toBe(path[3]);
    expect(new Set(path.slice(0, 3))).toEqual(new Set(['a', 'b', 'c']));
    const order = ['a', 'b', 'c', 'a', 'b'];
    const start = order.indexOf(path[0]);
    expect(path).toEqual(order.slice(start, start + 3).concat(path[0]));
    expect(e.format()).toMatch(/models\/(a|b|c)\.sql/);
    expect(e.hint).toContain('models/a.sql');
    expect(e.hint).toContain('models/b.sql');
    expect(e.hint).toContain('models/c.sql');
    expect(e.hint).not.toContain('models/ok.sql');
  });

  it('a self-reference is a cycle of one', async () => {
    const dir = await makeProject({ 'models/selfish.sql': 'select * from {{ref "selfish"}}' });
    await expect(WeirProject.load({ projectDir: dir })).rejects.toThrow(/dependency cycle: selfish → selfish/);
  });

  it('findCycle, ancestors and descendants', () => {
    const g = new DirectedGraph();
    for (const n of ['a', 'b', 'c', 'd']) g.addNode(n);
    g.addEdge('a', 'b');
    g.addEdge('b', 'c');
    g.addEdge('c', 'd');
    expect(findCycle(g)).toBeUndefined();
    expect([...ancestors(g, 'd')].sort()).toEqual(['a', 'b', 'c']);
    expect([...ancestors(g, 'd', 1)]).toEqual(['c']);
    expect([...descendants(g, 'a', 2)].sort()).toEqual(['b', 'c']);
    g.addEdge('d', 'b');
    expect(findCycle(g)).toEqual(['b', 'c', 'd']);
  });
});
