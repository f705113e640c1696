import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const sql = `select 12345678901234567.89::decimal(20,2) d, 1.10::decimal(5,2) d2, date '2024-12-22' dt, timestamp '2024-12-22 10:11:12.5' ts, timestamptz '2024-12-22 10:11:12+00' tstz,
 3923.0000000000005::double f, 0.1::float r, 9223372036854775807::bigint b, 170141183460469231731687303715884105727::hugeint h, 1::tinyint ti, 255::utinyint ut,
 'x'::blob bl, [1,2] l, {'a':1, 'b':'x'} st, map {'k': 1} m, interval 3 day iv, time '10:11:12' tm, true bo, uuid '123e4567-e89b-12d3-a456-426614174000' u, 'a'::varchar v, null n, 1e300::double big, 'inf'::double inf, 'nan'::double nan, -0.0::double nz, 1.5e-10::double small, 100000000000000000000.0::double e20, [1.10::decimal(5,2)] dl, 18446744073709551615::ubigint ub, 2::uhugeint uh, 'a'::enum('a','b') en, 1::bit bi, time with time zone '10:11:12+01' ttz, timestamp_ns '2024-01-01 00:00:00.123456789' tns, timestamp_ms '2024-01-01 00:00:00.123' tms, timestamp_s '2024-01-01 00:00:01' tsec, 1.5::decimal(3,1)::varchar vv, '1 year 2 months'::interval iv2, varint '123456789012345678901234567890' vi, union_value(num := 2)::union(num int, s varchar) un, [1,2]::int[2] arr`;
const r = await c.runAndReadAll(sql);
const names = r.columnNames(); const types = r.columnTypes();
const vals = r.getRows()[0];
const js = r.getRowsJS()[0];
const json = r.getRowsJson()[0];
const cast = (await c.runAndReadAll(`select ${names.map(n=>`"${n}"::varchar`).join(',')} from (${sql})`)).getRows()[0];
names.forEach((n,i)=>console.log(n, String(types[i]), '| toString:', String(vals[i]), '| cast:', cast[i], '| json:', JSON.stringify(json[i]), '| js:', typeof js[i]));
