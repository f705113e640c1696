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

/**
 * Korean family names in Hangul with customary Latin spellings (the RR spelling is added
 * automatically). Sources: Statistics Korea 2015 census (the surnames covering ~95 % of the population)
 * and the National Institute of Korean Language's survey of surname romanization in passports (2009).
 * Spellings shared by two surnames (Yu: 유/류, Chun: 전/천) map to both.
 */
const KOREAN_SURNAMES: readonly (readonly [string, readonly string[]])[] = [
  ['김', ['kim']], ['이', ['lee', 'yi', 'rhee', 'rhie', 'ree', 'yee']], ['박', ['park', 'pak', 'bahk']],
  ['최', ['choi', 'choy']], ['정', ['jung', 'chung', 'jeung', 'joung']], ['강', ['kang']], ['조', ['cho', 'joe']],
  ['윤', ['yoon']], ['장', ['chang']], ['임', ['lim', 'rim', 'yim']], ['한', []], ['오', ['oh']],
  ['서', ['suh', 'seoh']], ['신', ['shin']], ['권', ['kwon']], ['황', []], ['안', ['ahn']], ['송', []],
  ['전', ['jun', 'chun', 'jeun']], ['홍', []], ['유', ['yoo', 'you']], ['류', ['ryoo', 'yoo', 'yu', 'you']],
  ['고', ['ko', 'koh']], ['문', ['moon']], ['양', []], ['손', ['sohn']], ['배', ['pae']],
  ['백', ['paik', 'baik', 'paek']], ['허', ['huh', 'hur']], ['남', []], ['노', ['noh', 'roh', 'ro']],
  ['심', ['shim']], ['하', []], ['곽', ['kwak']], ['성', ['sung']], ['차', []], ['주', ['joo']],
  ['우', ['woo']], ['구', ['koo', 'ku']], ['민', []], ['진', ['chin']], ['나', ['ra']], ['지', ['chi']],
  ['엄', ['um', 'uhm']], ['채', []], ['원', []], ['천', ['chun']], ['방', []], ['공', ['kong']],
  ['현', ['hyun']], ['함', []], ['변', ['byun']], ['염', ['yum']], ['여', []], ['추', ['choo']],
  ['도', ['doh']], ['석', ['suk']], ['선', ['sun']], ['설', ['sul']], ['길', ['kil']], ['연', []],
  ['위', ['wee']], ['표', []], ['명', ['myung']], ['기', ['ki']], ['반', []], ['왕', []], ['금', ['keum']],
  ['육', ['yook']], ['맹', []], ['탁', []], ['국', ['kook']],
  ['남궁', ['namkoong', 'namgoong']], ['황보', []], ['제갈', []], ['선우', ['sunwoo']], ['독고', []],
  ['사공', []], ['서문', []],
];

/** Latin spelling (lower case) → RR spellings of the Hangul surnames it may stand for. */
const SURNAME_BY_SPELLING: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, string[]>();
  for (const [hangul, spellings] of KOREAN_SURNAMES) {
    const rr = romanizeHangul(hangul);
    for (const s of [rr, ...spellings]) {
      const list = m.get(s) ?? [];
      if (!list.includes(rr)) list.push(rr);
      m.set(s, list);
    }
  }
  return m;
})();

/** Hangul surnames. */
const HANGUL_SURNAMES = new Set(KOREAN_SURNAMES.map(([h]) => h));

/** Hangul surnames of two syllables (checked before the one-syllable reading). */
const TWO_SYLLABLE_SURNAMES = new Set(KOREAN_SURNAMES.map(([h]) => h).filter((h) => h.length === 2));

/**
 * English given-name nicknames (hypocorisms) → full forms. A nickname of several full names lists each.
 * Common forms from public given-name references (e.g. the U.S. Social Security Administration's
 * name lists and genealogy nickname tables); deliberately short of rare or regional forms.
 */
const NICKNAMES: Readonly<Record<string, readonly string[]>> = {
  abby: ['abigail'], abe: ['abraham'], al: ['albert', 'alan', 'alfred'], alex: ['alexander', 'alexandra'],
  andy: ['andrew'], drew: ['andrew'], tony: ['anthony'], becky: ['rebecca'], becca: ['rebecca'],
  ben: ['benjamin'], benny: ['benjamin'], bill: ['william'], billy: ['william'], will: ['william'], willy: ['william'],
  liam: ['william'], bob: ['robert'], bobby: ['robert'], rob: ['robert'], robbie: ['robert'], bert: ['albert', 'robert'],
  cathy: ['catherine'], kathy: ['katherine', 'kathryn', 'kathleen'], kate: ['katherine', 'catherine', 'kathryn'],
  katie: ['katherine', 'catherine', 'kathryn'], kat: ['katherine', 'catherine'], charlie: ['charles', 'charlotte'],
  chuck: ['charles'], chris: ['christopher', 'christina', 'christine'], tina: ['christina'], dan: ['daniel'],
  danny: ['daniel'], dave: ['david'], davy: ['david'], deb: ['deborah'], debbie: ['deborah'], dick: ['richard'],
  rick: ['richard', 'eric'], rich: ['richard'], richie: ['richard'], ed: ['edward', 'edwin'], eddie: ['edward'],
  ted: ['edward', 'theodore'], teddy: ['edward', 'theodore'], liz: ['elizabeth'], lizzie: ['elizabeth'],
  beth: ['elizabeth'], betty: ['elizabeth'], eliza: ['elizabeth'], libby: ['elizabeth'], frank: ['francis', 'franklin'],
  fred: ['frederick'], freddie: ['frederick'], gabe: ['gabriel'], greg: ['gregory'], jack: ['john'],
  jackie: ['jacqueline'], jake: ['jacob'], jim: ['james'], jimmy: ['james'], jamie: ['james'], jen: ['jennifer'],
  jenny: ['jennifer'], jess: ['jessica'], jessie: ['jessica'], joe: ['joseph'], joey: ['joseph'],
  jon: ['jonathan'], johnny: ['john', 'jonathan'], josh: ['joshua'], kim: ['kimberly'], larry: ['lawrence'],
  liv: ['olivia'], maggie: ['margaret'], meg: ['margaret'], peggy: ['margaret'], matt: ['matthew'],
  mike: ['michael'], mikey: ['michael'], mick: ['michael'], nate: ['nathaniel', 'nathan'], nat: ['nathaniel', 'natalie'],
  nick: ['nicholas'], nicky: ['nicholas'], pat: ['patricia', 'patrick'], patty: ['patricia'], trish: ['patricia'],
  pete: ['peter'], phil: ['phillip', 'philip'], ron: ['ronald'], sam: ['samuel', 'samantha'], sammy: ['samuel'],
  steph: ['stephanie'], steve: ['steven', 'stephen'], sue: ['susan'], susie: ['susan'], tim: ['timothy'],
  tom: ['thomas'], tommy: ['thomas'], tori: ['victoria'], vicky: ['victoria'], xander: ['alexander'],
  zach: ['zachary'], zack: ['zachary'],
};

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

/** Full forms of an English given name (itself when it is not a known nickname). */
function givenForms(given: string): readonly string[] {
  return NICKNAMES[given] ?? [given];
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
  const hit = keysCache.get(name);
  if (hit !== undefined) return hit.slice();
  const keys = personNameKeysUncached(name);
  if (keysCache.size >= KEYS_CACHE_SIZE) keysCache.clear();
  keysCache.set(name, keys.slice());
  return keys;
}

/**
 * Keys of recent names ({@link personNameKeys} is pure, and names repeat within a column): emptied when it
 * reaches {@link KEYS_CACHE_SIZE} entries, which bounds its memory. Callers get copies.
 */
const keysCache = new Map<string, string[]>();
const KEYS_CACHE_SIZE = 4096;

function personNameKeysUncached(name: string): string[] {
  const raw = name.normalize('NFKC').trim();
  if (raw === '') return [];
  // honorific words (님, 고객님, 씨, …) are those normalizeName drops after a name, unless they are also a
  // surname (양 is "Miss" and the surname Yang). Only a name holding a Hangul syllable can be read this
  // way (raw is NFKC already, and normalizeName creates no syllables), so the others skip the per-word work.
  const hangulWords = !HANGUL_SYLLABLE.test(raw) ? [] : raw
    .split(/\s+/)
    .map((w) => normalizeName(w))
    .filter((w) => w !== '' && (HANGUL_SURNAMES.has(w) || normalizeName(`가 ${w}`) !== '가'));
  if (hangulWords.length > 0 && hangulWords.every((w) => HANGUL_WORD.test(w))) {
    const split = splitHangulName(hangulWords);
    if (!split || split[1] === '') return [];
    return [`${romanizeHangul(split[0])} ${romanizeGiven(split[1])}`];
  }
  const words = normalizeName(raw.replace(/(\p{L})[-‐‑–](?=\p{L})/gu, '$1'), { romanize: true })
    .split(' ')
    .filter((w) => w !== '');
  if (words.length < 2) return [];
  const keys: string[] = [];
  const add = (k: string) => {
    if (!keys.includes(k)) keys.push(k);
  };
  const first = words[0];
  const last = words[words.length - 1];
  const koreanFirst = SURNAME_BY_SPELLING.get(first);
  const koreanLast = SURNAME_BY_SPELLING.get(last);
  if (koreanLast) {
    const given = words.slice(0, -1).join('');
    for (const fam of koreanLast) for (const g of words.length === 2 ? givenForms(given) : [given]) add(`${fam} ${g}`);
  }
  if (koreanFirst) {
    const given = words.slice(1).join('');
    for (const fam of koreanFirst) for (const g of words.length === 2 ? givenForms(given) : [given]) add(`${fam} ${g}`);
  }
  // the English reading too when the name has two words ("Kim Crooks" may be Kimberly Crooks)
  if (keys.length === 0 || words.length === 2) for (const g of givenForms(first)) add(`${last} ${g}`);
  return keys;
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
