import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  base58checkValid, bech32Valid, ibanValid, luhnValid, rrnCheckDigit, rrnValid,
} from '../../scripts/generator/checksums.js';
import { csvField } from '../../scripts/generator/csv.js';
import { type GenerateResult, generateSeeds } from '../../scripts/generator/index.js';
import { Rng } from '../../scripts/generator/prng.js';
import { TABLES } from '../../scripts/generator/schema.js';

/** Minimal RFC 4180 parser: returns header and rows; empty unquoted fields become null. */
function parseCsv(text: string): { header: string[]; rows: (string | null)[][] } {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') {
      quoted = true;
      wasQuoted = true;
    } else if (c === ',' || c === '\n') {
      row.push(field === '' && !wasQuoted ? null : field);
      field = '';
      wasQuoted = false;
      if (c === '\n') {
        rows.push(row);
        row = [];
      }
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  const header = rows.shift() as string[];
  return { header, rows };
}

function readTable(dir: string, name: string): { header: string[]; rows: (string | null)[][] } {
  return parseCsv(gunzipSync(readFileSync(join(dir, `${name}.csv.gz`))).toString('utf8'));
}

function records(dir: string, name: string): Record<string, string | null>[] {
  const { header, rows } = readTable(dir, name);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'weir-gen-'));
  dirs.push(d);
  return d;
}

let small: string;
let smallRes: GenerateResult;

beforeAll(async () => {
  small = tmp();
  smallRes = await generateSeeds({ scale: 0.05, outDir: small });
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('check-digit algorithms', () => {
  it('validate published test vectors', () => {
    expect(luhnValid('4111 1111 1111 1111')).toBe(true);
    expect(luhnValid('4111 1111 1111 1112')).toBe(false);
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true); // ISO 13616 example
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    // 8,0,0,1,0,1,1,2,3,4,5,6 · 2,3,4,5,6,7,8,9,2,3,4,5 = 122; (11 - 122 mod 11) mod 10 = 0
    expect(rrnCheckDigit('800101123456')).toBe(0);
    expect(rrnValid('800101-1234560')).toBe(true);
    expect(rrnValid('800101-1234561')).toBe(false);
    expect(base58checkValid('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2')).toBe(true);
    expect(bech32Valid('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toBe(true); // BIP-173
  });

  it('csvField quotes per RFC 4180', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('x\ny')).toBe('"x\ny"');
    expect(csvField(null)).toBe('');
    expect(csvField(12)).toBe('12');
  });

  it('Rng is deterministic per key', () => {
    const a = new Rng('k');
    const b = new Rng('k');
    const c = new Rng('other');
    const xs = [a.nextU32(), a.nextU32(), a.nextU32()];
    expect([b.nextU32(), b.nextU32(), b.nextU32()]).toEqual(xs);
    expect(c.nextU32()).not.toBe(xs[0]);
  });
});

describe('generateSeeds', () => {
  it('is byte-identical across runs', async () => {
    const other = tmp();
    await generateSeeds({ scale: 0.05, outDir: other });
    const files = readdirSync(small).sort();
    expect(readdirSync(other).sort()).toEqual(files);
    for (const f of files) expect(sha(readFileSync(join(other, f))), f).toBe(sha(readFileSync(join(small, f))));
  });

  it('streams gzip identical to zlib.gzipSync(csv, {level: 9})', () => {
    const gz = readFileSync(join(small, 'raw_products.csv.gz'));
    expect(gz.readUInt32LE(4)).toBe(0); // mtime 0
    expect(gzipSync(gunzipSync(gz), { level: 9 }).equals(gz)).toBe(true);
  });

  it('writes every documented table with the documented columns', () => {
    for (const t of TABLES) {
      expect(existsSync(join(small, `${t.name}.csv.gz`)), t.name).toBe(true);
      expect(readTable(small, t.name).header, t.name).toEqual(t.columns.map((c) => c[0]));
      expect(smallRes.tables[t.name].rows, t.name).toBeGreaterThan(0);
    }
    expect(Object.keys(smallRes.tables).sort()).toEqual(TABLES.map((t) => t.name).sort());
    const yml = readFileSync(join(small, 'seeds.yml'), 'utf8');
    for (const t of TABLES) expect(yml).toContain(`- name: ${t.name}\n`);
  });

  it('plants valid PII with exact offsets', () => {
    const emails = new Map(records(small, 'raw_customer_emails').map((e) => [e.email_id!, e]));
    const pii = records(small, 'truth_email_pii');
    const seen = new Set<string>();
    for (const p of pii) {
      const e = emails.get(p.email_id!);
      expect(e, p.email_id!).toBeDefined();
      const text = p.field === 'body' ? e!.body! : e!.subject!;
      expect(text.slice(Number(p.start), Number(p.end))).toBe(p.value);
      seen.add(p.entity_type!);
      if (p.entity_type === 'KR_RRN') expect(rrnValid(p.value!), p.value!).toBe(true);
      if (p.entity_type === 'CREDIT_CARD') expect(luhnValid(p.value!), p.value!).toBe(true);
      if (p.entity_type === 'IBAN_CODE') expect(ibanValid(p.value!), p.value!).toBe(true);
      if (p.entity_type === 'CRYPTO') expect(p.value!.startsWith('bc1') ? bech32Valid(p.value!) : base58checkValid(p.value!), p.value!).toBe(true);
      if (p.entity_type === 'US_SSN') expect(p.value).toMatch(/^(?!000|666|9)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$/);
    }
    for (const t of ['EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'IBAN_CODE', 'KR_RRN', 'PERSON', 'DATE_TIME']) expect(seen.has(t), t).toBe(true);
    const langs = [...emails.values()].map((e) => e.language);
    const ko = langs.filter((l) => l === 'ko').length / langs.length;
    expect(ko).toBeGreaterThan(0.2);
    expect(ko).toBeLessThan(0.5);
  });

  it('keeps funnels consistent outside the logged dirty rows', () => {
    const dirty = new Set(records(small, 'truth_dirty_rows').filter((d) => d.table_name === 'raw_campaign_daily').map((d) => d.record_key));
    const daily = records(small, 'raw_campaign_daily');
    let checked = 0;
    for (const d of daily) {
      if (dirty.has(`${d.campaign_id}|${d.date}`)) continue;
      checked++;
      expect(Number(d.clicks)).toBeLessThanOrEqual(Number(d.impressions));
      expect(Number(d.conversions)).toBeLessThanOrEqual(Number(d.clicks));
      expect(Number(d.spend)).toBeGreaterThanOrEqual(0);
    }
    expect(checked).toBeGreaterThan(daily.length * 0.97);
  });

  it('maps every identity-bearing record to exactly one true person', () => {
    const truth = records(small, 'truth_person_identity');
    const key = (s: string | null, r: string | null) => `${s}|${r}`;
    const keys = new Set(truth.map((t) => key(t.source_system, t.record_id)));
    expect(keys.size).toBe(truth.length);
    for (const c of records(small, 'raw_crm_customers')) expect(keys.has(key('crm', c.customer_id))).toBe(true);
    for (const c of records(small, 'raw_email_contacts')) expect(keys.has(key('email', c.contact_id))).toBe(true);
    for (const c of records(small, 'raw_customer_emails')) expect(keys.has(key('email_sender', c.email_id))).toBe(true);
    // some persons really are duplicated inside the CRM
    const crmPersons = truth.filter((t) => t.source_system === 'crm').map((t) => t.person_id);
    expect(new Set(crmPersons).size).toBeLessThan(crmPersons.length);
  });

  it("cites the sender's own earlier order in emails about orders when the sender has one, another's otherwise", () => {
    const truth = records(small, 'truth_person_identity');
    const personOf = new Map(truth.map((t) => [`${t.source_system}|${t.record_id}`, t.person_id]));
    // orders are rewritten on re-export (same order id, earlier status): the first row of an id is enough here
    const orders = new Map<string, { person: string | undefined; ts: string }>();
    for (const o of records(small, 'raw_orders')) {
      if (!orders.has(o.order_id!)) orders.set(o.order_id!, { person: o.customer_id ? (personOf.get(`crm|${o.customer_id}`) ?? undefined) : undefined, ts: o.order_ts! });
    }
    let cited = 0;
    let own = 0;
    let foreignWithOwnAvailable = 0;
    for (const e of records(small, 'raw_customer_emails')) {
      const ids = `${e.subject} ${e.body}`.match(/O\d{8}/g);
      if (!ids) continue;
      const sender = personOf.get(`email_sender|${e.email_id}`);
      const order = orders.get(ids[0]);
      expect(order, ids[0]).toBeDefined();
      cited++;
      if (order!.person === sender) {
        own++;
        expect(order!.ts.slice(0, 19) <= e.received_at!.slice(0, 19), `${e.email_id} cites a later order`).toBe(true);
      } else {
        const earlier = [...orders.values()].some((o) => o.person === sender && o.ts.slice(0, 19) <= e.received_at!.slice(0, 19));
        if (earlier) foreignWithOwnAvailable++;
      }
    }
    expect(cited).toBeGreaterThan(50);
    expect(own).toBeGreaterThan(cited * 0.1);
    expect(foreignWithOwnAvailable).toBe(0);
  });

  it('references CRM customers from orders except logged orphans/nulls', () => {
    const crm = new Set(records(small, 'raw_crm_customers').map((c) => c.customer_id));
    const orphans = new Set(records(small, 'truth_dirty_rows').filter((d) => d.table_name === 'raw_orders' && d.column_name === 'customer_id').map((d) => d.record_key));
    for (const o of records(small, 'raw_orders')) {
      if (o.customer_id === null || !crm.has(o.customer_id)) expect(orphans.has(o.order_id), o.order_id!).toBe(true);
      expect(o.order_ts! >= '2023-01-01 00:00:00' && o.order_ts! <= '2025-12-31 23:59:59').toBe(true);
    }
  });

  it('scales row counts linearly', async () => {
    const double = tmp();
    const res = await generateSeeds({ scale: 0.1, outDir: double });
    for (const t of ['raw_crm_customers', 'raw_email_contacts', 'raw_products', 'raw_orders', 'raw_order_items', 'raw_sessions', 'raw_customer_emails', 'raw_events']) {
      const ratio = res.tables[t].rows / smallRes.tables[t].rows;
      expect(ratio, t).toBeGreaterThan(1.85);
      expect(ratio, t).toBeLessThan(2.15);
    }
    expect(res.tables.raw_campaigns.rows).toBeGreaterThanOrEqual(smallRes.tables.raw_campaigns.rows);
  });

  it('committed seeds/ equal a fresh scale-1 generation', async () => {
    const repoSeeds = join(import.meta.dirname, '..', '..', 'seeds');
    const fresh = tmp();
    const res = await generateSeeds({ scale: 1, outDir: fresh });
    expect(res.totalBytes).toBeLessThan(15 * 1024 * 1024);
    for (const f of readdirSync(fresh).sort()) {
      const a = readFileSync(join(fresh, f));
      const b = readFileSync(join(repoSeeds, f));
      // compare content (gzip bytes can differ between zlib builds; the CSV must not)
      if (f.endsWith('.gz')) expect(sha(gunzipSync(b)), f).toBe(sha(gunzipSync(a)));
      else expect(b.toString('utf8'), f).toBe(a.toString('utf8'));
    }
  }, 60_000);
});
