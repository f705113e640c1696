/**
 * `weir airflow-dag`: the CLI side of {@link generateAirflowDag} — options, defaults, and writing the file.
 */
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { WeirProject } from '../api/project.js';
import { now, type Reporter } from '../events/events.js';
import type { AirflowGroupBy } from '../orchestration/airflow.js';

const list = (v: unknown): string[] | undefined => {
  if (v === undefined) return undefined;
  const arr = (Array.isArray(v) ? v : [v]).map(String).filter(Boolean);
  return arr.length ? arr : undefined;
};

/**
 * The yargs command module.
 * @param load loads the project from the parsed global options
 * @param print writes to stdout (the DAG goes there without `--out`)
 * @param reporter the command's reporter (created by `load`)
 * @param cwd directory `--out` is relative to
 */
export function airflowDagCommand(
  load: (a: never) => Promise<WeirProject>,
  print: (s: string) => void,
  reporter: () => Reporter,
  cwd: string = process.cwd(),
): CommandModule {
  return {
    command: 'airflow-dag',
    describe: 'generate an Airflow DAG file: one task per model/seed/snapshot (or group) running `weir build`',
    builder: (y: Argv) => y
      .option('select', { alias: ['s'], type: 'string', array: true, describe: 'nodes to schedule (default: all)' })
      .option('exclude', { type: 'string', array: true, describe: 'nodes to leave out' })
      .option('out', { alias: 'o', type: 'string', describe: 'file to write, e.g. dags/weir_dag.py (default: stdout)' })
      .option('group-by', { choices: ['node', 'tag', 'folder'] as const, default: 'node' as const, describe: 'one task per node, per first tag, or per folder' })
      .option('dag-id', { type: 'string', describe: 'Airflow dag_id (default: weir_<project>, or the project name when it starts with weir)' })
      .option('schedule', { type: 'string', default: '@daily', describe: "cron expression or preset ('0 3 * * *', @hourly), or none" })
      .option('start-date', { type: 'string', default: '2024-01-01', describe: 'start_date, YYYY-MM-DD (UTC); catchup is off' })
      .option('retries', { type: 'number', default: 2, describe: 'retries per task' })
      .option('retry-delay', { type: 'number', default: 300, describe: 'seconds between retries' })
      .option('dag-project-dir', { type: 'string', describe: 'the project directory on the Airflow workers (default: this project\'s absolute path)' })
      .option('weir-command', { type: 'string', default: 'npx weir', describe: 'how workers run Weir (words separated by spaces)' })
      .option('target-variable', { type: 'string', default: 'weir_target', describe: 'Airflow Variable holding the target name' })
      .option('default-target', { type: 'string', describe: 'target when the Variable is unset (default: the project\'s default target)' })
      .option('task-lock-timeout', { type: 'number', default: 3600, describe: 'each task\'s --lock-timeout: seconds to wait for another Weir run' })
      .option('max-active-tasks', { type: 'number', describe: 'max_active_tasks of the DAG (1 suits DuckDB: one writer)' })
      .option('cosmos', { type: 'boolean', default: false, describe: 'a DAG for astronomer-cosmos (manifest load mode) running Weir as the dbt executable' })
      .option('weir-executable', { type: 'string', describe: 'with --cosmos: absolute path of weir on the workers (default: <dag-project-dir>/node_modules/.bin/weir)' }),
    handler: async (a: Record<string, unknown>) => {
      const project = await load(a as never);
      const selected = project.select('build', { select: list(a.select), exclude: list(a.exclude) });
      const schedule = String(a.schedule);
      const out = a.out === undefined ? undefined : path.resolve(cwd, String(a.out));
      if (a.cosmos) {
        const projectDir = a['dag-project-dir'] === undefined ? project.files.root : String(a['dag-project-dir']);
        const { generateCosmosDag } = await import('../orchestration/cosmos.js');
        const python = generateCosmosDag({
          dagId: a['dag-id'] === undefined ? (project.manifest.projectName.startsWith('weir') ? project.manifest.projectName : `weir_${project.manifest.projectName}`) : String(a['dag-id']),
          schedule: /^none$/i.test(schedule) ? null : schedule, startDate: String(a['start-date']),
          retries: a.retries as number, retryDelaySeconds: a['retry-delay'] as number, projectDir,
          manifestPath: `${project.files.config['target-path'] ?? 'target'}/manifest.json`,
          weirExecutable: a['weir-executable'] === undefined ? path.posix.join(projectDir.split(path.sep).join('/'), 'node_modules/.bin/weir') : String(a['weir-executable']),
          profileName: project.manifest.projectName,
          targetName: a['default-target'] === undefined ? project.targetInfo.name : String(a['default-target']),
          select: list(a.select) ?? [], exclude: list(a.exclude) ?? [],
          generatedBy: ['weir airflow-dag --cosmos', ...(list(a.select) ? ['--select', ...list(a.select)!] : [])].join(' '),
        });
        if (!out) print(python);
        else {
          (await import('./out-file.js')).writeOutFile(out, python);
          reporter().emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `wrote ${out}: a cosmos DbtDag over ${selected.length} node${selected.length === 1 ? '' : 's'} (cosmos reads ${project.files.config['target-path'] ?? 'target'}/manifest.json: run weir compile before deploying)` });
        }
        return;
      }
      const { generateAirflowDag } = await import('../orchestration/airflow.js');
      const dag = generateAirflowDag(project.manifest, project.dag, selected, {
        dagId: a['dag-id'] === undefined ? (project.manifest.projectName.startsWith('weir') ? project.manifest.projectName : `weir_${project.manifest.projectName}`) : String(a['dag-id']),
        schedule: /^none$/i.test(schedule) ? null : schedule,
        startDate: String(a['start-date']),
        groupBy: a['group-by'] as AirflowGroupBy,
        retries: a.retries as number,
        retryDelaySeconds: a['retry-delay'] as number,
        projectDir: a['dag-project-dir'] === undefined ? project.files.root : String(a['dag-project-dir']),
        weirCommand: String(a['weir-command']).split(/\s+/).filter(Boolean),
        targetVariable: String(a['target-variable']),
        defaultTarget: a['default-target'] === undefined ? project.targetInfo.name : String(a['default-target']),
        lockTimeoutSeconds: a['task-lock-timeout'] as number,
        maxActiveTasks: a['max-active-tasks'] as number | undefined,
        generatedBy: ['weir airflow-dag', ...(list(a.select) ? ['--select', ...list(a.select)!] : []), ...(list(a.exclude) ? ['--exclude', ...list(a.exclude)!] : []), ...(a['group-by'] !== 'node' ? ['--group-by', String(a['group-by'])] : [])].join(' '),
      });
      if (!out) {
        print(dag.python);
        return;
      }
      (await import('./out-file.js')).writeOutFile(out, dag.python);
      const edges = dag.tasks.reduce((n, t) => n + t.upstream.length, 0);
      reporter().emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `wrote ${out}: ${dag.tasks.length} task${dag.tasks.length === 1 ? '' : 's'}, ${edges} dependenc${edges === 1 ? 'y' : 'ies'}` });
    },
  };
}
