/**
 * {@link WeirProject.compile}: renders the selected models, snapshots and tests, writes their SQL to
 * `target/compiled/` (formatted for the target's dialect unless `format: false`) and manifest.json.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Dialect } from '../adapters/adapter.js';
import type { CompiledFacts } from '../artifacts/artifacts.js';
import type { CompiledNode } from '../compiler/render.js';
import type { WeirError } from '../errors/weir-error.js';
import { compiledPathOf } from '../manifest/manifest.js';
import { BACKGROUND_WRITES_MIN, BackgroundWriter, type FileStamp } from '../utils/background-writer.js';
import { writeFileIfChanged } from '../utils/write-file.js';
import { recordCompile } from './compile-record.js';
import type { SelectionArgs } from './options.js';
import type { WeirProject } from './project.js';

/** Options of {@link WeirProject.compile}. */
export interface CompileOptions extends SelectionArgs {
  /** Format the SQL with sql-formatter (default true; the CLI turns it off unless asked, as dbt does). */
  readonly format?: boolean;
  /** unique_id → relation text to render refs as (from {@link WeirProject.deferOverrides}). */
  readonly relationOverrides?: ReadonlyMap<string, string>;
}

/** What {@link compile} produced: compiled nodes (with their file, relative to the target directory) and per-node errors. */
export interface CompileResult {
  readonly compiled: Map<string, CompiledNode & { compiled_path?: string }>;
  readonly errors: WeirError[];
}

/**
 * Compiles selected models and tests, writing formatted SQL to `target/compiled/` and `manifest.json`.
 * @returns compiled nodes and per-node errors (a broken model doesn't stop the others)
 * @throws what selection throws; a failed file write
 */
export function compile(project: WeirProject, args: CompileOptions = {}): CompileResult {
  const renderer = project.renderer(args.relationOverrides);
  const uids = project.select('compile', args);
  // Many files: they are written on a worker thread while this one builds manifest.json (utils/background-writer.ts).
  const writer = uids.length >= BACKGROUND_WRITES_MIN ? BackgroundWriter.start() : undefined;
  try {
    const { compiled, errors } = renderer.renderAll(uids);
    const facts = new Map<string, CompiledFacts>();
    const out = new Map<string, CompiledNode & { compiled_path?: string }>();
    const targetDir = project.targetDir;
    // Each written file's size and times, in write order, for the compile record (from the writes themselves).
    let stamps: (FileStamp | undefined)[] = [];
    for (const [uid, c] of compiled) {
      const node = project.manifest.nodes.get(uid)!;
      if (c.compiled_code === undefined) continue;
      const code = args.format === false ? c.compiled_code : formatCompiled(c.compiled_code, project.dialect);
      const rel = compiledPathOf(project.manifest, node);
      const abs = path.join(targetDir, rel);
      if (writer) writer.write(abs, `${project.redact(code)}\n`);
      else {
        const at = stamps.length;
        stamps.push(undefined);
        writeFileIfChanged(abs, `${project.redact(code)}\n`, undefined, (st) => (stamps[at] = [st.size, st.mtimeMs, st.ctimeMs]));
      }
      facts.set(uid, { compiled_code: code, relation_name: c.relation_name, compiled_path: rel });
      out.set(uid, { ...c, compiled_code: code, compiled_path: rel });
    }
    // The compiled files land before manifest.json, as when written here (a failed write stops both).
    project.writeManifest(facts, writer && (() => void (stamps = writer.finish())));
    // A compile loaded by WeirProject.loadForCompile with these args: the next one with unchanged inputs reuses it.
    const key = project.compileRecordKey;
    if (key && key.args === args && errors.length === 0) {
      const paths = [...facts.values()].map((f) => f.compiled_path!);
      recordCompile(targetDir, key.inputs, key.env, paths, stamps, out.size, project.loadWarnings.map((w) => ({ ...w, message: project.redact(w.message) })));
    }
    return { compiled: out, errors };
  } catch (e) {
    writer?.finish(); // what was queued lands, and a write error comes first, as when the files were written here
    throw e;
  }
}

/** `require` for sql-formatter, loaded on the first formatted file (it costs ~0.2 s to import). */
const requireLazy = createRequire(import.meta.url);

/** Formats SQL for the target dialect; returns it unchanged if the formatter can't parse it. */
export function formatCompiled(sql: string, dialect: Dialect): string {
  try {
    return (requireLazy('sql-formatter') as typeof import('sql-formatter')).format(sql, { language: dialect.formatterLanguage, keywordCase: 'lower', tabWidth: 2 });
  } catch {
    return sql;
  }
}
