/**
 * @duckdb/node-api, loaded with `require`. The package is CommonJS; Node's ES-module loader, asked to
 * `import` it, first scans the source of every file the package re-exports with cjs-module-lexer to learn
 * their export names (about 60 files: ~150 ms against ~60 ms for `require` of the same package, measured on
 * Node 20 in BENCHMARKS.md section (j)). Both ways give the same module object (Node's CommonJS cache), so
 * values and classes are the same wherever the package is imported from. Modules of this folder take the
 * package's values from here and its types with `import type`.
 */
import { createRequire } from 'node:module';
import type * as NodeApi from '@duckdb/node-api';

/** The @duckdb/node-api module (its exports, as `import * as duckdb` would give them). */
export const duckdb: typeof NodeApi = createRequire(import.meta.url)('@duckdb/node-api') as typeof NodeApi;
