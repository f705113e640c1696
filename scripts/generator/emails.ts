/**
 * `raw_customer_emails` (inbound customer-service emails in Korean and English) with planted
 * PII, plus the `truth_email_pii` and `email_sender` rows of `truth_person_identity`.
 */
import type { Faker } from '@faker-js/faker';
import { type Ctx, pad } from './context.js';
import type { Product } from './commerce.js';
import { type OrderIndex, orderId } from './commerce.js';
import { NICKNAMES, emailVariant, mixedCase } from './names.js';
import { type CrmIndex, type Person, type PersonFactory, displayName, formatPhone, personId } from './people.js';
import { btcAddress, creditCard, iban, ipAddress, koreanRrn, macAddress, type PiiType, randomPhone, url, usSsn, writtenDate } from './pii.js';
import { type Rng, searchCumulative } from './prng.js';
import { DAY, EPOCH_MS, N_DAYS, cumulative, dayWeights, fmtTs, secondOfDay } from './time.js';
import type { GzCsvWriter } from './csv.js';

/** One planted PII span; offsets are JavaScript UTF-16 code-unit indices, `end` exclusive. */
export interface PiiSpan {
  type: PiiType;
  start: number;
  end: number;
  value: string;
}

/** Text accumulator that records the exact offsets of planted entities. */
export class SpanText {
  text = '';
  readonly spans: PiiSpan[] = [];
  /** Append plain text. */
  add(s: string): this {
    this.text += s;
    return this;
  }
  /** Append an entity value and record its span. */
  ent(type: PiiType, value: string): this {
    const start = this.text.length;
    this.text += value;
    this.spans.push({ type, start, end: this.text.length, value });
    return this;
  }
}

type TokenFn = (t: SpanText) => void;

/**
 * Render a template whose `{token}` placeholders are resolved through `tokens` (unknown tokens
 * are an error, so a typo in a template cannot silently leak unlabelled text).
 */
export function render(t: SpanText, template: string, tokens: Record<string, TokenFn>): void {
  const re = /\{(\w+)\}/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(template))) {
    t.add(template.slice(last, m.index));
    const fn = tokens[m[1]];
    if (!fn) throw new Error(`unknown template token {${m[1]}}`);
    fn(t);
    last = m.index + m[0].length;
  }
  t.add(template.slice(last));
}

interface Template {
  cat: string;
  subjects: readonly string[];
  bodies: readonly string[];
}

const EN: readonly Template[] = [
  { cat: 'complaint', subjects: ['Damaged item in order {order}', 'Very disappointed with my order', 'Complaint: {product} arrived broken', 'Wrong item received ({order})'],
    bodies: [
      'I received my order {order} on {date} and the {product} was damaged. The box was crushed and the item does not work at all. I expected much better quality from your shop.',
      'The {product} I ordered (order {order}) is not what was shown on the website. The colour is different and it looks used. I would like a replacement or a refund.',
      'This is the second time my order arrived with missing items. Order {order} was supposed to include {product} but it was not in the package. Please fix this.' ] },
  { cat: 'refund', subjects: ['Refund request - order {order}', 'Where is my refund?', 'Refund for {product}', 'Requesting refund for {order}'],
    bodies: [
      'I returned the {product} from order {order} on {date} but I have not received my refund of {amount} yet. Could you please check the status?',
      'Please process a full refund for order {order}. The {product} did not fit and I sent it back with the prepaid label.',
      'I cancelled order {order} right after placing it, but I was still charged {amount}. I want my money back as soon as possible.' ] },
  { cat: 'delivery', subjects: ['Where is my order {order}?', 'Delivery question', 'Order {order} not delivered', 'Tracking not updating'],
    bodies: [
      'My order {order} was placed on {date} and the tracking page has not updated since. Can you tell me when the {product} will arrive?',
      'The courier says order {order} was delivered, but I never received it. Nobody was home on {date}. Could you open an investigation?',
      'Can I change the delivery slot for order {order}? I will not be home on {date}.' ] },
  { cat: 'account', subjects: ['Please update my account details', 'Change of email address', 'Account change request', 'Cannot log in to my account'],
    bodies: [
      'Please update the contact details on my account. I changed my phone number and would also like newsletters to go to my new address.',
      'I cannot log in to my account anymore. The password reset email never arrives. Could you reset it for me?',
      'Please merge my two accounts. I accidentally registered twice with different email addresses.' ] },
  { cat: 'payment', subjects: ['Charged twice for {order}', 'Payment problem', 'Card declined at checkout', 'Double charge on my statement'],
    bodies: [
      'I was charged twice for order {order}. My statement shows two payments of {amount} on {date}. Please refund the duplicate charge.',
      'My card keeps getting declined at checkout although it works everywhere else. I tried to buy the {product} several times.',
      'The payment for order {order} failed but the money was taken from my account. Please look into it.' ] },
  { cat: 'privacy', subjects: ['Delete my personal data', 'Data access request', 'Unsubscribe and remove my data', 'Privacy request'],
    bodies: [
      'Under data protection law I request a copy of all personal data you hold about me, and I want it deleted afterwards.',
      'Please unsubscribe me from all marketing emails and delete my account. I no longer wish to shop with you.',
      'I keep receiving emails although I unsubscribed on {date}. Please remove me from every mailing list.' ] },
];

const KO: readonly Template[] = [
  { cat: 'complaint', subjects: ['주문 {order} 상품 파손 문의', '상품 불량 접수합니다', '[불만] {product} 파손되어 도착', '오배송 문의 ({order})'],
    bodies: [
      '{date}에 주문번호 {order} 상품을 받았는데 {product} 제품이 파손되어 왔습니다. 박스가 찌그러져 있었고 제품이 작동하지 않습니다. 빠른 조치 부탁드립니다.',
      '주문번호 {order}로 주문한 {product} 제품이 홈페이지 사진과 다릅니다. 색상도 다르고 사용한 흔적이 있습니다. 교환이나 환불 부탁드립니다.',
      '벌써 두 번째로 상품이 누락되어 배송되었습니다. 주문 {order}에 {product} 제품이 들어 있어야 하는데 없었습니다. 확인 부탁드립니다.' ] },
  { cat: 'refund', subjects: ['환불 요청 - 주문번호 {order}', '환불은 언제 되나요?', '{product} 환불 요청', '[긴급] 환불 처리 문의'],
    bodies: [
      '{date}에 {product} 제품을 반품했는데 아직 {amount} 환불이 되지 않았습니다. 처리 상황 확인 부탁드립니다.',
      '주문번호 {order} 전액 환불 부탁드립니다. 사이즈가 맞지 않아 반품 택배로 보냈습니다.',
      '주문 {order}을 주문 직후에 취소했는데 {amount}이 결제되었습니다. 빠른 환불 부탁드립니다.' ] },
  { cat: 'delivery', subjects: ['주문 {order} 배송 문의', '배송이 언제 되나요?', '배송 조회가 안 됩니다', '주문한 상품이 아직 안 왔어요'],
    bodies: [
      '{date}에 주문한 {order} 상품의 배송 조회가 업데이트되지 않습니다. {product} 언제 도착하는지 알려주세요.',
      '택배사에서는 배송 완료라고 나오는데 주문 {order} 상품을 받지 못했습니다. {date}에 집에 아무도 없었습니다. 확인 부탁드립니다.',
      '주문 {order} 배송일을 변경할 수 있을까요? {date}에는 집에 없습니다.' ] },
  { cat: 'account', subjects: ['회원 정보 변경 요청', '이메일 주소 변경', '계정 정보 수정 부탁드립니다', '로그인이 안 됩니다'],
    bodies: [
      '회원 정보의 연락처를 변경해 주세요. 휴대폰 번호가 바뀌었고 뉴스레터도 새 주소로 받고 싶습니다.',
      '계정에 로그인이 되지 않습니다. 비밀번호 재설정 메일도 오지 않습니다. 초기화 부탁드립니다.',
      '실수로 다른 이메일로 회원가입을 두 번 했습니다. 두 계정을 하나로 합쳐 주세요.' ] },
  { cat: 'payment', subjects: ['주문 {order} 이중 결제', '결제 오류 문의', '카드 결제가 안 됩니다', '결제 금액이 두 번 빠져나갔습니다'],
    bodies: [
      '주문 {order} 결제가 두 번 되었습니다. {date}에 {amount}이 두 번 승인되었습니다. 중복 결제 취소 부탁드립니다.',
      '결제 단계에서 카드가 계속 거절됩니다. 다른 곳에서는 잘 되는 카드입니다. {product} 구매를 여러 번 시도했습니다.',
      '주문 {order} 결제는 실패로 나오는데 계좌에서 돈이 빠져나갔습니다. 확인 부탁드립니다.' ] },
  { cat: 'privacy', subjects: ['개인정보 삭제 요청', '개인정보 열람 요청', '수신 거부 및 탈퇴 요청', '개인정보 관련 문의'],
    bodies: [
      '개인정보 보호법에 따라 보관 중인 제 개인정보 열람을 요청하며, 이후 삭제를 원합니다.',
      '모든 광고성 메일 수신을 거부하며 회원 탈퇴를 요청합니다.',
      '{date}에 수신 거부를 했는데도 계속 메일이 옵니다. 모든 메일링 리스트에서 삭제해 주세요.' ] },
];

/** PII sentences: [language, template, tokens used]. */
const PII_EN: Readonly<Record<string, readonly string[]>> = {
  phone: ['You can reach me at {phone}.', 'Please call me back on {phone}.', 'My new phone number is {phone}.'],
  email: ['Please send the confirmation to {email}.', 'My new email address is {email}.', 'You can also email me at {email}.'],
  card: ['The card I used was {card}.', 'Please charge my other card {card} instead.', 'Card number: {card}'],
  iban: ['Please refund to my bank account, IBAN {iban}.', 'My IBAN is {iban}.'],
  ssn: ['If you need to verify my identity, my SSN is {ssn}.', 'SSN: {ssn}'],
  ip: ['I was connected from IP {ip} when it failed.', 'Your site blocked my IP address {ip}.'],
  url: ['Here is a screenshot: {url}', 'The page {url} shows an error.'],
  mac: ['The smart device has MAC address {mac} and will not pair.', 'Device MAC: {mac}'],
  btc: ['I would prefer a refund in bitcoin to {btc}.', 'My BTC wallet is {btc}.'],
  date: ['I also wrote to you on {date2}.', 'I placed a second order on {date2}.'],
  person: ['My partner {person} placed the order for me.', 'I spoke with your colleague {person} on the phone.'],
};
const PII_KO: Readonly<Record<string, readonly string[]>> = {
  phone: ['연락처는 {phone} 입니다.', '{phone}으로 연락 부탁드립니다.', '바뀐 휴대폰 번호는 {phone}입니다.'],
  email: ['확인 메일은 {email} 로 보내주세요.', '새 이메일 주소는 {email} 입니다.'],
  card: ['결제한 카드번호는 {card} 입니다.', '카드번호: {card}'],
  iban: ['해외 계좌로 환불 부탁드립니다. IBAN: {iban}', '환불 계좌(IBAN)는 {iban} 입니다.'],
  rrn: ['본인 확인을 위해 주민등록번호 {rrn} 보내드립니다.', '주민번호: {rrn}'],
  ip: ['접속했던 IP 주소는 {ip} 입니다.', '제 IP {ip}가 차단된 것 같습니다.'],
  url: ['캡처 화면 링크입니다: {url}', '{url} 페이지에서 오류가 납니다.'],
  mac: ['기기 MAC 주소는 {mac} 입니다.'],
  btc: ['비트코인 지갑 주소 {btc} 로 환불 가능할까요?'],
  date: ['{date2}에도 문의드렸습니다.', '{date2}에 추가 주문도 했습니다.'],
  person: ['가족인 {person} 님이 대신 주문했습니다.', '상담원 {person} 님과 통화했습니다.'],
};

/**
 * Order indices of each person (by person index), in order-time order: the orders of all of the person's
 * CRM records. Guest and orphan orders belong to nobody.
 */
function ordersByPerson(crm: CrmIndex, orders: OrderIndex): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let o = 0; o < orders.count; o++) {
    const rec = orders.customer[o];
    if (rec < 0) continue;
    const person = crm.person[rec];
    const list = out.get(person);
    if (list) list.push(o);
    else out.set(person, [o]);
  }
  for (const list of out.values()) list.sort((a, b) => orders.ts[a] - orders.ts[b] || a - b);
  return out;
}

/**
 * Write `raw_customer_emails` (≈ 5,000 × scale): ~68 % of senders are known CRM/email-system
 * persons (exact, variant or different address; name spelled differently), the rest unknown.
 * About a third are in Korean. PII spans are written to `truth_email_pii`.
 * An email about an order cites one of the sender's own orders placed before the email when the sender
 * has one (customers write about their orders); otherwise (no order yet, not a customer) a random
 * order number — someone else's order, as a gift recipient or a typo would cite.
 */
export async function genCustomerEmails(ctx: Ctx, pf: PersonFactory, crm: CrmIndex, products: Product[], orders: OrderIndex, identity: GzCsvWriter): Promise<void> {
  const nOrders = orders.count;
  const byPerson = ordersByPerson(crm, orders);
  const r = ctx.rng('customer_emails');
  const fk: Record<'ko' | 'en', Faker> = { ko: ctx.faker('KR', 'emails'), en: ctx.faker('US', 'emails') };
  const n = ctx.n(5000, 10);
  const known = pf.persons.length;
  const cum = cumulative(dayWeights());
  const total = cum[N_DAYS - 1];
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(searchCumulative(cum, r.next() * total) * DAY + secondOfDay(r));
  times.sort((a, b) => a - b);
  const w = ctx.writer('raw_customer_emails', ['email_id', 'from_address', 'from_name', 'to_address', 'subject', 'body', 'received_at', 'language']);
  const wt = ctx.writer('truth_email_pii', ['email_id', 'field', 'entity_type', 'start', 'end', 'value']);
  void crm;
  for (let i = 0; i < n; i++) {
    const id = pad('EM', i + 1, 7);
    const p: Person = r.chance(0.68) ? pf.persons[r.int(0, known - 1)] : pf.create();
    identity.row(['email_sender', id, personId(p)]);
    const lang: 'ko' | 'en' = p.lang === 'ko' ? (r.chance(0.92) ? 'ko' : 'en') : 'en';
    let from: string;
    if (p.idx >= known) from = p.email;
    else {
      const u = r.next();
      from = u < 0.55 ? p.email : u < 0.7 ? (p.emailSys ?? p.email) : u < 0.85 ? emailVariant(p.email, r) : pf.otherEmail(p);
    }
    let fromName: string | null = r.chance(0.1) ? null : displayName(p, r, r.chance(0.4));
    if (r.chance(0.03) && fromName) {
      from = `"${fromName}" <${from}>`;
      ctx.logDirt('raw_customer_emails', id, 'from_address', 'display_name_in_address');
    } else if (r.chance(0.02)) {
      from = mixedCase(from, r);
      ctx.logDirt('raw_customer_emails', id, 'from_address', 'mixed_case');
    }
    const tpl = r.pick(lang === 'ko' ? KO : EN);
    const pii = lang === 'ko' ? PII_KO : PII_EN;
    // the same number of draws either way, so that everything drawn after it stays as it was
    const drawn = r.int(0, nOrders - 1);
    const prod = products[r.int(0, products.length - 1)];
    const prodName = prodLabel(prod, r);
    const t0 = times[i];
    const own = (byPerson.get(p.idx) ?? []).filter((o) => orders.ts[o] <= t0);
    const ord = orderId(own.length > 0 ? own[drawn % own.length] : drawn);
    const mkDate = (daysBefore: number) => {
      const dt = new Date(EPOCH_MS + Math.max(0, t0 - daysBefore * DAY) * 1000);
      return writtenDate(r, dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate(), lang);
    };
    const amount = lang === 'ko' ? `${thousands(r.int(1, 300) * 1000 + 900)}원` : `$${r.int(5, 400)}.${r.digits(2)}`;
    const personName = () => (lang === 'ko' ? fk.ko.person.lastName() + fk.ko.person.firstName() : `${fk.en.person.firstName()} ${fk.en.person.lastName()}`);
    const tokens: Record<string, TokenFn> = {
      order: (t) => t.add(ord),
      product: (t) => t.add(prodName),
      amount: (t) => t.add(amount),
      date: (t) => t.ent('DATE_TIME', mkDate(r.int(1, 20))),
      date2: (t) => t.ent('DATE_TIME', mkDate(r.int(2, 40))),
      phone: (t) => t.ent('PHONE_NUMBER', r.chance(0.4) ? formatPhone(p, r) : randomPhone(r)),
      email: (t) => t.ent('EMAIL_ADDRESS', r.chance(0.3) ? emailVariant(p.email, r) : pf.otherEmail(p)),
      card: (t) => t.ent('CREDIT_CARD', creditCard(r)),
      iban: (t) => t.ent('IBAN_CODE', iban(r)),
      ssn: (t) => t.ent('US_SSN', usSsn(r)),
      rrn: (t) => t.ent('KR_RRN', koreanRrn(r, r.chance(0.85))),
      ip: (t) => t.ent('IP_ADDRESS', ipAddress(r)),
      url: (t) => t.ent('URL', url(r, ord)),
      mac: (t) => t.ent('MAC_ADDRESS', macAddress(r)),
      btc: (t) => t.ent('CRYPTO', btcAddress(r)),
      person: (t) => t.ent('PERSON', personName()),
    };
    // subject
    const subj = new SpanText();
    render(subj, r.pick(tpl.subjects), tokens);
    if (r.chance(0.04)) {
      if (lang === 'ko') render(subj.add(' / 연락처 '), '{phone}', tokens);
      else render(subj.add(' - call me at '), '{phone}', tokens);
    }
    // body
    const b = new SpanText();
    if (lang === 'ko') b.add(r.pick(['안녕하세요.', '안녕하세요, 고객센터 담당자님.', '수고 많으십니다.', '안녕하세요. 문의드립니다.']));
    else b.add(r.pick(['Hello,', 'Hi there,', 'Dear Customer Service,', 'To whom it may concern,', 'Hi,']));
    b.add('\n\n');
    render(b, r.pick(tpl.bodies), tokens);
    // category-specific natural PII, then random extra PII sentences
    const extra: string[] = [];
    if (tpl.cat === 'account') extra.push(r.chance(0.5) ? 'phone' : 'email');
    if (tpl.cat === 'payment' && r.chance(0.4)) extra.push('card');
    if (tpl.cat === 'refund' && r.chance(0.25)) extra.push('iban');
    const k = r.weighted([[0, 35], [1, 30], [2, 20], [3, 10], [4, 5]] as const);
    const kinds = Object.keys(pii);
    for (let j = 0; j < k; j++) extra.push(r.pick(kinds));
    for (const kind of extra) {
      b.add(lang === 'ko' ? ' ' : ' ');
      render(b, r.pick(pii[kind]), tokens);
    }
    b.add('\n\n');
    if (lang === 'ko') b.add(r.pick(['감사합니다.', '빠른 답변 부탁드립니다.', '확인 부탁드립니다. 감사합니다.']));
    else b.add(r.pick(['Thanks,', 'Best regards,', 'Kind regards,', 'Thank you,', 'Regards,']));
    const signed = r.chance(0.75);
    if (signed) {
      b.add('\n');
      if (lang === 'ko') b.ent('PERSON', r.chance(0.8) ? p.family + p.given : p.family + ' ' + p.given).add(r.pick(['', ' 드림', ' 올림']));
      else {
        const first = NICKNAMES[p.given] && r.chance(0.2) ? r.pick(NICKNAMES[p.given]) : p.ko ? p.givenRoman : p.given;
        b.ent('PERSON', r.chance(0.6) ? `${first} ${p.ko ? p.familyRoman : p.family}` : first);
      }
      if (r.chance(0.2)) {
        b.add(lang === 'ko' ? '\n연락처: ' : '\nMobile: ');
        b.ent('PHONE_NUMBER', formatPhone(p, r));
      }
    }
    const to = lang === 'ko' ? 'cs@weirshop.co.kr' : tpl.cat === 'refund' ? 'returns@weirshop.com' : 'support@weirshop.com';
    w.row([id, from, fromName, to, subj.text, b.text, fmtTs(t0), lang]);
    for (const s of subj.spans) wt.row([id, 'subject', s.type, s.start, s.end, s.value]);
    for (const s of b.spans) wt.row([id, 'body', s.type, s.start, s.end, s.value]);
    if ((i & 255) === 0) await Promise.all([w.tick(), wt.tick(), identity.tick(), ctx.dirt.tick()]);
  }
}

function prodLabel(p: Product, r: Rng): string {
  return r.chance(0.6) ? p.name : `${p.name} (${p.sku})`;
}

/** Locale-independent thousands separator: 1234567 → `1,234,567`. */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
