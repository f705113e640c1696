/**
 * Pattern recognizers for {@link ../../pii.js detectPii}, modelled on Microsoft Presidio's predefined
 * recognizers (presidio-analyzer/predefined_recognizers, read 2026-07): each has a regex with a base
 * score, optional validation (a valid checksum raises the score to 1.0, an invalid one drops the
 * candidate, "cannot tell" keeps the base score) and context words used by the context enhancer.
 * Regexes are compiled once at module load and reused (`lastIndex` is reset per call).
 * Deviations from Presidio are marked "Deviation".
 *
 * This file runs them ({@link runRecognizers}); each entity family has its own file: `entities.ts` (entity
 * types, raw hits, context words), `patterns.ts` (the regex recognizers and IBANs), `phones.ts` (phone
 * numbers through libphonenumber-js), `persons.ts` (PERSON: Korean and English name patterns, name
 * dictionaries), `checksums.ts` (the check-digit algorithms).
 */
import { CONTEXT_WORDS, PII_ENTITY_TYPES, type PiiEntityType, type RawHit } from './entities.js';
import { findIbans, PATTERNS, scoreKrRrn, usSsnInvalid, type PatternDef } from './patterns.js';
import { findPhones, groupingFits, PHONE_REGIONS } from './phones.js';
import { createNameDictionary, findDictionaryNames, findPersonPatterns, type NameDictionary } from './persons.js';

export { CONTEXT_WORDS, createNameDictionary, groupingFits, PATTERNS, PHONE_REGIONS, PII_ENTITY_TYPES, scoreKrRrn, usSsnInvalid };
export type { NameDictionary, PiiEntityType, RawHit };

/**
 * Runs all recognizers for the requested entity types and returns raw hits (pattern scores after
 * validation; no context enhancement yet). Hits with score 0 are already removed.
 */
export function runRecognizers(text: string, want: ReadonlySet<PiiEntityType>, dict: NameDictionary | undefined): RawHit[] {
  const out: RawHit[] = [];
  const hasDigit = /\d/.test(text);
  const has: Record<PatternDef['needs'], boolean> = {
    digit: hasDigit, '@': text.includes('@'), '.': text.includes('.'), ':': text.includes(':'), none: true,
  };
  for (const p of PATTERNS) {
    if (!want.has(p.type) || !has[p.needs]) continue;
    const re = p.re;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      let s = m[0];
      if (p.type === 'URL') s = s.replace(/[.,;:!?'*]+$/, '');
      if (s.length === 0) {
        re.lastIndex++;
        continue;
      }
      const v = p.validate ? p.validate(s) : undefined;
      const score = v === undefined ? p.score : v;
      if (score > 0) out.push({ entity_type: p.type, start: m.index, end: m.index + s.length, score });
    }
  }
  if (hasDigit && want.has('IBAN_CODE')) findIbans(text, out);
  if (hasDigit && want.has('PHONE_NUMBER')) findPhones(text, out, out);
  if (want.has('PERSON')) {
    if (dict) findDictionaryNames(text, dict, out);
    findPersonPatterns(text, out);
  }
  return out;
}
