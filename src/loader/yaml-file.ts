/**
 * YAML reading with locations: parse a file into a document, map key paths back to line/column, and
 * turn syntax errors into {@link WeirError}s that name the file and line.
 */
import { createRequire } from 'node:module';
import type * as YamlLib from 'yaml';
import type { Document } from 'yaml';
import { WeirError, type WeirErrorCode } from '../errors/weir-error.js';

/**
 * yaml, loaded with `require`: the package is CommonJS here, and Node's ES-module loader would first scan its
 * files for export names (~3 ms of start-up; see adapters/duckdb/node-api.ts). Same module object either way.
 */
const { LineCounter, parseDocument, isNode } = createRequire(import.meta.url)('yaml') as typeof YamlLib;

/** A parsed YAML file that can locate key paths. */
export interface YamlFile {
  /** Project-relative path (for messages). */
  readonly file: string;
  readonly doc: Document;
  /** Plain JS value of the document (`undefined` for an empty file). */
  readonly value: unknown;
  /** 1-based line/column of the value at `path`, or of its nearest existing parent. */
  locate(path: readonly (string | number)[]): { line?: number; column?: number };
}

/**
 * Parses YAML text.
 * @param text file contents
 * @param file project-relative path used in messages
 * @throws WeirError `WEIR_YAML_SYNTAX` naming file:line:column for malformed YAML (all syntax errors listed)
 */
export function parseYamlFile(text: string, file: string, code: WeirErrorCode = 'WEIR_YAML_SYNTAX'): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const pos = lineCounter.linePos(err.pos[0]);
    throw new WeirError(code, `invalid YAML: ${err.message.split('\n')[0]}${doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more)` : ''}`, {
      location: { file, line: pos.line, column: pos.col },
      hint: 'Fix the YAML syntax at that line (indentation, a missing colon, or an unquoted special character).',
    });
  }
  const value = doc.toJS({ maxAliasCount: 100 });
  return {
    file,
    doc,
    value,
    locate(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true);
        if (isNode(node) && node.range) {
          const pos = lineCounter.linePos(node.range[0]);
          return { line: pos.line, column: pos.col };
        }
      }
      return {};
    },
  };
}

/** Formats a key path like `targets.dev.threads` or `models[0].columns[2].name`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}
