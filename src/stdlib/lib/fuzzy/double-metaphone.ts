/**
 * Double Metaphone (Lawrence Philips 2000), for blocking candidate pairs.
 * @module
 */

/** Options of {@link doubleMetaphone}. */
export interface DoubleMetaphoneOptions {
  /** Longest code returned. Default 4, as in Philips' original code; `Infinity` for untruncated codes. */
  readonly maxLength?: number;
}

/**
 * Double Metaphone (Lawrence Philips, "The Double Metaphone Search Algorithm", C/C++ Users Journal,
 * June 2000): a primary and an alternate phonetic code for English and the European and Asian names
 * common in America (Germanic, Slavic, Romance, Greek, Chinese pinyin …), for blocking candidate pairs.
 * Implemented from the rules of Philips' published C++ code (upper-cased input padded with spaces, the
 * "Slavo-Germanic" test, all initial vowels → 'A', '0' for "th", 'X' for "sh"/"ch"). Characters outside
 * A–Z, Ç and Ñ are skipped. Where the original appends a space to the alternate (a final J), nothing is
 * appended.
 * @returns `[primary, alternate]`, each at most `maxLength` (4) characters; `['', '']` for ''.
 * @example doubleMetaphone('Schmidt') // ['XMT', 'SMT']
 */
export function doubleMetaphone(s: string, options: DoubleMetaphoneOptions = {}): [string, string] {
  const maxLength = options.maxLength ?? 4;
  const value = s.toUpperCase();
  const length = value.length;
  const last = length - 1;
  const str = value + '     ';
  let primary = '';
  let secondary = '';
  let current = 0;

  const at = (i: number) => (i >= 0 && i < str.length ? str[i] : '');
  const stringAt = (start: number, len: number, ...subs: string[]): boolean => {
    if (start < 0 || start >= str.length) return false;
    const sub = str.substr(start, len);
    return subs.includes(sub);
  };
  const isVowel = (i: number) => i >= 0 && i < length && 'AEIOUY'.includes(str[i]);
  const add = (main: string, alt?: string) => {
    primary += main;
    secondary += alt === undefined ? main : alt;
  };
  const slavoGermanic = /W|K|CZ|WITZ/.test(value);
  const germanic = stringAt(0, 4, 'VAN ', 'VON ') || stringAt(0, 3, 'SCH');

  if (stringAt(0, 2, 'GN', 'KN', 'PN', 'WR', 'PS')) current += 1;
  if (at(0) === 'X') {
    add('S');
    current += 1;
  }

  while (current < length && (primary.length < maxLength || secondary.length < maxLength)) {
    const ch = str[current];
    switch (ch) {
      case 'A': case 'E': case 'I': case 'O': case 'U': case 'Y':
        if (current === 0) add('A');
        current += 1;
        break;
      case 'B':
        add('P');
        current += at(current + 1) === 'B' ? 2 : 1;
        break;
      case 'Ç':
        add('S');
        current += 1;
        break;
      case 'C':
        current = doubleMetaphoneC(current);
        break;
      case 'D':
        if (stringAt(current, 2, 'DG')) {
          if (stringAt(current + 2, 1, 'I', 'E', 'Y')) {
            add('J');
            current += 3;
          } else {
            add('TK');
            current += 2;
          }
        } else if (stringAt(current, 2, 'DT', 'DD')) {
          add('T');
          current += 2;
        } else {
          add('T');
          current += 1;
        }
        break;
      case 'F':
        add('F');
        current += at(current + 1) === 'F' ? 2 : 1;
        break;
      case 'G':
        current = doubleMetaphoneG(current);
        break;
      case 'H':
        if ((current === 0 || isVowel(current - 1)) && isVowel(current + 1)) {
          add('H');
          current += 2;
        } else current += 1;
        break;
      case 'J':
        if (stringAt(current, 4, 'JOSE') || stringAt(0, 4, 'SAN ')) {
          if ((current === 0 && at(current + 4) === ' ') || stringAt(0, 4, 'SAN ')) add('H');
          else add('J', 'H');
          current += 1;
          break;
        }
        if (current === 0 && !stringAt(current, 4, 'JOSE')) add('J', 'A');
        else if (isVowel(current - 1) && !slavoGermanic && (at(current + 1) === 'A' || at(current + 1) === 'O')) add('J', 'H');
        else if (current === last) add('J', '');
        else if (!stringAt(current + 1, 1, 'L', 'T', 'K', 'S', 'N', 'M', 'B', 'Z') && !stringAt(current - 1, 1, 'S', 'K', 'L')) add('J');
        current += at(current + 1) === 'J' ? 2 : 1;
        break;
      case 'K':
        add('K');
        current += at(current + 1) === 'K' ? 2 : 1;
        break;
      case 'L':
        if (at(current + 1) === 'L') {
          if (
            (current === length - 3 && stringAt(current - 1, 4, 'ILLO', 'ILLA', 'ALLE')) ||
            ((stringAt(last - 1, 2, 'AS', 'OS') || stringAt(last, 1, 'A', 'O')) && stringAt(current - 1, 4, 'ALLE'))
          ) {
            add('L', ''); // Spanish -llo/-lla: no L in the alternate (as Apache commons-codec and words/double-metaphone)
            current += 2;
            break;
          }
          current += 2;
        } else current += 1;
        add('L');
        break;
      case 'M':
        if ((stringAt(current - 1, 3, 'UMB') && (current + 1 === last || stringAt(current + 2, 2, 'ER'))) || at(current + 1) === 'M') current += 2;
        else current += 1;
        add('M');
        break;
      case 'N':
        add('N');
        current += at(current + 1) === 'N' ? 2 : 1;
        break;
      case 'Ñ':
        add('N');
        current += 1;
        break;
      case 'P':
        if (at(current + 1) === 'H') {
          add('F');
          current += 2;
        } else {
          add('P');
          current += stringAt(current + 1, 1, 'P', 'B') ? 2 : 1;
        }
        break;
      case 'Q':
        add('K');
        current += at(current + 1) === 'Q' ? 2 : 1;
        break;
      case 'R':
        if (current === last && !slavoGermanic && stringAt(current - 2, 2, 'IE') && !stringAt(current - 4, 2, 'ME', 'MA')) add('', 'R');
        else add('R');
        current += at(current + 1) === 'R' ? 2 : 1;
        break;
      case 'S':
        current = doubleMetaphoneS(current);
        break;
      case 'T':
        if (stringAt(current, 4, 'TION') || stringAt(current, 3, 'TIA', 'TCH')) {
          add('X');
          current += 3;
        } else if (stringAt(current, 2, 'TH') || stringAt(current, 3, 'TTH')) {
          if (stringAt(current + 2, 2, 'OM', 'AM') || germanic) add('T');
          else add('0', 'T');
          current += 2;
        } else {
          add('T');
          current += stringAt(current + 1, 1, 'T', 'D') ? 2 : 1;
        }
        break;
      case 'V':
        add('F');
        current += at(current + 1) === 'V' ? 2 : 1;
        break;
      case 'W':
        if (stringAt(current, 2, 'WR')) {
          add('R');
          current += 2;
          break;
        }
        if (current === 0 && (isVowel(current + 1) || stringAt(current, 2, 'WH'))) {
          if (isVowel(current + 1)) add('A', 'F');
          else add('A');
        }
        if ((current === last && isVowel(current - 1)) || stringAt(current - 1, 5, 'EWSKI', 'EWSKY', 'OWSKI', 'OWSKY') || stringAt(0, 3, 'SCH')) {
          add('', 'F');
          current += 1;
          break;
        }
        if (stringAt(current, 4, 'WICZ', 'WITZ')) {
          add('TS', 'FX');
          current += 4;
          break;
        }
        current += 1;
        break;
      case 'X':
        if (!(current === last && (stringAt(current - 3, 3, 'IAU', 'EAU') || stringAt(current - 2, 2, 'AU', 'OU')))) add('KS');
        current += stringAt(current + 1, 1, 'C', 'X') ? 2 : 1;
        break;
      case 'Z':
        if (at(current + 1) === 'H') {
          add('J');
          current += 2;
          break;
        }
        if (stringAt(current + 1, 2, 'ZO', 'ZI', 'ZA') || (slavoGermanic && current > 0 && at(current - 1) !== 'T')) add('S', 'TS');
        else add('S');
        current += at(current + 1) === 'Z' ? 2 : 1;
        break;
      default:
        current += 1;
    }
  }
  return [primary.slice(0, maxLength), secondary.slice(0, maxLength)];

  function doubleMetaphoneC(cur: number): number {
    // Germanic: 'bacher', 'macher'
    if (
      cur > 1 && !isVowel(cur - 2) && stringAt(cur - 1, 3, 'ACH') &&
      at(cur + 2) !== 'I' && (at(cur + 2) !== 'E' || stringAt(cur - 2, 6, 'BACHER', 'MACHER'))
    ) {
      add('K');
      return cur + 2;
    }
    if (cur === 0 && stringAt(cur, 6, 'CAESAR')) {
      add('S');
      return cur + 2;
    }
    if (stringAt(cur, 4, 'CHIA')) {
      add('K');
      return cur + 2;
    }
    if (stringAt(cur, 2, 'CH')) {
      if (cur > 0 && stringAt(cur, 4, 'CHAE')) {
        add('K', 'X');
        return cur + 2;
      }
      // Greek roots: 'chemistry', 'chorus'
      if (cur === 0 && (stringAt(cur + 1, 5, 'HARAC', 'HARIS') || stringAt(cur + 1, 3, 'HOR', 'HYM', 'HIA', 'HEM')) && !stringAt(0, 5, 'CHORE')) {
        add('K');
        return cur + 2;
      }
      if (
        germanic ||
        stringAt(cur - 2, 6, 'ORCHES', 'ARCHIT', 'ORCHID') ||
        stringAt(cur + 2, 1, 'T', 'S') ||
        ((stringAt(cur - 1, 1, 'A', 'O', 'U', 'E') || cur === 0) && stringAt(cur + 2, 1, 'L', 'R', 'N', 'M', 'B', 'H', 'F', 'V', 'W', ' '))
      ) {
        add('K');
      } else if (cur > 0) {
        if (stringAt(0, 2, 'MC')) add('K');
        else add('X', 'K');
      } else add('X');
      return cur + 2;
    }
    if (stringAt(cur, 2, 'CZ') && !stringAt(cur - 2, 4, 'WICZ')) {
      add('S', 'X');
      return cur + 2;
    }
    if (stringAt(cur + 1, 3, 'CIA')) {
      add('X');
      return cur + 3;
    }
    if (stringAt(cur, 2, 'CC') && !(cur === 1 && at(0) === 'M')) {
      if (stringAt(cur + 2, 1, 'I', 'E', 'H') && !stringAt(cur + 2, 2, 'HU')) {
        if ((cur === 1 && at(cur - 1) === 'A') || stringAt(cur - 1, 5, 'UCCEE', 'UCCES')) add('KS');
        else add('X');
        return cur + 3;
      }
      add('K');
      return cur + 2;
    }
    if (stringAt(cur, 2, 'CK', 'CG', 'CQ')) {
      add('K');
      return cur + 2;
    }
    if (stringAt(cur, 2, 'CI', 'CE', 'CY')) {
      if (stringAt(cur, 3, 'CIO', 'CIE', 'CIA')) add('S', 'X');
      else add('S');
      return cur + 2;
    }
    add('K');
    if (stringAt(cur + 1, 2, ' C', ' Q', ' G')) return cur + 3;
    if (stringAt(cur + 1, 1, 'C', 'K', 'Q') && !stringAt(cur + 1, 2, 'CE', 'CI')) return cur + 2;
    return cur + 1;
  }

  function doubleMetaphoneG(cur: number): number {
    if (at(cur + 1) === 'H') {
      if (cur > 0 && !isVowel(cur - 1)) {
        add('K');
        return cur + 2;
      }
      if (cur === 0) {
        add(at(cur + 2) === 'I' ? 'J' : 'K');
        return cur + 2;
      }
      // Parker's rule: 'hugh', 'bough', 'broughton'
      if (
        (cur > 1 && stringAt(cur - 2, 1, 'B', 'H', 'D')) ||
        (cur > 2 && stringAt(cur - 3, 1, 'B', 'H', 'D')) ||
        (cur > 3 && stringAt(cur - 4, 1, 'B', 'H'))
      ) {
        return cur + 2;
      }
      // 'laugh', 'McLaughlin', 'cough', 'rough', 'tough'
      if (cur > 2 && at(cur - 1) === 'U' && stringAt(cur - 3, 1, 'C', 'G', 'L', 'R', 'T')) add('F');
      else if (cur > 0 && at(cur - 1) !== 'I') add('K');
      return cur + 2;
    }
    if (at(cur + 1) === 'N') {
      if (cur === 1 && isVowel(0) && !slavoGermanic) add('KN', 'N');
      else if (!stringAt(cur + 2, 2, 'EY') && at(cur + 1) !== 'Y' && !slavoGermanic) add('N', 'KN');
      else add('KN');
      return cur + 2;
    }
    if (stringAt(cur + 1, 2, 'LI') && !slavoGermanic) {
      add('KL', 'L');
      return cur + 2;
    }
    if (cur === 0 && (at(cur + 1) === 'Y' || stringAt(cur + 1, 2, 'ES', 'EP', 'EB', 'EL', 'EY', 'IB', 'IL', 'IN', 'IE', 'EI', 'ER'))) {
      add('K', 'J');
      return cur + 2;
    }
    if (
      (stringAt(cur + 1, 2, 'ER') || at(cur + 1) === 'Y') &&
      !stringAt(0, 6, 'DANGER', 'RANGER', 'MANGER') &&
      !stringAt(cur - 1, 1, 'E', 'I') &&
      !stringAt(cur - 1, 3, 'RGY', 'OGY')
    ) {
      add('K', 'J');
      return cur + 2;
    }
    if (stringAt(cur + 1, 1, 'E', 'I', 'Y') || stringAt(cur - 1, 4, 'AGGI', 'OGGI')) {
      if (germanic || stringAt(cur + 1, 2, 'ET')) add('K');
      else if (stringAt(cur + 1, 4, 'IER ')) add('J');
      else add('J', 'K');
      return cur + 2;
    }
    add('K');
    return cur + (at(cur + 1) === 'G' ? 2 : 1);
  }

  function doubleMetaphoneS(cur: number): number {
    if (stringAt(cur - 1, 3, 'ISL', 'YSL')) return cur + 1;
    if (cur === 0 && stringAt(cur, 5, 'SUGAR')) {
      add('X', 'S');
      return cur + 1;
    }
    if (stringAt(cur, 2, 'SH')) {
      if (stringAt(cur + 1, 4, 'HEIM', 'HOEK', 'HOLM', 'HOLZ')) add('S');
      else add('X');
      return cur + 2;
    }
    if (stringAt(cur, 3, 'SIO', 'SIA') || stringAt(cur, 4, 'SIAN')) {
      if (!slavoGermanic) add('S', 'X');
      else add('S');
      return cur + 3;
    }
    if ((cur === 0 && stringAt(cur + 1, 1, 'M', 'N', 'L', 'W')) || stringAt(cur + 1, 1, 'Z')) {
      add('S', 'X');
      return cur + (stringAt(cur + 1, 1, 'Z') ? 2 : 1);
    }
    if (stringAt(cur, 2, 'SC')) {
      if (at(cur + 2) === 'H') {
        if (stringAt(cur + 3, 2, 'OO', 'ER', 'EN', 'UY', 'ED', 'EM')) {
          if (stringAt(cur + 3, 2, 'ER', 'EN')) add('X', 'SK');
          else add('SK');
          return cur + 3;
        }
        if (cur === 0 && !isVowel(3) && at(3) !== 'W') add('X', 'S');
        else add('X');
        return cur + 3;
      }
      if (stringAt(cur + 2, 1, 'I', 'E', 'Y')) {
        add('S');
        return cur + 3;
      }
      add('SK');
      return cur + 3;
    }
    if (cur === last && stringAt(cur - 2, 2, 'AI', 'OI')) add('', 'S');
    else add('S');
    return cur + (stringAt(cur + 1, 1, 'S', 'Z') ? 2 : 1);
  }
}
