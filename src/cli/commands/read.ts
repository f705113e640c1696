/**
 * Handlers of the commands that read the target and print: `show`, `query`, `diff` and `debug`.
 */
import { WeirError } from '../../errors/weir-error.js';
import type { CliContext, CliIO, CommandArgs, GlobalArgs } from '../context.js';
import type { ResultFormat } from '../output.js';

/** The width tables are fitted to: the terminal's columns, else `COLUMNS` from the environment, else none. */
function terminalWidth(io: CliIO): number | undefined {
  const tty = io.stdout as { isTTY?: boolean; columns?: number };
  if (tty.isTTY && tty.columns) return tty.columns;
  const env = Number((io.env ?? process.env).COLUMNS);
  return Number.isInteger(env) && env > 0 ? env : undefined;
}

/** Tells (on stderr, so piped results stay clean) that a read used the published read copy, or a restored database. */
function readNotice(io: CliIO) {
  return {
    onReadCopy: (c: { path: string; publishedAt: Date }) =>
      io.stderr.write(`note: a Weir run holds the database; reading the copy published at ${c.publishedAt.toISOString()} (${c.path})\n`),
    onRecovered: (message: string) => io.stderr.write(`warning: ${message}\n`),
  };
}

/** `weir show --select NAME`: a model's rows (`--limit`, `--format table|csv|json`). */
export async function showHandler(ctx: CliContext, a: CommandArgs): Promise<void> {
  const project = await ctx.load(a as unknown as GlobalArgs);
  const { formatResult } = await import('../output.js');
  const format = a.format as ResultFormat;
  ctx.print(formatResult(await project.show(String(a.select), a.limit as number, { ...readNotice(ctx.io), display: format === 'json' ? 'json' : 'text' }), format, { width: terminalWidth(ctx.io) }));
}

/** `weir query SQL`: the result of templated SQL (`--limit`, `--format table|csv|json`). */
export async function queryHandler(ctx: CliContext, a: CommandArgs): Promise<void> {
  const project = await ctx.load(a as unknown as GlobalArgs);
  const { formatResult } = await import('../output.js');
  const format = a.format as ResultFormat;
  ctx.print(formatResult(await project.query(String(a.sql), a.limit as number | undefined, { ...readNotice(ctx.io), display: format === 'json' ? 'json' : 'text' }), format, { width: terminalWidth(ctx.io) }));
}

/**
 * `weir diff --select MODEL --against TARGET|DIR`: the rows that differ, as text or JSON.
 * @throws WeirError `WEIR_USAGE` for `--sample` that is not an integer ≥ 0
 */
export async function diffHandler(ctx: CliContext, a: CommandArgs): Promise<void> {
  const project = await ctx.load(a as unknown as GlobalArgs);
  if (!Number.isInteger(a.sample) || (a.sample as number) < 0) throw new WeirError('WEIR_USAGE', '--sample must be an integer ≥ 0');
  const key = typeof a.key === 'string' ? a.key.split(',').map((k) => k.trim()).filter(Boolean) : undefined;
  const { diffModel, formatDiff } = await import('../../api/diff.js');
  const d = await diffModel(project, { select: String(a.select), against: String(a.against), key, sample: a.sample as number, cwd: ctx.io.cwd });
  ctx.print(a.format === 'json' ? `${JSON.stringify({ model: String(a.select), ...d }, null, 2)}\n` : formatDiff(String(a.select), d));
}

/** `weir debug`: the configuration and a connection check, one `key: value` line each (or JSON). */
export async function debugHandler(ctx: CliContext, a: CommandArgs): Promise<void> {
  const project = await ctx.load(a as unknown as GlobalArgs);
  const facts = await project.debug();
  if ((a as unknown as GlobalArgs)['log-format'] === 'json') ctx.print(`${JSON.stringify(facts)}\n`);
  else for (const [k, v] of Object.entries(facts)) ctx.print(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}\n`);
}
