/**
 * A project's UDFs as the manifest's `functions` section describes them ({@link UdfFacts}): used by
 * {@link WeirProject.udfManifest} and, before a compile, by the compile record's fingerprint
 * (api/compile-record.ts), which must see exactly what the manifest would hold.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { UdfFacts } from '../artifacts/artifacts.js';
import { resolveUdfVersion, type UdfContext } from '../udfs/define.js';
import { signatureOf, type LoadedUdf } from '../udfs/registry.js';

/**
 * The facts of `udfs`, sorted by name.
 * @param root the project directory (module paths are relative to it)
 * @param context what a UDF's `version` function receives
 * @throws what a UDF's `version` function throws
 */
export function udfFacts(udfs: readonly LoadedUdf[], root: string, context: UdfContext): UdfFacts[] {
  return [...udfs].sort((a, b) => (a.definition.name < b.definition.name ? -1 : 1)).map((u) => {
    const d = u.definition;
    let source: string | undefined;
    try {
      source = readFileSync(path.join(root, u.module), 'utf8');
    } catch {
      source = undefined; // checksum from the signature
    }
    return {
      name: d.name, kind: d.kind, path: u.module, export_name: u.exportName, signature: signatureOf(d),
      args: d.args.map((a) => ({ name: a.name, type: a.type, optional: a.optional })), returns: d.returns, deterministic: d.deterministic !== false,
      version: resolveUdfVersion(d, context),
      description: d.description, portable: d.kind === 'scalar' ? !!d.portable : false, source,
    };
  });
}
