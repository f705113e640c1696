/**
 * Name normalization (English and Korean person and company names) and Hangul romanization (Revised
 * Romanization of Korean, 2000).
 * @module
 */

// name normalization and Hangul romanization

// Unicode Standard §3.12 "Conjoining Jamo Behavior", Hangul syllable decomposition constants.
const S_BASE = 0xac00;
const V_COUNT = 21;
const T_COUNT = 28;
const N_COUNT = V_COUNT * T_COUNT; // 588
const S_COUNT = 19 * N_COUNT; // 11172

// Revised Romanization of Korean (Ministry of Culture and Tourism notice 2000-8), Chapter 2, tables 1-2.
const RR_INITIAL = ['g', 'kk', 'n', 'd', 'tt', 'r', 'm', 'b', 'pp', 's', 'ss', '', 'j', 'jj', 'ch', 'k', 't', 'p', 'h'];
const RR_MEDIAL = [
  'a', 'ae', 'ya', 'yae', 'eo', 'e', 'yeo', 'ye', 'o', 'wa', 'wae', 'oe', 'yo', 'u', 'wo', 'we', 'wi', 'yu', 'eu', 'ui', 'i',
];
// finals in their syllable-final (unreleased) value: ㄱㄲㅋ→k, ㄷㅅㅆㅈㅊㅌㅎ→t, ㅂㅍ→p; clusters by their pronounced member
const RR_FINAL = [
  '', 'k', 'k', 'k', 'n', 'n', 'n', 't', 'l', 'k', 'm', 'l', 'l', 'l', 'p', 'l', 'm', 'p', 'p', 't', 't', 'ng', 't', 't', 'k', 't', 'p', 't',
];
const T_RIEUL = 8; // final ㄹ
const L_RIEUL = 5; // initial ㄹ

/**
 * Whether a code point is a precomposed Hangul syllable (U+AC00–U+D7A3).
 */
function isHangulSyllable(cp: number): boolean {
  return cp >= S_BASE && cp < S_BASE + S_COUNT;
}

/**
 * Romanizes Hangul syllables with the Revised Romanization of Korean (2000), syllable by syllable.
 *
 * Each precomposed syllable S is decomposed per the Unicode Standard §3.12 (Hangul Syllable
 * Decomposition): `SIndex = S − 0xAC00`, `LIndex = ⌊SIndex / 588⌋`, `VIndex = ⌊(SIndex mod 588) / 28⌋`,
 * `TIndex = SIndex mod 28`; initial, medial and final are then mapped with RR's tables (initial ㄹ is `r`,
 * a final is written by its syllable-final sound: ㄱ/ㄲ/ㅋ `k`, ㄷ/ㅅ/ㅆ/ㅈ/ㅊ/ㅌ/ㅎ `t`, ㅂ/ㅍ `p`, clusters
 * by their pronounced consonant), and ㄹㄹ is written `ll` (RR Chapter 3 Article 1 note).
 *
 * Simplifications: RR transcribes pronunciation, but the phonological rules across syllables —
 * liaison (한국어 → hangugeo), nasalization (종로 → jongno), palatalization, aspiration, tensification —
 * are NOT applied (we give hangukeo, jongro). For personal names this is what RR itself prescribes
 * (Chapter 3 Article 4: sound changes between syllables of given names are not transcribed, e.g.
 * 한복남 Han Boknam, 홍빛나 Hong Bitna). Hyphens, capitalization and the conventional spellings of
 * surnames (Kim, Lee, Park) are not produced: 김 → gim, 이 → i, 박 → bak. Other characters pass through
 * unchanged.
 * @example romanizeHangul('홍빛나') // 'hongbitna'
 */
export function romanizeHangul(s: string): string {
  let out = '';
  let prevFinal = -1;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (!isHangulSyllable(cp)) {
      out += ch;
      prevFinal = -1;
      continue;
    }
    const sIndex = cp - S_BASE;
    const l = Math.floor(sIndex / N_COUNT);
    const v = Math.floor((sIndex % N_COUNT) / T_COUNT);
    const t = sIndex % T_COUNT;
    out += (l === L_RIEUL && prevFinal === T_RIEUL ? 'l' : RR_INITIAL[l]) + RR_MEDIAL[v] + RR_FINAL[t];
    prevFinal = t;
  }
  return out;
}

/** Options of {@link normalizeName}. */
export interface NormalizeNameOptions {
  /** Romanize Hangul with {@link romanizeHangul} (Revised Romanization, syllable by syllable). Default false. */
  readonly romanize?: boolean;
}

/** Titles and generational suffixes dropped wherever they stand as a word (after folding). */
export const HONORIFICS: ReadonlySet<string> = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'mstr', 'master', 'dr', 'prof', 'professor', 'sir', 'dame', 'lady', 'lord',
  'madam', 'madame', 'mme', 'mlle', 'mister', 'herr', 'frau', 'rev', 'revd', 'fr', 'hon',
  'jr', 'sr', 'jnr', 'snr', 'ii', 'iii', 'esq', 'esquire', 'phd',
]);
/** Company forms dropped when they end the name (repeatedly: "Co., Ltd."). */
export const COMPANY_SUFFIXES: ReadonlySet<string> = new Set([
  'inc', 'incorporated', 'ltd', 'limited', 'llc', 'llp', 'lp', 'corp', 'corporation', 'co', 'company', 'plc',
  'gmbh', 'ag', 'kg', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'ab', 'oy', 'as', 'pte', 'pty', 'kk',
]);
/** Korean company forms, removed wherever they occur (they are never part of a name). */
const KO_COMPANY = ['유한책임회사', '주식회사', '유한회사', '합자회사', '합명회사', '(주)', '(유)', '(합)', '(株)'];
/** Korean honorific suffixes (longest first), removed from the end of a Hangul word or as a word. */
const KO_HONORIFICS = [
  '고객님', '선생님', '사장님', '회장님', '대표님', '교수님', '원장님', '부장님', '과장님', '차장님', '팀장님', '실장님', '이사님',
  '박사님', '여사님', '귀하', '님', '씨', '군', '양',
];
/** Single-syllable honorifics that could end a real name: stripped only from words of 3+ syllables. */
const KO_SHORT = new Set(['님', '씨', '군', '양']);

/**
 * An all-Hangul word without its Korean honorific: '' when the word is one ({@link KO_HONORIFICS}), the
 * word cut before the first honorific of the list it ends with (a one-syllable one only when two
 * syllables remain: 김민수님 → 김민수, 김씨 stays), else the word itself.
 */
export function stripKoreanHonorific(w: string): string {
  for (const h of KO_HONORIFICS) {
    if (w === h) return '';
    if (w.endsWith(h) && w.length - h.length >= (KO_SHORT.has(h) ? 2 : 1)) return w.slice(0, w.length - h.length);
  }
  return w;
}

const HANGUL_RUN = /^[\uac00-\ud7a3]+$/;

/**
 * Normalizes a person or company name for matching.
 *
 * Steps: Unicode NFKC (full-width forms, ㈜ → (주)); case folding (`toLowerCase` plus ß/ẞ → ss and
 * final ς → σ); Korean company forms removed (주식회사, (주), 유한회사, …); "Last, First" reordered to
 * "first last" when there are exactly two comma-separated Latin-script parts (after dropping parts that
 * are only titles or company forms: "Smith, John, Jr." → "john smith"); apostrophes deleted
 * (O'Brien → obrien); all other punctuation and symbols become spaces; titles and generational suffixes
 * (Mr, Mrs, Ms, Dr, Prof, Sir, Jr, Sr, III, Esq, …) dropped as words; trailing company suffixes (Inc, Ltd,
 * LLC, Corp, Co, GmbH, PLC, …) dropped; Korean honorifics (님, 씨, 고객님, 선생님, 사장님, …) dropped as
 * words or from the end of a Hangul word (1-syllable ones only from words of 3+ syllables, so 김씨 stays);
 * adjacent all-Hangul words joined (김 민수, 김민수 and 김 민 수 all give 김민수); whitespace collapsed.
 * With `romanize`, Hangul is then romanized ({@link romanizeHangul}): 김민수 → gimminsu (no surname
 * split, since source spacing is unreliable). If removals would leave nothing, the folded,
 * punctuation-free text is returned instead.
 *
 * @returns lower-case words separated by single spaces; '' for blank input.
 */
export function normalizeName(s: string, options: NormalizeNameOptions = {}): string {
  const cache = options.romanize ? romanizedCache : plainCache;
  const hit = cache.get(s);
  if (hit !== undefined) return hit;
  const out = normalizeNameUncached(s, options.romanize === true);
  if (cache.size >= NAME_CACHE_SIZE) cache.clear();
  cache.set(s, out);
  return out;
}

/**
 * Results of recent {@link normalizeName} calls (the function is pure): names and the words name keys are
 * built from repeat a lot within a column, and one lookup costs far less than the normalization. Each map
 * is emptied when it reaches {@link NAME_CACHE_SIZE} entries, which bounds its memory.
 */
const plainCache = new Map<string, string>();
const romanizedCache = new Map<string, string>();
const NAME_CACHE_SIZE = 4096;

const NAME_COMMA = /[,，、]/;
const isDropWord = (w: string) => HONORIFICS.has(w) || COMPANY_SUFFIXES.has(w) || KO_HONORIFICS.includes(w);
const nameWords = (part: string) => part.split(/[^\p{L}\p{N}\p{M}]+/u).filter((w) => w.length > 0);

/** Whether every UTF-16 unit of `s` is ASCII. */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function normalizeNameUncached(s: string, romanize: boolean): string {
  // NFKC leaves ASCII unchanged: skip it for ASCII names
  let t = (isAscii(s) ? s : s.normalize('NFKC')).toLowerCase().replace(/[ßẞ]/g, 'ss').replace(/ς/g, 'σ');
  for (const f of KO_COMPANY) if (t.includes(f)) t = t.split(f).join(' ');
  t = t.replace(/['’ʼ`´]/g, '');

  // "Last, First" → "First Last" (only a name with a comma can have two parts)
  if (NAME_COMMA.test(t)) {
    const parts = t.split(/[,，、]/).filter((p) => nameWords(p).some((w) => !isDropWord(w)));
    if (parts.length === 2 && parts.every((p) => /\p{Script=Latin}/u.test(p)) && !/[\uac00-\ud7a3]/.test(t)) {
      t = `${parts[1]} ${parts[0]}`;
    }
  }
  const all = nameWords(t);
  let ws = all.filter((w) => !HONORIFICS.has(w));
  while (ws.length > 1 && COMPANY_SUFFIXES.has(ws[ws.length - 1])) ws.pop();
  ws = ws.map((w) => (HANGUL_RUN.test(w) ? stripKoreanHonorific(w) : w)).filter((w) => w.length > 0);
  if (ws.length === 0) ws = all;
  // join adjacent Hangul words
  const joined: string[] = [];
  for (const w of ws) {
    const last = joined.length - 1;
    if (last >= 0 && HANGUL_RUN.test(w) && HANGUL_RUN.test(joined[last])) joined[last] += w;
    else joined.push(w);
  }
  let out = joined.join(' ');
  if (romanize) out = romanizeHangul(out);
  return out;
}
