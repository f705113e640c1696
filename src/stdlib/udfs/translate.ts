/**
 * `translate(text, source_lang, target_lang)`: Korean → English machine translation as a batch UDF,
 * running a MarianMT model (e.g. Helsinki-NLP/opus-mt-ko-en converted to ONNX, as published in
 * Xenova/opus-mt-ko-en) with onnxruntime-node on the CPU. See udfs/lib/translate/ for the pipeline.
 *
 * Configuration (project.yaml `vars`, else environment):
 * - `translation_model_dir` (relative to the project directory) or `WEIR_TRANSLATION_MODEL_DIR`:
 *   the model directory (config.json, generation_config.json, vocab.json, source.spm, target.spm,
 *   onnx/encoder_model.onnx, onnx/decoder_model_merged.onnx). Without one the UDF is unavailable.
 * - `translation_num_beams` / `WEIR_TRANSLATION_NUM_BEAMS`: beams (default: the model's generation
 *   config, 6 for opus-mt-ko-en; 1 = greedy, several times faster).
 * - `translation_max_length` / `WEIR_TRANSLATION_MAX_LENGTH`: maximum output length in tokens.
 * - `translation_quantized` / `WEIR_TRANSLATION_QUANTIZED`: use the int8 `_quantized` ONNX files.
 *
 * Cached results are keyed by the UDF version, which includes a fingerprint of the model files and the
 * decoding settings, so a different model or setting never reuses old translations.
 */
import path from 'node:path';
import { defineBatchUdf, type BatchContext, type BatchUdf } from '../../udfs/define.js';
import { createTranslator, locateModelFiles, modelFingerprint, type Translator, type TranslatorStats } from '../lib/translate/index.js';

/** Bump when the pipeline's output changes for the same model. */
const PIPELINE_VERSION = '1';

/** How to get a model, shown when none is configured. */
export const HOW_TO_PROVIDE_MODEL = 'download Xenova/opus-mt-ko-en (e.g. `git clone https://huggingface.co/Xenova/opus-mt-ko-en` or `huggingface-cli download Xenova/opus-mt-ko-en --local-dir opus-mt-ko-en`) on a machine with internet access, copy it here, and set WEIR_TRANSLATION_MODEL_DIR=/path/to/opus-mt-ko-en or vars: {translation_model_dir: path/to/opus-mt-ko-en} in project.yaml';

/** Decoding settings resolved from vars and the environment. */
export interface TranslateSettings {
  /** Absolute model directory, or undefined when none is configured. */
  readonly modelDir?: string;
  /** Where the directory came from (for messages). */
  readonly source?: 'vars.translation_model_dir' | 'WEIR_TRANSLATION_MODEL_DIR';
  readonly numBeams?: number;
  readonly maxLength?: number;
  readonly quantized: boolean;
}

const numberOf = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : undefined;
  return n !== undefined && Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined;
};

/** Reads the settings from `ctx.vars` (project-relative paths) and `ctx.env`. */
export function translateSettings(ctx: Pick<BatchContext, 'projectDir' | 'vars' | 'env'>): TranslateSettings {
  const v = ctx.vars ?? {};
  const env = ctx.env ?? {};
  const fromVars = typeof v.translation_model_dir === 'string' && v.translation_model_dir.trim() !== '' ? v.translation_model_dir : undefined;
  const fromEnv = env.WEIR_TRANSLATION_MODEL_DIR?.trim() ? env.WEIR_TRANSLATION_MODEL_DIR : undefined;
  const q = v.translation_quantized ?? env.WEIR_TRANSLATION_QUANTIZED;
  return {
    modelDir: fromVars ? path.resolve(ctx.projectDir, fromVars) : fromEnv ? path.resolve(fromEnv) : undefined,
    source: fromVars ? 'vars.translation_model_dir' : fromEnv ? 'WEIR_TRANSLATION_MODEL_DIR' : undefined,
    numBeams: numberOf(v.translation_num_beams ?? env.WEIR_TRANSLATION_NUM_BEAMS),
    maxLength: numberOf(v.translation_max_length ?? env.WEIR_TRANSLATION_MAX_LENGTH),
    quantized: q === true || q === 'true' || q === '1',
  };
}

/**
 * Why the UDF can't run with these settings (no model directory, or an incomplete one), or undefined.
 * Also records the model fingerprint used by the UDF version.
 */
export function translateUnavailable(ctx: Pick<BatchContext, 'projectDir' | 'vars' | 'env'>): string | undefined {
  current = undefined;
  const s = translateSettings(ctx);
  if (!s.modelDir) return `no translation model configured: ${HOW_TO_PROVIDE_MODEL}`;
  try {
    const files = locateModelFiles(s.modelDir, s.quantized);
    current = { fingerprint: modelFingerprint(files), settings: s };
    return undefined;
  } catch (e) {
    return `${(e as Error).message} (from ${s.source}); ${HOW_TO_PROVIDE_MODEL}`;
  }
}

/** Fingerprint and settings of the model last checked by unavailable() (feeds the version). */
let current: { fingerprint: string; settings: TranslateSettings } | undefined;

/** The UDF version: pipeline version + model fingerprint + decoding settings. */
function currentVersion(): string {
  if (!current) return PIPELINE_VERSION;
  const s = current.settings;
  return `${PIPELINE_VERSION}+${current.fingerprint}+b${s.numBeams ?? 'cfg'}+l${s.maxLength ?? 'cfg'}${s.quantized ? '+q' : ''}`;
}

/** Process-wide translator cache (on the global object, so copies of this module share it). */
const CACHE_KEY = Symbol.for('weir.translate.translators');
type TranslatorCache = Map<string, Promise<Translator>>;
const translators = (): TranslatorCache => ((globalThis as Record<symbol, unknown>)[CACHE_KEY] ??= new Map()) as TranslatorCache;

/**
 * The translator for these settings: created once per process (per model directory, fingerprint and
 * settings) and reused across batches and runs.
 */
export function getTranslator(s: TranslateSettings & { modelDir: string }, fingerprint: string): Promise<Translator> {
  const key = JSON.stringify([s.modelDir, fingerprint, s.numBeams ?? null, s.maxLength ?? null, s.quantized]);
  const cache = translators();
  let t = cache.get(key);
  if (!t) {
    t = createTranslator({ modelDir: s.modelDir, numBeams: s.numBeams, maxLength: s.maxLength, quantized: s.quantized });
    t.catch(() => cache.delete(key));
    cache.set(key, t);
  }
  return t;
}

/** Translators that have run, process-wide (for {@link translationStats}). */
const SETTLED_KEY = Symbol.for('weir.translate.used');
const usedTranslators = (): Set<Translator> => ((globalThis as Record<symbol, unknown>)[SETTLED_KEY] ??= new Set<Translator>()) as Set<Translator>;

/** Work counters of every translator used in this process, summed (how many sentences were translated). */
export function translationStats(): TranslatorStats {
  const sum: TranslatorStats = { texts: 0, sentences: 0, batches: 0 };
  for (const t of usedTranslators()) {
    sum.texts += t.stats.texts;
    sum.sentences += t.stats.sentences;
    sum.batches += t.stats.batches;
  }
  return sum;
}

/** Closes and forgets every cached translator (tests, long-lived processes). */
export async function closeTranslators(): Promise<void> {
  const cache = translators();
  const all = [...cache.values()];
  cache.clear();
  usedTranslators().clear();
  for (const t of all) await (await t.catch(() => undefined))?.close();
}

const norm = (lang: unknown) => String(lang).trim().toLowerCase().replace(/_/g, '-');
const KO = new Set(['ko', 'kor', 'ko-kr', 'korean']);
const EN = new Set(['en', 'eng', 'en-us', 'en-gb', 'english']);

const definition = defineBatchUdf({
  name: 'translate',
  args: [
    { name: 'text', type: 'VARCHAR', description: 'Text to translate.' },
    { name: 'source_lang', type: 'VARCHAR', description: "Source language: 'ko'." },
    { name: 'target_lang', type: 'VARCHAR', description: "Target language: 'en'." },
  ],
  returns: 'VARCHAR',
  deterministic: true,
  description:
    "Machine translation Korean → English (translate(text, 'ko', 'en')) with a MarianMT model (Junczys-Dowmunt et al. 2018, " +
    'opus-mt-ko-en by Tiedemann & Thottingal 2020) exported to ONNX, run by onnxruntime-node: SentencePiece unigram ' +
    'tokenization (Kudo & Richardson 2018; Kudo 2018), beam search as in transformers, long texts split into sentences, ' +
    'text without Hangul returned unchanged, same source and target language returned unchanged. Needs a model directory: ' +
    'vars.translation_model_dir or WEIR_TRANSLATION_MODEL_DIR.',
  batchSize: 32,
  // Resolve the model once per run (no error here: without a model only the models calling translate fail).
  setup: (ctx) => void translateUnavailable(ctx),
  // Cache keys include the model fingerprint and decoding settings, so another model never reuses them.
  version: (ctx) => {
    translateUnavailable(ctx);
    return currentVersion();
  },
  unavailable: translateUnavailable,
  run: async (rows, ctx) => {
    const reason = translateUnavailable(ctx);
    if (reason) throw new Error(reason);
    const out: (string | null)[] = new Array(rows.length).fill(null);
    const todo: number[] = [];
    rows.forEach(([text, src, tgt], i) => {
      const s = norm(src);
      const t = norm(tgt);
      if (s === t) out[i] = String(text);
      else if (KO.has(s) && EN.has(t)) todo.push(i);
      else throw new Error(`translate supports only 'ko' → 'en' (got '${String(src)}' → '${String(tgt)}')`);
    });
    if (todo.length) {
      const s = current!.settings as TranslateSettings & { modelDir: string };
      const translator = await getTranslator(s, current!.fingerprint);
      usedTranslators().add(translator);
      const res = await translator.translate(todo.map((i) => String(rows[i][0])));
      todo.forEach((i, k) => (out[i] = res[k]));
    }
    return out;
  },
});

/** The `translate` batch UDF (its version includes the model fingerprint and decoding settings). */
export const translate: BatchUdf = definition;
