/**
 * `raw_sessions`, `raw_page_views` and `raw_events` (web analytics clickstream).
 */
import { type Ctx, pad } from './context.js';
import { type Product, type OrderIndex, orderId } from './commerce.js';
import type { Campaign } from './marketing.js';
import { type CrmIndex, type PersonFactory, customerId } from './people.js';
import { searchCumulative } from './prng.js';
import { DAY, END_SEC, N_DAYS, cumulative, dayWeights, fmtTs, secondOfDay } from './time.js';

const CATEGORY_SLUGS = ['electronics', 'home-kitchen', 'beauty', 'fashion', 'sports-outdoors', 'books', 'toys-games', 'grocery', 'stationery', 'pet-supplies', 'k-beauty'];
const CONTENT_PAGES = ['/', '/sale', '/new-arrivals', '/blog/gift-guide', '/blog/skincare-routine', '/about', '/help/shipping', '/help/returns', '/account', '/ko', '/ko/sale', '/search'];
const MODELS = {
  search: [['google', 'cpc'], ['naver', 'cpc'], ['bing', 'cpc']],
  social: [['facebook', 'paid_social'], ['instagram', 'paid_social'], ['tiktok', 'paid_social']],
  display: [['gdn', 'display'], ['criteo', 'display'], ['kakao', 'display']],
  email: [['newsletter', 'email'], ['crm', 'email']],
  affiliate: [['rakuten', 'affiliate'], ['awin', 'affiliate'], ['coupang_partners', 'affiliate']],
  video: [['youtube', 'video'], ['tving', 'video']],
  tv: [['tv', 'offline']],
} as Record<string, readonly (readonly [string, string])[]>;

/**
 * Write `raw_sessions` (≈ 20,000 × scale), `raw_page_views` and `raw_events`.
 *
 * ~8 % of sessions are the web/app sessions of real orders (the funnel ends with a `purchase`
 * event carrying the order id, and the session starts 3–40 minutes before `order_ts`); the rest
 * browse with decaying probability through view_product → add_to_cart → begin_checkout. ~45 %
 * of non-purchase sessions are anonymous. ~35 % carry UTM parameters, most of which reference a
 * campaign active that day.
 */
export async function genWeb(ctx: Ctx, pf: PersonFactory, crm: CrmIndex, orders: OrderIndex, products: Product[], campaigns: Campaign[]): Promise<void> {
  const r = ctx.rng('web');
  const n = ctx.n(20000, 10);
  const cum = cumulative(dayWeights());
  const total = cum[N_DAYS - 1];
  const ws = ctx.writer('raw_sessions', ['session_id', 'customer_id', 'anonymous_id', 'started_at', 'device', 'browser', 'utm_source', 'utm_medium', 'utm_campaign', 'landing_page', 'referrer']);
  const wp = ctx.writer('raw_page_views', ['page_view_id', 'session_id', 'viewed_at', 'page_path', 'sequence']);
  const we = ctx.writer('raw_events', ['event_id', 'session_id', 'event_ts', 'event_type', 'product_id', 'order_id']);
  // sessions are generated per day in time order so ids increase with time
  const purchaseOrders: number[] = [];
  const nPurchase = Math.round(n * 0.08);
  for (let k = 0; k < nPurchase * 4 && purchaseOrders.length < nPurchase; k++) {
    const o = r.int(0, orders.count - 1);
    if (orders.channel[o] !== 2 && orders.customer[o] >= 0 && orders.ts[o] >= 3600) purchaseOrders.push(o);
  }
  purchaseOrders.sort((a, b) => a - b);
  const other = n - purchaseOrders.length;
  const starts: number[] = [];
  for (let k = 0; k < other; k++) starts.push(searchCumulative(cum, r.next() * total) * DAY + secondOfDay(r));
  // merge: encode (start, kind, ref)
  const all: [number, number][] = [];
  for (const o of purchaseOrders) all.push([orders.ts[o] - r.int(180, 2400), o]);
  for (const s of starts) all.push([s, -1]);
  all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

  let pvId = 0;
  let evId = 0;
  for (let si = 0; si < all.length; si++) {
    const [start, orderIdx] = all[si];
    const sid = pad('S', si + 1, 9);
    const day = Math.floor(start / DAY);
    let cust = -1;
    if (orderIdx >= 0) cust = orders.customer[orderIdx];
    else if (r.chance(0.55)) {
      let lo = 0;
      let hi = crm.count;
      while (lo < hi) {
        const m = (lo + hi) >>> 1;
        if (crm.created[m] <= start) lo = m + 1;
        else hi = m;
      }
      if (lo > 0) cust = searchCumulative(crm.cumWeight, r.next() * crm.cumWeight[lo - 1], lo);
    }
    const ko = cust >= 0 ? pf.persons[crm.person[cust]].country === 'KR' : r.chance(0.4);
    const device = orderIdx >= 0 && orders.channel[orderIdx] === 1 ? 'mobile' : r.weighted([['mobile', 55], ['desktop', 38], ['tablet', 7]] as const);
    const browser = device === 'desktop'
      ? r.weighted([['Chrome', 62], ['Safari', 14], ['Edge', 14], ['Firefox', 6], ['Whale', ko ? 10 : 0]] as const)
      : r.weighted([['Chrome', 40], ['Safari', 42], ['Samsung Internet', ko ? 18 : 6], ['Whale', ko ? 5 : 0]] as const);
    let utmSource: string | null = null;
    let utmMedium: string | null = null;
    let utmCampaign: string | null = null;
    let referrer: string | null = null;
    if (r.chance(0.35)) {
      let camp: Campaign | null = null;
      for (let t = 0; t < 12 && !camp; t++) {
        const c = r.pick(campaigns);
        if (c.start <= day && day <= c.end && c.channel !== 'tv') camp = c;
      }
      if (camp && r.chance(0.8)) {
        const [src, med] = r.pick(MODELS[camp.channel]);
        utmSource = src;
        utmMedium = med;
        utmCampaign = camp.utm;
        if (r.chance(0.03)) { utmCampaign = camp.utm.toUpperCase(); ctx.logDirt('raw_sessions', sid, 'utm_campaign', 'case_mismatch'); }
        else if (r.chance(0.02)) { utmCampaign = camp.utm + ' '; ctx.logDirt('raw_sessions', sid, 'utm_campaign', 'untrimmed_whitespace'); }
      } else {
        [utmSource, utmMedium] = r.pick([['newsletter', 'email'], ['google', 'organic'], ['instagram', 'social'], ['partner_blog', 'referral']] as const);
        utmCampaign = r.chance(0.5) ? r.pick(['weekly_digest', 'always_on', 'brand', 'influencer_q' + ((day % 4) + 1)]) : null;
      }
    } else {
      referrer = r.weighted([[null, 40], ['https://www.google.com/', 25], ['https://search.naver.com/', ko ? 18 : 1], ['https://www.instagram.com/', 6], ['https://m.facebook.com/', 4], ['https://t.co/', 2]] as const);
    }
    const anon = r.chars(16, '0123456789abcdef');
    // pages
    const pages: [string, string | null, string | null][] = []; // path, event, product_id
    const prodPage = (pi: number): void => {
      pages.push([`/products/${products[pi].sku.toLowerCase()}`, 'view_product', products[pi].id]);
    };
    let landing: string;
    if (orderIdx >= 0) {
      const prods: number[] = [];
      for (let l = 0; l < 3; l++) if (orders.products[orderIdx * 3 + l] >= 0) prods.push(orders.products[orderIdx * 3 + l]);
      landing = r.chance(0.5) ? '/' : `/products/${products[prods[0]].sku.toLowerCase()}`;
      if (landing === '/') pages.push(['/', null, null]);
      for (const pi of prods) {
        if (pages.length === 0 || pages[pages.length - 1][0] !== `/products/${products[pi].sku.toLowerCase()}`) prodPage(pi);
        pages.push(['#add_to_cart', 'add_to_cart', products[pi].id]);
      }
      pages.push(['/cart', null, null]);
      pages.push(['/checkout', 'begin_checkout', null]);
      pages.push(['/checkout/complete', 'purchase', null]);
    } else {
      const lp = r.weighted([['home', 35], ['product', 30], ['category', 20], ['content', 15]] as const);
      if (lp === 'home') pages.push(['/', null, null]);
      else if (lp === 'product') prodPage(r.int(0, products.length - 1));
      else if (lp === 'category') pages.push([`/category/${r.pick(CATEGORY_SLUGS)}`, null, null]);
      else pages.push([r.pick(CONTENT_PAGES), null, null]);
      landing = pages[0][0];
      let stage = 0;
      while (pages.length < 25 && r.chance(0.62)) {
        if (stage === 0) {
          if (r.chance(0.55)) prodPage(r.int(0, products.length - 1));
          else pages.push([r.chance(0.6) ? `/category/${r.pick(CATEGORY_SLUGS)}` : r.pick(CONTENT_PAGES), null, null]);
          const last = pages[pages.length - 1];
          if (last[1] === 'view_product' && r.chance(0.22)) { pages.push(['#add_to_cart', 'add_to_cart', last[2]]); stage = 1; }
        } else if (stage === 1) {
          if (r.chance(0.45)) { pages.push(['/cart', null, null]); pages.push(['/checkout', 'begin_checkout', null]); stage = 2; }
          else prodPage(r.int(0, products.length - 1));
        } else {
          pages.push([r.pick(['/checkout', '/cart', '/help/shipping']), null, null]);
          break; // abandoned checkout
        }
      }
    }
    ws.row([sid, cust >= 0 ? customerId(cust) : null, anon, fmtTs(start), device, browser, utmSource, utmMedium, utmCampaign, landing, referrer]);
    let t = start;
    let seq = 0;
    for (const [path, ev, pid] of pages) {
      const isAction = path.startsWith('#');
      t += isAction ? r.int(3, 60) : seq === 0 ? 0 : r.int(5, 180);
      if (t >= END_SEC) t = END_SEC - 1;
      if (!isAction) {
        seq++;
        pvId++;
        wp.row([pad('PV', pvId, 9), sid, fmtTs(t), path, seq]);
        evId++;
        we.row([pad('E', evId, 9), sid, fmtTs(t), 'page_view', null, null]);
      }
      if (ev) {
        evId++;
        const eid = pad('E', evId, 9);
        let ets = t;
        if (r.chance(0.002)) { ets = Math.max(0, t - r.int(3600, 9 * 3600)); ctx.logDirt('raw_events', eid, 'event_ts', 'clock_skew_before_session'); }
        const row = [eid, sid, fmtTs(ets), ev, ev === 'purchase' ? null : pid, ev === 'purchase' ? orderId(orderIdx) : null];
        we.row(row);
        if (r.chance(0.005)) { we.row(row); ctx.logDirt('raw_events', eid, '*', 'duplicate_row'); }
      }
    }
    if ((si & 511) === 0) await Promise.all([ws.tick(), wp.tick(), we.tick(), ctx.dirt.tick()]);
  }
}
