/**
 * Every SQL file of the demo warehouse compiled for a Trino and a Snowflake target parses under that
 * engine's grammar and calls only functions the engine documents (tests/grammar/compiled-sql.ts). The
 * figure printed here (N/N per engine) is the one README's Targets section quotes.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCompiledProject } from './compiled-sql.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('the demo compiled for Trino and Snowflake', () => {
  it('parses under each engine grammar and calls only documented functions', async () => {
    const report = await checkCompiledProject(root);
    for (const engine of ['trino', 'snowflake'] as const) {
      const { files, problems } = report[engine];
      const failing = Object.fromEntries([...problems].map(([f, p]) => [f, p.message]));
      console.log(`${engine}: ${files.length - problems.size}/${files.length} compiled files parse and call only ${engine} functions`);
      expect(files.length).toBeGreaterThan(100);
      expect(failing, engine).toEqual({});
    }
  }, 300_000);
});
