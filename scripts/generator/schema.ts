/**
 * Column lists, DuckDB types and documentation of every generated seed; rendered to
 * `seeds/seeds.yml` (dbt-style schema YAML) by {@link renderSeedsYml}.
 */

/**
 * One documented column: name, DuckDB type for `column_types`, description, and optionally its data tests
 * as YAML lines of the `tests:` list (comments allowed).
 */
export type ColumnSpec = readonly [name: string, type: string, description: string, tests?: readonly string[]];

/** Documentation of one seed table. */
export interface TableSpec {
  name: string;
  description: string;
  columns: readonly ColumnSpec[];
}

const V = 'VARCHAR';
const TS = 'TIMESTAMP';
const DEC = 'DECIMAL(18,2)';

/** All seeds, in the order they are documented. */
export const TABLES: readonly TableSpec[] = [
  {
    name: 'raw_crm_customers',
    description: 'CRM customer master (~10k at scale 1; ~40% Korean, 60% US/UK/CA/AU/IE). ~9% of real persons have 2-3 records (name variants: nickname, typo, case, missing middle name, Korean name with/without space or romanized; email variants or another address). Dirt on purpose: untrimmed whitespace, MiXeD case, NULL email/phone/birth_date/gender/city, invalid emails (missing @, double dots, space, no TLD), mixed phone formats, future/invalid/placeholder birth dates, gender and country coded inconsistently (F/female/여, KR/Korea/대한민국), opt-in as true/Y/yes/1, a few created_at in ISO T…Z form. Every planted instance is listed in truth_dirty_rows.',
    columns: [
      ['customer_id', V, 'CRM id C + 7 digits, assigned in created_at order.'],
      ['first_name', V, 'Given name (Hangul or romanized for Korean persons); sometimes the full name.'],
      ['middle_name', V, 'Middle name or initial; mostly NULL.'],
      ['last_name', V, 'Family name; NULL when the full name was typed into first_name.'],
      ['email', V, 'Email as entered; may be invalid, untrimmed or NULL.', [
        '# Data-quality SLA (seed 004): at least 95% of customers have an email.',
        '- not_null: {warn_if: ">2.5%", error_if: ">5%"}',
      ]],
      ['phone', V, 'Phone as entered in any of several national/E.164 formats.'],
      ['gender', V, 'F/M mostly; inconsistent codes and NULLs.'],
      ['birth_date', V, 'YYYY-MM-DD; a few future, impossible (02-30, 13-01, 0000-00-00) or placeholder (1900-01-01) values.'],
      ['country', V, 'ISO 3166-1 alpha-2 mostly; some free-text variants.'],
      ['city', V, 'City (Hangul or romanized for Korea).'],
      ['address_line', V, 'Street address.'],
      ['postal_code', V, 'Postal code as text (leading zeros, old 3-3 Korean format).'],
      ['locale', V, 'Locale tag, e.g. ko-KR, en-US.'],
      ['marketing_opt_in', V, 'true/false mostly; Y/N/yes/no/1/0 and NULL occur.'],
      ['acquisition_channel', V, 'organic_search, paid_search, social, direct, referral, email, affiliate, store; NULL rarely.'],
      ['signup_date', 'DATE', 'Date of signup from the web form (can precede created_at by a few days).'],
      ['created_at', V, 'Record creation YYYY-MM-DD HH:MM:SS; ~1% in ISO YYYY-MM-DDTHH:MM:SSZ form. First two weeks of 2023 are a legacy import.'],
      ['updated_at', TS, 'Last update.'],
    ],
  },
  {
    name: 'raw_email_contacts',
    description: 'Contacts of the email-marketing system (~8k): ~78% are CRM persons (same, variant or different email; name written differently, e.g. "Kim Minsu", "김 민수", "Smith, John"), ~20% only exist here, ~2% duplicate contacts of the same person. Dirt: NULL/untrimmed names, upper-cased emails.',
    columns: [
      ['contact_id', V, 'Email-system id EC + 7 digits (separate id space from the CRM).'],
      ['email_address', V, 'Subscribed address.'],
      ['full_name', V, 'Free-text name as typed by the subscriber; may be NULL.'],
      ['phone', V, 'Optional phone, various formats.'],
      ['language', V, 'ko or en.'],
      ['subscription_status', V, 'subscribed, unsubscribed, bounced, cleaned, pending.'],
      ['source', V, 'Signup source: website_form, checkout, popup, import, event, referral.'],
      ['created_at', TS, 'Contact creation time.'],
      ['updated_at', TS, 'Last status change.'],
    ],
  },
  {
    name: 'raw_products',
    description: 'Product catalogue (~500). Prices in USD, some Korean-market items in KRW. Dirt: a few NULL categories, zero prices, and SKUs duplicated with different case/trailing space.',
    columns: [
      ['product_id', V, 'PR + 5 digits.'],
      ['sku', V, 'Stock keeping unit, e.g. EL-ABCD-00001.'],
      ['product_name', V, 'Display name (English or Korean).'],
      ['category', V, 'Top-level category.'],
      ['unit_price', DEC, 'List price in `currency` (KRW has no decimals).'],
      ['currency', V, 'USD or KRW.'],
      ['is_active', 'BOOLEAN', 'Whether the product is sold.'],
      ['created_at', TS, 'Catalogue entry time.'],
    ],
  },
  {
    name: 'raw_orders',
    description: 'Orders (~50k) with growth, weekly and Nov/Dec seasonality. Status completed ~84%, cancelled ~7%, refunded ~5%, pending ~4% (more pending in the last days). Amounts in KRW for shipments to KR, otherwise USD (fixed 1 USD = 1,300 KRW); total = subtotal - discount + shipping. Dirt: NULL customer_id (guest checkout), orphan customer_ids not in the CRM, duplicated rows (exact copies, or the same order_id re-exported with a stale pending status).',
    columns: [
      ['order_id', V, 'O + 8 digits, increasing with order_ts.', [
        '# Data-quality SLA (seed 004): under 1% of raw order rows are duplicates (staging removes them).',
        '- unique: {warn_if: ">=0.5%", error_if: ">=1%"}',
      ]],
      ['customer_id', V, 'CRM customer_id; NULL or orphan for a few.'],
      ['order_ts', TS, 'Order time.'],
      ['status', V, 'completed, cancelled, refunded, pending.'],
      ['channel', V, 'web, app, store.'],
      ['currency', V, 'KRW or USD.'],
      ['subtotal_amount', DEC, 'Sum of quantity × unit_price of the lines (before line dirt).'],
      ['discount_amount', DEC, 'Sum of line discounts.'],
      ['shipping_amount', DEC, 'Shipping fee (free above 30,000 KRW / 50 USD and in store).'],
      ['total_amount', DEC, 'subtotal - discount + shipping.'],
      ['shipping_country', V, 'ISO alpha-2 destination.'],
      ['payment_method', V, 'card, paypal, apple_pay, gift_card, kakaopay, naverpay, bank_transfer.'],
      ['updated_at', TS, 'Last status change.'],
    ],
  },
  {
    name: 'raw_order_items',
    description: 'Order lines (~3 per order). Prices in the order currency. Dirt: zero and negative quantities, NULL sku, a few orphan lines whose order_id is not in raw_orders.',
    columns: [
      ['order_id', V, 'Order id.'],
      ['line_number', 'INTEGER', '1-based line number within the order.'],
      ['product_id', V, 'Product id.'],
      ['sku', V, 'SKU at order time; NULL for a few.'],
      ['quantity', 'INTEGER', 'Units; a few 0 or negative.'],
      ['unit_price', DEC, 'Unit price in the order currency.'],
      ['discount_amount', DEC, 'Line discount in the order currency.'],
      ['currency', V, 'KRW or USD.'],
    ],
  },
  {
    name: 'raw_campaigns',
    description: 'Marketing campaigns (100 at scale 1) on email, search, social, display, affiliate, video and tv, for KR/US/GB/GLOBAL markets. Dirt: a few NULL budgets, end_date before start_date, or NULL end_date (open-ended).',
    columns: [
      ['campaign_id', V, 'CMP + 4 digits.'],
      ['campaign_name', V, 'Human-readable name (English or Korean theme).'],
      ['channel', V, 'email, search, social, display, affiliate, video, tv.'],
      ['objective', V, 'awareness, consideration, conversion, retention.'],
      ['market', V, 'KR, US, GB or GLOBAL.'],
      ['currency', V, 'Currency of budget and daily spend/revenue (KRW for KR).'],
      ['utm_campaign', V, 'Value used in utm_campaign of landing URLs.'],
      ['start_date', 'DATE', 'First flight day.'],
      ['end_date', 'DATE', 'Last flight day (dirty for a few).'],
      ['budget', DEC, 'Planned budget in currency.'],
    ],
  },
  {
    name: 'raw_campaign_daily',
    description: 'Daily delivery per campaign and flight day. Funnels are consistent (clicks <= impressions, conversions <= clicks; tv clicks are QR/vanity-URL visits) with channel-specific CPM/CTR/CVR. Dirt (~0.5%): clicks > impressions, conversions > clicks, negative spend, NULL impressions, duplicated day rows.',
    columns: [
      ['campaign_id', V, 'Campaign id.'],
      ['date', 'DATE', 'Delivery day.'],
      ['impressions', 'BIGINT', 'Impressions (sends for email).'],
      ['clicks', 'BIGINT', 'Clicks.'],
      ['spend', DEC, 'Spend in campaign currency.'],
      ['conversions', 'BIGINT', 'Attributed orders.'],
      ['revenue', DEC, 'Attributed revenue in campaign currency.'],
    ],
  },
  {
    name: 'raw_ab_tests',
    description: 'A/B tests (50 at scale 1): 2 variants (control/treatment) or 3 (control/treatment_a/treatment_b). True effects are in truth_ab_effects.',
    columns: [
      ['test_id', V, 'AB + 3 digits.'],
      ['test_name', V, 'Short name.'],
      ['hypothesis', V, 'Hypothesis statement.'],
      ['start_date', 'DATE', 'First day.'],
      ['end_date', 'DATE', 'Last day.'],
      ['primary_metric', V, 'conversion_rate, revenue_per_user or add_to_cart_rate.'],
      ['variants', 'INTEGER', 'Number of arms.'],
    ],
  },
  {
    name: 'raw_ab_assignments',
    description: 'Per-customer test assignments (~150k at scale 1; 600-10,000 per test, log-uniform) with outcome. Dirt: duplicated assignment rows and a few customers assigned to two variants of the same test.',
    columns: [
      ['test_id', V, 'Test id.'],
      ['customer_id', V, 'CRM customer_id.'],
      ['variant', V, 'control, treatment, treatment_a, treatment_b.'],
      ['assigned_at', TS, 'First exposure.'],
      ['converted', 'INTEGER', '1 if the customer converted during the test, else 0.'],
      ['conversion_value', DEC, 'Order value in USD if converted, else 0.00.'],
    ],
  },
  {
    name: 'raw_sessions',
    description: 'Web/app sessions (~20k). ~8% are the sessions of real web/app orders; ~45% of the others are anonymous (NULL customer_id). ~35% carry UTM parameters, mostly referencing a campaign live that day. Dirt: utm_campaign with different case or trailing space.',
    columns: [
      ['session_id', V, 'S + 9 digits, increasing with started_at.'],
      ['customer_id', V, 'Logged-in CRM customer; NULL when anonymous.'],
      ['anonymous_id', V, 'Cookie id (16 hex).'],
      ['started_at', TS, 'Session start.'],
      ['device', V, 'desktop, mobile, tablet.'],
      ['browser', V, 'Chrome, Safari, Edge, Firefox, Samsung Internet, Whale.'],
      ['utm_source', V, 'UTM source.'],
      ['utm_medium', V, 'UTM medium.'],
      ['utm_campaign', V, 'UTM campaign (raw_campaigns.utm_campaign or other values).'],
      ['landing_page', V, 'Path of the first page.'],
      ['referrer', V, 'Referrer URL for non-UTM traffic; NULL for direct.'],
    ],
  },
  {
    name: 'raw_page_views',
    description: 'Page views of each session in order.',
    columns: [
      ['page_view_id', V, 'PV + 9 digits.'],
      ['session_id', V, 'Session id.'],
      ['viewed_at', TS, 'View time.'],
      ['page_path', V, 'Path, e.g. /products/<sku>, /cart, /checkout/complete.'],
      ['sequence', 'INTEGER', '1-based position within the session.'],
    ],
  },
  {
    name: 'raw_events',
    description: 'Clickstream events: page_view for each page view plus view_product, add_to_cart, begin_checkout and purchase (with order_id) forming funnels. Dirt: duplicated events (client retries, same event_id) and a few event_ts hours before the session start (clock skew).',
    columns: [
      ['event_id', V, 'E + 9 digits (duplicated for retried events).'],
      ['session_id', V, 'Session id.'],
      ['event_ts', TS, 'Event time.'],
      ['event_type', V, 'page_view, view_product, add_to_cart, begin_checkout, purchase.'],
      ['product_id', V, 'Product for view_product/add_to_cart.'],
      ['order_id', V, 'Order for purchase.'],
    ],
  },
  {
    name: 'raw_customer_emails',
    description: 'Inbound customer-service emails (~5k, about a third in Korean): complaints, refunds, delivery, account changes, payment issues, privacy requests. Senders are CRM/email-system persons (exact, variant or other address) or unknown people. An email about an order cites one of the sender\'s own earlier orders when the sender has one, someone else\'s otherwise. Bodies contain planted PII (emails, phones, cards, IBANs, RRNs, SSNs, IPs, URLs, MACs, BTC addresses, dates, names) listed in truth_email_pii. Dirt: from_address with a display name ("Name" <addr>) or mixed case.',
    columns: [
      ['email_id', V, 'EM + 7 digits.'],
      ['from_address', V, 'Sender address as received.'],
      ['from_name', V, 'Sender display name; may be NULL.'],
      ['to_address', V, 'Support mailbox.'],
      ['subject', V, 'Subject line (may contain PII).'],
      ['body', V, 'Plain-text body with newlines.'],
      ['received_at', TS, 'Receipt time.'],
      ['language', V, 'ko or en.'],
    ],
  },
  {
    name: 'truth_person_identity',
    description: 'Ground truth: the real person behind every CRM record, email-system contact and email sender. Not a source system; used to score entity resolution.',
    columns: [
      ['source_system', V, 'crm, email or email_sender.'],
      ['record_id', V, 'customer_id, contact_id or email_id.'],
      ['person_id', V, 'True person id P + 7 digits.'],
    ],
  },
  {
    name: 'truth_email_pii',
    description: 'Ground truth of PII planted in raw_customer_emails, with Presidio entity names. start/end are JavaScript UTF-16 code-unit offsets (end exclusive) into the field, so field.slice(start, end) === value.',
    columns: [
      ['email_id', V, 'Email id.'],
      ['field', V, 'body or subject.'],
      ['entity_type', V, 'EMAIL_ADDRESS, PHONE_NUMBER, CREDIT_CARD, IBAN_CODE, IP_ADDRESS, URL, US_SSN, KR_RRN, MAC_ADDRESS, CRYPTO, DATE_TIME or PERSON.'],
      ['start', 'INTEGER', 'Start offset (UTF-16 code units).'],
      ['end', 'INTEGER', 'End offset, exclusive.'],
      ['value', V, 'The planted text.'],
    ],
  },
  {
    name: 'truth_ab_effects',
    description: 'Ground truth of the simulated A/B effects: per test and variant the true conversion rate and mean converted value; effect_kind none/small/large/negative.',
    columns: [
      ['test_id', V, 'Test id.'],
      ['variant', V, 'Variant name.'],
      ['true_conversion_rate', 'DOUBLE', 'Bernoulli rate used in the simulation.'],
      ['true_mean_value', 'DOUBLE', 'Mean conversion value (USD) before noise.'],
      ['effect_kind', V, 'control, none, small, large or negative.'],
    ],
  },
  {
    name: 'truth_dirty_rows',
    description: 'Ground truth: every dirt instance planted on purpose, for scoring data-quality tests. record_key is the natural key (for composite keys joined with |), column_name * means the whole row.',
    columns: [
      ['table_name', V, 'Seed name.'],
      ['record_key', V, 'Id of the affected record, e.g. C0000042 or O00000001|2.'],
      ['column_name', V, 'Affected column or * for the row.'],
      ['dirt_type', V, 'Kind of dirt, e.g. null, orphan, duplicate_row, invalid_date.'],
    ],
  },
];

function q(s: string): string {
  return JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar
}

/** Render {@link TABLES} as dbt-style `seeds.yml` text (deterministic). */
export function renderSeedsYml(): string {
  const out: string[] = [
    '# Generated by scripts/generate-seeds.ts (npm run generate-seeds); do not edit by hand.',
    '# Files are <name>.csv.gz: RFC 4180, header row, comma-delimited, empty field = NULL.',
    'version: 2',
    'seeds:',
  ];
  for (const t of TABLES) {
    out.push(`  - name: ${t.name}`);
    out.push(`    description: ${q(t.description)}`);
    out.push('    config:');
    out.push('      column_types:');
    for (const [c, ty] of t.columns) out.push(`        ${c}: ${ty}`);
    out.push('    columns:');
    for (const [c, , d, tests] of t.columns) {
      out.push(`      - name: ${c}`);
      out.push(`        description: ${q(d)}`);
      if (tests?.length) {
        out.push('        tests:');
        for (const line of tests) out.push(`          ${line}`);
      }
    }
  }
  return out.join('\n') + '\n';
}
