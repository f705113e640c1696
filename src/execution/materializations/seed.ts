/**
 * The `seed` materialization: a seed's file (CSV, Parquet, JSON, NDJSON, Excel) loaded into its table
 * (execution/materializations/seed-files.ts).
 */
import type { SeedNode } from '../../manifest/types.js';
import type { Strategy } from './strategy.js';

/** Loads the seed; `--empty` deletes its rows after loading (their column types still come from the file). */
export const seedStrategy: Strategy<SeedNode> = {
  relation: 'table', auditable: false, tableOptions: false, reusable: true,
  async build({ ctx, conn, node, relation }) {
    const { adapter } = ctx;
    // Loaded with the first seed: runs without seeds never load the file readers (csv-parse, csv-stringify).
    const { loadSeedFile } = await import('./seed-files.js');
    let rows = await loadSeedFile(adapter, conn, node, relation!, ctx.targetDir);
    let message = `INSERT ${rows}`;
    if (ctx.empty) {
      await conn.execute(`delete from ${adapter.dialect.relation(relation!)}`);
      message = `INSERT 0 (--empty: ${rows} rows loaded for their types, then deleted)`;
      rows = 0;
    }
    return { rowsAffected: rows, message };
  },
};
