/**
 * Partial parsing (dbt's `partial_parse.msgpack`): `target/partial_parse.json` keeps, per project file, the
 * results of the expensive per-file parse work so an unchanged file is not parsed again:
 * - schema YAML files: the validated patches ({@link SchemaFile}: descriptions, columns, tests with lines);
 * - SQL templates (models, singular tests, macros): the template facts (refs, sources, config, partials,
 *   helper calls, with lines) and a compact render plan ({@link TemplatePlan}) so rendering skips
 *   Handlebars' parser too.
 *
 * Every entry is a pure function of one file's text (and its project-relative path, which messages name),
 * keyed by that path and the SHA-1 of the text. Everything that combines files — macro closures (partials
 * used transitively), project.yaml folder config, vars, target, helper checks, ref resolution, generic test
 * nodes — is recomputed on every run from the entries, so editing a macro, project.yaml, `--vars` or the
 * target needs no invalidation, and a deleted file's entry is simply not used (and dropped on save).
 * The file as a whole is keyed by Weir's version, the cache format, and the Handlebars and yaml versions;
 * a mismatch, a corrupt file or a malformed entry is ignored (treated as a miss) and the cache rebuilt.
 * Files with parse problems are never cached, so their errors are reported on every run.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Handlebars } from '../../compiler/handlebars.js';
import type { SchemaFile } from '../../loader/schema-yaml.js';
import type { TemplateFacts } from '../../compiler/template.js';
import type { TemplatePlan } from '../../compiler/template-plan.js';
import { PRIVATE_FILE_MODE, removeStaleTempFiles, writeFileAtomic } from '../../utils/write-file.js';

/** File name of the cache inside the target directory. */
export const PARSE_CACHE_FILE = 'partial_parse.json';

/** Bumped whenever the shape of cached entries or what they mean changes. */
const CACHE_FORMAT = 4;

/** A cached template: facts plus (when the template is in the interpreted subset) its render plan. */
export interface CachedTemplate {
  readonly facts: TemplateFacts;
  readonly plan?: TemplatePlan;
}

interface Entry {
  /** SHA-1 (hex) of the file text. */
  readonly h: string;
  readonly t?: CachedTemplate;
  readonly y?: SchemaFile;
}

/**
 * The file's first line: the key and the schema YAML entries. The second line holds the template entries
 * (path → entry), parsed only when a template is first looked up: a compile with nothing changed
 * (api/compile-record.ts) reads the schema YAML from the cache but renders no template, and the template
 * entries (with their render plans) are most of the file.
 */
interface CacheHead {
  readonly key: Record<string, unknown>;
  readonly files: Record<string, Entry>;
}

/**
 * Modules whose code decides what an entry holds. Their size and mtime are part of the key, so a Weir
 * build that changes them (even without a version bump, as during development) never reads old entries.
 */
const ENTRY_MODULES = ['parse-cache', '../../compiler/template', '../../compiler/template-plan', '../../loader/schema-yaml', '../../loader/yaml-file', '../../loader/unit-test-yaml'];

let staticKey: Record<string, unknown> | undefined;
/** The header a cache file must carry to be used. */
function cacheKey(weirVersion: string): Record<string, unknown> {
  if (!staticKey) {
    const self = fileURLToPath(import.meta.url);
    const ext = path.extname(self);
    const build = ENTRY_MODULES.map((m) => {
      try {
        const st = statSync(path.resolve(path.dirname(self), `${m}${ext}`));
        return `${st.size}:${Math.round(st.mtimeMs)}`;
      } catch {
        return '?';
      }
    }).join(',');
    const yamlVersion = (createRequire(import.meta.url)('yaml/package.json') as { version: string }).version;
    staticKey = { format: CACHE_FORMAT, handlebars: Handlebars.VERSION, yaml: yamlVersion, build };
  }
  return { ...staticKey, weir: weirVersion };
}

const sameKey = (a: unknown, b: Record<string, unknown>): boolean =>
  !!a && typeof a === 'object' && Object.keys(b).length === Object.keys(a).length && Object.entries(b).every(([k, v]) => (a as Record<string, unknown>)[k] === v);

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether `v` survives a JSON round trip unchanged (plain objects, arrays, strings, finite numbers, booleans,
 * null; `undefined` only as an object property, which JSON drops and readers see as missing either way).
 */
function jsonSafe(v: unknown, inArray = false): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'undefined':
      return !inArray;
    case 'object':
      if (v === null) return true;
      if (Array.isArray(v)) return v.every((x) => jsonSafe(x, true));
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      for (const k of Object.keys(v)) if (k === '__proto__' || !jsonSafe((v as Record<string, unknown>)[k])) return false;
      return true;
    default:
      return false;
  }
}

const validFacts = (f: unknown): f is TemplateFacts =>
  isObj(f) && Array.isArray(f.refs) && Array.isArray(f.sources) && Array.isArray(f.partials) && isObj(f.config) && Array.isArray(f.helperCalls) && Array.isArray(f.argNames);
const validSchema = (s: unknown): s is SchemaFile => isObj(s) && Array.isArray(s.nodes) && Array.isArray(s.sources);

/** Hit/miss counts of one run. */
export interface ParseCacheStats {
  hits: number;
  misses: number;
  /** Why the stored cache was not used at all (`missing`, `corrupt`, `incompatible`), if it wasn't. */
  discarded?: string;
}

/**
 * The partial-parse cache of one load. Lookups never throw; {@link save} writes what this run used.
 * Not shared between processes except through the file (written atomically; last writer wins).
 */
export class ParseCache {
  /** Schema YAML entries of the stored cache. */
  private readonly old: Record<string, Entry>;
  /** Template entries of the stored cache, parsed from {@link oldTemplateText} on first use. */
  private oldTemplatesParsed?: Record<string, Entry>;
  private readonly next = new Map<string, Entry>();
  private changed = false;
  /** Counts for this run (for tests and diagnostics). */
  readonly stats: ParseCacheStats = { hits: 0, misses: 0 };

  private constructor(readonly file: string, private readonly key: Record<string, unknown>, old: Record<string, Entry> | undefined, discarded?: string, private oldTemplateText?: string) {
    this.old = old ?? Object.create(null);
    if (discarded) {
      this.stats.discarded = discarded;
      this.changed = discarded !== 'missing';
    }
  }

  /**
   * Opens the cache stored at `file` (missing, unreadable, corrupt or written by another version: an empty cache).
   * @param file path of `partial_parse.json`
   * @param weirVersion the running Weir version (part of the key)
   */
  static open(file: string, weirVersion: string): ParseCache {
    const key = cacheKey(weirVersion);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return new ParseCache(file, key, undefined, 'missing');
    }
    let data: CacheHead;
    const nl = text.indexOf('\n');
    try {
      data = JSON.parse(nl < 0 ? text : text.slice(0, nl)) as CacheHead;
    } catch {
      return new ParseCache(file, key, undefined, 'corrupt');
    }
    if (!isObj(data) || !isObj(data.files)) return new ParseCache(file, key, undefined, 'corrupt');
    if (!sameKey(data.key, key)) return new ParseCache(file, key, undefined, 'incompatible');
    const files: Record<string, Entry> = Object.create(null);
    Object.assign(files, data.files);
    return new ParseCache(file, key, files, undefined, nl < 0 ? '{}' : text.slice(nl + 1));
  }

  /** The stored template entries (a corrupt second line counts as none: those templates are parsed again). */
  private get oldTemplates(): Record<string, Entry> {
    if (!this.oldTemplatesParsed) {
      const files: Record<string, Entry> = Object.create(null);
      try {
        const parsed = JSON.parse(this.oldTemplateText ?? '{}') as unknown;
        if (isObj(parsed)) Object.assign(files, parsed);
        else this.changed = true;
      } catch {
        this.changed = true; // rewrite it
      }
      this.oldTemplatesParsed = files;
      this.oldTemplateText = undefined;
    }
    return this.oldTemplatesParsed;
  }

  /** SHA-1 of a file's text (the content part of every entry's key). */
  static hash(text: string): string {
    return createHash('sha1').update(text).digest('hex');
  }

  private lookup(file: string, hash: string, kind: 'template' | 'schema'): Entry | undefined {
    const e = kind === 'schema' ? this.old[file] : this.oldTemplates[file];
    if (!isObj(e) || e.h !== hash) return undefined;
    return e;
  }

  private store(file: string, entry: Entry): void {
    const prev = this.next.get(file);
    this.next.set(file, prev ? { ...prev, ...entry } : entry);
  }

  /**
   * The cached template facts and plan of `file` if its text is unchanged, else undefined.
   * @param file project-relative path
   * @param text current file text
   */
  template(file: string, text: string): { hash: string; hit?: CachedTemplate } {
    const hash = ParseCache.hash(text);
    const e = this.lookup(file, hash, 'template');
    if (e && isObj(e.t) && validFacts(e.t.facts) && (e.t.plan === undefined || Array.isArray(e.t.plan))) {
      this.stats.hits++;
      this.store(file, { h: hash, t: e.t });
      return { hash, hit: e.t };
    }
    this.stats.misses++;
    return { hash };
  }

  /**
   * Records a template's parse results (only call for templates that parsed without problems).
   * Values that would not survive JSON unchanged (e.g. an infinite number literal) are not cached.
   */
  storeTemplate(file: string, hash: string, value: CachedTemplate): void {
    if (!jsonSafe(value.facts) || (value.plan !== undefined && !jsonSafe(value.plan))) return;
    this.changed = true;
    this.store(file, { h: hash, t: value });
  }

  /** The cached patches of schema YAML `file` if its text is unchanged, else undefined (see {@link template}). */
  schema(file: string, text: string): { hash: string; hit?: SchemaFile } {
    const hash = ParseCache.hash(text);
    const e = this.lookup(file, hash, 'schema');
    if (e && validSchema(e.y)) {
      this.stats.hits++;
      this.store(file, { h: hash, y: e.y });
      return { hash, hit: e.y };
    }
    this.stats.misses++;
    return { hash };
  }

  /** Records a schema YAML file's patches (only for files without problems). */
  storeSchema(file: string, hash: string, value: SchemaFile): void {
    if (!jsonSafe(value)) return;
    this.changed = true;
    this.store(file, { h: hash, y: value });
  }

  /**
   * Writes the cache when this run changed it (new or changed files, files no longer seen, a discarded
   * cache). With `complete: false` (the parse stopped early on errors) entries of files this run did not
   * reach are kept. Best effort: a write failure (read-only target dir) is ignored.
   */
  save(complete = true): void {
    const yamlFiles: Record<string, Entry> = {};
    const templates: Record<string, Entry> = {};
    for (const [k, v] of this.next) (v.y ? yamlFiles : templates)[k] = v;
    let dropped = false;
    for (const [old, into] of [[this.old, yamlFiles], [this.oldTemplates, templates]] as const) {
      for (const k of Object.keys(old)) {
        if (this.next.has(k)) continue;
        if (complete) dropped = true;
        else into[k] = old[k];
      }
    }
    if (!this.changed && !dropped) return;
    try {
      // The project's source text: owner-only. Two lines (see CacheHead).
      writeFileAtomic(this.file, `${JSON.stringify({ key: this.key, files: yamlFiles })}\n${JSON.stringify(templates)}`, PRIVATE_FILE_MODE);
      removeStaleTempFiles(this.file); // a killed run's half-written cache
      this.changed = false;
    } catch {
      /* the cache is an optimization only */
    }
  }
}
