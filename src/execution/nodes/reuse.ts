/**
 * `--reuse` (and `reuse: true` in project.yaml): a seed or model is not rebuilt when nothing that makes
 * its data changed since its last successful build on this target — its compiled SQL (for a seed: the
 * file's SHA-256), its config, the data fingerprints of the relations it reads, and its own relation's
 * fingerprint (so a relation changed or dropped outside Weir is rebuilt). Its status is then `reused`
 * (dbt's state-aware orchestration status; dbt-core has no equivalent, SQLMesh tracks intervals).
 *
 * The records live in `<target-path>/reuse/<target>.json`: per node the hash of SQL + config, the
 * fingerprint of each input at build time and of its relation after it. Inputs are the node's parents,
 * looking through views (whose own SQL hash is recorded instead of a data fingerprint, since reading a
 * view computes it) and ephemeral models (inlined into the SQL). A relation the adapter can't
 * fingerprint (`Adapter.relationFingerprint` undefined) makes the node rebuild.
 */
import { writeFileAtomic } from '../../utils/write-file.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Adapter, Connection } from '../../adapters/adapter.js';
import { fileChecksum } from '../../artifacts/checksums.js';
import type { Renderer } from '../../compiler/render.js';
import type { Manifest } from '../../manifest/manifest.js';
import type { GraphNode } from '../../manifest/types.js';
import { strategyOf } from './strategies.js';

/** What is recorded after a node's successful build. */
export interface ReuseRecord {
  /** SHA-256 of the compiled SQL (or seed file) and the config. */
  readonly hash: string;
  /** Input unique_id → its fingerprint when the node was built. */
  readonly inputs: Readonly<Record<string, string>>;
  /** The node's own relation's fingerprint right after the build. */
  readonly fingerprint: string;
  /** ISO time of that build. */
  readonly built_at: string;
}

interface ReuseFile {
  readonly version: 1;
  readonly target: string;
  nodes: Record<string, ReuseRecord>;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Whether `--reuse` applies to a node: seeds and table, incremental and view models. */
export function reusable(node: GraphNode): boolean {
  return strategyOf(node)?.reusable ?? false;
}

/**
 * The reuse records of one target, and the fingerprints seen during a run (each computed once, replaced
 * when a node is rebuilt).
 */
export class ReuseState {
  private readonly file: string;
  private readonly data: ReuseFile;
  private readonly fingerprints = new Map<string, Promise<string | undefined>>();
  private dirty = false;

  private constructor(file: string, data: ReuseFile) {
    this.file = file;
    this.data = data;
  }

  /** Reads `<targetDir>/reuse/<target>.json` (an unreadable or foreign file counts as empty). */
  static load(targetDir: string, target: string): ReuseState {
    const file = path.join(targetDir, 'reuse', `${target}.json`);
    let data: ReuseFile = { version: 1, target, nodes: {} };
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as ReuseFile;
      if (parsed?.version === 1 && parsed.target === target && parsed.nodes && typeof parsed.nodes === 'object') data = parsed;
    } catch {
      /* no records yet: everything builds */
    }
    return new ReuseState(file, data);
  }

  /** The hash of what a node builds: compiled SQL (seed: file checksum) and config. */
  nodeHash(node: GraphNode, compiledSql: string | undefined): string {
    const body = node.resource_type === 'seed' ? `seed:${fileChecksum(node.absolute_path) ?? `unreadable:${Date.now()}`}` : `sql:${compiledSql ?? ''}`;
    return sha256(JSON.stringify([node.resource_type, body, node.config]));
  }

  /**
   * The fingerprints of the relations a node reads, looking through views and ephemeral models.
   * @returns undefined when one of them has none
   */
  async inputs(manifest: Manifest, renderer: Renderer, adapter: Adapter, conn: Connection, node: GraphNode): Promise<Record<string, string> | undefined> {
    const out: Record<string, string> = {};
    // A view reads its inputs when queried: only its own definition matters (in the node hash).
    if (node.resource_type === 'model' && node.config.materialized === 'view') return out;
    const seen = new Set<string>();
    const stack = [...(manifest.parents.get(node.unique_id) ?? [])];
    while (stack.length) {
      const uid = stack.pop()!;
      if (seen.has(uid)) continue;
      seen.add(uid);
      const p = manifest.nodes.get(uid);
      if (!p) return undefined;
      if (p.resource_type === 'model' && (p.config.materialized === 'view' || p.config.materialized === 'ephemeral')) {
        if (p.config.materialized === 'view') out[uid] = `view:${this.nodeHash(p, renderer.render(uid).compiled_code)}`;
        stack.push(...(manifest.parents.get(uid) ?? []));
        continue;
      }
      const fp = await this.fingerprint(adapter, conn, renderer, p);
      if (fp === undefined) return undefined;
      out[uid] = fp;
    }
    return out;
  }

  /** The current fingerprint of a node's relation (cached for the run; views: whether it exists). */
  fingerprint(adapter: Adapter, conn: Connection, renderer: Renderer, node: GraphNode): Promise<string | undefined> {
    let f = this.fingerprints.get(node.unique_id);
    if (!f) {
      f = this.compute(adapter, conn, renderer, node);
      this.fingerprints.set(node.unique_id, f);
    }
    return f;
  }

  private async compute(adapter: Adapter, conn: Connection, renderer: Renderer, node: GraphNode): Promise<string | undefined> {
    const rel = renderer.relationOf(node);
    if (!rel) return undefined;
    if (node.resource_type === 'model' && node.config.materialized === 'view') {
      return (await adapter.relationKind(conn, rel).catch(() => undefined)) === 'view' ? 'view' : undefined;
    }
    if ((await adapter.relationKind(conn, rel).catch(() => undefined)) !== 'table') return undefined;
    return adapter.relationFingerprint ? adapter.relationFingerprint(conn, rel) : undefined;
  }

  /**
   * Whether a node can be reused: same hash, same inputs with fingerprints, and its relation unchanged.
   * @returns the record it matches, or undefined (build it)
   */
  async check(adapter: Adapter, conn: Connection, renderer: Renderer, node: GraphNode, hash: string, inputs: Record<string, string> | undefined): Promise<ReuseRecord | undefined> {
    const rec = this.data.nodes[node.unique_id];
    if (!rec || rec.hash !== hash || !inputs) return undefined;
    const keys = Object.keys(inputs);
    if (keys.length !== Object.keys(rec.inputs).length || keys.some((k) => rec.inputs[k] !== inputs[k])) return undefined;
    const own = await this.fingerprint(adapter, conn, renderer, node);
    return own !== undefined && own === rec.fingerprint ? rec : undefined;
  }

  /** Records a successful build (or forgets the node when something had no fingerprint). */
  async record(adapter: Adapter, conn: Connection, renderer: Renderer, node: GraphNode, hash: string, inputs: Record<string, string> | undefined): Promise<void> {
    this.fingerprints.delete(node.unique_id);
    const fp = await this.fingerprint(adapter, conn, renderer, node);
    this.dirty = true;
    if (!inputs || fp === undefined) delete this.data.nodes[node.unique_id];
    else this.data.nodes[node.unique_id] = { hash, inputs, fingerprint: fp, built_at: new Date().toISOString() };
  }

  /** Forgets a node (a failed build: its relation may be gone or old). */
  forget(uid: string): void {
    this.fingerprints.delete(uid);
    if (this.data.nodes[uid]) {
      delete this.data.nodes[uid];
      this.dirty = true;
    }
  }

  /** Writes the records (atomically: temporary file, then rename). */
  save(): void {
    if (!this.dirty) return;
    writeFileAtomic(this.file, `${JSON.stringify(this.data, null, 1)}\n`);
    this.dirty = false;
  }
}
