import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import Weir from source; a module that imports the package by name (`weir-sql/udf`, as the demo's
// udfs/ and users' modules do) gets the same source files, not dist/.
const entry = (name: string) => fileURLToPath(new URL(`./src/public/${name}.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^weir-sql$/, replacement: entry('index') },
      { find: /^weir-sql\/(udf|stdlib|client)$/, replacement: entry('$1') },
    ],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
