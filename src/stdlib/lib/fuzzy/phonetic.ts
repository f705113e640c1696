/**
 * Phonetic keys for blocking: American Soundex and Metaphone, with jellyfish's rules. Double Metaphone is
 * in ./double-metaphone.ts.
 * @module
 */

// phonetic keys

/**
 * American Soundex (Russell & Odell 1918; the National Archives rules), as jellyfish computes it: the
 * input is upper-cased and NFKD-decomposed; the first character is kept as is; following letters map to
 * digits (BFPV 1, CGJKQSXZ 2, DT 3, L 4, MN 5, R 6); adjacent equal digits collapse, also across H and W
 * but not across vowels or other characters; the code is cut or zero-padded to 4 characters.
 * @returns a 4-character code such as 'R163', or '' for ''.
 */
export function soundex(s: string): string {
  if (s.length === 0) return '';
  const v = [...s.toUpperCase().normalize('NFKD')];
  const code = (ch: string): string => {
    switch (ch) {
      case 'B': case 'F': case 'P': case 'V': return '1';
      case 'C': case 'G': case 'J': case 'K': case 'Q': case 'S': case 'X': case 'Z': return '2';
      case 'D': case 'T': return '3';
      case 'L': return '4';
      case 'M': case 'N': return '5';
      case 'R': return '6';
      default: return '*';
    }
  };
  let result = v[0];
  let n = 1;
  let last = code(v[0]);
  for (let i = 1; i < v.length && n < 4; i++) {
    const ch = v[i];
    const sub = code(ch);
    if (sub !== '*') {
      if (sub !== last) {
        result += sub;
        n++;
      }
      last = sub;
    } else if (ch !== 'H' && ch !== 'W') {
      last = '*';
    }
  }
  return result + '0'.repeat(4 - n);
}

/**
 * Metaphone (Lawrence Philips 1990), with jellyfish's exact rules: upper-case + NFKD input; initial KN,
 * GN, PN, WR, AE drop their first letter; doubled letters other than C collapse; vowels are kept only at
 * the start of a word; spaces are kept between words; '0' (zero) stands for "th".
 * @returns the code, e.g. 'MTFN' for 'metaphone'; '' for ''.
 */
export function metaphone(s: string): string {
  if (s.length === 0) return '';
  const up = s.toUpperCase();
  const v = [...up.normalize('NFKD')];
  if (/^(KN|GN|PN|WR|AE)/.test(up)) v.shift();
  const isVowel = (c: string) => c === 'A' || c === 'E' || c === 'I' || c === 'O' || c === 'U';
  const isIEY = (c: string) => c === 'I' || c === 'E' || c === 'Y';
  let ret = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    const next = i + 1 < v.length ? v[i + 1] : '*';
    const nextnext = i + 2 < v.length ? v[i + 2] : '*';
    if (c === next && c !== 'C') continue;
    switch (c) {
      case 'A': case 'E': case 'I': case 'O': case 'U':
        if (i === 0 || v[i - 1] === ' ') ret += c;
        break;
      case 'B':
        if (i === 0 || v[i - 1] !== 'M' || next !== '*') ret += 'B';
        break;
      case 'C':
        if ((next === 'I' && nextnext === 'A') || next === 'H') {
          i++;
          ret += 'X';
        } else if (isIEY(next)) {
          i++;
          ret += 'S';
        } else ret += 'K';
        break;
      case 'D':
        if (next === 'G' && isIEY(nextnext)) {
          i += 2;
          ret += 'J';
        } else ret += 'T';
        break;
      case 'F': case 'J': case 'L': case 'M': case 'N': case 'R':
        ret += c;
        break;
      case 'G':
        if (isIEY(next)) ret += 'J';
        else if ((next === 'H' && nextnext !== '*' && !isVowel(nextnext)) || (next === 'N' && nextnext === '*')) i++;
        else ret += 'K';
        break;
      case 'H':
        if (i === 0 || isVowel(next) || !isVowel(v[i - 1])) ret += 'H';
        break;
      case 'K':
        if (i === 0 || v[i - 1] !== 'C') ret += 'K';
        break;
      case 'P':
        if (next === 'H') {
          i++;
          ret += 'F';
        } else ret += 'P';
        break;
      case 'Q':
        ret += 'K';
        break;
      case 'S':
        if (next === 'H') {
          i++;
          ret += 'X';
        } else if (next === 'I' && (nextnext === 'O' || nextnext === 'A')) {
          i += 2;
          ret += 'X';
        } else ret += 'S';
        break;
      case 'T':
        if (next === 'I' && (nextnext === 'O' || nextnext === 'A')) ret += 'X';
        else if (next === 'H') {
          i++;
          ret += '0';
        } else if (next !== 'C' || nextnext !== 'H') ret += 'T';
        break;
      case 'V':
        ret += 'F';
        break;
      case 'W':
        if (i === 0 && next === 'H') {
          i++;
          ret += 'W';
        } else if (isVowel(next)) ret += 'W';
        break;
      case 'X':
        if (i === 0) ret += next === 'H' || (next === 'I' && (nextnext === 'O' || nextnext === 'A')) ? 'X' : 'S';
        else ret += 'KS';
        break;
      case 'Y':
        if (isVowel(next)) ret += 'Y';
        break;
      case 'Z':
        ret += 'S';
        break;
      case ' ':
        if (ret.length > 0 && ret[ret.length - 1] !== ' ') ret += ' ';
        break;
      default:
        break;
    }
  }
  return ret;
}
