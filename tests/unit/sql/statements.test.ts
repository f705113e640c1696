import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../../src/sql/statements.js';

describe('splitStatements', () => {
  it('splits at top-level semicolons only', () => {
    const sql = "select ';' as a, \"x;y\" -- c;\n/* ; */ from t; drop table u;\n-- trailing ;\n";
    expect(splitStatements(sql).map((s) => s.text.trim())).toEqual(["select ';' as a, \"x;y\" -- c;\n/* ; */ from t", 'drop table u']);
    expect(splitStatements(sql)[1].line).toBe(2);
  });
  it('a carriage return ends a -- comment (as in the engines)', () => {
    expect(splitStatements('select 1 -- x\r; drop table t').length).toBe(2);
  });
  it('backslash escapes where the dialect has them; dollar quoting', () => {
    expect(splitStatements("select 'a\\'; drop' as x", { backslashEscapes: true }).length).toBe(1);
    expect(splitStatements("select 'a\\'; drop' as x").length).toBe(2);
    expect(splitStatements('select $$a;b$$').length).toBe(1);
  });
  it('a trailing semicolon or only comments make no extra statement', () => {
    expect(splitStatements('select 1;  -- done').length).toBe(1);
    expect(splitStatements('-- nothing').length).toBe(0);
  });
});
