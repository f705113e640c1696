/**
 * Macros (dbt's parser/macros.py): every macro file becomes a macro node; a `.sql` partial's template facts
 * (refs, sources, config, partials it uses) are kept for the closure of the templates that use it, and a
 * custom generic test's definition (`test_<name>`) has its `{{config}}` keys checked as a test's.
 */
import { WeirError } from '../errors/weir-error.js';
import { checkConfigKeys } from '../loader/config-keys.js';
import { uniqueId } from '../manifest/manifest.js';
import type { MacroNode } from '../manifest/types.js';
import { leadingComment, type ParseContext } from './parse-context.js';
import { templateFacts } from './templates.js';

/** Macro nodes of every macro file (project, packages, standard library); fills `ctx.macroFacts`. */
export function parseMacros(ctx: ParseContext): MacroNode[] {
  const { files, project, errors, macroFacts } = ctx;
  const macros: MacroNode[] = [];
  for (const m of files.macros) {
    macros.push({
      resource_type: 'macro', unique_id: uniqueId('macro', project, m.name), name: m.name, path: m.path, kind: m.kind,
      description: leadingComment(m.raw), raw_code: m.raw,
    });
    if (m.kind !== 'partial') continue;
    try {
      const facts = templateFacts(ctx, m.raw, m.path, false);
      macroFacts.set(m.name, facts);
      if (m.name.startsWith('test_')) checkConfigKeys(facts.config, 'test', { file: m.path, keyLines: facts.configLines, what: `generic test '${m.name.slice(5)}'` }, errors);
    } catch (e) {
      if (e instanceof WeirError) errors.push(e);
      else throw e;
    }
  }
  return macros;
}
