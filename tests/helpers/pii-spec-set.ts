/**
 * A labelled PII test set written from the entities' specifications (not from any recognizer's own test
 * cases, and not from the demo's email templates): values are generated with a seeded PRNG so that each
 * one satisfies its specification, then placed in sentences with and without the context words Presidio
 * uses, plus negative sentences that hold lookalikes (numbers failing the checksum, dates, versions, order
 * ids, tracking numbers, prices, timestamps) and no PII.
 *
 * Specifications used per entity:
 * - KR_RRN: 주민등록번호 YYMMDD-GNNNNNC, G = 1/2 (1900s), 3/4 (2000s); C = (11 − Σ wᵢdᵢ mod 11) mod 10 with
 *   w = 2,3,4,5,6,7,8,9,2,3,4,5 for numbers issued before October 2020; since then the last six digits are
 *   random (Ministry of the Interior and Safety, 2020 reform), so post-2020 births get random suffixes.
 * - KR_BRN: 사업자등록번호 XXX-XX-XXXXX, check digit by the National Tax Service rule (weights 1,3,7,1,3,7,1,3,5,
 *   plus ⌊5·d₉/10⌋, C = (10 − Σ mod 10) mod 10); tax-office codes 101–899, type codes 01–99.
 * - KR_PASSPORT: since December 2021 a type letter (M multiple, S single, R travel certificate, O official,
 *   D diplomatic) + 3 digits + a letter + 4 digits (M123A4567); before, the type letter + 8 digits.
 * - KR_DRIVER_LICENSE: RR-YY-NNNNNN-CC, RR a regional code 11–26 or 28 (Korean National Police Agency).
 * - US_SSN: AAA-GG-SSSS (SSA): area 001–899 except 666, group 01–99, serial 0001–9999; written with
 *   hyphens or spaces, or as nine bare digits.
 * - IP_ADDRESS: IPv4 dotted-decimal; IPv6 per RFC 4291 §2.2 (full, compressed with ::, IPv4-suffixed and
 *   IPv4-mapped ::ffff:a.b.c.d, upper or lower case) and the RFC 5952 canonical form, link-local with a zone.
 * - URL: RFC 3986 URIs with scheme http, https or ftp, optional userinfo, port, path, query and fragment;
 *   and scheme-less host[/path] with a www. prefix or a common TLD.
 * - CREDIT_CARD: ISO/IEC 7812 IIN ranges (Visa 4, Mastercard 51–55 and 2221–2720, Amex 34/37, Discover 6011/65,
 *   JCB 3528–3589, Diners 36) with their lengths and groupings, Luhn check digit.
 * - IBAN_CODE: ISO 13616 (country, 2 check digits by mod 97 = 1, BBAN of the registry length), compact and
 *   in the printed form of groups of four.
 * - EMAIL_ADDRESS: RFC 5322 dot-atom local parts (letters, digits, . _ % + -) at a domain with a TLD.
 * - PHONE_NUMBER: E.164 and national forms for KR (010-XXXX-XXXX, 02-XXX-XXXX, 0AA-XXX-XXXX), US (NANP:
 *   NPA-NXX-XXXX, (NPA) NXX-XXXX, +1) and GB (+44 / 0).
 * - MAC_ADDRESS: IEEE 802 EUI-48 in six groups (colon or hyphen) or Cisco's three dotted groups.
 * - CRYPTO: Bitcoin P2PKH/P2SH addresses (Base58Check of version + 20 bytes) and bech32 segwit v0 (BIP-173).
 * - DATE_TIME: ISO 8601 dates and date-times, numeric d/m/y and m/d/y, English long forms, Korean 년 월 일.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { PiiEntityType } from '../../src/stdlib/lib/pii.js';

/** A planted span: its type and `[start, end)` in UTF-16 units. */
export interface SpecSpan {
  entity_type: PiiEntityType;
  start: number;
  end: number;
}

/** One labelled text. */
export interface SpecCase {
  text: string;
  spans: SpecSpan[];
  /** For positives: the entity and format tested and whether the sentence has a context word; for negatives: the lookalike kind. */
  entity?: PiiEntityType;
  format?: string;
  context?: boolean;
  negative?: string;
}

/** mulberry32: a small seeded PRNG (deterministic test set). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const digits = (r: Rng, n: number) => Array.from({ length: n }, () => String(int(r, 0, 9))).join('');
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const hex = (r: Rng, n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(r, 0, 15)]).join('');

// --- value generators (from the specifications above) -------------------------------------------

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function birth(r: Rng, y0: number, y1: number): { yy: string; mm: string; dd: string; y: number } {
  const y = int(r, y0, y1);
  const m = int(r, 1, 12);
  const d = int(r, 1, DAYS[m - 1]);
  return { yy: pad(y % 100, 2), mm: pad(m, 2), dd: pad(d, 2), y };
}

/** RRN check digit over 12 digits (pre-2020 rule). */
export function rrnCheck(d12: string): number {
  const w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
  const s = w.reduce((a, wi, i) => a + wi * Number(d12[i]), 0);
  return (11 - (s % 11)) % 10;
}
function krRrn(r: Rng, post2020: boolean): string {
  if (post2020) {
    const b = birth(r, 2020, 2025);
    return `${b.yy}${b.mm}${b.dd}-${pick(r, ['3', '4'])}${digits(r, 6)}`;
  }
  const b = birth(r, 1940, 2019);
  const g = b.y < 2000 ? pick(r, ['1', '2']) : pick(r, ['3', '4']);
  const d12 = `${b.yy}${b.mm}${b.dd}${g}${digits(r, 5)}`;
  return `${d12.slice(0, 6)}-${d12.slice(6)}${rrnCheck(d12)}`;
}

/** BRN check digit over 9 digits (National Tax Service rule). */
export function brnCheck(d9: string): number {
  const w = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  let s = w.reduce((a, wi, i) => a + wi * Number(d9[i]), 0);
  s += Math.floor((Number(d9[8]) * 5) / 10);
  return (10 - (s % 10)) % 10;
}
function krBrn(r: Rng): string {
  const d9 = `${int(r, 101, 899)}${pad(int(r, 1, 99), 2)}${digits(r, 4)}`;
  return `${d9.slice(0, 3)}-${d9.slice(3, 5)}-${d9.slice(5)}${brnCheck(d9)}`;
}

const PASSPORT_TYPES = ['M', 'S', 'R', 'O', 'D'];
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
function krPassport(r: Rng, current: boolean): string {
  return current ? `${pick(r, PASSPORT_TYPES)}${digits(r, 3)}${pick(r, UPPER.split(''))}${digits(r, 4)}` : `${pick(r, PASSPORT_TYPES)}${digits(r, 8)}`;
}

const DL_REGIONS = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 28];
function krDriverLicence(r: Rng): string {
  return `${pick(r, DL_REGIONS)}-${digits(r, 2)}-${digits(r, 6)}-${digits(r, 2)}`;
}

function usSsn(r: Rng): [string, string, string] {
  let area = int(r, 1, 899);
  while (area === 666) area = int(r, 1, 899);
  return [pad(area, 3), pad(int(r, 1, 99), 2), pad(int(r, 1, 9999), 4)];
}

function ipv4(r: Rng): string {
  const first = pick(r, [10, 172, 192, 203, 198, 8, 52, 100, int(r, 1, 223)]);
  return `${first}.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`;
}
/** Eight 16-bit groups with a run of zeros so that :: compression applies. */
function ipv6Groups(r: Rng): number[] {
  const g = Array.from({ length: 8 }, () => int(r, 0, 0xffff));
  g[0] = pick(r, [0x2001, 0x2001, 0x2400, 0x2a00, 0xfd12, 0x2600]);
  if (g[0] === 0x2001) g[1] = 0xdb8;
  const zs = int(r, 2, 5);
  const zl = int(r, 2, Math.min(4, 8 - zs));
  for (let i = zs; i < zs + zl; i++) g[i] = 0;
  return g;
}
/** RFC 5952 canonical text: lower case, no leading zeros, the longest run (≥ 2) of zero groups as ::. */
export function ipv6Canonical(g: number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const h = g.map((x) => x.toString(16));
  if (best < 0) return h.join(':');
  return `${h.slice(0, best).join(':')}::${h.slice(best + bestLen).join(':')}`;
}
function ipv6(r: Rng, form: string): string {
  const g = ipv6Groups(r);
  switch (form) {
    case 'ipv6 full':
      return g.map((x) => x.toString(16).padStart(4, '0')).join(':');
    case 'ipv6 uncompressed':
      return g.map((x) => x.toString(16)).join(':');
    case 'ipv6 upper':
      return ipv6Canonical(g).toUpperCase();
    case 'ipv6 mapped':
      return `::ffff:${ipv4(r)}`;
    case 'ipv6 ipv4-suffix':
      return `64:ff9b::${ipv4(r)}`;
    case 'ipv6 link-local zone':
      return `fe80::${hex(r, 4).replace(/^0+/, '') || '1'}:${hex(r, 2)}ff:fe${hex(r, 2)}:${hex(r, 4).replace(/^0+/, '') || '1'}%${pick(r, ['eth0', 'en0', '3'])}`;
    case 'ipv6 loopback':
      return '::1';
    default:
      return ipv6Canonical(g);
  }
}

const WORDS = ['shop', 'blue', 'river', 'data', 'north', 'apple', 'green', 'cloud', 'seoul', 'maple', 'star', 'hanbit', 'orbit', 'pixel'];
const TLDS = ['com', 'org', 'net', 'co.kr', 'kr', 'io', 'de', 'co.uk', 'fr', 'jp', 'info', 'edu'];
function host(r: Rng): string {
  const sub = r() < 0.4 ? `${pick(r, ['www', 'api', 'shop', 'docs', 'm', 'blog'])}.` : '';
  return `${sub}${pick(r, WORDS)}${r() < 0.5 ? pick(r, ['', '-', '']) + pick(r, WORDS) : ''}.${pick(r, TLDS)}`;
}
function path(r: Rng): string {
  const segs = Array.from({ length: int(r, 1, 3) }, () => pick(r, [...WORDS, 'index.html', 'p', 'v2', 'items', String(int(r, 1, 9999))]));
  let p = `/${segs.join('/')}`;
  if (r() < 0.4) p += `?${pick(r, ['id', 'q', 'ref', 'page'])}=${pick(r, [String(int(r, 1, 999)), 'abc', 'x%20y'])}`;
  if (r() < 0.2) p += `&lang=${pick(r, ['ko', 'en'])}`;
  if (r() < 0.2) p += `#${pick(r, ['top', 'section-2', 'faq'])}`;
  return p;
}
function url(r: Rng, form: string): string {
  switch (form) {
    case 'https':
      return `https://${host(r)}${r() < 0.7 ? path(r) : ''}`;
    case 'http port':
      return `http://${host(r)}:${pick(r, [8080, 8443, 3000, 81])}${path(r)}`;
    case 'ftp':
      return `ftp://${pick(r, ['ftp', 'files'])}.${pick(r, WORDS)}.${pick(r, TLDS)}/${pick(r, ['pub', 'dist'])}/${pick(r, WORDS)}.tar.gz`;
    case 'userinfo':
      return `https://${pick(r, ['user', 'admin', 'kim'])}@${host(r)}${path(r)}`;
    case 'ip host':
      return `http://${ipv4(r)}:${pick(r, [80, 8080, 5000])}${path(r)}`;
    case 'www no scheme':
      return `www.${pick(r, WORDS)}${pick(r, WORDS)}.${pick(r, TLDS)}${r() < 0.5 ? path(r) : ''}`;
    default: // 'no scheme'
      return `${pick(r, WORDS)}${pick(r, ['', '-'])}${pick(r, WORDS)}.${pick(r, TLDS)}${path(r)}`;
  }
}

function luhnCheck(body: string): number {
  let s = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    s += d;
  }
  return (10 - (s % 10)) % 10;
}
const CARD_BRANDS: { brand: string; prefix: (r: Rng) => string; len: number; groups: number[] }[] = [
  { brand: 'visa', prefix: () => '4', len: 16, groups: [4, 4, 4, 4] },
  { brand: 'mastercard', prefix: (r) => String(int(r, 51, 55)), len: 16, groups: [4, 4, 4, 4] },
  { brand: 'mastercard 2-series', prefix: (r) => String(int(r, 2221, 2720)), len: 16, groups: [4, 4, 4, 4] },
  { brand: 'amex', prefix: (r) => pick(r, ['34', '37']), len: 15, groups: [4, 6, 5] },
  { brand: 'discover', prefix: (r) => pick(r, ['6011', '65']), len: 16, groups: [4, 4, 4, 4] },
  { brand: 'jcb', prefix: (r) => String(int(r, 3528, 3589)), len: 16, groups: [4, 4, 4, 4] },
  { brand: 'diners', prefix: () => '36', len: 14, groups: [4, 6, 4] },
];
function card(r: Rng, brand: (typeof CARD_BRANDS)[number], sep: string): string {
  const p = brand.prefix(r);
  const body = p + digits(r, brand.len - 1 - p.length);
  const num = body + luhnCheck(body);
  const parts: string[] = [];
  let i = 0;
  for (const g of brand.groups) {
    parts.push(num.slice(i, i + g));
    i += g;
  }
  return parts.join(sep);
}

/** Country → BBAN layout (n digits, a upper-case letters, c alphanumerics), ISO 13616 registry. */
const IBAN_LAYOUTS: Record<string, string> = {
  DE: '18n', GB: '4a14n', FR: '10n11c2n', NL: '4a10n', ES: '20n', IT: '1a10n12c', BE: '12n', CH: '5n12c', AT: '16n', PL: '24n', SE: '20n', NO: '11n',
};
function bban(r: Rng, layout: string): string {
  let out = '';
  for (const [, n, k] of layout.matchAll(/(\d+)([nac])/g)) {
    for (let i = 0; i < Number(n); i++) out += k === 'n' ? String(int(r, 0, 9)) : k === 'a' ? pick(r, UPPER.split('')) : pick(r, (UPPER + '0123456789').split(''));
  }
  return out;
}
function mod97(s: string): number {
  let rem = 0;
  for (const ch of s) {
    const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem;
}
function iban(r: Rng, printed: boolean): string {
  const cc = pick(r, Object.keys(IBAN_LAYOUTS));
  const b = bban(r, IBAN_LAYOUTS[cc]);
  const check = 98 - mod97(`${b}${cc}00`);
  const compact = `${cc}${pad(check, 2)}${b}`;
  return printed ? compact.replace(/(.{4})(?=.)/g, '$1 ') : compact;
}

function email(r: Rng): string {
  const local = pick(r, [
    () => `${pick(r, WORDS)}.${pick(r, WORDS)}`, () => `${pick(r, WORDS)}${int(r, 1, 99)}`, () => `${pick(r, WORDS)}_${pick(r, WORDS)}`,
    () => `${pick(r, WORDS)}+${pick(r, ['news', 'shop', 'tag'])}`, () => `${pick(r, WORDS)}-${pick(r, WORDS)}`, () => `${pick(r, ['j', 'k', 'a'])}.${pick(r, WORDS)}%${pick(r, WORDS)}`,
  ])();
  const domain = pick(r, [() => `${pick(r, WORDS)}.${pick(r, TLDS)}`, () => `mail.${pick(r, WORDS)}.${pick(r, TLDS)}`, () => pick(r, ['naver.com', 'gmail.com', 'daum.net', 'kakao.com', 'outlook.com'])])();
  return `${local}@${domain}`;
}

const US_NPA = [201, 202, 206, 212, 213, 303, 312, 404, 415, 503, 512, 617, 646, 702, 718, 805, 917];
function phone(r: Rng, form: string): string {
  const x4 = () => digits(r, 4);
  switch (form) {
    case 'kr mobile':
      return `010-${int(r, 2000, 9999)}-${x4()}`;
    case 'kr mobile compact':
      return `010${int(r, 2000, 9999)}${x4()}`;
    case 'kr seoul':
      return `02-${int(r, 200, 999)}-${x4()}`;
    case 'kr regional':
      return `0${pick(r, [31, 32, 33, 41, 42, 43, 51, 52, 53, 54, 55, 61, 62, 63, 64])}-${int(r, 200, 999)}-${x4()}`;
    case 'kr e164':
      return `+82 10-${int(r, 2000, 9999)}-${x4()}`;
    case 'us dashed': {
      return `${pick(r, US_NPA)}-${nxx(r)}-${x4()}`;
    }
    case 'us parens':
      return `(${pick(r, US_NPA)}) ${nxx(r)}-${x4()}`;
    case 'us e164':
      return `+1 ${pick(r, US_NPA)} ${nxx(r)} ${x4()}`;
    case 'gb e164':
      return `+44 20 7${digits(r, 3)} ${x4()}`;
    default: // gb mobile: 071–075 and 077–079 (076 is pagers)
      return `07${pick(r, [1, 2, 3, 4, 5, 7, 8, 9])}${digits(r, 2)} ${digits(r, 6)}`;
  }
}
function nxx(r: Rng): string {
  let n = int(r, 200, 999);
  while (n === 555 || n % 100 === 11 || n === 950 || n === 958 || n === 959 || n === 976) n = int(r, 200, 999);
  return String(n);
}

function mac(r: Rng, form: string): string {
  const b = Array.from({ length: 6 }, () => hex(r, 2));
  b[0] = (parseInt(b[0], 16) & 0xfe).toString(16).padStart(2, '0');
  if (form === 'cisco') return `${b[0]}${b[1]}.${b[2]}${b[3]}.${b[4]}${b[5]}`;
  const s = b.join(form === 'hyphen' ? '-' : ':');
  return form === 'upper' ? s.toUpperCase() : s;
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let s = '';
  while (n > 0n) {
    s = B58[Number(n % 58n)] + s;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    s = '1' + s;
  }
  return s;
}
function btcBase58(r: Rng, version: number): string {
  const payload = new Uint8Array(21);
  payload[0] = version;
  for (let i = 1; i < 21; i++) payload[i] = int(r, 0, 255);
  const check = sha256(sha256(payload)).slice(0, 4);
  const all = new Uint8Array(25);
  all.set(payload);
  all.set(check, 21);
  return base58(all);
}
const BECH = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
function polymod(values: number[]): number {
  const G = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= G[i];
  }
  return chk >>> 0;
}
/** BIP-173 segwit v0 P2WPKH address: hrp bc, witness version 0, 20-byte program. */
function btcBech32(r: Rng): string {
  const prog = Array.from({ length: 20 }, () => int(r, 0, 255));
  const five: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of prog) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      five.push((acc >>> bits) & 31);
    }
  }
  if (bits > 0) five.push((acc << (5 - bits)) & 31);
  const data = [0, ...five];
  const hrp = 'bc';
  const expand = [...hrp].map((c) => c.charCodeAt(0) >> 5).concat([0], [...hrp].map((c) => c.charCodeAt(0) & 31));
  const pm = polymod([...expand, ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (pm >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...checksum].map((d) => BECH[d]).join('')}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
function date(r: Rng, form: string): string {
  const y = int(r, 1950, 2030);
  const m = int(r, 1, 12);
  const d = int(r, 1, DAYS[m - 1]);
  switch (form) {
    case 'iso date':
      return `${y}-${pad(m, 2)}-${pad(d, 2)}`;
    case 'iso datetime':
      return `${y}-${pad(m, 2)}-${pad(d, 2)}T${pad(int(r, 0, 23), 2)}:${pad(int(r, 0, 59), 2)}:${pad(int(r, 0, 59), 2)}${pick(r, ['Z', '+09:00', ''])}`;
    case 'us numeric':
      return `${m}/${d}/${y}`;
    case 'eu numeric':
      return `${pad(d, 2)}.${pad(m, 2)}.${y}`;
    case 'english long':
      return `${MONTHS[m - 1]} ${d}, ${y}`;
    case 'english day first':
      return `${d} ${MONTHS[m - 1]} ${y}`;
    case 'korean':
      return `${y}년 ${m}월 ${d}일`;
    default: // korean dotted
      return `${y}.${pad(m, 2)}.${pad(d, 2)}`;
  }
}

// --- sentences --------------------------------------------------------------------------------

/** Neutral sentences: no context word of any entity (checked by the test against CONTEXT_WORDS). */
const NEUTRAL = [
  'Please see {x} for the details.', 'New one: {x}', '{x}', 'The value we have on file is {x}, thanks.', 'Got it — {x} — will check tomorrow.',
  '확인 부탁드립니다: {x}', '{x} 으로 변경해 주세요.', 'Here it is: {x}.', 'As discussed, {x}', '참고로 {x} 입니다.',
];

/** Sentences with a context word Presidio (and Weir) use for the entity. */
const CONTEXT: Record<PiiEntityType, string[]> = {
  EMAIL_ADDRESS: ['My email is {x}', 'Send the e-mail to {x} please', '이메일: {x}'],
  PHONE_NUMBER: ['Call me at {x}', 'My phone number is {x}', '연락처 {x} 입니다'],
  CREDIT_CARD: ['My credit card is {x}', 'Visa card {x} was charged', '카드번호 {x}'],
  IBAN_CODE: ['IBAN: {x}', 'Bank transfer to {x}', '은행 계좌 {x}'],
  IP_ADDRESS: ['The IP address is {x}', 'ipv6 {x} was blocked', 'ip: {x}'],
  URL: ['Visit our website {x}', 'link: {x}', 'the url is {x}'],
  US_SSN: ['My SSN is {x}', 'social security number {x}', 'ssn: {x}'],
  KR_RRN: ['주민등록번호 {x}', '주민번호: {x}', 'resident registration number {x}'],
  KR_BRN: ['사업자등록번호 {x}', '사업자번호: {x}', 'business registration {x}'],
  KR_PASSPORT: ['여권번호 {x}', 'passport no. {x}', 'My passport is {x}'],
  KR_DRIVER_LICENSE: ['운전면허번호 {x}', 'driver license {x}', '면허번호: {x}'],
  MAC_ADDRESS: ['mac address {x}', 'ethernet {x}', 'hardware address: {x}'],
  CRYPTO: ['bitcoin wallet {x}', 'btc: {x}', '지갑 주소 {x}'],
  DATE_TIME: ['date of birth: {x}', 'born {x}', '생년월일 {x}'],
  PERSON: [],
};

/** Formats per entity: name → value generator. Formats marked `contextOnly` are tested with context words only (see BENCHMARKS.md). */
interface Format {
  name: string;
  gen: (r: Rng) => string;
  contextOnly?: boolean;
}
export const FORMATS: Partial<Record<PiiEntityType, Format[]>> = {
  KR_RRN: [
    { name: 'pre-2020 dashed', gen: (r) => krRrn(r, false) },
    { name: 'pre-2020 bare', gen: (r) => krRrn(r, false).replace('-', '') },
    { name: 'post-2020 random suffix', gen: (r) => krRrn(r, true) },
  ],
  KR_BRN: [
    { name: 'dashed', gen: krBrn },
    { name: 'bare 10 digits', gen: (r) => krBrn(r).replace(/-/g, ''), contextOnly: true },
  ],
  KR_PASSPORT: [
    { name: 'current (2021) M123A4567', gen: (r) => krPassport(r, true) },
    { name: 'previous M12345678', gen: (r) => krPassport(r, false), contextOnly: true },
  ],
  KR_DRIVER_LICENSE: [
    { name: 'RR-YY-NNNNNN-CC', gen: krDriverLicence },
    { name: 'bare 12 digits', gen: (r) => krDriverLicence(r).replace(/-/g, ''), contextOnly: true },
  ],
  US_SSN: [
    { name: 'AAA-GG-SSSS', gen: (r) => usSsn(r).join('-') },
    { name: 'AAA GG SSSS', gen: (r) => usSsn(r).join(' ') },
    { name: 'bare 9 digits', gen: (r) => usSsn(r).join(''), contextOnly: true },
  ],
  IP_ADDRESS: [
    { name: 'ipv4', gen: ipv4 },
    ...['ipv6 rfc5952', 'ipv6 full', 'ipv6 uncompressed', 'ipv6 upper', 'ipv6 mapped', 'ipv6 ipv4-suffix', 'ipv6 link-local zone', 'ipv6 loopback'].map((f) => ({ name: f, gen: (r: Rng) => ipv6(r, f) })),
  ],
  URL: ['https', 'http port', 'ftp', 'userinfo', 'ip host', 'www no scheme', 'no scheme'].map((f) => ({ name: f, gen: (r: Rng) => url(r, f) })),
  CREDIT_CARD: CARD_BRANDS.flatMap((b) => [
    { name: `${b.brand} spaced`, gen: (r: Rng) => card(r, b, ' ') },
    { name: `${b.brand} dashed`, gen: (r: Rng) => card(r, b, '-') },
    { name: `${b.brand} bare`, gen: (r: Rng) => card(r, b, '') },
  ]),
  IBAN_CODE: [
    { name: 'compact', gen: (r) => iban(r, false) },
    { name: 'printed groups of 4', gen: (r) => iban(r, true) },
  ],
  EMAIL_ADDRESS: [{ name: 'dot-atom', gen: email }],
  PHONE_NUMBER: ['kr mobile', 'kr mobile compact', 'kr seoul', 'kr regional', 'kr e164', 'us dashed', 'us parens', 'us e164', 'gb e164', 'gb mobile'].map((f) => ({ name: f, gen: (r: Rng) => phone(r, f) })),
  MAC_ADDRESS: ['colon', 'hyphen', 'upper', 'cisco'].map((f) => ({ name: f, gen: (r: Rng) => mac(r, f) })),
  CRYPTO: [
    { name: 'p2pkh base58', gen: (r) => btcBase58(r, 0) },
    { name: 'p2sh base58', gen: (r) => btcBase58(r, 5) },
    { name: 'bech32 v0', gen: btcBech32 },
  ],
  DATE_TIME: ['iso date', 'iso datetime', 'us numeric', 'eu numeric', 'english long', 'english day first', 'korean', 'korean dotted'].map((f) => ({ name: f, gen: (r: Rng) => date(r, f) })),
};

function place(template: string, value: string, type: PiiEntityType): { text: string; spans: SpecSpan[] } {
  const start = template.indexOf('{x}');
  const text = template.replace('{x}', value);
  return { text, spans: [{ entity_type: type, start, end: start + value.length }] };
}

/**
 * The positive cases: for every entity and format, `perFormat` values, each in a neutral sentence
 * (unless the format is context-only) and in a sentence with a context word.
 */
export function positiveCases(perFormat = 40, seed = 20): SpecCase[] {
  const r = prng(seed);
  const out: SpecCase[] = [];
  for (const [type, formats] of Object.entries(FORMATS) as [PiiEntityType, Format[]][]) {
    for (const f of formats) {
      for (let i = 0; i < perFormat; i++) {
        const v = f.gen(r);
        if (!f.contextOnly) out.push({ ...place(pick(r, NEUTRAL), v, type), entity: type, format: f.name, context: false });
        out.push({ ...place(pick(r, CONTEXT[type]), v, type), entity: type, format: f.name, context: true });
      }
    }
  }
  return out;
}

/** Negative sentences: lookalikes of PII that are not PII (each kind `perKind` times). Dates in them are labelled DATE_TIME. */
export function negativeCases(perKind = 60, seed = 2020): SpecCase[] {
  const r = prng(seed);
  const out: SpecCase[] = [];
  const add = (kind: string, text: string, spans: SpecSpan[] = []) => out.push({ text, spans, negative: kind });
  for (let i = 0; i < perKind; i++) {
    // order ids and references
    add('order id', pick(r, [`Order #${digits(r, 9)} has shipped.`, `주문번호 ${int(r, 2019, 2025)}${pad(int(r, 1, 12), 2)}${digits(r, 6)} 배송 시작`, `Your order ORD-${int(r, 2019, 2025)}-${digits(r, 6)} is confirmed.`,
      `Amazon order ${digits(r, 3)}-${digits(r, 7)}-${digits(r, 7)}`, `Invoice INV-${digits(r, 6)} attached.`, `Ticket #${digits(r, 7)} was closed.`]));
    add('tracking number', pick(r, [`UPS tracking 1Z${hex(r, 6).toUpperCase()}${digits(r, 10)}`, `운송장번호 ${digits(r, 12)} 조회`, `FedEx ${digits(r, 12)} out for delivery`]));
    // versions
    add('version', pick(r, [`Upgraded to version ${int(r, 1, 30)}.${int(r, 0, 20)}.${int(r, 0, 99)}`, `Chrome ${int(r, 100, 130)}.0.${int(r, 4000, 6999)}.${int(r, 10, 200)} released`,
      `build ${int(r, 1, 12)}.${int(r, 0, 9)}.${int(r, 0, 9)}.${int(r, 0, 9)} is out`, `v${int(r, 1, 9)}.${int(r, 0, 40)}.${int(r, 0, 40)}-beta.${int(r, 1, 9)}`, `Windows 10.0.${int(r, 17000, 22631)}.${int(r, 100, 4000)}`]));
    // dates and times (labelled DATE_TIME; any other entity is a false alarm)
    const d = date(r, pick(r, ['iso date', 'us numeric', 'eu numeric', 'english long', 'korean dotted']));
    add('date', `Delivered on ${d}.`, [{ entity_type: 'DATE_TIME', start: 'Delivered on '.length, end: 'Delivered on '.length + d.length }]);
    add('time and amount', pick(r, [`Meeting at ${int(r, 1, 12)}:${pad(int(r, 0, 59), 2)} pm, budget $${int(r, 1, 99)},${digits(r, 3)}.${digits(r, 2)}`, `총액 ${int(r, 1, 999)},${digits(r, 3)}원 결제`, `Temperature ${int(r, 10, 40)}.${int(r, 0, 9)}°C at ${pad(int(r, 0, 23), 2)}:${pad(int(r, 0, 59), 2)}:${pad(int(r, 0, 59), 2)}`]));
    // lookalike numbers failing their checksum or rules, in neutral sentences
    const neutral = (v: string) => pick(r, NEUTRAL).replace('{x}', v);
    const cardBody = '4' + digits(r, 14);
    add('card failing Luhn', neutral(`${cardBody}${(luhnCheck(cardBody) + 1) % 10}`));
    const b = birth(r, 1950, 1999);
    const rrn12 = `${b.yy}${b.mm}${b.dd}${pick(r, ['1', '2'])}${digits(r, 5)}`;
    add('RRN failing check digit', neutral(`${rrn12.slice(0, 6)}-${rrn12.slice(6)}${(rrnCheck(rrn12) + 1) % 10}`));
    const brn9 = `${int(r, 101, 899)}${pad(int(r, 1, 99), 2)}${digits(r, 4)}`;
    add('BRN failing check digit', neutral(`${brn9.slice(0, 3)}-${brn9.slice(3, 5)}-${brn9.slice(5)}${(brnCheck(brn9) + 1) % 10}`));
    add('SSN invalid area', neutral(`${pick(r, ['000', '666', String(int(r, 900, 999))])}-${pad(int(r, 1, 99), 2)}-${pad(int(r, 1, 9999), 4)}`));
    const ib = iban(r, false);
    add('IBAN failing mod 97', neutral(`${ib.slice(0, 2)}${pad((Number(ib.slice(2, 4)) + 1) % 100, 2)}${ib.slice(4)}`));
    add('dotted numbers', pick(r, [`Section ${int(r, 1, 20)}.${int(r, 1, 20)}.${int(r, 1, 20)}`, `Score ${int(r, 0, 9)}.${digits(r, 3)}`, `Lat ${int(r, 30, 40)}.${digits(r, 6)}, lon ${int(r, 120, 130)}.${digits(r, 6)}`]));
    add('plain text', pick(r, ['Thanks for the quick reply!', '배송이 너무 늦어요. 확인 부탁드립니다.', 'The meeting moved to room B2.', 'Price went from 12 to 15 units.', 'ratio 3:2 and 16:9 screens']));
  }
  return out;
}

/** Per-entity recall on the positives, split by context. */
export interface SpecRecallRow {
  entity: PiiEntityType;
  planted: number;
  found: number;
  recall: number;
  plantedNoContext: number;
  foundNoContext: number;
  recallNoContext: number;
  plantedContext: number;
  foundContext: number;
  recallContext: number;
  /** Missed formats with counts, e.g. "ipv6 mapped: 3". */
  misses: Record<string, number>;
}
/** False alarms on the negatives per kind: a case is a false alarm when any detection matches no labelled span. */
export interface SpecFalseAlarmRow {
  kind: string;
  cases: number;
  falseAlarms: number;
  rate: number;
  /** Entity types of the false detections with counts. */
  byEntity: Record<string, number>;
}

/**
 * Scores a detector on the set. A planted span is found when a detection of the same type covers exactly
 * its text (start and end equal).
 * @param detect the detector (e.g. `(t) => detectPii(t)`)
 */
export function evaluateSpecSet(
  detect: (text: string) => { entity_type: string; start: number; end: number }[],
  positives = positiveCases(),
  negatives = negativeCases(),
): { recall: SpecRecallRow[]; falseAlarms: SpecFalseAlarmRow[]; examples: { missed: SpecCase[]; alarms: { case: SpecCase; found: unknown[] }[] } } {
  const rows = new Map<PiiEntityType, SpecRecallRow>();
  const missed: SpecCase[] = [];
  for (const c of positives) {
    const e = c.entity!;
    let row = rows.get(e);
    if (!row) {
      row = { entity: e, planted: 0, found: 0, recall: 0, plantedNoContext: 0, foundNoContext: 0, recallNoContext: 0, plantedContext: 0, foundContext: 0, recallContext: 0, misses: {} };
      rows.set(e, row);
    }
    const gold = c.spans[0];
    const hit = detect(c.text).some((d) => d.entity_type === gold.entity_type && d.start === gold.start && d.end === gold.end);
    row.planted++;
    if (c.context) row.plantedContext++;
    else row.plantedNoContext++;
    if (hit) {
      row.found++;
      if (c.context) row.foundContext++;
      else row.foundNoContext++;
    } else {
      const k = `${c.format}${c.context ? ' (context)' : ''}`;
      row.misses[k] = (row.misses[k] ?? 0) + 1;
      missed.push(c);
    }
  }
  for (const row of rows.values()) {
    row.recall = row.found / row.planted;
    row.recallContext = row.plantedContext ? row.foundContext / row.plantedContext : 1;
    row.recallNoContext = row.plantedNoContext ? row.foundNoContext / row.plantedNoContext : NaN;
  }
  const fa = new Map<string, SpecFalseAlarmRow>();
  const alarms: { case: SpecCase; found: unknown[] }[] = [];
  for (const c of negatives) {
    const k = c.negative!;
    let row = fa.get(k);
    if (!row) {
      row = { kind: k, cases: 0, falseAlarms: 0, rate: 0, byEntity: {} };
      fa.set(k, row);
    }
    row.cases++;
    const wrong = detect(c.text).filter((d) => !c.spans.some((s) => s.entity_type === d.entity_type && s.start < d.end && d.start < s.end));
    if (wrong.length) {
      row.falseAlarms++;
      for (const w of wrong) row.byEntity[w.entity_type] = (row.byEntity[w.entity_type] ?? 0) + 1;
      alarms.push({ case: c, found: wrong });
    }
  }
  for (const row of fa.values()) row.rate = row.falseAlarms / row.cases;
  return { recall: [...rows.values()], falseAlarms: [...fa.values()], examples: { missed, alarms } };
}
