import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderWithWeir } from '../helpers/render-macro.js';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/*
 * macros/rfm_scores.sql rendered with Weir's own template environment (noEscape, strict, macros as partials, the
 * real `ident` / `literal` helpers and DuckDB dialect) and run on in-memory
 * DuckDB over a hand-built order table whose scores and segments were worked out by hand.
 */

function render(call: string): string {
  return renderWithWeir(call);
}

/**
 * 15 customers c01..c15. Customer n has `freq` orders of 10·n each; the last one `rec` days before
 * 2024-07-01 (at 12:00), earlier ones 7 days apart. 3 customers per quintile, so by hand:
 *   recency  R5: c01-c03 (1-3 d), R4: c04-c06 (10-12), R3: c07-c09 (30-32), R2: c10-c12 (60-62), R1: c13-c15 (200-202)
 *   frequency F1 = 1: c02 c04 c13; F2 = 2: c03 c08 c12; F3 = 3: c06 c07 c14; F4 = 5: c05 c11 c15; F5 = 8: c01 c09 c10
 *   monetary (10·n·freq) ascending: 20 c02, 40 c04, 60 c03 | 80 c01, 130 c13, 160 c08 | 180 c06, 210 c07, 240 c12 |
 *            250 c05, 420 c14, 550 c11 | 720 c09, 750 c15, 800 c10
 */
const CUSTOMERS: Array<{ id: string; rec: number; freq: number; rfm: string; segment: string }> = [
  { id: 'c01', rec: 1, freq: 8, rfm: '552', segment: 'Champions' },
  { id: 'c02', rec: 2, freq: 1, rfm: '511', segment: 'New Customers' },
  { id: 'c03', rec: 3, freq: 2, rfm: '521', segment: 'Potential Loyalist' },
  { id: 'c04', rec: 10, freq: 1, rfm: '411', segment: 'Promising' },
  { id: 'c05', rec: 11, freq: 5, rfm: '444', segment: 'Loyal' },
  { id: 'c06', rec: 12, freq: 3, rfm: '433', segment: 'Potential Loyalist' },
  { id: 'c07', rec: 30, freq: 3, rfm: '333', segment: 'Need Attention' },
  { id: 'c08', rec: 31, freq: 2, rfm: '322', segment: 'About to Sleep' },
  { id: 'c09', rec: 32, freq: 8, rfm: '355', segment: 'Loyal' },
  { id: 'c10', rec: 60, freq: 8, rfm: '255', segment: "Can't Lose Them" },
  { id: 'c11', rec: 61, freq: 5, rfm: '244', segment: 'At Risk' },
  { id: 'c12', rec: 62, freq: 2, rfm: '223', segment: 'Hibernating' },
  { id: 'c13', rec: 200, freq: 1, rfm: '112', segment: 'Lost' },
  { id: 'c14', rec: 201, freq: 3, rfm: '134', segment: 'At Risk' },
  { id: 'c15', rec: 202, freq: 5, rfm: '145', segment: 'At Risk' },
];

type Row = Record<string, unknown>;
let conn: DuckDBConnection;

async function query(sql: string): Promise<Row[]> {
  return (await conn.runAndReadAll(sql)).getRowObjects() as Row[];
}
/** Run a rendered macro, with the timestamp columns turned into text for comparison. */
async function runMacro(sql: string, customerCol = 'customer_id'): Promise<Map<string, Row>> {
  const rows = await query(
    `SELECT m.*, CAST(first_order_at AS VARCHAR) AS first_txt, CAST(last_order_at AS VARCHAR) AS last_txt FROM (${sql}) AS m`,
  );
  return new Map(rows.map((r) => [String(r[customerCol]), r]));
}

beforeAll(async () => {
  const db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
  const values: string[] = [];
  for (const c of CUSTOMERS) {
    const n = Number(c.id.slice(1));
    for (let k = 0; k < c.freq; k++) {
      values.push(`('${c.id}', TIMESTAMP '2024-07-01 12:00:00' - INTERVAL ${c.rec + 7 * k} DAY, ${10 * n})`);
    }
  }
  // a row without customer and one without date: ignored
  values.push(`(NULL, TIMESTAMP '2024-06-30 12:00:00', 5)`, `('c01', NULL, 5)`);
  await conn.run(`CREATE TABLE orders (customer_id VARCHAR, ordered_at TIMESTAMP, amount DECIMAL(10, 2))`);
  await conn.run(`INSERT INTO orders VALUES ${values.join(', ')}`);
});
afterAll(() => conn?.closeSync());

describe('macros/rfm_scores.sql', () => {
  it('scores and segments a hand-computed example (default as_of = last order date + 1 day)', async () => {
    const sql = render(
      '{{> rfm_scores relation="orders" customer_col="customer_id" order_date_col="ordered_at" amount_col="amount"}}',
    );
    expect(sql.trim()).toMatch(/^WITH /);
    expect(sql.trim().endsWith(';')).toBe(false);
    const out = await runMacro(sql);
    expect([...out.keys()]).toEqual(CUSTOMERS.map((c) => c.id));
    for (const c of CUSTOMERS) {
      const r = out.get(c.id)!;
      const n = Number(c.id.slice(1));
      expect(Number(r.recency_days), c.id).toBe(c.rec);
      expect(Number(r.frequency), c.id).toBe(c.freq);
      expect(Number(r.monetary), c.id).toBe(10 * n * c.freq);
      expect(`${r.r_score}${r.f_score}${r.m_score}`, c.id).toBe(c.rfm);
      expect(r.rfm_score, c.id).toBe(c.rfm);
      expect(r.rfm_segment, c.id).toBe(c.segment);
      expect(Number(r.avg_order_value), c.id).toBe(10 * n);
      expect(Number(r.historic_clv), c.id).toBe(10 * n * c.freq);
      const lifetime = 7 * (c.freq - 1);
      expect(Number(r.customer_lifetime_days), c.id).toBe(lifetime);
      if (lifetime === 0) expect(r.purchase_velocity, c.id).toBeNull();
      else expect(Number(r.purchase_velocity), c.id).toBeCloseTo((c.freq * 30) / lifetime, 12);
      const tenure = c.rec + lifetime;
      const perYear = (c.freq * 365.25) / Math.max(tenure, 90);
      expect(Number(r.orders_per_year), c.id).toBeCloseTo(perYear, 12);
      expect(Number(r.predicted_clv_12m), c.id).toBeCloseTo(10 * n * perYear, 9);
    }
    // all 11 segments occur
    expect(new Set([...out.values()].map((r) => r.rfm_segment)).size).toBe(11);
    // worked examples
    const c05 = out.get('c05')!;
    expect(c05.first_txt).toBe('2024-05-23 12:00:00'); // 2024-07-01 - 39 days
    expect(c05.last_txt).toBe('2024-06-20 12:00:00');
    expect(Number(c05.purchase_velocity)).toBeCloseTo(150 / 28, 12); // 5 orders over 28 days
    expect(Number(c05.predicted_clv_12m)).toBeCloseTo(50 * ((5 * 365.25) / 90), 9); // 1014.5833...
    expect(Number(out.get('c13')!.predicted_clv_12m)).toBeCloseTo(130 * (365.25 / 200), 9); // 237.4125
  });

  it('uses only orders before an explicit as_of and honours min_tenure_days and order_id_col', async () => {
    const sql = render(
      `{{> rfm_scores relation="(SELECT *, strftime(ordered_at, '%Y%m%d') || customer_id AS order_id FROM orders)" ` +
        `customer_col="customer_id" order_date_col="ordered_at" amount_col="amount" order_id_col="order_id" ` +
        `as_of="DATE '2024-06-15'" min_tenure_days=30}}`,
    );
    const out = await runMacro(sql);
    // c01's orders fall on 06-30, 06-23, 06-16, 06-09, ...: 5 of 8 are before 06-15; the last is 6 days before.
    const c01 = out.get('c01')!;
    expect(Number(c01.frequency)).toBe(5);
    expect(Number(c01.recency_days)).toBe(6);
    expect(Number(c01.orders_per_year)).toBeCloseTo((5 * 365.25) / (6 + 28), 12); // tenure 34 d > 30
    // customers whose orders are all on/after as_of are absent
    for (const id of ['c02', 'c03', 'c04']) expect(out.has(id)).toBe(false);
    expect(out.size).toBe(12);
  });

  it('breaks ties deterministically by customer id', async () => {
    await conn.run(`CREATE TABLE tie_orders AS SELECT * FROM (VALUES
      ('t1', DATE '2024-01-10', 10.0), ('t2', DATE '2024-01-10', 10.0), ('t3', DATE '2024-01-10', 10.0),
      ('t4', DATE '2024-01-10', 10.0), ('t5', DATE '2024-01-10', 10.0), ('t6', DATE '2024-01-10', 10.0))
      AS t(cust, d, amt)`);
    const sql = render('{{> rfm_scores relation="tie_orders" customer_col="cust" order_date_col="d" amount_col="amt"}}');
    const rows = await query(sql);
    // NTILE(5) over 6 rows: bucket sizes 2,1,1,1,1 in customer-id order; recency ranks DESC so ties follow id too.
    expect(rows.map((r) => r.cust)).toEqual(['t1', 't2', 't3', 't4', 't5', 't6']);
    expect(rows.map((r) => Number(r.f_score))).toEqual([1, 1, 2, 3, 4, 5]);
    expect(rows.map((r) => Number(r.m_score))).toEqual([1, 1, 2, 3, 4, 5]);
    expect(rows.map((r) => Number(r.r_score))).toEqual([1, 1, 2, 3, 4, 5]);
    expect(rows.every((r) => Number(r.recency_days) === 1)).toBe(true);
  });
});
