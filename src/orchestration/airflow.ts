/**
 * `weir airflow-dag`: writes an Airflow 2 DAG file (Python) from the manifest. One `BashOperator` task per
 * model, seed or snapshot (or per selector group with `groupBy: 'tag' | 'folder'`) runs
 * `weir build --select path:<file>` — which also runs the tests of those nodes — and the task
 * dependencies are the project DAG's, kept transitively through nodes that are not tasks (unselected
 * models, ephemeral models, sources).
 *
 * Tests with several parents (e.g. `relationships`) run in exactly one task: the task of the parent that
 * comes last in topological order, which is made to wait for the tasks of the other parents; the other
 * tasks `--exclude` it, so no test runs before everything it reads is built. Every emitted command is
 * checked against the selector (it must select exactly the task's nodes and tests) before the file is
 * written.
 *
 * Targets Airflow ≥ 2.4 (`schedule=`, `BashOperator(env=..., append_env=True)`), see
 * https://airflow.apache.org/docs/apache-airflow/stable/howto/operator/bash.html. The target comes from an
 * Airflow Variable through the task's environment (`WEIR_TARGET`), never spliced into the shell command.
 */
import path from 'node:path';
import { DirectedGraph } from 'graphology';
import { topologicalSort } from 'graphology-dag';
import { WeirError } from '../errors/weir-error.js';
import { findCycle, type Dag } from '../graph/dag.js';
import { selectNodes } from '../graph/selector.js';
import type { Manifest } from '../manifest/manifest.js';
import type { GraphNode } from '../manifest/types.js';
import { isEphemeral } from '../manifest/materialization.js';
import { pyIdentifier, pyLiteral, pyStr, shellQuote } from './python-literal.js';

/** How nodes become tasks: one task per node, or one per first tag / per folder. */
export type AirflowGroupBy = 'node' | 'tag' | 'folder';

/** Options of {@link generateAirflowDag}. Durations in seconds. */
export interface AirflowDagOptions {
  /** Airflow `dag_id` (letters, digits, `_`, `.`, `-`). */
  readonly dagId: string;
  /** Cron expression or preset (`@daily`); `null` for no schedule (triggered runs only). */
  readonly schedule: string | null;
  /** `start_date` as `YYYY-MM-DD` (UTC). */
  readonly startDate: string;
  readonly groupBy: AirflowGroupBy;
  /** Task retries (`default_args.retries`). */
  readonly retries: number;
  /** Seconds between retries (`default_args.retry_delay`). */
  readonly retryDelaySeconds: number;
  /** The project directory as the Airflow workers see it (passed as `--project-dir`). */
  readonly projectDir: string;
  /** The command that runs Weir on the workers, as words, e.g. `['npx', 'weir']`. */
  readonly weirCommand: readonly string[];
  /** Airflow Variable holding the target name. */
  readonly targetVariable: string;
  /** Target used when the Variable is not set. */
  readonly defaultTarget: string;
  /** `--lock-timeout` of every task: seconds to wait for another Weir run on the same target directory. */
  readonly lockTimeoutSeconds: number;
  /** `max_active_tasks` of the DAG (omitted when undefined). */
  readonly maxActiveTasks?: number;
  /** The `weir airflow-dag ...` invocation, written into the file's docstring. */
  readonly generatedBy?: string;
}

/** One generated task. */
export interface AirflowTask {
  readonly taskId: string;
  /** Python variable holding the operator. */
  readonly variable: string;
  /** Models/seeds/snapshots the task builds (unique_ids). */
  readonly nodes: readonly string[];
  /** Tests the task runs (unique_ids). */
  readonly tests: readonly string[];
  /** Weir's argv after the Weir command (e.g. `['build', '--project-dir', ...]`); `$WEIR_TARGET` stands for the target. */
  readonly args: readonly string[];
  /** The shell command (bash_command). */
  readonly bashCommand: string;
  /** task_ids this task waits for. */
  readonly upstream: readonly string[];
}

/** The generated DAG. */
export interface AirflowDag {
  readonly python: string;
  readonly tasks: readonly AirflowTask[];
}

/** Resource types that become tasks (anything that builds a relation). */
const BUILDABLE = new Set(['model', 'seed', 'snapshot']);

const TARGET_ENV = 'WEIR_TARGET';

/**
 * Generates the DAG file.
 * @param selected unique_ids chosen for `build` (models, seeds, snapshots and their tests)
 * @throws WeirError `WEIR_USAGE` for invalid options, or when grouping makes the task graph cyclic (naming
 *   the groups); `WEIR_INTERNAL` if a generated command would not select exactly its task's nodes
 */
export function generateAirflowDag(manifest: Manifest, dag: Dag, selected: readonly string[], o: AirflowDagOptions): AirflowDag {
  validateOptions(o);
  const node = (u: string): GraphNode => manifest.nodes.get(u)!;
  const isUnitNode = (n: GraphNode) => BUILDABLE.has(n.resource_type) && !isEphemeral(n);

  // 1. Units (future tasks) and which unit builds each node.
  const unitOf = new Map<string, string>();
  const units = new Map<string, { nodes: string[]; tests: string[] }>();
  const selectedTests: string[] = [];
  for (const uid of selected) {
    const n = node(uid);
    if (n.resource_type === 'test') {
      selectedTests.push(uid);
      continue;
    }
    if (!isUnitNode(n)) continue;
    const key = unitKey(n, o.groupBy);
    unitOf.set(uid, key);
    (units.get(key) ?? units.set(key, { nodes: [], tests: [] }).get(key)!).nodes.push(uid);
  }

  // 2. Unit dependencies: nearest unit ancestors, through nodes that are not tasks.
  const g = new DirectedGraph();
  for (const key of units.keys()) g.addNode(key);
  for (const [uid, key] of unitOf) {
    const seen = new Set<string>();
    const stack = [...dag.inNeighbors(uid)];
    while (stack.length) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      const pk = unitOf.get(p);
      if (pk !== undefined) {
        if (pk !== key) g.mergeEdge(pk, key);
      } else stack.push(...dag.inNeighbors(p));
    }
  }
  const cycle = findCycle(g);
  if (cycle) {
    throw new WeirError('WEIR_USAGE', `grouping by ${o.groupBy} makes the task graph cyclic: ${[...cycle, cycle[0]].join(' → ')}`, {
      hint: 'Nodes of one group depend on another group that depends back on it. Use --group-by node, or retag/move the nodes so groups follow the DAG.',
    });
  }
  const order = topologicalSort(g);
  const rank = new Map(order.map((k, i) => [k, i]));

  // 3. Tests: each runs in the task of its last parent, which waits for the other parents' tasks.
  const ownerOf = new Map<string, string>();
  for (const t of selectedTests) {
    const parentUnits = [...new Set((manifest.parents.get(t) ?? []).map((p) => unitOf.get(p)).filter((k): k is string => k !== undefined))];
    let owner: string;
    if (parentUnits.length === 0) {
      owner = `test.${node(t).name}`; // tests only of sources or unselected nodes: a task of their own
      if (!units.has(owner)) {
        units.set(owner, { nodes: [], tests: [] });
        g.addNode(owner);
        order.push(owner);
        rank.set(owner, order.length - 1);
      }
    } else {
      owner = parentUnits.reduce((a, b) => (rank.get(b)! > rank.get(a)! ? b : a));
      for (const pk of parentUnits) if (pk !== owner) g.mergeEdge(pk, owner);
    }
    ownerOf.set(t, owner);
    units.get(owner)!.tests.push(t);
  }

  // 4. Commands, checked against the selector.
  const taskIds = new Map<string, string>();
  const usedIds = new Set<string>();
  const usedVars = new Set<string>(['dag', 'default_args', 'WEIR_ENV', 'DAG', 'BashOperator', 'pendulum', 'timedelta', 'annotations']);
  const tasks: AirflowTask[] = [];
  for (const key of order) {
    const u = units.get(key)!;
    const taskId = uniqueName(sanitizeTaskId(key), usedIds, '_');
    taskIds.set(key, taskId);
    const variable = uniqueName(pyIdentifier(taskId.replace(/\./g, '__')), usedVars, '_');
    const args = commandArgs(manifest, u, key, ownerOf, o);
    checkSelection(manifest, dag, key, u, args);
    tasks.push({ taskId, variable, nodes: u.nodes, tests: u.tests, args, bashCommand: bashCommand(o.weirCommand, args), upstream: [] });
  }
  const withDeps = tasks.map((t, i) => ({ ...t, upstream: g.inNeighbors(order[i]).map((k) => taskIds.get(k)!).sort() }));
  return { python: renderPython(manifest, withDeps, o), tasks: withDeps };
}

/** The group a node's task belongs to. */
function unitKey(n: GraphNode, groupBy: AirflowGroupBy): string {
  if (groupBy === 'tag') return `tag.${n.tags[0] ?? 'untagged'}`;
  if (groupBy === 'folder') return `folder.${path.posix.dirname(n.path)}`;
  return `${n.resource_type}.${n.name}`;
}

/** Weir's arguments for one task. */
function commandArgs(manifest: Manifest, u: { nodes: string[]; tests: string[] }, key: string, ownerOf: ReadonlyMap<string, string>, o: AirflowDagOptions): string[] {
  const head = ['--project-dir', o.projectDir, '--target', `$${TARGET_ENV}`, '--lock-timeout', String(o.lockTimeoutSeconds)];
  if (u.nodes.length === 0) {
    return ['test', ...head, '--select', ...u.tests.map((t) => testSelector(manifest, t))];
  }
  const mine = new Set(u.nodes);
  // Tests eager selection would add to this task but that another task runs (or that were not selected).
  const excluded = [...manifest.nodes.values()]
    .filter((n) => n.resource_type === 'test' && ownerOf.get(n.unique_id) !== key && (manifest.parents.get(n.unique_id) ?? []).some((p) => mine.has(p)))
    .map((n) => testSelector(manifest, n.unique_id));
  return ['build', ...head, '--select', ...u.nodes.map((uid) => `path:${manifest.nodes.get(uid)!.path}`), ...(excluded.length ? ['--exclude', ...excluded] : [])];
}

/** An exact selector for one test: its resource type intersected with its name. */
function testSelector(manifest: Manifest, uid: string): string {
  return `resource_type:test,${manifest.nodes.get(uid)!.name}`;
}

/** Verifies that the command's selection is exactly the task's nodes and tests. @throws WeirError `WEIR_INTERNAL` */
function checkSelection(manifest: Manifest, dag: Dag, key: string, u: { nodes: string[]; tests: string[] }, args: readonly string[]): void {
  const sel = optionWords(args, '--select');
  const exc = optionWords(args, '--exclude');
  const types: GraphNode['resource_type'][] = args[0] === 'test' ? ['test'] : ['seed', 'model', 'test', ...(['snapshot'] as never[])];
  const got = new Set(selectNodes(manifest, dag, { select: sel, exclude: exc, resourceTypes: types, indirectTests: true }));
  const want = new Set([...u.nodes, ...u.tests]);
  for (const n of manifest.nodes.values()) if (isEphemeral(n)) got.delete(n.unique_id);
  const missing = [...want].filter((x) => !got.has(x));
  const extra = [...got].filter((x) => !want.has(x));
  if (missing.length || extra.length) {
    throw new WeirError('WEIR_INTERNAL', `airflow task '${key}': its command would select ${extra.length ? `extra nodes ${extra.join(', ')}` : ''}${extra.length && missing.length ? ' and ' : ''}${missing.length ? `not select ${missing.join(', ')}` : ''}`, {
      hint: 'Node names that are not unique per resource type or contain glob characters (* ?) cannot be selected exactly; rename them.',
    });
  }
}

function optionWords(args: readonly string[], flag: string): string[] {
  const i = args.indexOf(flag);
  if (i < 0) return [];
  const out: string[] = [];
  for (let j = i + 1; j < args.length && !args[j].startsWith('--'); j++) out.push(args[j]);
  return out;
}

/** The bash_command: every word shell-quoted except the target, which is read from the environment. */
function bashCommand(weir: readonly string[], args: readonly string[]): string {
  const words = [...weir, ...args].map((w) => (w === `$${TARGET_ENV}` ? `"$${TARGET_ENV}"` : shellQuote(w)));
  const cmd = words.join(' ');
  // Airflow reads a bash_command ending in .sh/.bash as a template file name.
  return /\.(sh|bash)$/.test(cmd) ? `${cmd} ` : cmd;
}

/** Airflow task ids: `[A-Za-z0-9_.-]`, at most 250 characters. */
function sanitizeTaskId(key: string): string {
  return key.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[._-]+/, '').slice(0, 240) || 'task';
}

function uniqueName(base: string, used: Set<string>, sep: string): string {
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}${sep}${i}`;
  used.add(name);
  return name;
}

const JINJA = /\{\{|\{%|\{#/;
const SAFE_NAME = /^[A-Za-z0-9_.-]+$/;

function validateOptions(o: AirflowDagOptions): void {
  const bad = (what: string, hint: string) => new WeirError('WEIR_USAGE', what, { hint });
  if (!SAFE_NAME.test(o.dagId) || o.dagId.length > 250) throw bad(`invalid --dag-id '${o.dagId}'`, 'Airflow DAG ids hold letters, digits, _ . - (at most 250 characters).');
  if (!SAFE_NAME.test(o.targetVariable)) throw bad(`invalid --target-variable '${o.targetVariable}'`, 'Use letters, digits, _ . - (e.g. weir_target).');
  if (!SAFE_NAME.test(o.defaultTarget)) throw bad(`target name '${o.defaultTarget}' can't be written into the DAG`, 'Use a target name of letters, digits, _ . -.');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.startDate) || Number.isNaN(Date.parse(`${o.startDate}T00:00:00Z`))) throw bad(`invalid --start-date '${o.startDate}'`, 'Write it as YYYY-MM-DD.');
  if (o.schedule !== null && !/^@(once|hourly|daily|weekly|monthly|quarterly|yearly|annually|midnight|continuous)$/.test(o.schedule) && !/^\S+(\s+\S+){4}$/.test(o.schedule.trim())) {
    throw bad(`invalid --schedule '${o.schedule}'`, "Give a cron expression of 5 fields ('0 3 * * *'), a preset (@daily, @hourly) or none.");
  }
  if (o.schedule !== null && !/^[0-9A-Za-z@*/,?#\s-]+$/.test(o.schedule)) throw bad(`invalid --schedule '${o.schedule}'`, 'A cron expression holds digits, letters, * / , - ? # only.');
  if (!Number.isInteger(o.retries) || o.retries < 0) throw bad('--retries must be a whole number ≥ 0', 'e.g. --retries 2');
  if (!Number.isFinite(o.retryDelaySeconds) || o.retryDelaySeconds < 0) throw bad('--retry-delay must be seconds ≥ 0', 'e.g. --retry-delay 300');
  if (!Number.isFinite(o.lockTimeoutSeconds) || o.lockTimeoutSeconds < 0) throw bad('--lock-timeout must be seconds ≥ 0', 'e.g. --lock-timeout 3600');
  if (o.maxActiveTasks !== undefined && (!Number.isInteger(o.maxActiveTasks) || o.maxActiveTasks < 1)) throw bad('--max-active-tasks must be a positive whole number', 'e.g. --max-active-tasks 1 for DuckDB');
  if (o.weirCommand.length === 0) throw bad('--weir-command is empty', "e.g. --weir-command 'npx weir'");
  for (const w of [o.projectDir, ...o.weirCommand]) {
    // bash_command is a Jinja template in Airflow: text that looks like Jinja would be rendered.
    if (JINJA.test(w)) throw bad(`'${w}' contains Jinja markup ({{, {% or {#), which Airflow would render in bash_command`, 'Use a path/command without those character pairs.');
  }
}

function renderPython(manifest: Manifest, tasks: readonly AirflowTask[], o: AirflowDagOptions): string {
  const [y, m, d] = o.startDate.split('-').map(Number);
  const jinjaTarget = `{{ var.value.get(${pyStr(o.targetVariable)}, ${pyStr(o.defaultTarget)}) }}`;
  const doc = [
    `Airflow DAG generated by Weir for project '${manifest.projectName}'.`,
    '',
    `Generated by: ${o.generatedBy ?? 'weir airflow-dag'}`,
    'Do not edit by hand: regenerate it after changing the project.',
    `${tasks.length} task${tasks.length === 1 ? '' : 's'}; each runs \`weir build\` for its nodes (and their tests).`,
    `The target comes from the Airflow Variable '${o.targetVariable}' (default '${o.defaultTarget}').`,
    'Requires Airflow >= 2.4 and Weir installed on the workers.',
  ].join('\n');
  const L: string[] = [];
  // A comment header (no string literal to escape): control characters can't end a comment line early.
  for (const line of doc.split('\n')) L.push(`#${line ? ' ' : ''}${line.replace(/[\u0000-\u001f\u007f\u2028\u2029\u0085]/g, ' ')}`);
  L.push('');
  L.push('from __future__ import annotations', '', 'from datetime import timedelta', '', 'import pendulum', 'from airflow import DAG', 'from airflow.operators.bash import BashOperator', '');
  L.push(`# The target name, read by Airflow from a Variable when the task runs and passed in the environment.`);
  L.push(`WEIR_ENV = {${pyStr(TARGET_ENV)}: ${pyStr(jinjaTarget)}}`, '');
  L.push('default_args = {');
  L.push(`    'owner': 'weir',`);
  L.push(`    'retries': ${o.retries},`);
  L.push(`    'retry_delay': timedelta(seconds=${o.retryDelaySeconds}),`);
  L.push('}', '');
  L.push('with DAG(');
  L.push(`    dag_id=${pyStr(o.dagId)},`);
  L.push(`    schedule=${o.schedule === null ? 'None' : pyStr(o.schedule)},`);
  L.push(`    start_date=pendulum.datetime(${y}, ${m}, ${d}, tz='UTC'),`);
  L.push('    catchup=False,');
  L.push('    max_active_runs=1,');
  if (o.maxActiveTasks !== undefined) L.push(`    max_active_tasks=${o.maxActiveTasks},`);
  L.push('    default_args=default_args,');
  L.push(`    tags=${pyLiteral(['weir', manifest.projectName])},`);
  L.push(') as dag:');
  if (tasks.length === 0) L.push('    pass');
  for (const t of tasks) {
    L.push(`    ${t.variable} = BashOperator(`);
    L.push(`        task_id=${pyStr(t.taskId)},`);
    L.push(`        bash_command=${pyStr(t.bashCommand)},`);
    L.push('        env=WEIR_ENV,');
    L.push('        append_env=True,');
    L.push('    )');
  }
  const byId = new Map(tasks.map((t) => [t.taskId, t.variable]));
  const downstream = new Map<string, string[]>();
  for (const t of tasks) for (const up of t.upstream) (downstream.get(up) ?? downstream.set(up, []).get(up)!).push(t.variable);
  if (downstream.size) L.push('');
  for (const t of tasks) {
    const ds = downstream.get(t.taskId);
    if (!ds) continue;
    L.push(`    ${byId.get(t.taskId)} >> ${ds.length === 1 ? ds[0] : `[${ds.join(', ')}]`}`);
  }
  return `${L.join('\n')}\n`;
}
