import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const f = '/work/wt-16/.scratch/latin.csv';
const opts = `header = true, auto_detect = true, sample_size = -1, strict_mode = true, null_padding = false, delim = ',', quote = '"', escape = '"'`;
try { await c.run(`create table t as select * from read_csv('${f}', ${opts})`); } catch (e) { console.log('ERR1', e.message); }
await c.run(`create table t2 as select * from read_csv('${f}', ${opts}, encoding = 'latin-1')`);
console.log((await c.runAndReadAll('select * from t2')).getRows());
try { await c.run(`select * from read_csv('${f}', encoding = 'cp1252')`); } catch (e) { console.log('ERR2', e.message); }
await c.run(`copy (select 1 as a, 'x' as b, date '2024-01-01' as d) to '/work/wt-16/.scratch/s.parquet' (format parquet)`);
await c.run(`copy (select 1 as a, 'x' as b, date '2024-01-01' as d) to '/work/wt-16/.scratch/s.json' (format json, array true)`);
console.log((await c.runAndReadAll(`select * from read_json('/work/wt-16/.scratch/s.json', columns = {a: 'BIGINT', b: 'VARCHAR', d: 'DATE'})`)).getRows());
console.log((await c.runAndReadAll(`describe select * from read_json_auto('/work/wt-16/.scratch/s.json')`)).getRows());
