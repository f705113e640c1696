/**
 * Fault injection: `weir run` is killed with SIGKILL at a random point while it builds tables, incremental
 * models (merge, delete+insert, microbatch) and a snapshot model on DuckDB, {@link KILLS} times. After each
 * kill the next `weir run` must succeed, leave no `__weir` working relation behind, and the tables must
 * equal a clean, uninterrupted build of the same input (row count and an order-independent hash of every
 * row); the snapshot's current rows must equal its query. The input alternates between two versions so
 * every run really changes rows. Results (where the kills landed, what the next run found) are printed;
 * RELIABILITY.md reports a run. `WEIR_FAULT_KILLS=200` runs more.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';

afterAll(cleanupProjects);

const KILLS = Number(process.env.WEIR_FAULT_KILLS ?? 50);
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/weir.js');
const ROWS = 20_000;

const FILES: Record<string, string> = {
  'models/src_rows.sql': `{{config materialized="table" event_time="event_date"}}
select range as id, (range * 7 + {{var "version"}} * 13) % 1000 as v, DATE '2024-01-01' + cast(range % 59 as integer) as event_date
from range(${ROWS})`,
  'models/big_table.sql': `{{config materialized="table"}}
select id % 5000 as k, count(*) as n, sum(v) as s, min(event_date) as first_date from {{ref "src_rows"}} group by 1`,
  'models/inc_merge.sql': '{{config materialized="incremental" unique_key="id"}}\nselect id, v, event_date from {{ref "src_rows"}}',
  'models/inc_delete_insert.sql': '{{config materialized="incremental" incremental_strategy="delete+insert" unique_key="id"}}\nselect id, v * 2 as v2 from {{ref "src_rows"}} where id % 3 = 0',
  'models/inc_microbatch.sql': `{{config materialized="incremental" incremental_strategy="microbatch" event_time="event_date" batch_size="month" begin="2024-01-01"}}
select id, v, event_date from {{ref "src_rows"}}`,
  'models/snap_model.sql': '{{config materialized="snapshot" unique_key="id" strategy="check" check_cols="all"}}\nselect id, v from {{ref "src_rows"}} where id < 3000',
};
const TABLES = ['src_rows', 'big_table', 'inc_merge', 'inc_delete_insert', 'inc_microbatch'];
const WINDOW = ['--event-time-start', '2024-01-01', '--event-time-end', '2024-03-01'];
const args = (version: number) => ['run', '--vars', `{version: ${version}}`, ...WINDOW];

/** Database files DuckDB found corrupt after a kill and Weir restored from the read copy (see RELIABILITY.md). */
const restored: string[] = [];

async function query(dir: string, sql: string): Promise<Record<string, unknown>[]> {
  const r = await runCli(['query', sql, '--format', 'json'], dir);
  if (r.code !== 0) throw new Error(r.stdout + r.stderr);
  if (/restored the read copy/.test(r.stderr)) restored.push(r.stderr.trim());
  return JSON.parse(r.stdout) as Record<string, unknown>[];
}

/** Row count and an order-independent hash of every row, per table (`check` adds the two checks below). */
const CONTENTS = TABLES.map((t) => `select '${t}' as t, count(*)::varchar || ':' || coalesce(sum(hash(x))::varchar, '0') as c from main.${t} as x`).join(' union all ');
/** Working relations (`__weir_tmp`, `__weir_incr`, ...) in the database. */
const LEFTOVERS = "select '~leftovers' as t, coalesce(string_agg(table_name, ',' order by table_name), '') as c from duckdb_tables() where table_name like '%\\_\\_weir%' escape '\\'";
/** Rows in which the snapshot's current versions differ from its query (0 when they match). */
const SNAPSHOT_DRIFT = `select '~snapshot_drift' as t, count(*)::varchar as c from (
    (select id, v from main.snap_model where weir_valid_to is null except all select id, v from main.src_rows where id < 3000)
    union all
    (select id, v from main.src_rows where id < 3000 except all select id, v from main.snap_model where weir_valid_to is null))`;

/** The state of the project's database: table contents, leftover working relations, snapshot drift. */
async function state(dir: string, what: 'contents' | 'all' | 'leftovers'): Promise<Record<string, string>> {
  const sql = what === 'leftovers' ? LEFTOVERS : what === 'contents' ? CONTENTS : [CONTENTS, LEFTOVERS, SNAPSHOT_DRIFT].join(' union all ');
  return Object.fromEntries((await query(dir, sql)).map((r) => [String(r.t), String(r.c)]));
}

/** Milliseconds from the run's start event to its last node's finish event, from JSON log lines. */
function buildMsOf(jsonLines: string): number {
  let start = 0;
  let end = 0;
  for (const line of jsonLines.split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as { code?: string; ts?: string };
    if (e.code === 'WEIR_RUN_START' && e.ts) start = Date.parse(e.ts);
    if (e.code === 'WEIR_NODE_FINISH' && e.ts) end = Date.parse(e.ts);
  }
  return start && end > start ? end - start : 0;
}

/** What a killed run had reached: the nodes running when it died (`-` before any node, `done` after all). */
interface Kill {
  readonly version: number;
  readonly delayMs: number;
  readonly phase: string;
  readonly exitedFirst: boolean;
  /** Milliseconds from the run's start event to its last node's finish event. */
  readonly buildMs: number;
}

/** Starts `weir run` and kills it with SIGKILL `delayMs` after it reports the run's start. */
function runAndKill(dir: string, version: number, delayMs: number): Promise<Kill> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args(version), '--log-format', 'json', '--project-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const running = new Map<string, string>();
    let finished = 0;
    let timer: NodeJS.Timeout | undefined;
    let buf = '';
    let killed = false;
    let phase = '-';
    let started = 0;
    let lastFinish = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let e: { code?: string; node_id?: string; materialized?: string };
        try {
          e = JSON.parse(line) as typeof e;
        } catch {
          continue;
        }
        if (e.code === 'WEIR_RUN_START' && !timer) {
          started = performance.now();
          timer = setTimeout(() => {
            phase = running.size ? [...running.values()].sort().join('+') : finished ? `between nodes (${finished} done)` : '-';
            killed = true;
            child.kill('SIGKILL');
          }, delayMs);
        }
        if (e.code === 'WEIR_NODE_START' && e.node_id) running.set(e.node_id, e.node_id.split('.').pop()!);
        if (e.code === 'WEIR_NODE_FINISH' && e.node_id) {
          running.delete(e.node_id);
          finished++;
          lastFinish = performance.now();
        }
      }
    });
    child.on('error', reject);
    child.on('exit', () => {
      if (timer) clearTimeout(timer);
      resolve({ version, delayMs, phase: killed ? phase : 'done', exitedFirst: !killed, buildMs: started && lastFinish ? lastFinish - started : 0 });
    });
  });
}

describe('fault injection: SIGKILL during table and incremental builds', () => {
  it(`after each of ${KILLS} kills the next run succeeds, cleans up, and the tables equal a clean build`, async () => {
    expect(existsSync(BIN)).toBe(true);
    // Clean builds of both input versions: the reference contents.
    const clean = await makeProject(FILES);
    const reference: Record<string, string>[] = [];
    for (const v of [0, 1]) {
      const r = await runCli(args(v), clean);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      reference[v] = await state(clean, 'all');
    }
    expect(reference[0]).toMatchObject({ '~leftovers': '', '~snapshot_drift': '0' });
    expect(reference[0]).not.toEqual(reference[1]);

    // Two lanes (two projects, two database files) kill in parallel, to keep the wall time modest.
    const lane = async (laneNo: number, n: number) => {
      const dir = await makeProject(FILES);
      expect((await runCli(args(0), dir)).code).toBe(0);
      // How long the nodes of a run take: kills are spread over that span, +15% (artifacts, closing).
      const probe = await runAndKill(dir, 1, 600_000);
      expect(probe.exitedFirst).toBe(true);
      let span = Math.max(100, probe.buildMs * 1.15);
      let maxSpan = span;
      let seed = 42 + laneNo;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31); // deterministic (LCG)
      const kills: Kill[] = [];
      const found: string[] = [];
      const tmpFiles: string[] = [];
      for (let i = 0; i < n; i++) {
        const version = i % 2;
        maxSpan = Math.max(maxSpan, span);
        const k = await runAndKill(dir, version, Math.round(random() * span));
        kills.push(k);
        found.push((await state(dir, 'leftovers'))['~leftovers']);
        tmpFiles.push(...readdirSync(path.join(dir, 'target')).filter((f) => f.endsWith('.tmp')));
        const r = await runCli([...args(version), '--log-format', 'json'], dir);
        const what = `lane ${laneNo}, kill ${i + 1} (${k.phase} at ${k.delayMs} ms of ${Math.round(span)})`;
        expect(r.code, `${what}: ${r.stdout}${r.stderr}`).toBe(0);
        // The machine's load changes: follow how long the nodes of the latest run took.
        const built = buildMsOf(r.stdout);
        if (built > 0) span = Math.max(100, 0.5 * span + 0.5 * built * 1.15);
        expect(await state(dir, 'all'), what).toEqual(reference[version]);
      }
      // Half-written artifact files of killed runs (`<file>.<pid>.tmp`) must not pile up either.
      const stale = readdirSync(path.join(dir, 'target')).filter((f) => f.endsWith('.tmp'));
      return { kills, found, span: maxSpan, tmpFiles, stale };
    };
    const lanes = await Promise.all([lane(1, Math.ceil(KILLS / 2)), lane(2, Math.floor(KILLS / 2))]);
    const kills = lanes.flatMap((l) => l.kills);
    const found = lanes.flatMap((l) => l.found);
    const span = Math.max(...lanes.map((l) => l.span));
    const tmpSeen = lanes.flatMap((l) => l.tmpFiles).length;
    expect(lanes.flatMap((l) => l.stale)).toEqual([]);

    const byPhase = new Map<string, number>();
    for (const k of kills) byPhase.set(k.phase, (byPhase.get(k.phase) ?? 0) + 1);
    const withLeftovers = found.filter((f) => f.length > 0).map((f) => f.split(','));
    console.log(`fault injection: ${kills.length} runs, ${kills.filter((k) => !k.exitedFirst).length} killed (delays up to ${Math.round(span)} ms); ` +
      `${withLeftovers.length} left working relations (${[...new Set(withLeftovers.flat())].sort().join(', ') || 'none'}), all removed by the next run; ` +
      `every next run succeeded with tables equal to a clean build; ${tmpSeen} half-written artifact file(s) seen after kills, none left at the end; ` +
      `${restored.length} database file(s) found corrupt by DuckDB and restored from the read copy${restored.length ? ` (${restored.join(' | ')})` : ''}.\nkilled while running: ${[...byPhase].sort((a, b) => b[1] - a[1]).map(([p, n]) => `${p} ×${n}`).join('; ')}`);
    // Most kills must land inside the run, or the test proves little.
    expect(kills.filter((k) => !k.exitedFirst).length).toBeGreaterThan(KILLS * 0.6);
  }, 600_000);
});
