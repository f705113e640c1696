/**
 * `weir clean`: empties the target directory of what Weir can regenerate (manifest.json, run_results.json,
 * catalog.json, sources.json, lineage.json, partial_parse.json, compiled/, docs/, ...), as dbt's `clean`
 * deletes its target path. Unlike dbt's, Weir's target directory usually holds the DuckDB warehouse itself
 * (`target/weir.duckdb`), so database files (`*.duckdb`, their `.wal`, read copies, files kept aside as
 * `.corrupt-*`) and the run lock (`weir.lock`, which may belong to a running build) are kept.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

/** What {@link cleanTargetDir} did (entry names in the target directory). */
export interface CleanResult {
  readonly removed: readonly string[];
  readonly kept: readonly string[];
}

const KEEP = [/\.duckdb$/, /\.duckdb\.wal$/, /\.duckdb\.corrupt-/, /\.wal\.corrupt-/, /^weir\.lock$/, /\.db$/];

/** Removes the regenerable entries of `dir` (absolute). A missing directory is nothing to clean. */
export function cleanTargetDir(dir: string): CleanResult {
  if (!existsSync(dir)) return { removed: [], kept: [] };
  const removed: string[] = [];
  const kept: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (KEEP.some((k) => k.test(name))) {
      kept.push(name);
      continue;
    }
    rmSync(path.join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return { removed, kept };
}
