/**
 * True persons and the two identity-bearing raw tables: `raw_crm_customers` and
 * `raw_email_contacts`, plus `truth_person_identity` rows for both.
 */
import type { Faker } from '@faker-js/faker';
import { type Country, type Ctx, pad } from './context.js';
import { GzCsvWriter } from './csv.js';
import {
  EN_DOMAINS, GB_DOMAINS, KO_DOMAINS, KO_SURNAMES, NICK_FEMALE, NICK_MALE, NICKNAMES, badEmail, cap,
  emailVariant, formatAuMobile, formatKrMobile, formatNanp, formatUkMobile, mixedCase, randomNanp, romanGiven,
  romanize, slug, typo,
} from './names.js';
import { type Rng, searchCumulative } from './prng.js';
import { DAY, END_SEC, N_DAYS, cumulative, dayWeights, fmtDay, fmtTs, fmtYmd, secondOfDay } from './time.js';

/** One real human being behind possibly several source records. */
export interface Person {
  /** 0-based index; `person_id` is `P` + 7 digits of `idx + 1`. */
  idx: number;
  /** Korean-named person (Hangul name) vs English-named. */
  ko: boolean;
  country: Country;
  gender: 'F' | 'M';
  /** Given name (Hangul for Korean persons). */
  given: string;
  middle: string | null;
  /** Family name (Hangul for Korean persons). */
  family: string;
  /** Romanized given/family names (equal to given/family for English names). */
  givenRoman: string;
  familyRoman: string;
  /** `YYYY-MM-DD`. */
  birth: string;
  /** Primary email (unique across persons). */
  email: string;
  /** Email used in the email-marketing system, if the person is a contact there. */
  emailSys: string | null;
  /** Raw phone digits in the national scheme of `phoneCountry`. */
  phoneDigits: string;
  phoneCountry: Country;
  city: string;
  address: string;
  postal: string;
  /** Preferred language of communication. */
  lang: 'ko' | 'en';
}

/** `P0000001`-style truth person id. */
export function personId(p: Person): string {
  return pad('P', p.idx + 1, 7);
}

const KO_CITIES: readonly (readonly [readonly [string, string], number])[] = [
  [['서울특별시', 'Seoul'], 40], [['부산광역시', 'Busan'], 7], [['인천광역시', 'Incheon'], 6], [['대구광역시', 'Daegu'], 5],
  [['대전광역시', 'Daejeon'], 3], [['광주광역시', 'Gwangju'], 3], [['수원시', 'Suwon'], 4], [['성남시', 'Seongnam'], 4],
  [['고양시', 'Goyang'], 3], [['용인시', 'Yongin'], 3], [['울산광역시', 'Ulsan'], 2], [['창원시', 'Changwon'], 2],
  [['청주시', 'Cheongju'], 2], [['전주시', 'Jeonju'], 2], [['제주시', 'Jeju'], 2],
];
const KO_DISTRICTS = ['강남구', '서초구', '송파구', '마포구', '영등포구', '종로구', '용산구', '성동구', '관악구', '노원구', '해운대구', '중구', '남구', '수정구', '분당구', '일산동구', '기흥구', '유성구'];

/** Country code → locale tag used by the CRM `locale` column. */
export const LOCALE_OF: Record<Country, string> = { KR: 'ko-KR', US: 'en-US', GB: 'en-GB', CA: 'en-CA', AU: 'en-AU', IE: 'en-IE' };

/** Factory of true persons with locale-appropriate names, contact details and addresses. */
export class PersonFactory {
  readonly persons: Person[] = [];
  private readonly usedEmails = new Set<string>();
  private readonly rng: Rng;
  private readonly fk: Record<Country, Faker>;

  constructor(ctx: Ctx) {
    this.rng = ctx.rng('persons');
    this.fk = {
      KR: ctx.faker('KR', 'persons'),
      US: ctx.faker('US', 'persons'),
      GB: ctx.faker('GB', 'persons'),
      CA: ctx.faker('CA', 'persons'),
      AU: ctx.faker('AU', 'persons'),
      IE: ctx.faker('IE', 'persons'),
    };
  }

  /** Create and register a new person; ~40 % Korean, 60 % English-speaking. */
  create(): Person {
    const r = this.rng;
    const ko = r.chance(0.4);
    const gender: 'F' | 'M' = r.chance(0.52) ? 'F' : 'M';
    const sex = gender === 'F' ? 'female' : 'male';
    let country: Country;
    if (ko) country = r.chance(0.9) ? 'KR' : r.weighted([['US', 6], ['CA', 2], ['AU', 1], ['GB', 1]] as const);
    else country = r.weighted([['US', 58], ['GB', 20], ['CA', 9], ['AU', 9], ['IE', 4]] as const);
    const f = ko ? this.fk.KR : this.fk[country];
    let given: string;
    let middle: string | null = null;
    let family: string;
    let givenRoman: string;
    let familyRoman: string;
    if (ko) {
      const [fam, , roms] = r.weighted(KO_SURNAMES.map((s) => [s, s[1]] as const));
      family = fam;
      given = f.person.firstName(sex);
      if ([...given].length !== 2) given = f.person.firstName(sex);
      familyRoman = r.chance(0.85) ? roms[0] : r.pick(roms);
      givenRoman = romanGiven(given, r, r.weighted([[0, 6], [1, 3], [2, 1]] as const));
    } else {
      const fe = this.fk[country];
      given = r.chance(0.3) ? r.pick(gender === 'F' ? NICK_FEMALE : NICK_MALE) : fe.person.firstName(sex);
      if (r.chance(0.35)) middle = fe.person.middleName(sex);
      family = fe.person.lastName();
      givenRoman = given;
      familyRoman = family;
    }
    // age 18..78, skewed towards 25-45
    const age = Math.min(78, Math.max(18, Math.round(r.normal(38, 12))));
    const by = 2024 - age;
    const bm = r.int(1, 12);
    const bd = r.int(1, [31, by % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][bm - 1]);
    const birth = fmtYmd(by, bm, bd);

    // phone
    let phoneDigits: string;
    const phoneCountry = country;
    if (country === 'KR') phoneDigits = r.digits(8).replace(/^0/, String(r.int(2, 9)));
    else if (country === 'US' || country === 'CA') phoneDigits = randomNanp(r);
    else if (country === 'GB' || country === 'IE') phoneDigits = String(r.int(400, 999)) + r.digits(6);
    else phoneDigits = String(r.int(10, 99)) + r.digits(6);

    // address
    let city: string;
    let address: string;
    let postal: string;
    if (country === 'KR') {
      const [hangulCity] = r.weighted(KO_CITIES);
      city = hangulCity;
      address = `${r.pick(KO_DISTRICTS)} ${f.location.street()} ${r.int(1, 250)}`;
      postal = r.chance(0.9) ? String(r.int(1000, 63644)).padStart(5, '0') : `${r.digits(3)}-${r.digits(3)}`;
    } else {
      const fe = this.fk[country];
      city = fe.location.city();
      address = fe.location.streetAddress(r.chance(0.15));
      postal = fe.location.zipCode();
    }

    const p: Person = {
      idx: this.persons.length, ko, country, gender, given, middle, family, givenRoman, familyRoman, birth,
      email: '', emailSys: null, phoneDigits, phoneCountry, city, address, postal,
      lang: ko ? (country === 'KR' || r.chance(0.6) ? 'ko' : 'en') : 'en',
    };
    p.email = this.uniqueEmail(this.makeEmail(p));
    this.persons.push(p);
    return p;
  }

  /** A plausible personal email address for the person (not registered as unique). */
  makeEmail(p: Person): string {
    const r = this.rng;
    const g = slug(p.givenRoman);
    const fam = slug(p.familyRoman);
    const yy = p.birth.slice(2, 4);
    const domains = p.country === 'KR' ? KO_DOMAINS : p.country === 'GB' || p.country === 'IE' ? GB_DOMAINS : EN_DOMAINS;
    const domain = r.weighted(p.ko && p.country === 'KR' ? KO_DOMAINS : domains);
    const word = r.pick(['sunny', 'blue', 'happy', 'star', 'moon', 'coffee', 'tiger', 'rainbow', 'lucky', 'jazz', 'pixel', 'ocean']);
    const local = r.weighted([
      [`${g}.${fam}`, 5], [`${g}${fam}`, 3], [`${g[0]}${fam}${r.int(1, 99)}`, 3], [`${g}_${fam}${yy}`, 2],
      [`${fam}.${g}`, p.ko ? 3 : 1], [`${g}${yy}`, 2], [`${word}${g}${r.int(1, 999)}`, 1], [`${word}_${r.int(10, 9999)}`, 1],
    ] as const);
    return `${local}@${domain}`;
  }

  /** Make an email unique among all persons by appending digits on collision. */
  uniqueEmail(e: string): string {
    let out = e;
    while (this.usedEmails.has(out.toLowerCase())) {
      const at = e.indexOf('@');
      out = e.slice(0, at) + this.rng.int(1, 9999) + e.slice(at);
    }
    this.usedEmails.add(out.toLowerCase());
    return out;
  }

  /** A second, different address of the same person (e.g. work or old account). */
  otherEmail(p: Person): string {
    const r = this.rng;
    if (r.chance(0.4)) {
      const company = slug(this.fk.US.company.name()).slice(0, 14) || 'acme';
      const g = slug(p.givenRoman);
      return this.uniqueEmail(`${r.chance(0.5) ? g : g[0]}.${slug(p.familyRoman)}@${company}.${r.pick(['com', 'io', 'co.kr', 'co.uk', 'net'])}`);
    }
    return this.uniqueEmail(this.makeEmail(p));
  }
}

/**
 * Format the person's phone in a format common for their country.
 * @param style - format index (see the `format*` helpers in names.ts); random if omitted.
 */
export function formatPhone(p: Person, rng: Rng, style?: number): string {
  const d = p.phoneDigits;
  switch (p.phoneCountry) {
    case 'KR': return formatKrMobile(d, style ?? rng.weighted([[0, 10], [1, 3], [2, 2], [3, 1], [4, 1], [5, 1], [6, 1]] as const));
    case 'US':
    case 'CA': return formatNanp(d, style ?? rng.weighted([[0, 6], [1, 5], [2, 2], [3, 2], [4, 1], [5, 1], [6, 1]] as const));
    case 'GB':
    case 'IE': return formatUkMobile(d, style ?? rng.int(0, 3));
    default: return formatAuMobile(d, style ?? rng.int(0, 1));
  }
}

/** A formatted full name as a human would write it, with optional variation. */
export function displayName(p: Person, rng: Rng, variant = false): string {
  if (p.ko) {
    if (!variant) return rng.chance(0.8) ? p.family + p.given : `${p.givenRoman} ${p.familyRoman}`;
    return rng.weighted([
      [p.family + ' ' + p.given, 3], [p.family + p.given, 2], [`${p.givenRoman} ${p.familyRoman}`, 3],
      [`${p.familyRoman} ${p.givenRoman}`, 2], [`${p.familyRoman.toUpperCase()} ${romanGiven(p.given, rng, 1).toUpperCase()}`, 1],
      [`${romanGiven(p.given, rng, 2)} ${p.familyRoman}`, 1],
    ] as const);
  }
  const first = variant && NICKNAMES[p.given] && rng.chance(0.5) ? rng.pick(NICKNAMES[p.given]) : p.given;
  if (!variant) return p.middle && rng.chance(0.3) ? `${first} ${p.middle} ${p.family}` : `${first} ${p.family}`;
  return rng.weighted([
    [`${first} ${p.family}`, 4], [`${first} ${p.family}`.toLowerCase(), 2], [`${p.family}, ${first}`, 1],
    [`${first[0]}. ${p.family}`, 1], [`${first} ${typo(p.family, rng)}`, 1], [`${first} ${p.family}`.toUpperCase(), 1],
  ] as const);
}

/** Summary of the CRM table needed by downstream generators (orders, sessions, A/B tests). */
export interface CrmIndex {
  /** Number of CRM records; customer_id of record i is `C` + 7 digits of i + 1. */
  count: number;
  /** Person index of each record. */
  person: Int32Array;
  /** created_at of each record, seconds since 2023-01-01, non-decreasing. */
  created: Int32Array;
  /** Cumulative purchase-propensity weight (prefix sums over records). */
  cumWeight: Float64Array;
  /** Whether the record is a duplicate (not the person's first record). */
  isDup: Uint8Array;
  /** First CRM record of each person (by person index), −1 if none. */
  primaryOf: Int32Array;
}

/** `C0000001`-style CRM customer id for record index i. */
export function customerId(i: number): string {
  return pad('C', i + 1, 7);
}

const ACQ: readonly (readonly [string, number])[] = [
  ['organic_search', 24], ['paid_search', 18], ['social', 16], ['direct', 14], ['referral', 8], ['email', 6], ['affiliate', 6], ['store', 8],
];
const GENDER_VARIANTS: Record<'F' | 'M', readonly string[]> = { F: ['female', 'Female', 'W', '여', 'f'], M: ['male', 'Male', '남', 'm'] };
const COUNTRY_VARIANTS: Record<Country, readonly string[]> = {
  KR: ['Korea', 'South Korea', 'Korea, Republic of', 'kr', '대한민국'], US: ['USA', 'United States', 'U.S.', 'us'],
  GB: ['UK', 'United Kingdom', 'England', 'gb'], CA: ['Canada', 'ca'], AU: ['Australia', 'au'], IE: ['Ireland', 'ie'],
};
const KO_CITY_ROMAN = new Map(KO_CITIES.map(([[h, r]]) => [h, r] as const));

/**
 * Generate the true CRM persons and write `raw_crm_customers` (≈ 10,000 × scale records, ~9 %
 * of persons with 2–3 records) plus their `truth_person_identity` rows.
 */
export async function genCrm(ctx: Ctx, pf: PersonFactory, identity: GzCsvWriter): Promise<CrmIndex> {
  const r = ctx.rng('crm');
  const target = ctx.n(10000, 5);
  const recPerson: number[] = [];
  const recCreated: number[] = [];
  const recCopy: number[] = [];
  const cum = cumulative(dayWeights());
  const total = cum[N_DAYS - 1];
  while (recPerson.length < target) {
    const p = pf.create();
    const copies = Math.min(target - recPerson.length, r.weighted([[1, 905], [2, 85], [3, 10]] as const));
    let t: number;
    if (r.chance(0.2)) t = r.int(0, 13) * DAY + r.int(0, DAY - 1); // legacy import, first two weeks of 2023
    else t = searchCumulative(cum, r.next() * total) * DAY + secondOfDay(r);
    for (let k = 0; k < copies; k++) {
      recPerson.push(p.idx);
      recCreated.push(k === 0 ? t : Math.min(END_SEC - 1, t + r.int(3600, 400 * DAY)));
      recCopy.push(k);
    }
  }
  const n = recPerson.length;
  // stable sort by created_at (auto-increment ids follow entry time)
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = recCreated[i] * 4194304 + i;
  keys.sort();
  const idx = new CrmIndexBuilder(n, pf.persons.length);

  const w = ctx.writer('raw_crm_customers', [
    'customer_id', 'first_name', 'middle_name', 'last_name', 'email', 'phone', 'gender', 'birth_date', 'country', 'city',
    'address_line', 'postal_code', 'locale', 'marketing_opt_in', 'acquisition_channel', 'signup_date', 'created_at', 'updated_at',
  ]);
  let cw = 0;
  for (let j = 0; j < n; j++) {
    const i = keys[j] % 4194304;
    const p = pf.persons[recPerson[i]];
    const copy = recCopy[i];
    const created = recCreated[i];
    const cid = customerId(j);
    idx.person[j] = p.idx;
    idx.created[j] = created;
    idx.isDup[j] = copy > 0 ? 1 : 0;
    if (copy === 0) idx.primaryOf[p.idx] = j;
    cw += copy === 0 ? r.logNormal(0, 1) : 0.25 * r.logNormal(0, 1);
    idx.cumWeight[j] = cw;
    identity.row(['crm', cid, personId(p)]);
    if (copy > 0) ctx.logDirt('raw_crm_customers', cid, '*', 'duplicate_person');

    let first: string | null = p.given;
    let middle: string | null = p.middle;
    let last: string | null = p.family;
    let email: string | null = p.email;
    let phone: string | null = formatPhone(p, r);
    let city: string | null = p.city;
    if (p.ko && p.country === 'KR' && r.chance(0.1)) city = KO_CITY_ROMAN.get(p.city) ?? p.city;
    if (p.ko && (p.country !== 'KR' ? r.chance(0.7) : r.chance(0.05))) {
      first = p.givenRoman;
      last = p.familyRoman;
    }
    if (copy > 0) {
      // the same person entered again, with a variant
      if (p.ko) {
        const v = r.int(0, 3);
        if (v === 0) { first = p.family + p.given; last = null; ctx.logDirt('raw_crm_customers', cid, 'first_name', 'full_name_in_first_name'); }
        else if (v === 1) { first = p.family + ' ' + p.given; last = null; ctx.logDirt('raw_crm_customers', cid, 'first_name', 'full_name_in_first_name'); }
        else if (v === 2) { first = romanGiven(p.given, r); last = r.chance(0.5) ? p.familyRoman : romanize(p.family).toUpperCase(); }
        else { first = p.given; last = p.family; }
      } else {
        const v = r.int(0, 3);
        if (v === 0 && NICKNAMES[p.given]) first = r.pick(NICKNAMES[p.given]);
        else if (v === 1) last = typo(p.family, r);
        else if (v === 2) { first = first.toUpperCase(); last = last.toUpperCase(); }
        else first = typo(p.given, r);
        middle = null;
      }
      if (r.chance(0.6)) email = emailVariant(p.email, r);
      else if (r.chance(0.5)) email = pf.otherEmail(p);
      phone = r.chance(0.3) ? null : formatPhone(p, r);
    }
    if (p.middle && middle && r.chance(0.2)) middle = p.middle[0] + '.';

    // row-level dirt
    if (r.chance(0.03)) {
      const col = r.pick(['first_name', 'last_name', 'email']);
      if (col === 'first_name' && first) first = r.pick([' ', '  ', '']) + first + r.pick([' ', '  ', '\t']);
      else if (col === 'last_name' && last) last = ' ' + last + ' ';
      else if (email) email = ' ' + email + ' ';
      ctx.logDirt('raw_crm_customers', cid, col, 'untrimmed_whitespace');
    }
    if (r.chance(0.015) && first && !p.ko) { first = mixedCase(first, r); ctx.logDirt('raw_crm_customers', cid, 'first_name', 'mixed_case'); }
    if (r.chance(0.02) && email) { email = mixedCase(email, r); ctx.logDirt('raw_crm_customers', cid, 'email', 'mixed_case'); }
    if (r.chance(0.02)) { email = null; ctx.logDirt('raw_crm_customers', cid, 'email', 'null'); }
    else if (r.chance(0.015) && email) {
      const b = badEmail(email.trim(), r);
      email = b.value;
      ctx.logDirt('raw_crm_customers', cid, 'email', b.kind);
    }
    if (r.chance(0.06)) { phone = null; ctx.logDirt('raw_crm_customers', cid, 'phone', 'null'); }
    let birth: string | null = p.birth;
    if (r.chance(0.08)) { birth = null; ctx.logDirt('raw_crm_customers', cid, 'birth_date', 'null'); }
    else if (r.chance(0.003)) { birth = fmtYmd(r.int(2026, 2031), r.int(1, 12), r.int(1, 28)); ctx.logDirt('raw_crm_customers', cid, 'birth_date', 'future_date'); }
    else if (r.chance(0.003)) {
      birth = r.pick([`${p.birth.slice(0, 4)}-02-30`, `${p.birth.slice(0, 4)}-13-01`, '0000-00-00', '1900-01-01', `${p.birth.slice(0, 4)}-04-31`]);
      ctx.logDirt('raw_crm_customers', cid, 'birth_date', birth === '1900-01-01' ? 'placeholder_date' : 'invalid_date');
    }
    let gender: string | null = p.gender;
    if (r.chance(0.04)) { gender = null; ctx.logDirt('raw_crm_customers', cid, 'gender', 'null'); }
    else if (r.chance(0.05)) { gender = r.pick(GENDER_VARIANTS[p.gender]); ctx.logDirt('raw_crm_customers', cid, 'gender', 'inconsistent_code'); }
    let country: string | null = p.country;
    if (r.chance(0.04)) { country = r.pick(COUNTRY_VARIANTS[p.country]); ctx.logDirt('raw_crm_customers', cid, 'country', 'inconsistent_code'); }
    if (r.chance(0.03)) { city = null; ctx.logDirt('raw_crm_customers', cid, 'city', 'null'); }
    let optIn: string | null = r.chance(0.55) ? 'true' : 'false';
    if (r.chance(0.03)) { optIn = optIn === 'true' ? r.pick(['Y', 'yes', '1']) : r.pick(['N', 'no', '0']); ctx.logDirt('raw_crm_customers', cid, 'marketing_opt_in', 'inconsistent_code'); }
    else if (r.chance(0.02)) { optIn = null; ctx.logDirt('raw_crm_customers', cid, 'marketing_opt_in', 'null'); }
    let acq: string | null = created < 14 * DAY ? 'store' : r.weighted(ACQ);
    if (r.chance(0.02)) { acq = null; ctx.logDirt('raw_crm_customers', cid, 'acquisition_channel', 'null'); }
    let signupDay = Math.floor(created / DAY);
    // the web form's signup date occasionally precedes the CRM entry by a few days (manual back-office entry)
    if (r.chance(0.02)) signupDay = Math.max(0, signupDay - r.int(1, 10));
    const signup = fmtDay(signupDay);
    let createdStr = fmtTs(created);
    if (r.chance(0.01)) { createdStr = createdStr.replace(' ', 'T') + 'Z'; ctx.logDirt('raw_crm_customers', cid, 'created_at', 'iso_t_z_format'); }
    const updated = Math.min(END_SEC - 1, created + (r.chance(0.4) ? r.int(60, 500 * DAY) : 0));
    w.row([
      cid, first, middle, last, email, phone, gender, birth, country, city, p.address, p.postal, LOCALE_OF[p.country],
      optIn, acq, signup, createdStr, fmtTs(updated),
    ]);
    if ((j & 1023) === 0) await Promise.all([w.tick(), identity.tick(), ctx.dirt.tick()]);
  }
  return idx;
}

class CrmIndexBuilder implements CrmIndex {
  count: number;
  person: Int32Array;
  created: Int32Array;
  cumWeight: Float64Array;
  isDup: Uint8Array;
  primaryOf: Int32Array;
  constructor(n: number, nPersons: number) {
    this.count = n;
    this.person = new Int32Array(n);
    this.created = new Int32Array(n);
    this.cumWeight = new Float64Array(n);
    this.isDup = new Uint8Array(n);
    this.primaryOf = new Int32Array(nPersons).fill(-1);
  }
}

/**
 * Write `raw_email_contacts` (≈ 8,000 × scale): ~78 % are CRM persons (same, variant or
 * different email; name spelled differently), ~20 % exist only in the email system, ~2 % are
 * duplicate contacts of the same person inside the email system.
 *
 * @returns number of CRM persons (persons with index < this were created for the CRM).
 */
export async function genEmailContacts(ctx: Ctx, pf: PersonFactory, crm: CrmIndex, identity: GzCsvWriter): Promise<void> {
  const r = ctx.rng('email_contacts');
  const target = ctx.n(8000, 5);
  const nCrmPersons = pf.persons.length;
  const fromCrm = Math.min(nCrmPersons, Math.round(target * 0.78));
  const dups = Math.round(target * 0.02);
  const only = target - fromCrm - dups;
  const specPerson: number[] = [];
  const specCreated: number[] = [];
  const specDup: number[] = [];
  // distinct CRM persons via a coprime stride permutation
  let step = r.int(1, Math.max(1, nCrmPersons - 1)) | 1;
  while (gcd(step, nCrmPersons) !== 1) step += 2;
  const start = r.int(0, nCrmPersons - 1);
  const cum = cumulative(dayWeights());
  const total = cum[N_DAYS - 1];
  for (let k = 0; k < fromCrm; k++) {
    const pi = (start + k * step) % nCrmPersons;
    const base = crm.created[crm.primaryOf[pi]];
    specPerson.push(pi);
    let t = base + r.int(-60, 500) * DAY + r.int(0, DAY - 1);
    if (t < 0) t = base + r.int(0, 30 * DAY);
    specCreated.push(Math.min(END_SEC - 1, t));
    specDup.push(0);
  }
  for (let k = 0; k < only; k++) {
    const p = pf.create();
    specPerson.push(p.idx);
    specCreated.push(searchCumulative(cum, r.next() * total) * DAY + secondOfDay(r));
    specDup.push(0);
  }
  for (let k = 0; k < dups; k++) {
    const s = r.int(0, fromCrm + only - 1);
    specPerson.push(specPerson[s]);
    specCreated.push(Math.min(END_SEC - 1, specCreated[s] + r.int(1, 300) * DAY));
    specDup.push(1);
  }
  const n = specPerson.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = specCreated[i] * 4194304 + i;
  keys.sort();
  const w = ctx.writer('raw_email_contacts', [
    'contact_id', 'email_address', 'full_name', 'phone', 'language', 'subscription_status', 'source', 'created_at', 'updated_at',
  ]);
  for (let j = 0; j < n; j++) {
    const i = keys[j] % 4194304;
    const p = pf.persons[specPerson[i]];
    const id = pad('EC', j + 1, 7);
    identity.row(['email', id, personId(p)]);
    let email: string;
    if (specDup[i]) {
      email = r.chance(0.5) ? emailVariant(p.emailSys ?? p.email, r) : pf.otherEmail(p);
      ctx.logDirt('raw_email_contacts', id, '*', 'duplicate_person');
    } else if (p.idx >= nCrmPersons) email = p.email;
    else {
      const u = r.next();
      email = u < 0.7 ? p.email : u < 0.88 ? emailVariant(p.email, r) : pf.otherEmail(p);
    }
    if (!p.emailSys) p.emailSys = email;
    let name: string | null = displayName(p, r, r.chance(0.45));
    if (r.chance(0.06)) { name = null; ctx.logDirt('raw_email_contacts', id, 'full_name', 'null'); }
    else if (r.chance(0.02)) { name = ' ' + name + ' '; ctx.logDirt('raw_email_contacts', id, 'full_name', 'untrimmed_whitespace'); }
    if (r.chance(0.02)) { email = email.toUpperCase(); ctx.logDirt('raw_email_contacts', id, 'email_address', 'upper_case'); }
    const phone = r.chance(0.3) ? formatPhone(p, r) : null;
    const status = r.weighted([['subscribed', 70], ['unsubscribed', 18], ['bounced', 4], ['cleaned', 3], ['pending', 5]] as const);
    const source = r.weighted([['website_form', 35], ['checkout', 25], ['popup', 15], ['import', 10], ['event', 8], ['referral', 7]] as const);
    const created = specCreated[i];
    const updated = Math.min(END_SEC - 1, created + (status === 'subscribed' && r.chance(0.5) ? 0 : r.int(3600, 400 * DAY)));
    w.row([id, email, name, phone, p.lang === 'ko' && r.chance(0.95) ? 'ko' : 'en', status, source, fmtTs(created), fmtTs(updated)]);
    if ((j & 1023) === 0) await Promise.all([w.tick(), identity.tick(), ctx.dirt.tick()]);
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Capitalised helper re-export for other modules. */
export { cap };
