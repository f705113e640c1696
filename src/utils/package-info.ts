/**
 * Facts about the running Weir installation read from its package.json (the file two folders up from
 * this module, in `src/utils/` and in `dist/utils/` alike), and the version of the DuckDB library it
 * embeds — read from files, so `weir --version` loads no database client.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageJson { readonly name: string; readonly version: string; readonly engines?: { node?: string } }

let pkg: PackageJson | undefined;

/** This package's package.json (name, version, engines). */
export function packageInfo(): PackageJson {
  pkg ??= JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as PackageJson;
  return pkg;
}

/**
 * The installed `@duckdb/node-api` package version (e.g. `1.5.5-r.5`; the DuckDB library is the part before
 * `-r.`), or undefined when it cannot be found.
 */
export function duckdbPackageVersion(): string | undefined {
  try {
    let dir = path.dirname(createRequire(import.meta.url).resolve('@duckdb/node-api'));
    for (let i = 0; i < 5; i++, dir = path.dirname(dir)) {
      const f = path.join(dir, 'package.json');
      if (existsSync(f)) {
        const p = JSON.parse(readFileSync(f, 'utf8')) as PackageJson;
        if (p.name === '@duckdb/node-api') return p.version;
      }
    }
  } catch {
    // not installed
  }
  return undefined;
}

/** `weir --version` text: `weir-sql 0.1.0 (node v20.20.2, duckdb 1.5.5 via @duckdb/node-api 1.5.5-r.5)`. */
export function versionText(): string {
  const p = packageInfo();
  const duck = duckdbPackageVersion();
  const duckText = duck ? `duckdb ${duck.replace(/-r\.\d+$/, '')} via @duckdb/node-api ${duck}` : 'duckdb: @duckdb/node-api not found';
  return `${p.name} ${p.version} (node ${process.version}, ${duckText})`;
}
