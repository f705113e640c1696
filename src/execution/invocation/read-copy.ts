/**
 * Publishing the read copy at the end of a run (engines that offer one: DuckDB), so readers (`weir query`,
 * `weir show`, the docs catalog) see the finished run while the next one holds the database.
 */
import type { Adapter } from '../../adapters/adapter.js';
import { now, type Reporter } from '../../events/events.js';

/**
 * Publishes the read copy after a run, reporting it (`WEIR_READ_COPY_PUBLISHED`, with its size in bytes
 * and the seconds it took).
 * @returns false when publishing failed (disk full, permissions): reported as an error
 *   (`WEIR_READ_COPY_FAILED`), and the run does not succeed — readers would otherwise go on reading an
 *   old copy while the scheduler believes all is well; true when published or the engine has no copy
 */
export async function publishReadCopy(adapter: Adapter, reporter: Reporter): Promise<boolean> {
  if (!adapter.publishReadCopy) return true;
  const t0 = performance.now();
  try {
    const copy = await adapter.publishReadCopy();
    if (copy) reporter.emit({ code: 'WEIR_READ_COPY_PUBLISHED', ts: now(), level: 'info', path: copy.path, size: copy.size, elapsed: (performance.now() - t0) / 1000 });
    return true;
  } catch (e) {
    reporter.emit({ code: 'WEIR_ERROR', ts: now(), level: 'error', message: `could not publish the read copy for readers (the warehouse itself is updated; readers keep the previous copy): ${(e as Error).message}`, error_code: 'WEIR_READ_COPY_FAILED' });
    return false;
  }
}
