// Bundles the third-party packages the CLI loads at start-up into one ES module each, replacing tsc's output
// of their shims in src/vendor/ (dist/vendor/yargs.js, dist/vendor/zod.js). Loading one file instead of
// yargs's ~45 and zod's ~95 ES modules takes about half the time on Node 20, which has no module compile
// cache (BENCHMARKS.md, section (h)). Run by `npm run build` after tsc. WEIR_BUILD_OUT=<dir> writes into
// <dir>/vendor instead (the benchmarks build their own copy). Uses esbuild (a dependency, also used to
// bundle TypeScript UDF modules); the bundles hold the installed, pinned versions of the packages.
import { build } from 'esbuild';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(process.env.WEIR_BUILD_OUT ?? path.join(root, 'dist'), 'vendor');
const require = createRequire(path.join(root, 'package.json'));

/** Bundles `source` (module text importing from node_modules) into out/name.js. */
async function bundle(name, source, { banner = '', patch } = {}) {
  const file = path.join(out, `${name}.js`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run tsc first (src/vendor/${name}.ts)`);
  const result = await build({
    stdin: { contents: source, resolveDir: root, sourcefile: `vendor-${name}.js` },
    bundle: true, format: 'esm', platform: 'node', target: 'node20', write: false, legalComments: 'inline',
    minifyWhitespace: true, minifySyntax: true, banner: { js: banner }, logLevel: 'warning',
  });
  let text = result.outputFiles[0].text;
  if (patch) text = patch(text);
  rmSync(`${file}.map`, { force: true }); // tsc's source map of the shim no longer describes the file
  writeFileSync(file, `// ${name} bundled by scripts/bundle-vendor.mjs (src/vendor/${name}.ts)\n${text}`);
}

await bundle('zod', "export { z } from 'zod';\n");

// yargs finds its message translations (y18n) at <its folder>/../../../locales from its platform shim's file
// name; bundled, that file is dist/vendor/yargs.js, so the locales are copied beside it and the one path
// expression that names them is pointed there (the build fails if yargs changes that expression).
const yargsDir = path.dirname(require.resolve('yargs/package.json'));
cpSync(path.join(yargsDir, 'locales'), path.join(out, 'yargs-locales'), { recursive: true });
await bundle('yargs', "export { default } from 'yargs';\n", {
  banner: "import { fileURLToPath as __weirFileURLToPath } from 'node:url';",
  patch: (text) => {
    const re = /\bresolve\d*\(\s*__dirname\d*\s*,\s*"\.\.\/\.\.\/\.\.\/locales"\s*\)/g;
    const hits = text.match(re) ?? [];
    if (hits.length !== 1) throw new Error(`bundle-vendor: expected one yargs locales path in the bundle, found ${hits.length}`);
    return text.replace(re, '__weirFileURLToPath(new URL("./yargs-locales", import.meta.url))');
  },
});
// the bundle must load and translate as the package does
const check = readFileSync(path.join(out, 'yargs.js'), 'utf8');
if (!check.includes('./yargs-locales')) throw new Error('bundle-vendor: yargs locales path not patched');
