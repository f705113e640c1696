/**
 * The PERSON recognizers: Korean names (surname + given name before an honorific or after a context word),
 * English names after a title, signature lines, and a dictionary of known names
 * ({@link createNameDictionary}).
 * @module
 */
import type { RawHit } from './entities.js';

/** Common Korean surnames (Statistics Korea 2015 census, the ~90 most frequent, incl. two-syllable ones). */
const KO_SURNAMES = new Set(('김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 남 심 노 하 곽 성 차 주 우 구 민 나 진 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 설 마 길 연 위 표 명 기 반 라 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 예 경 봉 사 부 황보 남궁 제갈 선우 독고').split(' '));
/** Nouns that look like surname + syllable before 님/씨 but are titles, not names. */
const KO_NAME_STOP = new Set(['고객', '선생', '사장', '기사', '부장', '과장', '대리', '차장', '이사', '회원', '주인', '손님', '관리', '상담', '직원', '원장', '소장', '실장', '팀장', '국장', '교수', '박사', '변호', '작가', '감독']);
const KO_SURNAME_ALT = [...KO_SURNAMES].sort((a, b) => b.length - a.length).join('|');
const KO_NAME = new RegExp(`(?<![가-힣])(${KO_SURNAME_ALT}) ?([가-힣]{1,2})(?=( ?(?:고객님|님|씨|드림|올림))|[^가-힣]|$)`, 'g');
/** Context right before a Korean name (same line): 고객 김민수, 상담원 김민수, 가족인 김민수, 성명: 김민수 … */
const KO_CONTEXT_BEFORE = /(?:고객|상담원|담당자|가족인?|성명|이름|작성자|보호자|수령인|받는 ?분|보내는 ?분|예금주|명의자?|배우자인?|친구인?|동생인?|언니인?|누나인?|형인?|오빠인?|엄마인?|아빠인?|남편인?|아내인?)\s?[:은는이가]?\s?$/;
/** Any 2–4-syllable Hangul word followed by 님/씨 (for rare surnames outside KO_SURNAMES), accepted only after a context word. */
const KO_ANY_HONORIFIC = /(?<![가-힣])([가-힣]{2,4})(?= ?(?:님|씨))/g;
/** A capitalized name word: Smith, O'Brien, MacGyver, Na-yeon, Jean-Luc. */
const NW = "(?:[A-Z]'[A-Z][a-z]+|[A-Z][a-z]+(?:['-]?[A-Z][a-z]+|-[a-z]+)?)";
const EN_TITLE = new RegExp(`\\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Dear|partner|colleague|wife|husband|friend|son|daughter|mother|father|brother|sister|name is|spoke (?:with|to))\\.?\\s+(?!(?:Mr|Mrs|Ms|Miss|Dr|Prof)\\b)(${NW}(?: ${NW}){0,2})`, 'g');
const EN_STOP = new Set(['Customer', 'Sir', 'Madam', 'Team', 'Support', 'Service', 'All', 'Friend', 'Friends', 'Valued', 'Sales', 'Shop', 'Store']);
const SIGN_OFF = /^(?:thanks|thank you|many thanks|best|best regards|kind regards|warm regards|regards|cheers|sincerely|yours sincerely|yours|all the best|감사합니다|고맙습니다|빠른 답변 부탁드립니다|확인 부탁드립니다\.? 감사합니다)[,.!]?$/i;
/** Looser name word for signature lines, where the whole line must be the name: A, O, D'angelo, McGlynn-Morissette, Gang-u. */
const NW_LOOSE = "[A-Z][a-z]*(?:['-]?[A-Za-z][a-z]*)*";
const EN_SIG_LINE = new RegExp(`^${NW_LOOSE}(?: ${NW_LOOSE}){0,3}$`);
const KO_SIG_LINE = new RegExp(`^(${KO_SURNAME_ALT}) ?([가-힣]{1,2})(?: (?:드림|올림))?$`);

/**
 * A compiled name dictionary for PERSON detection: built once from e.g. the customers' names
 * (`createNameDictionary`), then passed to every `detectPii` call.
 */
export interface NameDictionary {
  /** Normalized names: lower-case, single spaces; Hangul names also without spaces. */
  readonly names: ReadonlySet<string>;
  /** Most words in a Latin-script name. */
  readonly maxWords: number;
}

/**
 * Compiles a name dictionary. Names of fewer than 2 characters are ignored; Latin names are matched
 * case-insensitively on whole words, Hangul names with or without a space between surname and given
 * name, and also when a particle follows (김민수님이).
 */
export function createNameDictionary(names: Iterable<string>): NameDictionary {
  const set = new Set<string>();
  let maxWords = 1;
  for (const raw of names) {
    const n = raw.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
    if (n.length < 2) continue;
    if (/^[가-힣 ]+$/.test(n)) set.add(n.replace(/ /g, ''));
    else {
      set.add(n);
      maxWords = Math.max(maxWords, n.split(' ').length);
    }
  }
  return { names: set, maxWords: Math.min(maxWords, 4) };
}

const WORD = /[\p{L}\p{M}'-]+/gu;

export function findDictionaryNames(text: string, dict: NameDictionary, out: RawHit[]): void {
  const toks: { s: number; e: number; w: string }[] = [];
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(text))) toks.push({ s: m.index, e: m.index + m[0].length, w: m[0].toLowerCase() });
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (/^[가-힣]/.test(t.w)) {
      // Hangul: the token itself or its 2–4-syllable prefix (particles attached), or two tokens joined ("김 민수")
      let hit = false;
      for (let len = Math.min(4, t.w.length); len >= 2 && !hit; len--) {
        if (dict.names.has(t.w.slice(0, len))) {
          out.push({ entity_type: 'PERSON', start: t.s, end: t.s + len, score: 0.85 });
          hit = true;
        }
      }
      const n = toks[i + 1];
      if (!hit && n && t.w.length <= 2 && n.s === t.e + 1 && text[t.e] === ' ') {
        for (let len = Math.min(3, n.w.length); len >= 1; len--) {
          if (dict.names.has(t.w + n.w.slice(0, len))) {
            out.push({ entity_type: 'PERSON', start: t.s, end: n.s + len, score: 0.85 });
            break;
          }
        }
      }
      continue;
    }
    let key = t.w;
    for (let k = 0; k < dict.maxWords; k++) {
      if (k > 0) {
        const n = toks[i + k];
        if (!n || n.s !== toks[i + k - 1].e + 1 || text[n.s - 1] !== ' ') break;
        key += ' ' + n.w;
      }
      // Single Latin words (first names alone) are ambiguous: 0.5, raised by context.
      if (dict.names.has(key)) out.push({ entity_type: 'PERSON', start: t.s, end: toks[i + k].e, score: k > 0 ? 0.85 : 0.5 });
    }
  }
}

function koNameOk(fam: string, given: string): boolean {
  return KO_SURNAMES.has(fam) && !KO_NAME_STOP.has(fam + given) && !KO_NAME_STOP.has((fam + given).slice(0, 2));
}

/**
 * Heuristic PERSON patterns (0.6; no NER model): Korean surname + 1–2-syllable given name followed by
 * an honorific (님, 씨, 고객님, 드림, 올림) or preceded by a context word (고객, 상담원, 가족 …);
 * English capitalized names after a title or relation word (Mr, Dear, partner, colleague, name is …);
 * and signature lines: a line holding only a name right after a sign-off line (Thanks, / 감사합니다.).
 */
export function findPersonPatterns(text: string, out: RawHit[]): void {
  KO_NAME.lastIndex = 0;
  let m: RegExpExecArray | null;
  if (/[가-힣]/.test(text)) {
    while ((m = KO_NAME.exec(text))) {
      const [all, fam, given, honor] = m;
      if (!koNameOk(fam, given)) continue;
      const end = m.index + all.length;
      const ok = honor !== undefined || KO_CONTEXT_BEFORE.test(text.slice(Math.max(0, m.index - 10), m.index));
      if (ok) out.push({ entity_type: 'PERSON', start: m.index, end, score: 0.6 });
    }
    KO_ANY_HONORIFIC.lastIndex = 0;
    while ((m = KO_ANY_HONORIFIC.exec(text))) {
      if (KO_NAME_STOP.has(m[1].slice(0, 2)) || !KO_CONTEXT_BEFORE.test(text.slice(Math.max(0, m.index - 10), m.index))) continue;
      out.push({ entity_type: 'PERSON', start: m.index, end: m.index + m[1].length, score: 0.6 });
    }
  }
  EN_TITLE.lastIndex = 0;
  while ((m = EN_TITLE.exec(text))) {
    const name = m[1];
    const first = name.split(' ')[0];
    if (EN_STOP.has(first)) continue;
    const start = m.index + m[0].length - name.length;
    out.push({ entity_type: 'PERSON', start, end: start + name.length, score: 0.6 });
  }
  // signature lines
  let prev = '';
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const line = text.slice(pos, nl).trim();
    if (line && SIGN_OFF.test(prev)) {
      const off = pos + text.slice(pos, nl).indexOf(line);
      if (EN_SIG_LINE.test(line) && !EN_STOP.has(line.split(' ')[0])) out.push({ entity_type: 'PERSON', start: off, end: off + line.length, score: 0.6 });
      else {
        const k = KO_SIG_LINE.exec(line);
        if (k && KO_SURNAMES.has(k[1])) {
          const len = k[0].length - (/ (?:드림|올림)$/.test(k[0]) ? 3 : 0);
          out.push({ entity_type: 'PERSON', start: off, end: off + len, score: 0.6 });
        }
      }
    }
    if (line) prev = line;
    pos = nl + 1;
  }
}
