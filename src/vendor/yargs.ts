/**
 * yargs, the CLI's argument parser, through one module: `npm run build` replaces this file's output
 * (dist/vendor/yargs.js) with yargs and its dependencies bundled into one ES module
 * (scripts/bundle-vendor.mjs), since loading yargs's ~45 files was the largest part of `weir ls`'s start-up
 * (BENCHMARKS.md, section (h)). Run from the sources (vitest, tsx) it is the package itself.
 */
export { default } from 'yargs';
