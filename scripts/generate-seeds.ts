/**
 * CLI of the deterministic demo-data generator.
 *
 * Usage: `npm run generate-seeds -- [--scale N] [--out DIR] [--seed S] [--gzip-level L]`
 * (defaults: scale 1, out `seeds/`, seed `weir-demo`, gzip level 9 up to scale 1 else 6).
 */
import { DEFAULT_SEED, generateSeeds } from './generator/index.js';

/**
 * Parse `--scale`, `--out` and `--seed` (also `--name=value`) from argv.
 * @throws Error on unknown flags or a missing value.
 */
export function parseArgs(argv: readonly string[]): { scale: number; outDir: string; seed: string; gzipLevel?: number } {
  const o: { scale: number; outDir: string; seed: string; gzipLevel?: number } = { scale: 1, outDir: 'seeds', seed: DEFAULT_SEED };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let v: string | undefined;
    const eq = a.indexOf('=');
    if (eq > 0) {
      v = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const val = (): string => {
      if (v !== undefined) return v;
      const n = argv[++i];
      if (n === undefined) throw new Error(`missing value for ${a}`);
      return n;
    };
    if (a === '--scale') o.scale = Number(val());
    else if (a === '--out') o.outDir = val();
    else if (a === '--seed') o.seed = val();
    else if (a === '--gzip-level') o.gzipLevel = Number(val());
    else if (a === '--help' || a === '-h') {
      console.log('Usage: generate-seeds [--scale N] [--out DIR] [--seed S] [--gzip-level 1-9]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

/** The CLI prints a per-table summary to stdout. */
const args = parseArgs(process.argv.slice(2));
const res = await generateSeeds(args);
for (const [name, t] of Object.entries(res.tables)) {
  console.log(`${name.padEnd(24)} ${String(t.rows).padStart(10)} rows ${(t.bytes / 1024).toFixed(0).padStart(8)} KiB`);
}
console.log(`total ${(res.totalBytes / 1048576).toFixed(2)} MiB in ${(res.elapsedMs / 1000).toFixed(1)} s -> ${args.outDir}`);
