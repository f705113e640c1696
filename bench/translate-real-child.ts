/**
 * One measurement of bench/translate-real.ts, in its own process (so its peak RSS is its own): loads the
 * `translate` batch UDF module as Weir loads UDF modules (src/udfs/registry.ts `loadUdfs`), and calls it
 * through `BatchUdfRuntime.compute` — what a `weir run` does with a model's pending tuples (in the UDF's
 * batches of 32 rows) — after a warm-up batch that loads the ONNX sessions.
 *
 * Where the time goes: `InferenceSession.prototype.run` of onnxruntime-node (the module instance the
 * pipeline imports) is wrapped to add up the wall time of encoder runs, decoder runs and beam search's
 * log-sum-exp runs (the small graph of src/stdlib/lib/translate/beam.ts); the rest of the measured time
 * is the pipeline's JavaScript (tokenization, the argmax or top-k scan of every logits row, beam
 * bookkeeping, tensor copies when beams are reordered or rows finish).
 *
 * Argument: JSON `{ modelDir, numBeams, maxLength, quantized, texts, warmup }`. Prints JSON
 * `{ loadSeconds, seconds, sentences, batches, encoderSeconds, decoderSeconds, decoderRuns, lseSeconds, outputs }` on stdout.
 */
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { loadUdfs } from '../src/udfs/registry.js';
import { BatchUdfRuntime } from '../src/udfs/batch.js';
import type { BatchContext } from '../src/udfs/define.js';
import { closeTranslators, translationStats } from '../src/stdlib/udfs/translate.js';

interface Args {
  readonly modelDir: string;
  readonly numBeams: number;
  readonly maxLength: number;
  readonly quantized: boolean;
  readonly texts: readonly string[];
  readonly warmup: readonly string[];
}

const args = JSON.parse(process.argv[2]) as Args;
type Run = InferenceSession['run'];
const ortModule = (await import('onnxruntime-node')) as unknown as { default?: { InferenceSession: unknown }; InferenceSession: unknown };
// InferenceSession is a class at run time (its instances come from InferenceSession.create); the typings only declare a factory
const proto = ((ortModule.default ?? ortModule).InferenceSession as { prototype: { run: Run } }).prototype;
const timing = { encoder: 0, decoder: 0, decoderRuns: 0, lse: 0 };
const originalRun = proto.run;
proto.run = async function (this: InferenceSession, ...a: Parameters<Run>) {
  const t0 = performance.now();
  const res = await (originalRun as (...x: Parameters<Run>) => ReturnType<Run>).apply(this, a);
  const isDecoder = this.inputNames.includes('encoder_hidden_states');
  timing[isDecoder ? 'decoder' : this.inputNames.includes('attention_mask') ? 'encoder' : 'lse'] += performance.now() - t0;
  if (isDecoder) timing.decoderRuns++;
  return res;
} as Run;
const root = path.resolve(import.meta.dirname, '..');
const [udf] = (await loadUdfs([path.join(root, 'src/stdlib/udfs/translate.ts')], root)).filter((u) => u.definition.name === 'translate');
const ctx = {
  projectDir: root, targetDir: root, env: {},
  vars: { translation_model_dir: args.modelDir, translation_num_beams: args.numBeams, translation_max_length: args.maxLength, translation_quantized: args.quantized },
} as unknown as BatchContext;
const rt = new BatchUdfRuntime(udf, ctx);
let t = performance.now();
await rt.compute(args.warmup.map((s) => [s, 'ko', 'en']), ctx);
const loadSeconds = (performance.now() - t) / 1000;
const before = translationStats();
Object.assign(timing, { encoder: 0, decoder: 0, decoderRuns: 0, lse: 0 });
t = performance.now();
const outputs = await rt.compute(args.texts.map((s) => [s, 'ko', 'en']), ctx);
const seconds = (performance.now() - t) / 1000;
const after = translationStats();
await closeTranslators();
process.stdout.write(JSON.stringify({ loadSeconds, seconds, sentences: after.sentences - before.sentences, batches: after.batches - before.batches, encoderSeconds: timing.encoder / 1000, decoderSeconds: timing.decoder / 1000, decoderRuns: timing.decoderRuns, lseSeconds: timing.lse / 1000, outputs }));
