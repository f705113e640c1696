/**
 * A command's `--out` file (airflow-dag, codegen), imported by their handlers only: the CLI's start-up
 * loads nothing of it.
 */
import { WeirError } from '../errors/weir-error.js';
import { writeFileAtomic } from '../utils/write-file.js';

/**
 * Writes a command's `--out` file atomically (see writeFileAtomic).
 * @throws WeirError `WEIR_USAGE` naming the file when it can't be written
 */
export function writeOutFile(out: string, text: string): void {
  try {
    writeFileAtomic(out, text);
  } catch (e) {
    throw new WeirError('WEIR_USAGE', `cannot write ${out}: ${(e as Error).message}`, { hint: 'Check that --out names a writable file.', cause: e });
  }
}
