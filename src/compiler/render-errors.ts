/**
 * Errors raised while rendering a template, turned into WeirErrors that name the file and, when it can be
 * found, the line: a helper's {@link HelperError}, an untrusted value printed bare, Handlebars' strict-mode
 * misses, unknown helpers and partials.
 */
import { WeirError } from '../errors/weir-error.js';
import { HelperError } from './helpers/render-state.js';
import { UntrustedOutputError } from './untrusted.js';

/**
 * Turns an error thrown while rendering into a WeirError with file and (when Handlebars reports it) line.
 * Errors that already are WeirErrors with a file keep their location.
 */
export function annotateRenderError(e: unknown, file: string, nodeId: string, source?: string): WeirError {
  if (e instanceof WeirError) {
    if (e.location?.file) return e;
    return new WeirError(e.code, e.message, { hint: e.hint, location: { ...e.location, file, nodeId }, cause: e });
  }
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof UntrustedOutputError) {
    return new WeirError('WEIR_TEMPLATE_RENDER', msg, { location: { file, nodeId }, cause: e, hint: 'Values from vars, env and run-operation args reach SQL only through {{literal ...}} or {{ident ...}} (numbers and booleans print as they are).' });
  }
  if (e instanceof HelperError) {
    let line: number | undefined = e.line;
    if (line === undefined && e.needle && source) {
      const m = e.needle.exec(source);
      if (m) line = source.slice(0, m.index).split('\n').length;
    }
    return new WeirError('WEIR_TEMPLATE_RENDER', msg, { location: { file, line, column: e.column, nodeId }, cause: e });
  }
  const strictMiss = /^"?([^"]+)"? not defined in .*? - (\d+):(\d+)$/s.exec(msg);
  if (strictMiss) {
    return new WeirError('WEIR_TEMPLATE_RENDER', `'${strictMiss[1]}' is not defined in this template`, {
      location: { file, line: Number(strictMiss[2]), column: Number(strictMiss[3]) + 1, nodeId },
      hint: 'Variables come from vars ({{var "name"}}), macro arguments, target.* and this; check the spelling.',
    });
  }
  const missingHelper = /^Missing helper: "?([^"]+)"?/.exec(msg);
  if (missingHelper) {
    return new WeirError('WEIR_HELPER_UNKNOWN', `unknown helper '${missingHelper[1]}'`, { location: { file, nodeId } });
  }
  const missingPartial = /The partial (.+) could not be found/.exec(msg);
  if (missingPartial) {
    return new WeirError('WEIR_MACRO_INVALID', `unknown macro '${missingPartial[1]}'`, {
      location: { file, nodeId }, hint: 'Macros are the .sql files in macro-paths; {{> name}} uses macros/name.sql.',
    });
  }
  return new WeirError('WEIR_TEMPLATE_RENDER', msg, { location: { file, nodeId }, cause: e });
}
