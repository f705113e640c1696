/**
 * PII UDFs (Presidio-style detection and redaction; implementation in `udfs/lib/pii.ts`).
 * Portable: the detection, redaction and hashing code is pure JavaScript (libphonenumber-js,
 * @noble/hashes), so on Snowflake the UDFs are deployed as JavaScript UDFs. Only `setup` (resolving the
 * key, below) uses Node, and it runs in Weir's process; the resolved key is handed to the deployed
 * functions through `deployValues` (so it is part of their SECURE definition in Snowflake).
 *
 * Hash mode and `pii_hash` read the HMAC key from the environment variable `WEIR_PII_KEY` (or, when it
 * is unset, a random key kept in `<target dir>/pii.key`; see setupKey); the same
 * key gives the same `<TYPE:xxxxxxxxxxxxxxxx>` pseudonym for the same (normalized) value everywhere, so e.g.
 * `pii_hash(email, 'EMAIL_ADDRESS')` in `customers_anonymized` joins with the tokens
 * `redact_pii(body, 'EMAIL_ADDRESS', 'hash')` leaves in email bodies.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { defineScalarUdf, deployedValue, type UdfContext } from '../../udfs/define.js';
import { detectPii, PII_ENTITY_TYPES, piiPseudonym, redactPii, type PiiEntityType, type RedactionMode } from '../lib/pii.js';

let configuredKey: string | undefined;

/**
 * Resolves the HMAC key once per run (the UDFs' `setup`): the environment variable `WEIR_PII_KEY` when
 * set; otherwise a random 256-bit key kept in `<target dir>/pii.key` (created with mode 0600 on first
 * use), so pseudonyms stay stable across runs on this machine. Production deployments should set
 * WEIR_PII_KEY from a secret store: the key file is local state, not a secret manager.
 */
function setupKey(ctx: UdfContext): void {
  const fromEnv = ctx.env.WEIR_PII_KEY;
  if (fromEnv) {
    configuredKey = fromEnv;
    return;
  }
  const file = path.join(ctx.targetDir, 'pii.key');
  if (!existsSync(file)) {
    mkdirSync(ctx.targetDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  configuredKey = readFileSync(file, 'utf8').trim();
}

/** The run's HMAC key (see {@link setupKey}); falls back to `WEIR_PII_KEY` when called outside a Weir run. */
function piiKey(fn: string): string {
  const key = configuredKey ?? deployedValue('WEIR_PII_KEY') ?? (typeof process === 'undefined' ? undefined : process.env.WEIR_PII_KEY);
  if (!key) throw new Error(`${fn}: hash pseudonyms need an HMAC key; set the environment variable WEIR_PII_KEY (keep it secret and stable: changing it changes every pseudonym)`);
  return key;
}

/** What the deployed (Snowflake) functions need: the key resolved by {@link setupKey}. */
function deployKey(): Readonly<Record<string, string>> {
  return configuredKey ? { WEIR_PII_KEY: configuredKey } : {};
}

const KNOWN = new Set<string>(PII_ENTITY_TYPES);

/** Parses `'ALL'` or a comma-separated list of entity types (case-insensitive); unknown names are an error. */
export function parseEntityList(list: string | null | undefined): PiiEntityType[] | undefined {
  if (list === null || list === undefined || list.trim() === '' || list.trim().toUpperCase() === 'ALL') return undefined;
  const out: PiiEntityType[] = [];
  for (const raw of list.split(',')) {
    const t = raw.trim().toUpperCase();
    if (!t) continue;
    if (!KNOWN.has(t)) throw new Error(`unknown PII entity type '${raw.trim()}' (known: ${PII_ENTITY_TYPES.join(', ')}, or ALL)`);
    out.push(t as PiiEntityType);
  }
  return out;
}

/** `detect_pii(text)` → JSON array of `{entity_type, start, end, score}` (UTF-16 offsets, end exclusive). */
export const detect_pii = defineScalarUdf({
  name: 'detect_pii',
  args: [{ name: 'text', type: 'VARCHAR' }],
  returns: 'JSON',
  deterministic: true,
  portable: true,
  description:
    'PII entities found in text as a JSON array of {entity_type, start, end, score} (offsets in UTF-16 code units, end exclusive; '
    + 'score 0–1, threshold 0.3). Presidio entity names and scoring: regex + checksum validation + context words.',
  fn: (text: string) => JSON.stringify(detectPii(text).map(({ entity_type, start, end, score }) => ({ entity_type, start, end, score }))),
});

/** `redact_pii(text [, entities [, mode]])`: entities `'ALL'` (default) or e.g. `'EMAIL_ADDRESS,PHONE_NUMBER'`; mode `mask` (default), `hash` (needs WEIR_PII_KEY) or `partial`. */
export const redact_pii = defineScalarUdf({
  name: 'redact_pii',
  setup: setupKey,
  deployValues: deployKey,
  args: [
    { name: 'text', type: 'VARCHAR' },
    { name: 'entities', type: 'VARCHAR', optional: true, description: "Comma-separated entity types or 'ALL' (default)." },
    { name: 'mode', type: 'VARCHAR', optional: true, description: "'mask' (default) → <TYPE>; 'hash' → <TYPE:hmac16> keyed by WEIR_PII_KEY; 'partial' → e.g. j***@example.com." },
  ],
  returns: 'VARCHAR',
  deterministic: true,
  portable: true,
  description: 'Text with detected PII replaced: mask <EMAIL_ADDRESS>, keyed HMAC-SHA256 pseudonym <EMAIL_ADDRESS:3f9a2c1b>, or partial mask.',
  fn: (text: string, entities?: string | null, mode?: string | null) => {
    const m = (mode ?? 'mask').trim().toLowerCase();
    if (m !== 'mask' && m !== 'hash' && m !== 'partial') throw new Error(`redact_pii: unknown mode '${mode}' (use 'mask', 'hash' or 'partial')`);
    return redactPii(text, { entities: parseEntityList(entities), mode: m as RedactionMode, key: m === 'hash' ? piiKey('redact_pii') : undefined });
  },
});

/** `pii_hash(value, entity_type)`: the pseudonym hash mode would put in place of `value`. */
export const pii_hash = defineScalarUdf({
  name: 'pii_hash',
  setup: setupKey,
  deployValues: deployKey,
  args: [{ name: 'value', type: 'VARCHAR' }, { name: 'entity_type', type: 'VARCHAR' }],
  returns: 'VARCHAR',
  deterministic: true,
  portable: true,
  description: "Keyed pseudonym <TYPE:hmac16> of a whole value (HMAC-SHA256 with the PII key over the normalized value), identical to redact_pii(…, 'hash') tokens; entity_type may also name an identifier such as CUSTOMER_ID.",
  fn: (value: string, entityType: string) => {
    const t = entityType.trim().toUpperCase();
    // Known entity types get their normalization (e.g. E.164 phones); other identifiers (e.g.
    // 'CUSTOMER_ID') are pseudonymized as they are, trimmed, under their own type name.
    if (!KNOWN.has(t) && !/^[A-Z][A-Z0-9_]{0,39}$/.test(t)) {
      throw new Error(`pii_hash: entity type '${entityType}' must be a PII entity (${PII_ENTITY_TYPES.join(', ')}) or an identifier name like CUSTOMER_ID`);
    }
    return piiPseudonym(value, t, piiKey('pii_hash'));
  },
});
