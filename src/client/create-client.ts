/**
 * `createClient(target)`: a Kysely instance on a Weir project's target, so an application queries the
 * warehouse with typed SQL (types from `weir codegen kysely`).
 *
 * @example
 * import { createClient } from 'weir';
 * import type { DB } from './db-types.js';
 * const db = await createClient<DB>({ projectDir: '/srv/warehouse', target: 'prod' });
 * const top = await db.selectFrom('main_marts.customer_rfm').select(['customer_id', 'rfm_segment']).limit(10).execute();
 * await db.destroy();
 */
import { Kysely } from 'kysely';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { createKyselyDialect } from '../adapters/registry.js';
import { loadProjectFiles } from '../parser/load-files.js';
import { parseYamlFile } from '../loader/yaml-file.js';

/** Options of {@link createClient}. */
export interface CreateClientOptions {
  /** Project directory (default: cwd). */
  readonly projectDir?: string;
  /** Target name (default: the project's default target). */
  readonly target?: string;
  /** Environment for `{{env}}` in project.yaml (default: process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * DuckDB only: `auto` (default) reads the copy published after the last run when there is one (so the
   * application never blocks a run and never sees a half-built table), else the database read-only;
   * `main` the database file (read-only); `read-copy` the published copy only.
   */
  readonly source?: 'auto' | 'main' | 'read-copy';
}

/**
 * Creates a Kysely instance for a target of a Weir project. DuckDB keeps one embedded connection per
 * instance; Snowflake and Trino one connection through Weir's adapters (same authentication and settings
 * as `weir run`). Call `db.destroy()` when done.
 * @param target a target name, or options
 * @throws WeirError `WEIR_PROJECT_NOT_FOUND`, `WEIR_TARGET_UNKNOWN`, `WEIR_TARGET_INVALID` (the connection
 *   itself opens on the first query, which may then throw `WEIR_DB_OPEN_FAILED`)
 */
export async function createClient<DB>(target?: string | CreateClientOptions): Promise<Kysely<DB>> {
  const o: CreateClientOptions = typeof target === 'string' ? { target } : (target ?? {});
  const files = loadProjectFiles({ projectDir: o.projectDir, target: o.target, env: o.env, partialParse: false });
  const src = {
    file: files.configFile, targetName: files.targetName,
    locate: (p: (string | number)[]) => parseYamlFile(readFileSync(path.join(files.root, files.configFile), 'utf8'), files.configFile).locate(p),
  };
  const dialect = await createKyselyDialect(files.target as { type: string } & Record<string, unknown>, src, files.root, { source: o.source });
  return new Kysely<DB>({ dialect });
}
