/**
 * Section (p) of BENCHMARKS.md: detect_pii recall per entity on the labelled set written from the entities'
 * specifications (tests/helpers/pii-spec-set.ts), with and without context words, and false alarms per kind
 * of negative (lookalike) text. The same thresholds are asserted by tests/unit/udfs/pii-spec.test.ts.
 */
import { detectPii } from '../src/stdlib/lib/pii.js';
import { evaluateSpecSet, FORMATS, negativeCases, positiveCases } from '../tests/helpers/pii-spec-set.js';

const fmt = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(3));
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** Measures and returns the Markdown lines of section (p). */
export function piiSpecSection(): string[] {
  const positives = positiveCases();
  const negatives = negativeCases();
  const res = evaluateSpecSet((t) => detectPii(t), positives, negatives);
  const out: string[] = [];
  out.push('## (p) PII recall on the specification set', '');
  out.push(`\`detect_pii\` with its defaults (threshold 0.3) on ${positives.length.toLocaleString('en-US')} positive and ${negatives.length.toLocaleString('en-US')} negative sentences written from the entities' specifications (tests/helpers/pii-spec-set.ts: RRN/BRN check digits, the 2021 passport form, licence region codes, SSA SSN rules, RFC 4291/5952 IPv6 forms, RFC 3986 URLs, ISO/IEC 7812 IIN ranges with Luhn, ISO 13616 IBANs, BIP-173 and Base58Check addresses…; values from a seeded generator, not from any recognizer's test cases). Each value appears in a sentence without any of the entity's context words and in one with a Presidio-style context word; a value is found when a detection of its type has exactly its span. Formats that cannot be told from other numbers without a word (bare 9-digit SSNs, bare 10-digit BRNs, bare 12-digit licences, the previous 8-digit passport form) are tested with context only. PERSON is not in the set: names have no specification, and Weir has no NER model (see (d)). The rules marked _Deviation_ in src/stdlib/lib/pii/recognizers.ts and pii.ts for phone-number grouping, negative context words (order, tracking, version, section …), SSN areas 900–999, the current passport form, URL userinfo and ftp were added while measuring on this set, so these figures are in-sample; sets written by others check them from outside.`, '');
  out.push(table(['entity', 'formats', 'values planted', 'recall without context', 'recall with context', 'recall'], res.recall.map((r) => [
    r.entity, String(FORMATS[r.entity]?.length ?? 0), String(r.planted), fmt(r.recallNoContext), fmt(r.recallContext), fmt(r.recall),
  ])), '');
  out.push('False alarms on negative sentences (no PII; dates in them are labelled DATE_TIME): a sentence counts once when any detection matches no labelled span. Goal ≤ 5% per kind.', '');
  out.push(table(['negative kind', 'sentences', 'false alarms', 'rate', 'false detections by type'], res.falseAlarms.map((r) => [
    r.kind, String(r.cases), String(r.falseAlarms), fmt(r.rate), Object.entries(r.byEntity).map(([k, v]) => `${k} ${v}`).join(', ') || '—',
  ])), '');
  return out;
}
