/**
 * Deterministic demo-data generator of the Weir demo warehouse (customer & marketing analytics
 * of a shop with Korean and English-speaking customers).
 *
 * Entry point: {@link generateSeeds}. CLI: `npm run generate-seeds -- [--scale N] [--out DIR] [--seed S]`.
 */
import { statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { genOrders, genProducts } from './commerce.js';
import { Ctx, type GenOptions } from './context.js';
import { genCustomerEmails } from './emails.js';
import { genAbTests, genCampaigns } from './marketing.js';
import { PersonFactory, genCrm, genEmailContacts } from './people.js';
import { TABLES, renderSeedsYml } from './schema.js';
import { genWeb } from './web.js';

export type { GenOptions } from './context.js';

/** Default seed of the committed `seeds/`. */
export const DEFAULT_SEED = 'weir-demo';

/** Per-table outcome of a run. */
export interface TableResult {
  /** Data rows written (header excluded). */
  rows: number;
  /** Size of the `.csv.gz` file in bytes. */
  bytes: number;
  /** Path of the file. */
  path: string;
}

/** Outcome of {@link generateSeeds}. */
export interface GenerateResult {
  /** Results keyed by table name, sorted by name. */
  tables: Record<string, TableResult>;
  /** Sum of all `.csv.gz` sizes in bytes. */
  totalBytes: number;
  /** Wall-clock duration in milliseconds (informational; not written to any file). */
  elapsedMs: number;
}

/**
 * Generate all seed tables into `outDir` as `<table>.csv.gz` plus `seeds.yml`.
 *
 * Output is a pure function of `(seed, scale)`: all randomness comes from seeded sfc32 streams
 * and seeded Faker instances, timestamps are computed (never read from the clock), and files are
 * gzip level 9 with mtime 0. Tables are streamed (bounded buffers), so memory is dominated by
 * the in-memory person list and typed-array indexes (≈ 0.5 GB at scale 100).
 *
 * Row counts at scale 1: ~10k CRM customers, 8k email contacts, 500 products, 50k orders,
 * ~145k order lines, 100 campaigns, 50 A/B tests with ~150k assignments, 20k sessions, 5k
 * customer emails; all linear in `scale` except campaigns/tests which grow by their base count
 * per decade of scale above 1 (and with √scale below 1).
 *
 * @param opts - `scale` (> 0, default 1), `seed` (default {@link DEFAULT_SEED}), `outDir`
 *   (default `seeds`), `gzipLevel` (default 9 up to scale 1, 6 above).
 * @returns rows and bytes per table.
 * @throws Error if `scale` is not a positive finite number or outDir cannot be written.
 */
export async function generateSeeds(opts: Partial<GenOptions> = {}): Promise<GenerateResult> {
  const t0 = performance.now();
  const scale = opts.scale ?? 1;
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`scale must be a positive number, got ${scale}`);
  const outDir = opts.outDir ?? 'seeds';
  mkdirSync(outDir, { recursive: true });
  const ctx = new Ctx({ scale, seed: opts.seed ?? DEFAULT_SEED, outDir, gzipLevel: opts.gzipLevel });
  const identity = ctx.writer('truth_person_identity', ['source_system', 'record_id', 'person_id']);
  const pf = new PersonFactory(ctx);
  const crm = await genCrm(ctx, pf, identity);
  // addresses are only needed by the CRM table; drop them to bound memory at large scales
  for (const p of pf.persons) p.address = p.postal = '';
  await genEmailContacts(ctx, pf, crm, identity);
  const products = await genProducts(ctx);
  const orders = await genOrders(ctx, pf, crm, products);
  const campaigns = await genCampaigns(ctx);
  await genAbTests(ctx, crm);
  await genWeb(ctx, pf, crm, orders, products, campaigns);
  await genCustomerEmails(ctx, pf, crm, products, orders, identity);
  const writers = ctx.allWriters();
  await Promise.all(writers.map((w) => w.close()));
  writeFileSync(join(outDir, 'seeds.yml'), renderSeedsYml());
  const tables: Record<string, TableResult> = {};
  let totalBytes = 0;
  const counts = ctx.counts();
  for (const name of Object.keys(counts)) {
    const path = join(outDir, `${name}.csv.gz`);
    const bytes = statSync(path).size;
    totalBytes += bytes;
    tables[name] = { rows: counts[name], bytes, path };
  }
  // sanity: every written table is documented
  for (const name of Object.keys(tables)) if (!TABLES.some((t) => t.name === name)) throw new Error(`undocumented table ${name}`);
  return { tables, totalBytes, elapsedMs: performance.now() - t0 };
}
