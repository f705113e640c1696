/**
 * `raw_products`, `raw_orders` and `raw_order_items`.
 */
import { type Country, type Ctx, pad } from './context.js';
import { type CrmIndex, type PersonFactory, customerId } from './people.js';
import { searchCumulative } from './prng.js';
import { DAY, N_DAYS, apportion, cumulative, dayWeights, fmtTs, secondOfDay } from './time.js';

/** Fixed FX rate used everywhere: 1 USD = 1,300 KRW. */
export const KRW_PER_USD = 1300;

/** Product catalogue entry kept in memory for downstream generators. */
export interface Product {
  id: string;
  sku: string;
  /** Display name (English, or Korean for some KRW-priced items). */
  name: string;
  category: string;
  /** Price in minor units of `currency` (USD cents or KRW won). */
  priceMinor: number;
  currency: 'USD' | 'KRW';
}

const CATEGORIES: readonly (readonly [string, number, number])[] = [
  // name, weight, median USD price
  ['Electronics', 12, 120], ['Home & Kitchen', 14, 35], ['Beauty', 12, 22], ['Fashion', 16, 45], ['Sports & Outdoors', 9, 40],
  ['Books', 7, 15], ['Toys & Games', 7, 25], ['Grocery', 8, 9], ['Stationery', 6, 8], ['Pet Supplies', 5, 18], ['K-Beauty', 4, 19],
];
const KO_ADJ = ['프리미엄', '데일리', '촉촉한', '무선', '휴대용', '친환경', '대용량', '미니', '클래식', '스마트'];
const KO_NOUN = ['수분 크림', '텀블러', '블루투스 이어폰', '에코백', '선크림', '보조배터리', '차렵이불', '캠핑 의자', '마스크팩', '키보드', '운동화', '립밤'];

/** Generate and write `raw_products` (≈ 500 × scale rows). */
export async function genProducts(ctx: Ctx): Promise<Product[]> {
  const r = ctx.rng('products');
  const f = ctx.faker('US', 'products');
  const n = ctx.n(500, 20);
  const w = ctx.writer('raw_products', ['product_id', 'sku', 'product_name', 'category', 'unit_price', 'currency', 'is_active', 'created_at']);
  const out: Product[] = [];
  for (let i = 0; i < n; i++) {
    const id = pad('PR', i + 1, 5);
    const [cat, , median] = r.weighted(CATEGORIES.map((c) => [c, c[1]] as const));
    const krw = cat === 'K-Beauty' ? r.chance(0.8) : r.chance(0.2);
    const usd = Math.max(1, median * r.logNormal(0, 0.6));
    const priceMinor = krw ? Math.max(1000, Math.round((usd * KRW_PER_USD) / 100) * 100 - (r.chance(0.6) ? 100 : 0)) : Math.round(usd) * 100 - 1;
    const sku = `${cat.replace(/[^A-Z]/g, '').padEnd(2, 'X').slice(0, 2)}-${r.chars(4, 'ABCDEFGHJKLMNPQRSTUVWXYZ')}-${String(i + 1).padStart(5, '0')}`;
    const name = krw && r.chance(0.7) ? `${r.pick(KO_ADJ)} ${r.pick(KO_NOUN)} ${r.pick(['1+1', '세트', '', '', '기획전 한정', '대용량'])}`.trim() : f.commerce.productName();
    let category: string | null = cat;
    let price = krw ? String(priceMinor) : (priceMinor / 100).toFixed(2);
    let skuOut = sku;
    if (r.chance(0.01)) { category = null; ctx.logDirt('raw_products', id, 'category', 'null'); }
    if (r.chance(0.005)) { price = krw ? '0' : '0.00'; ctx.logDirt('raw_products', id, 'unit_price', 'zero_price'); }
    if (i > 0 && r.chance(0.006)) {
      skuOut = out[r.int(0, out.length - 1)].sku.toLowerCase() + ' ';
      ctx.logDirt('raw_products', id, 'sku', 'duplicate_sku_case_whitespace');
    }
    const created = r.int(0, 200) * DAY + secondOfDay(r);
    w.row([id, skuOut, name, category, price, krw ? 'KRW' : 'USD', r.chance(0.92) ? 'true' : 'false', fmtTs(created)]);
    out.push({ id, sku, name, category: cat, priceMinor, currency: krw ? 'KRW' : 'USD' });
  }
  return out;
}

/** Compact in-memory view of the orders needed by the sessions generator. */
export interface OrderIndex {
  count: number;
  /** order_ts, seconds since 2023-01-01. */
  ts: Int32Array;
  /** CRM record index of the order's customer; −1 for guest (null) or orphan customer ids. */
  customer: Int32Array;
  /** 0 web, 1 app, 2 store. */
  channel: Uint8Array;
  /** Up to 3 product indices per order (row-major, −1 padded). */
  products: Int32Array;
}

/** `O00000001`-style order id. */
export function orderId(i: number): string {
  return pad('O', i + 1, 8);
}

const CHANNELS = ['web', 'app', 'store'] as const;

/** Convert a product price into the order currency's minor units (fixed FX {@link KRW_PER_USD}). */
function priceIn(p: Product, cur: 'USD' | 'KRW'): number {
  if (p.currency === cur) return p.priceMinor;
  if (cur === 'KRW') return Math.round((p.priceMinor / 100) * KRW_PER_USD / 100) * 100;
  return Math.max(1, Math.round(p.priceMinor / KRW_PER_USD * 100));
}

function money(minor: number, cur: 'USD' | 'KRW'): string {
  return cur === 'KRW' ? String(minor) : (minor / 100).toFixed(2);
}

/**
 * Generate and write `raw_orders` (≈ 50,000 × scale) and `raw_order_items` (≈ 3 lines per order).
 * Orders follow {@link dayWeights}; each order's customer is an existing CRM record at order time,
 * chosen by a heavy-tailed purchase propensity.
 */
export async function genOrders(ctx: Ctx, pf: PersonFactory, crm: CrmIndex, products: Product[]): Promise<OrderIndex> {
  const r = ctx.rng('orders');
  const target = ctx.n(50000, 10);
  const perDay = apportion(target, dayWeights());
  // Zipf-like product popularity
  const pw = new Float64Array(products.length);
  for (let i = 0; i < products.length; i++) pw[i] = 1 / Math.pow(1 + ((i * 7919) % products.length), 0.8);
  const pcum = cumulative(pw);
  const idx: OrderIndex = {
    count: target,
    ts: new Int32Array(target),
    customer: new Int32Array(target),
    channel: new Uint8Array(target),
    products: new Int32Array(target * 3).fill(-1),
  };
  const wo = ctx.writer('raw_orders', [
    'order_id', 'customer_id', 'order_ts', 'status', 'channel', 'currency', 'subtotal_amount', 'discount_amount',
    'shipping_amount', 'total_amount', 'shipping_country', 'payment_method', 'updated_at',
  ]);
  const wi = ctx.writer('raw_order_items', ['order_id', 'line_number', 'product_id', 'sku', 'quantity', 'unit_price', 'discount_amount', 'currency']);
  let o = 0;
  const secs: number[] = [];
  for (let d = 0; d < N_DAYS; d++) {
    secs.length = 0;
    for (let k = 0; k < perDay[d]; k++) secs.push(d * DAY + secondOfDay(r));
    secs.sort((a, b) => a - b);
    for (const t of secs) {
      const oid = orderId(o);
      // eligible customers: created at or before t
      let lo = 0;
      let hi = crm.count;
      while (lo < hi) {
        const m = (lo + hi) >>> 1;
        if (crm.created[m] <= t) lo = m + 1;
        else hi = m;
      }
      const elig = lo;
      let cust = elig > 0 ? searchCumulative(crm.cumWeight, r.next() * crm.cumWeight[elig - 1], elig) : -1;
      let custStr: string | null = cust >= 0 ? customerId(cust) : null;
      if (cust < 0) ctx.logDirt('raw_orders', oid, 'customer_id', 'null');
      else if (r.chance(0.005)) { cust = -1; custStr = null; ctx.logDirt('raw_orders', oid, 'customer_id', 'null'); }
      else if (r.chance(0.003)) { cust = -1; custStr = customerId(crm.count + r.int(1, 90000)); ctx.logDirt('raw_orders', oid, 'customer_id', 'orphan'); }
      const home: Country = cust >= 0 ? pf.persons[crm.person[cust]].country : r.chance(0.4) ? 'KR' : 'US';
      const channel = r.weighted([[0, 50], [1, 35], [2, 15]] as const);
      const shipCountry: Country = channel !== 2 && r.chance(0.04) ? r.pick(['KR', 'US', 'GB', 'CA', 'AU', 'IE'] as const) : home;
      const cur: 'USD' | 'KRW' = shipCountry === 'KR' ? 'KRW' : 'USD';
      idx.ts[o] = t;
      idx.customer[o] = cust;
      idx.channel[o] = channel;
      const nLines = r.weighted([[1, 28], [2, 24], [3, 17], [4, 12], [5, 8], [6, 5], [7, 3], [8, 2], [9, 1]] as const);
      let subtotal = 0;
      let discount = 0;
      for (let l = 0; l < nLines; l++) {
        const pi = searchCumulative(pcum, r.next() * pcum[pcum.length - 1]);
        if (l < 3) idx.products[o * 3 + l] = pi;
        const p = products[pi];
        const unit = priceIn(p, cur);
        const qty: number = r.weighted([[1, 80], [2, 12], [3, 5], [4, 2], [6, 1]] as const);
        const disc = r.chance(0.2) ? Math.round((unit * qty * r.int(5, 30)) / 100 / (cur === 'KRW' ? 100 : 1)) * (cur === 'KRW' ? 100 : 1) : 0;
        subtotal += unit * qty;
        discount += disc;
        let qtyOut: number = qty;
        if (r.chance(0.003)) { qtyOut = 0; ctx.logDirt('raw_order_items', `${oid}|${l + 1}`, 'quantity', 'zero_quantity'); }
        else if (r.chance(0.002)) { qtyOut = -qty; ctx.logDirt('raw_order_items', `${oid}|${l + 1}`, 'quantity', 'negative_quantity'); }
        let sku: string | null = p.sku;
        if (r.chance(0.01)) { sku = null; ctx.logDirt('raw_order_items', `${oid}|${l + 1}`, 'sku', 'null'); }
        wi.row([oid, l + 1, p.id, sku, qtyOut, money(unit, cur), money(disc, cur), cur]);
      }
      if (r.chance(0.002)) {
        const orphan = orderId(target + r.int(1, 900000));
        wi.row([orphan, 1, products[0].id, products[0].sku, 1, money(priceIn(products[0], cur), cur), money(0, cur), cur]);
        ctx.logDirt('raw_order_items', `${orphan}|1`, 'order_id', 'orphan');
      }
      const freeShip = cur === 'KRW' ? 30000 : 5000;
      const shipping = channel === 2 || subtotal - discount >= freeShip ? 0 : cur === 'KRW' ? 3000 : 599;
      const total = subtotal - discount + shipping;
      const age = N_DAYS * DAY - t;
      let status: string;
      if (age < 3 * DAY && r.chance(0.5)) status = 'pending';
      else status = r.weighted([['completed', 84], ['cancelled', 7], ['refunded', 5], ['pending', 4]] as const);
      if (channel === 2 && status === 'pending') status = 'completed';
      const pay = cur === 'KRW'
        ? r.weighted([['card', 55], ['kakaopay', 18], ['naverpay', 15], ['bank_transfer', 8], ['apple_pay', 4]] as const)
        : r.weighted([['card', 65], ['paypal', 18], ['apple_pay', 12], ['gift_card', 5]] as const);
      const updated = status === 'pending' ? t : Math.min(N_DAYS * DAY - 1, t + r.int(600, 20 * DAY));
      const row = [oid, custStr, fmtTs(t), status, CHANNELS[channel], cur, money(subtotal, cur), money(discount, cur), money(shipping, cur), money(total, cur), shipCountry, pay, fmtTs(updated)];
      wo.row(row);
      if (r.chance(0.004)) {
        // duplicated ingestion: exact copy, or the same order re-exported with an earlier status
        if (r.chance(0.7)) { wo.row(row); ctx.logDirt('raw_orders', oid, '*', 'duplicate_row'); }
        else {
          wo.row([oid, custStr, fmtTs(t), 'pending', CHANNELS[channel], cur, row[6], row[7], row[8], row[9], shipCountry, pay, fmtTs(t)]);
          ctx.logDirt('raw_orders', oid, 'status', 'duplicate_order_id_stale_status');
        }
      }
      o++;
      if ((o & 1023) === 0) await Promise.all([wo.tick(), wi.tick(), ctx.dirt.tick()]);
    }
  }
  return idx;
}
