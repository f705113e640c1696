/**
 * Checks of macro arguments, used by the standard library's macros through the `check_choice` and
 * `check_list` helpers: a bad argument is reported at the file that calls the macro.
 */
import { closest } from '../../utils/closest.js';
import { escapeRe, HelperError } from './render-state.js';

/**
 * Checks a macro's enumerated argument (`{{check_choice "rfm_scores" "scoring" scoring "ntile" "rank_bins"}}`):
 * undefined/null/'' (argument not given) passes, so the macro's default applies.
 * @throws HelperError naming the macro, the argument, the allowed values and the closest one
 */
export function checkChoice(macro: string, arg: string, value: unknown, choices: readonly string[]): void {
  if (value === undefined || value === null || value === '') return;
  if (typeof value === 'string' && choices.includes(value)) return;
  const near = closest(String(value), choices);
  throw new HelperError(
    `${macro}: ${arg}=${JSON.stringify(value)} is not one of ${choices.map((c) => `"${c}"`).join(', ')}${near ? ` (did you mean "${near}"?)` : ''}`,
    new RegExp(`\\b${escapeRe(arg)}\\s*=`),
    true,
  );
}

/**
 * Checks a macro argument that must be a list of texts each matching `pattern` (e.g. the cells of one
 * segment in `rfm_scores`' segments map: `{{check_list "rfm_scores" "segments.Champions" this "^[1-5*]{3}$"}}`).
 * @throws HelperError naming the macro and argument, the offending value and an example of a valid list
 */
export function checkList(macro: string, arg: string, value: unknown, pattern: RegExp, example?: string): void {
  const eg = example ? `, e.g. ${example}` : '';
  if (!Array.isArray(value)) {
    throw new HelperError(`${macro}: ${arg} must be a list of texts matching ${pattern.source}${eg}; got ${JSON.stringify(value)}`, new RegExp(`\\b${escapeRe(arg.split('.')[0])}\\s*=`), true);
  }
  for (const v of value) {
    if (typeof v !== 'string' || !pattern.test(v)) {
      throw new HelperError(`${macro}: ${arg} has ${JSON.stringify(v)}, which does not match ${pattern.source}${eg}`, new RegExp(`\\b${escapeRe(arg.split('.')[0])}\\s*=`), true);
    }
  }
}
