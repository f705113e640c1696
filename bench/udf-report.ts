/**
 * The UDF and entity-resolution sections of BENCHMARKS.md: fuzzy UDF throughput inside DuckDB
 * (bench/udfs.ts), PII detection quality on the labelled demo emails and redaction throughput
 * (udfs/lib/pii-eval.ts, bench/pii.ts), entity-resolution scaling on 10k and 100k generated records and
 * on Splink's fake_1000 (bench/er.ts), and translation speed on the tiny test model (bench/translate.ts).
 * Returns Markdown lines; all figures are measured when called.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchUdfs } from './udfs.js';
import { benchRedaction } from './pii.js';
import { benchTranslate } from './translate.js';
import { fake1000Path, makeRecords, resolveRecords, type ErRun } from './er.js';
import { evaluatePii } from '../udfs/lib/pii-eval.js';
import { log } from './util.js';

const fmt = (x: number, d = 3) => x.toFixed(d);
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/**
 * Runs the UDF benchmarks.
 * @param repoRoot repository root (seeds and udfs are read from it)
 * @returns Markdown lines for BENCHMARKS.md
 */
export async function udfSections(repoRoot: string): Promise<string[]> {
  const out: string[] = [];

  log('udfs: fuzzy UDFs inside DuckDB (1,000,000 pairs)');
  const fuzzy = await benchUdfs(1_000_000, 3);
  out.push('## (c) Fuzzy-matching UDFs inside DuckDB', '');
  out.push(`Each function of \`udfs/fuzzy.ts\` registered by Weir's DuckDB UDF code and called from SQL over the same ${int(fuzzy.rows)} name pairs (bench/udfs.ts: \`select sum(f(a, b)) from pairs\`, median of 3), against DuckDB's builtin \`jaro_winkler_similarity\` over the same pairs in the same process. The JavaScript functions cross from DuckDB to V8 once per 2,048-row chunk and run on one thread; the builtin is native and uses both cores.`, '');
  out.push(table(['function', 'calls/s', 'ratio to builtin'], [
    [fuzzy.builtin.fn, int(fuzzy.builtin.callsPerSecond), '1.00×'],
    ...fuzzy.udfs.map((u) => [u.fn, int(u.callsPerSecond), `${fmt(u.ratioToBuiltin, 3)}×`]),
  ]), '');

  log('udfs: PII evaluation and redaction throughput');
  const evalRows = await evaluatePii({ projectDir: repoRoot });
  out.push('## (d) PII detection and redaction', '');
  out.push('Precision and recall per entity on the 5,000 generated customer emails, whose generator records every planted PII span (`truth_email_pii`): a detection is a true positive when its type matches and its span overlaps a planted span of the same email and field (udfs/lib/pii-eval.ts). The texts come from templates the recognizers were tuned on, so these figures overstate accuracy on real prose (PERSON especially).', '');
  out.push(table(['entity', 'tp', 'fp', 'fn', 'precision', 'recall'], evalRows.map((r) => [r.entity, int(r.tp), int(r.fp), int(r.fn), fmt(r.precision), fmt(r.recall)])), '');
  const redaction = await benchRedaction(repoRoot, 2);
  out.push('Redaction throughput (`redactPii`, mask mode, one thread, after a warm-up pass; goal ≥ 20,000 texts/s for short texts on 2 cores):', '');
  out.push(table(['texts', 'count', 'mean length (chars)', 'texts/s'], redaction.map((r) => [r.kind === 'subject' ? 'subjects (short)' : 'bodies', int(r.texts), int(r.avgChars), int(r.textsPerSecond)])), '');

  log('udfs: entity resolution scaling');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weir-er-bench-'));
  const runs: { label: string; run: ErRun }[] = [];
  try {
    for (const n of [10_000, 100_000]) {
      const f = path.join(dir, `people_${n}.csv`);
      writeFileSync(f, makeRecords(n));
      runs.push({ label: `${int(n)} generated records`, run: await resolveRecords(f) });
    }
    runs.push({ label: "Splink fake_1000 (1,000 records, 251 true clusters)", run: await resolveRecords(fake1000Path()) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  out.push('## (e) Entity resolution', '');
  out.push('The macros `er_blocked_pairs` → comparison levels → `er_fellegi_sunter` (EM, 10 iterations) → `er_clusters` (match probability ≥ 0.5) rendered by Weir and run on in-memory DuckDB (bench/er.ts). Generated records: clusters of 1–4 records of one person with typos, swapped names and missing values. Blocking keeps the candidate pairs near-linear in the number of records instead of N(N−1)/2. Precision and recall are over record pairs in the same predicted vs true cluster.', '');
  out.push(table(['data', 'candidate pairs', 'all pairs', 'blocking', 'levels + EM', 'clusters', 'total', 'precision', 'recall', 'F1'], runs.map(({ label, run }) => [
    label, int(run.candidatePairs), int(run.allPairs), `${fmt(run.blockSeconds, 2)} s`, `${fmt(run.scoreSeconds, 2)} s`, `${fmt(run.clusterSeconds, 2)} s`, `${fmt(run.totalSeconds, 2)} s`, fmt(run.precision), fmt(run.recall), fmt(run.f1),
  ])), '');

  log('udfs: translation on the tiny model');
  const tr = await benchTranslate(2000);
  out.push('## (f) Translation', '');
  out.push(`Sentences per second of the translation pipeline (SentencePiece tokenization, onnxruntime-node, batched decoding) on the tiny test model the tests build (bench/translate.ts) — a measure of the pipeline's own overhead, not of a real MarianMT model.${tr.realModelSkipped ? ` Real model: ${tr.realModelSkipped}.` : ''}`, '');
  out.push(table(['model', 'decoding', 'sentences', 'seconds', 'sentences/s', 'chrF'], tr.rows.map((r) => [r.model, r.decoding, int(r.sentences), fmt(r.seconds, 2), int(r.sentencesPerSecond), r.chrF === undefined ? '' : fmt(r.chrF)])), '');
  return out;
}
