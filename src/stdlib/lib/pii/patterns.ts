/**
 * The regex recognizers (one per Presidio pattern, with Presidio's base score and validation: a valid
 * checksum raises the score to 1.0, an invalid one drops the candidate, "cannot tell" keeps the base score)
 * for e-mail, URL, IP and MAC addresses, credit cards, US SSN, Korean RRN/BRN/passport/driver licence,
 * crypto wallets and dates; and the IBAN finder. Deviations from Presidio are marked "Deviation".
 * @module
 */
import { base58CheckValid, bech32Valid, ibanValid, ipv6Valid, krBrnChecksumValid, krRrnChecksumValid, luhnValid } from './checksums.js';
import type { PiiEntityType, RawHit } from './entities.js';

/**
 * Validation outcome for a matched string: a number replaces the pattern score (0 drops the hit),
 * `undefined` keeps the pattern score.
 */
type Validator = (m: string) => number | undefined;

/** One regex recognizer. */
export interface PatternDef {
  readonly type: PiiEntityType;
  readonly re: RegExp;
  readonly score: number;
  readonly validate?: Validator;
  /** Cheap pre-check on the whole text; the regex is skipped when false. */
  readonly needs: 'digit' | '@' | '.' | ':' | 'none';
}

const digitsOnly = (s: string) => s.replace(/\D/g, '');

// --- validators -------------------------------------------------------------------------------

/** Presidio EmailRecognizer validates with tldextract (a known public suffix); we accept an alphabetic TLD of 2–63 letters or a punycode TLD. */
const validateEmail: Validator = (m) => (/\.(?:[a-z]{2,63}|xn--[a-z0-9-]{2,59})$/i.test(m) ? 1 : 0);
/** Luhn → 1.0, else dropped. Deviation: a number mixing separator kinds (`1234 567-8901`) is dropped (cards are written with one kind). */
const validateCard: Validator = (m) => (!(m.includes(' ') && m.includes('-')) && luhnValid(digitsOnly(m)) ? 1 : 0);
const validateIpv6: Validator = (m) => (ipv6Valid(m) ? undefined : 0);

/**
 * Presidio UsSsnRecognizer.invalidate_result: one delimiter kind, not all one digit, group ≠ 00, serial ≠ 0000,
 * no 000/666 area, no well-known sample numbers. Deviation: areas 900–999 are invalid too (never assigned
 * as SSNs; the range holds ITINs — SSA, "Social Security Number Randomization", 2011).
 */
export function usSsnInvalid(m: string): boolean {
  const delims = new Set(m.replace(/\d/g, ''));
  if (delims.size > 1) return true;
  const d = digitsOnly(m);
  if (/^(\d)\1*$/.test(d)) return true;
  if (d[0] === '9') return true;
  if (d.slice(3, 5) === '00' || d.slice(5) === '0000') return true;
  for (const s of ['000', '666', '123456789', '98765432', '078051120']) if (d.startsWith(s)) return true;
  return false;
}
const validateSsn: Validator = (m) => (usSsnInvalid(m) ? 0 : undefined);

/**
 * KR_RRN scoring. Presidio returns "cannot tell" (keeps 0.5) whenever the check digit fails, because
 * numbers assigned since October 2020 end in random digits. Deviation, to keep random 13-digit
 * numbers out: check digit valid → 1.0 (Presidio also requires region digits 00–95; we do not, the
 * range is not official); check digit invalid but a birth
 * date from 2020 on (G = 3/4, YY ≥ 20: the population that gets random suffixes) → 0.5; invalid
 * otherwise → 0.2, below the default threshold unless a context word (주민등록번호 …) adds 0.35.
 */
export function scoreKrRrn(m: string): number {
  const d = digitsOnly(m);
  if (d.length !== 13) return 0;
  if (krRrnChecksumValid(d)) return 1;
  const g = d[6];
  if ((g === '3' || g === '4') && Number(d.slice(0, 2)) >= 20) return 0.5;
  return 0.2;
}

/** KR_BRN: checksum required (invalid → dropped). Deviation: Presidio gives a valid BRN 1.0, but a 1-in-10 check digit is too weak for that (10 % of 10-digit phone numbers pass), so a valid dashed BRN keeps 0.5 and a bare 10-digit one 0.05. */
const validateBrnDashed: Validator = (m) => (krBrnChecksumValid(digitsOnly(m)) ? 0.5 : 0);
const validateBrnBare: Validator = (m) => (krBrnChecksumValid(m) ? undefined : 0);

const KR_DL_REGIONS = new Set(['11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23', '24', '25', '26', '28']);
/** KR_DRIVER_LICENSE: region code 11–26, 28 required (Presidio). Deviation: the check digits are not public, so a valid region gives 0.5 in the full `##-##-######-##` form and keeps 0.05 otherwise (Presidio: 1.0). */
const validateDl: Validator = (m) => {
  if (!KR_DL_REGIONS.has(m.slice(0, 2))) return 0;
  return /^\d{2}-\d{2}-\d{6}-\d{2}$/.test(m) ? 0.5 : undefined;
};
const validateMac: Validator = (m) => {
  const h = m.replace(/[:.-]/g, '').toUpperCase();
  return h === 'FFFFFFFFFFFF' || h === '000000000000' ? 0 : undefined;
};
const validateCrypto: Validator = (m) => ((m[0] === '1' || m[0] === '3' ? base58CheckValid(m) : bech32Valid(m)) ? 1 : 0);

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const okDay = (mo: number, d: number) => mo >= 1 && mo <= 12 && d >= 1 && d <= MONTH_DAYS[mo - 1];
/** Numeric dates: at least one reading (m/d or d/m) must be a real calendar day. */
const validateNumDate: Validator = (m) => {
  const p = m.split(/[-/.]/).map(Number);
  if (p[0] > 999) return okDay(p[1], p[2]) ? undefined : 0;
  return okDay(p[0], p[1]) || okDay(p[1], p[0]) ? undefined : 0;
};

// --- patterns ---------------------------------------------------------------------------------

const E = "!#$%&'*+\\-/=?^_`{|}~\\w";
const GTLDS = 'com|net|org|edu|gov|mil|int|info|biz|name|pro|io|ai|app|dev|shop|store|site|online|blog|tech|cloud|page|xyz|top|club|live|news|link|me|tv|cc|co';
const CCTLDS =
  'ac|ad|ae|af|ag|ai|al|am|ao|aq|ar|as|at|au|aw|ax|az|ba|bb|bd|be|bf|bg|bh|bi|bj|bm|bn|bo|br|bs|bt|bw|by|bz|ca|cd|cf|cg|ch|ci|ck|cl|cm|cn|cr|cu|cv|cw|cx|cy|cz|de|dj|dk|dm|do|dz|ec|ee|eg|er|es|et|eu|fi|fj|fk|fm|fo|fr|ga|gb|gd|ge|gf|gg|gh|gi|gl|gm|gn|gp|gq|gr|gs|gt|gu|gw|gy|hk|hm|hn|hr|ht|hu|id|ie|il|im|in|iq|ir|is|it|je|jm|jo|jp|ke|kg|kh|ki|km|kn|kp|kr|kw|ky|kz|la|lb|lc|li|lk|lr|ls|lt|lu|lv|ly|ma|mc|md|mg|mh|mk|ml|mm|mn|mo|mp|mq|mr|ms|mt|mu|mv|mw|mx|my|mz|na|nc|ne|nf|ng|ni|nl|no|np|nr|nu|nz|om|pa|pe|pf|pg|ph|pk|pl|pm|pn|pr|ps|pt|pw|py|qa|re|ro|rs|ru|rw|sa|sb|sc|sd|se|sg|sh|si|sk|sl|sm|sn|so|sr|st|su|sv|sx|sy|sz|tc|td|tf|tg|th|tj|tk|tl|tm|tn|to|tr|tt|tw|tz|ua|ug|uk|us|uy|uz|va|vc|ve|vg|vi|vn|vu|wf|ws|ye|yt|za|zm|zw';
const LABEL = '(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)';
const URL_PATH = "[\\w\\-.~:/?#@!$&*+,;=%']*";
const OCT = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const MON = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const DAY = '(?:3[01]|[12]\\d|0?[1-9])(?:st|nd|rd|th)?';
const DB = '(?<![\\w./-])';
const DA = '(?![\\w/-]|[.]\\d)';

/** Presidio patterns (scores as in Presidio unless noted). */
export const PATTERNS: readonly PatternDef[] = [
  // EmailRecognizer "Email (Medium)" 0.5; JS \w is ASCII so a Hangul particle right after the address is not swallowed.
  { type: 'EMAIL_ADDRESS', needs: '@', score: 0.5, validate: validateEmail,
    re: new RegExp(`(?<!://[^\\s@]*)\\b(?:[${E}]|[${E}][${E}.]*[${E}])@\\w+(?:-+\\w+)*(?:\\.\\w+(?:-+\\w+)*)+\\b`, 'g') },
  // UrlRecognizer "Standard Url" 0.6 / "Non schema URL" 0.5 (TLD list: common gTLDs + ISO 3166 ccTLDs); trailing punctuation trimmed.
  // Deviation: RFC 3986 authority with userinfo (user[:pass]@host) and the ftp scheme.
  { type: 'URL', needs: '.', score: 0.6,
    re: new RegExp(`\\b(?:https?|ftp)://(?:[\\w.~%!$&'()*+,;=:-]+@)?(?:${LABEL}+[a-z]{2,63}|${OCT}(?:\\.${OCT}){3})(?::\\d{1,5})?(?:[/?#]${URL_PATH})?`, 'gi') },
  { type: 'URL', needs: '.', score: 0.5,
    re: new RegExp(`(?<![\\w.@/-])(?:www\\d{0,3}\\.)?${LABEL}+(?:${GTLDS}|${CCTLDS})(?![\\w-])(?:/${URL_PATH})?`, 'gi') },
  // IpRecognizer IPv4 / IPv6 0.6 (IPv6 candidates validated by a parser, as Presidio's ipaddress check).
  { type: 'IP_ADDRESS', needs: '.', score: 0.6,
    re: new RegExp(`(?<![\\w.])${OCT}(?:\\.${OCT}){3}(?:/(?:3[0-2]|[12]?\\d))?(?![\\w]|\\.\\d)`, 'g') },
  { type: 'IP_ADDRESS', needs: ':', score: 0.6, validate: validateIpv6,
    re: /(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}(?:%[0-9A-Za-z]+)?(?![\w:])/g },
  // MacAddressRecognizer 0.6 (colon/hyphen with one separator kind; Cisco dotted).
  { type: 'MAC_ADDRESS', needs: 'none', score: 0.6, validate: validateMac,
    re: /\b[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}\b/g },
  { type: 'MAC_ADDRESS', needs: '.', score: 0.6, validate: validateMac, re: /\b[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\b/g },
  // CreditCardRecognizer 0.3 + Luhn → 1.0. Deviation: 2221–2720 Mastercard range added (2-series BINs, 2017).
  { type: 'CREDIT_CARD', needs: 'digit', score: 0.3, validate: validateCard,
    re: /\b(?<![\d-])(?!1\d{12}(?!\d))(?:4\d{3}|5[0-5]\d{2}|2[2-7]\d{2}|6\d{3}|1\d{3}|3\d{3})[- ]?\d{3,4}[- ]?\d{3,4}[- ]?\d{3,5}\b/g },
  // UsSsnRecognizer SSN1–SSN5 (SSN3 is subsumed by SSN5 at a higher score).
  { type: 'US_SSN', needs: 'digit', score: 0.5, validate: validateSsn, re: /\b\d{3}[- .]\d{2}[- .]\d{4}\b/g },
  { type: 'US_SSN', needs: 'digit', score: 0.05, validate: validateSsn, re: /\b\d{5}-\d{4}\b/g },
  { type: 'US_SSN', needs: 'digit', score: 0.05, validate: validateSsn, re: /\b\d{3}-\d{6}\b/g },
  { type: 'US_SSN', needs: 'digit', score: 0.05, validate: validateSsn, re: /\b\d{9}\b/g },
  // KrRrnRecognizer "RRN (Medium)" 0.5; scoring: scoreKrRrn.
  { type: 'KR_RRN', needs: 'digit', score: 0.5, validate: scoreKrRrn,
    re: /(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])-?[1-4]\d{6}(?!\d)/g },
  // KrBrnRecognizer "BRN (Weak)" 0.1 / "BRN (Very weak)" 0.05.
  { type: 'KR_BRN', needs: 'digit', score: 0.1, validate: validateBrnDashed, re: /(?<!\d)\d{3}-\d{2}-\d{5}(?!\d)/g },
  { type: 'KR_BRN', needs: 'digit', score: 0.05, validate: validateBrnBare, re: /(?<![\d-])\d{10}(?![\d-])/g },
  // KrPassportRecognizer: current (2021, letter + 3 digits + letter + 4 digits) 0.1, previous (letter + 8 digits) 0.05; G (official) added.
  // Deviation: the current form (type letter, 3 digits, a letter, 4 digits) is distinctive enough to report without a
  // context word: 0.4 (the previous form, a letter + 8 digits, looks like many codes and keeps 0.05).
  { type: 'KR_PASSPORT', needs: 'digit', score: 0.4, re: /(?<![A-Za-z0-9])[MSRODGmsrodg]\d{3}[A-Za-z]\d{4}(?!\d)/g },
  { type: 'KR_PASSPORT', needs: 'digit', score: 0.05, re: /(?<![A-Za-z0-9])[MSRODGmsrodg]\d{8}(?!\d)/g },
  // KrDriverLicenseRecognizer 0.05 (region code check).
  { type: 'KR_DRIVER_LICENSE', needs: 'digit', score: 0.05, validate: validateDl, re: /(?<!\d)\d{2}[- ]?\d{2}[- ]?\d{6}[- ]?\d{2}(?!\d)/g },
  // CryptoRecognizer "Crypto (Medium)" 0.5 + checksum → 1.0. Deviation: alphanumeric boundaries added.
  { type: 'CRYPTO', needs: 'digit', score: 0.5, validate: validateCrypto,
    re: /(?<![A-Za-z0-9])(?:bc1|BC1|[13])[a-zA-HJ-NP-Z0-9]{25,59}(?![A-Za-z0-9])/g },
  // DateRecognizer (0.8 ISO datetime; 0.6 numeric day/month/year forms; 0.2 mm/yyyy; 0.1 mm/yy).
  { type: 'DATE_TIME', needs: 'digit', score: 0.8, re: /\b\d{4}-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:[+-][0-2]\d:[0-5]\d|Z)?/g },
  { type: 'DATE_TIME', needs: 'digit', score: 0.6, validate: validateNumDate, re: new RegExp(`${DB}\\d{1,2}/\\d{1,2}/(?:\\d{4}|\\d{2})${DA}`, 'g') },
  { type: 'DATE_TIME', needs: 'digit', score: 0.6, validate: validateNumDate, re: new RegExp(`${DB}\\d{1,2}-\\d{1,2}-\\d{4}${DA}`, 'g') },
  { type: 'DATE_TIME', needs: 'digit', score: 0.6, validate: validateNumDate, re: new RegExp(`${DB}\\d{1,2}\\.\\d{1,2}\\.(?:\\d{4}|\\d{2})${DA}`, 'g') },
  // yyyy/mm/dd, yyyy-mm-dd (Presidio) and yyyy.mm.dd (Deviation: the usual Korean form).
  { type: 'DATE_TIME', needs: 'digit', score: 0.6, validate: validateNumDate, re: new RegExp(`${DB}\\d{4}([-/.])\\d{1,2}\\1\\d{1,2}${DA}`, 'g') },
  { type: 'DATE_TIME', needs: 'digit', score: 0.6, re: new RegExp(`${DB}${DAY}-(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)(?:-(?:\\d{4}|\\d{2}))?\\b`, 'gi') },
  { type: 'DATE_TIME', needs: 'digit', score: 0.2, re: new RegExp(`${DB}(?:1[0-2]|0?[1-9])/\\d{4}${DA}`, 'g') },
  { type: 'DATE_TIME', needs: 'digit', score: 0.1, re: new RegExp(`${DB}(?:1[0-2]|0?[1-9])/\\d{2}${DA}`, 'g') },
  // Deviation (English long forms, case-sensitive month names): "March 5, 2024", "Mar. 5th", "5 March 2024", "5th of March".
  { type: 'DATE_TIME', needs: 'digit', score: 0.6, re: new RegExp(`\\b${MON}\\.? ${DAY}\\b(?:,? \\d{4}\\b)?`, 'g') },
  { type: 'DATE_TIME', needs: 'digit', score: 0.6, re: new RegExp(`\\b${DAY} (?:of )?${MON}\\b\\.?(?:,? \\d{4}\\b)?`, 'g') },
  // Deviation (Korean): "2024년 3월 5일", "3월 5일", "2024년 3월".
  { type: 'DATE_TIME', needs: 'digit', score: 0.6, re: /(?<!\d)(?:\d{4}\s?년\s?)?(?:1[0-2]|0?[1-9])\s?월\s?(?:3[01]|[12]\d|0?[1-9])\s?일/g },
  { type: 'DATE_TIME', needs: 'digit', score: 0.4, re: /(?<!\d)\d{4}\s?년\s?(?:1[0-2]|0?[1-9])\s?월(?!\s?\d)/g },
];

/**
 * IBAN (IbanRecognizer "IBAN Generic" 0.5): upper-case only; when the whole match does not validate,
 * shorter prefixes ending at a group boundary are tried (Presidio retries without its optional trailing
 * groups; we also drop trailing 4-character groups, e.g. a year written right after a compact IBAN).
 * First valid (ISO 13616 length + mod-97) → 1.0; none → dropped.
 */
const IBAN_RE = /(?<![A-Z0-9])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,3})?(?![A-Z0-9])/g;
const IBAN_TAIL = /[ -]?[A-Z0-9]{1,4}$/;

export function findIbans(text: string, out: RawHit[]): void {
  IBAN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = IBAN_RE.exec(text))) {
    let s = m[0];
    while (s.length >= 15) {
      if (ibanValid(s.replace(/[ -]/g, ''))) {
        out.push({ entity_type: 'IBAN_CODE', start: m.index, end: m.index + s.length, score: 1 });
        break;
      }
      s = s.replace(IBAN_TAIL, '');
    }
  }
}
