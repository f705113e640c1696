/**
 * The parse phase's input: the loader's files (loader/load-project.ts) read with the partial-parse
 * machinery plugged in (partial-parse/), so that unchanged schema YAML comes from the cache and templates
 * can be parsed on a worker thread while the loader reads the YAML.
 */
import { readProjectFiles, type LoadOptions, type ProjectFiles } from '../loader/load-project.js';
import { startPartialParse, type PartialParseOptions, type PartialParseState } from './partial-parse/index.js';

/** Options of {@link loadProjectFiles}: the loader's, and how partial parsing is used. */
export interface ParseLoadOptions extends LoadOptions, PartialParseOptions {}

/** The loader's files with this load's partial-parse state, as {@link parseProject} takes them. */
export interface ParseInput extends ProjectFiles, PartialParseState {}

/**
 * Loads a project's configuration and files for the parse phase.
 * @throws WeirError / WeirErrors as {@link readProjectFiles} (the partial-parse cache is saved first, keeping
 *   the entries of files not reached)
 */
export function loadProjectFiles(options: ParseLoadOptions = {}): ParseInput {
  const partial = startPartialParse(options);
  const files = readProjectFiles(options, partial.hooks);
  return { ...files, ...partial.state() };
}
