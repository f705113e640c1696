/**
 * The phone-number recognizer: candidates found by a loose regex, confirmed by libphonenumber-js for the
 * regions Weir's data uses, with the written digit grouping checked against the region's format.
 * @module
 */
import { findNumbers, findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/min';
import type { RawHit } from './entities.js';

/** Regions tried for numbers written without `+` (Presidio uses its own default region list; Weir's data is Korean/US/UK). */
export const PHONE_REGIONS: readonly CountryCode[] = ['KR', 'US', 'GB'];
/** Candidate: optional `+`, then 7+ characters of digits, spaces, dots, dashes and parentheses, ending in a digit. */
const PHONE_CANDIDATE = /(?<![\w+])(?:\+ ?)?\(?\d[\d().\- ]{5,24}\d(?!\w)/g;

/** Positions (in digits) where a digit group ends and another begins: '010-1234-5678' → {3, 7}. */
function groupBreaks(s: string): { digits: string; breaks: Set<number> } {
  const breaks = new Set<number>();
  let n = 0;
  let sep = false;
  for (const ch of s) {
    if (ch >= '0' && ch <= '9') {
      if (sep && n > 0) breaks.add(n);
      sep = false;
      n++;
    } else sep = true;
  }
  return { digits: s.replace(/\D/g, ''), breaks };
}

/**
 * Deviation (as libphonenumber's STRICT_GROUPING leniency, which libphonenumber-js does not offer): a
 * number written with separators must break its digits only where the country's own format does
 * (010-1234-5678, (415) 555-0123, +44 20 7946 0958), so an SSN-, BRN- or order-number-shaped grouping
 * (123-45-67890) is not a phone number. When the written digits lack or add a prefix of the formatted ones
 * (trunk prefix 0 left out, a country code 1 written), the breaks are compared after aligning the ends;
 * numbers without separators pass.
 * @param unformatted the answer when the library could not format the number (no breaks in `formatted`)
 */
export function groupingFits(written: string, formatted: string, unformatted = true): boolean {
  const w = groupBreaks(written);
  if (w.breaks.size === 0) return true;
  const f = groupBreaks(formatted);
  if (f.breaks.size === 0) return unformatted; // the library has no format for it: `unformatted` decides
  let shift: number;
  if (f.digits.endsWith(w.digits)) shift = f.digits.length - w.digits.length;
  else if (w.digits.endsWith(f.digits)) shift = f.digits.length - w.digits.length;
  else return true;
  for (const b of w.breaks) if (b + shift > 0 && !f.breaks.has(b + shift)) return false;
  return true;
}

/** A decimal number (36.048964, 130.5): never a phone number, and no phone number inside it. */
const DECIMAL = /^\d+\.\d+$/;

/**
 * PhoneRecognizer (score 0.4): libphonenumber's in-text matcher (leniency VALID, as Presidio's
 * default leniency 1) run only on candidate substrings, once per region in {@link PHONE_REGIONS}
 * (a `+` number once: its own country code decides). Before matching, spans already recognized with
 * a score ≥ 0.5 (cards, IBANs, dates, …) and RRN-shaped numbers are blanked so they neither join nor pose as numbers.
 * Deviation: when no region finds a valid number in a candidate, a *possible* number (right length
 * for the region, but e.g. an unassigned area code) is reported with score 0.3.
 */
export function findPhones(text: string, prior: readonly RawHit[], out: RawHit[]): void {
  let src = text;
  for (const h of prior) {
    if (h.score >= 0.5 || h.entity_type === 'KR_RRN') src = src.slice(0, h.start) + ' '.repeat(h.end - h.start) + src.slice(h.end);
  }
  PHONE_CANDIDATE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PHONE_CANDIDATE.exec(src))) {
    const cand = m[0];
    const base = m.index;
    if (DECIMAL.test(cand)) continue;
    const seen = new Set<number>();
    const regions = cand[0] === '+' ? PHONE_REGIONS.slice(0, 1) : PHONE_REGIONS;
    for (const region of regions) {
      for (const f of findPhoneNumbersInText(cand, { defaultCountry: region })) {
        const key = f.startsAt * 1000 + f.endsAt;
        if (seen.has(key)) continue;
        const written = cand.slice(f.startsAt, f.endsAt);
        if (!groupingFits(written, written.trimStart().startsWith('+') ? f.number.formatInternational() : f.number.formatNational())) continue;
        seen.add(key);
        out.push({ entity_type: 'PHONE_NUMBER', start: base + f.startsAt, end: base + f.endsAt, score: 0.4 });
      }
    }
    if (seen.size > 0) continue;
    // a possible number written as phone numbers are (a + or separators in a region's grouping) 0.3; bare
    // digits or another grouping 0.05, reported only with a phone context word. The first region whose
    // grouping fits wins, else the first region that finds anything.
    let weak: RawHit[] | undefined;
    let strong: RawHit[] | undefined;
    for (const region of regions) {
      const found = findNumbers(cand, { defaultCountry: region, v2: true, leniency: 'POSSIBLE' } as unknown as { defaultCountry: CountryCode; v2: true }) as unknown as
        { startsAt: number; endsAt: number; number: { formatNational(): string; formatInternational(): string } }[];
      if (found.length === 0) continue;
      const hits = found.map((f) => {
        const written = cand.slice(f.startsAt, f.endsAt);
        const plus = written.trimStart().startsWith('+');
        const grouped = (plus || /[\s().-]/.test(written.trim())) && groupingFits(written, plus ? f.number.formatInternational() : f.number.formatNational(), false);
        return { entity_type: 'PHONE_NUMBER' as const, start: base + f.startsAt, end: base + f.endsAt, score: grouped ? 0.3 : 0.05 };
      });
      weak ??= hits.map((h) => ({ ...h, score: 0.05 }));
      if (hits.every((h) => h.score === 0.3)) {
        strong = hits;
        break;
      }
    }
    out.push(...(strong ?? weak ?? []));
  }
}
