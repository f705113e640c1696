/**
 * Every engine folder holds the same files (see the list in src/adapters/adapter.ts), as Kysely's dialect
 * folders do, and its dialect loads no client library (compiling must not).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADAPTER_TYPES } from '../../../src/adapters/registry.js';

const ADAPTERS = path.resolve(__dirname, '../../../src/adapters');
const ENGINE_FILES = ['adapter.ts', 'target.ts', 'connection.ts', 'ddl.ts', 'seeds.ts', 'catalog.ts', 'dialect.ts', 'kysely-dialect.ts'];
const CLIENTS = /from '(@duckdb\/node-api|snowflake-sdk|trino-client)'/;

describe('engine folders', () => {
  it('the registry knows the three engines', () => {
    expect([...ADAPTER_TYPES].sort()).toEqual(['duckdb', 'snowflake', 'trino']);
  });

  for (const engine of ADAPTER_TYPES) {
    it(`src/adapters/${engine}/ holds ${ENGINE_FILES.join(', ')}`, () => {
      expect(ENGINE_FILES.filter((f) => !existsSync(path.join(ADAPTERS, engine, f)))).toEqual([]);
    });

    it(`${engine}'s dialect.ts and ddl.ts import no engine client`, () => {
      for (const f of ['dialect.ts', 'ddl.ts']) expect(readFileSync(path.join(ADAPTERS, engine, f), 'utf8'), f).not.toMatch(CLIENTS);
    });
  }
});
