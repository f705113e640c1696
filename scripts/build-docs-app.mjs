// Bundles the docs site's browser app (src/docs/app) with esbuild into dist/docs-app/: one script
// (weir-docs.js, everything inlined: no CDN, no network at run time) and one stylesheet (the app's CSS
// plus highlight.js's GitHub theme). Run by `npm run build`. WEIR_BUILD_OUT=<dir> writes into <dir>/docs-app
// instead of dist/docs-app (the benchmarks build their own copy).
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(process.env.WEIR_BUILD_OUT ?? path.join(root, 'dist'), 'docs-app');
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
  plugins: [nodeBuiltinStubs()],
});
/**
 * The app bundles Weir's selector, whose `state:` comparison reads files and hashes them (node:fs,
 * node:crypto). The docs site never compares states, so those builtins become stubs that throw if called.
 * A name not exported here fails the build, visibly.
 */
function nodeBuiltinStubs() {
  const names = ['createHash', 'readFileSync', 'statSync', 'existsSync'];
  return {
    name: 'node-builtin-stubs',
    setup(b) {
      b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-stub' }));
      b.onLoad({ filter: /.*/, namespace: 'node-stub' }, (args) => ({
        contents: names.map((n) => `export function ${n}() { throw new Error(${JSON.stringify(`${args.path} ${n}() is not available in the docs site`)}); }`).join('\n') + '\nexport default {};',
        loader: 'js',
      }));
    },
  };
}

const require = createRequire(import.meta.url);
const theme = readFileSync(require.resolve('highlight.js/styles/github.css'), 'utf8');
writeFileSync(path.join(out, 'weir-docs.css'), `${readFileSync(path.join(root, 'src/docs/app/style.css'), 'utf8')}\n/* highlight.js GitHub theme (BSD-3-Clause) */\n${theme}`);
