/**
 * `weir docs generate` and `weir docs serve --port N` (dbt's `docs generate` / `docs serve`).
 */
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { WeirProject } from '../api/project.js';
import { WeirError } from '../errors/weir-error.js';
import { now, type Reporter } from '../events/events.js';

/** What the docs commands need from the CLI. */
export interface DocsCommandContext {
  load(args: Record<string, unknown>): Promise<WeirProject>;
  reporter(): Reporter;
  /** Resolves when the server should stop (Ctrl-C); injectable for tests. */
  waitForStop?: () => Promise<void>;
  setExitCode(code: number): void;
}

const stopSignal = () => new Promise<void>((resolve) => {
  const stop = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    resolve();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
});

/** The `docs` command with its two subcommands. */
export function docsCommand(ctx: DocsCommandContext): CommandModule {
  return {
    command: 'docs <action>',
    describe: 'generate the docs site (catalog.json, lineage.json, target/docs) or serve it',
    builder: (y: Argv) => y
      .positional('action', { choices: ['generate', 'serve'] as const, describe: 'generate: write catalog, lineage and site; serve: serve target/docs on 127.0.0.1' })
      .option('port', { type: 'number', default: 8080, describe: 'serve: TCP port on 127.0.0.1' }),
    handler: async (a: Record<string, unknown>) => {
      const project = await ctx.load(a);
      const info = (message: string) => ctx.reporter().emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message });
      const rel = (p: string) => path.relative(project.files.root, p) || '.';
      if (a.action === 'generate') {
        const r = await project.generateDocs();
        for (const e of r.compileErrors) ctx.reporter().emit({ code: 'WEIR_ERROR', ts: now(), level: 'error', message: e.format(), error_code: e.code, file: e.location?.file, line: e.location?.line });
        for (const e of r.catalog.errors) ctx.reporter().emit({ code: 'WEIR_WARNING', ts: now(), level: 'warn', message: `catalog: ${e.message}`, node_id: e.unique_id });
        const tables = Object.keys(r.catalog.nodes).length + Object.keys(r.catalog.sources).length;
        const models = Object.values(r.lineage.nodes);
        const cols = models.reduce((s, m) => s + Object.keys(m.columns).length, 0);
        const unresolved = models.reduce((s, m) => s + m.unresolved.length + Object.values(m.columns).filter((c) => c.unresolved.length).length, 0);
        info(`catalog: ${tables} relations (${r.catalog.errors.length} not built) → ${rel(r.catalogPath)}`);
        info(`lineage: ${cols} columns of ${models.length} models, ${unresolved} unresolved → ${rel(r.lineagePath)}`);
        info(`site: ${r.site.nodes.length} pages → ${rel(r.indexPath)} (open it, or run weir docs serve)`);
        ctx.setExitCode(r.compileErrors.length ? 1 : 0);
        return;
      }
      const port = a.port as number;
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new WeirError('WEIR_USAGE', '--port must be an integer from 0 to 65535');
      const { serveDocs } = await import('../docs/serve.js');
      const server = await serveDocs(path.join(project.targetDir, 'docs'), port);
      info(`serving ${rel(path.join(project.targetDir, 'docs'))} at ${server.url} (127.0.0.1 only; Ctrl-C to stop)`);
      await (ctx.waitForStop ?? stopSignal)();
      await server.close();
    },
  };
}
