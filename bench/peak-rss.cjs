// Preloaded into a benchmarked process (`node --require bench/peak-rss.cjs ...`): when it exits, appends its
// peak resident set size (process.resourceUsage().maxRSS, KiB, the whole process including worker threads)
// to the file named by WEIR_BENCH_RSS_FILE.
const file = process.env.WEIR_BENCH_RSS_FILE;
if (file) process.on('exit', () => require('node:fs').appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
