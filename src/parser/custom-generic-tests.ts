/**
 * Custom generic tests in the parse phase (compiler/custom-generic-tests.ts describes them): finding the
 * partial `test_<name>` behind a test name, and reading the YAML entry's arguments, whose `ref('m')` /
 * `source('s', 't')` values become relation arguments and dependencies.
 */
import type { RelationArg } from '../compiler/custom-generic-tests.js';
import type { RefCall, SourceCall } from '../manifest/types.js';

/** Prefix of the partial behind a custom generic test. */
export const CUSTOM_TEST_PREFIX = 'test_';

/** The partial implementing custom generic test `name`, if the project has one. */
export function customTestMacro(name: string, macros: readonly { name: string; kind: string }[]): string | undefined {
  const partial = `${CUSTOM_TEST_PREFIX}${name}`;
  return macros.some((m) => m.kind === 'partial' && m.name === partial) ? partial : undefined;
}

/** Names of the project's custom generic tests (for suggestions). */
export function customTestNames(macros: readonly { name: string; kind: string }[]): string[] {
  return macros.filter((m) => m.kind === 'partial' && m.name.startsWith(CUSTOM_TEST_PREFIX)).map((m) => m.name.slice(CUSTOM_TEST_PREFIX.length));
}

const REF = /^ref\(\s*['"]([^'"]+)['"]\s*\)$/;
const SOURCE = /^source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)$/;

/**
 * Arguments of a custom test: string values written `ref('m')` or `source('s', 't')` become
 * {@link RelationArg}s (recorded as dependencies); everything else is kept as is.
 * @param line YAML line, recorded on the dependencies for messages
 */
export function customTestArgs(kwargs: Readonly<Record<string, unknown>>, line?: number): { kwargs: Record<string, unknown>; refs: RefCall[]; sources: SourceCall[] } {
  const out: Record<string, unknown> = {};
  const refs: RefCall[] = [];
  const sources: SourceCall[] = [];
  for (const [k, v] of Object.entries(kwargs)) {
    if (k === 'column_name') continue;
    const s = typeof v === 'string' ? v.trim() : undefined;
    const r = s ? REF.exec(s) : null;
    const src = s ? SOURCE.exec(s) : null;
    if (r) {
      out[k] = { kind: 'ref', name: r[1] } satisfies RelationArg;
      refs.push({ name: r[1], line });
    } else if (src) {
      out[k] = { kind: 'source', source: src[1], table: src[2] } satisfies RelationArg;
      sources.push({ source: src[1], table: src[2], line });
    } else out[k] = v;
  }
  return { kwargs: out, refs, sources };
}
