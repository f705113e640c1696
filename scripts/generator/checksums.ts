/**
 * Check-digit algorithms used to plant *valid* PII values (so that validating recognizers such
 * as Microsoft Presidio's accept them) and to verify them in tests.
 */
import { createHash } from 'node:crypto';

/**
 * Luhn (mod 10) check, ISO/IEC 7812-1 Annex B, used by payment card numbers.
 *
 * @param num - digits, optionally separated by spaces or dashes (other characters → `false`).
 * @returns `true` if the digit string has ≥ 2 digits and passes the Luhn check.
 */
export function luhnValid(num: string): boolean {
  const d = num.replace(/[ -]/g, '');
  if (!/^\d{2,}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let x = d.charCodeAt(d.length - 1 - i) - 48;
    if (i % 2 === 1) {
      x *= 2;
      if (x > 9) x -= 9;
    }
    sum += x;
  }
  return sum % 10 === 0;
}

/**
 * Compute the Luhn check digit to append to a payload (ISO/IEC 7812-1 Annex B).
 * @param payload - digits only, without the check digit.
 * @returns the single check digit 0–9.
 */
export function luhnCheckDigit(payload: string): number {
  for (let c = 0; c <= 9; c++) if (luhnValid(payload + c)) return c;
  throw new Error('unreachable');
}

/** Weights of the Korean resident registration number check digit (positions 1–12). */
const RRN_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];

/**
 * Korean resident registration number (주민등록번호) check digit.
 *
 * Rule (pre-2020 numbering, as implemented by Presidio's KR_RRN recognizer and described in
 * Korean Ministry of the Interior documentation): multiply the first 12 digits by the weights
 * 2,3,4,5,6,7,8,9,2,3,4,5, sum, and the check digit is `(11 − sum mod 11) mod 10`.
 *
 * @param first12 - the 12 digits YYMMDD G NNNNN without the dash.
 * @returns check digit 0–9.
 * @throws Error if `first12` is not exactly 12 digits.
 */
export function rrnCheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) throw new Error(`RRN payload must be 12 digits: ${first12}`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (first12.charCodeAt(i) - 48) * RRN_WEIGHTS[i];
  return (11 - (sum % 11)) % 10;
}

/**
 * Validate a Korean RRN `YYMMDD-GNNNNNC` (dash optional) by its check digit.
 * @returns `true` if it has 13 digits and the last one matches {@link rrnCheckDigit}.
 */
export function rrnValid(rrn: string): boolean {
  const d = rrn.replace('-', '');
  if (!/^\d{13}$/.test(d)) return false;
  return rrnCheckDigit(d.slice(0, 12)) === d.charCodeAt(12) - 48;
}

/** Remainder of a decimal/alphanumeric IBAN string mod 97, letters mapped A=10 … Z=35. */
function mod97(s: string): number {
  let r = 0;
  for (const ch of s) {
    const v = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const c of v) r = (r * 10 + (c.charCodeAt(0) - 48)) % 97;
  }
  return r;
}

/**
 * IBAN check digits per ISO 13616-1 / ISO 7064 MOD 97-10: move the country code and "00" to
 * the end, map letters to 10..35, and the check digits are `98 − (n mod 97)`.
 *
 * @param country - two upper-case letters (e.g. `DE`).
 * @param bban - the basic bank account number (upper-case alphanumerics).
 * @returns the two check digits as a zero-padded string.
 */
export function ibanCheckDigits(country: string, bban: string): string {
  const r = mod97(bban + country + '00');
  return String(98 - r).padStart(2, '0');
}

/**
 * Validate an IBAN (spaces allowed) with the ISO 13616 mod-97 rule (remainder must be 1).
 */
export function ibanValid(iban: string): boolean {
  const s = iban.replace(/ /g, '');
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(s)) return false;
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function sha256d(b: Buffer): Buffer {
  return createHash('sha256').update(createHash('sha256').update(b).digest()).digest();
}

/**
 * Base58Check encoding (Bitcoin): payload + first 4 bytes of SHA-256(SHA-256(payload)),
 * written in the Bitcoin base58 alphabet with leading zero bytes as `1`.
 * @param payload - version byte followed by data (e.g. 0x00 + 20-byte HASH160 for P2PKH).
 */
export function base58check(payload: Buffer): string {
  const full = Buffer.concat([payload, sha256d(payload).subarray(0, 4)]);
  let n = BigInt('0x' + full.toString('hex'));
  let out = '';
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const byte of full) {
    if (byte !== 0) break;
    out = '1' + out;
  }
  return out;
}

/** Validate a Base58Check string (checksum only). */
export function base58checkValid(s: string): boolean {
  let n = 0n;
  for (const ch of s) {
    const i = B58.indexOf(ch);
    if (i < 0) return false;
    n = n * 58n + BigInt(i);
  }
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let lead = 0;
  while (s[lead] === '1') lead++;
  const full = Buffer.concat([Buffer.alloc(lead), Buffer.from(hex, 'hex')]);
  if (full.length < 5) return false;
  const payload = full.subarray(0, full.length - 4);
  return sha256d(payload).subarray(0, 4).equals(full.subarray(full.length - 4));
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

function bech32Polymod(values: number[]): number {
  const G = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const b = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((b >>> i) & 1) chk ^= G[i];
  }
  return chk >>> 0;
}

function hrpExpand(hrp: string): number[] {
  const r: number[] = [];
  for (const c of hrp) r.push(c.charCodeAt(0) >> 5);
  r.push(0);
  for (const c of hrp) r.push(c.charCodeAt(0) & 31);
  return r;
}

/**
 * Segwit v0 bech32 address (BIP-173) for a 20-byte witness program, e.g. `bc1q…`.
 * @param hrp - human-readable part, `bc` for Bitcoin mainnet.
 * @param program - 20 (P2WPKH) or 32 (P2WSH) bytes.
 */
export function bech32SegwitV0(hrp: string, program: Buffer): string {
  // convertbits 8 -> 5 with padding
  const data: number[] = [0];
  let acc = 0;
  let bits = 0;
  for (const byte of program) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      data.push((acc >>> bits) & 31);
    }
  }
  if (bits > 0) data.push((acc << (5 - bits)) & 31);
  const pm = bech32Polymod([...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum: number[] = [];
  for (let i = 0; i < 6; i++) checksum.push((pm >>> (5 * (5 - i))) & 31);
  return hrp + '1' + [...data, ...checksum].map((d) => BECH32[d]).join('');
}

/** Validate a bech32 (BIP-173) string's checksum. */
export function bech32Valid(s: string): boolean {
  const pos = s.lastIndexOf('1');
  if (pos < 1) return false;
  const hrp = s.slice(0, pos);
  const data: number[] = [];
  for (const c of s.slice(pos + 1)) {
    const i = BECH32.indexOf(c);
    if (i < 0) return false;
    data.push(i);
  }
  return bech32Polymod([...hrpExpand(hrp), ...data]) === 1;
}
