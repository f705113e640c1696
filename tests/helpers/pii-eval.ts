/**
 * Evaluation of {@link detectPii} on the demo project's labelled emails: `seeds/raw_customer_emails`
 * (subjects and bodies) against the planted spans in `seeds/truth_email_pii` (made by
 * `scripts/generator/emails.ts`).
 *
 * Matching rule: a detection is a true positive when some planted span in the same email and field
 * has the same entity type and overlaps it (`det.start < gold.end && gold.start < det.end`); a planted
 * span is found when some detection of its type overlaps it. Recall = found spans / planted spans;
 * precision = matching detections / all detections of that type. Detections of types never planted
 * (KR_BRN, KR_PASSPORT, KR_DRIVER_LICENSE) are all false positives.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { createNameDictionary, detectPii, PII_ENTITY_TYPES, type DetectPiiOptions, type PiiEntityType } from '../../src/stdlib/lib/pii.js';

/** Per-entity result: `tp` = planted spans found, `fn` = planted spans missed, `fp` = detections matching no planted span. */
export interface PiiEvalRow {
  entity: PiiEntityType;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

/** A labelled text: an email subject or body. */
export interface LabelledText {
  email_id: string;
  field: 'subject' | 'body';
  text: string;
  spans: { entity_type: string; start: number; end: number }[];
}

/** Options of {@link evaluatePii}. */
export interface EvaluatePiiOptions {
  /** Project directory holding `seeds/` (default: the current working directory). */
  projectDir?: string;
  /** Use the CRM customers' and email contacts' names as PERSON dictionary (default true). */
  nameDictionary?: boolean;
  /** Extra detectPii options (threshold, entities). */
  detect?: Omit<DetectPiiOptions, 'names'>;
}

/** Loaded evaluation data: labelled texts and the customers' names. */
export interface PiiEvalData {
  texts: LabelledText[];
  names: string[];
}

/** Reads the seeds with an in-memory DuckDB (`read_csv` decompresses the `.csv.gz` files). */
export async function loadPiiEvalData(projectDir = process.cwd()): Promise<PiiEvalData> {
  const seeds = join(projectDir, 'seeds').replace(/'/g, "''");
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    const emails = await q(`select email_id, subject, body from read_csv('${seeds}/raw_customer_emails.csv.gz', all_varchar = true) order by email_id`);
    const truth = await q(`select email_id, field, entity_type, "start"::int as s, "end"::int as e from read_csv('${seeds}/truth_email_pii.csv.gz', all_varchar = true)`);
    const crm = await q(`select first_name, last_name from read_csv('${seeds}/raw_crm_customers.csv.gz', all_varchar = true)`);
    const contacts = await q(`select full_name from read_csv('${seeds}/raw_email_contacts.csv.gz', all_varchar = true)`);
    const spans = new Map<string, LabelledText['spans']>();
    for (const t of truth) {
      const k = `${t.email_id}|${t.field}`;
      let arr = spans.get(k);
      if (!arr) spans.set(k, (arr = []));
      arr.push({ entity_type: String(t.entity_type), start: Number(t.s), end: Number(t.e) });
    }
    const texts: LabelledText[] = [];
    for (const e of emails) {
      for (const field of ['subject', 'body'] as const) {
        const text = (e[field] as string | null) ?? '';
        texts.push({ email_id: String(e.email_id), field, text, spans: spans.get(`${e.email_id}|${field}`) ?? [] });
      }
    }
    const names: string[] = [];
    for (const c of crm) {
      const f = ((c.first_name as string | null) ?? '').trim();
      const l = ((c.last_name as string | null) ?? '').trim();
      if (f && l) {
        names.push(`${f} ${l}`);
        if (/^[가-힣]+$/.test(f + l)) names.push(l + f);
        else names.push(`${l} ${f}`);
      } else if (f.includes(' ') || /^[가-힣]{2,4}$/.test(f)) names.push(f);
    }
    for (const c of contacts) {
      const n = ((c.full_name as string | null) ?? '').trim();
      if (n.includes(' ') || /^[가-힣]{2,4}$/.test(n)) names.push(n.replace(/^(\S+), (\S+)$/, '$2 $1'));
    }
    return { texts, names };
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

/**
 * Runs detectPii on every subject and body and scores it per entity type (rule in the module docs).
 * @returns one row per entity type that was planted or detected, in {@link PII_ENTITY_TYPES} order
 */
export async function evaluatePii(options: EvaluatePiiOptions = {}): Promise<PiiEvalRow[]> {
  const data = await loadPiiEvalData(options.projectDir);
  return scorePii(data, options);
}

/** Scores already-loaded data (see {@link evaluatePii}). */
export function scorePii(data: PiiEvalData, options: EvaluatePiiOptions = {}): PiiEvalRow[] {
  const dict = options.nameDictionary === false ? undefined : createNameDictionary(data.names);
  const acc = new Map<string, { tp: number; fp: number; fn: number; detTp: number }>();
  const get = (t: string) => {
    let a = acc.get(t);
    if (!a) acc.set(t, (a = { tp: 0, fp: 0, fn: 0, detTp: 0 }));
    return a;
  };
  for (const lt of data.texts) {
    const dets = detectPii(lt.text, { ...options.detect, names: dict });
    const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;
    for (const d of dets) {
      const ok = lt.spans.some((g) => g.entity_type === d.entity_type && overlaps(d, g));
      if (ok) get(d.entity_type).detTp++;
      else get(d.entity_type).fp++;
    }
    for (const g of lt.spans) {
      if (dets.some((d) => d.entity_type === g.entity_type && overlaps(d, g))) get(g.entity_type).tp++;
      else get(g.entity_type).fn++;
    }
  }
  const rows: PiiEvalRow[] = [];
  for (const t of PII_ENTITY_TYPES) {
    const a = acc.get(t);
    if (!a) continue;
    rows.push({
      entity: t, tp: a.tp, fp: a.fp, fn: a.fn,
      precision: a.detTp + a.fp === 0 ? 1 : a.detTp / (a.detTp + a.fp),
      recall: a.tp + a.fn === 0 ? 1 : a.tp / (a.tp + a.fn),
    });
  }
  return rows;
}
