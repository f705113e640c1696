/**
 * Handlers of `run-operation`, `source freshness`, `init` and `import-dbt`.
 */
import path from 'node:path';
import { now } from '../../events/events.js';
import { selectionArgs } from '../args.js';
import type { CliContext, CommandArgs, GlobalArgs } from '../context.js';

/** `weir run-operation MACRO --args ...`: renders the macro and runs its SQL; prints rows it returned. */
export async function runOperationHandler(ctx: CliContext, a: CommandArgs): Promise<void> {
  const { parseOperationArgs, runOperation } = await import('../../api/operation.js');
  const macroArgs = parseOperationArgs(a.args as string | undefined);
  const project = await ctx.load(a as unknown as GlobalArgs);
  const r = await runOperation(project, String(a.macro), macroArgs, a['lock-timeout'] as number);
  const n = r.result?.rows.length ?? 0;
  ctx.reporter().emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: r.sql ? `run-operation ${r.macro}: OK${n ? ` (${n} row${n === 1 ? '' : 's'})` : ''}` : `run-operation ${r.macro}: the macro rendered no SQL; nothing was run` });
  if (n && r.result?.columns.length && (a as unknown as GlobalArgs)['log-format'] !== 'json') ctx.print((await import('../output.js')).formatResult(r.result, 'table'));
}

/** `weir source freshness`: exit 1 when a source is `error` or `runtime error`. */
export async function sourceHandler(ctx: CliContext, a: CommandArgs): Promise<void> {
  const project = await ctx.load(a as unknown as GlobalArgs);
  const { sourceFreshness } = await import('../../api/freshness.js');
  const summary = await sourceFreshness(project, { ...selectionArgs(ctx.io, a), output: a.output as string | undefined, reporter: ctx.reporter() });
  ctx.setExitCode(summary.success ? 0 : 1);
}

/** `weir init NAME`: a starter project, and what to run next. */
export async function initHandler(ctx: CliContext, a: CommandArgs): Promise<void> {
  const cwd = ctx.io.cwd ?? process.cwd();
  const { initProject } = await import('../../api/init.js');
  const r = initProject(String(a.name), cwd, { force: a.force as boolean });
  const rel = path.relative(cwd, r.dir) || '.';
  ctx.print(`Created project '${r.name}' in ${rel} (${r.files.length} files${r.kept.length ? `; kept existing ${r.kept.join(', ')}` : ''}).\n`);
  ctx.print(`Next:\n  cd ${rel}\n  npx weir build\n`);
}

/** `weir import-dbt DIR --out NEW_DIR`: exit 1 when something was left unconverted (listed as warnings). */
export async function importDbtHandler(ctx: CliContext, a: CommandArgs): Promise<void> {
  const cwd = ctx.io.cwd ?? process.cwd();
  const rep = await ctx.makeReporter(a as unknown as GlobalArgs);
  const { importDbtProject } = await import('../../importers/dbt/import-project.js');
  const out = path.resolve(cwd, String(a.out));
  const r = await importDbtProject(path.resolve(cwd, String(a['dbt-dir'])), out);
  for (const n of r.notes) rep.emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `note: ${n}` });
  for (const p of r.problems) rep.emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', file: p.file, line: p.line, message: `${p.file}:${p.line}: not converted: ${p.why}` });
  rep.emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `wrote ${r.files.length} files to ${path.relative(cwd, out) || '.'}; ${r.problems.length ? `${r.problems.length} part${r.problems.length === 1 ? '' : 's'} left unconverted (listed above)` : 'everything converted'}` });
  ctx.setExitCode(r.problems.length ? 1 : 0);
}
