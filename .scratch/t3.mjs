import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const sql = `select 12345678901234567.89::decimal(20,2) d, 1.10::decimal(5,2) d2, date '2024-12-22' dt, timestamp '2024-12-22 10:11:12.5' ts, 3923.0000000000005::double f, 0.1::float r, 9223372036854775807::bigint b, 170141183460469231731687303715884105727::hugeint h, 'inf'::double inf, [1.10::decimal(5,2)] dl, {'a': 1.5::float} st, interval 3 day iv, map {'k': 1} m, 'x'::blob bl, 1e20::double e20`;
const r = await c.runAndReadAll(`select to_json(columns(*))::varchar from (${sql})`);
const names = r.columnNames();
r.getRows()[0].forEach((v,i)=>console.log(names[i], v));
const r2 = await c.runAndReadAll(`select to_json(q)::varchar from (${sql}) q`);
console.log(r2.getRows()[0][0]);
