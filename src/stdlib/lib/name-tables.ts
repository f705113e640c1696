/**
 * The tables behind ./names.ts: Korean family names with their customary Latin spellings, and English
 * given-name nicknames.
 * @module
 */
import { romanizeHangul } from './fuzzy.js';

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
export const SURNAME_BY_SPELLING: ReadonlyMap<string, readonly string[]> = (() => {
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
export const HANGUL_SURNAMES = new Set(KOREAN_SURNAMES.map(([h]) => h));

/** Hangul surnames of two syllables (checked before the one-syllable reading). */
export const TWO_SYLLABLE_SURNAMES = new Set(KOREAN_SURNAMES.map(([h]) => h).filter((h) => h.length === 2));

/**
 * English given-name nicknames (hypocorisms) → full forms. A nickname of several full names lists each.
 * Common forms from public given-name references (e.g. the U.S. Social Security Administration's
 * name lists and genealogy nickname tables); deliberately short of rare or regional forms.
 */
export const NICKNAMES: Readonly<Record<string, readonly string[]>> = {
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

/** {@link NICKNAMES} as a map: a plain object's lookup would find `constructor` on Object.prototype. */
export const NICKNAME_FORMS: ReadonlyMap<string, readonly string[]> = new Map(Object.entries(NICKNAMES));
