/**
 * zod (schema validation of project.yaml and targets) through one module: `npm run build` replaces this
 * file's output (dist/vendor/zod.js) with zod bundled into one ES module (scripts/bundle-vendor.mjs), since
 * its ~95 files cost more to load than to run at start-up (BENCHMARKS.md, section (h)). Run from the
 * sources (vitest, tsx) it is the package itself. Every module of Weir imports zod from here, so one copy
 * of zod is loaded.
 */
export { z } from 'zod';
