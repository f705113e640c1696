/**
 * Generators of *valid* PII values planted in customer emails. Each returns the exact string
 * written into the text; validity follows the public check-digit rules in checksums.ts.
 */
import { base58check, bech32SegwitV0, ibanCheckDigits, luhnCheckDigit, rrnCheckDigit } from './checksums.js';
import { formatKrMobile, formatNanp, randomNanp } from './names.js';
import type { Rng } from './prng.js';
import { fmtYmd } from './time.js';

/** Presidio entity types used in `truth_email_pii.entity_type`. */
export type PiiType =
  | 'EMAIL_ADDRESS' | 'PHONE_NUMBER' | 'CREDIT_CARD' | 'IBAN_CODE' | 'IP_ADDRESS' | 'URL' | 'US_SSN' | 'KR_RRN'
  | 'MAC_ADDRESS' | 'CRYPTO' | 'DATE_TIME' | 'PERSON';

/**
 * Payment card number that passes the Luhn check (ISO/IEC 7812): Visa (4…, 16 digits),
 * Mastercard (51–55 or 2221–2720, 16 digits) or American Express (34/37, 15 digits), written
 * with spaces, dashes or no separators.
 */
export function creditCard(rng: Rng): string {
  const brand = rng.weighted([['visa', 5], ['mc', 4], ['amex', 1]] as const);
  let payload: string;
  if (brand === 'visa') payload = '4' + rng.digits(14);
  else if (brand === 'mc') payload = (rng.chance(0.8) ? String(rng.int(51, 55)) + rng.digits(13) : String(rng.int(2221, 2720)) + rng.digits(11));
  else payload = rng.pick(['34', '37']) + rng.digits(12);
  const num = payload + luhnCheckDigit(payload);
  const style = rng.int(0, 2);
  if (style === 2) return num;
  const sep = style === 0 ? ' ' : '-';
  if (num.length === 15) return [num.slice(0, 4), num.slice(4, 10), num.slice(10)].join(sep);
  return [num.slice(0, 4), num.slice(4, 8), num.slice(8, 12), num.slice(12)].join(sep);
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * IBAN with valid ISO 13616 mod-97 check digits for DE, GB, FR, NL, ES or IT, using each
 * country's BBAN length and character classes; written compact or in groups of four.
 */
export function iban(rng: Rng): string {
  const cc = rng.pick(['DE', 'GB', 'FR', 'NL', 'ES', 'IT'] as const);
  let bban: string;
  switch (cc) {
    case 'DE': bban = rng.digits(18); break;
    case 'GB': bban = rng.pick(['NWBK', 'BARC', 'HBUK', 'LOYD', 'MIDL']) + rng.digits(14); break;
    case 'FR': bban = rng.digits(23); break;
    case 'NL': bban = rng.pick(['ABNA', 'INGB', 'RABO', 'SNSB']) + rng.digits(10); break;
    case 'ES': bban = rng.digits(20); break;
    default: bban = rng.chars(1, UPPER) + rng.digits(22); break;
  }
  const compact = cc + ibanCheckDigits(cc, bban) + bban;
  if (rng.chance(0.5)) return compact;
  return compact.match(/.{1,4}/g)!.join(' ');
}

/**
 * Korean resident registration number `YYMMDD-GNNNNNC` with a valid check digit
 * ({@link rrnCheckDigit}); G is 1/2 for births in the 1900s and 3/4 for the 2000s.
 */
export function koreanRrn(rng: Rng, dash = true): string {
  const y = rng.int(1950, 2005);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  const g = (y >= 2000 ? 3 : 1) + rng.int(0, 1);
  const first12 = fmtYmd(y, m, d).replace(/-/g, '').slice(2) + g + rng.digits(5);
  const c = rrnCheckDigit(first12);
  return dash ? `${first12.slice(0, 6)}-${first12.slice(6)}${c}` : first12 + c;
}

/** US SSN `AAA-GG-SSSS` in issuable ranges (area 001–899 except 666, group ≠ 00, serial ≠ 0000). */
export function usSsn(rng: Rng): string {
  let area: number;
  do area = rng.int(1, 899);
  while (area === 666);
  return `${String(area).padStart(3, '0')}-${String(rng.int(1, 99)).padStart(2, '0')}-${String(rng.int(1, 9999)).padStart(4, '0')}`;
}

/** IPv4 (public-looking) or IPv6 (full or `::`-compressed) address. */
export function ipAddress(rng: Rng): string {
  if (rng.chance(0.7)) return `${rng.int(11, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  const g = () => rng.int(0, 65535).toString(16);
  if (rng.chance(0.5)) return `2001:db8:${g()}:${g()}::${g()}`;
  return `${rng.pick(['2001', '2400', '2a00', '2600'])}:${g()}:${g()}:${g()}:${g()}:${g()}:${g()}:${g()}`;
}

/** MAC-48 address, colon- or dash-separated. */
export function macAddress(rng: Rng): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(rng.chars(2, '0123456789abcdef'));
  return rng.chance(0.6) ? parts.join(':') : parts.join('-').toUpperCase();
}

/**
 * Bitcoin address with a valid checksum: legacy P2PKH (Base58Check, version 0x00, starts with
 * `1`) or native segwit v0 P2WPKH (bech32 per BIP-173, starts with `bc1q`).
 */
export function btcAddress(rng: Rng): string {
  const h = Buffer.alloc(20);
  for (let i = 0; i < 20; i++) h[i] = rng.int(0, 255);
  if (rng.chance(0.5)) return base58check(Buffer.concat([Buffer.from([0]), h]));
  return bech32SegwitV0('bc', h);
}

/** URL of a plausible kind: shop page, link shortener, cloud file share, or a random site. */
export function url(rng: Rng, orderId: string): string {
  switch (rng.int(0, 3)) {
    case 0: return `https://www.weirshop.com/orders/${orderId}`;
    case 1: return `https://bit.ly/${rng.chars(7, 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789')}`;
    case 2: return `https://drive.google.com/file/d/${rng.chars(28, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-')}/view`;
    default: return `http://${rng.pick(['myblog', 'review-hub', 'dealfinder', 'photo-share'])}.${rng.pick(['net', 'com', 'co.kr', 'io'])}/${rng.chars(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
  }
}

/** A phone number of a random kind: US, international, Korean mobile or Korean landline. */
export function randomPhone(rng: Rng): string {
  switch (rng.weighted([[0, 3], [1, 2], [2, 3], [3, 2]] as const)) {
    case 0: return formatNanp(randomNanp(rng), rng.int(0, 6));
    case 1: return rng.pick([
      `+44 20 ${rng.int(7000, 8999)} ${rng.digits(4)}`, `+49 30 ${rng.int(1000000, 9999999)}`, `+33 1 ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}`,
      `+81 3-${rng.int(1000, 9999)}-${rng.digits(4)}`, `+61 2 ${rng.int(8000, 9999)} ${rng.digits(4)}`,
    ]);
    case 2: return formatKrMobile(String(rng.int(2000, 9999)) + rng.digits(4), rng.weighted([[0, 6], [1, 1], [2, 2], [3, 1]] as const));
    default: return rng.pick([`02-${rng.int(200, 999)}-${rng.digits(4)}`, `031-${rng.int(200, 999)}-${rng.digits(4)}`, `051-${rng.int(200, 999)}-${rng.digits(4)}`, `02-${rng.int(2000, 9999)}-${rng.digits(4)}`]);
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A calendar date written the way an English or Korean customer would. */
export function writtenDate(rng: Rng, y: number, m: number, d: number, lang: 'ko' | 'en'): string {
  if (lang === 'ko') return rng.pick([`${y}년 ${m}월 ${d}일`, `${m}월 ${d}일`, `${y}.${String(m).padStart(2, '0')}.${String(d).padStart(2, '0')}`, fmtYmd(y, m, d)]);
  return rng.pick([`${MONTHS[m - 1]} ${d}, ${y}`, `${d} ${MONTHS[m - 1]} ${y}`, fmtYmd(y, m, d), `${m}/${d}/${y}`]);
}
