/**
 * The PII entity types Weir detects (named as in Presidio), the raw hit every recognizer returns, and the
 * context words of each entity used by the context enhancer (see ../pii.ts).
 * @module
 */

/** Entity types detected, named as in Presidio (KR_* as in Presidio's `country_specific/korea`). */
export type PiiEntityType =
  | 'EMAIL_ADDRESS' | 'PHONE_NUMBER' | 'CREDIT_CARD' | 'IBAN_CODE' | 'IP_ADDRESS' | 'URL' | 'US_SSN'
  | 'KR_RRN' | 'KR_BRN' | 'KR_PASSPORT' | 'KR_DRIVER_LICENSE' | 'MAC_ADDRESS' | 'CRYPTO' | 'DATE_TIME' | 'PERSON';

/** All supported entity types, in a stable order. */
export const PII_ENTITY_TYPES: readonly PiiEntityType[] = [
  'EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'IBAN_CODE', 'IP_ADDRESS', 'URL', 'US_SSN', 'KR_RRN', 'KR_BRN',
  'KR_PASSPORT', 'KR_DRIVER_LICENSE', 'MAC_ADDRESS', 'CRYPTO', 'DATE_TIME', 'PERSON',
];

/** A raw recognizer hit before context enhancement and overlap resolution (`end` exclusive, UTF-16). */
export interface RawHit {
  entity_type: PiiEntityType;
  start: number;
  end: number;
  score: number;
}

/** Context words per entity (lower-case; matched as substrings of the 5 word tokens before a hit, as Presidio's LemmaContextAwareEnhancer in its default "substring" mode). Korean words added here. */
export const CONTEXT_WORDS: Readonly<Record<PiiEntityType, readonly string[]>> = {
  EMAIL_ADDRESS: ['email', 'e-mail', 'mail', '메일', '이메일'],
  PHONE_NUMBER: ['phone', 'number', 'telephone', 'cell', 'cellphone', 'mobile', 'call', 'tel', '연락처', '전화', '휴대폰', '핸드폰', '번호'],
  CREDIT_CARD: ['credit', 'card', 'visa', 'mastercard', 'cc', 'amex', 'discover', 'jcb', 'diners', 'maestro', 'instapayment', '카드'],
  IBAN_CODE: ['iban', 'bank', 'transaction', '계좌', '은행'],
  IP_ADDRESS: ['ip', 'ipv4', 'ipv6', '아이피'],
  URL: ['url', 'website', 'link', '링크', '주소', '사이트'],
  US_SSN: ['social', 'security', 'ssn', 'ssns', 'ssid'],
  KR_RRN: ['rrn', 'resident', 'registration', '주민등록번호', '주민번호', '주민'],
  KR_BRN: ['사업자등록번호', '사업자번호', '사업자', 'brn', 'business', 'tax'],
  KR_PASSPORT: ['passport', '여권'],
  KR_DRIVER_LICENSE: ['운전면허', '운전면허번호', '면허번호', 'driver', 'license', 'licence'],
  MAC_ADDRESS: ['mac', 'hardware', 'physical', 'ethernet'],
  CRYPTO: ['wallet', 'btc', 'bitcoin', 'crypto', '비트코인', '지갑'],
  DATE_TIME: ['date', 'birthday', 'born', 'dob', '날짜', '생일', '생년월일', '일자'],
  PERSON: ['mr', 'mrs', 'ms', 'miss', 'dr', 'dear', 'name', 'partner', 'colleague', 'customer', '고객', '님', '씨', '성명', '이름', '상담원', '담당자'],
};
