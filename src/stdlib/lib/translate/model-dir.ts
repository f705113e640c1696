/**
 * A converted MarianMT model directory (the layout of e.g. `Xenova/opus-mt-ko-en`, optimum's seq2seq
 * ONNX export): configuration, vocabulary, SentencePiece models and ONNX files, checked up front so that
 * a missing file is reported by name together with the expected layout.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The expected layout, shown in errors. */
export const EXPECTED_LAYOUT = `expected a converted MarianMT model directory (e.g. Xenova/opus-mt-ko-en) laid out as:
  config.json, generation_config.json (optional), vocab.json, source.spm, target.spm,
  onnx/encoder_model.onnx, onnx/decoder_model_merged.onnx (or onnx/decoder_model.onnx)
  (+ onnx/*_quantized.onnx when quantized models are requested)`;

/** The generation-relevant fields of `config.json` merged with `generation_config.json`. */
export interface MarianConfig {
  readonly dModel: number;
  readonly decoderLayers: number;
  readonly decoderAttentionHeads: number;
  /** d_model / decoder_attention_heads. */
  readonly headDim: number;
  readonly vocabSize: number;
  readonly padTokenId: number;
  readonly eosTokenId: number;
  readonly decoderStartTokenId: number;
  /** Token ids never generated (`bad_words_ids` entries of length 1, plus the pad id). */
  readonly badTokenIds: readonly number[];
  /** Maximum decoder length, counting the start token (transformers' `max_length`). */
  readonly maxLength: number;
  readonly numBeams: number;
  readonly lengthPenalty: number;
  /** Token forced when `max_length` is reached (`forced_eos_token_id`), if any. */
  readonly forcedEosTokenId?: number;
  /** Re-apply log-softmax after the logits processors (`renormalize_logits`). */
  readonly renormalizeLogits: boolean;
  /** Largest source length the encoder accepts (`max_position_embeddings`). */
  readonly maxPositionEmbeddings: number;
}

/** Paths of a validated model directory. */
export interface MarianModelFiles {
  readonly dir: string;
  readonly config: string;
  readonly generationConfig?: string;
  readonly vocab: string;
  readonly sourceSpm: string;
  readonly targetSpm: string;
  readonly encoder: string;
  readonly decoder: string;
  /** Whether `decoder` is the merged decoder (with `use_cache_branch` and past key/values). */
  readonly decoderMerged: boolean;
  /** tokenizer_config.json's `clean_up_tokenization_spaces` (default true, as in transformers 4.x). */
  readonly cleanUpTokenizationSpaces: boolean;
}

/** A model directory that is missing a file or holds an invalid one. */
export class ModelDirError extends Error {
  override readonly name = 'ModelDirError';
}

/**
 * Finds the files of a model directory.
 * @param quantized prefer `onnx/*_quantized.onnx` (falling back to fp32 files when absent)
 * @throws ModelDirError naming the missing file and the expected layout
 */
export function locateModelFiles(dir: string, quantized = false): MarianModelFiles {
  const abs = path.resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new ModelDirError(`translation model directory ${abs} does not exist; ${EXPECTED_LAYOUT}`);
  const need = (rel: string): string => {
    const p = path.join(abs, rel);
    if (!existsSync(p)) throw new ModelDirError(`translation model directory ${abs} has no ${rel}; ${EXPECTED_LAYOUT}`);
    return p;
  };
  const first = (rels: string[], label: string): string => {
    for (const r of rels) if (existsSync(path.join(abs, r))) return path.join(abs, r);
    throw new ModelDirError(`translation model directory ${abs} has no ${label} (looked for ${rels.join(', ')}); ${EXPECTED_LAYOUT}`);
  };
  const variants = (base: string) => (quantized ? [`onnx/${base}_quantized.onnx`, `onnx/${base}.onnx`] : [`onnx/${base}.onnx`]);
  const config = need('config.json');
  const genPath = path.join(abs, 'generation_config.json');
  const vocab = need('vocab.json');
  const sourceSpm = need('source.spm');
  const targetSpm = need('target.spm');
  const encoder = first(variants('encoder_model'), 'encoder');
  const decoder = first([...variants('decoder_model_merged'), ...variants('decoder_model')], 'decoder');
  let cleanUpTokenizationSpaces = true;
  const tokCfg = path.join(abs, 'tokenizer_config.json');
  if (existsSync(tokCfg)) cleanUpTokenizationSpaces = readJson(tokCfg).clean_up_tokenization_spaces !== false;
  return {
    dir: abs, config, generationConfig: existsSync(genPath) ? genPath : undefined, vocab, sourceSpm, targetSpm, encoder, decoder,
    decoderMerged: /decoder_model_merged/.test(path.basename(decoder)), cleanUpTokenizationSpaces,
  };
}

const readJson = (file: string): Record<string, unknown> => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ModelDirError(`cannot parse ${file}: ${(e as Error).message}`);
  }
};

/**
 * Reads `config.json` and `generation_config.json` (the latter wins, as in transformers).
 * @throws ModelDirError for unparseable JSON or missing required keys (d_model, decoder_layers,
 *   decoder_attention_heads, vocab_size, eos_token_id, pad_token_id)
 */
export function readMarianConfig(files: Pick<MarianModelFiles, 'config' | 'generationConfig'>): MarianConfig {
  const c = { ...readJson(files.config), ...(files.generationConfig ? readJson(files.generationConfig) : {}) };
  const num = (k: string, dflt?: number): number => {
    const v = c[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (dflt !== undefined) return dflt;
    throw new ModelDirError(`${files.config}: missing numeric "${k}"`);
  };
  const dModel = num('d_model');
  const heads = num('decoder_attention_heads');
  const pad = num('pad_token_id');
  const bad = new Set<number>([pad]);
  if (Array.isArray(c.bad_words_ids)) for (const seq of c.bad_words_ids) if (Array.isArray(seq) && seq.length === 1 && typeof seq[0] === 'number') bad.add(seq[0]);
  const forced = c.forced_eos_token_id;
  return {
    dModel,
    decoderLayers: num('decoder_layers'),
    decoderAttentionHeads: heads,
    headDim: dModel / heads,
    vocabSize: num('decoder_vocab_size', num('vocab_size')),
    padTokenId: pad,
    eosTokenId: num('eos_token_id'),
    decoderStartTokenId: num('decoder_start_token_id', pad),
    badTokenIds: [...bad],
    maxLength: num('max_length', 512),
    numBeams: num('num_beams', 1),
    lengthPenalty: num('length_penalty', 1),
    forcedEosTokenId: typeof forced === 'number' ? forced : undefined,
    renormalizeLogits: c.renormalize_logits === true,
    maxPositionEmbeddings: num('max_position_embeddings', 512),
  };
}

/**
 * A fingerprint of the model: SHA-256 over the contents of config.json, generation_config.json,
 * vocab.json, source.spm and target.spm plus the names and sizes of the ONNX files (hashing hundreds of
 * MB of weights is avoided; replacing the model changes the config, vocabulary or file sizes). A copy
 * of the same model elsewhere has the same fingerprint.
 * @returns 16 hex characters
 */
export function modelFingerprint(files: MarianModelFiles): string {
  const h = createHash('sha256');
  for (const f of [files.config, files.generationConfig, files.vocab, files.sourceSpm, files.targetSpm]) {
    if (f) h.update(`${path.basename(f)}\n`).update(readFileSync(f));
  }
  for (const f of [files.encoder, files.decoder]) h.update(`${path.basename(f)}:${statSync(f).size}\n`);
  return h.digest('hex').slice(0, 16);
}
