/**
 * PEM normalization for Snowflake key-pair login (src/adapters/snowflake/private-key.ts): the forms CI
 * secret stores produce become a PEM node:crypto reads as the same key; what cannot be a private key is a
 * WeirError naming the target and field, without key material.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizePrivateKeyPem, preparePrivateKey } from '../../../src/adapters/snowflake/private-key.js';
import { WeirError } from '../../../src/errors/weir-error.js';

const rsa = (privateKeyEncoding: object) => generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding } as never) as unknown as { privateKey: string; publicKey: string };
const plain = rsa({ type: 'pkcs8', format: 'pem' });
const pkcs1Enc = rsa({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' });
const pubOf = (pem: string, passphrase?: string) => createPublicKey(createPrivateKey({ key: pem, format: 'pem', passphrase })).export({ type: 'spki', format: 'pem' });
const src = { targetName: 'prod', field: 'private_key' as const };

describe('normalizePrivateKeyPem', () => {
  const forms: [string, string][] = [
    ['real newlines', plain.privateKey],
    ['\\n escapes', plain.privateKey.trim().replace(/\n/g, '\\n')],
    ['\\r\\n escapes', plain.privateKey.trim().replace(/\n/g, '\\r\\n')],
    ['CRLF line ends', plain.privateKey.replace(/\n/g, '\r\n')],
    ['double-quoted with \\n escapes', `"${plain.privateKey.trim().replace(/\n/g, '\\n')}"`],
    ['newlines turned into spaces', plain.privateKey.trim().replace(/\n/g, ' ')],
    ['the body on one line', `-----BEGIN PRIVATE KEY-----\n${plain.privateKey.trim().split('\n').slice(1, -1).join('')}\n-----END PRIVATE KEY-----`],
  ];
  for (const [what, text] of forms) {
    it(`rebuilds the same key from ${what}`, () => {
      const n = normalizePrivateKeyPem(text);
      expect(n.ok, what).toBe(true);
      if (!n.ok) return;
      expect(n.pem).toBe(plain.privateKey);
      expect(n).toMatchObject({ label: 'PRIVATE KEY', encrypted: false });
      expect(pubOf(n.pem)).toBe(plain.publicKey);
    });
  }

  it('keeps the Proc-Type / DEK-Info headers of an encrypted PKCS#1 key', () => {
    const n = normalizePrivateKeyPem(pkcs1Enc.privateKey.trim().replace(/\n/g, '\\n'));
    expect(n).toMatchObject({ ok: true, label: 'RSA PRIVATE KEY', encrypted: true });
    if (!n.ok) return;
    expect(n.pem).toBe(pkcs1Enc.privateKey);
    expect(pubOf(n.pem, 'pw')).toBe(pkcs1Enc.publicKey);
  });

  it('says what is wrong, without key material', () => {
    const body = plain.privateKey.split('\n')[2];
    const problems: [string, RegExp][] = [
      ['', /no "-----BEGIN/],
      [body, /no "-----BEGIN/],
      [plain.privateKey.split('\n').slice(0, -2).join('\n'), /no matching "-----END PRIVATE KEY-----" line \(truncated\?\)/],
      [plain.publicKey, /public key or certificate/],
      ['-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXk=\\n-----END OPENSSH PRIVATE KEY-----', /OpenSSH-format key.*ssh-keygen -p -m PKCS8/],
      ['-----BEGIN PRIVATE KEY-----\\n\\n-----END PRIVATE KEY-----', /body .* is empty/],
      [plain.privateKey.replace(body, `${body.slice(0, 10)}*${body.slice(11)}`), /not base64/],
    ];
    for (const [text, problem] of problems) {
      const n = normalizePrivateKeyPem(text);
      expect(n.ok).toBe(false);
      if (n.ok) continue;
      expect(n.problem).toMatch(problem);
      expect(n.problem).not.toContain(body.slice(0, 20));
    }
  });
});

describe('preparePrivateKey', () => {
  const thrown = (f: () => unknown): WeirError => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(WeirError);
      return e as WeirError;
    }
    throw new Error('expected a WeirError');
  };

  it('returns the normalized PEM for valid keys, decrypting with the passphrase', () => {
    expect(preparePrivateKey(plain.privateKey.trim().replace(/\n/g, '\\n'), undefined, src)).toBe(plain.privateKey);
    expect(preparePrivateKey(pkcs1Enc.privateKey, 'pw', src)).toBe(pkcs1Enc.privateKey);
  });

  it('names the target and field for a damaged body, a missing or wrong passphrase', () => {
    const lines = plain.privateKey.trim().split('\n');
    const damaged = thrown(() => preparePrivateKey([...lines.slice(0, 3), ...lines.slice(6)].join('\n'), undefined, src));
    expect(damaged.code).toBe('WEIR_DB_OPEN_FAILED');
    expect(damaged.message).toMatch(/^target 'prod': the private key in targets\.prod\.private_key is not a valid PEM private key: its PRIVATE KEY body cannot be read/);
    for (const l of lines.slice(1, -1)) expect(damaged.format()).not.toContain(l.slice(0, 30));

    const noPass = thrown(() => preparePrivateKey(pkcs1Enc.privateKey, undefined, { targetName: 'prod', field: 'private_key_path', file: 'keys/k.pem' }));
    expect(noPass.message).toBe("target 'prod': the private key in targets.prod.private_key_path (keys/k.pem) is encrypted and no private_key_passphrase is set");

    const wrong = thrown(() => preparePrivateKey(pkcs1Enc.privateKey, 'not-pw', src));
    expect(wrong.message).toMatch(/could not be decrypted \(wrong private_key_passphrase\?\)/);
    expect(wrong.format()).not.toContain('not-pw');
    expect(wrong.exitCode).toBe(2);
  });
});
