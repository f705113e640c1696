/**
 * `weir codegen kysely`: writes TypeScript types of the project's output relations (see codegen/kysely.ts).
 */
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { WeirProject } from '../api/project.js';
import { WeirError } from '../errors/weir-error.js';
import { now, type Reporter } from '../events/events.js';

const list = (v: unknown): string[] | undefined => {
  if (v === undefined) return undefined;
  const arr = (Array.isArray(v) ? v : [v]).map(String).filter(Boolean);
  return arr.length ? arr : undefined;
};

/**
 * The yargs command module.
 * @param load loads the project from the parsed global options
 * @param print writes to stdout (the types go there without `--out`)
 * @param reporter the command's reporter (created by `load`)
 * @param cwd directory `--out` is relative to
 */
export function codegenCommand(load: (a: never) => Promise<WeirProject>, print: (s: string) => void, reporter: () => Reporter, cwd: string = process.cwd()): CommandModule {
  return {
    command: 'codegen <generator>',
    describe: 'generate code from the built warehouse: `kysely` = TypeScript types of every model, seed and snapshot relation',
    builder: (y: Argv) => y
      .positional('generator', { choices: ['kysely'] as const, describe: 'what to generate' })
      .option('out', { alias: 'o', type: 'string', describe: 'file to write, e.g. src/db-types.ts (default: stdout)' })
      .option('select', { alias: ['s'], type: 'string', array: true, describe: 'relations to cover (default: all models, seeds and snapshots)' })
      .option('exclude', { type: 'string', array: true }),
    handler: async (a: Record<string, unknown>) => {
      const project = await load(a as never);
      const uids = project.select('ls', { select: list(a.select), exclude: list(a.exclude), resourceTypes: ['model', 'seed', ...(['snapshot'] as never[])] });
      const adapter = await project.openReadAdapter({
        onReadCopy: (c) => reporter().emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', message: `a Weir run holds the database: reading columns from the copy published at ${c.publishedAt.toISOString()}` }),
      });
      let text: string;
      let count: number;
      try {
        const conn = await adapter.connect();
        const { collectRelations, renderKyselyTypes } = await import('../codegen/kysely.js');
        const { relations, missing } = await collectRelations(project.manifest, project.renderer(), adapter, conn, uids);
        await conn.close();
        if (missing.length) {
          reporter().emit({
            code: 'WEIR_WARNING', ts: now(), level: 'warn',
            message: `${missing.length} relation${missing.length === 1 ? ' is' : 's are'} not built yet and left out: ${missing.map((u) => project.manifest.nodes.get(u)!.name).join(', ')} (run \`weir build\` first)`,
          });
        }
        if (relations.length === 0) {
          throw new WeirError('WEIR_USAGE', `no built relations to generate types for on target '${project.targetInfo.name}'`, { hint: 'Run `weir build` first, then `weir codegen kysely`.' });
        }
        text = renderKyselyTypes(relations, { projectName: project.manifest.projectName, targetName: project.targetInfo.name, adapterType: project.targetInfo.type });
        count = relations.length;
      } finally {
        await adapter.close();
      }
      if (a.out === undefined) {
        print(text);
        return;
      }
      const out = path.resolve(cwd, String(a.out));
      (await import('./out-file.js')).writeOutFile(out, text);
      reporter().emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `wrote ${out}: types for ${count} relation${count === 1 ? '' : 's'}` });
    },
  };
}
