// Copies the standard library's SQL macros (src/stdlib/macros/*.sql) next to its compiled UDF modules in
// dist/stdlib/, where an installed package reads them. Run by `npm run build` after tsc. WEIR_BUILD_OUT=<dir>
// copies into <dir>/stdlib/macros instead (the benchmarks build their own copy).
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const to = path.join(process.env.WEIR_BUILD_OUT ?? path.join(root, 'dist'), 'stdlib', 'macros');
rmSync(to, { recursive: true, force: true });
cpSync(path.join(root, 'src', 'stdlib', 'macros'), to, { recursive: true, filter: (src) => { const base = path.basename(src); return !base.includes('.') || base.endsWith('.sql'); } });
