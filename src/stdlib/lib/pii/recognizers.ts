/**
 * Pattern recognizers for {@link ../../pii.js detectPii}, modelled on Microsoft Presidio's predefined
 * recognizers (presidio-analyzer/predefined_recognizers, read 2026-07): each has a regex with a base
 * score, optional validation (a valid checksum raises the score to 1.0, an invalid one drops the
 * candidate, "cannot tell" keeps the base score) and context words used by the context enhancer.
 * Regexes are compiled once at module load and reused (`lastIndex` is reset per call).
 * Deviations from Presidio are marked "Deviation".
 */
import { findNumbers, findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/min';
import { base58CheckValid, bech32Valid, ibanValid, ipv6Valid, krBrnChecksumValid, krRrnChecksumValid, luhnValid } from './checksums.js';

/** Entity types detected, named as in Presidio (KR_* as in Presidio's `country_specific/korea`). */
export type PiiEntityType =
  | 'EMAIL_ADDRESS' | 'PHONE_NUMBER' | 'CREDIT_CARD' | 'IBAN_CODE' | 'IP_ADDRESS' | 'URL' | 'US_SSN'
  | 'KR_RRN' | 'KR_BRN' | 'KR_PASSPORT' | 'KR_DRIVER_LICENSE' | 'MAC_ADDRESS' | 'CRYPTO' | 'DATE_TIME' | 'PERSON';

/** All supported entity types, in a stable order. */
export const PII_ENTITY_TYPES: readonly PiiEntityType[] = [
  'EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'IBAN_CODE', 'IP_ADDRESS', 'URL', 'US_SSN', 'KR_RRN', 'KR_BRN',
  'KR_PASSPORT', 'KR_DRIVER_LICENSE', 'MAC_ADDRESS', 'CRYPTO', 'DATE_TIME', 'PERSON',
];

/** A raw recognizer hit before context enhancement and overlap resolution (`end` exclusive, UTF-16). */
export interface RawHit {
  entity_type: PiiEntityType;
  start: number;
  end: number;
  score: number;
}

/**
 * Validation outcome for a matched string: a number replaces the pattern score (0 drops the hit),
 * `undefined` keeps the pattern score.
 */
type Validator = (m: string) => number | undefined;

interface PatternDef {
  readonly type: PiiEntityType;
  readonly re: RegExp;
  readonly score: number;
  readonly validate?: Validator;
  /** Cheap pre-check on the whole text; the regex is skipped when false. */
  readonly needs: 'digit' | '@' | '.' | ':' | 'none';
}

/** Context words per entity (lower-case; matched as substrings of the 5 word tokens before a hit, as Presidio's LemmaContextAwareEnhancer in its default "substring" mode). Korean words added here. */
export const CONTEXT_WORDS: Readonly<Record<PiiEntityType, readonly string[]>> = {
  EMAIL_ADDRESS: ['email', 'e-mail', 'mail', '메일', '이메일'],
  PHONE_NUMBER: ['phone', 'number', 'telephone', 'cell', 'cellphone', 'mobile', 'call', 'tel', '연락처', '전화', '휴대폰', '핸드폰', '번호'],
  CREDIT_CARD: ['credit', 'card', 'visa', 'mastercard', 'cc', 'amex', 'discover', 'jcb', 'diners', 'maestro', 'instapayment', '카드'],
  IBAN_CODE: ['iban', 'bank', 'transaction', '계좌', '은행'],
  IP_ADDRESS: ['ip', 'ipv4', 'ipv6', '아이피'],
  URL: ['url', 'website', 'link', '링크', '주소', '사이트'],
  US_SSN: ['social', 'security', 'ssn', 'ssns', 'ssid'],
  KR_RRN: ['rrn', 'resident', 'registration', '주민등록번호', '주민번호', '주민'],
  KR_BRN: ['사업자등록번호', '사업자번호', '사업자', 'brn', 'business', 'tax'],
  KR_PASSPORT: ['passport', '여권'],
  KR_DRIVER_LICENSE: ['운전면허', '운전면허번호', '면허번호', 'driver', 'license', 'licence'],
  MAC_ADDRESS: ['mac', 'hardware', 'physical', 'ethernet'],
  CRYPTO: ['wallet', 'btc', 'bitcoin', 'crypto', '비트코인', '지갑'],
  DATE_TIME: ['date', 'birthday', 'born', 'dob', '날짜', '생일', '생년월일', '일자'],
  PERSON: ['mr', 'mrs', 'ms', 'miss', 'dr', 'dear', 'name', 'partner', 'colleague', 'customer', '고객', '님', '씨', '성명', '이름', '상담원', '담당자'],
};

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

function findIbans(text: string, out: RawHit[]): void {
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

// --- phone numbers ----------------------------------------------------------------------------

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
function findPhones(text: string, prior: readonly RawHit[], out: RawHit[]): void {
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

// --- persons ----------------------------------------------------------------------------------

/** Common Korean surnames (Statistics Korea 2015 census, the ~90 most frequent, incl. two-syllable ones). */
const KO_SURNAMES = new Set(('김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 남 심 노 하 곽 성 차 주 우 구 민 나 진 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 설 마 길 연 위 표 명 기 반 라 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 예 경 봉 사 부 황보 남궁 제갈 선우 독고').split(' '));
/** Nouns that look like surname + syllable before 님/씨 but are titles, not names. */
const KO_NAME_STOP = new Set(['고객', '선생', '사장', '기사', '부장', '과장', '대리', '차장', '이사', '회원', '주인', '손님', '관리', '상담', '직원', '원장', '소장', '실장', '팀장', '국장', '교수', '박사', '변호', '작가', '감독']);
const KO_SURNAME_ALT = [...KO_SURNAMES].sort((a, b) => b.length - a.length).join('|');
const KO_NAME = new RegExp(`(?<![가-힣])(${KO_SURNAME_ALT}) ?([가-힣]{1,2})(?=( ?(?:고객님|님|씨|드림|올림))|[^가-힣]|$)`, 'g');
/** Context right before a Korean name (same line): 고객 김민수, 상담원 김민수, 가족인 김민수, 성명: 김민수 … */
const KO_CONTEXT_BEFORE = /(?:고객|상담원|담당자|가족인?|성명|이름|작성자|보호자|수령인|받는 ?분|보내는 ?분|예금주|명의자?|배우자인?|친구인?|동생인?|언니인?|누나인?|형인?|오빠인?|엄마인?|아빠인?|남편인?|아내인?)\s?[:은는이가]?\s?$/;
/** Any 2–4-syllable Hangul word followed by 님/씨 (for rare surnames outside KO_SURNAMES), accepted only after a context word. */
const KO_ANY_HONORIFIC = /(?<![가-힣])([가-힣]{2,4})(?= ?(?:님|씨))/g;
/** A capitalized name word: Smith, O'Brien, MacGyver, Na-yeon, Jean-Luc. */
const NW = "(?:[A-Z]'[A-Z][a-z]+|[A-Z][a-z]+(?:['-]?[A-Z][a-z]+|-[a-z]+)?)";
const EN_TITLE = new RegExp(`\\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Dear|partner|colleague|wife|husband|friend|son|daughter|mother|father|brother|sister|name is|spoke (?:with|to))\\.?\\s+(?!(?:Mr|Mrs|Ms|Miss|Dr|Prof)\\b)(${NW}(?: ${NW}){0,2})`, 'g');
const EN_STOP = new Set(['Customer', 'Sir', 'Madam', 'Team', 'Support', 'Service', 'All', 'Friend', 'Friends', 'Valued', 'Sales', 'Shop', 'Store']);
const SIGN_OFF = /^(?:thanks|thank you|many thanks|best|best regards|kind regards|warm regards|regards|cheers|sincerely|yours sincerely|yours|all the best|감사합니다|고맙습니다|빠른 답변 부탁드립니다|확인 부탁드립니다\.? 감사합니다)[,.!]?$/i;
/** Looser name word for signature lines, where the whole line must be the name: A, O, D'angelo, McGlynn-Morissette, Gang-u. */
const NW_LOOSE = "[A-Z][a-z]*(?:['-]?[A-Za-z][a-z]*)*";
const EN_SIG_LINE = new RegExp(`^${NW_LOOSE}(?: ${NW_LOOSE}){0,3}$`);
const KO_SIG_LINE = new RegExp(`^(${KO_SURNAME_ALT}) ?([가-힣]{1,2})(?: (?:드림|올림))?$`);

/**
 * A compiled name dictionary for PERSON detection: built once from e.g. the customers' names
 * (`createNameDictionary`), then passed to every `detectPii` call.
 */
export interface NameDictionary {
  /** Normalized names: lower-case, single spaces; Hangul names also without spaces. */
  readonly names: ReadonlySet<string>;
  /** Most words in a Latin-script name. */
  readonly maxWords: number;
}

/**
 * Compiles a name dictionary. Names of fewer than 2 characters are ignored; Latin names are matched
 * case-insensitively on whole words, Hangul names with or without a space between surname and given
 * name, and also when a particle follows (김민수님이).
 */
export function createNameDictionary(names: Iterable<string>): NameDictionary {
  const set = new Set<string>();
  let maxWords = 1;
  for (const raw of names) {
    const n = raw.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
    if (n.length < 2) continue;
    if (/^[가-힣 ]+$/.test(n)) set.add(n.replace(/ /g, ''));
    else {
      set.add(n);
      maxWords = Math.max(maxWords, n.split(' ').length);
    }
  }
  return { names: set, maxWords: Math.min(maxWords, 4) };
}

const WORD = /[\p{L}\p{M}'-]+/gu;

function findDictionaryNames(text: string, dict: NameDictionary, out: RawHit[]): void {
  const toks: { s: number; e: number; w: string }[] = [];
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(text))) toks.push({ s: m.index, e: m.index + m[0].length, w: m[0].toLowerCase() });
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (/^[가-힣]/.test(t.w)) {
      // Hangul: the token itself or its 2–4-syllable prefix (particles attached), or two tokens joined ("김 민수")
      let hit = false;
      for (let len = Math.min(4, t.w.length); len >= 2 && !hit; len--) {
        if (dict.names.has(t.w.slice(0, len))) {
          out.push({ entity_type: 'PERSON', start: t.s, end: t.s + len, score: 0.85 });
          hit = true;
        }
      }
      const n = toks[i + 1];
      if (!hit && n && t.w.length <= 2 && n.s === t.e + 1 && text[t.e] === ' ') {
        for (let len = Math.min(3, n.w.length); len >= 1; len--) {
          if (dict.names.has(t.w + n.w.slice(0, len))) {
            out.push({ entity_type: 'PERSON', start: t.s, end: n.s + len, score: 0.85 });
            break;
          }
        }
      }
      continue;
    }
    let key = t.w;
    for (let k = 0; k < dict.maxWords; k++) {
      if (k > 0) {
        const n = toks[i + k];
        if (!n || n.s !== toks[i + k - 1].e + 1 || text[n.s - 1] !== ' ') break;
        key += ' ' + n.w;
      }
      // Single Latin words (first names alone) are ambiguous: 0.5, raised by context.
      if (dict.names.has(key)) out.push({ entity_type: 'PERSON', start: t.s, end: toks[i + k].e, score: k > 0 ? 0.85 : 0.5 });
    }
  }
}

function koNameOk(fam: string, given: string): boolean {
  return KO_SURNAMES.has(fam) && !KO_NAME_STOP.has(fam + given) && !KO_NAME_STOP.has((fam + given).slice(0, 2));
}

/**
 * Heuristic PERSON patterns (0.6; no NER model): Korean surname + 1–2-syllable given name followed by
 * an honorific (님, 씨, 고객님, 드림, 올림) or preceded by a context word (고객, 상담원, 가족 …);
 * English capitalized names after a title or relation word (Mr, Dear, partner, colleague, name is …);
 * and signature lines: a line holding only a name right after a sign-off line (Thanks, / 감사합니다.).
 */
function findPersonPatterns(text: string, out: RawHit[]): void {
  KO_NAME.lastIndex = 0;
  let m: RegExpExecArray | null;
  if (/[가-힣]/.test(text)) {
    while ((m = KO_NAME.exec(text))) {
      const [all, fam, given, honor] = m;
      if (!koNameOk(fam, given)) continue;
      const end = m.index + all.length;
      const ok = honor !== undefined || KO_CONTEXT_BEFORE.test(text.slice(Math.max(0, m.index - 10), m.index));
      if (ok) out.push({ entity_type: 'PERSON', start: m.index, end, score: 0.6 });
    }
    KO_ANY_HONORIFIC.lastIndex = 0;
    while ((m = KO_ANY_HONORIFIC.exec(text))) {
      if (KO_NAME_STOP.has(m[1].slice(0, 2)) || !KO_CONTEXT_BEFORE.test(text.slice(Math.max(0, m.index - 10), m.index))) continue;
      out.push({ entity_type: 'PERSON', start: m.index, end: m.index + m[1].length, score: 0.6 });
    }
  }
  EN_TITLE.lastIndex = 0;
  while ((m = EN_TITLE.exec(text))) {
    const name = m[1];
    const first = name.split(' ')[0];
    if (EN_STOP.has(first)) continue;
    const start = m.index + m[0].length - name.length;
    out.push({ entity_type: 'PERSON', start, end: start + name.length, score: 0.6 });
  }
  // signature lines
  let prev = '';
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const line = text.slice(pos, nl).trim();
    if (line && SIGN_OFF.test(prev)) {
      const off = pos + text.slice(pos, nl).indexOf(line);
      if (EN_SIG_LINE.test(line) && !EN_STOP.has(line.split(' ')[0])) out.push({ entity_type: 'PERSON', start: off, end: off + line.length, score: 0.6 });
      else {
        const k = KO_SIG_LINE.exec(line);
        if (k && KO_SURNAMES.has(k[1])) {
          const len = k[0].length - (/ (?:드림|올림)$/.test(k[0]) ? 3 : 0);
          out.push({ entity_type: 'PERSON', start: off, end: off + len, score: 0.6 });
        }
      }
    }
    if (line) prev = line;
    pos = nl + 1;
  }
}

// --- driver -----------------------------------------------------------------------------------

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
