/**
 * The translation pipeline: model directory → tokenizer + ONNX sessions → `translate(texts)`.
 * Texts without Hangul pass through unchanged; others are split into sentences, the distinct sentences
 * of all texts are translated together in length-sorted batches, and each text is rejoined.
 */
import { hasHangul, joinChunks, splitSentences, type Chunk } from './chunk.js';
import { MarianOnnx } from './generate.js';
import { locateModelFiles, modelFingerprint, readMarianConfig, type MarianConfig } from './model-dir.js';
import { MarianTokenizer } from './tokenizer.js';

/** Options of {@link createTranslator}. */
export interface TranslatorOptions {
  /** A converted MarianMT model directory (see `EXPECTED_LAYOUT` in model-dir.ts). */
  readonly modelDir: string;
  /** Beams (1 = greedy). Default: generation_config's `num_beams`. */
  readonly numBeams?: number;
  /** Maximum decoder length counting the start token. Default: generation_config's `max_length`. */
  readonly maxLength?: number;
  /** Length penalty for beam search. Default: generation_config's `length_penalty` (1). */
  readonly lengthPenalty?: number;
  /** Prefer `onnx/*_quantized.onnx` (int8) files when present. Default false. */
  readonly quantized?: boolean;
  /**
   * Sentences per ONNX batch. Default 32 for greedy decoding with float32 files (faster per sentence
   * than 16 on the real-size bench), else 16: with beams the decoder batch is sentences × beams rows, and
   * the int8 `_quantized` files quantize activations with one scale per batch tensor
   * (DynamicQuantizeLinear), so their output depends on the batch and 32 was not faster.
   */
  readonly batchSize?: number;
  /** Longest sentence chunk in characters before it is split further (default 400). */
  readonly maxChunkChars?: number;
  /** onnxruntime intra-op threads (default: onnxruntime's choice). */
  readonly threads?: number;
}

/** Counters of the work a translator has done. */
export interface TranslatorStats {
  /** Texts passed to translate(). */
  texts: number;
  /** Sentences sent to the model. */
  sentences: number;
  /** ONNX generate() batches. */
  batches: number;
}

/** A loaded translator. */
export interface Translator {
  /**
   * Translates texts (Korean → English); one output per input, in order. Texts without Hangul are
   * returned unchanged; empty texts stay empty.
   * @throws Error from onnxruntime when inference fails
   */
  translate(texts: readonly string[]): Promise<string[]>;
  /** Releases the ONNX sessions. */
  close(): Promise<void>;
  /** Fingerprint of the model files (see `modelFingerprint`). */
  readonly fingerprint: string;
  readonly config: MarianConfig;
  readonly tokenizer: MarianTokenizer;
  /** Effective number of beams and maximum length. */
  readonly numBeams: number;
  readonly maxLength: number;
  readonly stats: TranslatorStats;
}

/**
 * Loads a model directory and returns a translator.
 * @throws ModelDirError naming a missing file and the expected layout; Error for invalid files
 */
export async function createTranslator(opts: TranslatorOptions): Promise<Translator> {
  const files = locateModelFiles(opts.modelDir, opts.quantized ?? false);
  const config = readMarianConfig(files);
  const tokenizer = MarianTokenizer.fromFiles(files.sourceSpm, files.targetSpm, files.vocab, config.padTokenId, files.cleanUpTokenizationSpaces);
  const onnx = await MarianOnnx.load(files.encoder, files.decoder, files.decoderMerged, config, opts.threads);
  const numBeams = Math.max(1, Math.floor(opts.numBeams ?? config.numBeams));
  const maxLength = Math.max(2, Math.floor(opts.maxLength ?? config.maxLength));
  const lengthPenalty = opts.lengthPenalty ?? config.lengthPenalty;
  const int8 = /_quantized\.onnx$/.test(files.decoder);
  const batchSize = Math.max(1, opts.batchSize ?? (numBeams === 1 && !int8 ? 32 : 16));
  const maxSrc = config.maxPositionEmbeddings;
  const stats: TranslatorStats = { texts: 0, sentences: 0, batches: 0 };

  const translateSentences = async (sentences: readonly string[]): Promise<string[]> => {
    const encoded = sentences.map((s) => {
      const ids = tokenizer.encode(s);
      return ids.length > maxSrc ? [...ids.slice(0, maxSrc - 1), tokenizer.eosId] : ids;
    });
    const order = encoded.map((_, i) => i).sort((a, b) => encoded[a].length - encoded[b].length);
    const out: string[] = new Array(sentences.length);
    for (let i = 0; i < order.length; i += batchSize) {
      const idx = order.slice(i, i + batchSize);
      const gen = await onnx.generate(idx.map((j) => encoded[j]), { numBeams, maxLength, lengthPenalty });
      stats.batches++;
      stats.sentences += idx.length;
      idx.forEach((j, k) => (out[j] = tokenizer.decode(gen[k])));
    }
    return out;
  };

  return {
    fingerprint: modelFingerprint(files),
    config,
    tokenizer,
    numBeams,
    maxLength,
    stats,
    async translate(texts) {
      stats.texts += texts.length;
      const plans: { chunks: Chunk[]; keys: (string | null)[] }[] = [];
      const todo = new Map<string, number>();
      for (const t of texts) {
        const text = t ?? '';
        if (!hasHangul(text)) {
          plans.push({ chunks: [{ text, sep: '' }], keys: [null] });
          continue;
        }
        const chunks = splitSentences(text, opts.maxChunkChars ?? 400);
        const keys = chunks.map((c) => (hasHangul(c.text) ? c.text : null));
        for (const k of keys) if (k !== null && !todo.has(k)) todo.set(k, todo.size);
        plans.push({ chunks, keys });
      }
      const unique = [...todo.keys()];
      const translated = unique.length ? await translateSentences(unique) : [];
      return plans.map(({ chunks, keys }) => joinChunks(chunks, chunks.map((c, i) => (keys[i] === null ? c.text : translated[todo.get(keys[i]!)!]))));
    },
    async close() {
      await onnx.release();
    },
  };
}
