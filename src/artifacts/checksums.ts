/**
 * Content checksums written into `manifest.json` so a later invocation can tell what changed (state
 * selection, `state:modified`). Shaped like dbt's `checksum: {name: 'sha256', checksum: '<hex>'}`
 * (https://docs.getdbt.com/reference/artifacts/manifest-json). What is hashed per resource type:
 * - model, singular test: the raw template text (the file's contents);
 * - generic test: its definition (test name, arguments, column, attached node); unit test: its spec;
 * - seed: the CSV file's bytes (read once per process per file size and mtime);
 * - source: its warehouse address and freshness settings;
 * - macro: its raw text.
 * Config is not part of a checksum: it is compared separately (`state:modified.configs`).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { GraphNode, MacroNode } from '../manifest/types.js';

/** A checksum as written to the manifest. */
export interface Checksum {
  readonly name: 'sha256';
  readonly checksum: string;
}

const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

/** Seed file hashes by absolute path, valid while size and mtime are unchanged. */
const seedHashes = new Map<string, { size: number; mtimeMs: number; hash: string }>();

/**
 * Hex SHA-256 of a file's bytes, cached per process by path, size and mtime.
 * @returns undefined when the file can't be read (it is then "changed" against any earlier checksum)
 */
export function fileChecksum(absolutePath: string): string | undefined {
  try {
    const st = statSync(absolutePath);
    const hit = seedHashes.get(absolutePath);
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.hash;
    const hash = sha256(readFileSync(absolutePath));
    seedHashes.set(absolutePath, { size: st.size, mtimeMs: st.mtimeMs, hash });
    return hash;
  } catch {
    return undefined;
  }
}

/** The text a node's checksum is computed from (see the file comment), or a Buffer-free hash for seeds. */
function bodyOf(node: GraphNode): string {
  switch (node.resource_type) {
    case 'model':
      return node.raw_code;
    case 'test':
      if (node.unit) return JSON.stringify(['unit', canonical(node.unit)]);
      if (node.test_type === 'generic' && node.generic) {
        const g = node.generic;
        return JSON.stringify(['generic', g.name, g.column_name ?? null, g.attached_node, canonical(g.kwargs)]);
      }
      return node.raw_code;
    case 'source': {
      const n = node as GraphNode & { freshness?: unknown; loaded_at_field?: unknown };
      return JSON.stringify(['source', node.database ?? null, node.schema, node.identifier, node.loader ?? null, canonical(n.freshness ?? null), n.loaded_at_field ?? null]);
    }
    default:
      return '';
  }
}

/**
 * The checksum of a node's body.
 * @returns undefined for a seed whose file can't be read
 */
export function nodeChecksum(node: GraphNode): Checksum | undefined {
  if (node.resource_type === 'seed') {
    const h = fileChecksum(node.absolute_path);
    return h === undefined ? undefined : { name: 'sha256', checksum: h };
  }
  return { name: 'sha256', checksum: sha256(bodyOf(node)) };
}

/** The checksum of a macro's text (partials and TypeScript helper modules alike). */
export function macroChecksum(macro: MacroNode): Checksum {
  return { name: 'sha256', checksum: sha256(macro.raw_code ?? '') };
}

/**
 * A JSON-compatible copy of `value` with object keys sorted, so two configs that differ only in key order
 * compare equal (`JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))`). `undefined` members
 * are dropped, as JSON does.
 */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonical(v)));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonical(v);
    }
    return out;
  }
  if (typeof value === 'bigint') return Number(value);
  return value;
}
