/**
 * PII detection and redaction in the style of Microsoft Presidio (presidio-analyzer +
 * presidio-anonymizer), without an NLP model:
 *
 * 1. **Recognizers** (see `pii/recognizers.ts`): one regex per Presidio pattern with Presidio's base
 *    score; validation (Luhn, ISO 13616 mod-97, RRN/BRN check digits, Base58Check, bech32, IP parsing,
 *    SSN invalid-pattern rules) raises a hit to 1.0 or drops it; phone numbers come from
 *    `libphonenumber-js` run on candidate substrings; PERSON from a name dictionary and heuristics.
 * 2. **Context enhancement**, as Presidio's `LemmaContextAwareEnhancer` defaults: when one of the
 *    entity's context words is a substring of one of the 5 word tokens before the hit (lower-cased;
 *    no lemmatization), score += 0.35, at least 0.4, at most 1.0. Generic words (number, 번호) count only
 *    when no other entity's words are present. Deviation: negative context words (order, tracking,
 *    version, section, 주문번호 …, {@link NEGATIVE_CONTEXT_WORDS}) lower a hit not validated by a checksum by 0.35.
 * 3. **Threshold** (default {@link DEFAULT_PII_THRESHOLD}) then **overlap resolution**: hits are
 *    taken greedily by higher score, then longer span, then earlier start; a hit overlapping an
 *    accepted one is dropped.
 *
 * Offsets are JavaScript string (UTF-16 code unit) indices, `end` exclusive.
 *
 * Not portable (no Snowflake bundling): Base58Check uses SHA-256 and pseudonyms use HMAC-SHA256 from
 * `node:crypto`, and phone parsing needs libphonenumber-js.
 *
 * Known limits: PERSON has no NER model — it finds dictionary names plus names next to titles,
 * honorifics, relation words or on signature lines, so names in free prose are missed and capitalized
 * phrases after "Dear"/"partner" may be false hits; URLs without a scheme need a TLD from a built-in
 * list; e-mail domains are checked for an alphabetic TLD, not against the public-suffix list;
 * internationalized (Unicode) e-mail domains are not matched; phone numbers are looked up for KR, US,
 * GB and `+` international forms only.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { utf8Bytes } from './pii/checksums.js';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import {
  CONTEXT_WORDS, createNameDictionary, PHONE_REGIONS, PII_ENTITY_TYPES, runRecognizers, type NameDictionary, type PiiEntityType, type RawHit,
} from './pii/recognizers.js';

export { createNameDictionary, PII_ENTITY_TYPES, type NameDictionary, type PiiEntityType } from './pii/recognizers.js';

/** One detected entity: type, UTF-16 span `[start, end)`, score in (0, 1], and the matched text. */
export interface PiiEntity {
  entity_type: PiiEntityType;
  start: number;
  end: number;
  score: number;
  text: string;
}

/** Options of {@link detectPii}. */
export interface DetectPiiOptions {
  /** Entity types to look for (default: all of {@link PII_ENTITY_TYPES}). */
  entities?: readonly PiiEntityType[];
  /** Minimum final score (after context) to report (default {@link DEFAULT_PII_THRESHOLD}; 0 reports everything, as Presidio's default). */
  threshold?: number;
  /** Known person names (e.g. the customers' names): a compiled dictionary or a plain list (compiling a list costs time on every call: compile once with `createNameDictionary`). */
  names?: NameDictionary | readonly string[];
}

/**
 * Default score threshold: 0.3 keeps validated hits (1.0), Presidio's medium patterns (0.4–0.6) and
 * weak patterns lifted by a context word (0.05 + 0.35 = 0.4), and drops weak patterns without context
 * (US_SSN bare 9 digits 0.05, KR_PASSPORT 0.05/0.1, KR_BRN bare 0.05, KR_DRIVER_LICENSE 0.05, KR_RRN
 * failing its check digit 0.2, short dates mm/yy 0.1–0.2).
 */
export const DEFAULT_PII_THRESHOLD = 0.3;

/** Presidio LemmaContextAwareEnhancer defaults. */
const CONTEXT_FACTOR = 0.35;
const CONTEXT_MIN_SCORE = 0.4;
const CONTEXT_PREFIX_WORDS = 5;

const ALL_TYPES: ReadonlySet<PiiEntityType> = new Set(PII_ENTITY_TYPES);
const typeSetCache = new Map<string, ReadonlySet<PiiEntityType>>();

function typeSet(entities: readonly PiiEntityType[] | undefined): ReadonlySet<PiiEntityType> {
  if (!entities) return ALL_TYPES;
  const key = entities.join(',');
  let s = typeSetCache.get(key);
  if (!s) {
    s = new Set(entities);
    if (typeSetCache.size < 256) typeSetCache.set(key, s);
  }
  return s;
}

const PREV_WORDS = /[\p{L}\p{N}#'-]+/gu;

/** The up-to-5 lower-cased word tokens before `start` (looking back at most 100 characters). */
function prefixWords(text: string, start: number): string[] {
  const win = text.slice(Math.max(0, start - 100), start).toLowerCase();
  const words = win.match(PREV_WORDS) ?? [];
  return words.length > CONTEXT_PREFIX_WORDS ? words.slice(-CONTEXT_PREFIX_WORDS) : words;
}

/**
 * Context words so general that they name many entities ("number", 번호: 주민등록번호, 사업자번호, 운전면허번호…):
 * they count for PHONE_NUMBER only when no other entity's context word is among the prefix words.
 */
const GENERIC_CONTEXT = new Set(['number', '번호']);

/**
 * Negative context (Deviation: Presidio has none): when one of these words is among the 5 words before a hit
 * that was not validated by a checksum (score < 1) and no context word of its own entity is, the hit is
 * lowered by the context factor. Matched as whole words; Korean ones also with a particle (주문번호는, 운송장번호:).
 * Identifier words (order, invoice, ticket, tracking, 주문, 운송장 …) apply to the number-only entities
 * (phone, SSN, RRN, BRN, passport, driver's licence); version and section words (version, build, release,
 * section, 버전 …) to those and to IP addresses and dates (1.2.3.4, 3.12.20).
 */
export const NEGATIVE_CONTEXT_WORDS: Readonly<Record<'identifier' | 'version', readonly string[]>> = {
  identifier: ['order', 'orders', 'invoice', 'inv', 'ticket', 'tracking', 'shipment', 'parcel', 'sku', '주문', '주문번호', '운송장', '운송장번호', '송장', '송장번호', '영수증', '티켓'],
  version: ['version', 'ver', 'build', 'release', 'firmware', 'chrome', 'windows', 'section', 'chapter', 'clause', 'article', '버전'],
};
const NUMBER_ONLY: ReadonlySet<PiiEntityType> = new Set(['PHONE_NUMBER', 'US_SSN', 'KR_RRN', 'KR_BRN', 'KR_PASSPORT', 'KR_DRIVER_LICENSE']);
const VERSION_LIKE: ReadonlySet<PiiEntityType> = new Set([...NUMBER_ONLY, 'IP_ADDRESS', 'DATE_TIME']);
const negativeMatcher = (list: readonly string[]) => {
  const set = new Set(list);
  const korean = new RegExp(`^(?:${list.filter((w) => /[가-힣]/.test(w)).join('|')})(?:은|는|이|가|을|를|의|도|로|으로)?$`);
  return (w: string) => set.has(w) || korean.test(w);
};
const IS_IDENTIFIER_WORD = negativeMatcher(NEGATIVE_CONTEXT_WORDS.identifier);
const IS_VERSION_WORD = negativeMatcher(NEGATIVE_CONTEXT_WORDS.version);

function enhance(text: string, hits: RawHit[]): void {
  for (const h of hits) {
    if (h.score >= 1) continue;
    const words = prefixWords(text, h.start);
    const matches = (e: PiiEntityType, generic: boolean) => words.some((w) => CONTEXT_WORDS[e].some((c) => (generic || !GENERIC_CONTEXT.has(c)) && w.includes(c)));
    const negative = (NUMBER_ONLY.has(h.entity_type) && words.some(IS_IDENTIFIER_WORD)) || (VERSION_LIKE.has(h.entity_type) && words.some(IS_VERSION_WORD));
    let own = matches(h.entity_type, false);
    if (!own && matches(h.entity_type, true)) {
      // only a generic word ("number", 번호): it counts unless the words say order/ticket/… or name another entity
      own = !negative && !PII_ENTITY_TYPES.some((e) => e !== h.entity_type && e !== 'PERSON' && matches(e, false));
    }
    if (own) {
      h.score = Math.min(1, Math.max(h.score + CONTEXT_FACTOR, CONTEXT_MIN_SCORE));
    } else if (negative) {
      h.score = Math.max(0, h.score - CONTEXT_FACTOR);
    }
  }
}

/** Tie-break between equal scores and lengths: the more specific validation wins (an RRN's date + check digit over a card's Luhn). */
const TIE_RANK: Readonly<Record<PiiEntityType, number>> = {
  EMAIL_ADDRESS: 0, URL: 1, IBAN_CODE: 2, CRYPTO: 3, KR_RRN: 4, US_SSN: 5, CREDIT_CARD: 6, MAC_ADDRESS: 7, IP_ADDRESS: 8,
  KR_BRN: 9, KR_DRIVER_LICENSE: 10, KR_PASSPORT: 11, PHONE_NUMBER: 12, DATE_TIME: 13, PERSON: 14,
};

/** Greedy overlap resolution: higher score, then longer span, then {@link TIE_RANK}, then earlier start wins; result sorted by start. */
function resolve(hits: RawHit[]): RawHit[] {
  hits.sort((a, b) => b.score - a.score || (b.end - b.start) - (a.end - a.start) || TIE_RANK[a.entity_type] - TIE_RANK[b.entity_type] || a.start - b.start);
  const kept: RawHit[] = [];
  for (const h of hits) {
    if (kept.every((k) => h.end <= k.start || h.start >= k.end)) kept.push(h);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Finds PII in a text.
 * @returns non-overlapping entities sorted by `start`, each `{entity_type, start, end, score, text}`
 *   with UTF-16 offsets (`end` exclusive) and scores as described in the module docs
 * @example detectPii('Call 010-1234-5678') // → [{ entity_type: 'PHONE_NUMBER', start: 5, end: 18, score: 0.75, text: '010-1234-5678' }]
 */
export function detectPii(text: string, options: DetectPiiOptions = {}): PiiEntity[] {
  if (!text) return [];
  const threshold = options.threshold ?? DEFAULT_PII_THRESHOLD;
  const names = options.names;
  const dict = names === undefined ? undefined : isDictionary(names) ? names : createNameDictionaryLazy(names);
  // Redaction tokens this library wrote (<EMAIL_ADDRESS>, <PHONE_NUMBER:1a2b3c4d5e6f7a8b>) are not PII: blank
  // them (same length, so offsets hold) before the recognizers run, or a hex pseudonym made only of
  // digits could read as a phone number.
  const scanned = text.includes('<') ? text.replace(REDACTION_TOKEN, (m) => ' '.repeat(m.length)) : text;
  const hits = runRecognizers(scanned, typeSet(options.entities), dict);
  enhance(scanned, hits);
  const kept = resolve(hits.filter((h) => h.score >= threshold && h.score > 0));
  return kept.map((h) => ({ entity_type: h.entity_type, start: h.start, end: h.end, score: round(h.score), text: text.slice(h.start, h.end) }));
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** A redaction token written by {@link redactPii}: `<TYPE>` or `<TYPE:16 hex digits>` (8 digits from earlier versions are still recognized). */
const REDACTION_TOKEN = /<[A-Z][A-Z0-9_]*(?::[0-9a-f]{8}(?:[0-9a-f]{8})?)?>/g;

function isDictionary(n: NameDictionary | readonly string[]): n is NameDictionary {
  return !Array.isArray(n);
}

const dictCache = new WeakMap<readonly string[], NameDictionary>();
function createNameDictionaryLazy(list: readonly string[]): NameDictionary {
  let d = dictCache.get(list);
  if (!d) {
    d = createNameDictionary(list);
    dictCache.set(list, d);
  }
  return d;
}

// --- pseudonyms -------------------------------------------------------------------------------

/**
 * Canonical form of a PII value before hashing, so equal values written differently get the same
 * pseudonym: e-mails trimmed and lower-cased; phone numbers in E.164 (`+` + digits) when
 * libphonenumber can parse them (with `+`, else trying KR, US, GB in order), otherwise digits only;
 * card, SSN, RRN, BRN, driver licence numbers digits only; IBAN, passport upper-case alphanumerics;
 * MAC lower-case hex without separators; IP, URL, crypto and dates trimmed (IP and bech32 lower-cased);
 * person names NFC, lower-cased, single-spaced.
 */
export function normalizePiiValue(value: string, type: PiiEntityType | string): string {
  const v = value.trim();
  switch (type) {
    case 'EMAIL_ADDRESS': return v.toLowerCase();
    case 'PHONE_NUMBER': {
      const digits = v.replace(/\D/g, '');
      if (v.startsWith('+')) {
        const p = parsePhoneNumberFromString(v);
        return p ? p.number : '+' + digits;
      }
      for (const region of PHONE_REGIONS) {
        const p = parsePhoneNumberFromString(v, region);
        if (p && p.isValid()) return p.number;
      }
      return digits;
    }
    case 'CREDIT_CARD': case 'US_SSN': case 'KR_RRN': case 'KR_BRN': case 'KR_DRIVER_LICENSE':
      return v.replace(/\D/g, '');
    case 'IBAN_CODE': case 'KR_PASSPORT': return v.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
    case 'MAC_ADDRESS': return v.replace(/[^0-9A-Fa-f]/g, '').toLowerCase();
    case 'IP_ADDRESS': return v.toLowerCase();
    case 'CRYPTO': return /^bc1/i.test(v) ? v.toLowerCase() : v;
    case 'PERSON': return v.normalize('NFC').toLowerCase().replace(/\s+/g, ' ');
    default: return v;
  }
}

/**
 * Keyed pseudonym `<TYPE:xxxxxxxxxxxxxxxx>`: the first 16 hex digits (64 bits) of HMAC-SHA256(key, `TYPE` + NUL +
 * normalized value) ({@link normalizePiiValue}). Same key + type + value → same token in every table,
 * so joins on pseudonymized columns keep working; without the key the value cannot be recovered or
 * confirmed by guessing. 64 bits, so that pseudonyms stay unique keys: by the birthday bound
 * p ≈ n²/2⁶⁵, a collision among 10 million distinct values of one type has probability ~3·10⁻⁶ (32 bits,
 * used before, gave ~1 % at 10,000 values and made unique tests on pseudonyms flaky).
 */
export function piiPseudonym(value: string, type: PiiEntityType | string, key: string): string {
  if (!key) throw new Error('piiPseudonym: an HMAC key is required');
  const h = bytesToHex(hmac(sha256, utf8Bytes(key), utf8Bytes(`${type}\u0000${normalizePiiValue(value, type)}`)));
  return `<${type}:${h.slice(0, 16)}>`;
}

// --- redaction --------------------------------------------------------------------------------

/** Redaction style: `<TYPE>`, keyed `<TYPE:hash16>`, or partial masking that keeps a few characters. */
export type RedactionMode = 'mask' | 'hash' | 'partial';

/** Options of {@link redactPii}. */
export interface RedactPiiOptions {
  /** Entity types to redact (default all). */
  entities?: readonly PiiEntityType[];
  /** Default `'mask'`. */
  mode?: RedactionMode;
  /** HMAC key, required for `'hash'`. */
  key?: string;
  /** Score threshold (default {@link DEFAULT_PII_THRESHOLD}). */
  threshold?: number;
  /** Person-name dictionary, as in {@link DetectPiiOptions.names}. */
  names?: NameDictionary | readonly string[];
}

const keepLastDigits = (s: string, keep: number, skipFirstRun = false): string => {
  let total = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) total++;
  let seen = 0;
  let out = '';
  let inFirstRun = skipFirstRun;
  let started = false;
  for (const ch of s) {
    const isD = ch >= '0' && ch <= '9';
    if (isD) {
      started = true;
      seen++;
      out += inFirstRun || seen > total - keep ? ch : '*';
    } else {
      if (started) inFirstRun = false;
      out += ch;
    }
  }
  return out;
};

/**
 * Partial mask of a value: e-mail `j***@example.com`; phone keeps the first digit group (country or
 * area code / 010) and the last 4 digits (`010-****-5678`); card `**** **** **** 1234`; IBAN keeps the
 * country code and last 4; US SSN `***-**-6789`; KR RRN keeps birth date and gender digit
 * (`900101-1******`, the usual Korean practice); IPv4 keeps two octets; MAC keeps the vendor OUI; URL
 * keeps scheme and host; person keeps the first character (and last of 3+-character Hangul names);
 * other values keep the first 2 and last 2 characters.
 */
export function partialMask(value: string, type: PiiEntityType | string): string {
  switch (type) {
    case 'EMAIL_ADDRESS': {
      const at = value.lastIndexOf('@');
      return at <= 0 ? '***' : value[0] + '***' + value.slice(at);
    }
    case 'PHONE_NUMBER': {
      const digitCount = value.replace(/\D/g, '').length;
      const hasGroups = /\d[^\d]+\d/.test(value);
      if (hasGroups) return keepLastDigits(value, 4, true);
      const head = value.startsWith('+') ? 3 : 3;
      let seen = 0;
      return value.replace(/\d/g, (d) => (++seen <= head || seen > digitCount - 4 ? d : '*'));
    }
    case 'CREDIT_CARD': case 'US_SSN': case 'KR_BRN': case 'KR_DRIVER_LICENSE': return keepLastDigits(value, 4);
    case 'IBAN_CODE': {
      let seen = 0;
      const n = value.replace(/[^0-9A-Za-z]/g, '').length;
      return value.replace(/[0-9A-Za-z]/g, (c) => (++seen <= 2 || seen > n - 4 ? c : '*'));
    }
    case 'KR_RRN': {
      let seen = 0;
      return value.replace(/\d/g, (d) => (++seen <= 7 ? d : '*'));
    }
    case 'IP_ADDRESS':
      if (value.includes('.') && !value.includes(':')) return value.split('.').map((p, i) => (i < 2 ? p : '*')).join('.');
      return value.split(':').map((p, i) => (i < 2 ? p : p ? '*' : '')).join(':');
    case 'MAC_ADDRESS': {
      let seen = 0;
      return value.replace(/[0-9A-Fa-f]/g, (c) => (++seen <= 6 ? c : '*'));
    }
    case 'URL': {
      const m = /^((?:https?:\/\/)?[^/?#]+)(.*)$/i.exec(value);
      return m && m[2] ? m[1] + '/***' : value;
    }
    case 'PERSON': {
      const chars = [...value];
      if (chars.length <= 1) return '*';
      if (/^[가-힣 ]+$/.test(value) && chars.length >= 3) return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
      return chars.map((c, i) => (i === 0 || c === ' ' ? c : '*')).join('');
    }
    default: {
      const chars = [...value];
      if (chars.length <= 4) return '*'.repeat(chars.length);
      return chars.map((c, i) => (i < 2 || i >= chars.length - 2 || !/[\p{L}\p{N}]/u.test(c) ? c : '*')).join('');
    }
  }
}

/**
 * Replaces detected PII (see {@link detectPii}) in a text: `mask` → `<EMAIL_ADDRESS>`, `hash` →
 * {@link piiPseudonym} (needs `key`), `partial` → {@link partialMask}.
 * @throws when `mode` is `'hash'` and no key is given
 */
export function redactPii(text: string, options: RedactPiiOptions = {}): string {
  const mode = options.mode ?? 'mask';
  if (mode === 'hash' && !options.key) throw new Error("redactPii: mode 'hash' needs a key");
  if (!text) return text;
  const found = detectPii(text, options);
  if (found.length === 0) return text;
  let out = '';
  let last = 0;
  for (const e of found) {
    out += text.slice(last, e.start);
    out += mode === 'mask' ? `<${e.entity_type}>` : mode === 'hash' ? piiPseudonym(e.text, e.entity_type, options.key!) : partialMask(e.text, e.entity_type);
    last = e.end;
  }
  return out + text.slice(last);
}
