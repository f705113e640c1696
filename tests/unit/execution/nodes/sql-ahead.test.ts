/**
 * The compiled-SQL work a run prepares ahead of a node's turn (execution/nodes/sql-ahead.ts): the same
 * path, bytes and statements runNode computes itself, taken once, and never used for other SQL.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqlAhead } from '../../../../src/execution/nodes/sql-ahead.js';
import { compiledPathOf, type Manifest } from '../../../../src/manifest/manifest.js';
import type { GraphNode } from '../../../../src/manifest/types.js';
import { splitStatements } from '../../../../src/sql/statements.js';

const manifest = { projectName: 'p' } as unknown as Manifest;
const model = { unique_id: 'model.p.m', name: 'm', path: 'models/m.sql', resource_type: 'model', config: { materialized: 'view' } } as unknown as GraphNode;
const unit = { unique_id: 'unit_test.p.m.u', name: 'u', path: 'models/m.yml', resource_type: 'test', test_type: 'unit', config: {} } as unknown as GraphNode;
const redact = (s: string) => s.replaceAll('s3cret', '*****');

describe('SqlAhead', () => {
  it('prepares the compiled file runNode would write and the statements it would find', () => {
    const ahead = new SqlAhead(manifest, '/t', redact, {});
    const sql = "select 's3cret' as k; select 2 -- é";
    ahead.prepare(model, sql);
    const e = ahead.take(model.unique_id, sql)!;
    expect(e.compiledPath).toBe(compiledPathOf(manifest, model));
    expect(e.file).toBe(path.join('/t', compiledPathOf(manifest, model)));
    expect(e.data.equals(Buffer.from(`${redact(sql)}\n`, 'utf8'))).toBe(true);
    expect(e.parts).toEqual(splitStatements(sql, {}));
    expect(e.parts).toHaveLength(2);
  });

  it('gives a node its values once, and none for SQL other than what they were computed from', () => {
    const ahead = new SqlAhead(manifest, '/t', redact, {});
    ahead.prepare(model, 'select 1');
    expect(ahead.take(model.unique_id, 'select 1')).toBeDefined();
    expect(ahead.take(model.unique_id, 'select 1')).toBeUndefined();
    ahead.prepare(model, 'select 1');
    expect(ahead.take(model.unique_id, 'select 2')).toBeUndefined();
    expect(ahead.take('model.p.other', 'select 1')).toBeUndefined();
  });

  it('does not split a unit test (runNode never checks its statements)', () => {
    const ahead = new SqlAhead(manifest, '/t', redact, {});
    ahead.prepare(unit, 'select 1; select 2');
    expect(ahead.take(unit.unique_id, 'select 1; select 2')?.parts).toBeUndefined();
  });

  it('leaves a node whose values fail to compute to runNode (which then reports the error itself)', () => {
    const ahead = new SqlAhead(manifest, '/t', () => { throw new Error('redactor failed'); }, {});
    ahead.prepare(model, 'select 1');
    expect(ahead.take(model.unique_id, 'select 1')).toBeUndefined();
  });
});
