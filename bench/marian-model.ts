/**
 * A MarianMT-shaped transformer with random weights, written as an optimum-style ONNX model directory
 * (the interface of ../shared/TRANSLATION.md), so that Weir's real `translate` code path loads and runs
 * it unchanged. At opus-mt-ko-en's size (d_model 512, 6 + 6 layers, 8 heads, ffn 2048, vocab 65,001) it
 * costs what the real model costs per token; the weights are random, so its translations are noise.
 *
 * Architecture (transformers' `MarianMTModel`, post-norm, `normalize_before: false`):
 * - embeddings shared by encoder, decoder and the output projection, scaled by √d_model, plus Marian's
 *   sinusoidal positions (sin in the first half of the features, cos in the second);
 * - encoder layer: x = LN(x + SelfAttn(x)); x = LN(x + W2·swish(W1·x + b1) + b2);
 * - decoder layer: x = LN(x + CausalSelfAttn(x, past)); x = LN(x + CrossAttn(x, enc)); x = LN(x + FFN(x));
 * - logits = x · Eᵀ + final_logits_bias.
 *
 * Files (optimum's seq2seq export names): `onnx/encoder_model.onnx` (`input_ids`, `attention_mask` →
 * `last_hidden_state`) and `onnx/decoder_model_merged.onnx` (`input_ids`, `encoder_attention_mask`,
 * `encoder_hidden_states`, `past_key_values.{i}.{decoder,encoder}.{key,value}`, `use_cache_branch` →
 * `logits`, `present.*`). The merged decoder computes the cross-attention keys/values from
 * `encoder_hidden_states` in the `If`'s no-cache branch and returns them as `present.{i}.encoder.*`; the
 * cache branch reads them from the past inputs and returns empty encoder presents, as TRANSLATION.md
 * describes. Self-attention concatenates the past decoder keys/values (zero-length at step 0) with the
 * new ones; positions and the causal mask start at the past length.
 *
 * int8 variant (`*_quantized.onnx`): every weight MatMul becomes DynamicQuantizeLinear (activations to
 * uint8, per tensor, computed at run time) → MatMulInteger with an int8 weight (symmetric, per tensor,
 * zero point 0) → Cast → Mul by the product of the two scales, and the embedding Gather reads an int8
 * table followed by DequantizeLinear: the node pattern onnxruntime's Python `quantize_dynamic` writes
 * (which onnxruntime fuses into MatMulIntegerToFloat), though that tool uses uint8 weights by default
 * (`weight_type=QUInt8`) and may differ in which nodes it quantizes; attention's activation × activation
 * MatMuls stay float32 here. The int8 decoder keeps a transposed int8 copy of the embedding for the output
 * projection; the float32 decoder uses Gemm(transB = 1) on the same table instead of a copy.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeSpmModel, type SpmPieceSpec } from '../src/stdlib/lib/translate/tiny-model.js';
import { DT, GraphBuilder, modelProto, valueInfo, type Msg } from './onnx-writer.js';
import { prng } from './util.js';

/** Sizes of a Marian model. */
export interface MarianDims {
  readonly dModel: number;
  readonly encoderLayers: number;
  readonly decoderLayers: number;
  readonly heads: number;
  readonly ffn: number;
  /** Vocabulary size including `<pad>` (the last id). */
  readonly vocab: number;
  /** Longest position (`max_position_embeddings`). */
  readonly maxPositions: number;
}

/** Helsinki-NLP/opus-mt-ko-en's sizes (config.json, see TRANSLATION.md). */
export const OPUS_MT_KO_EN: MarianDims = { dModel: 512, encoderLayers: 6, decoderLayers: 6, heads: 8, ffn: 2048, vocab: 65001, maxPositions: 512 };

/** Random parameters: one shared embedding table and per-layer weights, `[in, out]` row-major. */
interface Weights {
  readonly embed: Float32Array;
  readonly positions: Float32Array;
  readonly tensors: Map<string, { dims: number[]; data: Float32Array }>;
}

/** Marian's sinusoidal table [maxPositions, d]: sin(p / 10000^(2j/d)) in column j, cos in column d/2 + j. */
function sinusoids(n: number, d: number): Float32Array {
  const out = new Float32Array(n * d);
  const half = d / 2;
  for (let p = 0; p < n; p++) {
    for (let j = 0; j < half; j++) {
      const a = p / 10000 ** ((2 * j) / d);
      out[p * d + j] = Math.sin(a);
      out[p * d + half + j] = Math.cos(a);
    }
  }
  return out;
}

/**
 * Draws the weights from Mulberry32 (bench/util.ts `prng`) seeded with `seed`: matrices uniform in
 * ±0.02·√3 (standard deviation 0.02, the config's `init_std`), biases uniform in ±0.01, layer norms γ = 1, β = 0.
 */
function randomWeights(d: MarianDims, seed: number): Weights {
  const rnd = prng(seed);
  const uniform = (n: number, r: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = (2 * rnd() - 1) * r;
    return a;
  };
  const W = 0.02 * Math.sqrt(3);
  const tensors = new Map<string, { dims: number[]; data: Float32Array }>();
  const mat = (name: string, i: number, o: number) => {
    tensors.set(`${name}.weight`, { dims: [i, o], data: uniform(i * o, W) });
    tensors.set(`${name}.bias`, { dims: [o], data: uniform(o, 0.01) });
  };
  const ln = (name: string) => {
    tensors.set(`${name}.weight`, { dims: [d.dModel], data: new Float32Array(d.dModel).fill(1) });
    tensors.set(`${name}.bias`, { dims: [d.dModel], data: new Float32Array(d.dModel) });
  };
  const D = d.dModel;
  const embed = uniform(d.vocab * D, W);
  for (let l = 0; l < d.encoderLayers; l++) {
    for (const p of ['q', 'k', 'v', 'out']) mat(`encoder.${l}.self.${p}`, D, D);
    ln(`encoder.${l}.self_ln`);
    mat(`encoder.${l}.fc1`, D, d.ffn);
    mat(`encoder.${l}.fc2`, d.ffn, D);
    ln(`encoder.${l}.final_ln`);
  }
  for (let l = 0; l < d.decoderLayers; l++) {
    for (const p of ['q', 'k', 'v', 'out']) mat(`decoder.${l}.self.${p}`, D, D);
    ln(`decoder.${l}.self_ln`);
    for (const p of ['q', 'k', 'v', 'out']) mat(`decoder.${l}.cross.${p}`, D, D);
    ln(`decoder.${l}.cross_ln`);
    mat(`decoder.${l}.fc1`, D, d.ffn);
    mat(`decoder.${l}.fc2`, d.ffn, D);
    ln(`decoder.${l}.final_ln`);
  }
  tensors.set('final_logits_bias', { dims: [d.vocab], data: new Float32Array(d.vocab) });
  return { embed, positions: sinusoids(d.maxPositions, D), tensors };
}

/** Symmetric per-tensor int8 quantization: q = round(x / s), s = max|x| / 127. */
function quantize(x: Float32Array): { q: Int8Array; scale: number } {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  const scale = m > 0 ? m / 127 : 1;
  const q = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(x[i] / scale)));
  return { q, scale };
}

/** Builds the layers of one graph (encoder, decoder or a decoder subgraph) over shared initializers. */
class Layers {
  /** @param have names already registered in `top` (shared by the builders of one file) */
  constructor(readonly g: GraphBuilder, readonly top: GraphBuilder, readonly w: Weights, readonly d: MarianDims, readonly int8: boolean, private readonly have = new Set<string>()) {}

  /** A builder for a subgraph of the same file. */
  sub(g: GraphBuilder): Layers {
    return new Layers(g, this.top, this.w, this.d, this.int8, this.have);
  }
  /** Registers an initializer in the top-level graph once (subgraphs see outer initializers). */
  private param(name: string, make: () => [number, number[], Float32Array | Int8Array | BigInt64Array]): string {
    if (!this.have.has(name)) {
      const [elem, dims, data] = make();
      this.top.init(name, elem, dims, data);
      this.have.add(name);
    }
    return name;
  }
  f32(name: string): string {
    const t = this.w.tensors.get(name)!;
    return this.param(name, () => [DT.FLOAT, t.dims, t.data]);
  }
  scalarF(name: string, v: number): string {
    return this.param(name, () => [DT.FLOAT, [], Float32Array.of(v)]);
  }
  i64(name: string, v: readonly number[], dims: number[] = [v.length]): string {
    return this.param(name, () => [DT.INT64, dims, BigInt64Array.from(v.map(BigInt))]);
  }

  /** x · W + b, float32 or dynamically quantized. */
  linear(x: string, name: string): string {
    const g = this.g;
    const b = this.f32(`${name}.bias`);
    if (!this.int8) return g.op1('Add', [g.op1('MatMul', [x, this.f32(`${name}.weight`)]), b]);
    const t = this.w.tensors.get(`${name}.weight`)!;
    const wq = this.param(`${name}.weight_quantized`, () => {
      const q = quantize(t.data);
      this.top.init(`${name}.weight_scale`, DT.FLOAT, [], Float32Array.of(q.scale));
      return [DT.INT8, t.dims, q.q];
    });
    const zp = this.param('int8_zero', () => [DT.INT8, [], Int8Array.of(0)]);
    return this.qmatmulAdd(x, wq, `${name}.weight_scale`, zp, b);
  }

  /** DynamicQuantizeLinear → MatMulInteger → Cast → Mul(scales) → Add(bias). */
  qmatmulAdd(x: string, wq: string, wScale: string, wZp: string, bias: string): string {
    const g = this.g;
    const [xq, xs, xzp] = g.op('DynamicQuantizeLinear', [x], {}, 3);
    const acc = g.op1('MatMulInteger', [xq, wq, xzp, wZp]);
    const s = g.op1('Mul', [xs, wScale]);
    return g.op1('Add', [g.op1('Mul', [g.op1('Cast', [acc], { to: { i: DT.FLOAT } }), s]), bias]);
  }

  /** Token embeddings · √d_model. */
  embed(ids: string): string {
    const g = this.g;
    const D = this.d.dModel;
    let e: string;
    if (!this.int8) e = g.op1('Gather', [this.param('shared.weight', () => [DT.FLOAT, [this.d.vocab, D], this.w.embed]), ids], { axis: { i: 0 } });
    else {
      const table = this.param('shared.weight_quantized', () => {
        const q = quantize(this.w.embed);
        this.top.init('shared.weight_scale', DT.FLOAT, [], Float32Array.of(q.scale));
        return [DT.INT8, [this.d.vocab, D], q.q];
      });
      const zp = this.param('int8_zero', () => [DT.INT8, [], Int8Array.of(0)]);
      e = g.op1('DequantizeLinear', [g.op1('Gather', [table, ids], { axis: { i: 0 } }), 'shared.weight_scale', zp]);
    }
    return g.op1('Mul', [e, this.scalarF('embed_scale', Math.sqrt(D))]);
  }

  /** Sinusoidal position rows for positions `pos` (int64 1-D). */
  positions(pos: string): string {
    const D = this.d.dModel;
    return this.g.op1('Gather', [this.param('positions.weight', () => [DT.FLOAT, [this.d.maxPositions, D], this.w.positions]), pos], { axis: { i: 0 } });
  }

  layerNorm(x: string, name: string): string {
    return this.g.op1('LayerNormalization', [x, this.f32(`${name}.weight`), this.f32(`${name}.bias`)], { axis: { i: -1 }, epsilon: { f: 1e-5 } });
  }

  /** [B, T, D] → [B, H, T, hd]. */
  heads(x: string): string {
    const { heads, dModel } = this.d;
    const r = this.g.op1('Reshape', [x, this.i64('heads_shape', [0, 0, heads, dModel / heads])]);
    return this.g.op1('Transpose', [r], { perm: { ints: [0, 2, 1, 3] } });
  }

  /** softmax(q·kᵀ/√hd + mask)·v over heads, then the output projection. */
  attend(qh: string, kh: string, vh: string, mask: string, name: string): string {
    const g = this.g;
    const { heads, dModel } = this.d;
    const qs = g.op1('Mul', [qh, this.scalarF('attn_scale', 1 / Math.sqrt(dModel / heads))]);
    const kt = g.op1('Transpose', [kh], { perm: { ints: [0, 1, 3, 2] } });
    const scores = g.op1('Add', [g.op1('MatMul', [qs, kt]), mask]);
    const ctx = g.op1('MatMul', [g.op1('Softmax', [scores], { axis: { i: -1 } }), vh]);
    const merged = g.op1('Reshape', [g.op1('Transpose', [ctx], { perm: { ints: [0, 2, 1, 3] } }), this.i64('hidden_shape', [0, 0, dModel])]);
    return this.linear(merged, `${name}.out`);
  }

  /** W2 · swish(W1 · x + b1) + b2. */
  ffn(x: string, name: string): string {
    const g = this.g;
    const h = this.linear(x, `${name}.fc1`);
    return this.linear(g.op1('Mul', [h, g.op1('Sigmoid', [h])]), `${name}.fc2`);
  }

  /** Additive padding mask [B, 1, 1, S] from an int64 [B, S] attention mask: 0 kept, −1e9 masked. */
  paddingMask(mask: string): string {
    const g = this.g;
    const m = g.op1('Cast', [mask], { to: { i: DT.FLOAT } });
    const add = g.op1('Mul', [g.op1('Sub', [m, this.scalarF('one_f', 1)]), this.scalarF('big_f', 1e9)]);
    return g.op1('Unsqueeze', [add, this.i64('axes_1_2', [1, 2])]);
  }
}

/** The encoder graph. */
function encoderGraph(w: Weights, d: MarianDims, int8: boolean): Msg {
  const g = new GraphBuilder('encoder');
  const L = new Layers(g, g, w, d, int8);
  g.inputs.push(valueInfo('input_ids', DT.INT64, ['batch_size', 'encoder_sequence_length']), valueInfo('attention_mask', DT.INT64, ['batch_size', 'encoder_sequence_length']));
  g.outputs.push(valueInfo('last_hidden_state', DT.FLOAT, ['batch_size', 'encoder_sequence_length', d.dModel]));
  const len = g.op1('Squeeze', [g.op1('Shape', ['input_ids'], { start: { i: 1 }, end: { i: 2 } }), L.i64('axis0', [0])]);
  const pos = g.op1('Range', [L.i64('zero', [0], []), len, L.i64('one', [1], [])]);
  let x = g.op1('Add', [L.embed('input_ids'), L.positions(pos)]);
  const mask = L.paddingMask('attention_mask');
  for (let l = 0; l < d.encoderLayers; l++) {
    const p = `encoder.${l}`;
    const a = L.attend(L.heads(L.linear(x, `${p}.self.q`)), L.heads(L.linear(x, `${p}.self.k`)), L.heads(L.linear(x, `${p}.self.v`)), mask, `${p}.self`);
    x = L.layerNorm(g.op1('Add', [x, a]), `${p}.self_ln`);
    const f = L.ffn(x, p);
    x = l === d.encoderLayers - 1 ? g.op1('LayerNormalization', [g.op1('Add', [x, f]), L.f32(`${p}.final_ln.weight`), L.f32(`${p}.final_ln.bias`)], { axis: { i: -1 }, epsilon: { f: 1e-5 } }, 'last_hidden_state') : L.layerNorm(g.op1('Add', [x, f]), `${p}.final_ln`);
  }
  return modelProto(g.build(), 'weir-bench-random-marian');
}

/** The merged decoder graph (optimum's `decoder_model_merged`). */
function decoderGraph(w: Weights, d: MarianDims, int8: boolean): Msg {
  const g = new GraphBuilder('decoder_merged');
  const L = new Layers(g, g, w, d, int8);
  const H = d.heads;
  const hd = d.dModel / H;
  g.inputs.push(
    valueInfo('encoder_attention_mask', DT.INT64, ['batch_size', 'encoder_sequence_length']),
    valueInfo('input_ids', DT.INT64, ['batch_size', 'decoder_sequence_length']),
    valueInfo('encoder_hidden_states', DT.FLOAT, ['batch_size', 'encoder_sequence_length', d.dModel]),
  );
  for (let i = 0; i < d.decoderLayers; i++) {
    for (const kv of ['key', 'value']) g.inputs.push(valueInfo(`past_key_values.${i}.decoder.${kv}`, DT.FLOAT, ['batch_size', H, 'past_decoder_sequence_length', hd]));
    for (const kv of ['key', 'value']) g.inputs.push(valueInfo(`past_key_values.${i}.encoder.${kv}`, DT.FLOAT, ['batch_size', H, 'encoder_sequence_length_out', hd]));
  }
  g.inputs.push(valueInfo('use_cache_branch', DT.BOOL, [1]));
  g.outputs.push(valueInfo('logits', DT.FLOAT, ['batch_size', 'decoder_sequence_length', d.vocab]));
  for (let i = 0; i < d.decoderLayers; i++) {
    for (const kv of ['key', 'value']) g.outputs.push(valueInfo(`present.${i}.decoder.${kv}`, DT.FLOAT, ['batch_size', H, 'past_decoder_sequence_length + 1', hd]));
    for (const kv of ['key', 'value']) g.outputs.push(valueInfo(`present.${i}.encoder.${kv}`, DT.FLOAT, ['batch_size', H, 'encoder_sequence_length_out', hd]));
  }

  // cross-attention keys/values: computed from encoder_hidden_states at step 0, read from the cache later
  const then = new GraphBuilder('cache_branch', 'then_');
  const els = new GraphBuilder('no_cache_branch', 'else_');
  const E = L.sub(els);
  const ifOutputs: string[] = [];
  for (let i = 0; i < d.decoderLayers; i++) {
    for (const kv of ['key', 'value'] as const) {
      const past = `past_key_values.${i}.encoder.${kv}`;
      const use = then.op1('Identity', [past]);
      const empty = then.op1('Slice', [past, L.i64('zero1', [0]), L.i64('zero1', [0]), L.i64('axis2', [2])]);
      const computed = E.heads(E.linear('encoder_hidden_states', `decoder.${i}.cross.${kv === 'key' ? 'k' : 'v'}`));
      const pres = els.op1('Identity', [computed]);
      then.outputs.push(valueInfo(use, DT.FLOAT), valueInfo(empty, DT.FLOAT));
      els.outputs.push(valueInfo(computed, DT.FLOAT), valueInfo(pres, DT.FLOAT));
      ifOutputs.push(`cross.${i}.${kv}`, `present.${i}.encoder.${kv}`);
    }
  }
  g.op('If', ['use_cache_branch'], { then_branch: { g: then.build() }, else_branch: { g: els.build() } }, ifOutputs);

  // positions past_len .. past_len + T − 1 and the causal mask [T, past_len + T]
  const pastLen = g.op1('Shape', ['past_key_values.0.decoder.key'], { start: { i: 2 }, end: { i: 3 } });
  const pastS = g.op1('Squeeze', [pastLen, L.i64('axis0', [0])]);
  const tS = g.op1('Squeeze', [g.op1('Shape', ['input_ids'], { start: { i: 1 }, end: { i: 2 } }), L.i64('axis0', [0])]);
  const totalS = g.op1('Add', [pastS, tS]);
  const one = L.i64('one', [1], []);
  const pos = g.op1('Range', [pastS, totalS, one]);
  const cols = g.op1('Range', [L.i64('zero', [0], []), totalS, one]);
  const causal = g.op1('Greater', [g.op1('Unsqueeze', [cols, L.i64('axis0', [0])]), g.op1('Unsqueeze', [pos, L.i64('axis1', [1])])]);
  const selfMask = g.op1('Mul', [g.op1('Cast', [causal], { to: { i: DT.FLOAT } }), L.scalarF('neg_big_f', -1e9)]);
  const crossMask = L.paddingMask('encoder_attention_mask');

  let x = g.op1('Add', [L.embed('input_ids'), L.positions(pos)]);
  for (let i = 0; i < d.decoderLayers; i++) {
    const p = `decoder.${i}`;
    const k = g.op1('Concat', [`past_key_values.${i}.decoder.key`, L.heads(L.linear(x, `${p}.self.k`))], { axis: { i: 2 } }, `present.${i}.decoder.key`);
    const v = g.op1('Concat', [`past_key_values.${i}.decoder.value`, L.heads(L.linear(x, `${p}.self.v`))], { axis: { i: 2 } }, `present.${i}.decoder.value`);
    x = L.layerNorm(g.op1('Add', [x, L.attend(L.heads(L.linear(x, `${p}.self.q`)), k, v, selfMask, `${p}.self`)]), `${p}.self_ln`);
    x = L.layerNorm(g.op1('Add', [x, L.attend(L.heads(L.linear(x, `${p}.cross.q`)), `cross.${i}.key`, `cross.${i}.value`, crossMask, `${p}.cross`)]), `${p}.cross_ln`);
    x = L.layerNorm(g.op1('Add', [x, L.ffn(x, p)]), `${p}.final_ln`);
  }
  // logits = x · Eᵀ + final_logits_bias, shaped [B, T, V]
  const bias = L.f32('final_logits_bias');
  if (!int8) {
    // Gemm(transB) on the embedding table registered by L.embed above: no transposed copy
    const outShape = g.op1('Concat', [g.op1('Shape', ['input_ids']), L.i64('vocab_dim', [d.vocab])], { axis: { i: 0 } });
    const flat = g.op1('Reshape', [x, L.i64('flat_shape', [-1, d.dModel])]);
    g.op1('Reshape', [g.op1('Gemm', [flat, 'shared.weight', bias], { transB: { i: 1 } }), outShape], {}, 'logits');
  } else {
    const t = new Float32Array(d.dModel * d.vocab);
    for (let v = 0; v < d.vocab; v++) for (let j = 0; j < d.dModel; j++) t[j * d.vocab + v] = w.embed[v * d.dModel + j];
    const q = quantize(t);
    g.init('lm_head.weight_quantized', DT.INT8, [d.dModel, d.vocab], q.q);
    g.init('lm_head.weight_scale', DT.FLOAT, [], Float32Array.of(q.scale));
    const lg = L.qmatmulAdd(x, 'lm_head.weight_quantized', 'lm_head.weight_scale', 'int8_zero', bias);
    g.op1('Identity', [lg], {}, 'logits');
  }
  return modelProto(g.build(), 'weir-bench-random-marian');
}

/** Vocabulary and SentencePiece files of {@link writeRandomMarianModel}. */
export interface MarianVocabSpec {
  /** Source (Korean) pieces with unigram scores, `▁` marking a word start. */
  readonly sourcePieces: readonly (readonly [piece: string, score: number])[];
  /** Target (English) pieces. */
  readonly targetPieces: readonly string[];
}

/**
 * Writes a model directory: config.json, generation_config.json, vocab.json, source.spm, target.spm and
 * onnx/encoder_model.onnx + onnx/decoder_model_merged.onnx (+ the `_quantized` pair when `int8`).
 * The joint vocabulary holds `</s>` = 0, `<unk>` = 1, the source then target pieces, fillers
 * `▁tok{i}` up to `vocab − 2`, and `<pad>` = `vocab − 1` (decoder start).
 * @param generation generation_config.json overrides (e.g. `bad_words_ids`)
 * @throws Error when the pieces do not fit the vocabulary
 */
export function writeRandomMarianModel(dir: string, d: MarianDims, spec: MarianVocabSpec, opts: { seed?: number; int8?: boolean; fp32?: boolean; generation?: Record<string, unknown> } = {}): string {
  if (d.dModel % d.heads !== 0 || d.dModel % 2 !== 0) throw new Error(`d_model ${d.dModel} must be even and divisible by the ${d.heads} heads`);
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  const pad = d.vocab - 1;
  const pieces = ['</s>', '<unk>'];
  const seen = new Set(pieces);
  for (const p of [...spec.sourcePieces.map(([s]) => s), ...spec.targetPieces]) if (!seen.has(p)) (seen.add(p), pieces.push(p));
  if (pieces.length > pad) throw new Error(`${pieces.length} pieces do not fit a vocabulary of ${d.vocab}`);
  for (let i = 0; pieces.length < pad; i++) if (!seen.has(`▁tok${i}`)) pieces.push(`▁tok${i}`);
  pieces.push('<pad>');
  writeFileSync(path.join(dir, 'vocab.json'), JSON.stringify(Object.fromEntries(pieces.map((p, i) => [p, i]))));
  const specials: SpmPieceSpec[] = [['<unk>', 0, 2], ['<s>', 0, 3], ['</s>', 0, 3]];
  writeFileSync(path.join(dir, 'source.spm'), writeSpmModel([...specials, ...spec.sourcePieces.map(([p, s]): SpmPieceSpec => [p, s, 1])]));
  const srcSet = new Set(spec.sourcePieces.map(([p]) => p));
  writeFileSync(path.join(dir, 'target.spm'), writeSpmModel([...specials, ...pieces.slice(2, pad).filter((p) => !srcSet.has(p)).map((p): SpmPieceSpec => [p, -10, 1])]));
  const config = {
    _name_or_path: 'weir/random-opus-mt-ko-en', activation_function: 'swish', architectures: ['MarianMTModel'], bad_words_ids: [[pad]],
    bos_token_id: 0, d_model: d.dModel, decoder_attention_heads: d.heads, decoder_ffn_dim: d.ffn, decoder_layers: d.decoderLayers,
    decoder_start_token_id: pad, decoder_vocab_size: d.vocab, encoder_attention_heads: d.heads, encoder_ffn_dim: d.ffn,
    encoder_layers: d.encoderLayers, eos_token_id: 0, forced_eos_token_id: 0, init_std: 0.02, is_encoder_decoder: true, max_length: 512,
    max_position_embeddings: d.maxPositions, model_type: 'marian', normalize_before: false, normalize_embedding: false, num_beams: 6,
    num_hidden_layers: d.encoderLayers, pad_token_id: pad, scale_embedding: true, share_encoder_decoder_embeddings: true,
    static_position_embeddings: true, use_cache: true, vocab_size: d.vocab,
  };
  const generation = { bad_words_ids: [[pad]], bos_token_id: 0, decoder_start_token_id: pad, eos_token_id: 0, forced_eos_token_id: 0, max_length: 512, num_beams: 6, pad_token_id: pad, ...opts.generation };
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  writeFileSync(path.join(dir, 'generation_config.json'), JSON.stringify(generation, null, 2));
  const w = randomWeights(d, opts.seed ?? 18);
  const variants = [...(opts.fp32 !== false ? [false] : []), ...(opts.int8 ? [true] : [])];
  for (const int8 of variants) {
    const suffix = int8 ? '_quantized' : '';
    encoderGraph(w, d, int8).writeFile(path.join(dir, 'onnx', `encoder_model${suffix}.onnx`));
    decoderGraph(w, d, int8).writeFile(path.join(dir, 'onnx', `decoder_model_merged${suffix}.onnx`));
  }
  return dir;
}
