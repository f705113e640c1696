import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { registerDuckDBUdf } from '../src/adapters/duckdb/duckdb-udfs.js';
import { loadUdfs } from '../src/udfs/registry.js';
import { scalarCaller, type ScalarUdf } from '../src/udfs/define.js';
import { makeFuzzyPairs } from './fuzzy.js';
const fnName = process.argv[2]; const n = Number(process.argv[3] ?? 200000);
const root = path.resolve(import.meta.dirname, '..');
const udfs = (await loadUdfs([path.join(root, 'src/stdlib/udfs/fuzzy.ts')], root)).filter((u) => u.definition.kind === 'scalar');
const db = await DuckDBInstance.create(':memory:', { threads: '1' });
const conn = await db.connect();
await conn.run('create table pairs (a varchar, b varchar)');
const { a, b } = makeFuzzyPairs(n);
const app = await conn.createAppender('pairs');
for (let i = 0; i < n; i++) { app.appendVarchar(a[i]); app.appendVarchar(b[i]); app.endRow(); }
app.closeSync();
for (const u of udfs) registerDuckDBUdf(conn, u, scalarCaller((u.definition as ScalarUdf).fn as (...x: unknown[]) => unknown));
await conn.run('select count(x) from (select a || b as x from pairs)');
for (const f of fnName.split(',')) {
  const u = udfs.find((x) => x.definition.name === f)!;
  const call = u.definition.args.filter((x) => !x.optional).length === 2 ? `${f}(a, b)` : `${f}(a)`;
  const c0 = process.cpuUsage(); const t = performance.now();
  await conn.run(`select ${u.definition.returns === 'VARCHAR' ? 'count' : 'sum'}(${call}) from pairs`);
  const cpu = process.cpuUsage(c0); 
  // JS only
  const fn = (u.definition as ScalarUdf).fn as (...x: unknown[]) => unknown;
  const two = call.includes(', b');
  const j0 = process.cpuUsage();
  let sink = 0; for (let i = 0; i < n; i++) { const r = two ? fn(a[i], b[i]) : fn(a[i]); sink += typeof r === 'number' ? r : 1; }
  const jcpu = process.cpuUsage(j0);
  const us = (c: NodeJS.CpuUsage) => c.user + c.system;
  console.log(f.padEnd(24), 'sql M/s cpu', (n / us(cpu)).toFixed(3), 'wall', (n / (performance.now() - t) / 1000).toFixed(3), ' js-only M/s cpu', (n / us(jcpu)).toFixed(3));
}
