/**
 * Weir's standard library, shipped inside the package: UDF modules (`udfs/`: fuzzy matching, PII
 * detection/redaction/pseudonyms, Korean→English translation) and SQL macros (`macros/`: RFM scores, A/B
 * significance, entity resolution, normalisation). A project turns it on with `stdlib: true` in
 * project.yaml; the loader then adds these macros and UDFs after the project's own (which win, with a
 * warning, on a name clash).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the standard library lives in the running installation (`dist/stdlib/` or `src/stdlib/`). */
export const STANDARD_LIBRARY: { readonly name: string; readonly root: string; readonly macroPaths: readonly string[]; readonly udfPaths: readonly string[] } = {
  name: 'weir-sql',
  root: path.dirname(fileURLToPath(import.meta.url)),
  macroPaths: ['macros'],
  udfPaths: ['udfs'],
};
