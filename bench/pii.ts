/**
 * Redaction throughput benchmark: `redactPii` in mask mode over the demo emails
 * (`seeds/raw_customer_emails`), subject lines and full bodies measured separately. Goal: ≥ 20,000
 * short texts per second per core.
 */
import { redactPii } from '../src/stdlib/lib/pii.js';
import { loadPiiEvalData } from '../tests/helpers/pii-eval.js';

/** One throughput figure. */
export interface RedactionBenchRow {
  /** `'subject'` (short texts) or `'body'` (full email bodies). */
  kind: 'subject' | 'body';
  texts: number;
  /** Mean text length in UTF-16 code units. */
  avgChars: number;
  /** Texts redacted per second (single thread, after a warm-up pass). */
  textsPerSecond: number;
}

/**
 * Measures mask-mode redaction throughput on the demo email subjects and bodies.
 * @param seconds - minimum measuring time per kind (default 2)
 */
export async function benchRedaction(projectDir = process.cwd(), seconds = 2): Promise<RedactionBenchRow[]> {
  const data = await loadPiiEvalData(projectDir);
  const rows: RedactionBenchRow[] = [];
  for (const kind of ['subject', 'body'] as const) {
    const texts = data.texts.filter((t) => t.field === kind).map((t) => t.text);
    for (const t of texts) redactPii(t, { mode: 'mask' });
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) {
      for (const t of texts) redactPii(t, { mode: 'mask' });
      n += texts.length;
    }
    const secs = (performance.now() - t0) / 1000;
    rows.push({ kind, texts: texts.length, avgChars: Math.round(texts.reduce((s, t) => s + t.length, 0) / texts.length), textsPerSecond: Math.round(n / secs) });
  }
  return rows;
}
