/**
 * The translate UDF end to end on a tiny MarianMT-shaped model built here (src/stdlib/lib/translate/tiny-model.ts):
 * real SentencePiece ModelProto files, a joint vocab.json, config/generation_config with the real keys,
 * and real ONNX encoder/merged-decoder graphs with optimum's input/output names run by onnxruntime-node.
 * The model is a position-wise copy/rename translator, so expected outputs can be computed by hand.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli } from '../../helpers/project.js';
import {
  EXPECTED_LAYOUT, Hypotheses, ModelDirError, PrecompiledCharsmap, SentencePieceUnigram, createTranslator, hasHangul, joinChunks,
  locateModelFiles, logSoftmax, nmtNfkc, parseSpmModel, splitSentences, type Translator,
} from '../../../src/stdlib/lib/translate/index.js';
import { buildPrecompiledCharsmap, tinyParams, tinyVocab, writeTinyMarianModel } from '../../../src/stdlib/lib/translate/tiny-model.js';
import { closeTranslators, translate, translateUnavailable, translationStats } from '../../../src/stdlib/udfs/translate.js';
import { resolveUdfVersion } from '../../../src/udfs/define.js';
import { chrF } from '../../../bench/translate.js';
import { readFileSync } from 'node:fs';
import { RowTop, argmaxAllowed, logSumExpModel } from '../../../src/stdlib/lib/translate/beam.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'weir-translate-'));
const MODEL = writeTinyMarianModel(path.join(tmp, 'tiny-opus-mt-ko-en'));
const vocab = tinyVocab();
const P = tinyParams();
let greedy: Translator;
let beam: Translator;

beforeAll(async () => {
  greedy = await createTranslator({ modelDir: MODEL, numBeams: 1 });
  beam = await createTranslator({ modelDir: MODEL }); // num_beams 4 from generation_config.json
});
afterAll(async () => {
  await greedy?.close();
  await beam?.close();
  await closeTranslators();
  cleanupProjects();
  rmSync(tmp, { recursive: true, force: true });
});

/**
 * Reference log-probabilities of the tiny model, computed by hand from its parameters:
 * logits[v] = RENAME[src_p, v]·mask + TRANSITION[prev, v] + BIAS[v], the pad id banned.
 */
function refLogProbs(src: number[], pos: number, prev: number): Float64Array {
  const { V, rename, transition, bias, padId } = P;
  const logits = new Float64Array(V);
  for (let v = 0; v < V; v++) logits[v] = (pos < src.length ? rename[src[pos] * V + v] : 0) + transition[prev * V + v] + bias[v];
  const lp = logSoftmax(logits);
  lp[padId] = -Infinity;
  return lp;
}
const pieceOf = (id: number) => Object.keys(vocab).find((k) => vocab[k] === id)!;

describe('SentencePiece tokenization', () => {
  const src = SentencePieceUnigram.fromBytes(readFileSync(path.join(MODEL, 'source.spm')));
  const tgt = SentencePieceUnigram.fromBytes(readFileSync(path.join(MODEL, 'target.spm')));

  it('parses the ModelProto: pieces, types, trainer and normalizer specs', () => {
    const proto = parseSpmModel(readFileSync(path.join(MODEL, 'source.spm')));
    expect(proto.pieces.slice(0, 4)).toEqual([
      { piece: '<unk>', score: 0, type: 2 }, { piece: '<s>', score: 0, type: 3 }, { piece: '</s>', score: 0, type: 3 }, { piece: '▁안녕', score: -2, type: 1 },
    ]);
    expect(proto.modelType).toBe(1);
    expect(proto.normalizer).toMatchObject({ name: 'nmt_nfkc', addDummyPrefix: true, removeExtraWhitespaces: true, escapeWhitespaces: true });
    expect(proto.normalizer.precompiledCharsmap.length).toBeGreaterThan(4);
    expect(() => parseSpmModel(new Uint8Array([0x08, 0x01]))).toThrow(/no pieces/);
  });

  it('normalizes with the precompiled charsmap (Darts-clone trie), whitespace rules and ▁ escaping', () => {
    expect(src.normalize('  안녕하세요\u3000\u3000세계！ ')).toBe('▁안녕하세요▁세계!');
    expect(src.normalize('①')).toBe('▁1');
    expect(src.normalize('   ')).toBe('');
    const cm = new PrecompiledCharsmap(buildPrecompiledCharsmap({ ab: 'X', a: 'Y', 'ｈ': 'h' }));
    expect(cm.normalize('abac ｈ')).toBe('XYc h'); // longest match first
    // target.spm has no charsmap: built-in nmt_nfkc
    expect(tgt.normalize('ｈｅｌｌｏ\tworld')).toBe('▁hello▁world');
    expect(nmtNfkc('a\u200Bb\u0007c')).toBe('a bc');
  });

  it('segments with Viterbi over piece scores (Kudo 2018)', () => {
    // ▁고양이 (-2) beats ▁고 + 양이 (-3); ▁나 + 는 (-2) beats ▁나는 (-3)
    expect(src.encode('고양이가 잔다.').map((t) => t.piece)).toEqual(['▁고양이', '가', '▁잔다', '.']);
    expect(src.encode('나는 학생이다').map((t) => t.piece)).toEqual(['▁나', '는', '▁학생', '이다']);
    // characters no piece covers become one merged unknown segment with its surface text
    const toks = src.encode('안녕 ㅋㅋ');
    expect(toks.map((t) => [t.piece, t.unknown])).toEqual([['▁안녕', false], ['▁', false], ['ㅋㅋ', true]]);
  });

  it('maps pieces to ids through vocab.json (missing → <unk>), appends </s>, and decodes with target.spm', () => {
    expect(greedy.tokenizer.encode('안녕하세요 세계.')).toEqual([vocab['▁안녕'], vocab['하세요'], vocab['▁세계'], vocab['.'], 0]);
    expect(greedy.tokenizer.encode('안녕 ㅋㅋ')).toEqual([vocab['▁안녕'], vocab['▁'], 1, 0]);
    expect(greedy.tokenizer.encode('')).toEqual([0]);
    const ids = ['▁hello', ',', '▁world', '!'].map((p) => vocab[p]);
    expect(greedy.tokenizer.decode([...ids, 0, P.padId])).toBe('hello, world!');
    expect(greedy.tokenizer.decode([vocab['▁I'], 1, vocab['▁am']])).toBe('I am'); // <unk> skipped
    expect(tgt.decodePieces(['▁hi', '▁there', 's'])).toBe('hi theres');
    expect(greedy.tokenizer.decode(['▁hi', '▁', '!'].map((p) => vocab[p] ?? vocab['▁']))).toBe('hi!'); // clean_up_tokenization
    // round trip through the target model
    expect(tgt.decodePieces(tgt.encode(' hi  there ').map((t) => t.piece))).toBe('hi there');
  });
});

describe('generation', () => {
  it('greedy decoding copies/renames position by position, as computed by hand', async () => {
    expect(await greedy.translate(['안녕하세요 세계.', '고양이가 잔다.', '나는 학생이다!'])).toEqual(['hello, world.', 'the cat sleeps.', 'I am a student!']);
    // the reference greedy path for "배 먹었다." picks ▁boat (A) over ▁pear (0.9·A)
    const src = greedy.tokenizer.encode('배 먹었다.');
    let prev = P.padId;
    const path: number[] = [];
    for (let pos = 0; pos < 10; pos++) {
      const lp = refLogProbs(src, pos, prev);
      const best = lp.indexOf(Math.max(...lp));
      if (best === 0) break;
      path.push(best);
      prev = best;
    }
    expect(path.map(pieceOf)).toEqual(['▁boat', '▁eaten', '.']);
    expect(await greedy.translate(['배 먹었다.'])).toEqual(['boat eaten.']);
  });

  it('beam search finds the higher-probability sequence greedy misses (and agrees elsewhere)', async () => {
    const src = greedy.tokenizer.encode('배 먹었다.');
    const score = (pieces: string[]) => {
      let prev = P.padId;
      let s = 0;
      [...pieces.map((p) => vocab[p]), 0].forEach((id, pos) => {
        s += refLogProbs(src, pos, prev)[id];
        prev = id;
      });
      return s;
    };
    const boat = score(['▁boat', '▁eaten', '.']);
    const pear = score(['▁pear', '▁eaten', '.']);
    expect(pear).toBeGreaterThan(boat); // TRANSITION[▁pear, ▁eaten] = 3 makes the second reading win overall
    expect(beam.numBeams).toBe(4);
    expect(await beam.translate(['배 먹었다.', '안녕하세요 세계.', '고양이가 잔다.'])).toEqual(['pear eaten.', 'hello, world.', 'the cat sleeps.']);
    const two = await createTranslator({ modelDir: MODEL, numBeams: 2 });
    expect(await two.translate(['배 먹었다.'])).toEqual(['pear eaten.']);
    await two.close();
  });

  it('scores finished hypotheses as transformers does: sum_logprobs / generated_len ** length_penalty', () => {
    const h = (lp: number) => {
      const x = new Hypotheses(2, lp);
      x.add([5], -2, 2); // 1 token + eos
      x.add([6, 6, 6, 6], -2.5, 5);
      return x.best();
    };
    expect(h(1)).toEqual([6, 6, 6, 6]); // -0.5 beats -1
    expect(h(0)).toEqual([5]); // raw log-probabilities: -2 beats -2.5
    const done = new Hypotheses(1, 1);
    done.add([5], -1, 2); // score -0.5
    expect(done.isDone(-2, 3)).toBe(true); // best running -2/3 can't beat -0.5
    expect(done.isDone(-1, 3)).toBe(false);
  });

  it("beam search's row arithmetic: stable top-n without banned ids, argmax, and the log-sum-exp graph", async () => {
    const banned = Uint8Array.of(0, 0, 0, 0, 1, 0, 0);
    const row = Float32Array.of(1, 3, 3, 2, 9, 3, -Infinity);
    const top = new RowTop(3).scan(row, banned);
    expect([top.count, [...top.ids], [...top.values]]).toEqual([3, [1, 2, 5], [3, 3, 3]]); // equal values in index order, id 4 banned
    const few = new RowTop(4).scan(Float32Array.of(NaN, 2, -Infinity, 1), new Uint8Array(4));
    expect([few.count, [...few.ids.slice(0, few.count)]]).toEqual([2, [1, 3]]); // NaN and −∞ never kept
    expect(argmaxAllowed(row, banned)).toBe(1); // first of the equal maxima, the banned 9 skipped
    expect(argmaxAllowed(Float32Array.of(5, 5), Uint8Array.of(1, 0))).toBe(1);
    // the onnxruntime graph's log-sum-exp is the constant a float64 log-softmax subtracts
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(logSumExpModel());
    const V = 1001;
    const data = new Float32Array(3 * V).map((_, i) => Math.sin(i * 12.9898) * (i < V ? 4 : i < 2 * V ? 40 : 0.01));
    const lse = (await session.run({ logits: new ort.Tensor('float32', data, [3, V]) })).lse.data as Float64Array;
    expect(lse).toHaveLength(3);
    for (let r = 0; r < 3; r++) {
      const x = data.subarray(r * V, (r + 1) * V);
      const expected = x[0] - logSoftmax(x)[0];
      expect(Math.abs(lse[r] - expected)).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected)));
    }
    await session.release();
  });

  it('beam search with renormalize_logits (log-softmax again after the processors) finds the same translations', async () => {
    const dir = writeTinyMarianModel(path.join(tmp, 'renormalize'), { generation: { renormalize_logits: true } });
    const t = await createTranslator({ modelDir: dir, numBeams: 4 });
    expect(await t.translate(['배 먹었다.', '안녕하세요 세계.', '고양이가 잔다.'])).toEqual(['pear eaten.', 'hello, world.', 'the cat sleeps.']);
    await t.close();
  });

  it('batches texts of different lengths (padding + attention masks) with the same results as one by one', async () => {
    const texts = ['안녕하세요 세계.', '고양이가 잔다. 배 먹었다.', '나는', '사과!', '고양이가 잔다 나는 학생이다 안녕하세요 세계 사과 배 먹었다.'];
    const one: string[] = [];
    for (const t of texts) one.push(...(await greedy.translate([t])));
    const before = greedy.stats.batches;
    expect(await greedy.translate(texts)).toEqual(one);
    expect(greedy.stats.batches - before).toBe(1); // all sentences in one ONNX batch
    expect(one[4]).toBe('the cat sleeps I am a student hello, world apple boat eaten.');
    const small = await createTranslator({ modelDir: MODEL, numBeams: 4, batchSize: 2 });
    const beamOne: string[] = [];
    for (const t of texts) beamOne.push(...(await beam.translate([t])));
    expect(await small.translate(texts)).toEqual(beamOne);
    expect(small.stats.batches).toBe(3); // 6 distinct sentences, 2 per batch
    await small.close();
  });

  it('stops at max_length (forced eos) and never emits the pad id', async () => {
    // max_length counts the start token: 3 → start, ▁the, forced </s>
    const shorter = await createTranslator({ modelDir: MODEL, numBeams: 1, maxLength: 3 });
    expect(await shorter.translate(['고양이가 잔다.'])).toEqual(['the']);
    await shorter.close();
    const short = await createTranslator({ modelDir: MODEL, numBeams: 1, maxLength: 4 });
    expect(await short.translate(['고양이가 잔다.'])).toEqual(['the cat']);
    await short.close();
    const shortBeam = await createTranslator({ modelDir: MODEL, numBeams: 3, maxLength: 4 });
    expect(await shortBeam.translate(['고양이가 잔다.'])).toEqual(['the cat']);
    await shortBeam.close();
  });

  it('falls back to onnx/decoder_model.onnx (no KV cache) with identical output', async () => {
    const dir = writeTinyMarianModel(path.join(tmp, 'unmerged'), { unmergedDecoder: true });
    const files = locateModelFiles(dir);
    expect([path.basename(files.decoder), files.decoderMerged]).toEqual(['decoder_model.onnx', false]);
    const t = await createTranslator({ modelDir: dir, numBeams: 4 });
    expect(await t.translate(['배 먹었다.', '안녕하세요 세계.', '나는 학생이다.'])).toEqual(['pear eaten.', 'hello, world.', 'I am a student.']);
    await t.close();
  });
});

describe('chunking and pass-through', () => {
  it('splits Korean and English sentences and rejoins them keeping line breaks', () => {
    const text = '고양이가 잔다. 배 먹었다!\n\n안녕하세요 세계? Hello there.';
    const chunks = splitSentences(text);
    expect(chunks.map((c) => c.text)).toEqual(['고양이가 잔다.', '배 먹었다!', '안녕하세요 세계?', 'Hello there.']);
    expect(joinChunks(chunks, chunks.map((c) => c.text))).toBe(text);
    expect(splitSentences('가나다 '.repeat(50), 40).every((c) => c.text.length <= 40)).toBe(true);
    expect(hasHangul('Hello')).toBe(false);
    expect(hasHangul('ㅋㅋ')).toBe(true);
  });

  it('translates long texts sentence by sentence in one batch, and returns English unchanged', async () => {
    const before = greedy.stats.batches;
    expect(await greedy.translate(['고양이가 잔다. 배 먹었다!\n안녕하세요 세계? Hello there.', 'Already English.', '', '123'])).toEqual([
      'the cat sleeps. boat eaten!\nhello, world? Hello there.', 'Already English.', '', '123',
    ]);
    expect(greedy.stats.batches - before).toBe(1);
    const long = Array.from({ length: 40 }, () => '고양이가 잔다.').join(' ');
    expect(await greedy.translate([long])).toEqual([Array.from({ length: 40 }, () => 'the cat sleeps.').join(' ')]);
  });
});

describe('real model (only when WEIR_TRANSLATION_MODEL_DIR is set)', () => {
  const real = process.env.WEIR_TRANSLATION_MODEL_DIR;
  it.skipIf(!real)('tokenizes like Python MarianTokenizer and translates', async () => {
    const t = await createTranslator({ modelDir: real!, numBeams: 1, maxLength: 64 });
    // reference ids from Python transformers (TRANSLATION.md)
    expect(t.tokenizer.encode('Hello, world!')).toEqual([1753, 12506, 965, 3, 4545, 992, 1053, 173, 28, 0]);
    const [en] = await t.translate(['안녕하세요.']);
    expect(en).toMatch(/hello|hi/i);
    await t.close();
  });

  it('chrF (bench) is 1 for identical text and lower for a worse hypothesis', () => {
    expect(chrF(['the cat sleeps'], ['the cat sleeps'])).toBeCloseTo(1, 10);
    const good = chrF(['the cat sleeps'], ['the cat is sleeping']);
    const bad = chrF(['a dog runs'], ['the cat is sleeping']);
    expect(good).toBeGreaterThan(bad);
    expect(good).toBeLessThan(1);
  });
});

describe('model directory errors', () => {
  it('names the missing file and the expected layout', async () => {
    const dir = writeTinyMarianModel(path.join(tmp, 'broken'));
    rmSync(path.join(dir, 'onnx', 'encoder_model.onnx'));
    await expect(createTranslator({ modelDir: dir })).rejects.toThrow(ModelDirError);
    await expect(createTranslator({ modelDir: dir })).rejects.toThrow(/has no encoder \(looked for onnx\/encoder_model\.onnx\).*decoder_model_merged\.onnx/s);
    rmSync(path.join(dir, 'source.spm'));
    expect(() => locateModelFiles(dir)).toThrow(/has no source\.spm; expected a converted MarianMT model directory/);
    expect(() => locateModelFiles(path.join(tmp, 'nope'))).toThrow(/does not exist/);
    expect(EXPECTED_LAYOUT).toContain('onnx/encoder_model.onnx');
  });

  it('prefers _quantized files only when asked', () => {
    const dir = writeTinyMarianModel(path.join(tmp, 'quant'));
    copyFileSync(path.join(dir, 'onnx/encoder_model.onnx'), path.join(dir, 'onnx/encoder_model_quantized.onnx'));
    expect(path.basename(locateModelFiles(dir).encoder)).toBe('encoder_model.onnx');
    expect(path.basename(locateModelFiles(dir, true).encoder)).toBe('encoder_model_quantized.onnx');
    expect(path.basename(locateModelFiles(dir, true).decoder)).toBe('decoder_model_merged.onnx'); // no quantized decoder: fp32
  });
});

describe('the translate UDF', () => {
  const ctx = (vars: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => ({ projectDir: tmp, targetDir: path.join(tmp, 'target'), vars, env, nodeId: 'model.t.m' });

  it('is unavailable without a model directory, saying how to provide one', () => {
    const reason = translate.unavailable!(ctx({}));
    expect(reason).toContain('no translation model configured');
    expect(reason).toContain('Xenova/opus-mt-ko-en');
    expect(reason).toContain('WEIR_TRANSLATION_MODEL_DIR=/path/to/opus-mt-ko-en');
    expect(translate.unavailable!(ctx({ translation_model_dir: 'missing-model' }))).toMatch(/missing-model does not exist.*vars\.translation_model_dir/s);
    expect(translate.unavailable!(ctx({ translation_model_dir: 'tiny-opus-mt-ko-en' }))).toBeUndefined(); // relative to projectDir
    expect(translate.unavailable!(ctx({}, { WEIR_TRANSLATION_MODEL_DIR: MODEL }))).toBeUndefined();
  });

  it('translates ko → en rows, passes same-language rows through, rejects other pairs', async () => {
    const c = ctx({ translation_model_dir: MODEL, translation_num_beams: 1 });
    expect(translateUnavailable(c)).toBeUndefined();
    expect(await translate.run([['고양이가 잔다.', 'ko', 'en'], ['Hi', 'en', 'en'], ['배 먹었다.', 'KO', 'EN']], c)).toEqual(['the cat sleeps.', 'Hi', 'boat eaten.']);
    await expect(translate.run([['고양이', 'ja', 'en']], c)).rejects.toThrow("translate supports only 'ko' → 'en' (got 'ja' → 'en')");
  });

  it('has a version that includes the model fingerprint and decoding settings', () => {
    const other = writeTinyMarianModel(path.join(tmp, 'other'), { generation: { num_beams: 2 } });
    const version = (vars: Record<string, unknown>) => resolveUdfVersion(translate, { ...ctx(vars), targetDir: tmp });
    const v1 = version({ translation_model_dir: MODEL });
    const v2 = version({ translation_model_dir: other });
    const v3 = version({ translation_model_dir: MODEL, translation_num_beams: 1 });
    expect(new Set([v1, v2, v3]).size).toBe(3);
    // a copy of the same model has the same fingerprint
    expect(version({ translation_model_dir: path.join(tmp, 'quant') })).toBe(v1);
  });
});

describe('translate() through Weir', () => {
  const UDF = path.resolve(__dirname, '../../../src/stdlib/udfs/translate.ts').split(path.sep).join('/');

  it('translates a seed in a table model once, reuses the cache on the next run, and fails clearly without a model', async () => {
    const yaml = (vars: string) => `name: t\ntarget: dev\n${vars}targets:\n  dev:\n    type: duckdb\n    path: target/t.duckdb\n    threads: 2\n`;
    const dir = await makeProject({
      'project.yaml': yaml(`vars:\n  translation_model_dir: ${JSON.stringify(MODEL)}\n  translation_num_beams: 1\n`),
      'udfs/translate.ts': `export { translate } from '${UDF}';\n`,
      'seeds/reviews.csv': 'id,text\n1,고양이가 잔다.\n2,안녕하세요 세계!\n3,Great product\n4,고양이가 잔다.\n5,배 먹었다. 나는 학생이다.\n',
      'models/reviews_en.sql': `{{config materialized="table"}}\nselect id, text, translate(text, 'ko', 'en') as text_en from {{ref "reviews"}}`,
    });
    const env = { ...process.env };
    delete env.WEIR_TRANSLATION_MODEL_DIR;
    const before = translationStats().sentences;
    const first = await runCli(['build'], dir, env);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const q = await runCli(['query', 'select id, text_en from main.reviews_en order by id', '--format', 'json'], dir, env);
    expect(JSON.parse(q.stdout)).toEqual([
      { id: 1, text_en: 'the cat sleeps.' },
      { id: 2, text_en: 'hello, world!' },
      { id: 3, text_en: 'Great product' },
      { id: 4, text_en: 'the cat sleeps.' },
      { id: 5, text_en: 'boat eaten. I am a student.' },
    ]);
    // distinct texts only: 4 Korean sentences went to the model
    expect(translationStats().sentences - before).toBe(4);
    const cache = await runCli(['query', "select count(*) as n from main.weir_udf_cache where udf = 'translate'", '--format', 'json'], dir, env);
    expect(JSON.parse(cache.stdout)).toEqual([{ n: 4 }]);
    // second run: everything comes from weir_udf_cache, nothing is translated again
    const second = await runCli(['run'], dir, env);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(translationStats().sentences - before).toBe(4);
    // without a model directory the model fails with the reason and how to fix it
    writeFileSync(path.join(dir, 'project.yaml'), yaml(''));
    const failed = await runCli(['run'], dir, env);
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toContain('UDF translate (udfs/translate.ts) is unavailable: no translation model configured');
    expect(failed.stdout + failed.stderr).toContain('WEIR_TRANSLATION_MODEL_DIR');
  });
});
