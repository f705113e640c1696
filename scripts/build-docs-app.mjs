// Bundles the docs site's browser app (src/docs/app) with esbuild into dist/docs-app/: one script
// (weir-docs.js, everything inlined: no CDN, no network at run time) and one stylesheet (the app's CSS
// plus highlight.js's GitHub theme). Run by `npm run build`.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'docs-app');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [path.join(root, 'src/docs/app/main.ts')],
  outfile: path.join(out, 'weir-docs.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
const require = createRequire(import.meta.url);
const theme = readFileSync(require.resolve('highlight.js/styles/github.css'), 'utf8');
writeFileSync(path.join(out, 'weir-docs.css'), `${readFileSync(path.join(root, 'src/docs/app/style.css'), 'utf8')}\n/* highlight.js GitHub theme (BSD-3-Clause) */\n${theme}`);
