/**
 * Check-digit and checksum algorithms used to validate PII candidates. All are pure functions of a
 * string; only {@link base58CheckValid} needs SHA-256 (from `@noble/hashes`, pure JavaScript, so the
 * PII UDFs can be bundled into Snowflake JavaScript UDFs).
 */
import { sha256 } from '@noble/hashes/sha2.js';

/**
 * Luhn (mod-10) check of a digit string, as used for payment card numbers (ISO/IEC 7812-1, Annex B).
 * @param digits - digits only, check digit last
 */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * IBAN lengths per country (ISO 13616 / SWIFT IBAN Registry, release 2024). Written out here rather
 * than taken from a library such as `ibantools`: the table is short, the check is exact (mod-97 plus
 * length), and keeping it dependency-free keeps detection code portable.
 */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28,
  IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20,
  LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28,
  NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24,
  SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26,
  UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

/**
 * IBAN validity (ISO 13616-1): known country, the registry length for that country, alphanumeric
 * BBAN, and the mod-97 check (move the first four characters to the end, letters → 10..35, the number
 * mod 97 must be 1; computed piecewise so no big integers are needed).
 * @param compact - upper-case IBAN without separators
 */
export function ibanValid(compact: string): boolean {
  const len = IBAN_LENGTHS[compact.slice(0, 2)];
  if (len === undefined || compact.length !== len) return false;
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) return false;
  let rem = 0;
  for (let k = 0; k < compact.length; k++) {
    const c = compact.charCodeAt((k + 4) % compact.length);
    if (c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else rem = (rem * 100 + (c - 55)) % 97;
  }
  return rem === 1;
}

/**
 * Korean resident registration number check digit (pre-October-2020 scheme): weights
 * 2,3,4,5,6,7,8,9,2,3,4,5 over the first 12 digits, check = (11 − sum mod 11) mod 10.
 * @param d13 - 13 digits
 */
export function krRrnChecksumValid(d13: string): boolean {
  const w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
  let s = 0;
  for (let i = 0; i < 12; i++) s += (d13.charCodeAt(i) - 48) * w[i];
  return (11 - (s % 11)) % 10 === d13.charCodeAt(12) - 48;
}

/**
 * Korean business registration number (사업자등록번호) check digit, as in Presidio's KrBrnRecognizer
 * and the National Tax Service rule: weights 1,3,7,1,3,7,1,3,5 over the first 9 digits, plus
 * ⌊9th digit × 5 / 10⌋; check = (10 − sum mod 10) mod 10.
 * @param d10 - 10 digits
 */
export function krBrnChecksumValid(d10: string): boolean {
  const w = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  let s = 0;
  for (let i = 0; i < 9; i++) s += (d10.charCodeAt(i) - 48) * w[i];
  s += Math.floor(((d10.charCodeAt(8) - 48) * 5) / 10);
  return (10 - (s % 10)) % 10 === d10.charCodeAt(9) - 48;
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const B58_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B58.length; i++) B58_INDEX[B58.charCodeAt(i)] = i;

/**
 * Base58Check validity of a legacy Bitcoin address (P2PKH `1…` / P2SH `3…`): base58-decode to 25
 * bytes (version + 20-byte hash + 4-byte checksum) and compare the checksum with the first four bytes
 * of SHA-256(SHA-256(version + hash)). Source: Bitcoin wiki "Base58Check encoding".
 */
export function base58CheckValid(s: string): boolean {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let carry = c < 128 ? B58_INDEX[c] : -1;
    if (carry < 0) return false;
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j] * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (let i = 0; i < s.length && s[i] === '1'; i++) bytes.push(0);
  if (bytes.length !== 25) return false;
  const buf = Uint8Array.from(bytes.reverse());
  const h = sha256(sha256(buf.subarray(0, 21)));
  return h[0] === buf[21] && h[1] === buf[22] && h[2] === buf[23] && h[3] === buf[24];
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/**
 * Bech32 (BIP-173) or Bech32m (BIP-350) checksum validity of a segwit address such as `bc1q…`:
 * single case, human-readable part before the last `1`, data in the bech32 charset, and the BCH
 * polymod over the expanded HRP + data equal to 1 (bech32) or 0x2bc830a3 (bech32m).
 */
export function bech32Valid(s: string): boolean {
  if (s.length > 90 || (s !== s.toLowerCase() && s !== s.toUpperCase())) return false;
  const str = s.toLowerCase();
  const pos = str.lastIndexOf('1');
  if (pos < 1 || pos + 7 > str.length) return false;
  let chk = 1;
  const step = (v: number) => {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= BECH32_GEN[i];
  };
  for (let i = 0; i < pos; i++) step(str.charCodeAt(i) >> 5);
  step(0);
  for (let i = 0; i < pos; i++) step(str.charCodeAt(i) & 31);
  for (let i = pos + 1; i < str.length; i++) {
    const v = BECH32_CHARSET.indexOf(str[i]);
    if (v < 0) return false;
    step(v);
  }
  chk >>>= 0;
  return chk === 1 || chk === 0x2bc830a3;
}

/**
 * Whether a string is a valid IPv6 address (RFC 4291 text forms: eight 1–4-digit hex groups, at most
 * one `::`, an optional trailing dotted IPv4 part, an optional `%zone`). Portable replacement for
 * `node:net` `isIPv6`.
 */
export function ipv6Valid(s: string): boolean {
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct);
  let groups = 8;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) >= 0) {
    if (!ipv4Valid(s.slice(lastColon + 1))) return false;
    s = s.slice(0, lastColon + 1) + '0';
    groups = 7;
  }
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return false;
  const hex = /^[0-9A-Fa-f]{1,4}$/;
  if (dbl < 0) {
    const parts = s.split(':');
    return parts.length === groups && parts.every((p) => hex.test(p));
  }
  const head = s.slice(0, dbl);
  const tail = s.slice(dbl + 2);
  const hp = head === '' ? [] : head.split(':');
  const tp = tail === '' ? [] : tail.split(':');
  if (hp.length + tp.length > groups - 1) return false;
  return hp.every((p) => hex.test(p)) && tp.every((p) => hex.test(p));
}

/** Whether a string is a dotted-quad IPv4 address (four decimal octets 0–255, no leading zeros beyond one digit). */
export function ipv4Valid(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255 || (p.length > 1 && p[0] === '0')) return false;
  }
  return true;
}

/**
 * UTF-8 bytes of a string (lone surrogates become U+FFFD, as in Node's Buffer.from and TextEncoder),
 * written out because JavaScript UDF engines may lack TextEncoder. RFC 3629 §3.
 */
export function utf8Bytes(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
    } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}
