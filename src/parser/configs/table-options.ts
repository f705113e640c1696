/**
 * Load-time check of a model's native table options (adapters/table-options.ts: `properties`,
 * `cluster_by`, `transient`, `copy_grants`, `on_table_exists`), so a malformed value stops `weir parse`
 * naming the model's file, line and key instead of failing the model at run time.
 */
import { TableOptionError, tableOptionsOf } from '../../adapters/table-options.js';
import { WeirError } from '../../errors/weir-error.js';
import type { NodeConfig } from '../../manifest/types.js';

/** Where a config key of a node was written: the file and (when known) line of the layer that set it. */
export type KeySite = (key: string) => { readonly file: string; readonly line?: number };

/**
 * Checks the table options of a model config.
 * @returns the problem as a WeirError `WEIR_CONFIG_INVALID` (file, line, key and the closest valid value
 *   where there is one), or undefined when they are valid
 */
export function checkTableOptions(config: NodeConfig, name: string, site: KeySite): WeirError | undefined {
  try {
    tableOptionsOf(config);
    return undefined;
  } catch (e) {
    if (!(e instanceof TableOptionError)) throw e;
    return new WeirError('WEIR_CONFIG_INVALID', `model '${name}': ${e.message}`, {
      location: { ...site(e.key), keyPath: e.key },
      hint: e.suggestion ? `Did you mean '${e.suggestion}'?` : 'See the README\'s "Native table options".',
    });
  }
}
