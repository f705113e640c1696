/**
 * Planning the client-side evaluation of project UDF calls in compiled SQL, for engines that can't call
 * TypeScript inside a query (see client-udfs.ts). Pure text work over src/sql/ (tokens, calls, SELECT
 * blocks): {@link planCall}, for one call whose arguments contain no other UDF call, builds the query that
 * collects the distinct argument tuples it can be called with (the SELECT block around the call: its FROM
 * clause, the WHERE conjuncts without pending calls, the WHEN conditions of the CASE branches holding the
 * call, the CTEs it reads), or says why it has to wait for another round. The calls are found with
 * sql/calls.ts findCalls and the lookups spliced in with replaceSpans.
 *
 * The collected tuples are a superset of what the query evaluates (dropped conjuncts and HAVING only widen
 * the set; GROUP BY is kept only when an argument aggregates), so every lookup the rewritten query makes
 * finds its row. Calls whose arguments reference an enclosing query's columns (correlated subqueries)
 * can't be collected this way: the engine rejects the collection query and the error says so.
 */
import { analyzeBlock, caseGuards, fromWords, qualifiers, splitAtLevel, splitConjuncts, stripAlias, visibleCtes, type Block } from '../../sql/blocks.js';
import { argsAggregate, hasAggregateOrWindow, type SqlCall } from '../../sql/calls.js';
import { identifierNames, isWord, type SqlStructure } from '../../sql/tokenize.js';

/** How to collect a call's argument tuples, or why it must wait. */
export type CallPlan =
  | { readonly ready: true; readonly sql: string }
  | { readonly ready: false; readonly waitingFor: string };

/**
 * Plans the collection of one call's argument tuples.
 * @param s the query's structure
 * @param call the call (its arguments must contain no pending call)
 * @param pending every UDF call still in the text (including `call`)
 * @param castArg wraps an argument expression in the cast to its declared type, e.g. `cast((x) as varchar)`
 * @returns the collection query (columns `weir_arg_1..n`, possibly with duplicates and NULLs), or what the
 *   call waits for
 * @throws Error when the SQL around the call can't be understood (no SELECT block)
 */
export function planCall(s: SqlStructure, call: SqlCall, pending: readonly SqlCall[], castArg: (expr: string, index: number) => string): CallPlan {
  const { tokens: tk, sql } = s;
  const others = pending.filter((c) => c !== call);
  const inRange = (c: SqlCall, a: number, b: number) => c.nameIdx >= a && c.nameIdx < b;
  const inner = others.find((c) => inRange(c, call.open, call.close));
  if (inner) return { ready: false, waitingFor: `${inner.name}(...) in its arguments` };

  const b = analyzeBlock(s, call.nameIdx, `the call of ${call.name} at character ${call.start}`);
  const { scope, coreStart, region, items, range } = b;
  const text = (a: number, e: number) => (e > a ? sql.slice(tk[a].start, tk[e - 1].end) : '');
  const pendingIn = (a: number, e: number, except?: SqlCall) => others.filter((c) => c !== except && inRange(c, a, e));
  const fromR = range('from');

  let fromText = '';
  let whereText = '';
  if (region === 'from') {
    // The call is in the FROM clause (a lateral function, a join condition): drop the items and ON
    // conjuncts that hold pending calls (this one included); no WHERE (it may test columns of dropped items).
    const kept: string[] = [];
    for (const it of items) {
      if (pendingIn(it.relStart, it.relEnd).length || inRange(call, it.relStart, it.relEnd)) continue;
      const sep = kept.length === 0 ? '' : it.sepStart >= 0 ? ` ${text(it.sepStart, it.relStart)} ` : ', ';
      let on = '';
      if (it.on && kept.length) {
        const conj = splitConjuncts(s, it.on[0], it.on[1], scope).filter(([a, b]) => !pendingIn(a, b).length && !inRange(call, a, b));
        on = ` on ${conj.length ? conj.map(([a, b]) => `(${text(a, b)})`).join(' and ') : 'true'}`;
      }
      kept.push(`${sep}${text(it.relStart, it.relEnd)}${on}`);
    }
    fromText = kept.join('');
  } else {
    if (fromR) {
      const blocking = pendingIn(fromR[0], fromR[1]);
      if (blocking.length) return { ready: false, waitingFor: `${blocking[0].name}(...) in the FROM clause of its block` };
      fromText = text(fromR[0], fromR[1]);
    }
    const whereR = range('where');
    if (whereR && region !== 'where') {
      const conj = splitConjuncts(s, whereR[0], whereR[1], scope).filter(([a, b]) => !pendingIn(a, b).length);
      whereText = conj.map(([a, b]) => `(${text(a, b)})`).join(' and ');
    } else if (whereR) {
      const conj = splitConjuncts(s, whereR[0], whereR[1], scope).filter(([a, b]) => !pendingIn(a, b).length && !inRange(call, a, b));
      whereText = conj.map(([a, b]) => `(${text(a, b)})`).join(' and ');
    }
  }

  // GROUP BY only when an argument aggregates (then the arguments are per group); otherwise the rows
  // before grouping give a superset.
  let groupText = '';
  const groupR = range('group');
  if (groupR && region !== 'from' && region !== 'where' && argsAggregate(s, call)) {
    const selR = range('select')!;
    while (isWord(tk[selR[0]], 'distinct', 'all')) selR[0]++;
    const selectItems = splitAtLevel(s, selR[0], selR[1], scope).map(([a, b]) => stripAlias(s, a, b, scope));
    groupText = splitAtLevel(s, groupR[0], groupR[1], scope).map(([a, b]) => {
      const t = text(a, b);
      return /^\d+$/.test(t) && selectItems[Number(t) - 1] ? selectItems[Number(t) - 1] : t;
    }).join(', ');
  }

  // A correlated subquery in an expression of an enclosing block (`(select max(f(s.x, p.y)) from p where
  // p.k = c.k)` with s, c from outside): collect over the enclosing block's FROM joined with the
  // subquery's, under both WHERE clauses — the rows on which the subquery evaluates the call.
  if (scope >= 0 && region !== 'from' && !isWord(tk[scope - 1], 'as') && !isWord(tk[scope - 1], 'materialized')) {
    let outer: Block | undefined;
    try {
      outer = analyzeBlock(s, scope, 'a subquery');
    } catch {
      outer = undefined;
    }
    const oFrom = outer?.range('from');
    if (outer && oFrom && !(scope >= oFrom[0] && scope < oFrom[1]) && outer.region !== 'from') {
      const own = fromWords(s, b);
      const theirs = fromWords(s, outer);
      const used = new Set([...qualifiers(s, call.open, call.close), ...qualifiers(s, coreStart, b.coreEnd)]);
      if ([...used].some((q) => !own.has(q) && theirs.has(q))) {
        const sub = [scope, s.match[scope] + 1] as const;
        const blocking = pendingIn(oFrom[0], oFrom[1]).filter((c) => !inRange(c, sub[0], sub[1]));
        if (blocking.length) return { ready: false, waitingFor: `${blocking[0].name}(...) in the FROM clause of the enclosing block` };
        fromText = `${text(oFrom[0], oFrom[1])},\n${fromText}`;
        const oWhere = outer.range('where');
        if (oWhere) {
          const conj = splitConjuncts(s, oWhere[0], oWhere[1], outer.scope).filter(([a, e]) => !pendingIn(a, e).length && !(sub[0] >= a && sub[0] < e));
          whereText = [...conj.map(([a, e]) => `(${text(a, e)})`), whereText].filter(Boolean).join(' and ');
        }
      }
    }
  }

  // A call in the THEN branch of a searched CASE is only evaluated where its WHEN condition holds: add the
  // condition (fewer tuples to compute, and arguments guarded by it — a cast — are not evaluated elsewhere).
  if (region === 'select' || region === 'where') {
    const guards = caseGuards(s, call.nameIdx, scope, coreStart).filter(([a, b]) => !pendingIn(a, b).length && !hasAggregateOrWindow(s, a, b));
    if (guards.length) whereText = [whereText, ...guards.map(([a, b]) => `(${text(a, b)})`)].filter(Boolean).join(' and ');
  }

  const argList = call.args.map((a, i) => `${castArg(a, i)} as weir_arg_${i + 1}`).join(', ');
  let body = `select ${argList || '1 as weir_none'}${fromText ? `\nfrom ${fromText}` : ''}${whereText ? `\nwhere ${whereText}` : ''}${groupText ? `\ngroup by ${groupText}` : ''}`;

  // CTEs visible from the block and read by it (transitively); each must be free of pending calls.
  const ctes = visibleCtes(s, call.nameIdx);
  const byName = new Map(ctes.map((c) => [c.name, c]));
  const needed = new Set<string>();
  const visit = (t: string): string | undefined => {
    for (const st of identifierNames(t)) {
      const c = byName.get(st);
      if (!c || needed.has(c.name)) continue;
      needed.add(c.name);
      const block = pendingIn(c.bodyOpen, c.bodyClose);
      if (block.length) return `${block[0].name}(...) in the CTE ${c.name}`;
      if (inRange(call, c.bodyOpen, c.bodyClose)) return `itself: the CTE ${c.name} that holds it reads its own rows (a recursive CTE)`;
      const w = visit(sql.slice(c.start, c.end));
      if (w) return w;
    }
    return undefined;
  };
  const waiting = visit(body);
  if (waiting) return { ready: false, waitingFor: waiting };
  const used = ctes.filter((c) => needed.has(c.name));
  if (used.length) {
    body = `with ${used.some((c) => c.recursive) ? 'recursive ' : ''}${used.map((c) => sql.slice(c.start, c.end)).join(',\n')}\n${body}`;
  }
  return { ready: true, sql: body };
}
