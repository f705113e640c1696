/**
 * A tiny MarianMT-shaped model for tests and benchmarks, written from scratch: same directory layout,
 * same ONNX input/output names, dtypes and dynamic axes as optimum's export of Helsinki-NLP/opus-mt-ko-en
 * (see TRANSLATION.md), real SentencePiece `ModelProto` files, and a joint `vocab.json` with `</s>` = 0,
 * `<unk>` = 1 and `<pad>` (= decoder start) = the last id.
 *
 * The "model" is a position-wise copy/rename translator whose outputs can be computed by hand:
 * - encoder: `last_hidden_state[b, s] = onehot(input_ids[b, s]) · attention_mask[b, s]` (d_model = V
 *   rounded up to a multiple of the head count).
 * - decoder at target position p (= past length + index in `input_ids`), previous token `y`:
 *   `logits[v] = A · RENAME[src_p, v] · mask_p + TRANSITION[y, v] + BIAS[v]`, where `src_p` is the source
 *   token at position p (masked out beyond the source or on padding), RENAME maps each Korean piece to an
 *   English piece (weight 1, or 0.9 for a second reading), TRANSITION boosts some token pairs and BIAS
 *   favours `</s>` when nothing else scores. The source at p is read from `encoder_hidden_states` at step
 *   0, but from `past_key_values.{0,last}.encoder.*` in the cache branch — so a caller that doesn't keep
 *   the step-0 encoder key/values gets wrong output — and p comes from the past decoder length.
 *   The present decoder key/values are the past ones with one embedding of the new token appended.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ProtoWriter } from './protobuf.js';
import { FLOAT, INT64, BOOL, graph, modelProto, node, tensor, valueInfo } from './onnx-proto.js';

/** Korean source pieces with their unigram scores (log-probabilities), and what they translate to. */
export const TINY_SOURCE_PIECES: readonly (readonly [piece: string, score: number, target: string, alt?: string])[] = [
  ['▁안녕', -2, '▁hello'],
  ['하세요', -2, ','],
  ['▁세계', -2, '▁world'],
  ['▁고양이', -2, '▁the'],
  ['▁고', -1.5, '▁go'],
  ['양이', -1.5, '▁sheep'],
  ['가', -2, '▁cat'],
  ['▁잔다', -2, '▁sleeps'],
  ['▁나', -1, '▁I'],
  ['는', -1, '▁am'],
  ['▁나는', -3, '▁flying'],
  ['▁학생', -2, '▁a'],
  ['이다', -2, '▁student'],
  ['▁배', -2, '▁boat', '▁pear'],
  ['▁먹었다', -2, '▁eaten'],
  ['▁사과', -2, '▁apple'],
  ['.', -1, '.'],
  ['?', -1, '?'],
  ['!', -1, '!'],
  ['1', -1, '1'],
  ['▁', -3, '▁'],
];

/** English pieces of target.spm (besides the targets above). */
const EXTRA_TARGET_PIECES = ['▁hi', '▁there', 's', '▁and'];

/** Scale of the rename term. */
export const TINY_A = 4;
/** Logit bias of `</s>` (wins when the source position is masked or past the end). */
export const TINY_EOS_BIAS = 1;
/** Token pairs (previous → next) with a logit boost. */
export const TINY_TRANSITIONS: readonly (readonly [prev: string, next: string, boost: number])[] = [['▁pear', '▁eaten', 3]];

/** Layout constants of the tiny model. */
export const TINY_HEADS = 4;
export const TINY_LAYERS = 2;

/** The tiny joint vocabulary: piece → id (`</s>` 0, `<unk>` 1, …, `<pad>` last). */
export function tinyVocab(): Record<string, number> {
  const pieces = ['</s>', '<unk>'];
  const add = (p: string) => (pieces.includes(p) ? undefined : pieces.push(p));
  for (const [p, , t, alt] of TINY_SOURCE_PIECES) {
    add(p);
    add(t);
    if (alt) add(alt);
  }
  for (const p of EXTRA_TARGET_PIECES) add(p);
  pieces.push('<pad>');
  return Object.fromEntries(pieces.map((p, i) => [p, i]));
}

/** Dense parameters of the tiny model (row-major), exported so tests can compute expected logits. */
export interface TinyParams {
  readonly V: number;
  readonly D: number;
  readonly padId: number;
  /** [V × V]: RENAME · A. */
  readonly rename: Float32Array;
  /** [V × V]. */
  readonly transition: Float32Array;
  /** [V]. */
  readonly bias: Float32Array;
}

/** Builds the parameters from the tables above. */
export function tinyParams(): TinyParams {
  const vocab = tinyVocab();
  const V = Object.keys(vocab).length;
  const D = Math.ceil(V / TINY_HEADS) * TINY_HEADS;
  const rename = new Float32Array(V * V);
  rename[0 * V + 0] = TINY_A; // </s> → </s>
  rename[1 * V + 1] = TINY_A; // <unk> → <unk>
  for (const [p, , t, alt] of TINY_SOURCE_PIECES) {
    rename[vocab[p] * V + vocab[t]] = TINY_A;
    if (alt) rename[vocab[p] * V + vocab[alt]] = TINY_A * 0.9;
  }
  const transition = new Float32Array(V * V);
  for (const [a, b, boost] of TINY_TRANSITIONS) transition[vocab[a] * V + vocab[b]] = boost;
  const bias = new Float32Array(V);
  bias[0] = TINY_EOS_BIAS;
  return { V, D, padId: V - 1, rename, transition, bias };
}

// ---------------------------------------------------------------------------------------------------
// SentencePiece ModelProto writing

/** A piece for {@link writeSpmModel}: text, score and type (1 NORMAL, 2 UNKNOWN, 3 CONTROL, 4 USER_DEFINED). */
export type SpmPieceSpec = readonly [piece: string, score: number, type: number];

/**
 * Serializes a SentencePiece `ModelProto` (unigram) with a `nmt_nfkc` normalizer.
 * @param charsmap optional replacements compiled into a precompiled charsmap (a Darts-clone trie)
 */
export function writeSpmModel(pieces: readonly SpmPieceSpec[], charsmap?: Record<string, string>): Uint8Array {
  const w = new ProtoWriter();
  for (const [piece, score, type] of pieces) w.bytes(1, new ProtoWriter().bytes(1, piece).float(2, score).varint(3, type));
  w.bytes(2, new ProtoWriter().varint(3, 1).varint(4, pieces.length).varint(40, 0).varint(41, 1).varint(42, 2).varint(43, -1));
  const norm = new ProtoWriter().bytes(1, 'nmt_nfkc');
  if (charsmap) norm.bytes(2, buildPrecompiledCharsmap(charsmap));
  norm.varint(3, true).varint(4, true).varint(5, true);
  w.bytes(3, norm);
  return w.finish();
}

/**
 * Compiles replacements into sentencepiece's precompiled charsmap format: `<uint32 LE trie size><Darts-clone
 * double array><NUL-terminated replacements>`. A simple (sparse) double-array layout: each node's
 * children live in a fresh 256-unit block, the leaf (value) unit at the block's label-0 slot.
 */
export function buildPrecompiledCharsmap(map: Record<string, string>): Uint8Array {
  interface Node { children: Map<number, Node>; value?: number }
  const root: Node = { children: new Map() };
  const enc = new TextEncoder();
  const strings: number[] = [];
  for (const [from, to] of Object.entries(map)) {
    let n = root;
    for (const b of enc.encode(from)) {
      if (!n.children.has(b)) n.children.set(b, { children: new Map() });
      n = n.children.get(b)!;
    }
    n.value = strings.length;
    strings.push(...enc.encode(to), 0);
  }
  const units: number[] = [0];
  let nextBlock = 256;
  const place = (n: Node, pos: number, label: number) => {
    const base = nextBlock;
    nextBlock += 256;
    while (units.length < base + 256) units.push(0);
    const offset = pos ^ base;
    if (offset >= 1 << 21) throw new Error('charsmap too large for this simple builder');
    units[pos] = ((offset << 10) | (n.value !== undefined ? 1 << 8 : 0) | label) >>> 0;
    if (n.value !== undefined) units[base] = (n.value | 0x80000000) >>> 0;
    for (const [c, child] of n.children) place(child, base ^ c, c);
  };
  place(root, 0, 0);
  const out = new Uint8Array(4 + units.length * 4 + strings.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, units.length * 4, true);
  units.forEach((u, i) => dv.setUint32(4 + 4 * i, u, true));
  out.set(strings, 4 + units.length * 4);
  return out;
}

const i64 = (name: string, values: number[], dims: number[] = [values.length]) => tensor(name, INT64, dims, BigInt64Array.from(values.map(BigInt)));

/** The encoder graph: `input_ids`, `attention_mask` → `last_hidden_state`. */
function encoderOnnx(p: TinyParams): Uint8Array {
  const E = new Float32Array(p.V * p.D);
  for (let v = 0; v < p.V; v++) E[v * p.D + v] = 1;
  const nodes = [
    node('Gather', ['E', 'input_ids'], ['emb'], [{ name: 'axis', i: 0 }]),
    node('Cast', ['attention_mask'], ['maskf'], [{ name: 'to', i: FLOAT }]),
    node('Unsqueeze', ['maskf', 'axis_last'], ['mask3']),
    node('Mul', ['emb', 'mask3'], ['last_hidden_state']),
  ];
  return modelProto('weir-tiny-marian', graph('encoder', nodes,
    [valueInfo('input_ids', INT64, ['batch_size', 'encoder_sequence_length']), valueInfo('attention_mask', INT64, ['batch_size', 'encoder_sequence_length'])],
    [valueInfo('last_hidden_state', FLOAT, ['batch_size', 'encoder_sequence_length', p.D])],
    [tensor('E', FLOAT, [p.V, p.D], E), i64('axis_last', [-1])]));
}

/**
 * The decoder graph. `merged`: optimum's `decoder_model_merged` (past inputs + `use_cache_branch`, an
 * `If` between the cache and no-cache branches); otherwise `decoder_model` (no past inputs).
 */
function decoderOnnx(p: TinyParams, merged: boolean): Uint8Array {
  const H = TINY_HEADS;
  const hd = p.D / H;
  const L = TINY_LAYERS;
  const W = new Float32Array(p.D * p.V);
  W.set(p.rename); // rows v < V: one-hot hidden → rename row (D ≥ V, extra rows zero)
  const kvEmb = new Float32Array(p.V * p.D);
  for (let v = 0; v < p.V; v++) for (let d = 0; d < p.D; d++) kvEmb[v * p.D + d] = ((v * 31 + d * 7) % 13) / 13;
  const inits = [
    tensor('W', FLOAT, [p.D, p.V], W), tensor('T', FLOAT, [p.V, p.V], p.transition), tensor('bias', FLOAT, [p.V], p.bias),
    tensor('KV', FLOAT, [p.V, p.D], kvEmb), i64('heads_shape', [0, 0, H, hd]),
    i64('zero1', [0]), i64('one1', [1]), i64('axis_last', [-1]), i64('axis0', [0]),
    tensor('zero', INT64, [], BigInt64Array.of(0n)), tensor('one', INT64, [], BigInt64Array.of(1n)),
    ...(merged ? [i64('hidden_shape', [0, 0, p.D]), i64('axis2', [2]), tensor('half', FLOAT, [], Float32Array.of(0.5))] : []),
  ];
  const kinds: string[] = [];
  for (let i = 0; i < L; i++) for (const side of ['decoder', 'encoder']) for (const kv of ['key', 'value']) kinds.push(`${i}.${side}.${kv}`);
  const nodes: ProtoWriter[] = [
    // new decoder key/value from the input tokens: [B, H, T, hd]
    node('Gather', ['KV', 'input_ids'], ['new_emb'], [{ name: 'axis', i: 0 }]),
    node('Reshape', ['new_emb', 'heads_shape'], ['new_r']),
    node('Transpose', ['new_r'], ['new_kv'], [{ name: 'perm', ints: [0, 2, 1, 3] }]),
    // encoder key/value from the hidden states: [B, H, S, hd]
    node('Reshape', ['encoder_hidden_states', 'heads_shape'], ['enc_r']),
    node('Transpose', ['enc_r'], ['enc_kv'], [{ name: 'perm', ints: [0, 2, 1, 3] }]),
  ];
  if (merged) {
    const thenNodes: ProtoWriter[] = [];
    const elseNodes: ProtoWriter[] = [];
    const thenOut: ProtoWriter[] = [];
    const elseOut: ProtoWriter[] = [];
    for (const k of kinds) {
      const [, side] = k.split('.');
      if (side === 'decoder') {
        thenNodes.push(node('Concat', [`past_key_values.${k}`, 'new_kv'], [`then_present.${k}`], [{ name: 'axis', i: 2 }]));
        elseNodes.push(node('Identity', ['new_kv'], [`else_present.${k}`]));
      } else {
        thenNodes.push(node('Slice', [`past_key_values.${k}`, 'zero1', 'zero1', 'axis2'], [`then_present.${k}`]));
        elseNodes.push(node('Identity', ['enc_kv'], [`else_present.${k}`]));
      }
      thenOut.push(valueInfo(`then_present.${k}`, FLOAT));
      elseOut.push(valueInfo(`else_present.${k}`, FLOAT));
    }
    // cache branch: source hidden states rebuilt from the step-0 encoder key (layer 0) and value (last layer)
    for (const [tag, name] of [['a', 'past_key_values.0.encoder.key'], ['b', `past_key_values.${L - 1}.encoder.value`]]) {
      thenNodes.push(node('Transpose', [name], [`then_t${tag}`], [{ name: 'perm', ints: [0, 2, 1, 3] }]));
      thenNodes.push(node('Reshape', [`then_t${tag}`, 'hidden_shape'], [`then_h${tag}`]));
    }
    thenNodes.push(node('Add', ['then_ha', 'then_hb'], ['then_hsum']), node('Mul', ['then_hsum', 'half'], ['then_src']));
    thenNodes.push(node('Shape', ['past_key_values.0.decoder.key'], ['then_past_len'], [{ name: 'start', i: 2 }, { name: 'end', i: 3 }]));
    thenOut.push(valueInfo('then_src', FLOAT), valueInfo('then_past_len', INT64));
    elseNodes.push(node('Identity', ['encoder_hidden_states'], ['else_src']), node('Identity', ['zero1'], ['else_past_len']));
    elseOut.push(valueInfo('else_src', FLOAT), valueInfo('else_past_len', INT64));
    nodes.push(node('If', ['use_cache_branch'], [...kinds.map((k) => `present.${k}`), 'src', 'past_len'], [
      { name: 'then_branch', g: graph('cache_branch', thenNodes, [], thenOut) },
      { name: 'else_branch', g: graph('no_cache_branch', elseNodes, [], elseOut) },
    ]));
  } else {
    for (const k of kinds) nodes.push(node('Identity', [k.includes('decoder') ? 'new_kv' : 'enc_kv'], [`present.${k}`]));
    nodes.push(node('Identity', ['encoder_hidden_states'], ['src']), node('Identity', ['zero1'], ['past_len']));
  }
  nodes.push(
    // positions p = past_len + [0 .. T)
    node('Shape', ['input_ids'], ['t_len1'], [{ name: 'start', i: 1 }, { name: 'end', i: 2 }]),
    node('Squeeze', ['t_len1', 'axis0'], ['t_len']),
    node('Range', ['zero', 't_len', 'one'], ['t_range']),
    node('Add', ['t_range', 'past_len'], ['pos']),
    node('Shape', ['src'], ['s_len'], [{ name: 'start', i: 1 }, { name: 'end', i: 2 }]),
    node('Sub', ['s_len', 'one1'], ['s_last']),
    node('Min', ['pos', 's_last'], ['pos_c']),
    node('Less', ['pos', 's_len'], ['in_range']),
    node('Cast', ['in_range'], ['in_range_f'], [{ name: 'to', i: FLOAT }]),
    node('Cast', ['encoder_attention_mask'], ['emask_f'], [{ name: 'to', i: FLOAT }]),
    node('Gather', ['emask_f', 'pos_c'], ['sel_mask'], [{ name: 'axis', i: 1 }]),
    node('Mul', ['sel_mask', 'in_range_f'], ['m2']),
    node('Unsqueeze', ['m2', 'axis_last'], ['m3']),
    node('Gather', ['src', 'pos_c'], ['sel'], [{ name: 'axis', i: 1 }]),
    node('Mul', ['sel', 'm3'], ['sel_m']),
    node('MatMul', ['sel_m', 'W'], ['src_logits']),
    node('Gather', ['T', 'input_ids'], ['trans'], [{ name: 'axis', i: 0 }]),
    node('Add', ['src_logits', 'trans'], ['lg1']),
    node('Add', ['lg1', 'bias'], ['logits']),
  );
  const inputs = [
    valueInfo('encoder_attention_mask', INT64, ['batch_size', 'encoder_sequence_length']),
    valueInfo('input_ids', INT64, ['batch_size', 'decoder_sequence_length']),
    valueInfo('encoder_hidden_states', FLOAT, ['batch_size', 'encoder_sequence_length', p.D]),
  ];
  if (merged) {
    for (const k of kinds) {
      inputs.push(valueInfo(`past_key_values.${k}`, FLOAT, ['batch_size', H, k.includes('decoder') ? 'past_decoder_sequence_length' : 'encoder_sequence_length_out', hd]));
    }
    inputs.push(valueInfo('use_cache_branch', BOOL, [1]));
  }
  const outputs = [valueInfo('logits', FLOAT, ['batch_size', 'decoder_sequence_length', p.V])];
  for (const k of kinds) {
    const len = k.includes('decoder') ? (merged ? 'past_decoder_sequence_length + 1' : 'decoder_sequence_length') : (merged ? 'encoder_sequence_length_out' : 'encoder_sequence_length');
    outputs.push(valueInfo(`present.${k}`, FLOAT, ['batch_size', H, len, hd]));
  }
  return modelProto('weir-tiny-marian', graph(merged ? 'decoder_merged' : 'decoder', nodes, inputs, outputs, inits));
}

/** What {@link writeTinyMarianModel} may leave out or change. */
export interface TinyModelOptions {
  /** Write `onnx/decoder_model.onnx` instead of the merged decoder. */
  readonly unmergedDecoder?: boolean;
  /** generation_config.json overrides (e.g. `num_beams`). */
  readonly generation?: Record<string, unknown>;
}

/**
 * Writes the tiny model directory: config.json, generation_config.json, vocab.json, source.spm,
 * target.spm, onnx/encoder_model.onnx and onnx/decoder_model_merged.onnx (or decoder_model.onnx).
 * @returns the directory
 */
export function writeTinyMarianModel(dir: string, opts: TinyModelOptions = {}): string {
  const p = tinyParams();
  const vocab = tinyVocab();
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  const config = {
    _name_or_path: 'weir/tiny-opus-mt-ko-en', activation_dropout: 0, activation_function: 'swish', architectures: ['MarianMTModel'],
    attention_dropout: 0, bad_words_ids: [[p.padId]], bos_token_id: 0, classifier_dropout: 0, d_model: p.D,
    decoder_attention_heads: TINY_HEADS, decoder_ffn_dim: 2 * p.D, decoder_layerdrop: 0, decoder_layers: TINY_LAYERS,
    decoder_start_token_id: p.padId, decoder_vocab_size: p.V, dropout: 0.1, encoder_attention_heads: TINY_HEADS,
    encoder_ffn_dim: 2 * p.D, encoder_layerdrop: 0, encoder_layers: TINY_LAYERS, eos_token_id: 0, forced_eos_token_id: 0,
    init_std: 0.02, is_encoder_decoder: true, max_length: 64, max_position_embeddings: 64, model_type: 'marian',
    normalize_before: false, normalize_embedding: false, num_beams: 4, num_hidden_layers: TINY_LAYERS, pad_token_id: p.padId,
    scale_embedding: true, share_encoder_decoder_embeddings: true, static_position_embeddings: true,
    transformers_version: '4.40.0', use_cache: true, vocab_size: p.V,
  };
  const generation = {
    bad_words_ids: [[p.padId]], bos_token_id: 0, decoder_start_token_id: p.padId, eos_token_id: 0, forced_eos_token_id: 0,
    max_length: 64, num_beams: 4, pad_token_id: p.padId, transformers_version: '4.40.0', ...opts.generation,
  };
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  writeFileSync(path.join(dir, 'generation_config.json'), JSON.stringify(generation, null, 2));
  writeFileSync(path.join(dir, 'vocab.json'), JSON.stringify(vocab, null, 2));
  const specials: SpmPieceSpec[] = [['<unk>', 0, 2], ['<s>', 0, 3], ['</s>', 0, 3]];
  const source = [...specials, ...TINY_SOURCE_PIECES.map(([piece, score]): SpmPieceSpec => [piece, score, 1])];
  const targets = new Set<string>();
  for (const [, , t, alt] of TINY_SOURCE_PIECES) {
    targets.add(t);
    if (alt) targets.add(alt);
  }
  for (const t of EXTRA_TARGET_PIECES) targets.add(t);
  const target = [...specials, ...[...targets].map((piece): SpmPieceSpec => [piece, -2, 1])];
  writeFileSync(path.join(dir, 'source.spm'), writeSpmModel(source, { '\u3000': ' ', '！': '!', '①': '1', '？': '?' }));
  writeFileSync(path.join(dir, 'target.spm'), writeSpmModel(target));
  writeFileSync(path.join(dir, 'onnx', 'encoder_model.onnx'), encoderOnnx(p));
  writeFileSync(path.join(dir, 'onnx', opts.unmergedDecoder ? 'decoder_model.onnx' : 'decoder_model_merged.onnx'), decoderOnnx(p, !opts.unmergedDecoder));
  return dir;
}
