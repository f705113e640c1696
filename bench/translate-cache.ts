/**
 * The `translate` batch UDF's cache path inside DuckDB: once every text of a model has a known translation
 * (from the persistent cache or an earlier batch), the model runs with each row answered by the in-memory
 * lookup of the UDF's runtime (src/udfs/batch.ts BatchUdfRuntime.lookup), registered by Weir's own DuckDB
 * UDF code. Measured: lookups per second (wall and per CPU-second of the process) over `rows` rows of
 * `distinct` Korean texts, `select count(translate(text, 'ko', 'en')) from texts`, every lookup a hit.
 * No model is loaded: the translations are placed in the runtime as a finished batch would place them.
 */
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { registerDuckDBUdf } from '../src/adapters/duckdb/udfs.js';
import { loadUdfs } from '../src/udfs/registry.js';
import { BatchUdfRuntime } from '../src/udfs/batch.js';
import { prng, median } from './util.js';

/** Result of {@link benchTranslateCache}. */
export interface TranslateCacheResult {
  readonly rows: number;
  readonly distinct: number;
  readonly reps: number;
  readonly perSecond: number;
  readonly perCpuSecond: number;
}

const SYL = ['안녕', '하세요', '주문', '배송', '문의', '감사', '합니다', '고객', '님', '확인', '부탁', '드립니다', '환불', '요청'];

/** Runs the benchmark. */
export async function benchTranslateCache(rows = 1_000_000, distinct = 10_000, reps = 3): Promise<TranslateCacheResult> {
  const root = path.resolve(import.meta.dirname, '..');
  const [udf] = (await loadUdfs([path.join(root, 'src/stdlib/udfs/translate.ts')], root)).filter((u) => u.definition.name === 'translate');
  const rt = new BatchUdfRuntime(udf, { projectDir: root, targetDir: root, vars: {}, env: {} } as never);
  const r = prng(11);
  const texts: string[] = [];
  for (let i = 0; i < distinct; i++) {
    const n = 3 + Math.floor(r() * 8);
    texts.push(Array.from({ length: n }, () => SYL[Math.floor(r() * SYL.length)]).join(' ') + ` ${i}.`);
    rt.set([texts[i], 'ko', 'en'], `translation ${i}`);
  }
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await db.connect();
  try {
    await conn.run('create table texts (text varchar)');
    const app = await conn.createAppender('texts');
    for (let i = 0; i < rows; i++) {
      app.appendVarchar(texts[i % distinct]);
      app.endRow();
    }
    app.closeSync();
    registerDuckDBUdf(conn, udf, (args) => rt.lookup(args));
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < reps; i++) {
      const c = process.cpuUsage();
      const t = performance.now();
      const res = await conn.runAndReadAll("select count(translate(text, 'ko', 'en')) as n from texts");
      walls.push((performance.now() - t) / 1000);
      const u = process.cpuUsage(c);
      cpus.push((u.user + u.system) / 1e6);
      if (Number(res.getRows()[0][0]) !== rows) throw new Error('translate cache bench: a lookup missed');
    }
    return { rows, distinct, reps, perSecond: rows / median(walls), perCpuSecond: rows / median(cpus) };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
