/**
 * The bench's random-weight Marian writer (bench/marian-model.ts, bench/onnx-writer.ts) at a tiny size
 * (d_model 16, 2 + 2 layers, 4 heads, vocab 100): the files and ONNX input/output names of optimum's
 * export, the graphs' arithmetic checked against themselves (cached decoding equals full-prefix decoding;
 * encoder padding is masked), and the real translate code path running the fp32 and int8 files with a
 * forced decode length (what bench/translate-real.ts relies on).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { writeRandomMarianModel, type MarianDims } from '../../bench/marian-model.js';
import { MarianOnnx, createTranslator, locateModelFiles, readMarianConfig } from '../../src/stdlib/lib/translate/index.js';
import { closeTranslators, translate } from '../../src/stdlib/udfs/translate.js';
import type { BatchContext } from '../../src/udfs/define.js';

const DIMS: MarianDims = { dModel: 16, encoderLayers: 2, decoderLayers: 2, heads: 4, ffn: 32, vocab: 100, maxPositions: 64 };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'weir-marian-writer-'));
const SPEC = {
  sourcePieces: [['▁안녕', -5], ['하세요', -5], ['▁세계', -5], ['▁고양이', -5], ['가', -6], ['▁잔다', -5], ['.', -3], ['▁', -8]] as [string, number][],
  targetPieces: ['▁hello', '▁world', '▁the', '▁cat', '▁sleeps', '.'],
};
/** `</s>` banned, so the length is forced by max_length (as in the bench). */
const MODEL = writeRandomMarianModel(path.join(tmp, 'm'), DIMS, SPEC, { int8: true, seed: 7, generation: { bad_words_ids: [[99], [0]] } });
const H = DIMS.heads;
const hd = DIMS.dModel / H;
const L = DIMS.decoderLayers;

afterAll(async () => {
  await closeTranslators();
  rmSync(tmp, { recursive: true, force: true });
});

const i64 = (v: number[], dims: number[]) => new ort.Tensor('int64', BigInt64Array.from(v.map(BigInt)), dims);
const f32 = (t: ort.Tensor) => t.data as Float32Array;
const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

describe('random Marian model writer', () => {
  it('writes the files and the ONNX interface of an optimum seq2seq export', async () => {
    for (const f of ['config.json', 'generation_config.json', 'vocab.json', 'source.spm', 'target.spm', 'onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx', 'onnx/encoder_model_quantized.onnx', 'onnx/decoder_model_merged_quantized.onnx']) {
      expect(existsSync(path.join(MODEL, f)), f).toBe(true);
    }
    const vocab = JSON.parse(readFileSync(path.join(MODEL, 'vocab.json'), 'utf8')) as Record<string, number>;
    expect(Object.keys(vocab)).toHaveLength(100);
    expect([vocab['</s>'], vocab['<unk>'], vocab['<pad>']]).toEqual([0, 1, 99]);
    const kinds = Array.from({ length: L }, (_, i) => ['decoder', 'encoder'].flatMap((s) => ['key', 'value'].map((k) => `${i}.${s}.${k}`))).flat();
    for (const q of ['', '_quantized']) {
      const enc = await ort.InferenceSession.create(path.join(MODEL, 'onnx', `encoder_model${q}.onnx`));
      const dec = await ort.InferenceSession.create(path.join(MODEL, 'onnx', `decoder_model_merged${q}.onnx`));
      expect([...enc.inputNames].sort()).toEqual(['attention_mask', 'input_ids']);
      expect(enc.outputNames).toEqual(['last_hidden_state']);
      expect([...dec.inputNames].sort()).toEqual(['encoder_attention_mask', 'encoder_hidden_states', 'input_ids', ...kinds.map((k) => `past_key_values.${k}`), 'use_cache_branch'].sort());
      expect([...dec.outputNames].sort()).toEqual(['logits', ...kinds.map((k) => `present.${k}`)].sort());
      await enc.release();
      await dec.release();
    }
  });

  it('masks encoder padding, and decodes with the key/value cache exactly as over the full prefix', async () => {
    const enc = await ort.InferenceSession.create(path.join(MODEL, 'onnx', 'encoder_model.onnx'));
    const dec = await ort.InferenceSession.create(path.join(MODEL, 'onnx', 'decoder_model_merged.onnx'));
    const src = [5, 6, 7, 0];
    const alone = await enc.run({ input_ids: i64(src, [1, 4]), attention_mask: i64([1, 1, 1, 1], [1, 4]) });
    const padded = await enc.run({ input_ids: i64([...src, 99, 99, 3, 4, 0, 99, 99, 99], [2, 6]), attention_mask: i64([1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0], [2, 6]) });
    const D = DIMS.dModel;
    expect(alone.last_hidden_state.dims).toEqual([1, 4, D]);
    expect(padded.last_hidden_state.dims).toEqual([2, 6, D]);
    expect(maxDiff(f32(alone.last_hidden_state), f32(padded.last_hidden_state).subarray(0, 4 * D))).toBeLessThan(1e-4);

    const hidden = alone.last_hidden_state;
    const emask = i64([1, 1, 1, 1], [1, 4]);
    const empty = new ort.Tensor('float32', new Float32Array(0), [1, H, 0, hd]);
    const noPast = Object.fromEntries(Array.from({ length: L }, (_, i) => ['decoder', 'encoder'].flatMap((s) => ['key', 'value'].map((k) => [`past_key_values.${i}.${s}.${k}`, empty]))).flat());
    const prefix = [99, 12, 40, 3];
    const full = await dec.run({ ...noPast, input_ids: i64(prefix, [1, 4]), encoder_attention_mask: emask, encoder_hidden_states: hidden, use_cache_branch: new ort.Tensor('bool', Uint8Array.of(0), [1]) });
    expect(full.logits.dims).toEqual([1, 4, DIMS.vocab]);
    let feeds: Record<string, ort.Tensor> = { ...noPast };
    let encCache: Record<string, ort.Tensor> = {};
    for (let t = 0; t < prefix.length; t++) {
      const out = await dec.run({ ...feeds, input_ids: i64([prefix[t]], [1, 1]), encoder_attention_mask: emask, encoder_hidden_states: hidden, use_cache_branch: new ort.Tensor('bool', Uint8Array.of(t ? 1 : 0), [1]) });
      expect(maxDiff(f32(out.logits), f32(full.logits).subarray(t * DIMS.vocab, (t + 1) * DIMS.vocab)), `step ${t}`).toBeLessThan(1e-4);
      expect(out['present.0.decoder.key'].dims).toEqual([1, H, t + 1, hd]);
      if (t === 0) {
        expect(out['present.1.encoder.value'].dims).toEqual([1, H, 4, hd]);
        encCache = Object.fromEntries(Array.from({ length: L }, (_, i) => ['key', 'value'].map((k) => [`past_key_values.${i}.encoder.${k}`, out[`present.${i}.encoder.${k}`]])).flat());
      } else expect(out['present.1.encoder.value'].dims).toEqual([1, H, 0, hd]); // empty in the cache branch
      feeds = { ...encCache, ...Object.fromEntries(Array.from({ length: L }, (_, i) => ['key', 'value'].map((k) => [`past_key_values.${i}.decoder.${k}`, out[`present.${i}.decoder.${k}`]])).flat()) };
    }
    await enc.release();
    await dec.release();
  });

  it('int8 logits follow the fp32 ones (same weights, quantized)', async () => {
    const run = async (q: string) => {
      const enc = await ort.InferenceSession.create(path.join(MODEL, 'onnx', `encoder_model${q}.onnx`));
      const hidden = (await enc.run({ input_ids: i64([5, 6, 7, 0], [1, 4]), attention_mask: i64([1, 1, 1, 1], [1, 4]) })).last_hidden_state;
      await enc.release();
      return f32(hidden);
    };
    const a = await run('');
    const b = await run('_quantized');
    const dot = a.reduce((s, x, i) => s + x * b[i], 0);
    const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    expect(dot / (norm(a) * norm(b))).toBeGreaterThan(0.95);
    expect(maxDiff(a, b)).toBeGreaterThan(0); // really a different (quantized) graph
  });

  it('runs through the real translate path, fp32 and int8, greedy and 4 beams, with a forced decode length', async () => {
    for (const quantized of [false, true]) {
      const files = locateModelFiles(MODEL, quantized);
      expect(path.basename(files.encoder)).toBe(quantized ? 'encoder_model_quantized.onnx' : 'encoder_model.onnx');
      const onnx = await MarianOnnx.load(files.encoder, files.decoder, files.decoderMerged, readMarianConfig(files));
      for (const numBeams of [1, 4]) {
        const out = await onnx.generate([[2, 3, 0], [4, 5, 6, 7, 8, 0], [9, 0]], { numBeams, maxLength: 9 });
        expect(out.map((o) => o.length)).toEqual([7, 7, 7]); // max_length − start token − forced </s>
        for (const o of out) for (const id of o) expect(id > 1 && id < 99).toBe(true);
      }
      await onnx.release();
      const t = await createTranslator({ modelDir: MODEL, numBeams: 4, maxLength: 6, quantized });
      const res = await t.translate(['안녕하세요 세계.', 'no hangul', '고양이가 잔다.']);
      expect(res).toHaveLength(3);
      expect(res[1]).toBe('no hangul');
      expect(t.stats.sentences).toBe(2);
      await t.close();
    }
    const ctx = { projectDir: tmp, targetDir: tmp, env: {}, vars: { translation_model_dir: MODEL, translation_num_beams: 1, translation_max_length: 5, translation_quantized: true } } as unknown as BatchContext;
    const rows = await translate.run([['세계.', 'ko', 'en'], ['안녕하세요.', 'ko', 'en']], ctx);
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(typeof r).toBe('string');
  });

  it('rejects sizes the attention cannot split', () => {
    expect(() => writeRandomMarianModel(path.join(tmp, 'bad'), { ...DIMS, dModel: 18 }, SPEC)).toThrow(/divisible by the 4 heads/);
  });
});
