/**
 * Opening the target's adapter: for a run (waiting while another process holds the database file), for a
 * read (falling back to the read copy a run publishes, DuckDB), and the warning for a database restored
 * from its read copy (`Adapter.recovery`).
 */
import type { Adapter, DatabaseRecovery } from '../../adapters/adapter.js';
import { createAdapter } from '../../adapters/registry.js';
import { WeirError } from '../../errors/weir-error.js';
import { now, type Reporter, type WeirEvent } from '../../events/events.js';

/** Which target to open: its project.yaml entry, where that entry is (for messages) and the project directory. */
export interface TargetConnection {
  /** The target's settings (`type` plus the engine's keys). */
  readonly target: { type: string } & Record<string, unknown>;
  /** The file defining the target and its name, named in connection errors. */
  readonly source: { readonly file: string; readonly targetName: string };
  /** Absolute project directory (relative database paths resolve against it). */
  readonly projectDir: string;
}

/** Options of reads (`query`, `show`, the docs catalog). */
export interface ReadOptions {
  /** Called when the database is locked by a run and the last published read copy is read instead. */
  readonly onReadCopy?: (copy: { readonly path: string; readonly publishedAt: Date }) => void;
  /** Told (with the warning text) when the database file was corrupt and restored from its read copy. */
  readonly onRecovered?: (message: string) => void;
}

/** Opens the target's adapter. Callers must `close()` it. @throws what the adapter's `open()` throws */
export async function openAdapter(t: TargetConnection): Promise<Adapter> {
  const adapter = await createAdapter(t.target, t.source, t.projectDir);
  await adapter.open();
  return adapter;
}

/**
 * Opens an adapter for a run, waiting up to `timeoutSeconds` while the database file is locked by another
 * process (a reader, or a DuckDB client): `--lock-timeout` covers this lock as well as the run lock. Polls
 * every 250 ms; tells `reporter` once that it waits.
 * @param open opens the adapter once (see {@link openAdapter})
 * @throws WeirError `WEIR_DB_LOCKED` when still locked after the timeout; other open errors at once
 */
export async function openAdapterWaiting(open: () => Promise<Adapter>, timeoutSeconds: number, reporter?: Reporter): Promise<Adapter> {
  const end = Date.now() + timeoutSeconds * 1000;
  let told = false;
  for (;;) {
    try {
      return await open();
    } catch (e) {
      if (!(e instanceof WeirError && e.code === 'WEIR_DB_LOCKED') || Date.now() >= end) throw e;
      if (!told) reporter?.emit({ code: 'WEIR_MESSAGE', ts: now(), level: 'info', message: `${e.message}: waiting up to ${Math.ceil((end - Date.now()) / 1000)} s (--lock-timeout)` });
      told = true;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Opens the adapter for reading: when the database is locked by a writing process and the engine
 * publishes read copies (DuckDB), opens the last published copy instead and tells `options.onReadCopy`.
 * A current read copy (same data as the database) is read first, leaving the database file to writers.
 * @throws WeirError `WEIR_DB_LOCKED` when locked and no copy was published
 */
export async function openReadAdapter(t: TargetConnection, options: ReadOptions = {}): Promise<Adapter> {
  const adapter = await createAdapter(t.target, t.source, t.projectDir);
  // A current read copy is the same data: read it and leave the database file (and its lock) to writers.
  if (adapter.readCopyIsCurrent?.() && adapter.openReadCopy) {
    try {
      if (await adapter.openReadCopy()) return adapter;
    } catch {
      /* an unreadable copy: fall back to the database below */
    }
  }
  try {
    await adapter.open();
    if (adapter.recovery) options.onRecovered?.(recoveryWarning(adapter.recovery).message);
  } catch (e) {
    if (e instanceof WeirError && (e.code === 'WEIR_DB_LOCKED' || e.code === 'WEIR_DB_CORRUPT') && adapter.openReadCopy) {
      const copy = await adapter.openReadCopy();
      if (copy) {
        options.onReadCopy?.(copy);
        return adapter;
      }
    }
    throw e;
  }
  return adapter;
}

/** The warning event for a database file restored from its read copy (see `Adapter.recovery`). */
export function recoveryWarning(r: DatabaseRecovery): WeirEvent & { message: string } {
  return {
    code: 'WEIR_WARNING', ts: now(), level: 'warn', error_code: 'WEIR_DB_RESTORED',
    message: r.corruptFile
      ? `the database file was corrupt (${r.reason.split('\n')[0]}); restored the read copy published at ${r.publishedAt.toISOString()} (the end of the last completed run: later changes are gone and this run rebuilds them); the corrupt file is kept as ${r.corruptFile}`
      : `${r.reason}; restored the read copy published at ${r.publishedAt.toISOString()} instead of starting an empty database (snapshot history kept; later changes are gone and this run rebuilds them). To start afresh on purpose, delete ${r.restoredFrom} too`,
  };
}
