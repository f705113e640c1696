/**
 * Benchmark of the translate UDF's pipeline (src/stdlib/lib/translate/).
 *
 * 1. On the tiny MarianMT-shaped model (written to a temp dir by src/stdlib/lib/translate/tiny-model.ts): sentences
 *    per second of `Translator.translate` for greedy decoding and beam search (4 beams), over `sentences`
 *    deterministic Korean sentences of 2–12 pieces, in ONNX batches of 16. This measures the pipeline's own
 *    overhead (tokenization, tensors, KV-cache handling, beam bookkeeping), not a real model's compute.
 * 2. Only when `WEIR_TRANSLATION_MODEL_DIR` points at a real model (e.g. Xenova/opus-mt-ko-en): the first
 *    200 pairs of `../shared/data/tatoeba_kor_eng/kor.txt` (English TAB Korean TAB attribution) translated
 *    greedily and with the model's beams, scored with corpus chrF (Popović 2015, "chrF: character n-gram
 *    F-score for automatic MT evaluation", WMT; computed as sacrebleu's CHRF: character 1–6-grams without
 *    whitespace, precision and recall averaged over orders, β = 2; reported on a 0–1 scale like the model
 *    card's 0.588 on Tatoeba-test), plus sentences per second.
 *
 * Usage: `node --import tsx -e "import('./bench/translate.ts').then(m => m.benchTranslate()).then(r => console.log(JSON.stringify(r, null, 2)))"`
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTranslator } from '../src/stdlib/lib/translate/index.js';
import { TINY_SOURCE_PIECES, writeTinyMarianModel } from '../src/stdlib/lib/translate/tiny-model.js';
import { prng } from './util.js';

/** One measured configuration. */
export interface TranslateBenchRow {
  readonly model: 'tiny' | 'real';
  readonly decoding: string;
  readonly sentences: number;
  readonly seconds: number;
  readonly sentencesPerSecond: number;
  /** Corpus chrF in [0, 1] against the references (real model only). */
  readonly chrF?: number;
}

/** Result of {@link benchTranslate}. */
export interface TranslateBenchResult {
  readonly rows: readonly TranslateBenchRow[];
  /** Why the real-model part was skipped, if it was. */
  readonly realModelSkipped?: string;
  /** A few real-model translations (source, reference, greedy output) for eyeballing. */
  readonly samples?: readonly { readonly ko: string; readonly ref: string; readonly en: string }[];
}


/** Deterministic distinct Korean "sentences" made of the tiny model's source pieces. */
function tinySentences(n: number): string[] {
  const rnd = prng(42);
  const words = TINY_SOURCE_PIECES.map(([p]) => p).filter((p) => p.startsWith('▁') && p.length > 1).map((p) => p.slice(1));
  const out = new Set<string>();
  while (out.size < n) {
    const len = 2 + Math.floor(rnd() * 11);
    out.add(`${Array.from({ length: len }, () => words[Math.floor(rnd() * words.length)]).join(' ')}.`);
  }
  return [...out];
}

/** Character n-gram counts of a string with whitespace removed. */
function ngrams(s: string, n: number): Map<string, number> {
  const chars = [...s.replace(/\s+/g, '')];
  const m = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    const g = chars.slice(i, i + n).join('');
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/**
 * Corpus-level chrF (sacrebleu CHRF defaults: char order 6, word order 0, β = 2), in [0, 1].
 * @param hyps system outputs; @param refs one reference per output
 */
export function chrF(hyps: readonly string[], refs: readonly string[], order = 6, beta = 2): number {
  const stats = Array.from({ length: order }, () => ({ hyp: 0, ref: 0, match: 0 }));
  hyps.forEach((h, i) => {
    for (let n = 1; n <= order; n++) {
      const hg = ngrams(h, n);
      const rg = ngrams(refs[i], n);
      const st = stats[n - 1];
      for (const c of hg.values()) st.hyp += c;
      for (const c of rg.values()) st.ref += c;
      for (const [g, c] of hg) st.match += Math.min(c, rg.get(g) ?? 0);
    }
  });
  let p = 0;
  let r = 0;
  let eff = 0;
  for (const st of stats) {
    if (st.hyp > 0 && st.ref > 0) {
      p += st.match / st.hyp;
      r += st.match / st.ref;
      eff++;
    }
  }
  if (eff === 0) return 0;
  p /= eff;
  r /= eff;
  return p + r === 0 ? 0 : ((1 + beta ** 2) * p * r) / (beta ** 2 * p + r);
}

async function timed(texts: readonly string[], translate: (t: readonly string[]) => Promise<string[]>): Promise<{ out: string[]; seconds: number }> {
  const t0 = performance.now();
  const out = await translate(texts);
  return { out, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Runs the benchmark.
 * @param sentences tiny-model sentences per configuration (default 2,000)
 */
export async function benchTranslate(sentences = 2000): Promise<TranslateBenchResult> {
  const rows: TranslateBenchRow[] = [];
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'weir-bench-translate-'));
  try {
    const dir = writeTinyMarianModel(path.join(tmp, 'tiny'));
    const texts = tinySentences(sentences);
    for (const numBeams of [1, 4]) {
      const t = await createTranslator({ modelDir: dir, numBeams, batchSize: 16 });
      await t.translate(texts.slice(0, 16)); // warm-up
      const { seconds } = await timed(texts, (x) => t.translate(x));
      rows.push({ model: 'tiny', decoding: numBeams === 1 ? 'greedy' : `beam ${numBeams}`, sentences: texts.length, seconds, sentencesPerSecond: texts.length / seconds });
      await t.close();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const real = process.env.WEIR_TRANSLATION_MODEL_DIR;
  const data = path.resolve(import.meta.dirname, '../../shared/data/tatoeba_kor_eng/kor.txt');
  if (!real) return { rows, realModelSkipped: 'WEIR_TRANSLATION_MODEL_DIR is not set' };
  if (!existsSync(data)) return { rows, realModelSkipped: `${data} not found` };
  const pairs = readFileSync(data, 'utf8').split('\n').filter((l) => l.includes('\t')).slice(0, 200).map((l) => l.split('\t'));
  const refs = pairs.map((p) => p[0]);
  const ko = pairs.map((p) => p[1]);
  let samples: { ko: string; ref: string; en: string }[] = [];
  for (const numBeams of [1, undefined]) {
    const t = await createTranslator({ modelDir: real, numBeams, batchSize: 16 });
    await t.translate(ko.slice(0, 4)); // warm-up (not counted: the translator has no result cache)
    const { out, seconds } = await timed(ko, (x) => t.translate(x));
    rows.push({ model: 'real', decoding: t.numBeams === 1 ? 'greedy' : `beam ${t.numBeams}`, sentences: ko.length, seconds, sentencesPerSecond: ko.length / seconds, chrF: chrF(out, refs) });
    if (numBeams === 1) samples = ko.slice(0, 5).map((k, i) => ({ ko: k, ref: refs[i], en: out[i] }));
    await t.close();
  }
  return { rows, samples };
}
