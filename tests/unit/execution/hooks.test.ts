import { describe, expect, it } from 'vitest';
import { hookList, parseGrants } from '../../../src/execution/hooks.js';
import { mergeConfig } from '../../../src/loader/folder-config.js';
import { checkPrivilege } from '../../../src/adapters/ansi-sql.js';
import { makeSnowflakeDialect } from '../../../src/adapters/snowflake/dialect.js';
import { trinoDialect } from '../../../src/adapters/trino/dialect.js';
import { duckdbDialect } from '../../../src/adapters/duckdb/dialect.js';
import { WeirError } from '../../../src/errors/weir-error.js';

const fails = (f: () => unknown): WeirError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(WeirError);
    return e as WeirError;
  }
  throw new Error('expected an error');
};

describe('hook config', () => {
  it('accepts a string, a list and {sql} mappings; drops blank hooks', () => {
    expect(hookList('select 1', 'pre_hook', 'm.sql')).toEqual(['select 1']);
    expect(hookList(['a', { sql: 'b' }, '  '], 'pre_hook', 'm.sql')).toEqual(['a', 'b']);
    expect(hookList(undefined, 'pre_hook', 'm.sql')).toEqual([]);
  });

  it('rejects other values naming the file and the hook', () => {
    const e = fails(() => hookList(['ok', 42], 'post_hook', 'models/m.sql'));
    expect(e.code).toBe('WEIR_CONFIG_INVALID');
    expect(e.format()).toMatch(/^models\/m.sql: post_hook #2 must be an SQL string \(or a list of them\), got 42/);
  });

  it('accumulates hooks across config layers (both spellings), as dbt does', () => {
    const c = mergeConfig({ '+x': 1, 'post-hook': 'folder' }, { post_hook: ['yaml 1', 'yaml 2'] }, { post_hook: 'file', pre_hook: 'pre' });
    expect(c.post_hook).toEqual(['folder', 'yaml 1', 'yaml 2', 'file']);
    expect(c.pre_hook).toEqual(['pre']);
    expect(c['post-hook']).toBeUndefined();
  });
});

describe('grants', () => {
  it('parses privileges and grantees (role:/user: prefixes)', () => {
    expect(parseGrants({ select: ['reporter', 'role:Analyst'], INSERT: 'user:bob' }, 'm.sql')).toEqual([
      ['select', { name: 'reporter' }], ['select', { type: 'role', name: 'Analyst' }], ['insert', { type: 'user', name: 'bob' }],
    ]);
    expect(parseGrants({ select: [] }, 'm.sql')).toEqual([]);
    expect(parseGrants(undefined, 'm.sql')).toEqual([]);
  });

  it('rejects malformed grants with the file', () => {
    expect(fails(() => parseGrants(['select'], 'models/m.sql')).format()).toMatch(/^models\/m.sql: grants: must be a mapping of privilege to grantees/);
    expect(fails(() => parseGrants({ 'select; drop table x': ['r'] }, 'm.sql')).message).toMatch(/is not a privilege name/);
    expect(fails(() => parseGrants({ select: [{ role: 'r' }] }, 'm.sql')).message).toMatch(/grantees of 'select' must be names/);
    expect(() => checkPrivilege('all privileges')).not.toThrow();
    expect(() => checkPrivilege('select--')).toThrow(/not a privilege name/);
  });

  it('writes GRANT per dialect: Snowflake to roles, Trino to users or roles; DuckDB has none', () => {
    const sf = makeSnowflakeDialect();
    const rel = sf.relation({ database: 'analytics', schema: 'marts', identifier: 'orders' });
    expect(sf.ddl.grant!(rel, 'table', 'select', { name: sf.quoteIdentifier('reporter') })).toBe('grant select on table "ANALYTICS"."MARTS"."ORDERS" to role "REPORTER"');
    expect(sf.ddl.grant!(rel, 'view', 'select', { type: 'role', name: sf.quoteIdentifier('a"b') })).toBe('grant select on view "ANALYTICS"."MARTS"."ORDERS" to role "A""B"');
    expect(() => sf.ddl.grant!(rel, 'table', 'select', { type: 'user', name: '"BOB"' })).toThrow(/to roles, not users/);
    const tr = trinoDialect.relation({ database: 'lake', schema: 'marts', identifier: 'orders' });
    expect(trinoDialect.ddl.grant!(tr, 'table', 'select', { name: '"alice"' })).toBe('grant select on table "lake"."marts"."orders" to "alice"');
    expect(trinoDialect.ddl.grant!(tr, 'view', 'select', { type: 'role', name: '"analyst"' })).toBe('grant select on table "lake"."marts"."orders" to role "analyst"');
    expect(duckdbDialect.ddl.grant).toBeUndefined();
  });
});
