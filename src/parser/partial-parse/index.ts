/**
 * The compile-speed machinery of the parse phase behind one interface: the partial-parse cache
 * (parse-cache.ts, `target/partial_parse.json`: per-file results kept between loads) and template parsing
 * on a worker thread (preparse.ts, for cold loads of large projects). Nothing outside this folder imports
 * those files: a load is started with {@link startPartialParse} (whose hooks the loader calls), the parse
 * phase asks {@link cachedTemplate} for each template, and {@link savePartialParse} writes the cache once
 * parsing is done. Results are the same with or without either; only time changes.
 */
import path from 'node:path';
import { WEIR_VERSION } from '../../artifacts/artifacts.js';
import type { LoadHooks } from '../../loader/load-project.js';
import { PARSE_CACHE_FILE, ParseCache, type CachedTemplate } from './parse-cache.js';
import { PREPARSE_MIN_TEMPLATES, TemplatePreparse } from './preparse.js';

export { PARSE_CACHE_FILE, ParseCache, type CachedTemplate, type ParseCacheStats } from './parse-cache.js';
export { PREPARSE_MIN_TEMPLATES, TemplatePreparse } from './preparse.js';

/** How a load uses the machinery. */
export interface PartialParseOptions {
  /**
   * Reuse per-file parse results from `target/partial_parse.json` (default true; see parse-cache.ts).
   * `false` parses everything and neither reads nor writes the cache.
   */
  readonly partialParse?: boolean;
  /**
   * Parse the SQL templates on a worker thread while this thread parses the schema YAML (see preparse.ts).
   * Default `'auto'`: when at least {@link PREPARSE_MIN_TEMPLATES} templates need parsing (no usable
   * partial-parse cache). Results are the same either way.
   */
  readonly parseInWorker?: boolean | 'auto';
}

/** The machinery's state for one load, carried with the loader's files into the parse phase. */
export interface PartialParseState {
  /**
   * The partial-parse cache of this load (absent with `partialParse: false`). The parse phase reads and
   * fills it; whoever finishes parsing calls {@link savePartialParse}.
   */
  readonly parseCache?: ParseCache;
  /** Template parse results being computed on a worker thread (see {@link PartialParseOptions.parseInWorker}), if any. */
  readonly preparsed?: TemplatePreparse;
}

/** A started load: the hooks to hand the loader, and the state once the loader has returned. */
export interface PartialParseLoad {
  readonly hooks: LoadHooks;
  state(): PartialParseState;
}

/** Starts the machinery for one load (nothing happens until the loader calls the hooks). */
export function startPartialParse(options: PartialParseOptions = {}): PartialParseLoad {
  let parseCache: ParseCache | undefined;
  let preparsed: TemplatePreparse | undefined;
  const mode = options.parseInWorker ?? 'auto';
  return {
    hooks: {
      schemaCache: (targetDir) => {
        parseCache = options.partialParse === false ? undefined : ParseCache.open(path.join(targetDir, PARSE_CACHE_FILE), WEIR_VERSION);
        return parseCache;
      },
      filesFound: (templates) => {
        // With a usable cache most templates are hits: nothing worth a thread.
        const wanted = mode === true || (mode === 'auto' && templates.length >= PREPARSE_MIN_TEMPLATES && (!parseCache || parseCache.stats.discarded !== undefined));
        preparsed = wanted ? TemplatePreparse.start(templates.map((t) => ({ file: t.path, raw: t.raw }))) : undefined;
      },
      failed: () => {
        preparsed?.cancel();
        parseCache?.save(false);
      },
    },
    state: () => ({ parseCache, preparsed }),
  };
}

/** A template's results known without parsing it, or where to put them once parsed. */
export interface TemplateLookup {
  /** Facts (and render plan) from the cache (text unchanged) or from the worker thread. */
  readonly hit?: CachedTemplate;
  /** Records the results of a template parsed without problems; absent when there is no cache to fill. */
  readonly store?: (value: CachedTemplate) => void;
}

/**
 * Looks a template up: in the partial-parse cache (a hit counts in its stats), else among the worker's
 * results (then stored in the cache as if parsed here).
 * @param file project-relative path
 * @param raw the template's current text
 */
export function cachedTemplate(state: PartialParseState, file: string, raw: string): TemplateLookup {
  const cache = state.parseCache;
  const cached = cache?.template(file, raw);
  const store = cached ? (value: CachedTemplate) => cache!.storeTemplate(file, cached.hash, value) : undefined;
  if (cached?.hit) return { hit: cached.hit, store };
  const pre = state.preparsed?.take(file, raw);
  if (pre) {
    store?.(pre);
    return { hit: pre, store };
  }
  return { store };
}

/**
 * Writes the partial-parse cache (when this load changed it). `complete: false` (the parse stopped on
 * errors) keeps the entries of files the parse did not reach. Best effort, never throws.
 */
export function savePartialParse(state: PartialParseState, complete = true): void {
  state.parseCache?.save(complete);
}
