/**
 * Shared generation context: seed, scale, output writers and the ground-truth logs.
 */
import { Faker, base, en, en_AU, en_CA, en_GB, en_US, ko } from '@faker-js/faker';
import { GzCsvWriter, type Cell } from './csv.js';
import { Rng } from './prng.js';

/** Countries of customers: Korea plus English-speaking markets. */
export type Country = 'KR' | 'US' | 'GB' | 'CA' | 'AU' | 'IE';

/** Options of one generation run (validated by `generateSeeds`). */
export interface GenOptions {
  /** Multiplier of all row counts (1 = the committed demo seeds). Must be > 0. */
  scale: number;
  /** Seed material; any string or integer. */
  seed: string | number;
  /** Output directory for `<table>.csv.gz` and `seeds.yml`. */
  outDir: string;
  /**
   * gzip/deflate level 1–9. Default: 9 for scale ≤ 1 (the committed seeds), 6 above (level 9
   * is 3–6× slower for ~2 % smaller files, which would dominate the run time of benchmark
   * scales). Any level is deterministic.
   */
  gzipLevel?: number;
}

/**
 * Mutable state shared by the table generators of one run: options, a factory for independent
 * random streams, locale-specific Faker instances, and the `truth_dirty_rows` writer.
 */
export class Ctx {
  readonly scale: number;
  readonly seed: string;
  readonly outDir: string;
  /** Effective gzip level. */
  readonly gzipLevel: number;
  private readonly writers: GzCsvWriter[] = [];
  /** `truth_dirty_rows(table_name, record_key, column_name, dirt_type)` writer. */
  readonly dirt: GzCsvWriter;

  constructor(opts: GenOptions) {
    this.scale = opts.scale;
    this.seed = String(opts.seed);
    this.outDir = opts.outDir;
    this.gzipLevel = opts.gzipLevel ?? (opts.scale <= 1 ? 9 : 6);
    this.dirt = this.writer('truth_dirty_rows', ['table_name', 'record_key', 'column_name', 'dirt_type']);
  }

  /** Independent PRNG stream for a named purpose (stable across code changes elsewhere). */
  rng(stream: string): Rng {
    return new Rng(`${this.seed}:${stream}`);
  }

  /**
   * A Faker instance for one locale chain, seeded from the named stream. A fresh instance is
   * returned per call; the global default faker is never used.
   */
  faker(country: Country | 'ko', stream: string): Faker {
    const locale =
      country === 'KR' || country === 'ko' ? [ko, en, base]
      : country === 'GB' || country === 'IE' ? [en_GB, en, base]
      : country === 'CA' ? [en_CA, en, base]
      : country === 'AU' ? [en_AU, en, base]
      : [en_US, en, base];
    const f = new Faker({ locale });
    f.seed(this.rng(`faker:${country}:${stream}`).seedInt());
    return f;
  }

  /** Scale a base row count (at scale 1) linearly, at least `min`. */
  n(base: number, min = 1): number {
    return Math.max(min, Math.round(base * this.scale));
  }

  /** Open a tracked table writer in the output directory. */
  writer(name: string, header: readonly string[]): GzCsvWriter {
    const w = new GzCsvWriter(this.outDir, name, header, this.gzipLevel);
    this.writers.push(w);
    return w;
  }

  /** Record one planted dirt instance in `truth_dirty_rows`. */
  logDirt(table: string, key: Cell, column: string, kind: string): void {
    this.dirt.row([table, key, column, kind]);
  }

  /** All writers opened so far, in opening order. */
  allWriters(): readonly GzCsvWriter[] {
    return this.writers;
  }

  /** Row counts of all writers opened so far, keyed by table name (sorted by name). */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const w of [...this.writers].sort((a, b) => (a.name < b.name ? -1 : 1))) out[w.name] = w.rows;
    return out;
  }
}

/** Zero-padded id with a prefix, e.g. `pad('C', 42, 7)` → `C0000042`. */
export function pad(prefix: string, n: number, width: number): string {
  return prefix + String(n).padStart(width, '0');
}
