// Preloaded into a benchmarked process (`node --require bench/peak-rss.cjs ...`): when it exits, appends its
// peak resident set size (process.resourceUsage().maxRSS, KiB, the whole process including worker threads)
// to the file named by WEIR_BENCH_RSS_FILE.
// Worker threads inherit the preload (execArgv): only the main thread reports (its figures cover the process).
const file = require('node:worker_threads').isMainThread ? process.env.WEIR_BENCH_RSS_FILE : undefined;
// Then its user and system CPU time (µs, all threads), space-separated on the same line.
if (file) process.on('exit', () => {
  const u = process.resourceUsage();
  require('node:fs').appendFileSync(file, `${u.maxRSS} ${u.userCPUTime} ${u.systemCPUTime}\n`);
});
