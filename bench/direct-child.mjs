// Baseline process of the whole-process run benchmark: the same statements Weir sends, through
// @duckdb/node-api on one connection (as bench/direct.ts runDirect), in a fresh `node` process.
// Usage: node bench/direct-child.mjs <database file> <plan.json>
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [dbPath, planFile] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, 'utf8'));
const db = await DuckDBInstance.create(dbPath);
const conn = await db.connect();
for (const s of plan.schemas) await conn.run(`create schema if not exists "${s}"`);
for (const step of plan.steps) for (const sql of step.sql) await conn.runAndReadAll(sql);
conn.closeSync();
db.closeSync();
