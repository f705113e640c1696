/**
 * Handlers of the commands that work on the project's files, without running nodes: `compile`, `ls`,
 * `parse` and `clean`.
 */
import path from 'node:path';
import { WeirError } from '../../errors/weir-error.js';
import { now } from '../../events/events.js';
import { list, selectionArgs, selectorArgs, stateDir } from '../args.js';
import type { CliContext, CommandArgs, GlobalArgs } from '../context.js';
import { reportError } from '../report-error.js';

/** `weir compile`: exit 1 when a node failed to compile. */
export async function compileHandler(ctx: CliContext, a: CommandArgs): Promise<void> {
  const sel = selectionArgs(ctx.io, a);
  // Formatting is opt-in: on large projects sql-formatter took most of compile's time.
  const format = a.format === true || a.print === true;
  const summary = (n: number, targetPath: string, failed: number, unchanged = false) => ctx.reporter().emit({
    code: 'WEIR_MESSAGE', ts: now(), level: 'info',
    message: `compiled ${n} node${n === 1 ? '' : 's'} to ${targetPath}/compiled${failed ? `, ${failed} failed` : ''}${unchanged ? ' (no input changed since the last compile: its outputs are kept; --no-partial-parse compiles everything)' : ''}`,
  });
  if (!a.print && !a.defer) {
    // Nothing changed since the last compile (api/compile-record.ts): its outputs stand.
    const args = { ...sel, format };
    const loaded = await ctx.loadForCompile(a as unknown as GlobalArgs, args);
    if ('unchanged' in loaded) {
      summary(loaded.compiledCount, loaded.targetPath, 0, true);
      return ctx.setExitCode(0);
    }
    const { compiled, errors } = loaded.compile(args);
    for (const e of errors) reportError(e, ctx.reporter());
    summary(compiled.size, loaded.files.config['target-path'], errors.length);
    return ctx.setExitCode(errors.length ? 1 : 0);
  }
  const project = await ctx.load(a as unknown as GlobalArgs);
  const reporter = ctx.reporter();
  const relationOverrides = a.defer ? await project.deferOverrides('compile', { ...sel, favorState: a['favor-state'] as boolean }) : undefined;
  const { compiled, errors } = project.compile({ ...sel, relationOverrides, format });
  if (a.print) for (const c of compiled.values()) ctx.print(`-- ${c.unique_id}\n${c.compiled_code}\n\n`);
  for (const e of errors) reportError(e, reporter);
  if (!a.print) summary(compiled.size, project.files.config['target-path'], errors.length);
  ctx.setExitCode(errors.length ? 1 : 0);
}

/**
 * `weir ls`: one line per node (and UDF) as `--output` says.
 * @throws WeirError `WEIR_USAGE` for `--output-keys` without `--output json`, or an unknown key
 */
export async function lsHandler(ctx: CliContext, a: CommandArgs): Promise<void> {
  const project = await ctx.load(a as unknown as GlobalArgs);
  const print = ctx.print;
  const types = a['resource-type'] as string[] | undefined;
  // UDFs are not graph nodes: list them when asked for, or when listing everything unfiltered.
  const listUdfs = types ? types.includes('udf') : !list(a.select) && !list(a.exclude);
  if (listUdfs) {
    for (const { source: _source, ...u } of project.udfManifest()) {
      const selector = `${project.manifest.projectName}.${u.name}`;
      if (a.output === 'json') print(`${JSON.stringify({ unique_id: `function.${selector}`, resource_type: 'function', ...u })}\n`);
      else if (a.output === 'path') print(`${u.path}\n`);
      else if (a.output === 'name') print(`${u.name}\n`);
      else print(`${selector}  ${u.signature}\n`);
    }
    if (types && types.every((t) => t === 'udf')) return;
  }
  const nodeTypes = types?.filter((t) => t !== 'udf');
  const uids = project.select('ls', { select: list(a.select), exclude: list(a.exclude), resourceTypes: nodeTypes as never, state: stateDir(ctx.io, a), ...selectorArgs(a) });
  const { lsJson, LS_JSON_KEYS } = await import('../ls-json.js');
  const keys = list(a['output-keys'])?.flatMap((k) => k.split(/[\s,]+/)).filter(Boolean);
  if (keys && a.output !== 'json') throw new WeirError('WEIR_USAGE', '--output-keys needs --output json');
  for (const k of keys ?? []) {
    if (!LS_JSON_KEYS.includes(k)) throw new WeirError('WEIR_USAGE', `--output-keys: unknown key '${k}'`, { hint: `Keys: ${LS_JSON_KEYS.join(', ')}.` });
  }
  const renderer = a.output === 'json' ? project.renderer() : undefined;
  for (const uid of uids) {
    const n = project.manifest.nodes.get(uid)!;
    if (a.output === 'json') {
      const entry = lsJson(project.manifest, n, renderer!.relationOf(n));
      print(`${JSON.stringify(keys ? Object.fromEntries(keys.map((k) => [k, entry[k]])) : entry)}\n`);
    } else if (a.output === 'path') print(`${n.path}\n`);
    else if (a.output === 'name') print(`${n.name}\n`);
    else print(`${n.fqn.join('.')}\n`);
  }
}

/** `weir parse`: writes manifest.json. */
export async function parseHandler(ctx: CliContext, a: CommandArgs): Promise<void> {
  const project = await ctx.load(a as unknown as GlobalArgs);
  const file = project.writeManifest();
  ctx.reporter().emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `parsed ${project.manifest.nodes.size} nodes and ${project.manifest.macros.length} macros; wrote ${path.relative(project.files.root, file)}` });
}

/** `weir clean`: deletes the target directory's artifacts (database files and the run lock stay). */
export async function cleanHandler(ctx: CliContext, a: CommandArgs): Promise<void> {
  const project = await ctx.load(a as unknown as GlobalArgs);
  const { cleanTargetDir } = await import('../../api/clean.js');
  const r = cleanTargetDir(project.targetDir);
  const rel = path.relative(project.files.root, project.targetDir) || '.';
  ctx.reporter().emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `removed ${r.removed.length} entr${r.removed.length === 1 ? 'y' : 'ies'} from ${rel}${r.kept.length ? `; kept ${r.kept.join(', ')} (database files and the run lock)` : ''}` });
}
