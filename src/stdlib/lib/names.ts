/**
 * Person-name keys for record linkage across Korean and English spellings of one name.
 *
 * A person's name reaches a warehouse in many shapes: `이소영`, `이 소영`, `소영 이` (given name first, as
 * a first_name/last_name form concatenates it), `Soyeong Lee`, `LEE SO-YEONG`, `So Yeong Lee`; `Robert
 * Smith`, `Smith, Robert`, `Bob Smith`, `Robert J. Smith`. {@link personNameKeys} maps each of them to
 * the same short key `"<family> <given>"`, so that an equi-join on the key finds the pair (blocking) and
 * equality of keys is a strong comparison level.
 *
 * - Korean family names are written by their Revised Romanization (RR 2000) — `김` → `gim`, `이` → `i`,
 *   `박` → `bak` — and the customary spellings people actually use (Kim, Lee/Yi/Rhee, Park/Pak, Choi,
 *   Jung/Chung, …, from the National Institute of Korean Language's surname romanization survey) map to
 *   that form. Korean given names are romanized syllable by syllable without sound changes, as RR
 *   prescribes for personal names (RR Chapter 3 Article 4), with hyphens and spaces between syllables
 *   dropped (`Min-su`, `Min Su`, `Minsu` → `minsu`).
 * - English names keep the first and last words (middle names and initials dropped), the given name's
 *   common nicknames mapped to their full forms (`Bob` → `robert`; an ambiguous nickname such as `Chris`
 *   gives one key per full form).
 *
 * Pure TypeScript, no dependencies (bundles into a Snowflake JavaScript UDF).
 * @module
 */
import { normalizeName, romanizeHangul } from './fuzzy.js';
import { COMPANY_SUFFIXES, HONORIFICS, stripKoreanHonorific } from './fuzzy/normalize-name.js';
import { HANGUL_SURNAMES, NICKNAME_FORMS, NICKNAMES, SURNAME_BY_SPELLING, TWO_SYLLABLE_SURNAMES } from './name-tables.js';

const HANGUL_WORD = /^[\uac00-\ud7a3]+$/;
const HANGUL_SYLLABLE = /[\uac00-\ud7a3]/;

/** Romanizes a Hangul given name syllable by syllable (no sound changes across syllables). */
function romanizeGiven(hangul: string): string {
  let out = '';
  for (const ch of hangul) out += romanizeHangul(ch);
  return out;
}

/** Splits an all-Hangul name into [family, given], or null when it can't be read as one. */
function splitHangulName(words: readonly string[]): [string, string] | null {
  if (words.length === 2) {
    const [a, b] = words;
    const isFamily = (w: string) => w.length === 1 || TWO_SYLLABLE_SURNAMES.has(w);
    // "민수 김": given name first, as first_name || ' ' || last_name writes it
    if (b.length === 1 && a.length > 1) return [b, a];
    // "김 민수", "이 솔"
    if (isFamily(a)) return [a, b];
    if (isFamily(b)) return [b, a];
  }
  const joined = words.join('');
  if (joined.length < 2) return null;
  if (joined.length >= 4 && TWO_SYLLABLE_SURNAMES.has(joined.slice(0, 2))) return [joined.slice(0, 2), joined.slice(2)];
  return [joined.slice(0, 1), joined.slice(1)];
}

/**
 * The name keys of a person's name: `"<family> <given>"` strings (see the module docs), one per way the
 * name can be read — usually one; a romanized Korean name whose first and last words are both surnames
 * (`Yun Ju Seo`) gives both readings, an ambiguous nickname one per full name.
 *
 * Steps: Hangul-only names (after dropping honorifics such as 님/고객님 with {@link normalizeName}) are
 * split into family and given name — two words: the one-syllable word is the family name, whichever side
 * it is on; one word: the first syllable (two for 남궁, 황보, 제갈, …). Other names go through
 * {@link normalizeName} (NFKC, case folding, "Last, First" reordered, titles dropped, Hangul romanized)
 * after hyphens inside words are deleted (`Min-su` → `minsu`, `Smith-Jones` → `smithjones`); when the
 * first or the last word is a Korean surname spelling, the name is read as Korean (that word is the
 * family name, the others joined are the given name); otherwise the last word is the family name and
 * the first the given name, nicknames expanded (two-word Latin-script names always get this English reading,
 * after any Korean ones: `Kim Crooks` → `gim crooks`, `crooks kimberly`).
 *
 * @param name - a person's name as written anywhere (NULL-free; '' allowed).
 * @returns distinct keys in a stable order; [] when the name has fewer than two parts (a lone given name
 *   or initial cannot identify anyone).
 * @example personNameKeys('소영 이') // ['i soyeong']  (also for '이소영', 'Soyeong Lee', 'LEE SO-YEONG')
 * @example personNameKeys('Smith, Bob') // ['smith robert']
 */
export function personNameKeys(name: string): string[] {
  const joined = personNameKeyList(name);
  return joined === '' ? [] : joined.split('|');
}

/**
 * {@link personNameKeys} joined by `|` ('' when there is none), as the `name_keys` SQL function returns
 * them; no key holds `|` (keys are made of letters and digits). Repeated names are answered from a cache of
 * recent results without allocating.
 * @example personNameKeyList('Chris Doe') // 'doe christopher|doe christina|doe christine'
 */
export function personNameKeyList(name: string): string {
  const hit = keysCache.get(name);
  if (hit !== undefined) return hit;
  const keys = personNameKeysUncached(name);
  const joined = keys.length === 0 ? '' : keys.length === 1 ? keys[0] : keys.join('|');
  if (keysCache.size >= KEYS_CACHE_SIZE) keysCache.clear();
  keysCache.set(name, joined);
  return joined;
}

/**
 * Keys of recent names, joined ({@link personNameKeyList} is pure, and names repeat within a column):
 * emptied when it reaches {@link KEYS_CACHE_SIZE} entries, which bounds its memory.
 */
const keysCache = new Map<string, string>();
const KEYS_CACHE_SIZE = 4096;

function personNameKeysUncached(name: string): string[] {
  return fastNameKeys(name) ?? generalNameKeys(name);
}

/** The general reading of {@link personNameKeys}: any name (see its steps). */
function generalNameKeys(name: string): string[] {
  const raw = name.normalize('NFKC').trim();
  if (raw === '') return [];
  // honorific words (님, 고객님, 씨, …) are those normalizeName drops after a name, unless they are also a
  // surname (양 is "Miss" and the surname Yang). Only a name holding a Hangul syllable can be read this
  // way (raw is NFKC already, and normalizeName creates no syllables), so the others skip the per-word work.
  const hangulWords = !HANGUL_SYLLABLE.test(raw) ? [] : raw
    .split(/\s+/)
    .map((w) => normalizeName(w))
    .filter((w) => w !== '' && (HANGUL_SURNAMES.has(w) || normalizeName(`가 ${w}`) !== '가'));
  if (hangulWords.length > 0 && hangulWords.every((w) => HANGUL_WORD.test(w))) return hangulKeys(hangulWords);
  const words = normalizeName(raw.replace(/(\p{L})[-‐‑–](?=\p{L})/gu, '$1'), { romanize: true })
    .split(' ')
    .filter((w) => w !== '');
  return keysOfWords(words, words.length);
}

/** The key of an all-Hangul name's words (honorifics dropped), or [] when it cannot be split. */
function hangulKeys(words: readonly string[]): string[] {
  const split = splitHangulName(words);
  if (!split || split[1] === '') return [];
  return [`${romanizeHangul(split[0])} ${romanizeGiven(split[1])}`];
}

/** Appends a key unless it is there already. */
function addKey(keys: string[], key: string): void {
  if (!keys.includes(key)) keys.push(key);
}

/** Adds `"<family> <g>"` for each full form g of `given` (each nickname expansion when `expand`). */
function addReadings(keys: string[], families: readonly string[], given: string, expand: boolean): void {
  const forms = expand ? NICKNAME_FORMS.get(given) : undefined;
  for (const fam of families) {
    if (forms === undefined) addKey(keys, `${fam} ${given}`);
    else for (const g of forms) addKey(keys, `${fam} ${g}`);
  }
}

/**
 * The keys of a name's normalized, romanized words `words[0..n)` (the Latin-script reading; see
 * {@link personNameKeys}).
 */
function keysOfWords(words: readonly string[], n: number = words.length): string[] {
  if (n < 2) return [];
  const keys: string[] = [];
  const first = words[0];
  const last = words[n - 1];
  const koreanFirst = SURNAME_BY_SPELLING.get(first);
  const koreanLast = SURNAME_BY_SPELLING.get(last);
  if (koreanLast) {
    let given = '';
    for (let k = 0; k < n - 1; k++) given += words[k];
    addReadings(keys, koreanLast, given, n === 2);
  }
  if (koreanFirst) {
    let given = '';
    for (let k = 1; k < n; k++) given += words[k];
    addReadings(keys, koreanFirst, given, n === 2);
  }
  // the English reading too when the name has two words ("Kim Crooks" may be Kimberly Crooks)
  if (keys.length === 0 || n === 2) {
    const forms = NICKNAME_FORMS.get(first);
    if (forms === undefined) addKey(keys, `${last} ${first}`);
    else for (const g of forms) addKey(keys, `${last} ${g}`);
  }
  return keys;
}

const isAsciiLetter = (c: number) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
const isAsciiAlnum = (c: number) => isAsciiLetter(c) || (c >= 0x30 && c <= 0x39);
const isHangulSyllable = (c: number) => c >= 0xac00 && c <= 0xd7a3;

/**
 * Scratch word lists of the one-pass reading, with a flag per word (all Hangul). Reused from call to call
 * (a list only grows), so the reading allocates nothing but the words, the keys and their array.
 */
const WORDS: string[] = [];
let wordsPure = new Uint8Array(16);
let nWords = 0;
const KEPT: string[] = [];
let keptPure = new Uint8Array(16);
let nKept = 0;

/** Appends a word to {@link WORDS}. */
function pushWord(w: string, pure: boolean): void {
  if (nWords === wordsPure.length) {
    const g = new Uint8Array(nWords * 2);
    g.set(wordsPure);
    wordsPure = g;
  }
  WORDS[nWords] = w;
  wordsPure[nWords++] = pure ? 1 : 0;
}

/** Appends a word to {@link KEPT}. */
function keepWord(w: string, pure: boolean): void {
  if (nKept === keptPure.length) {
    const g = new Uint8Array(nKept * 2);
    g.set(keptPure);
    keptPure = g;
  }
  KEPT[nKept] = w;
  keptPure[nKept++] = pure ? 1 : 0;
}

/**
 * {@link generalNameKeys} in one pass over the name, for the names most columns hold: ASCII without a
 * comma, or Hangul syllables with ASCII letters, digits and spaces (no other punctuation, no 회사 of a
 * company form). Returns null for any other name, which the general reading takes.
 *
 * On these names the general reading's steps reduce to a tokenizer: NFKC changes nothing (ASCII and
 * precomposed Hangul are NFKC-stable), no Korean company form or full-width comma can occur, and
 * normalizeName's punctuation handling is "apostrophes and backticks deleted, a hyphen between two letters
 * deleted, any other non-alphanumeric character separates words". So words are read once, lower-cased,
 * and the same word rules (titles dropped, trailing company forms dropped, Korean honorifics stripped,
 * the whole word list kept when nothing would remain, adjacent Hangul words joined) apply to them
 * directly instead of through repeated regular-expression passes and per-word normalizeName calls.
 * Identical results: compared with the general reading on generated names (see the commit adding it)
 * and by tests/unit/udfs/names.test.ts.
 */
function fastNameKeys(name: string): string[] | null {
  let hangul = false;
  let punct = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0x2c) return null; // "Last, First" reordering: the general reading
      if (c !== 0x20 && !isAsciiAlnum(c)) punct = true;
    } else if (isHangulSyllable(c)) hangul = true;
    else return null;
  }
  if (hangul && (punct || name.includes('회사'))) return null;
  const s = name.toLowerCase();
  if (!hangul) {
    asciiWords(s);
    wordRules(false);
    return keysOfWords(KEPT, nKept);
  }
  return hangulNameKeys(s);
}

/**
 * Reads the words of a lower-cased ASCII name into {@link WORDS} as normalizeName does: runs of letters
 * and digits; `'` and `` ` `` deleted, `-` deleted between two letters (`Min-su` → `minsu`); anything else
 * separates.
 */
function asciiWords(s: string): void {
  nWords = 0;
  let word = '';
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x20;
    if (isAsciiAlnum(c)) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      word = word === '' ? s.slice(start, i) : word + s.slice(start, i);
      start = -1;
    }
    const deleted = c === 0x27 || c === 0x60
      || (c === 0x2d && i > 0 && i + 1 < s.length && isAsciiLetter(s.charCodeAt(i - 1)) && isAsciiLetter(s.charCodeAt(i + 1)));
    if (!deleted && word !== '') {
      pushWord(word, false);
      word = '';
    }
  }
}

/**
 * normalizeName's word rules from {@link WORDS} into {@link KEPT}: titles dropped, then trailing company
 * forms (one word always stays), then Korean honorifics stripped from all-Hangul words (a word that is
 * one goes); all the words when none would remain; adjacent all-Hangul words joined; with `romanize`,
 * Hangul romanized.
 */
function wordRules(romanize: boolean): void {
  nKept = 0;
  for (let k = 0; k < nWords; k++) if (!HONORIFICS.has(WORDS[k])) keepWord(WORDS[k], wordsPure[k] === 1);
  while (nKept > 1 && COMPANY_SUFFIXES.has(KEPT[nKept - 1])) nKept--;
  let n = 0;
  for (let k = 0; k < nKept; k++) {
    const w = keptPure[k] === 1 ? stripKoreanHonorific(KEPT[k]) : KEPT[k];
    if (w === '') continue;
    KEPT[n] = w;
    keptPure[n++] = keptPure[k];
  }
  nKept = n;
  if (nKept === 0) for (let k = 0; k < nWords; k++) keepWord(WORDS[k], wordsPure[k] === 1);
  // join adjacent Hangul words, then romanize them
  n = 0;
  for (let k = 0; k < nKept; k++) {
    if (n > 0 && keptPure[k] === 1 && keptPure[n - 1] === 1) KEPT[n - 1] += KEPT[k];
    else {
      KEPT[n] = KEPT[k];
      keptPure[n++] = keptPure[k];
    }
  }
  nKept = n;
  if (romanize) for (let k = 0; k < nKept; k++) KEPT[k] = romanizeHangul(KEPT[k]);
}

/** Whether `s[from..to)` is all Hangul syllables. */
function allHangul(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isHangulSyllable(s.charCodeAt(i))) return false;
  return true;
}

/**
 * {@link generalNameKeys} of a lower-cased name of Hangul syllables, ASCII letters and digits and spaces
 * (see {@link fastNameKeys}).
 */
function hangulNameKeys(s: string): string[] {
  // the space-separated words, and which are all Hangul
  nWords = 0;
  for (let i = 0; i < s.length;) {
    while (i < s.length && s.charCodeAt(i) === 0x20) i++;
    const start = i;
    while (i < s.length && s.charCodeAt(i) !== 0x20) i++;
    if (i > start) pushWord(s.slice(start, i), allHangul(s, start, i));
  }
  // the Hangul reading: each word as normalizeName gives it alone, without the words it would drop after a
  // name (titles, company forms, Korean honorifics) unless they are surnames
  let kept = 0;
  let keptAllHangul = true;
  for (let k = 0; k < nWords; k++) {
    const pure = wordsPure[k] === 1;
    const t = WORDS[k];
    const w = pure ? stripKoreanHonorific(t) || t : t;
    const dropped = HONORIFICS.has(w) || COMPANY_SUFFIXES.has(w) || (pure && stripKoreanHonorific(w) === '');
    if (!dropped || HANGUL_SURNAMES.has(w)) {
      kept++;
      if (!pure) keptAllHangul = false;
    }
  }
  if (kept > 0 && keptAllHangul) {
    const words: string[] = [];
    for (let k = 0; k < nWords; k++) {
      if (wordsPure[k] !== 1) continue; // every other word was dropped
      const t = WORDS[k];
      const w = stripKoreanHonorific(t) || t;
      if (HANGUL_SURNAMES.has(w) || stripKoreanHonorific(w) !== '') words.push(w);
    }
    return hangulKeys(words);
  }
  // the Latin-script reading: normalizeName's word rules, Hangul romanized
  wordRules(true);
  return keysOfWords(KEPT, nKept);
}

/** RR family name → every Latin spelling that maps to it (itself included). */
const SPELLINGS_OF_SURNAME: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, string[]>();
  for (const [spelling, rrs] of SURNAME_BY_SPELLING) {
    for (const rr of rrs) {
      const list = m.get(rr) ?? [];
      if (!list.includes(spelling)) list.push(spelling);
      m.set(rr, list);
    }
  }
  return m;
})();

/**
 * Whether an email local part says nothing beyond the name: its letters (digits, dots, underscores and
 * hyphens dropped) are the given name, the family name, or both in either order, either possibly cut to
 * its initial — `jihu.kim`, `kimjihu`, `jkim83`, `jihu92`, `lfeil` for the key `gim jihu` / `feil
 * lorine`. Korean family names match in every customary spelling (gim = kim, i = lee/yi/rhee, bak =
 * park), the given name also in its nickname forms (`bob` for robert). Such an address is shared by
 * namesakes (two people called Kim Jihu both write jihu.kim@…), so in record linkage it is weaker
 * evidence than `bluecharles` or `sunnyjihu`, which say more than the name.
 *
 * @param local - an email local part (any case); '' → false.
 * @param nameKey - a key of {@link personNameKeys}: `"<family> <given>"`; '' → false.
 * @returns true when the letters are made of the name's parts as above.
 * @example localPartIsName('jihu.kim', 'gim jihu') // true
 * @example localPartIsName('sunny_jihu', 'gim jihu') // false
 */
export function localPartIsName(local: string, nameKey: string): boolean {
  const letters = local.toLowerCase().replace(/[^a-z]/g, '');
  const sp = nameKey.indexOf(' ');
  if (letters === '' || sp <= 0 || sp === nameKey.length - 1) return false;
  const family = nameKey.slice(0, sp);
  const given = nameKey.slice(sp + 1);
  const families = SPELLINGS_OF_SURNAME.get(family) ?? [family];
  const givens = [given, ...Object.entries(NICKNAMES).filter(([, full]) => full.includes(given)).map(([nick]) => nick)];
  for (const f of families) {
    for (const g of givens) {
      const parts = [g, f, g + f, f + g, g[0] + f, f + g[0], g + f[0], f[0] + g];
      if (parts.includes(letters)) return true;
    }
  }
  return false;
}
