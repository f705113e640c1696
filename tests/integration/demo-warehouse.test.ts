/**
 * Builds the repository's own demo warehouse (seeds, staging, marts, tests) on a temporary DuckDB file and
 * checks its outputs against independent computations from the raw seeds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeirProject } from '../../src/api/project.js';
import { normalTwoSidedP } from '../../src/compiler/sqlmath.js';
import type { RunSummary } from '../../src/api/project.js';

const root = path.resolve(__dirname, '../..');
let tmp: string;
let project: WeirProject;
let summary: RunSummary;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const rows = async (sql: string): Promise<Record<string, any>[]> => {
  const r = await project.query(sql);
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, typeof row[i] === 'bigint' ? Number(row[i]) : row[i]])));
};

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'weir-demo-'));
  project = await WeirProject.load({
    projectDir: root,
    env: { ...process.env, WEIR_DUCKDB_PATH: path.join(tmp, 'demo.duckdb'), WEIR_TARGET_PATH: path.join(tmp, 'target') },
  });
  summary = await project.build({ threads: 2 });
}, 180_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('demo warehouse', () => {
  it('builds every seed, model and test without an error or failure (translation skipped without a model)', () => {
    // emails_translated and its tests are skipped without a translation model; everything else succeeds.
    const translation = (id: string) => id === 'model.weir_demo.emails_translated' || /^test\.weir_demo\.\w+_emails_translated_/.test(id);
    const bad = summary.results.filter((r) => r.status !== 'success' && r.status !== 'pass' && !translation(r.unique_id));
    expect(summary.results.filter((r) => translation(r.unique_id)).every((r) => r.status === 'skipped')).toBe(true);
    expect(bad.map((r) => `${r.unique_id}: ${r.status} ${r.message ?? ''}`)).toEqual([]);
    const translated = summary.results.find((r) => r.unique_id === 'model.weir_demo.emails_translated');
    expect(translated?.status).toBe('skipped');
    expect(translated?.message).toMatch(/no translation model configured.*WEIR_TRANSLATION_MODEL_DIR/s);
    expect(summary.exitCode).toBe(0);
    expect(summary.counts.success).toBeGreaterThan(25);
    expect(summary.counts.pass).toBeGreaterThan(40);
  });

  it('runs the marts\' unit tests before building their models, and they pass', () => {
    const ids = summary.results.map((r) => r.unique_id);
    const units = summary.results.filter((r) => r.unique_id.startsWith('unit_test.'));
    expect(units.map((r) => `${r.unique_id}:${r.status}`).sort()).toEqual([
      'unit_test.weir_demo.ab_test_results.ab_no_winner_at_strict_alpha:pass',
      'unit_test.weir_demo.ab_test_results.ab_winner_at_default_alpha:pass',
      'unit_test.weir_demo.customer_rfm.rfm_segments_by_quintile:pass',
    ]);
    expect(ids.indexOf('unit_test.weir_demo.customer_rfm.rfm_segments_by_quintile')).toBeLessThan(ids.indexOf('model.weir_demo.customer_rfm'));
    expect(ids.indexOf('unit_test.weir_demo.ab_test_results.ab_winner_at_default_alpha')).toBeLessThan(ids.indexOf('model.weir_demo.ab_test_results'));
  });

  it('checks its data-quality SLAs in percent and exports customer_rfm as Parquet', async () => {
    const sla = (prefix: string) => summary.results.find((r) => r.unique_id.startsWith(prefix));
    const email = sla('test.weir_demo.not_null_raw_crm_customers_email');
    expect(email?.status).toBe('pass');
    expect(email?.message).toMatch(/^190 failing rows = 1\.9% of 10000 rows \(warn_if >2\.5%, error_if >5%\)/);
    const dupes = sla('test.weir_demo.unique_raw_orders_order_id');
    expect(dupes?.status).toBe('pass');
    expect(dupes?.message).toMatch(/failing rows? = 0\.\d+% of \d+ rows \(warn_if >=0\.5%, error_if >=1%\)/);
    const file = path.join(tmp, 'target', 'external', 'customer_rfm_export.parquet');
    const [r] = await rows(`select (select count(*) from read_parquet('${file}')) as exported, (select count(*) from main_marts.customer_rfm) as built,
      (select count(*) from main_marts.customer_rfm_export) as via_view`);
    expect(r.exported).toBeGreaterThan(1000);
    expect(r).toEqual({ exported: r.built, built: r.built, via_view: r.built });
  });

  it('loads the seeds at their documented sizes', async () => {
    const [r] = await rows(`select
      (select count(*) from main_raw.raw_crm_customers) as customers,
      (select count(*) from main_raw.raw_orders) as orders,
      (select count(*) from main_raw.raw_order_items) as items,
      (select count(*) from main_raw.raw_campaigns) as campaigns,
      (select count(distinct test_id) from main_raw.raw_ab_assignments) as tests,
      (select count(*) from main_raw.raw_sessions) as sessions,
      (select count(*) from main_raw.raw_customer_emails) as emails`);
    expect(r.customers).toBe(10_000);
    expect(r.orders).toBeGreaterThan(45_000);
    expect(r.items).toBeGreaterThan(120_000);
    expect(r.campaigns).toBe(100);
    expect(r.tests).toBe(50);
    expect(r.sessions).toBe(20_000);
    expect(r.emails).toBe(5_000);
  });

  it('deduplicates orders and flags orphans in staging', async () => {
    const [r] = await rows(`select count(*) as n, count(distinct order_id) as ids, sum(case when is_orphan_customer then 1 else 0 end) as orphans from main_staging.stg_orders`);
    expect(r.n).toBe(r.ids);
    expect(r.orphans).toBeGreaterThan(0);
  });

  it('computes RFM from completed orders, one row per customer, all 11 segments present', async () => {
    const [r] = await rows(`select count(*) as n, count(distinct customer_id) as ids, count(distinct rfm_segment) as segments,
      min(r_score) as rmin, max(r_score) as rmax from main_marts.customer_rfm`);
    expect(r.n).toBe(r.ids);
    expect(r.segments).toBe(11);
    expect([r.rmin, r.rmax]).toEqual([1, 5]);
    // Frequency and monetary agree with a direct aggregation of the deduplicated raw orders.
    const diff = await rows(`
      with raw as (
        select trim(order_id) as order_id, any_value(trim(customer_id)) as customer_id,
               arg_max(lower(trim(status)), updated_at) as status,
               arg_max(case when upper(trim(currency)) = 'KRW' then total_amount / 1300 else total_amount end, updated_at) as usd
        from main_raw.raw_orders where order_id is not null group by 1
      ), agg as (
        select customer_id, count(*) as f, sum(usd) as m from raw
        where status = 'completed' and usd > 0 and customer_id in (select customer_id from main_staging.stg_crm_customers)
        group by 1
      )
      select count(*) as mismatches from agg join main_marts.customer_rfm r using (customer_id)
      where r.frequency <> agg.f or abs(r.monetary_usd - agg.m) > 0.01`);
    expect(diff[0].mismatches).toBe(0);
  });

  it('reports A/B z-tests whose p-values match an independent computation', async () => {
    const results = await rows(`select test_id, variant, control_users, control_conversions, variant_users, variant_conversions, z_score, p_value, is_significant from main_marts.ab_test_results`);
    expect(results.length).toBeGreaterThanOrEqual(50);
    for (const r of results) {
      const n1 = r.control_users as number, x1 = r.control_conversions as number;
      const n2 = r.variant_users as number, x2 = r.variant_conversions as number;
      const p = (x1 + x2) / (n1 + n2);
      const z = (x2 / n2 - x1 / n1) / Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
      expect(r.z_score as number).toBeCloseTo(z, 9);
      expect(Math.abs((r.p_value as number) - normalTwoSidedP(z))).toBeLessThan(1e-12);
      expect(r.is_significant).toBe((r.p_value as number) < 0.05);
    }
    // The generator plants real effects in some tests: some are significant, most are not.
    const significant = results.filter((r) => r.is_significant).length;
    expect(significant).toBeGreaterThan(2);
    expect(significant).toBeLessThan(results.length);
  });

  it('computes campaign ratios from the delivery numbers', async () => {
    const [r] = await rows(`select count(*) as bad from main_marts.campaign_performance
      where (impressions > 0 and abs(ctr - clicks / impressions) > 1e-12)
         or (spend_usd > 0 and abs(roi - (revenue_usd - spend_usd) / spend_usd) > 1e-9)`);
    expect(r.bad).toBe(0);
    const [c] = await rows(`select count(distinct channel) as channels from main_marts.channel_performance`);
    expect(c.channels).toBeGreaterThanOrEqual(5);
  });

  it('builds one journey per session with ordered page paths and funnel stages', async () => {
    const [r] = await rows(`select count(*) as n, sum(case when converted then 1 else 0 end) as converted,
      sum(case when converted and time_to_convert_seconds < 0 then 1 else 0 end) as negative,
      count(distinct funnel_stage) as stages from main_marts.customer_journey`);
    expect(r.n).toBe(20_000);
    expect(r.converted).toBeGreaterThan(0);
    expect(r.negative).toBe(0);
    expect(r.stages).toBe(5);
  });

  it('writes manifest.json and run_results.json', async () => {
    const { readFileSync } = await import('node:fs');
    const manifest = JSON.parse(readFileSync(path.join(tmp, 'target', 'manifest.json'), 'utf8'));
    expect(manifest.metadata.dbt_schema_version).toMatch(/manifest\/v12/);
    expect(manifest.nodes['model.weir_demo.customer_rfm'].depends_on.nodes).toContain('model.weir_demo.int_customer_orders');
    const results = JSON.parse(readFileSync(path.join(tmp, 'target', 'run_results.json'), 'utf8'));
    expect(results.results.length).toBe(summary.results.length);
    expect(results.results.filter((r: { status: string }) => r.status === 'error' || r.status === 'fail')).toEqual([]);
  });

  it('links email senders to CRM customers with high precision (scored against the generator\'s truth)', async () => {
    const [r] = await rows(`
      with t as (select record_id, person_id, source_system from main_raw.truth_person_identity),
      m as (select m.customer_id, ts.person_id as sender, tc.person_id as customer
            from main_identity.customer_email_matching m
            join t ts on ts.record_id = m.email_id and ts.source_system = 'email_sender'
            left join t tc on tc.record_id = m.customer_id and tc.source_system = 'crm')
      select sum(case when customer_id is not null then 1 else 0 end) as predicted,
             sum(case when customer_id is not null and sender = customer then 1 else 0 end) as correct,
             sum(case when sender in (select person_id from t where source_system = 'crm') then 1 else 0 end) as matchable
      from m`);
    const precision = r.correct / r.predicted;
    const recall = r.correct / r.matchable;
    console.log(`customer_email_matching: precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)} (${r.correct}/${r.matchable})`);
    // The goal, 0.95 for both. Measured 0.967 / 0.956 (2,726 of 2,850); on seeds generated with two other
    // seeds 0.964 / 0.956 and 0.971 / 0.959 (BENCHMARKS.md (f)). The misses are senders writing from an address
    // none of the person's records has, citing no order of theirs, with a name that namesakes share.
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('gives people with several accounts one business id (pairwise precision/recall against the truth)', async () => {
    const [r] = await rows(`
      with t as (select source_system || ':' || record_id as rid, person_id from main_raw.truth_person_identity where source_system in ('crm', 'email')),
      b as (select b.record_id, b.business_id, t.person_id from main_identity.business_id_mapping b join t on t.rid = b.record_id),
      pred as (select x.record_id l, y.record_id r from b x join b y on x.business_id = y.business_id and x.record_id < y.record_id),
      truth as (select x.record_id l, y.record_id r from b x join b y on x.person_id = y.person_id and x.record_id < y.record_id)
      select (select count(*) from pred) as predicted, (select count(*) from truth) as actual, (select count(*) from pred join truth using (l, r)) as tp,
             (select count(*) from b) as records`);
    expect(r.records).toBe(18_000);
    const precision = r.tp / r.predicted, recall = r.tp / r.actual;
    console.log(`business_id_mapping: pairs predicted ${r.predicted}, true ${r.actual}, precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)}`);
    // The goal, 0.95 for both. Measured 0.971 / 0.959 (7,895 of 8,229 true pairs); on seeds generated with
    // two other seeds 0.970 / 0.962 both times (BENCHMARKS.md (f)). Most misses agree on nothing but a common
    // Korean name.
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('leaves no PII in the anonymized exports: detect_pii finds nothing above 0.5 in any text column', async () => {
    for (const table of ['main_privacy.emails_anonymized', 'main_privacy.customers_anonymized']) {
      const cols = (await rows(`select column_name from information_schema.columns where table_schema = '${table.split('.')[0]}' and table_name = '${table.split('.')[1]}' and data_type = 'VARCHAR'`)).map((c) => c.column_name as string);
      expect(cols.length).toBeGreaterThan(2);
      for (const col of cols) {
        const [hit] = await rows(`
          select count(*) as hits from ${table} as t,
            unnest(from_json(detect_pii(t."${col}"), '[{"entity_type":"VARCHAR","score":"DOUBLE"}]')) as u(x)
          where x.score > 0.5`);
        expect(hit.hits, `${table}.${col}`).toBe(0);
      }
    }
    // The raw emails do contain PII (so the scan can find it).
    const [raw] = await rows(`select count(*) as hits from main_staging.stg_customer_emails as t,
      unnest(from_json(detect_pii(t.body), '[{"entity_type":"VARCHAR","score":"DOUBLE"}]')) as u(x) where x.score > 0.5`);
    expect(raw.hits).toBeGreaterThan(5_000);
  });

  it('keeps pseudonyms consistent across tables so anonymized exports still join', async () => {
    const [r] = await rows(`select count(*) as joined from main_privacy.emails_anonymized e
      join main_privacy.customers_anonymized c on c.customer_pseudonym = e.customer_pseudonym`);
    expect(r.joined).toBeGreaterThan(2_000);
    const [s] = await rows(`select count(*) as n from main_privacy.emails_anonymized where body_redacted like '%<EMAIL_ADDRESS:%' or body_redacted like '%<PHONE_NUMBER:%'`);
    expect(s.n).toBeGreaterThan(500);
  });
});
