import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNameDictionary, detectPii, partialMask, piiPseudonym, redactPii, type PiiEntityType } from '../../../src/stdlib/lib/pii.js';
import { evaluatePii, type PiiEvalRow } from '../../helpers/pii-eval.js';
import { detect_pii, pii_hash, redact_pii } from '../../../src/stdlib/udfs/pii.js';

const types = (text: string, opts = {}) => detectPii(text, opts).map((e) => `${e.entity_type}:${e.text}`);
const has = (text: string, type: PiiEntityType, value: string, opts = {}) => expect(types(text, opts)).toContain(`${type}:${value}`);
const hasNo = (text: string, type: PiiEntityType, opts = {}) => expect(detectPii(text, opts).filter((e) => e.entity_type === type)).toEqual([]);

describe('detectPii: per entity', () => {
  it('EMAIL_ADDRESS', () => {
    has('Send it to j.doe+shop@example.co.uk please', 'EMAIL_ADDRESS', 'j.doe+shop@example.co.uk');
    has('새 이메일 주소는 nayeon_lee64@naver.com입니다', 'EMAIL_ADDRESS', 'nayeon_lee64@naver.com');
    hasNo('write to me at john@localhost or @handle', 'EMAIL_ADDRESS');
    expect(detectPii('a@b.com')[0].score).toBe(1);
  });

  it('PHONE_NUMBER: KR, US, GB, international', () => {
    for (const p of ['010-1234-5678', '02-345-6789', '031-234-5678', '+82 10-1234-5678', '01012345678', '(415) 555-0123', '+1 415 555 0123', '+44 20 7946 0958', '07456 123456', '+81 3-1234-5678'])
      has(`연락처: ${p} 입니다`, 'PHONE_NUMBER', p);
    hasNo('Order 12345 shipped', 'PHONE_NUMBER');
    // context words raise the score (0.4 + 0.35)
    expect(detectPii('call me at 010-1234-5678')[0].score).toBeCloseTo(0.75);
    expect(detectPii('see 010-1234-5678')[0].score).toBeCloseTo(0.4);
  });

  it('CREDIT_CARD: Luhn', () => {
    has('card 4111 1111 1111 1111', 'CREDIT_CARD', '4111 1111 1111 1111');
    has('card 5500-0000-0000-0004', 'CREDIT_CARD', '5500-0000-0000-0004');
    has('amex 3782 822463 10005', 'CREDIT_CARD', '3782 822463 10005');
    has('2-series 2221000000000009', 'CREDIT_CARD', '2221000000000009');
    hasNo('card 4111 1111 1111 1112', 'CREDIT_CARD');
    hasNo('card 4111 1111-1111 1111', 'CREDIT_CARD');
  });

  it('IBAN_CODE: mod-97 and country length', () => {
    has('IBAN GB82 WEST 1234 5698 7654 32.', 'IBAN_CODE', 'GB82 WEST 1234 5698 7654 32');
    has('IBAN: DE89370400440532013000 2024년', 'IBAN_CODE', 'DE89370400440532013000');
    hasNo('IBAN GB83 WEST 1234 5698 7654 32', 'IBAN_CODE'); // wrong check digits
    hasNo('IBAN DE8937040044053201300', 'IBAN_CODE'); // wrong length
  });

  it('IP_ADDRESS: v4 and v6', () => {
    has('from IP 211.45.67.89 today', 'IP_ADDRESS', '211.45.67.89');
    has('from 2001:db8:40dc:4e73::7719 today', 'IP_ADDRESS', '2001:db8:40dc:4e73::7719');
    has('addr 2400:cb00:2048:1:0:0:6ca2:c665.', 'IP_ADDRESS', '2400:cb00:2048:1:0:0:6ca2:c665');
    hasNo('version 1.2.3.4.5 and 300.1.1.1', 'IP_ADDRESS');
    hasNo('at 10:30:00', 'IP_ADDRESS');
  });

  it('URL', () => {
    has('see https://drive.google.com/file/d/abc_DEF-123/view.', 'URL', 'https://drive.google.com/file/d/abc_DEF-123/view');
    has('블로그 myblog.co.kr/abc123 페이지', 'URL', 'myblog.co.kr/abc123');
    hasNo('see the file report.pdf', 'URL');
  });

  it('US_SSN with Presidio invalid patterns', () => {
    has('my SSN is 349-62-5660', 'US_SSN', '349-62-5660');
    for (const bad of ['000-12-3456', '666-12-3456', '123-00-4567', '123-45-0000', '111-11-1111', '123-45 6789', '078-05-1120'])
      hasNo(`my SSN is ${bad}`, 'US_SSN');
    // bare 9 digits are very weak (0.05): reported only with a context word
    hasNo('ref 349625660', 'US_SSN');
    has('ssn 349625660', 'US_SSN', '349625660');
  });

  it('KR_RRN with check digit; post-2020 numbers', () => {
    const r = detectPii('주민번호 900101-1234568');
    expect(r.map((e) => [e.entity_type, e.score])).toEqual([['KR_RRN', 1]]);
    hasNo('번호 900101-1234567', 'KR_RRN'); // bad check digit, context too weak to lift it...
    has('주민등록번호 900101-1234567', 'KR_RRN', '900101-1234567'); // ... but 0.2 + 0.35 with the right context word
    // born after October 2020 → random suffix: 0.5 without a check digit
    expect(detectPii('211105-3123456').find((e) => e.entity_type === 'KR_RRN')?.score).toBe(0.5);
  });

  it('KR_BRN, KR_PASSPORT, KR_DRIVER_LICENSE', () => {
    has('사업자등록번호 220-81-62517', 'KR_BRN', '220-81-62517');
    hasNo('사업자등록번호 220-81-62518', 'KR_BRN');
    has('여권번호 M12345678', 'KR_PASSPORT', 'M12345678');
    has('passport M123A4567', 'KR_PASSPORT', 'M123A4567');
    hasNo('code M12345678', 'KR_PASSPORT');
    has('운전면허번호 11-23-123456-78', 'KR_DRIVER_LICENSE', '11-23-123456-78');
    hasNo('운전면허번호 99-23-123456-78', 'KR_DRIVER_LICENSE');
  });

  it('MAC_ADDRESS', () => {
    has('MAC 00:1a:2b:3c:4d:5e', 'MAC_ADDRESS', '00:1a:2b:3c:4d:5e');
    has('MAC 00-1A-2B-3C-4D-5E', 'MAC_ADDRESS', '00-1A-2B-3C-4D-5E');
    has('MAC 001a.2b3c.4d5e', 'MAC_ADDRESS', '001a.2b3c.4d5e');
    hasNo('MAC 00:1a-2b:3c:4d:5e', 'MAC_ADDRESS');
    hasNo('MAC ff:ff:ff:ff:ff:ff', 'MAC_ADDRESS');
  });

  it('CRYPTO: Base58Check and bech32', () => {
    has('btc 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'CRYPTO', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
    has('btc 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'CRYPTO', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy');
    has('btc bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'CRYPTO', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4');
    hasNo('btc 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', 'CRYPTO');
    hasNo('btc bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', 'CRYPTO');
  });

  it('DATE_TIME: English and Korean forms', () => {
    for (const d of ['2024-03-05', '03/05/2024', 'March 5, 2024', '5 March 2024', '2024.03.05', '2024-03-05T10:30:00Z']) has(`on ${d} we`, 'DATE_TIME', d);
    has('2024년 3월 5일에 주문', 'DATE_TIME', '2024년 3월 5일');
    has('3월 5일에 주문', 'DATE_TIME', '3월 5일');
    hasNo('on 13/32/2024', 'DATE_TIME');
    hasNo('I may 5 times', 'DATE_TIME');
  });

  it('PERSON: dictionary and context patterns', () => {
    const names = createNameDictionary(['Jonas MacGyver', '이나연', 'Laisha Orn']);
    has('I met Jonas MacGyver yesterday', 'PERSON', 'Jonas MacGyver', { names });
    has('이나연님이 주문', 'PERSON', '이나연', { names });
    has('이 나연 고객', 'PERSON', '이 나연', { names });
    has('가족인 김민수 님이 대신 주문했습니다.', 'PERSON', '김민수');
    has('상담원 목상현 님과 통화했습니다.', 'PERSON', '목상현');
    has('Dear Mr. John Smith, thanks', 'PERSON', 'John Smith');
    has('Thanks,\nMinsu Kim', 'PERSON', 'Minsu Kim');
    has('감사합니다.\n이나연 드림', 'PERSON', '이나연');
    hasNo('안녕하세요, 고객센터 담당자님.\n\n주문 O00049918', 'PERSON');
    hasNo('Dear Customer Service,', 'PERSON');
  });
});

describe('detectPii: mechanics', () => {
  it('resolves overlaps by score, then length', () => {
    // a card number also matches the weak SSN/phone patterns; the validated card wins
    expect(types('card 4111111111111111')).toEqual(['CREDIT_CARD:4111111111111111']);
    // the email's domain is not reported as a URL
    expect(types('mail a.b@weirshop.co.kr')).toEqual(['EMAIL_ADDRESS:a.b@weirshop.co.kr']);
    // equal score and span: the RRN (date + check digit) wins over a Luhn-valid card reading
    const rrn = detectPii('주민번호: 6208121671104');
    expect(rrn.map((e) => e.entity_type)).toEqual(['KR_RRN']);
    const r = detectPii('IP 211.45.67.89 and 010-1234-5678 and 2024-03-05');
    for (let i = 1; i < r.length; i++) expect(r[i].start).toBeGreaterThanOrEqual(r[i - 1].end);
  });

  it('offsets are UTF-16 indices into the input', () => {
    const t = '연락처는 010-1234-5678 입니다 😀 a@b.com';
    for (const e of detectPii(t)) expect(t.slice(e.start, e.end)).toBe(e.text);
  });

  it('entity filter and threshold', () => {
    expect(types('a@b.com 010-1234-5678', { entities: ['PHONE_NUMBER'] })).toEqual(['PHONE_NUMBER:010-1234-5678']);
    expect(detectPii('ref 349625660', { threshold: 0, entities: ['US_SSN'] }).map((e) => e.entity_type)).toContain('US_SSN');
  });
});

describe('redactPii', () => {
  const text = 'Mail j.doe@example.com or call 010-1234-5678, card 4111 1111 1111 1111.';
  it('mask', () => {
    expect(redactPii(text)).toBe('Mail <EMAIL_ADDRESS> or call <PHONE_NUMBER>, card <CREDIT_CARD>.');
    expect(redactPii(text, { entities: ['EMAIL_ADDRESS'] })).toBe('Mail <EMAIL_ADDRESS> or call 010-1234-5678, card 4111 1111 1111 1111.');
  });

  it('hash: deterministic, normalized, key-dependent', () => {
    const a = redactPii(text, { mode: 'hash', key: 'k1' });
    expect(a).toMatch(/^Mail <EMAIL_ADDRESS:[0-9a-f]{16}> or call <PHONE_NUMBER:[0-9a-f]{16}>, card <CREDIT_CARD:[0-9a-f]{16}>\.$/);
    expect(redactPii(text, { mode: 'hash', key: 'k1' })).toBe(a);
    expect(redactPii(text, { mode: 'hash', key: 'k2' })).not.toBe(a);
    expect(piiPseudonym('J.Doe@Example.com ', 'EMAIL_ADDRESS', 'k1')).toBe(piiPseudonym('j.doe@example.com', 'EMAIL_ADDRESS', 'k1'));
    expect(a).toContain(piiPseudonym('J.DOE@EXAMPLE.COM', 'EMAIL_ADDRESS', 'k1'));
    expect(piiPseudonym('+82 10-1234-5678', 'PHONE_NUMBER', 'k1')).toBe(piiPseudonym('010.1234.5678', 'PHONE_NUMBER', 'k1'));
    expect(piiPseudonym('4111-1111-1111-1111', 'CREDIT_CARD', 'k1')).toBe(piiPseudonym('4111111111111111', 'CREDIT_CARD', 'k1'));
    expect(piiPseudonym('a@b.com', 'EMAIL_ADDRESS', 'k1')).not.toBe(piiPseudonym('a@b.com', 'PERSON', 'k1'));
    expect(() => redactPii(text, { mode: 'hash' })).toThrow(/key/);
  });

  it('partial', () => {
    expect(redactPii(text, { mode: 'partial' })).toBe('Mail j***@example.com or call 010-****-5678, card **** **** **** 1111.');
    expect(partialMask('900101-1234568', 'KR_RRN')).toBe('900101-1******');
    expect(partialMask('349-62-5660', 'US_SSN')).toBe('***-**-5660');
    expect(partialMask('(415) 555-0123', 'PHONE_NUMBER')).toBe('(415) ***-0123');
    expect(partialMask('이나연', 'PERSON')).toBe('이*연');
  });
});

describe('UDFs', () => {
  const saved = process.env.WEIR_PII_KEY;
  afterEach(() => {
    if (saved === undefined) delete process.env.WEIR_PII_KEY;
    else process.env.WEIR_PII_KEY = saved;
  });
  const call = (udf: { fn: (...a: never[]) => unknown }, ...args: unknown[]) => (udf.fn as (...a: unknown[]) => unknown)(...args);

  it('detect_pii returns a JSON array', () => {
    expect(JSON.parse(call(detect_pii, 'mail a@b.com') as string)).toEqual([{ entity_type: 'EMAIL_ADDRESS', start: 5, end: 12, score: 1 }]);
    expect(detect_pii.portable).toBe(true);
  });

  it('redact_pii overloads, entity lists, modes', () => {
    expect(call(redact_pii, 'a@b.com 010-1234-5678')).toBe('<EMAIL_ADDRESS> <PHONE_NUMBER>');
    expect(call(redact_pii, 'a@b.com 010-1234-5678', 'ALL')).toBe('<EMAIL_ADDRESS> <PHONE_NUMBER>');
    expect(call(redact_pii, 'a@b.com 010-1234-5678', 'phone_number')).toBe('a@b.com <PHONE_NUMBER>');
    expect(call(redact_pii, 'a@b.com', 'EMAIL_ADDRESS', 'partial')).toBe('a***@b.com');
    expect(() => call(redact_pii, 'a@b.com', 'EMAILS')).toThrow(/unknown PII entity type/);
    expect(() => call(redact_pii, 'a@b.com', 'ALL', 'scramble')).toThrow(/unknown mode/);
  });

  it('hash mode and pii_hash need WEIR_PII_KEY and agree', () => {
    delete process.env.WEIR_PII_KEY;
    expect(() => call(redact_pii, 'a@b.com', 'ALL', 'hash')).toThrow(/WEIR_PII_KEY/);
    expect(() => call(pii_hash, 'a@b.com', 'EMAIL_ADDRESS')).toThrow(/WEIR_PII_KEY/);
    process.env.WEIR_PII_KEY = 'test-key';
    const token = call(pii_hash, 'A@B.com', 'email_address') as string;
    expect(token).toMatch(/^<EMAIL_ADDRESS:[0-9a-f]{16}>$/);
    expect(call(redact_pii, 'mail a@b.com', 'ALL', 'hash')).toBe(`mail ${token}`);
  });
});

describe('evaluation on the labelled demo emails', () => {
  let rows: PiiEvalRow[];
  beforeAll(async () => {
    rows = await evaluatePii();
    console.table(rows.map((r) => ({ ...r, precision: r.precision.toFixed(4), recall: r.recall.toFixed(4) })));
  }, 120_000);

  const structured: PiiEntityType[] = ['EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'IBAN_CODE', 'IP_ADDRESS', 'URL', 'US_SSN', 'KR_RRN', 'MAC_ADDRESS', 'CRYPTO'];
  it.each(structured)('%s recall ≥ 0.99', (t) => {
    const r = rows.find((x) => x.entity === t);
    expect(r, `${t} planted`).toBeDefined();
    expect(r!.tp).toBeGreaterThan(0);
    expect(r!.recall).toBeGreaterThanOrEqual(0.99);
  });

  it('reports precision for every planted entity', () => {
    for (const r of rows) {
      expect(r.precision).toBeGreaterThanOrEqual(0);
      expect(r.precision).toBeLessThanOrEqual(1);
    }
    expect(rows.find((r) => r.entity === 'DATE_TIME')!.recall).toBeGreaterThan(0.95);
    expect(rows.find((r) => r.entity === 'PERSON')!.recall).toBeGreaterThan(0.8);
  });
});

describe('redaction tokens', () => {
  it('does not read its own pseudonyms as PII (an all-digit hex pseudonym after "call me")', () => {
    expect(detectPii('Where is my order? - call me at <PHONE_NUMBER:70892255>')).toEqual([]);
    expect(detectPii('call me at <PHONE_NUMBER:7089225512345678> or <CREDIT_CARD:4111111111111111>')).toEqual([]);
    expect(detectPii('연락처 <PHONE_NUMBER:58910901> / <EMAIL_ADDRESS>')).toEqual([]);
    // A real number next to a token is still found.
    const found = detectPii('call me at <PHONE_NUMBER:70892255> or 010-1234-5678');
    expect(found.map((e) => e.text)).toEqual(['010-1234-5678']);
  });
});
