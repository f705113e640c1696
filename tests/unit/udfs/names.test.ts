/**
 * Tests of src/stdlib/lib/names.ts: person-name keys that agree across Korean and English spellings, name
 * orders, nicknames and honorifics (the comparison the demo's identity models block and score on).
 */
import { describe, expect, it } from 'vitest';
import { localPartIsName, personNameKeyList, personNameKeys } from '../../../src/stdlib/lib/names.js';

describe('personNameKeys: Korean names', () => {
  it('gives one key for Hangul in either order, with or without a space, and the romanized spellings', () => {
    const spellings = ['이소영', '이 소영', '소영 이', 'Soyeong Lee', 'LEE SO-YEONG', 'So Yeong Lee', 'Lee Soyeong', 'Yi Soyeong', 'Rhee, Soyeong', '이소영 고객님'];
    for (const s of spellings) expect(personNameKeys(s), s).toContain('i soyeong');
    // the Hangul readings are exact
    expect(personNameKeys('소영 이')).toEqual(['i soyeong']);
    expect(personNameKeys('이 소영')).toEqual(['i soyeong']);
  });

  it('maps the customary surname spellings to Revised Romanization', () => {
    expect(personNameKeys('Minsu Kim')[0]).toBe('gim minsu');
    expect(personNameKeys('Park Ji-hoon')[0]).toBe('bak jihoon');
    expect(personNameKeys('박지훈')).toEqual(['bak jihun']);
    expect(personNameKeys('Choi Yu-na')[0]).toBe('choe yuna');
    expect(personNameKeys('Jung Ha-eun')[0]).toBe('jeong haeun');
    expect(personNameKeys('정하은')).toEqual(['jeong haeun']);
    // a spelling shared by two surnames gives both readings
    expect(personNameKeys('Yoo Jin')).toEqual(expect.arrayContaining(['yu jin', 'ryu jin']));
  });

  it('romanizes given names syllable by syllable (no sound change across syllables, as RR prescribes for names)', () => {
    // 한국 would be "hanguk" either way; 별라 keeps the initial r of 라 as a separate syllable
    expect(personNameKeys('김별라')).toEqual(['gim byeolra']);
    expect(personNameKeys('Byeol-ra Kim')[0]).toBe('gim byeolra');
  });

  it('reads both ends when both could be a surname, and two-syllable surnames', () => {
    expect(personNameKeys('Yun Ju Seo')).toEqual(['seo yunju', 'yun juseo']);
    expect(personNameKeys('서윤주')).toEqual(['seo yunju']);
    expect(personNameKeys('남궁민수')).toEqual(['namgung minsu']);
    expect(personNameKeys('Namkoong Minsu')[0]).toBe('namgung minsu');
  });

  it('keeps 양 as a surname although it is also an honorific', () => {
    expect(personNameKeys('수지 양')).toEqual(['yang suji']);
    expect(personNameKeys('김민수 님')).toEqual(['gim minsu']);
  });
});

describe('personNameKeys: English names', () => {
  it('keeps the first and last word, in "family given" form, whatever the order, case and middle names', () => {
    for (const s of ['Robert Smith', 'ROBERT SMITH', 'Smith, Robert', 'Robert J. Smith', 'Mr. Robert James Smith Jr.']) {
      expect(personNameKeys(s), s).toEqual(['smith robert']);
    }
  });

  it('maps nicknames to full names, one key per full name when ambiguous', () => {
    expect(personNameKeys('Bob Smith')).toEqual(['smith robert']);
    expect(personNameKeys('Chris Doe')).toEqual(['doe christopher', 'doe christina', 'doe christine']);
    expect(personNameKeys('Tina Doe')).toEqual(['doe christina']);
  });

  it('also gives the English reading of a two-word name that starts with a Korean surname spelling', () => {
    expect(personNameKeys('Kim Crooks')).toEqual(['gim crooks', 'crooks kimberly']);
  });

  it('joins hyphenated words and keeps initials', () => {
    expect(personNameKeys("Kelvin Konopelski-O'Reilly")).toEqual(['konopelskioreilly kelvin']);
    expect(personNameKeys('K. Spencer')).toEqual(['spencer k']);
  });

  it('reads words named like Object.prototype members as words (a plain-object lookup threw on "constructor")', () => {
    expect(personNameKeys('Constructor Smith')).toEqual(['smith constructor']);
    expect(personNameKeys('Kim Constructor')).toEqual(['gim constructor', 'constructor kimberly']);
  });

  it('gives the same keys through the one-pass reading as through the general one', () => {
    // A trailing no-break space sends a name to the general reading (it is outside the one-pass reading's
    // characters) without changing it: NFKC makes it a space and trimming drops it.
    const words = ['John', 'SMITH', 'Mr.', 'dr', 'jr', 'III', 'Inc', 'co', 'ab', "O'Brien", 'Min-su', 'a-1', '-x', 'x`', 'Lee', 'Kim', 'Yoo',
      'Bob', 'Chris', 'kim김', '김', '이', '양', '남궁', '민수', '소영', '님', '씨', '고객님', '김민수님', '김씨', '귀하', '42', 'phd'];
    const seps = [' ', '  ', '', '-', '.', '\t'];
    let seed = 7;
    const r = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
    for (let i = 0; i < 4000; i++) {
      let name = pick(words);
      for (let k = Math.floor(r() * 4); k > 0; k--) name += pick(seps) + pick(words);
      expect(personNameKeys(name), name).toEqual(personNameKeys(`${name}\u00a0`));
      expect(personNameKeyList(name)).toBe(personNameKeys(name).join('|')); // the SQL function's form, cached
    }
  });

  it('gives no key for a name that cannot identify anyone', () => {
    expect(personNameKeyList('Jihu')).toBe('');
    expect(personNameKeyList('Chris Doe')).toBe('doe christopher|doe christina|doe christine');
    expect(personNameKeys('')).toEqual([]);
    expect(personNameKeys('   ')).toEqual([]);
    expect(personNameKeys('Jihu')).toEqual([]);
    expect(personNameKeys('김')).toEqual([]);
  });
});

describe('localPartIsName: email local parts that say nothing beyond the name', () => {
  it('recognizes the given and family name, in either order, whole or as initials, digits and separators ignored', () => {
    for (const local of ['jihu.kim', 'jihukim', 'kim.jihu', 'kimjihu', 'jkim', 'jkim83', 'jihu_kim92', 'jihu92', 'kimj', 'JIHU.KIM']) {
      expect(localPartIsName(local, 'gim jihu'), local).toBe(true);
    }
    for (const local of ['lfeil98', 'lorinefeil', 'feil.lorine', 'lorine']) expect(localPartIsName(local, 'feil lorine'), local).toBe(true);
  });

  it('accepts every customary spelling of a Korean surname (gim = kim, i = lee/yi/rhee, bak = park)', () => {
    expect(localPartIsName('soyeong.lee', 'i soyeong')).toBe(true);
    expect(localPartIsName('yisoyeong', 'i soyeong')).toBe(true);
    expect(localPartIsName('rhee.soyeong', 'i soyeong')).toBe(true);
    expect(localPartIsName('bomi.park', 'bak bomi')).toBe(true);
    expect(localPartIsName('bomi.pak', 'bak bomi')).toBe(true);
  });

  it('accepts a nickname of the given name', () => {
    expect(localPartIsName('bob.smith', 'smith robert')).toBe(true);
    expect(localPartIsName('bsmith12', 'smith robert')).toBe(true);
  });

  it('rejects local parts that say more than the name, and unusable input', () => {
    for (const local of ['sunny_jihu', 'bluecharles73', 'lucky_2569', 'jihu.kim.shop', 'kimjihoo']) {
      expect(localPartIsName(local, 'gim jihu'), local).toBe(false);
    }
    expect(localPartIsName('', 'gim jihu')).toBe(false);
    expect(localPartIsName('12345', 'gim jihu')).toBe(false);
    expect(localPartIsName('jihu.kim', '')).toBe(false);
    expect(localPartIsName('jihu.kim', 'gim')).toBe(false);
  });
});
