/**
 * Micro-benchmark of the fuzzy-matching library (udfs/lib/fuzzy.ts).
 *
 * For `rows` deterministic name pairs (English and Korean names with typos, transpositions, honorifics
 * and company forms), measures the calls per second of each JS function in a tight loop, and of DuckDB's
 * builtin `jaro_winkler_similarity` over the same pairs in SQL on an in-memory database; reports each JS
 * rate as a ratio to the builtin's. The JS loop is an upper bound for the same function registered as a
 * DuckDB UDF (which adds per-chunk marshalling); once UDF registration exists, `npm run bench` can add the
 * SQL-side rates.
 *
 * Usage: `node --import tsx -e "import('./bench/fuzzy.ts').then(m => m.benchFuzzy(200_000)).then(r => console.table(r.functions))"`
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { prng } from './util.js';
import {
  damerauLevenshtein,
  doubleMetaphone,
  fuzzPartialRatio,
  fuzzRatio,
  fuzzTokenSetRatio,
  fuzzTokenSortRatio,
  fuzzWRatio,
  jaroSimilarity,
  jaroWinklerSimilarity,
  levenshteinSimilarity,
  normalizeName,
} from '../src/stdlib/lib/fuzzy.js';

/** One measured function. */
export interface FuzzyBenchRow {
  readonly name: string;
  readonly calls: number;
  readonly seconds: number;
  readonly callsPerSecond: number;
  /** callsPerSecond divided by DuckDB's builtin jaro_winkler_similarity calls per second (>1: faster). */
  readonly ratioToDuckdbJaroWinkler: number;
}

/** Result of {@link benchFuzzy}. */
export interface FuzzyBenchResult {
  readonly rows: number;
  readonly duckdbJaroWinkler: { readonly seconds: number; readonly callsPerSecond: number };
  readonly functions: readonly FuzzyBenchRow[];
}


const FIRST = ['John', 'Jane', 'Michael', 'Sarah', 'David', 'Emily', 'Robert', 'Jessica', 'William', 'Olivia', 'Dwayne', 'Martha'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Schmidt', 'Thompson', 'Dixon', 'Garcia'];
const KO_SUR = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임'];
const KO_GIVEN = ['민수', '영희', '지성', '서연', '도윤', '하은', '준호', '수빈', '현우', '지민'];
const DECOR = ['', '', '', 'Mr. ', 'Dr. ', ' Inc.', ' 님', ' 고객님', '(주)'];

/** Deterministic pairs: a name and a perturbed copy (typo, transposition, deletion, reorder, decoration). */
export function makeFuzzyPairs(rows: number, seed = 42): { a: string[]; b: string[] } {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const a: string[] = new Array(rows);
  const b: string[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const korean = r() < 0.4;
    const base = korean ? pick(KO_SUR) + (r() < 0.3 ? ' ' : '') + pick(KO_GIVEN) : `${pick(FIRST)} ${pick(LAST)}`;
    let other = korean ? pick(KO_SUR) + pick(KO_GIVEN) : `${pick(FIRST)} ${pick(LAST)}`;
    if (r() < 0.6) {
      const chars = [...base];
      const k = Math.floor(r() * chars.length);
      const op = r();
      if (op < 0.33 && k + 1 < chars.length) [chars[k], chars[k + 1]] = [chars[k + 1], chars[k]];
      else if (op < 0.66) chars.splice(k, 1);
      else chars[k] = korean ? pick(KO_GIVEN)[0] : String.fromCharCode(97 + Math.floor(r() * 26));
      other = chars.join('');
      if (!korean && r() < 0.2) other = other.split(' ').reverse().join(', ');
    }
    const d = pick(DECOR);
    a[i] = base;
    b[i] = d.startsWith(' ') ? other + d : d + other;
  }
  return { a, b };
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

/**
 * Measures each fuzzy function over `rows` pairs in JS, and DuckDB's builtin jaro_winkler_similarity
 * over the same pairs in SQL (in-memory DuckDB, pairs loaded with the appender; loading is not timed).
 */
export async function benchFuzzy(rows = 1_000_000): Promise<FuzzyBenchResult> {
  const { a, b } = makeFuzzyPairs(rows);

  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  let duckSeconds: number;
  try {
    await conn.run('CREATE TABLE pairs (a VARCHAR, b VARCHAR)');
    const app = await conn.createAppender('pairs');
    for (let i = 0; i < rows; i++) {
      app.appendVarchar(a[i]);
      app.appendVarchar(b[i]);
      app.endRow();
    }
    app.flushSync();
    app.closeSync();
    await conn.run('SELECT sum(jaro_winkler_similarity(a, b)) FROM pairs'); // warm-up
    const t0 = performance.now();
    await conn.runAndReadAll('SELECT sum(jaro_winkler_similarity(a, b)) FROM pairs');
    duckSeconds = (performance.now() - t0) / 1000;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  const duckRate = rows / duckSeconds;

  const pairFns: [string, (x: string, y: string) => number][] = [
    ['jaro_sim', jaroSimilarity],
    ['jw_similarity', (x, y) => jaroWinklerSimilarity(x, y)],
    ['levenshtein_similarity', levenshteinSimilarity],
    ['dl_distance', damerauLevenshtein],
    ['fuzz_ratio', (x, y) => fuzzRatio(x, y)],
    ['fuzz_partial_ratio', (x, y) => fuzzPartialRatio(x, y)],
    ['fuzz_token_sort_ratio', (x, y) => fuzzTokenSortRatio(x, y)],
    ['fuzz_token_set_ratio', (x, y) => fuzzTokenSetRatio(x, y)],
    ['fuzz_wratio', (x, y) => fuzzWRatio(x, y)],
  ];
  const unaryFns: [string, (x: string) => unknown][] = [
    ['normalize_name', (x) => normalizeName(x)],
    ['normalize_name(romanize)', (x) => normalizeName(x, { romanize: true })],
    ['double_metaphone', (x) => doubleMetaphone(x)],
  ];

  const functions: FuzzyBenchRow[] = [];
  let sink = 0;
  const record = (name: string, seconds: number) => {
    const callsPerSecond = rows / seconds;
    functions.push({ name, calls: rows, seconds, callsPerSecond, ratioToDuckdbJaroWinkler: callsPerSecond / duckRate });
  };
  for (const [name, f] of pairFns) {
    const warm = Math.min(rows, 10_000);
    for (let i = 0; i < warm; i++) sink += f(a[i], b[i]);
    record(name, time(() => {
      for (let i = 0; i < rows; i++) sink += f(a[i], b[i]);
    }));
  }
  for (const [name, f] of unaryFns) {
    const warm = Math.min(rows, 10_000);
    for (let i = 0; i < warm; i++) sink += (f(b[i]) as string | string[]).length;
    record(name, time(() => {
      for (let i = 0; i < rows; i++) sink += (f(b[i]) as string | string[]).length;
    }));
  }
  if (Number.isNaN(sink)) throw new Error('unreachable'); // keeps the loops from being optimized away

  return { rows, duckdbJaroWinkler: { seconds: duckSeconds, callsPerSecond: duckRate }, functions };
}
