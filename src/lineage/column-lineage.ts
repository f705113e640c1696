/**
 * Column-level lineage from a parsed SELECT: for every output column, the columns of upstream relations
 * (project nodes) it derives from, with how. Works on DuckDB's parse tree as returned by
 * `json_serialize_sql` (https://duckdb.org/docs/stable/data/json/sql_to_and_from_json): it walks the
 * query's scopes the way SQLMesh/sqlglot's lineage does (qualify every column against the relations in
 * scope, then follow CTEs and subqueries down to base tables), resolving select lists, aliases, CTEs
 * (also recursive), subqueries in FROM and in expressions, joins (ON and USING), set operations (also BY
 * NAME), `*` / `t.*` with EXCLUDE and REPLACE (expanded with the catalog's columns) and lambda parameters.
 * Whatever it cannot resolve — an unqualified column with two candidate relations, `*` over a relation
 * whose columns are unknown, a table function, `COLUMNS(...)`, a relation that is not a project node — is
 * reported in `unresolved`, never guessed.
 */

/**
 * How an upstream column shapes an output column:
 * - `direct`: copied unchanged (possibly renamed, through CTEs/subqueries);
 * - `transformed`: an input of a non-aggregate expression (function, operator, CASE, CAST, scalar subquery);
 * - `aggregated`: an input of an aggregate or window function, or a window's PARTITION BY / ORDER BY;
 * - `filtered_by`: decides which rows appear (WHERE, HAVING, QUALIFY, an aggregate's FILTER, IN/EXISTS
 *   subqueries in those clauses);
 * - `join_key`: a JOIN's ON condition or USING column.
 */
export type LineageKind = 'direct' | 'transformed' | 'aggregated' | 'filtered_by' | 'join_key';

/** One upstream column of an output column. */
export interface UpstreamColumn {
  /** unique_id of the upstream node (model, seed, source, snapshot). */
  readonly node: string;
  /** Column name as written in the SQL (or the catalog's spelling when the catalog knows it). */
  readonly column: string;
  readonly kind: LineageKind;
}

/** Lineage of one output column. */
export interface ColumnLineage {
  readonly name: string;
  readonly upstream: readonly UpstreamColumn[];
  /** What could not be resolved for this column, in words. */
  readonly unresolved: readonly string[];
}

/** What the analysis needs to know about relations named in the SQL. */
export interface RelationResolver {
  /**
   * The project node behind a relation named in FROM (`catalog`/`schema` empty when not written), with its
   * columns in order when known (from the catalog), or undefined when it is not a project node.
   */
  resolve(name: { catalog: string; schema: string; table: string }): { node: string; columns?: readonly string[] } | undefined;
}

/** Result of {@link analyzeSelect}. */
export interface SelectLineage {
  readonly columns: readonly ColumnLineage[];
  /** Problems that concern the whole query (e.g. unknown relations), each once. */
  readonly unresolved: readonly string[];
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Dep {
  node: string;
  column: string;
  kind: LineageKind;
}

/** A column produced by a scope: its name and the base columns it depends on. */
interface OutCol {
  name: string;
  deps: Dep[];
  unresolved: string[];
}

/** A relation visible in a FROM clause. */
interface Source {
  alias: string;
  /** Base table of a project node. */
  node?: string;
  /** Known columns (base table from catalog, or a derived table's output); undefined = unknown. */
  columns?: OutCol[];
  /** Why columns are unknown. */
  unknownReason?: string;
  /** Row dependencies of a derived table (its filters and join keys), applied to whatever reads it. */
  rowDeps: Dep[];
}

interface Scope {
  sources: Source[];
  ctes: Map<string, Source>;
  parent?: Scope;
  /** Select aliases defined so far (DuckDB allows referencing them in later items, WHERE, GROUP BY...). */
  aliases: Map<string, OutCol>;
  /** Lambda parameter names in effect. */
  lambdaParams: Set<string>;
}

const RANK: Record<LineageKind, number> = { direct: 0, transformed: 1, aggregated: 2, filtered_by: 3, join_key: 3 };
const isRowKind = (k: LineageKind) => k === 'filtered_by' || k === 'join_key';

/** The kind of a base column seen through `outer` (how the intermediate column is used) over `inner`. */
function compose(outer: LineageKind, inner: LineageKind): LineageKind {
  if (isRowKind(inner)) return inner; // a filter inside a CTE stays a filter wherever its rows go
  if (isRowKind(outer)) return outer;
  return RANK[outer] >= RANK[inner] ? outer : inner;
}

function dedupe(deps: readonly Dep[]): Dep[] {
  const seen = new Map<string, Dep>();
  for (const d of deps) {
    const k = `${d.node}\u0000${d.column.toLowerCase()}\u0000${d.kind}`;
    if (!seen.has(k)) seen.set(k, d);
  }
  return [...seen.values()];
}

const lc = (s: string) => s.toLowerCase();

/**
 * Analyzes one statement of `json_serialize_sql`'s output.
 * @param statement `statements[i]` of the JSON (an object with `node`)
 * @param resolver maps relation names to project nodes and their catalog columns
 * @param aggregateFunctions lower-case names of aggregate functions (e.g. from `duckdb_functions()`)
 * @param outputNames the built relation's column names in order (from the catalog), used to name
 *   expressions without an alias exactly as the engine did; optional
 */
export function analyzeSelect(statement: Json, resolver: RelationResolver, aggregateFunctions: ReadonlySet<string>, outputNames?: readonly string[]): SelectLineage {
  const a = new Analyzer(resolver, aggregateFunctions);
  const cols = a.queryNode(statement.node, undefined);
  const columns = cols.map((c, i) => {
    const name = outputNames && outputNames.length === cols.length ? outputNames[i] : c.name;
    return { name, upstream: dedupe(c.deps).map((d) => ({ node: d.node, column: d.column, kind: d.kind })), unresolved: [...new Set(c.unresolved)] };
  });
  const unresolved = [...a.global];
  if (outputNames && outputNames.length !== cols.length && !cols.some((c) => c.unresolved.length)) {
    unresolved.push(`the query yields ${cols.length} columns but the built relation has ${outputNames.length}: rebuild the model and regenerate the docs`);
  }
  return { columns, unresolved };
}

class Analyzer {
  readonly global = new Set<string>();
  constructor(private readonly resolver: RelationResolver, private readonly aggregates: ReadonlySet<string>) {}

  /** Output columns of a query node (SELECT, set operation, recursive CTE), plus its row deps via `rowDepsOf`. */
  queryNode(node: Json, parent: Scope | undefined, ctesIn?: Map<string, Source>): OutCol[] {
    return this.query(node, parent, ctesIn).cols;
  }

  private query(node: Json, parent: Scope | undefined, ctesIn?: Map<string, Source>): { cols: OutCol[]; rowDeps: Dep[] } {
    const ctes = new Map(ctesIn ?? (parent ? allCtes(parent) : undefined));
    for (const entry of node.cte_map?.map ?? []) {
      const name = String(entry.key);
      const q = entry.value.query.node;
      const aliases: string[] = entry.value.aliases ?? [];
      let res: { cols: OutCol[]; rowDeps: Dep[] };
      if (q.type === 'RECURSIVE_CTE_NODE') {
        const anchor = this.query(q.left, parent, ctes);
        const named = rename(anchor.cols, aliases);
        const self: Source = { alias: name, columns: named, rowDeps: anchor.rowDeps };
        const rec = this.query(q.right, parent, new Map([...ctes, [lc(name), self]]));
        res = { cols: named.map((c, i) => ({ name: c.name, deps: [...c.deps, ...(rec.cols[i]?.deps ?? [])], unresolved: [...c.unresolved, ...(rec.cols[i]?.unresolved ?? [])] })), rowDeps: [...anchor.rowDeps, ...rec.rowDeps] };
      } else res = this.query(q, parent, ctes);
      ctes.set(lc(name), { alias: name, columns: rename(res.cols, aliases), rowDeps: res.rowDeps });
    }
    if (node.type === 'SET_OPERATION_NODE') {
      const l = this.query(node.left, parent, ctes);
      const r = this.query(node.right, parent, ctes);
      const byName = String(node.setop_type).endsWith('BY_NAME');
      const rowDeps = [...l.rowDeps, ...r.rowDeps];
      if (byName) {
        const out = l.cols.map((c) => ({ ...c, deps: [...c.deps], unresolved: [...c.unresolved] }));
        for (const c of r.cols) {
          const m = out.find((o) => lc(o.name) === lc(c.name));
          if (m) {
            m.deps.push(...c.deps);
            m.unresolved.push(...c.unresolved);
          } else out.push({ ...c });
        }
        return { cols: out, rowDeps };
      }
      // INTERSECT/EXCEPT keep only left values, but which rows survive depends on the right side.
      const rightAsRows = node.setop_type === 'INTERSECT' || node.setop_type === 'EXCEPT';
      return {
        cols: l.cols.map((c, i) => ({
          name: c.name,
          deps: [...c.deps, ...(r.cols[i]?.deps ?? []).map((d) => (rightAsRows ? { ...d, kind: 'filtered_by' as const } : d))],
          unresolved: [...c.unresolved, ...(r.cols[i]?.unresolved ?? [])],
        })),
        rowDeps,
      };
    }
    if (node.type === 'RECURSIVE_CTE_NODE') return this.query({ ...node, type: 'SET_OPERATION_NODE', setop_type: 'UNION' }, parent, ctes);
    if (node.type !== 'SELECT_NODE') {
      this.global.add(`unsupported query node ${String(node.type)}`);
      return { cols: [], rowDeps: [] };
    }
    const scope: Scope = { sources: [], ctes, parent, aliases: new Map(), lambdaParams: new Set() };
    const rowDeps: Dep[] = [];
    this.from(node.from_table, scope, rowDeps);
    for (const s of scope.sources) rowDeps.push(...s.rowDeps);
    const out: OutCol[] = [];
    for (const item of node.select_list ?? []) {
      if (item.class === 'STAR') {
        out.push(...this.star(item, scope));
        continue;
      }
      const name = item.alias || (item.class === 'COLUMN_REF' ? item.column_names[item.column_names.length - 1] : exprName(item));
      const unresolved: string[] = [];
      const deps = this.expr(item, scope, 'direct', unresolved);
      const col = { name: String(name), deps, unresolved };
      out.push(col);
      if (item.alias) scope.aliases.set(lc(item.alias), col);
    }
    const rowUnresolved: string[] = [];
    if (node.where_clause) rowDeps.push(...this.expr(node.where_clause, scope, 'filtered_by', rowUnresolved));
    if (node.having) rowDeps.push(...this.expr(node.having, scope, 'filtered_by', rowUnresolved));
    if (node.qualify) rowDeps.push(...this.expr(node.qualify, scope, 'filtered_by', rowUnresolved));
    const all = dedupe(rowDeps);
    for (const c of out) {
      c.deps = dedupe([...c.deps, ...all]);
      c.unresolved.push(...rowUnresolved);
    }
    return { cols: out, rowDeps: all };
  }

  /** Adds FROM-clause relations to the scope; join conditions go to `rowDeps`. */
  private from(t: Json | null | undefined, scope: Scope, rowDeps: Dep[]): void {
    if (!t || t.type === 'EMPTY') return;
    switch (t.type) {
      case 'BASE_TABLE': {
        const table = String(t.table_name);
        const alias = String(t.alias || table);
        const cte = !t.schema_name && !t.catalog_name ? scope.ctes.get(lc(table)) : undefined;
        if (cte) {
          scope.sources.push({ ...cte, alias, columns: cte.columns && t.column_name_alias?.length ? rename(cte.columns, t.column_name_alias) : cte.columns });
          return;
        }
        const r = this.resolver.resolve({ catalog: String(t.catalog_name ?? ''), schema: String(t.schema_name ?? ''), table });
        const written = [t.catalog_name, t.schema_name, table].filter(Boolean).join('.');
        if (!r) {
          const why = `relation ${written} is not a model, seed, source or snapshot of this project`;
          this.global.add(why);
          scope.sources.push({ alias, unknownReason: why, rowDeps: [] });
          return;
        }
        const names = r.columns ? (t.column_name_alias?.length ? r.columns.map((c, i) => t.column_name_alias[i] ?? c) : r.columns) : undefined;
        scope.sources.push({
          alias, node: r.node, rowDeps: [],
          columns: names?.map((n, i) => ({ name: n, deps: [{ node: r.node, column: r.columns![i], kind: 'direct' }], unresolved: [] })),
          unknownReason: r.columns ? undefined : `the columns of ${written} are not in the catalog (build it, then run weir docs generate)`,
        });
        return;
      }
      case 'SUBQUERY': {
        const res = this.query(t.subquery.node, scope.parent, scope.ctes);
        scope.sources.push({ alias: String(t.alias || ''), columns: rename(res.cols, t.column_name_alias ?? []), rowDeps: res.rowDeps });
        return;
      }
      case 'JOIN': {
        this.from(t.left, scope, rowDeps);
        this.from(t.right, scope, rowDeps);
        const unresolved: string[] = [];
        if (t.condition) rowDeps.push(...this.expr(t.condition, scope, 'join_key', unresolved));
        for (const u of t.using_columns ?? []) {
          for (const s of scope.sources) {
            const c = s.columns?.find((x) => lc(x.name) === lc(u));
            if (c) rowDeps.push(...c.deps.map((d) => ({ ...d, kind: compose('join_key', d.kind) })));
          }
        }
        for (const u of unresolved) this.global.add(u);
        return;
      }
      case 'TABLE_FUNCTION': {
        const fn = String(t.function?.function_name ?? 'table function');
        const unresolved: string[] = [];
        const inputs = this.expr(t.function, scope, 'transformed', unresolved);
        const why = `table function ${fn}(...) yields columns Weir cannot name from the SQL alone`;
        const named: string[] = t.column_name_alias ?? [];
        // unnest(x) AS u(a): the named columns derive from the function's inputs.
        scope.sources.push({
          alias: String(t.alias || fn),
          columns: named.length ? named.map((n) => ({ name: n, deps: inputs.map((d) => ({ ...d, kind: compose('transformed', d.kind) })), unresolved: [] })) : undefined,
          unknownReason: named.length ? undefined : why,
          rowDeps: [],
        });
        return;
      }
      case 'EXPRESSION_LIST': {
        const width = t.values?.[0]?.length ?? 0;
        scope.sources.push({ alias: String(t.alias || 'valueslist'), columns: Array.from({ length: width }, (_, i) => ({ name: `col${i}`, deps: [], unresolved: [] })), rowDeps: [] });
        return;
      }
      default: {
        const why = `${String(t.type).toLowerCase()} in FROM is not analyzed`;
        this.global.add(why);
        scope.sources.push({ alias: String(t.alias || ''), unknownReason: why, rowDeps: [] });
      }
    }
  }

  /** Expands `*`, `t.*`, with EXCLUDE/REPLACE; `COLUMNS(...)` is reported. */
  private star(item: Json, scope: Scope): OutCol[] {
    if (item.columns) {
      return [{ name: '*', deps: [], unresolved: ['COLUMNS(...) expressions are not analyzed'] }];
    }
    const rel = item.relation_name ? String(item.relation_name) : '';
    const sources = rel ? scope.sources.filter((s) => lc(s.alias) === lc(rel)) : scope.sources;
    const exclude = new Set<string>((item.exclude_list ?? []).map((e: unknown) => lc(typeof e === 'string' ? e : Array.isArray((e as Json)?.column_names) ? (e as Json).column_names.at(-1) : String(e))));
    const replace = new Map<string, Json>((item.replace_list ?? []).map((r: Json) => [lc(String(r.key)), r.value]));
    const out: OutCol[] = [];
    if (rel && sources.length === 0) return [{ name: `${rel}.*`, deps: [], unresolved: [`${rel}.* names no relation in scope`] }];
    const usingSeen = new Set<string>();
    for (const s of sources) {
      if (!s.columns) {
        out.push({ name: `${s.alias}.*`, deps: [], unresolved: [`cannot expand * over ${s.alias}: ${s.unknownReason ?? 'columns unknown'}`] });
        continue;
      }
      for (const c of s.columns) {
        if (exclude.has(lc(c.name))) continue;
        // SELECT * over a USING join shows the join column once (DuckDB's behaviour).
        if (!rel && usingSeen.has(lc(c.name)) && sources.length > 1) continue;
        usingSeen.add(lc(c.name));
        const r = replace.get(lc(c.name));
        if (r) {
          const unresolved: string[] = [];
          out.push({ name: c.name, deps: this.expr(r, scope, 'direct', unresolved), unresolved });
        } else out.push({ name: c.name, deps: [...c.deps], unresolved: [...c.unresolved] });
      }
    }
    return out;
  }

  /**
   * Base columns an expression reads, each with `ctx` composed with how the expression uses it.
   * @param ctx the kind the expression's value contributes as (`direct` for a select item)
   */
  private expr(e: Json | null | undefined, scope: Scope, ctx: LineageKind, unresolved: string[]): Dep[] {
    if (!e || typeof e !== 'object') return [];
    const cls = e.class;
    if (cls === 'COLUMN_REF') return this.columnRef(e.column_names as string[], scope, ctx, unresolved);
    if (cls === 'CONSTANT' || cls === 'PARAMETER' || cls === 'DEFAULT') return [];
    const inner = ctx === 'direct' ? 'transformed' : ctx;
    if (cls === 'SUBQUERY') {
      const res = this.query(e.subquery.node, scope, undefined);
      // scalar subquery: its value; IN/EXISTS/ANY: decides the outer value (or rows, inside WHERE)
      const k: LineageKind = e.subquery_type === 'SCALAR' ? inner : isRowKind(ctx) ? ctx : 'transformed';
      const deps: Dep[] = [];
      for (const c of res.cols) {
        for (const d of c.deps) deps.push({ ...d, kind: compose(k, d.kind) });
        unresolved.push(...c.unresolved);
      }
      if (e.child) deps.push(...this.expr(e.child, scope, inner, unresolved));
      return deps;
    }
    if (cls === 'LAMBDA') {
      const params = lambdaParams(e.lhs);
      const sub: Scope = { ...scope, lambdaParams: new Set([...scope.lambdaParams, ...params]) };
      return this.expr(e.expr, sub, inner, unresolved);
    }
    if (cls === 'WINDOW') {
      const k = isRowKind(ctx) ? ctx : 'aggregated';
      const parts: Json[] = [...(e.children ?? []), ...(e.partitions ?? []), ...(e.orders ?? []).map((o: Json) => o.expression), e.filter_expr, e.offset_expr, e.default_expr, e.start_expr, e.end_expr];
      return parts.flatMap((p) => this.expr(p, scope, k, unresolved));
    }
    if (cls === 'FUNCTION' || cls === 'AGGREGATE') {
      const name = lc(String(e.function_name ?? ''));
      const agg = this.aggregates.has(name) || name === 'count_star';
      const k: LineageKind = isRowKind(ctx) ? ctx : agg ? 'aggregated' : inner;
      const deps = (e.children ?? []).flatMap((c: Json) => this.expr(c, scope, k, unresolved));
      for (const o of e.order_bys?.orders ?? []) deps.push(...this.expr(o.expression, scope, k, unresolved));
      if (e.filter) deps.push(...this.expr(e.filter, scope, 'filtered_by', unresolved));
      return deps;
    }
    // Anything else (operators, CASE, CAST, comparisons, conjunctions, BETWEEN, COLLATE, ...): walk children.
    const deps: Dep[] = [];
    for (const [k, v] of Object.entries(e)) {
      if (k === 'class' || k === 'type' || k === 'alias' || k === 'query_location' || k === 'cast_type') continue;
      for (const x of Array.isArray(v) ? v : [v]) {
        if (x && typeof x === 'object') {
          if (x.class) deps.push(...this.expr(x, scope, inner, unresolved));
          else for (const y of Object.values(x)) if (y && typeof y === 'object' && (y as Json).class) deps.push(...this.expr(y as Json, scope, inner, unresolved)); // case_checks
        }
      }
    }
    return deps;
  }

  private columnRef(names: string[], scope: Scope, ctx: LineageKind, unresolved: string[]): Dep[] {
    const col = names[names.length - 1];
    const qualifier = names.length > 1 ? names[names.length - 2] : undefined;
    if (!qualifier && scope.lambdaParams.has(lc(col))) return [];
    const through = (c: OutCol) => {
      unresolved.push(...c.unresolved);
      return c.deps.map((d) => ({ ...d, kind: compose(ctx, d.kind) }));
    };
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      if (qualifier) {
        const src = s.sources.find((x) => lc(x.alias) === lc(qualifier));
        if (!src) continue;
        if (!src.columns) {
          if (src.node) return [{ node: src.node, column: col, kind: ctx }]; // qualified: the column is the table's
          unresolved.push(`${names.join('.')}: ${src.unknownReason}`);
          return [];
        }
        const c = src.columns.find((x) => lc(x.name) === lc(col));
        if (c) return through(c);
        // A struct field access (t.s.f) or a column the catalog doesn't have.
        unresolved.push(`${names.join('.')}: ${src.alias} has no column ${col}`);
        return [];
      }
      const hits = s.sources.filter((x) => x.columns?.some((c) => lc(c.name) === lc(col)));
      const unknown = s.sources.filter((x) => !x.columns);
      if (hits.length >= 1 && unknown.length === 0) {
        // Several hits: a USING/NATURAL join column or truly ambiguous SQL; the engine accepted the query,
        // so each candidate is an input (DuckDB resolves USING columns to a COALESCE of both sides).
        return hits.flatMap((h) => through(h.columns!.find((c) => lc(c.name) === lc(col))!));
      }
      if (hits.length === 0 && unknown.length === 1 && s.sources.length === 1 && unknown[0].node && !s.aliases.has(lc(col))) {
        return [{ node: unknown[0].node, column: col, kind: ctx }]; // the only relation in scope must hold it
      }
      if (hits.length === 0 && unknown.length === 0) {
        const alias = s.aliases.get(lc(col));
        if (alias) return through(alias);
        continue; // correlated: look in the enclosing scope
      }
      if (s.aliases.has(lc(col)) && hits.length === 0) return through(s.aliases.get(lc(col))!);
      unresolved.push(`${col}: could come from ${[...hits, ...unknown].map((x) => x.alias).join(' or ')} (columns of ${unknown.map((x) => x.alias).join(', ')} unknown); qualify it as alias.${col}`);
      return [];
    }
    if (names.length >= 2 && !qualifierInScope(scope, names[0])) {
      // `s.f` where s is a STRUCT column, not a relation: the value is a field of column s.
      return this.columnRef([names[0]], scope, ctx === 'direct' ? 'transformed' : ctx, unresolved);
    }
    unresolved.push(`${names.join('.')}: no relation in scope has this column`);
    return [];
  }
}

function qualifierInScope(scope: Scope, name: string): boolean {
  for (let s: Scope | undefined = scope; s; s = s.parent) if (s.sources.some((x) => lc(x.alias) === lc(name))) return true;
  return false;
}

function allCtes(scope: Scope): Map<string, Source> {
  return scope.ctes;
}

function rename(cols: readonly OutCol[], aliases: readonly string[]): OutCol[] {
  return cols.map((c, i) => ({ ...c, name: aliases[i] ?? c.name }));
}

function lambdaParams(lhs: Json | undefined): string[] {
  if (!lhs) return [];
  if (lhs.class === 'COLUMN_REF') return [lc(lhs.column_names.at(-1))];
  return (lhs.children ?? []).flatMap((c: Json) => lambdaParams(c));
}

/** A readable name for an unaliased expression (the catalog's name is used instead when known). */
function exprName(e: Json): string {
  if (e.class === 'FUNCTION' || e.class === 'WINDOW') return `${String(e.function_name)}(...)`;
  if (e.class === 'CAST') return e.child?.class === 'COLUMN_REF' ? String(e.child.column_names.at(-1)) : 'cast(...)';
  return String(e.type ?? 'expr').toLowerCase();
}
