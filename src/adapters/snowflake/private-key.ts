/**
 * Private keys for Snowflake key-pair (SNOWFLAKE_JWT) login, as users supply them: PEM text from an
 * environment variable (`private_key: '{{env "SNOWFLAKE_PRIVATE_KEY"}}'`) or a file (`private_key_path`).
 *
 * CI secret stores often hold the PEM on one line, its newlines written as the two characters `\n`
 * (GitHub/GitLab variables pasted from JSON, `.env` files, Vault), or with CRLF or spaces instead of
 * newlines. {@link normalizePrivateKeyPem} rebuilds a real PEM (RFC 7468: label lines, optional RFC 1421
 * encapsulated headers such as `Proc-Type`/`DEK-Info`, base64 body wrapped at 64 characters), and
 * {@link preparePrivateKey} checks it with node:crypto before the sdk sees it, so a key that still is not
 * a usable private key is a clear error naming the target and the profile field — never echoing the key.
 * The sdk accepts PKCS#8 (`PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`) and PKCS#1 (`RSA PRIVATE KEY`) labels.
 */
import { createPrivateKey } from 'node:crypto';
import { WeirError } from '../../errors/weir-error.js';

/** PEM labels snowflake-sdk accepts for `privateKey`. */
const ACCEPTED_LABELS = ['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY'] as const;

const GENERATE_HINT = 'Use a PKCS#8 PEM key ("-----BEGIN [ENCRYPTED] PRIVATE KEY-----", e.g. from `openssl genrsa 2048 | openssl pkcs8 -topk8 -v2 aes-256-cbc`). '
  + 'In a CI secret, newlines may be written as \\n; keep the BEGIN and END lines.';

/** Where a key came from, for error messages (the key itself is never part of one). */
export interface PrivateKeySource {
  /** Target name, e.g. `prod`. */
  readonly targetName: string;
  /** The profile field that supplied it. */
  readonly field: 'private_key' | 'private_key_path';
  /** The file path, for `private_key_path`. */
  readonly file?: string;
}

/** Result of {@link normalizePrivateKeyPem}: the PEM text, or why none could be made (no key material). */
export type NormalizedPem =
  | { readonly ok: true; readonly pem: string; readonly label: string; /** needs a passphrase */ readonly encrypted: boolean }
  | { readonly ok: false; readonly problem: string };

/**
 * Rebuilds PEM text from the forms secret stores produce: surrounding quotes, `\n` / `\r\n` escape
 * sequences, CRLF line ends, and newlines turned into spaces inside the base64 body.
 * @param text the key text as configured (may contain real newlines already: returned normalized too)
 * @returns the PEM (ending in a newline) and its label, or `problem`: a description without key material
 */
export function normalizePrivateKeyPem(text: string): NormalizedPem {
  let s = text.trim();
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) s = s.slice(1, -1).trim();
  s = s.replace(/\\r\\n|\\n|\\r/g, '\n').replace(/\r\n?/g, '\n');
  const begin = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(s);
  if (!begin) return { ok: false, problem: 'it has no "-----BEGIN ... PRIVATE KEY-----" line' };
  const label = begin[1];
  const endLine = `-----END ${label}-----`;
  const end = s.indexOf(endLine, begin.index);
  if (end < 0) return { ok: false, problem: `it has a "-----BEGIN ${label}-----" line but no matching "${endLine}" line (truncated?)` };
  if (!(ACCEPTED_LABELS as readonly string[]).includes(label)) {
    const what = /PUBLIC KEY|CERTIFICATE/.test(label) ? 'a public key or certificate, not the private key'
      : label === 'OPENSSH PRIVATE KEY' ? 'an OpenSSH-format key (convert it to PKCS#8: `ssh-keygen -p -m PKCS8 -f KEY`)'
        : `a "${label}" block`;
    return { ok: false, problem: `it holds ${what}; key-pair login needs a PKCS#8 "PRIVATE KEY" / "ENCRYPTED PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY"` };
  }
  const inner = s.slice(begin.index + begin[0].length, end);
  // RFC 1421 headers (PKCS#1 encryption: Proc-Type, DEK-Info) are "Name: value" lines before the body.
  const lines = inner.split('\n').map((l) => l.trim()).filter(Boolean);
  const headers: string[] = [];
  while (lines.length && /^[A-Za-z-]+:\s*\S/.test(lines[0])) headers.push(lines.shift()!);
  const body = lines.join('').replace(/\s+/g, '');
  if (!body) return { ok: false, problem: 'its body between the BEGIN and END lines is empty' };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return { ok: false, problem: 'its body between the BEGIN and END lines is not base64' };
  const wrapped = body.match(/.{1,64}/g)!.join('\n');
  const head = headers.length ? `${headers.join('\n')}\n\n` : '';
  const encrypted = label === 'ENCRYPTED PRIVATE KEY' || headers.some((h) => /^Proc-Type:.*ENCRYPTED/i.test(h));
  return { ok: true, label, encrypted, pem: `-----BEGIN ${label}-----\n${head}${wrapped}\n${endLine}\n` };
}

/**
 * Normalizes a configured private key and checks that node:crypto can read it (decrypting it with
 * `passphrase` when given), so the sdk gets a PEM it accepts.
 * @returns the normalized PEM text
 * @throws WeirError `WEIR_DB_OPEN_FAILED` naming the target and profile field when the text is not a
 *   PEM private key, is damaged, or cannot be decrypted (missing / wrong `private_key_passphrase`). The
 *   message never contains key material or the passphrase.
 */
export function preparePrivateKey(text: string, passphrase: string | undefined, src: PrivateKeySource): string {
  const field = `targets.${src.targetName}.${src.field}${src.file ? ` (${src.file})` : ''}`;
  const where = `target '${src.targetName}': the private key in ${field}`;
  const n = normalizePrivateKeyPem(text);
  if (!n.ok) throw new WeirError('WEIR_DB_OPEN_FAILED', `${where} is not a valid PEM private key: ${n.problem}`, { hint: GENERATE_HINT });
  const noPassphrase = () => new WeirError('WEIR_DB_OPEN_FAILED', `${where} is encrypted and no private_key_passphrase is set`, {
    hint: `Set targets.${src.targetName}.private_key_passphrase (usually {{env "SNOWFLAKE_KEY_PASSPHRASE"}}).`,
  });
  if (n.encrypted && !passphrase) throw noPassphrase();
  try {
    createPrivateKey({ key: n.pem, format: 'pem', ...(passphrase ? { passphrase } : {}) });
  } catch (e) {
    const code = String((e as NodeJS.ErrnoException).code ?? '');
    const msg = (e as Error).message ?? '';
    if (code === 'ERR_MISSING_PASSPHRASE' || code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED' || /passphrase required/i.test(msg)) throw noPassphrase();
    if (/BAD_DECRYPT|bad decrypt/i.test(`${code} ${msg}`)) {
      throw new WeirError('WEIR_DB_OPEN_FAILED', `${where} could not be decrypted (wrong private_key_passphrase?)`, {
        hint: 'Check private_key_passphrase (usually {{env "SNOWFLAKE_KEY_PASSPHRASE"}}); leave it out for an unencrypted key.',
      });
    }
    // Only the error code: crypto messages carry no key material, but keep the output minimal anyway.
    throw new WeirError('WEIR_DB_OPEN_FAILED', `${where} is not a valid PEM private key: its ${n.label} body cannot be read (damaged or truncated${code ? `; ${code}` : ''})`, { hint: GENERATE_HINT });
  }
  return n.pem;
}
