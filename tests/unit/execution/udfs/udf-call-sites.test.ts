/**
 * The collection planner of the client-side UDF path (src/execution/udfs/udf-call-sites.ts; tokens and call
 * detection are tested in tests/unit/sql/): the collection query planned for a call
 * (its block's FROM, WHERE conjuncts, CTEs, lateral items, GROUP BY only for aggregating arguments,
 * waiting for inner calls).
 */
import { describe, expect, it } from 'vitest';
import { planCall } from '../../../../src/execution/udfs/udf-call-sites.js';
import { findCalls as findUdfCalls } from '../../../../src/sql/calls.js';
import { structureOf } from '../../../../src/sql/tokenize.js';

const NAMES = new Set(['normalize_name', 'jw', 'detect_pii', 'pii_hash', 'f']);
const cast = (e: string) => `C(${e})`;
/** Plans the first call named `name` (the n-th when given) among all calls of `sql`. */
function plan(sql: string, name: string, n = 0) {
  const s = structureOf(sql);
  const all = findUdfCalls(s, NAMES);
  const call = all.filter((c) => c.name === name)[n];
  if (!call) throw new Error(`no call ${name}`);
  return planCall(s, call, all, cast);
}
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('planCall', () => {
  it('collects from the block around the call with the WHERE conjuncts that hold no pending call', () => {
    const p = plan(`select id, f(name) as x from people as p where p.age between 18 and 65 and jw(p.a, p.b) > 0.5 and p.ok order by 1 limit 3`, 'f');
    expect(p.ready && squash(p.sql)).toBe('select C(name) as weir_arg_1 from people as p where (p.age between 18 and 65) and (p.ok)');
  });
  it('makes an outer call wait for the calls in its arguments', () => {
    const sql = `select jw(normalize_name(a), normalize_name(b)) from t`;
    expect(plan(sql, 'jw')).toEqual({ ready: false, waitingFor: 'normalize_name(...) in its arguments' });
    const inner = plan(sql, 'normalize_name', 1);
    expect(inner.ready && squash(inner.sql)).toBe('select C(b) as weir_arg_1 from t');
  });
  it('carries the CTEs the block reads (transitively), and waits while one of them holds a pending call', () => {
    const sql = `with raw as (select * from src), unused as (select f(1)), senders as (select id, normalize_name(n) as nn from raw),
      ok as (select id, n from raw)
      select f(ok.n), jw(s.nn, 'x') from ok join senders as s on s.id = ok.id`;
    expect(plan(sql, 'jw')).toEqual({ ready: false, waitingFor: 'normalize_name(...) in the CTE senders' });
    const p = plan(`with raw as (select * from src), unused as (select f(1)), ok as (select id, n from raw) select f(ok.n) from ok`, 'f', 1);
    expect(p.ready && squash(p.sql)).toBe('with raw as (select * from src), ok as (select id, n from raw) select C(ok.n) as weir_arg_1 from ok');
    const inCte = plan(`with a as (select normalize_name(n) as nn from src), b as (select f(nn) from a) select * from b`, 'f');
    expect(inCte).toEqual({ ready: false, waitingFor: 'normalize_name(...) in the CTE a' });
    const nested = plan(`with a as (select n from src) select * from (with b as (select n from a) select f(n) from b) as x`, 'f');
    expect(nested.ready && squash(nested.sql)).toBe('with a as (select n from src), b as (select n from a) select C(n) as weir_arg_1 from b');
  });
  it('drops the FROM items holding pending calls for a call in the FROM clause (a lateral function), without WHERE', () => {
    const sql = `select distinct e.id, pii_hash(substring(e.body, x.s, x.e), 'PHONE') as k
      from emails as e, unnest(from_json(detect_pii(e.body), 'j')) as u(x) where x.t = 'PHONE'`;
    const d = plan(sql, 'detect_pii');
    expect(d.ready && squash(d.sql)).toBe('select C(e.body) as weir_arg_1 from emails as e');
    expect(plan(sql, 'pii_hash')).toEqual({ ready: false, waitingFor: 'detect_pii(...) in the FROM clause of its block' });
    const j = plan(`select a.x from a left join b on b.k = a.k and f(a.x) = b.y where b.z is null`, 'f');
    expect(j.ready && squash(j.sql)).toBe('select C(a.x) as weir_arg_1 from a left join b on (b.k = a.k)');
  });
  it('keeps GROUP BY (ordinals resolved) only when an argument aggregates', () => {
    const agg = plan(`select k, f(max(x)) from t where y > 0 group by 1 having count(*) > 1`, 'f');
    expect(agg.ready && squash(agg.sql)).toBe('select C(max(x)) as weir_arg_1 from t where (y > 0) group by k');
    const inAgg = plan(`select k, max(f(x)) from t group by k`, 'f');
    expect(inAgg.ready && squash(inAgg.sql)).toBe('select C(x) as weir_arg_1 from t');
    const win = plan(`select f(sum(x) over (partition by k)) from t group by k, x`, 'f');
    expect(win.ready && squash(win.sql)).toBe('select C(sum(x) over (partition by k)) as weir_arg_1 from t');
  });
  it('plans each branch of a UNION from its own block, and calls without FROM', () => {
    const sql = `select f(a) from t1 where a > 1 union all select f(b) from t2 order by 1`;
    const p0 = plan(sql, 'f', 0);
    const p1 = plan(sql, 'f', 1);
    expect(p0.ready && squash(p0.sql)).toBe('select C(a) as weir_arg_1 from t1 where (a > 1)');
    expect(p1.ready && squash(p1.sql)).toBe('select C(b) as weir_arg_1 from t2');
    const v = plan(`select f('x') as y`, 'f');
    expect(v.ready && squash(v.sql)).toBe(`select C('x') as weir_arg_1`);
    const sub = plan(`select * from t where t.id in (select id from u where f(u.n) = 'a')`, 'f');
    expect(sub.ready && squash(sub.sql)).toBe('select C(u.n) as weir_arg_1 from u');
  });
  it('keeps IS [NOT] DISTINCT FROM in the select list and WITH RECURSIVE, and waits on a call inside a recursive CTE', () => {
    const p = plan(`select a is not distinct from b as same, f(a) from t`, 'f');
    expect(p.ready && squash(p.sql)).toBe('select C(a) as weir_arg_1 from t');
    const rec = plan(`with recursive w(n) as (select 1 union all select n + 1 from w where n < 3) select f(n) from w`, 'f');
    expect(rec.ready && squash(rec.sql)).toBe('with recursive w(n) as (select 1 union all select n + 1 from w where n < 3) select C(n) as weir_arg_1 from w');
    const self = plan(`with recursive w(n) as (select 1 union all select f(n) from w where n < 3) select n from w`, 'f');
    expect(self).toEqual({ ready: false, waitingFor: 'itself: the CTE w that holds it reads its own rows (a recursive CTE)' });
  });
  it('adds the WHEN condition of the searched CASE branch holding the call (not for WHEN, ELSE or simple CASE)', () => {
    const g = plan(`select case when lang = 'ko' then coalesce(f(body), '') when lang = 'en' then body end from t where ok`, 'f');
    expect(g.ready && squash(g.sql)).toBe(`select C(body) as weir_arg_1 from t where (ok) and (lang = 'ko')`);
    const second = plan(`select case when a then 1 when try_cast(x as int) > 0 then f(cast(x as int)) end from t`, 'f');
    expect(second.ready && squash(second.sql)).toBe('select C(cast(x as int)) as weir_arg_1 from t where (try_cast(x as int) > 0)');
    const nested = plan(`select case when a then case when b then f(x) end end from t`, 'f');
    expect(nested.ready && squash(nested.sql)).toBe('select C(x) as weir_arg_1 from t where (b) and (a)');
    for (const sql of [
      `select case when f(x) > 1 then 1 end from t`,
      `select case when a then 1 else f(x) end from t`,
      `select case k when 1 then f(x) end from t`,
      `select case when max(a) > 1 then f(min(x)) end from t group by k`,
    ]) {
      const p = plan(sql, 'f');
      expect(p.ready && squash(p.sql), sql).not.toMatch(/where/);
    }
  });
  it('collects a correlated subquery\'s call over the enclosing FROM joined with the subquery\'s, under both WHERE clauses', () => {
    const p = plan(`select c.id, (select max(f(s.x, p.y)) from p where p.k = c.k) as m from c join s on s.id = c.id where c.ok`, 'f');
    expect(p.ready && squash(p.sql)).toBe('select C(s.x) as weir_arg_1, C(p.y) as weir_arg_2 from c join s on s.id = c.id, p where (c.ok) and (p.k = c.k)');
    const e = plan(`select c.id, exists (select 1 from sk join pk on pk.k = sk.k where sk.e = c.e and f(sk.a, pk.b) > 0.8) from c`, 'f');
    expect(e.ready && squash(e.sql)).toBe('select C(sk.a) as weir_arg_1, C(pk.b) as weir_arg_2 from c, sk join pk on pk.k = sk.k where (sk.e = c.e)');
  });
  it('throws when there is no SELECT around the call', () => {
    const s = structureOf('f(1)');
    const all = findUdfCalls(s, NAMES);
    expect(() => planCall(s, all[0], all, cast)).toThrow(/no SELECT found around the call of f/);
  });
});
