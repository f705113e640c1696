/**
 * The SQL tokenizer (src/sql/tokenize.ts): tokens cover the text exactly; strings, quoted identifiers,
 * comments, backslash escapes (per dialect), E-strings and dollar quotes are kept whole.
 */
import { describe, expect, it } from 'vitest';
import { findCalls as findUdfCalls } from '../../../src/sql/calls.js';
import { structureOf, tokenizeSql } from '../../../src/sql/tokenize.js';

const NAMES = new Set(['normalize_name', 'jw', 'detect_pii', 'pii_hash', 'f']);
const calls = (sql: string, opts = {}) => findUdfCalls(structureOf(sql, opts), NAMES);

describe('tokenizeSql', () => {
  it('covers the text exactly and keeps strings, quoted identifiers and comments whole', () => {
    const sql = `select 'it''s f(x)', "a ""f(""" -- f(y)\n/* f(z) */ f(1) from t`;
    const toks = tokenizeSql(sql);
    expect(toks.map((t) => t.text).join('')).toBe(sql);
    expect(toks.filter((t) => t.kind === 'string').map((t) => t.text)).toEqual([`'it''s f(x)'`]);
    expect(toks.filter((t) => t.kind === 'quoted').map((t) => t.text)).toEqual([`"a ""f("""`]);
    expect(toks.filter((t) => t.kind === 'comment').map((t) => t.text)).toEqual(['-- f(y)', '/* f(z) */']);
  });
  it('honours backslash escapes only when the dialect has them, and E-strings and dollar quotes always', () => {
    const sql = `select 'a\\' , f(1) -- '`;
    expect(calls(sql)).toHaveLength(1);
    expect(calls(sql, { backslashEscapes: true })).toHaveLength(0); // the string runs to the end
    expect(calls(`select E'x\\' f(' , f(2)`)).toHaveLength(1);
    expect(calls(`select $$ f(1) $$, $q$ f(2) $q$, f(3)`).map((c) => c.args)).toEqual([['3']]);
  });
});
