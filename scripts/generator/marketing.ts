/**
 * `raw_campaigns`, `raw_campaign_daily`, `raw_ab_tests`, `raw_ab_assignments` and the
 * `truth_ab_effects` ground truth.
 */
import { type Ctx, pad } from './context.js';
import { type CrmIndex, customerId } from './people.js';
import { DAY, N_DAYS, fmtDay, fmtTs } from './time.js';

/** Campaign metadata kept for the sessions generator (UTM references). */
export interface Campaign {
  id: string;
  channel: string;
  utm: string;
  /** Day indices (inclusive) of the true flight. */
  start: number;
  end: number;
}

/** Counts that "grow modestly" with scale: fixed at scale 1, + base per decade above, √ below. */
export function modestCount(base: number, scale: number, min: number): number {
  if (scale >= 1) return Math.round(base * (1 + Math.log10(scale)));
  return Math.max(min, Math.round(base * Math.sqrt(scale)));
}

interface ChannelModel {
  /** cost per mille (USD) */ cpm: number;
  ctr: number;
  cvr: number;
  aov: number;
  sources: readonly (readonly [string, string])[];
}
const CHANNEL_MODELS: Record<string, ChannelModel> = {
  search: { cpm: 25, ctr: 0.04, cvr: 0.05, aov: 70, sources: [['google', 'cpc'], ['naver', 'cpc'], ['bing', 'cpc']] },
  social: { cpm: 8, ctr: 0.012, cvr: 0.02, aov: 55, sources: [['facebook', 'paid_social'], ['instagram', 'paid_social'], ['tiktok', 'paid_social']] },
  display: { cpm: 3, ctr: 0.003, cvr: 0.01, aov: 60, sources: [['gdn', 'display'], ['criteo', 'display'], ['kakao', 'display']] },
  email: { cpm: 1, ctr: 0.025, cvr: 0.04, aov: 65, sources: [['newsletter', 'email'], ['crm', 'email']] },
  affiliate: { cpm: 5, ctr: 0.008, cvr: 0.06, aov: 80, sources: [['rakuten', 'affiliate'], ['awin', 'affiliate'], ['coupang_partners', 'affiliate']] },
  video: { cpm: 12, ctr: 0.004, cvr: 0.008, aov: 60, sources: [['youtube', 'video'], ['tving', 'video']] },
  // tv "clicks" are visits through the on-screen QR code / vanity URL
  tv: { cpm: 20, ctr: 0.0004, cvr: 0.03, aov: 70, sources: [['tv', 'offline']] },
};
const CHANNEL_MIX: readonly (readonly [string, number])[] = [
  ['search', 20], ['social', 20], ['display', 14], ['email', 16], ['affiliate', 10], ['video', 12], ['tv', 8],
];
const THEMES_EN = ['Spring Sale', 'Summer Splash', 'Back to School', 'Black Friday', 'Holiday Gifts', 'New Year Deals', 'Brand Awareness', 'Retargeting', 'Loyalty Rewards', 'Flash Sale', 'New Arrivals', 'Cyber Monday'];
const THEMES_KO = ['추석 선물 기획전', '설날 특가', '봄맞이 세일', '여름 빅세일', '블랙프라이데이', '신상품 런칭', '회원 감사제', '연말 결산 세일'];

/**
 * Write `raw_campaigns` (100 at scale 1) and `raw_campaign_daily` (one row per campaign per
 * flight day, funnel-consistent except ~0.5 % dirty rows logged in `truth_dirty_rows`).
 */
export async function genCampaigns(ctx: Ctx): Promise<Campaign[]> {
  const r = ctx.rng('campaigns');
  const n = modestCount(100, ctx.scale, 10);
  const wc = ctx.writer('raw_campaigns', ['campaign_id', 'campaign_name', 'channel', 'objective', 'market', 'currency', 'utm_campaign', 'start_date', 'end_date', 'budget']);
  const wd = ctx.writer('raw_campaign_daily', ['campaign_id', 'date', 'impressions', 'clicks', 'spend', 'conversions', 'revenue']);
  const out: Campaign[] = [];
  for (let i = 0; i < n; i++) {
    const id = pad('CMP', i + 1, 4);
    const channel = r.weighted(CHANNEL_MIX);
    const m = CHANNEL_MODELS[channel];
    const market = r.weighted([['KR', 40], ['US', 35], ['GB', 10], ['GLOBAL', 15]] as const);
    const cur = market === 'KR' ? 'KRW' : 'USD';
    const dur = channel === 'tv' ? r.int(14, 45) : r.int(7, 120);
    const start = r.int(0, N_DAYS - 8);
    const end = Math.min(N_DAYS - 1, start + dur - 1);
    const year = 2023 + Math.floor(start / 365.25);
    const theme = market === 'KR' && r.chance(0.6) ? r.pick(THEMES_KO) : r.pick(THEMES_EN);
    const name = `${theme} ${year} - ${channel[0].toUpperCase()}${channel.slice(1)} ${market}`;
    const utm = `${theme.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'kr_promo'}_${year}_${channel}_${market.toLowerCase()}_${i + 1}`;
    const objective = channel === 'tv' || channel === 'video' ? r.weighted([['awareness', 7], ['consideration', 3]] as const)
      : channel === 'email' ? r.weighted([['retention', 6], ['conversion', 4]] as const)
      : r.weighted([['awareness', 2], ['consideration', 3], ['conversion', 5]] as const);
    const dailyUsd = (channel === 'tv' ? 8000 : channel === 'email' ? 80 : 400) * r.logNormal(0, 0.7);
    const fx = cur === 'KRW' ? 1300 : 1;
    const budgetUsd = dailyUsd * (end - start + 1);
    let budget: string | null = cur === 'KRW' ? String(Math.round((budgetUsd * fx) / 10000) * 10000) : (Math.round(budgetUsd / 100) * 100).toFixed(2);
    let endStr: string | null = fmtDay(end);
    if (r.chance(0.02)) { budget = null; ctx.logDirt('raw_campaigns', id, 'budget', 'null'); }
    if (r.chance(0.02)) { endStr = fmtDay(Math.max(0, start - r.int(1, 20))); ctx.logDirt('raw_campaigns', id, 'end_date', 'end_before_start'); }
    else if (r.chance(0.03)) { endStr = null; ctx.logDirt('raw_campaigns', id, 'end_date', 'null_open_ended'); }
    wc.row([id, name, channel, objective, market, cur, utm, fmtDay(start), endStr, budget]);
    out.push({ id, channel, utm, start, end });

    const quality = r.logNormal(0, 0.25); // campaign-level creative quality
    for (let d = start; d <= end; d++) {
      const key = `${id}|${fmtDay(d)}`;
      const ramp = Math.min(1, (d - start + 1) / 3);
      const spendUsd = dailyUsd * ramp * r.logNormal(0, 0.2);
      const impressions = Math.round((spendUsd / m.cpm) * 1000);
      let clicks = Math.min(impressions, Math.round(impressions * m.ctr * quality * r.logNormal(0, 0.15)));
      let conversions = Math.min(clicks, Math.round(clicks * m.cvr * quality * r.logNormal(0, 0.25)));
      let revenue = conversions * m.aov * r.logNormal(0, 0.2);
      let spend: number | null = spendUsd;
      let imprOut: number | null = impressions;
      if (r.chance(0.005)) {
        const kind = r.int(0, 3);
        if (kind === 0) { clicks = impressions + r.int(1, 500); ctx.logDirt('raw_campaign_daily', key, 'clicks', 'clicks_gt_impressions'); }
        else if (kind === 1) { spend = -spendUsd; ctx.logDirt('raw_campaign_daily', key, 'spend', 'negative_spend'); }
        else if (kind === 2) { imprOut = null; ctx.logDirt('raw_campaign_daily', key, 'impressions', 'null'); }
        else { conversions = clicks + r.int(1, 50); ctx.logDirt('raw_campaign_daily', key, 'conversions', 'conversions_gt_clicks'); }
      }
      revenue = Math.max(0, revenue);
      const row = [id, fmtDay(d), imprOut, clicks, spend === null ? null : (spend * fx).toFixed(2), conversions, (revenue * fx).toFixed(2)];
      wd.row(row);
      if (r.chance(0.003)) { wd.row(row); ctx.logDirt('raw_campaign_daily', key, '*', 'duplicate_row'); }
    }
    await Promise.all([wc.tick(), wd.tick(), ctx.dirt.tick()]);
  }
  return out;
}

const AB_IDEAS: readonly (readonly [string, string, string])[] = [
  ['Checkout button color', 'A high-contrast checkout button increases checkout completion.', 'conversion_rate'],
  ['Free shipping banner', 'Showing the free-shipping threshold raises basket size and conversion.', 'revenue_per_user'],
  ['One-page checkout', 'Collapsing checkout into one page reduces abandonment.', 'conversion_rate'],
  ['Product image carousel', 'Larger product images increase add-to-cart rate.', 'add_to_cart_rate'],
  ['Personalised recommendations', 'Collaborative-filtering recommendations increase revenue per user.', 'revenue_per_user'],
  ['Korean-language reviews first', 'Showing reviews in the visitor language first builds trust and conversion.', 'conversion_rate'],
  ['Welcome coupon 10%', 'A 10% first-order coupon increases first-purchase conversion.', 'conversion_rate'],
  ['Search autocomplete', 'Autocomplete in search shortens time to product and increases add-to-cart.', 'add_to_cart_rate'],
  ['Email subject emoji', 'An emoji in the subject line increases click-through and purchases.', 'conversion_rate'],
  ['KakaoPay default', 'Pre-selecting KakaoPay for Korean users increases payment completion.', 'conversion_rate'],
  ['Price anchoring', 'Showing the original price struck through increases revenue per user.', 'revenue_per_user'],
  ['Sticky add-to-cart', 'A sticky add-to-cart bar on mobile increases add-to-cart rate.', 'add_to_cart_rate'],
];

/**
 * Write `raw_ab_tests` (50 at scale 1), `raw_ab_assignments` (≈ 150,000 × scale rows in total)
 * and `truth_ab_effects` (the true per-variant conversion rate and mean value).
 *
 * Effects: ~40 % of tests have no effect, ~30 % a small lift (+3..8 % relative), ~20 % a large
 * lift (+10..30 %), ~10 % a negative effect; sample sizes are log-uniform so some tests are
 * significant and some are not. Customers are assigned at most once per test (distinct via a
 * coprime-stride permutation of the CRM records existing at the end of the test).
 */
export async function genAbTests(ctx: Ctx, crm: CrmIndex): Promise<void> {
  const r = ctx.rng('ab_tests');
  const n = modestCount(50, ctx.scale, 6);
  const wt = ctx.writer('raw_ab_tests', ['test_id', 'test_name', 'hypothesis', 'start_date', 'end_date', 'primary_metric', 'variants']);
  const wa = ctx.writer('raw_ab_assignments', ['test_id', 'customer_id', 'variant', 'assigned_at', 'converted', 'conversion_value']);
  const we = ctx.writer('truth_ab_effects', ['test_id', 'variant', 'true_conversion_rate', 'true_mean_value', 'effect_kind']);
  const sizes: number[] = [];
  for (let i = 0; i < n; i++) sizes.push(Math.exp(r.float(Math.log(600), Math.log(10000))));
  const sizeSum = sizes.reduce((a, b) => a + b, 0);
  const totalTarget = 150000 * ctx.scale;
  for (let i = 0; i < n; i++) {
    const id = pad('AB', i + 1, 3);
    const [title, hyp, metric] = AB_IDEAS[i % AB_IDEAS.length];
    const name = i < AB_IDEAS.length ? title : `${title} v${Math.floor(i / AB_IDEAS.length) + 1}`;
    const dur = r.int(14, 42);
    const start = r.int(30, N_DAYS - dur - 1);
    const end = start + dur;
    const variants = r.chance(0.2) ? ['control', 'treatment_a', 'treatment_b'] : ['control', 'treatment'];
    const p0 = r.float(0.03, 0.25);
    const v0 = 60 * r.logNormal(0, 0.3);
    const kind = r.weighted([['none', 40], ['small', 30], ['large', 20], ['negative', 10]] as const);
    const rates: number[] = [];
    const values: number[] = [];
    for (let v = 0; v < variants.length; v++) {
      let lift = 0;
      if (v > 0) {
        if (kind === 'small') lift = r.float(0.03, 0.08);
        else if (kind === 'large') lift = v === 1 ? r.float(0.1, 0.3) : r.float(0, 0.15);
        else if (kind === 'negative') lift = -r.float(0.05, 0.15);
      }
      rates.push(Math.min(0.95, p0 * (1 + lift)));
      values.push(metric === 'revenue_per_user' ? v0 * (1 + lift / 2) : v0);
      we.row([id, variants[v], rates[v].toFixed(6), values[v].toFixed(2), v === 0 ? 'control' : kind]);
    }
    wt.row([id, name, hyp, fmtDay(start), fmtDay(end), metric, variants.length]);
    // eligible customers: created before the end of the test
    let elig = 0;
    const endSec = (end + 1) * DAY;
    while (elig < crm.count && crm.created[elig] < endSec) elig++;
    const size = elig === 0 ? 0 : Math.min(elig, Math.round((sizes[i] / sizeSum) * totalTarget));
    let step = r.int(1, Math.max(1, elig - 1)) | 1;
    while (gcd(step, elig) !== 1) step += 2;
    const off = r.int(0, Math.max(0, elig - 1));
    for (let k = 0; k < size; k++) {
      const c = (off + k * step) % elig;
      const v = r.int(0, variants.length - 1);
      const from = Math.max(start * DAY, crm.created[c]);
      const at = from + Math.floor(r.next() * (endSec - from));
      const conv = r.chance(rates[v]);
      const value = conv ? values[v] * r.logNormal(-0.08, 0.4) : 0;
      const row = [id, customerId(c), variants[v], fmtTs(at), conv ? 1 : 0, value.toFixed(2)];
      wa.row(row);
      if (r.chance(0.003)) { wa.row(row); ctx.logDirt('raw_ab_assignments', `${id}|${customerId(c)}`, '*', 'duplicate_row'); }
      else if (r.chance(0.001)) {
        const other = variants[(v + 1) % variants.length];
        wa.row([id, customerId(c), other, fmtTs(Math.min(endSec - 1, at + r.int(60, 3 * DAY))), 0, '0.00']);
        ctx.logDirt('raw_ab_assignments', `${id}|${customerId(c)}`, 'variant', 'assigned_to_multiple_variants');
      }
      if ((k & 1023) === 0) await Promise.all([wa.tick(), ctx.dirt.tick()]);
    }
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
