/**
 * The handlebars library, loaded once with `require`: it is CommonJS, and importing it as an ES module
 * makes Node's ES-module loader scan its files first (see adapters/duckdb/node-api.ts for the measurement).
 * Every module of Weir that needs handlebars at run time imports it from here; its types still come from
 * `import type … from 'handlebars'`.
 */
import { createRequire } from 'node:module';
import type HandlebarsTypes from 'handlebars';

/** The handlebars module (`Handlebars.create`, `Handlebars.parse`, `Handlebars.VERSION`, …). */
export const Handlebars = createRequire(import.meta.url)('handlebars') as typeof HandlebarsTypes;
