/**
 * Ad-hoc read errors (src/api/query-errors.ts) for the engines' message forms: DuckDB's (also tested
 * through the CLI in tests/integration/query-errors.test.ts), Trino's and Snowflake's. Each names the
 * target and profile entry and picks the hint by the kind of failure; secrets are redacted.
 */
import { describe, expect, it } from 'vitest';
import { describeQueryTarget, queryConnectionError, querySqlError, type QueryTarget } from '../../../src/api/query-errors.js';
import { WeirError } from '../../../src/errors/weir-error.js';

const target: QueryTarget = { name: 'prod', type: 'trino', configFile: 'project.yaml', schema: 'analytics', database: 'lake' };
const noRedact = (s: string) => s;
const hintOf = (engineMessage: string) => querySqlError(new Error(engineMessage), target, noRedact).hint;

describe('querySqlError', () => {
  it('names the target and its profile entry, code WEIR_SQL_ERROR (exit 1)', () => {
    const e = querySqlError(new Error("line 1:15: Table 'lake.analytics.nope' does not exist"), target, noRedact);
    expect(describeQueryTarget(target)).toBe("target 'prod' (trino; profile project.yaml → targets.prod)");
    expect(e.message).toBe("query failed on target 'prod' (trino; profile project.yaml → targets.prod): line 1:15: Table 'lake.analytics.nope' does not exist");
    expect(e).toMatchObject({ code: 'WEIR_SQL_ERROR', exitCode: 1 });
    expect(e.hint).toMatch(/^Check the relation name: unqualified names resolve in schema 'lake\.analytics' of target 'prod'/);
  });

  it('picks the hint by the kind of failure, for DuckDB, Trino and Snowflake messages', () => {
    const kinds: [string, RegExp][] = [
      ['Catalog Error: Table with name nope does not exist!', /relation name/],
      ["SQL compilation error:\nObject 'NOPE' does not exist or not authorized.", /relation name/],
      ['Binder Error: Referenced column "x" not found in FROM clause!', /column names/],
      ['Binder Error: Table "t" does not have a column named "x"', /column names/],
      ["line 1:8: Column 'x' cannot be resolved", /column names/],
      ["SQL compilation error: error line 1 at position 7\ninvalid identifier 'X'", /column names/],
      ['Parser Error: syntax error at or near "selec"', /SQL syntax/],
      ["line 1:1: mismatched input 'selec'. Expecting: 'SELECT'", /SQL syntax/],
      ["SQL compilation error:\nsyntax error line 1 at position 0 unexpected 'selec'.", /SQL syntax/],
      ['Conversion Error: Could not convert string \'a\' to INT32', /Check the SQL against trino \(target 'prod'\); `weir debug --target prod`/],
    ];
    for (const [msg, hint] of kinds) expect(hintOf(msg), msg).toMatch(hint);
  });

  it('mentions the read copy when a relation is missing from it', () => {
    const e = querySqlError(new Error('Catalog Error: Table with name t does not exist!'), { ...target, type: 'duckdb', database: undefined }, noRedact, { path: '/p/target/t.read.duckdb' });
    expect(e.hint).toContain('This read used the published read copy /p/target/t.read.duckdb');
  });

  it('redacts secrets the engine echoed', () => {
    const e = querySqlError(new Error("syntax error at or near 's3cret-Token'"), target, (s) => s.replaceAll('s3cret-Token', '****'));
    expect(e.message).not.toContain('s3cret-Token');
  });
});

describe('queryConnectionError', () => {
  it("keeps the adapter's code and hint, naming the profile entry", () => {
    const e = queryConnectionError(new WeirError('WEIR_DB_OPEN_FAILED', "target 'prod': cannot open X", { hint: 'adapter hint' }), target, noRedact);
    expect(e.message).toBe("target 'prod' (trino; profile project.yaml → targets.prod): cannot open X");
    expect(e).toMatchObject({ code: 'WEIR_DB_OPEN_FAILED', hint: 'adapter hint', exitCode: 2 });
  });

  it('adds the target to messages that lack it (Trino) and a hint when the adapter gave none', () => {
    const e = queryConnectionError(new WeirError('WEIR_DB_OPEN_FAILED', 'fetch failed: ECONNREFUSED'), target, noRedact);
    expect(e.message).toBe("cannot connect to target 'prod' (trino; profile project.yaml → targets.prod): fetch failed: ECONNREFUSED");
    expect(e.hint).toBe('Check the connection settings under targets.prod in project.yaml; `weir debug --target prod` tests the connection.');
    const plain = queryConnectionError(new Error('socket hang up'), target, noRedact);
    expect(plain).toMatchObject({ code: 'WEIR_DB_OPEN_FAILED', message: "cannot connect to target 'prod' (trino; profile project.yaml → targets.prod): socket hang up" });
  });
});
