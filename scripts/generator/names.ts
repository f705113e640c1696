/**
 * Name, email and phone helpers: Korean romanization, name/email variants (the "same person
 * entered twice" dirt), typo injection and phone-number formatting.
 */
import type { Rng } from './prng.js';

/**
 * Korean surnames with approximate population shares (Statistics Korea 2015 census, rounded)
 * and their customary (not strict Revised Romanization) spellings; the first spelling is the
 * most common one, others are frequent alternatives used in passports.
 */
export const KO_SURNAMES: readonly (readonly [string, number, readonly string[]])[] = [
  ['김', 21.5, ['Kim', 'Gim']],
  ['이', 14.7, ['Lee', 'Yi', 'Rhee']],
  ['박', 8.4, ['Park', 'Pak', 'Bak']],
  ['최', 4.7, ['Choi', 'Choe']],
  ['정', 4.3, ['Jung', 'Jeong', 'Chung']],
  ['강', 2.3, ['Kang', 'Gang']],
  ['조', 2.1, ['Cho', 'Jo']],
  ['윤', 2.1, ['Yoon', 'Yun']],
  ['장', 2.0, ['Jang', 'Chang']],
  ['임', 1.7, ['Lim', 'Im']],
  ['한', 1.5, ['Han']],
  ['오', 1.5, ['Oh', 'O']],
  ['서', 1.5, ['Seo', 'Suh']],
  ['신', 1.4, ['Shin', 'Sin']],
  ['권', 1.4, ['Kwon', 'Gwon']],
  ['황', 1.4, ['Hwang']],
  ['안', 1.4, ['Ahn', 'An']],
  ['송', 1.4, ['Song']],
  ['전', 1.3, ['Jeon', 'Jun']],
  ['홍', 1.1, ['Hong']],
  ['유', 1.1, ['Yoo', 'Yu']],
  ['고', 0.9, ['Ko', 'Go']],
  ['문', 0.9, ['Moon', 'Mun']],
  ['양', 0.9, ['Yang']],
  ['손', 0.9, ['Son', 'Sohn']],
  ['배', 0.8, ['Bae']],
  ['백', 0.8, ['Baek', 'Paik']],
  ['허', 0.6, ['Heo', 'Huh']],
  ['남', 0.5, ['Nam']],
  ['노', 0.4, ['Noh', 'Roh']],
];

const RR_INITIAL = ['g', 'kk', 'n', 'd', 'tt', 'r', 'm', 'b', 'pp', 's', 'ss', '', 'j', 'jj', 'ch', 'k', 't', 'p', 'h'];
const RR_MEDIAL = ['a', 'ae', 'ya', 'yae', 'eo', 'e', 'yeo', 'ye', 'o', 'wa', 'wae', 'oe', 'yo', 'u', 'wo', 'we', 'wi', 'yu', 'eu', 'ui', 'i'];
const RR_FINAL = ['', 'k', 'k', 'k', 'n', 'n', 'n', 't', 'l', 'k', 'm', 'l', 'l', 'l', 'p', 'l', 'm', 'p', 'p', 't', 't', 'ng', 't', 't', 'k', 't', 'p', 't'];

/**
 * Romanize Hangul syllables with a simplified Revised Romanization of Korean (Ministry of
 * Culture, 2000): syllable-by-syllable jamo decomposition (Unicode: syllable =
 * 0xAC00 + (initial × 21 + medial) × 28 + final), no sound-change rules.
 *
 * @param hangul - string; non-Hangul characters pass through.
 * @returns lower-case romanization, one chunk per syllable joined by `sep`.
 */
export function romanize(hangul: string, sep = ''): string {
  const parts: string[] = [];
  for (const ch of hangul) {
    const c = ch.charCodeAt(0) - 0xac00;
    if (c < 0 || c > 11171) {
      parts.push(ch);
      continue;
    }
    const ini = Math.floor(c / 588);
    const med = Math.floor((c % 588) / 28);
    const fin = c % 28;
    let s = RR_INITIAL[ini] + RR_MEDIAL[med] + RR_FINAL[fin];
    if (parts.length === 0 && ini === 5) s = 'r' + s.slice(1); // keep r
    parts.push(s);
  }
  return parts.join(sep);
}

/** Capitalise the first letter (ASCII). */
export function cap(s: string): string {
  return s.length ? s[0].toUpperCase() + s.slice(1) : s;
}

/**
 * Romanized given-name styles seen in the wild for a two-syllable Korean given name:
 * `Minsu`, `Min-su`, `Min Su`.
 */
export function romanGiven(given: string, rng: Rng, style?: number): string {
  const syl = [...given].map((c) => romanize(c));
  const st = style ?? rng.int(0, 2);
  if (syl.length < 2) return cap(syl.join(''));
  if (st === 1) return cap(syl[0]) + '-' + syl.slice(1).join('');
  if (st === 2) return syl.map(cap).join(' ');
  return cap(syl.join(''));
}

/** English given names with common nicknames (used for the nickname variant). */
export const NICKNAMES: Readonly<Record<string, readonly string[]>> = {
  Robert: ['Bob', 'Rob', 'Bobby'],
  William: ['Bill', 'Will', 'Liam'],
  Elizabeth: ['Liz', 'Beth', 'Lizzie'],
  Katherine: ['Kate', 'Katie', 'Kathy'],
  Michael: ['Mike', 'Mikey'],
  James: ['Jim', 'Jamie'],
  Jennifer: ['Jen', 'Jenny'],
  Christopher: ['Chris'],
  Daniel: ['Dan', 'Danny'],
  Matthew: ['Matt'],
  Joseph: ['Joe', 'Joey'],
  Thomas: ['Tom', 'Tommy'],
  Richard: ['Rick', 'Rich', 'Dick'],
  Anthony: ['Tony'],
  Margaret: ['Maggie', 'Peggy', 'Meg'],
  Jessica: ['Jess', 'Jessie'],
  Samuel: ['Sam'],
  Alexander: ['Alex', 'Xander'],
  Benjamin: ['Ben', 'Benny'],
  Nicholas: ['Nick'],
  Andrew: ['Andy', 'Drew'],
  Jonathan: ['Jon', 'Johnny'],
  Patricia: ['Pat', 'Trish', 'Patty'],
  Rebecca: ['Becky', 'Becca'],
  Steven: ['Steve'],
  Edward: ['Ed', 'Ted', 'Eddie'],
  Charles: ['Charlie', 'Chuck'],
  Victoria: ['Vicky', 'Tori'],
  Susan: ['Sue', 'Susie'],
  Deborah: ['Debbie', 'Deb'],
  Jacqueline: ['Jackie'],
  Timothy: ['Tim'],
  Gregory: ['Greg'],
  Kimberly: ['Kim'],
  Stephanie: ['Steph'],
  Abigail: ['Abby'],
  Christina: ['Chris', 'Tina'],
  Zachary: ['Zach'],
  Nathaniel: ['Nate', 'Nat'],
  Olivia: ['Liv'],
};

/** Names that have nicknames, split by typical gender (for picking realistic first names). */
export const NICK_MALE = ['Robert', 'William', 'Michael', 'James', 'Christopher', 'Daniel', 'Matthew', 'Joseph', 'Thomas', 'Richard', 'Anthony', 'Samuel', 'Alexander', 'Benjamin', 'Nicholas', 'Andrew', 'Jonathan', 'Steven', 'Edward', 'Charles', 'Timothy', 'Gregory', 'Zachary', 'Nathaniel'];
/** Female given names with nicknames. */
export const NICK_FEMALE = ['Elizabeth', 'Katherine', 'Jennifer', 'Margaret', 'Jessica', 'Patricia', 'Rebecca', 'Victoria', 'Susan', 'Deborah', 'Jacqueline', 'Kimberly', 'Stephanie', 'Abigail', 'Christina', 'Olivia'];

const KEY_NEIGHBORS: Record<string, string> = {
  a: 'sqz', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'k',
  m: 'n', n: 'bm', o: 'ip', p: 'o', q: 'w', r: 'et', s: 'ad', t: 'ry', u: 'yi', v: 'cb', w: 'qe', x: 'zc', y: 'tu', z: 'x',
};

/**
 * Introduce one realistic typing error into an ASCII word: adjacent transposition, dropped
 * letter, doubled letter or a keyboard-neighbour substitution. Words shorter than 4 characters
 * and non-ASCII strings are returned unchanged.
 */
export function typo(s: string, rng: Rng): string {
  if (s.length < 4 || /[^\x20-\x7e]/.test(s)) return s;
  const i = rng.int(1, s.length - 2);
  switch (rng.int(0, 3)) {
    case 0:
      return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
    case 1:
      return s.slice(0, i) + s.slice(i + 1);
    case 2:
      return s.slice(0, i) + s[i] + s.slice(i);
    default: {
      const lower = s[i].toLowerCase();
      const n = KEY_NEIGHBORS[lower];
      if (!n) return s.slice(0, i) + s.slice(i + 1);
      const r = n[rng.int(0, n.length - 1)];
      return s.slice(0, i) + (s[i] === lower ? r : r.toUpperCase()) + s.slice(i + 1);
    }
  }
}

/** Randomly alternate letter case ("MiXeD cAsE"). */
export function mixedCase(s: string, rng: Rng): string {
  let out = '';
  for (const ch of s) out += rng.chance(0.5) ? ch.toUpperCase() : ch.toLowerCase();
  return out;
}

/** Strip anything but ASCII letters/digits and lower-case (for email local parts). */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Common free-mail domains by audience, with rough weights. */
export const KO_DOMAINS: readonly (readonly [string, number])[] = [
  ['naver.com', 45], ['gmail.com', 25], ['daum.net', 12], ['hanmail.net', 8], ['kakao.com', 6], ['nate.com', 4],
];
/** US/other English-speaking free-mail domains with weights. */
export const EN_DOMAINS: readonly (readonly [string, number])[] = [
  ['gmail.com', 45], ['yahoo.com', 14], ['outlook.com', 12], ['hotmail.com', 10], ['icloud.com', 10], ['aol.com', 3], ['proton.me', 3], ['comcast.net', 3],
];
/** UK-specific free-mail domains. */
export const GB_DOMAINS: readonly (readonly [string, number])[] = [
  ['gmail.com', 40], ['hotmail.co.uk', 15], ['yahoo.co.uk', 12], ['outlook.com', 12], ['btinternet.com', 8], ['icloud.com', 8], ['sky.com', 5],
];

/** Misspelled domains people type (plausible "bad" but syntactically valid emails). */
export const DOMAIN_TYPOS: Readonly<Record<string, string>> = {
  'gmail.com': 'gmial.com',
  'naver.com': 'navr.com',
  'yahoo.com': 'yaho.com',
  'hotmail.com': 'hotmial.com',
  'outlook.com': 'outlok.com',
  'daum.net': 'duam.net',
  'icloud.com': 'iclod.com',
};

/**
 * Produce a *different but same-person* spelling of an email address, as seen when one person
 * registers twice: changed case, gmail dots, `+tag` sub-addressing, domain typo, or swapped
 * domain. The returned address remains syntactically valid.
 */
export function emailVariant(email: string, rng: Rng): string {
  const at = email.indexOf('@');
  if (at < 0) return email;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const k = rng.int(0, 5);
  if (k === 0) return cap(local) + '@' + domain.toUpperCase();
  if (k === 1 && domain === 'gmail.com' && local.length > 3) {
    const i = rng.int(1, local.length - 1);
    return local.slice(0, i) + (local[i - 1] === '.' || local[i] === '.' ? '' : '.') + local.slice(i) + '@' + domain;
  }
  if (k === 2) return local + '+' + rng.pick(['shop', 'promo', 'news', 'weir']) + '@' + domain;
  if (k === 3 && DOMAIN_TYPOS[domain]) return local + '@' + DOMAIN_TYPOS[domain];
  if (k === 4) return email.toUpperCase();
  const other = rng.pick(['gmail.com', 'outlook.com', 'naver.com', 'yahoo.com', 'icloud.com'].filter((d) => d !== domain));
  return local + '@' + other;
}

/**
 * Make a syntactically *invalid* email from a valid one (bad-email dirt): missing `@`,
 * double dots, trailing dot, embedded space, or missing TLD.
 */
export function badEmail(email: string, rng: Rng): { value: string; kind: string } {
  const at = email.indexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  switch (rng.int(0, 4)) {
    case 0:
      return { value: local + domain, kind: 'email_missing_at' };
    case 1:
      return { value: local + '..' + rng.pick(['x', 'k', 'm']) + '@' + domain, kind: 'email_double_dot' };
    case 2:
      return { value: local + '@' + domain.replace('.', '..'), kind: 'email_double_dot' };
    case 3:
      return { value: local + ' @' + domain, kind: 'email_space' };
    default:
      return { value: local + '@' + domain.split('.')[0], kind: 'email_missing_tld' };
  }
}

/**
 * Format a Korean mobile number (subscriber digits `XXXXXXXX`, 8 digits after `010`) in one of
 * the formats seen in Korean systems.
 * @param style - 0 `010-1234-5678`, 1 `01012345678`, 2 `+82 10-1234-5678`, 3 `+82-10-1234-5678`,
 *   4 `010 1234 5678`, 5 `010.1234.5678`, 6 `+821012345678`.
 */
export function formatKrMobile(sub8: string, style: number): string {
  const a = sub8.slice(0, 4);
  const b = sub8.slice(4);
  switch (style) {
    case 1: return `010${a}${b}`;
    case 2: return `+82 10-${a}-${b}`;
    case 3: return `+82-10-${a}-${b}`;
    case 4: return `010 ${a} ${b}`;
    case 5: return `010.${a}.${b}`;
    case 6: return `+8210${a}${b}`;
    default: return `010-${a}-${b}`;
  }
}

/**
 * Format a North American number (10 digits `AAAEEESSSS`).
 * @param style - 0 `(415) 555-0123`, 1 `415-555-0123`, 2 `+1 415 555 0123`, 3 `4155550123`,
 *   4 `415.555.0123`, 5 `+1-415-555-0123`, 6 `1 (415) 555-0123`.
 */
export function formatNanp(d10: string, style: number): string {
  const a = d10.slice(0, 3);
  const e = d10.slice(3, 6);
  const s = d10.slice(6);
  switch (style) {
    case 1: return `${a}-${e}-${s}`;
    case 2: return `+1 ${a} ${e} ${s}`;
    case 3: return d10;
    case 4: return `${a}.${e}.${s}`;
    case 5: return `+1-${a}-${e}-${s}`;
    case 6: return `1 (${a}) ${e}-${s}`;
    default: return `(${a}) ${e}-${s}`;
  }
}

/**
 * Format a UK mobile number (9 digits after `07`).
 * @param style - 0 `07700 900123`, 1 `+44 7700 900123`, 2 `07700900123`, 3 `+447700900123`.
 */
export function formatUkMobile(d9: string, style: number): string {
  const a = d9.slice(0, 3);
  const b = d9.slice(3);
  switch (style) {
    case 1: return `+44 7${a} ${b}`;
    case 2: return `07${a}${b}`;
    case 3: return `+447${a}${b}`;
    default: return `07${a} ${b}`;
  }
}

/** Format an Australian mobile (8 digits after `04`): `0412 345 678` or `+61 412 345 678`. */
export function formatAuMobile(d8: string, style: number): string {
  return style % 2 === 0 ? `04${d8.slice(0, 2)} ${d8.slice(2, 5)} ${d8.slice(5)}` : `+61 4${d8.slice(0, 2)} ${d8.slice(2, 5)} ${d8.slice(5)}`;
}

/**
 * Random valid-looking NANP 10-digit number: area code 2xx–9xx not ending in 11, exchange
 * 2xx–9xx, avoiding 555-01xx fiction numbers only by chance.
 */
export function randomNanp(rng: Rng): string {
  let area: string;
  do area = String(rng.int(201, 989));
  while (area[1] === '1' && area[2] === '1');
  return area + String(rng.int(201, 989)) + rng.digits(4);
}
