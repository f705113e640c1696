/**
 * Translation at real size (issue 18): the `translate` batch UDF on a MarianMT-shaped model with random
 * weights at Helsinki-NLP/opus-mt-ko-en's size (bench/marian-model.ts: d_model 512, 6 + 6 layers, 8 heads,
 * ffn 2048, vocab 65,001; fp32 and int8 ONNX files written to a temporary folder, never into the repo).
 *
 * Input: the first `sentences` Korean sentences of the general-domain Korean–English pairs
 * (../shared/data/korean_parallel_corpora/korean-english-jhe/jhe-koen-eval.{ko,en}). Random weights never
 * choose `</s>` on their own, so the decode length is forced with generation options the pipeline already
 * supports, set in the bench model's generation_config.json and the UDF's `translation_max_length`:
 * `bad_words_ids` also bans `</s>` (id 0), and `forced_eos_token_id` 0 forces it at `max_length − 1`; so
 * every sentence decodes exactly `max_length − 1` tokens (the generated pieces plus `</s>`). That count is
 * the mean reference English length of the same sentences: the English reference segmented by the bench
 * model's target.spm (whose vocabulary holds the corpus' frequent English words, so mostly one piece a
 * word), plus `</s>`. One length for all sentences, because `max_length` is one setting per translator;
 * the total number of decoded tokens equals the references' total up to rounding.
 *
 * Each configuration (greedy and 4 beams, fp32 and int8) runs in its own process (bench/translate-real-child.ts,
 * peak RSS from bench/peak-rss.cjs), which calls the UDF through `BatchUdfRuntime.compute` as `weir run`
 * does, onnxruntime on its default intra-op threads (the machine's 2 cores). Emails per minute are
 * sentences per second × 60 ÷ the sentences decoded per demo Korean email (subject and body each
 * translated, as models/privacy/emails_translated.sql does; see {@link sentencesDecodedPerEmail}).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SentencePieceUnigram, hasHangul, splitSentences } from '../src/stdlib/lib/translate/index.js';
import { OPUS_MT_KO_EN, writeRandomMarianModel, type MarianVocabSpec } from './marian-model.js';
import { runNode } from './cli.js';
import { table } from './sections.js';
import { log } from './util.js';

/** One measured configuration. */
export interface TranslateRealRow {
  readonly weights: 'fp32' | 'int8';
  readonly numBeams: number;
  readonly sentences: number;
  /** Wall seconds of the measured compute (after the warm-up batch). */
  readonly seconds: number;
  readonly sentencesPerSecond: number;
  readonly emailsPerMinute: number;
  /** Seconds of the warm-up batch (session loading + 4 sentences). */
  readonly loadSeconds: number;
  readonly peakRssMiB: number;
  /** Wall seconds inside onnxruntime's encoder and decoder runs (of `seconds`), and decoder runs made. */
  readonly encoderSeconds: number;
  readonly decoderSeconds: number;
  readonly decoderRuns: number;
  /** Wall seconds inside beam search's log-sum-exp runs (of `seconds`). */
  readonly lseSeconds: number;
}

/** Result of {@link benchTranslateReal}. */
export interface TranslateRealResult {
  readonly rows: readonly TranslateRealRow[];
  /** Tokens decoded per sentence (`</s>` included). */
  readonly decodeTokens: number;
  /** Mean source tokens per sentence (`</s>` included). */
  readonly sourceTokens: number;
  readonly sentencesPerEmail: number;
  readonly emails: number;
  /** Sizes of the ONNX files in MiB. */
  readonly fileMiB: Readonly<Record<string, number>>;
  readonly buildSeconds: number;
  /** 1-minute load average before each configuration ran. */
  readonly loads: readonly number[];
}

const DATA = path.resolve(import.meta.dirname, '..', '..', 'shared', 'data');
const JHE = path.join(DATA, 'korean_parallel_corpora', 'korean-english-jhe');

const lines = (f: string) => readFileSync(f, 'utf8').split('\n').map((l) => l.trim());
/** Words and punctuation marks of a text. */
const words = (s: string) => s.normalize('NFKC').match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];

/** Pieces of the bench model's vocabulary from the corpus: frequent words plus every character, as SentencePiece pieces. */
function vocabSpec(ko: readonly string[], en: readonly string[]): MarianVocabSpec {
  const count = (texts: readonly string[]) => {
    const m = new Map<string, number>();
    for (const t of texts) for (const w of words(t)) m.set(w, (m.get(w) ?? 0) + 1);
    return m;
  };
  const pieces = (texts: readonly string[], top: number): [string, number][] => {
    const m = count(texts);
    const total = [...m.values()].reduce((a, b) => a + b, 0);
    const out: [string, number][] = [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([w, c]) => [`▁${w}`, Math.log(c / total)]);
    const chars = new Set<string>();
    for (const t of texts) for (const ch of t.normalize('NFKC')) if (ch.trim()) chars.add(ch);
    for (const ch of chars) out.push([ch, -20], [`▁${ch}`, -20]);
    out.push(['▁', -25]);
    return out;
  };
  return { sourcePieces: pieces(ko, 20_000), targetPieces: pieces(en, 20_000).map(([p]) => p) };
}

/** Korean subjects and bodies of the demo's seed emails (seeds/raw_customer_emails.csv.gz), as the demo translates them. */
function demoKoreanEmails(root: string): { subject: string; body: string }[] {
  const csv = gunzipSync(readFileSync(path.join(root, 'seeds', 'raw_customer_emails.csv.gz'))).toString('utf8');
  // RFC 4180 fields (quoted fields may hold newlines and doubled quotes)
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (q) {
      if (c === '"' && csv[i + 1] === '"') (f += '"', i++);
      else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') (row.push(f), (f = ''));
    else if (c === '\n') (row.push(f), rows.push(row), (row = []), (f = ''));
    else if (c !== '\r') f += c;
  }
  if (f || row.length) (row.push(f), rows.push(row));
  const [head, ...data] = rows;
  const col = (n: string) => head.indexOf(n);
  return data.filter((r) => r[col('language')] === 'ko').map((r) => ({ subject: r[col('subject')], body: r[col('body')] }));
}

/**
 * Sentences the model decodes per email when a run translates these emails: the distinct subject and body
 * texts (the batch UDF runtime keeps one tuple per distinct argument list) in the UDF's batches of 32, each
 * batch's distinct Hangul sentence chunks translated once (as the translator splits and deduplicates them).
 */
function sentencesDecodedPerEmail(emails: readonly { subject: string; body: string }[]): number {
  const tuples = [...new Set(emails.flatMap((e) => [e.subject, e.body]))];
  let n = 0;
  for (let i = 0; i < tuples.length; i += 32) {
    const chunks = new Set<string>();
    for (const t of tuples.slice(i, i + 32)) if (hasHangul(t)) for (const c of splitSentences(t, 400)) if (hasHangul(c.text)) chunks.add(c.text);
    n += chunks.size;
  }
  return n / emails.length;
}

/**
 * Runs the benchmark.
 * @param sentences sentences per configuration
 * @throws Error when the reference data is missing or a child process fails
 */
export async function benchTranslateReal(root: string, sentences = 64): Promise<TranslateRealResult> {
  if (!existsSync(JHE)) throw new Error(`translate-real: ${JHE} not found (../shared/data/korean_parallel_corpora)`);
  const koAll = [...lines(path.join(JHE, 'jhe-koen-eval.ko')), ...lines(path.join(JHE, 'jhe-koen-dev.ko'))];
  const enAll = [...lines(path.join(JHE, 'jhe-koen-eval.en')), ...lines(path.join(JHE, 'jhe-koen-dev.en'))];
  const pairs: [string, string][] = [];
  const seen = new Set<string>();
  koAll.forEach((k, i) => {
    if (k && enAll[i] && hasHangul(k) && !seen.has(k) && splitSentences(k, 400).length === 1) (seen.add(k), pairs.push([k, enAll[i]]));
  });
  const sample = pairs.slice(0, sentences + 4);
  const warmup = sample.slice(0, 4).map((p) => p[0]);
  const texts = sample.slice(4).map((p) => p[0]);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'weir-bench-translate-real-'));
  try {
    const dir = path.join(tmp, 'random-opus-mt-ko-en');
    const t0 = performance.now();
    log('translate-real: writing the random-weight Marian model (fp32 + int8) to a temp folder');
    writeRandomMarianModel(dir, OPUS_MT_KO_EN, vocabSpec(koAll, enAll), { int8: true, generation: { bad_words_ids: [[OPUS_MT_KO_EN.vocab - 1], [0]] } });
    const buildSeconds = (performance.now() - t0) / 1000;
    const fileMiB: Record<string, number> = {};
    for (const f of ['encoder_model', 'decoder_model_merged', 'encoder_model_quantized', 'decoder_model_merged_quantized']) {
      fileMiB[f] = readFileSync(path.join(dir, 'onnx', `${f}.onnx`)).length / 2 ** 20;
    }
    const target = SentencePieceUnigram.fromBytes(readFileSync(path.join(dir, 'target.spm')));
    const source = SentencePieceUnigram.fromBytes(readFileSync(path.join(dir, 'source.spm')));
    const refLens = sample.slice(4).map(([, en]) => target.encode(en).length + 1);
    const decodeTokens = Math.round(refLens.reduce((a, b) => a + b, 0) / refLens.length);
    const sourceTokens = texts.reduce((a, t) => a + source.encode(t).length + 1, 0) / texts.length;
    const emails = demoKoreanEmails(root);
    const sentencesPerEmail = sentencesDecodedPerEmail(emails);
    const rows: TranslateRealRow[] = [];
    const loads: number[] = [];
    for (const quantized of [false, true]) {
      for (const numBeams of [1, 4]) {
        loads.push(os.loadavg()[0]);
        log(`translate-real: ${quantized ? 'int8' : 'fp32'}, ${numBeams === 1 ? 'greedy' : `${numBeams} beams`}, ${texts.length} sentences × ${decodeTokens} tokens`);
        const arg = JSON.stringify({ modelDir: dir, numBeams, maxLength: decodeTokens + 1, quantized, texts, warmup });
        const r = runNode(['--import', 'tsx', path.join(import.meta.dirname, 'translate-real-child.ts'), arg], { cwd: root, rss: true });
        const out = JSON.parse(r.stdout) as { loadSeconds: number; seconds: number; sentences: number; encoderSeconds: number; decoderSeconds: number; decoderRuns: number; lseSeconds: number };
        if (out.sentences !== texts.length) throw new Error(`translate-real: the model translated ${out.sentences} sentences, expected ${texts.length}`);
        const sps = texts.length / out.seconds;
        rows.push({ weights: quantized ? 'int8' : 'fp32', numBeams, sentences: texts.length, seconds: out.seconds, sentencesPerSecond: sps, emailsPerMinute: (sps * 60) / sentencesPerEmail, loadSeconds: out.loadSeconds, peakRssMiB: r.peakRssMiB ?? NaN, encoderSeconds: out.encoderSeconds, decoderSeconds: out.decoderSeconds, decoderRuns: out.decoderRuns, lseSeconds: out.lseSeconds });
      }
    }
    return { rows, decodeTokens, sourceTokens, sentencesPerEmail, emails: emails.length, fileMiB, buildSeconds, loads };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Section (t) of BENCHMARKS.md. */
export function translateRealSection(r: TranslateRealResult): string {
  const out: string[] = ['## (t) Translation at real size (random weights)', ''];
  const f = r.fileMiB;
  out.push(`The \`translate\` batch UDF on a MarianMT-shaped transformer with random weights at Helsinki-NLP/opus-mt-ko-en's size — d_model 512, 6 encoder + 6 decoder layers, 8 heads, ffn 2048, vocabulary 65,001 — written by the bench (bench/marian-model.ts, bench/onnx-writer.ts) with optimum's export interface (\`onnx/encoder_model.onnx\` ${f.encoder_model.toFixed(0)} MiB and \`onnx/decoder_model_merged.onnx\` ${f.decoder_model_merged.toFixed(0)} MiB fp32; \`_quantized\` ${f.encoder_model_quantized.toFixed(0)} + ${f.decoder_model_merged_quantized.toFixed(0)} MiB int8) into a temporary folder in ${r.buildSeconds.toFixed(0)} s. The int8 files use dynamic quantization: DynamicQuantizeLinear + MatMulInteger on int8 weights (symmetric, per tensor) and an int8 embedding table with DequantizeLinear — the node pattern of onnxruntime's Python \`quantize_dynamic\`, which however defaults to uint8 weights; attention's activation × activation products stay fp32.`, '');
  out.push(`Input: ${r.rows[0]?.sentences ?? 0} distinct one-sentence Korean texts of the general-domain pairs (../shared/data/korean_parallel_corpora/korean-english-jhe), ${r.sourceTokens.toFixed(1)} source tokens each on average. Random weights never stop on their own, so every sentence decodes exactly **${r.decodeTokens} tokens** (\`</s>\` included): the mean length of the English references in the bench model's target pieces (mostly one piece per word, so a lower bound of the real opus-mt segmentation), forced with options the pipeline already reads — \`bad_words_ids\` in generation_config.json also bans \`</s>\`, and \`forced_eos_token_id\` ends each sentence at \`translation_max_length\` = ${r.decodeTokens + 1}. Each configuration is its own process (bench/translate-real-child.ts) calling the UDF through \`BatchUdfRuntime.compute\`, as \`weir run\` does for a model's pending rows (batches of 32 rows; the translator sorts sentences by length into ONNX batches of 32 sentences for fp32 greedy decoding, else 16 — 64 decoder rows at 4 beams), onnxruntime-node's CPU provider on its default threads (2 cores), after a warm-up batch that loads the sessions. Peak RSS is the whole process's (model load included).`, '');
  out.push(table(['weights', 'decoding', 'sentences/s', 'emails/min', 'session load + warm-up', 'peak RSS', '1-min load average before'], r.rows.map((x, i) => [
    x.weights, x.numBeams === 1 ? 'greedy' : `beam ${x.numBeams}`, x.sentencesPerSecond.toFixed(2), `**${Math.round(x.emailsPerMinute)}**`, `${x.loadSeconds.toFixed(1)} s`, `${Math.round(x.peakRssMiB)} MiB`, (r.loads[i] ?? NaN).toFixed(1),
  ])), '');
  out.push(`Emails per minute = sentences/s × 60 ÷ ${r.sentencesPerEmail.toFixed(2)}, the Korean sentences the model decodes per email when a run translates the subject and body of the demo's ${r.emails} Korean seed emails (seeds/raw_customer_emails.csv.gz): distinct texts in the UDF's batches of 32, split into sentences and deduplicated within a batch as the translator does. The emails' sentences are not the measured sentences (their lengths differ), so this is an estimate.`, '');
  out.push('Where the measured time goes (bench/translate-real-child.ts wraps onnxruntime-node\'s `InferenceSession.run` and adds up its wall time per session: encoder, decoder, and beam search\'s log-sum-exp graph; the rest is the pipeline\'s JavaScript between runs: the argmax or top-k scan of every logits row, beam bookkeeping, copying the self-attention cache when beams are reordered, tokenization, garbage collection):', '');
  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)} %`;
  /** Emails per minute if nothing but the model's own encoder and decoder runs took time. */
  const ceiling = (x: TranslateRealRow) => (x.sentences / (x.encoderSeconds + x.decoderSeconds)) * 60 / r.sentencesPerEmail;
  out.push(table(['weights', 'decoding', 'encoder runs', 'decoder runs', 'log-sum-exp runs', 'JavaScript between runs', 'decoder runs made', 'ms per decoder run', 'emails/min if only encoder + decoder ran'], r.rows.map((x) => [
    x.weights, x.numBeams === 1 ? 'greedy' : `beam ${x.numBeams}`, pct(x.encoderSeconds, x.seconds), pct(x.decoderSeconds, x.seconds), pct(x.lseSeconds, x.seconds), pct(x.seconds - x.encoderSeconds - x.decoderSeconds - x.lseSeconds, x.seconds), String(x.decoderRuns), ((1000 * x.decoderSeconds) / Math.max(1, x.decoderRuns)).toFixed(0), String(Math.round(ceiling(x))),
  ])), '');
  out.push('The pipeline\'s own work per decoder step (src/stdlib/lib/translate/generate.ts and beam.ts): greedy decoding takes the argmax of the raw logits (log-softmax only shifts a row, so the choice is the same). Beam search needs log p = logit − logsumexp(row) to compare beams: it gets the log-sum-exp of every row from a two-node onnxruntime graph built at load time (Cast to float64, ReduceLogSumExp — the 65,001 exponentials per row run natively on the session\'s threads instead of `Math.exp` in JavaScript), and scans each row once for its 2 × beams best raw logits, the only entries that can become the sentence\'s candidates. Its first step runs one decoder row per sentence (the beams are still identical) and is expanded to 4 rows by the first selection; reordering beams copies only the self-attention cache, since the encoder states and cross-attention cache are the same for all beams of a sentence and change only when sentences finish. Before these changes (a float64 log-softmax of every beam row written out and read again, every cache tensor copied at each reorder) the JavaScript took 49–66 % of beam-search time in this bench.', '');
  const met = (x: TranslateRealRow) => x.emailsPerMinute >= 300 && x.peakRssMiB <= 1536;
  out.push(`Goal ≥ 300 emails/min and ≤ 1.5 GB RSS (on this shared machine; the load average before each configuration is in the first table, and the same bench measured a third to a half of these rates at load average ~10): ${r.rows.map((x) => `${x.weights} ${x.numBeams === 1 ? 'greedy' : `beam ${x.numBeams}`} ${met(x) ? 'met' : '**not met**'}`).join('; ')}.`, '');
  const capped = r.rows.filter((x) => ceiling(x) < 300).map((x) => `${x.weights} ${x.numBeams === 1 ? 'greedy' : `beam ${x.numBeams}`} (${Math.round(ceiling(x))})`);
  out.push(`The last column of the second table is a ceiling: the rate if nothing but the model's own encoder and decoder runs took time. ${capped.length ? `It is below 300 emails/min for ${capped.join(', ')}, so no change to the pipeline around the model can meet the goal there on this machine at this load. ` : ''}Beam search runs the decoder on ${r.rows.find((x) => x.numBeams > 1)?.numBeams ?? 4} rows per sentence, and a decoder row costs about the same in both modes, dominated by the output projection onto the 65,001-word vocabulary (512 × 65,001 = 33 M multiply-adds per row and step, against about 6 × 3.7 M for the six decoder layers with the cross-attention keys and values cached). What the pipeline adds on top is the log-sum-exp of each row (65,001 exponentials in float64, needed to compare beams; computed natively) and the row scans and bookkeeping in JavaScript.`, '');
  return `${out.join('\n')}\n`;
}
