/**
 * The Trino adapter's pure parts: bind inlining, seed type inference and literals, qualified renames,
 * error mapping without credentials, and the target schema.
 */
import { describe, expect, it } from 'vitest';
import { convertValue, displayServer, inlineBinds, mapTransportError } from '../../../src/adapters/trino/connection.js';
import { relationQualifier } from '../../../src/adapters/trino/ddl.js';
import { trinoDialect } from '../../../src/adapters/trino/dialect.js';
import { inferSeedType, typedLiteral } from '../../../src/adapters/trino/seeds.js';
import { trinoTargetSchema } from '../../../src/adapters/trino/target.js';

describe('trino dialect', () => {
  it('renders catalog.schema.table with double-quoted identifiers', () => {
    expect(trinoDialect.relation({ database: 'lake', schema: 'a"b', identifier: 't' })).toBe('"lake"."a""b"."t"');
    expect(trinoDialect.formatterLanguage).toBe('trino');
  });
  it('qualifies the rename target like the source (Trino resolves it against the session schema otherwise)', () => {
    expect(relationQualifier('"lake"."s"."t__weir_tmp"')).toBe('"lake"."s".');
    expect(relationQualifier('"t"')).toBe('');
    expect(trinoDialect.ddl.renameRelation('"lake"."s"."t__weir_tmp"', '"t"', 'table')).toBe('alter table "lake"."s"."t__weir_tmp" rename to "lake"."s"."t"');
  });
});

describe('inlineBinds', () => {
  it('replaces ? outside literals, identifiers and comments', () => {
    expect(inlineBinds(`select ?, '?', "?" -- ?\n/* ? */ , ?`, ["it's", null], trinoDialect.literal)).toBe(`select 'it''s', '?', "?" -- ?\n/* ? */ , NULL`);
  });
  it('rejects a count mismatch', () => {
    expect(() => inlineBinds('select ?', [], trinoDialect.literal)).toThrow(/more \? placeholders/);
    expect(() => inlineBinds('select 1', [1], trinoDialect.literal)).toThrow(/0 \? placeholder/);
  });
});

describe('seed types', () => {
  it('infers boolean, bigint, double, date, timestamp, else varchar; leading zeros stay varchar', () => {
    expect(inferSeedType(['true', 'FALSE', null])).toBe('boolean');
    expect(inferSeedType(['1', '-20', null])).toBe('bigint');
    expect(inferSeedType(['1', '2.5', '1e3'])).toBe('double');
    expect(inferSeedType(['2024-01-02', null])).toBe('date');
    expect(inferSeedType(['2024-01-02 10:00:00', '2024-01-02T10:00:00.123'])).toBe('timestamp');
    expect(inferSeedType(['007', '10'])).toBe('varchar');
    expect(inferSeedType(['99999999999999999999'])).toBe('double');
    expect(inferSeedType([null, null])).toBe('varchar');
  });
  it('writes typed literals', () => {
    expect(typedLiteral(null, 'bigint')).toBe('NULL');
    expect(typedLiteral('42', 'bigint')).toBe('42');
    expect(typedLiteral("o'k", 'varchar')).toBe("'o''k'");
    expect(typedLiteral('2024-01-02', 'date')).toBe("DATE '2024-01-02'");
    expect(typedLiteral('2024-01-02T10:00:00', 'timestamp')).toBe("TIMESTAMP '2024-01-02 10:00:00'");
    expect(typedLiteral('1.50', 'decimal(10,2)')).toBe("CAST('1.50' AS decimal(10,2))");
  });
});

describe('results and errors', () => {
  it('converts BIGINT to bigint and Trino float specials', () => {
    expect(convertValue(12, 'bigint')).toBe(12n);
    expect(convertValue('NaN', 'double')).toBeNaN();
    expect(convertValue('1.50', 'decimal(10,2)')).toBe('1.50');
  });
  it('maps HTTP and network failures to messages naming the target and never the credentials', () => {
    const target = { server: 'https://u:hunter2pw@trino.example.com:8443/', user: 'u', auth: { type: 'basic' as const, password: 'hunter2pw' } };
    const e401 = mapTransportError({ response: { status: 401, data: 'Unauthorized' }, config: { auth: { password: 'hunter2pw' } } }, 'prod', target);
    expect(e401.message).toBe("target 'prod' (Trino at https://trino.example.com:8443): authentication failed (HTTP 401): the password for user 'u' was rejected");
    expect(e401.cause).toBeUndefined();
    expect(mapTransportError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'prod', target).message).toMatch(/cannot reach the server \(ECONNREFUSED\)$/);
    expect(displayServer('http://a:b@h:1')).toBe('http://h:1');
  });
});

describe('target schema', () => {
  it('accepts basic and jwt auth and rejects unknown keys', () => {
    const base = { type: 'trino', server: 'http://localhost:8080', user: 'u', catalog: 'c', schema: 's' };
    expect(trinoTargetSchema.parse({ ...base, auth: { type: 'jwt', token: 't' } }).threads).toBe(4);
    expect(trinoTargetSchema.safeParse({ ...base, auth: { type: 'basic', password: 'p' }, tls: { verify: false } }).success).toBe(true);
    expect(trinoTargetSchema.safeParse({ ...base, password: 'p' }).success).toBe(false);
    expect(trinoTargetSchema.safeParse({ ...base, server: 'not a url' }).success).toBe(false);
  });
});
