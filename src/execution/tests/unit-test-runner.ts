/**
 * Runs one unit test: looks up the columns of each input's real relation (when it exists, so the inline
 * rows get the real types), builds the test's query (compiler/unit-tests.ts), runs it — reading no real
 * table — and compares the result with the expected rows (row-diff.ts).
 */
import { AdapterError, type Adapter, type Connection } from '../../adapters/adapter.js';
import type { Renderer } from '../../compiler/render.js';
import type { Manifest } from '../../manifest/manifest.js';
import type { TestNode } from '../../manifest/types.js';
import { isEphemeral } from '../../manifest/materialization.js';
import { diffRows, formatRowDiff } from './row-diff.js';

/** Outcome of {@link runUnitTest}. */
export interface UnitTestOutcome {
  readonly status: 'pass' | 'fail';
  /** Missing + unexpected rows. */
  readonly failures: number;
  /** For a failure: the row diff. */
  readonly message?: string;
  /** The executed SQL (written to target/compiled). */
  readonly sql: string;
}

/**
 * Columns of the real relations behind a unit test's inputs (an empty list for one that doesn't exist, or
 * can't be introspected). Ephemeral models and `this` of a model never built have none.
 */
export async function inputColumns(adapter: Adapter, conn: Connection, renderer: Renderer, manifest: Manifest, node: TestNode): Promise<Map<string, { name: string; type?: string }[]>> {
  const out = new Map<string, { name: string; type?: string }[]>();
  for (const g of node.unit!.given) {
    if (g.format === 'sql' || out.has(g.node)) continue;
    const up = manifest.nodes.get(g.node);
    if (!up || isEphemeral(up)) continue;
    const rel = renderer.relationOf(up);
    if (!rel) continue;
    try {
      out.set(g.node, (await adapter.listColumns(conn, rel)).map((c) => ({ name: c.name, type: castableType(c.type) })));
    } catch {
      out.set(g.node, []);
    }
  }
  return out;
}

/**
 * The type to cast an inline value to, from an information-schema type name. A bare `NUMBER`/`DECIMAL`
 * (Snowflake's information schema drops the scale) would round to an integer, so it is left to inference
 * (undefined → typed from the values).
 */
export function castableType(type: string): string | undefined {
  return /^(number|decimal|numeric)$/i.test(type.trim()) ? undefined : type;
}

/**
 * Runs a unit test on `conn`.
 * @throws WeirError for rendering problems; AdapterError when the query fails
 */
export async function runUnitTest(adapter: Adapter, conn: Connection, renderer: Renderer, manifest: Manifest, node: TestNode): Promise<UnitTestOutcome> {
  const warehouse = await inputColumns(adapter, conn, renderer, manifest, node);
  const { sql, expectSql } = renderer.unitTest(node, warehouse);
  let actual;
  try {
    actual = await conn.execute(sql);
  } catch (e) {
    const unbuilt = node.unit!.given.filter((g) => g.format !== 'sql' && !(warehouse.get(g.node)?.length) && !Object.keys(manifest.nodes.get(g.node)?.columns ?? {}).length);
    if (e instanceof AdapterError && unbuilt.length) {
      throw new AdapterError(`${e.message}\n  hint: ${unbuilt.map((g) => g.input).join(', ')} ${unbuilt.length === 1 ? 'is' : 'are'} typed from the given rows only (not built, no YAML columns): give every column the model reads, or build the upstream first`, { sqlState: e.sqlState, cause: e });
    }
    throw e;
  }
  const spec = node.unit!.expect;
  let expectedRows = spec.rows;
  let expectedColumns = spec.columns;
  if (expectSql !== undefined) {
    const e = await conn.execute(expectSql);
    expectedColumns = e.columns.map((c) => c.name);
    expectedRows = e.rows.map((r) => Object.fromEntries(expectedColumns.map((c, i) => [c, r[i]])));
  }
  if (expectedColumns.length === 0) expectedColumns = actual.columns.map((c) => c.name);
  const d = diffRows(actual.columns, actual.rows, expectedRows, expectedColumns);
  const failures = d.missingColumns.length ? Math.max(1, expectedRows.length) : d.missing.length + d.extra.length;
  if (failures === 0) return { status: 'pass', failures: 0, sql };
  return { status: 'fail', failures, message: formatRowDiff(d), sql };
}
