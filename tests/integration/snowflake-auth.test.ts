/**
 * Key-pair (SNOWFLAKE_JWT) and OAuth logins of the Snowflake target against the local protocol server
 * (tests/servers/snowflake-server.ts — NOT Snowflake), which verifies the JWT for real: RS256 signature
 * against the public key registered for the user, `iss` = `ACCOUNT.USER.SHA256:<fingerprint>` and
 * `sub` = `ACCOUNT.USER`. Keys are generated here with node:crypto. A wrong key, passphrase or token
 * gives a clear error naming the target (no stack trace), and no secret reaches output or artifacts.
 */
import { createHash, createPublicKey, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { readdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli } from '../helpers/project.js';
import { startSnowflakeServer, verifyKeyPairJwt, type SnowflakeTestServer } from '../servers/snowflake-server.js';

const PASSPHRASE = 'kp-Passphrase-7731';
const TOKEN = 'oauth-access-token-0f9e8d7c6b5a';
const newKey = (passphrase?: string) => generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: passphrase ? { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase } : { type: 'pkcs8', format: 'pem' },
});
const fileKey = newKey(PASSPHRASE); // encrypted PKCS#8 in a file
const envKey = newKey(); // unencrypted PKCS#8 in an environment variable
const otherKey = newKey(); // not registered for any user
/** PEM as CI secret stores keep it: one line, newlines written as the two characters `\n`. */
const escaped = (pem: string) => pem.trim().replace(/\n/g, '\\n');
/** A line of base64 from the middle of a PEM: must never appear in output. */
const keyMaterial = (pem: string) => pem.split('\n')[5];

let server: SnowflakeTestServer;
let dir: string;

const target = (name: string, user: string, auth: string) => `  ${name}:
    type: snowflake
    account: acme-test
    user: ${user}
    database: analytics
    schema: dev
    access_url: '{{env "SNOWFLAKE_ACCESS_URL"}}'
    connect_retries: 0
    threads: 1
${auth}`;

const env = (overrides: Record<string, string> = {}) => ({
  ...process.env, SNOWFLAKE_ACCESS_URL: server.url, SNOWFLAKE_KEY_PASSPHRASE: PASSPHRASE, SNOWFLAKE_PRIVATE_KEY: envKey.privateKey, SNOWFLAKE_TOKEN: TOKEN, ...overrides,
});
const secrets = [PASSPHRASE, TOKEN, keyMaterial(fileKey.privateKey), keyMaterial(envKey.privateKey)];
const expectNoSecrets = (text: string) => {
  for (const s of secrets) expect(text).not.toContain(s);
};

beforeAll(async () => {
  server = await startSnowflakeServer({
    users: {},
    keyPairs: { weir_kp: { publicKey: fileKey.publicKey }, weir_kp_env: { publicKey: envKey.publicKey } },
    tokens: { [TOKEN]: 'weir_oauth' },
  });
  dir = await makeProject({
    'project.yaml': `name: t
target: dev
targets:
  dev:
    type: duckdb
    path: target/t.duckdb
${target('sf_keyfile', 'weir_kp', `    authenticator: SNOWFLAKE_JWT
    private_key_path: keys/weir_rsa.p8
    private_key_passphrase: '{{env "SNOWFLAKE_KEY_PASSPHRASE"}}'
`)}${target('sf_keyenv', 'weir_kp_env', `    authenticator: snowflake_jwt
    private_key: '{{env "SNOWFLAKE_PRIVATE_KEY"}}'
`)}${target('sf_keyenv_enc', 'weir_kp', `    authenticator: snowflake_jwt
    private_key: '{{env "SNOWFLAKE_PRIVATE_KEY_ENC" ""}}'
    private_key_passphrase: '{{env "SNOWFLAKE_KEY_PASSPHRASE"}}'
`)}${target('sf_oauth', 'weir_oauth', `    authenticator: oauth
    token: '{{env "SNOWFLAKE_TOKEN"}}'
`)}`,
    'keys/weir_rsa.p8': fileKey.privateKey,
    'models/one.sql': `{{config materialized="table"}}select 1 as id, 'x' as v`,
  });
});
afterAll(async () => {
  cleanupProjects();
  await server?.close();
});

describe('snowflake key-pair and OAuth logins (local protocol server, not Snowflake)', () => {
  it('the server rejects JWTs that are not signed by the registered key or name another account/user', () => {
    const sign = (claims: object, key = envKey.privateKey) => {
      const h = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
      const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${h}.${p}.${cryptoSign('RSA-SHA256', Buffer.from(`${h}.${p}`), key).toString('base64url')}`;
    };
    const fp = `SHA256:${createHash('sha256').update(createPublicKey(envKey.publicKey).export({ type: 'spki', format: 'der' })).digest('base64')}`;
    const now = Date.now();
    const good = { iss: `ACME-TEST.WEIR_KP_ENV.${fp}`, sub: 'ACME-TEST.WEIR_KP_ENV', iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 60 };
    const reg = { publicKey: envKey.publicKey };
    expect(verifyKeyPairJwt(sign(good), 'acme-test', 'weir_kp_env', reg)).toBeUndefined();
    expect(verifyKeyPairJwt(sign(good, otherKey.privateKey), 'acme-test', 'weir_kp_env', reg)).toMatch(/signature/);
    expect(verifyKeyPairJwt(sign(good), 'acme-test', 'someone_else', reg)).toMatch(/sub/);
    expect(verifyKeyPairJwt(sign({ ...good, iss: `ACME-TEST.WEIR_KP_ENV.SHA256:AAAA` }), 'acme-test', 'weir_kp_env', reg)).toMatch(/iss/);
    expect(verifyKeyPairJwt(sign({ ...good, exp: Math.floor(now / 1000) - 5 }), 'acme-test', 'weir_kp_env', reg)).toMatch(/expired/);
    expect(verifyKeyPairJwt(sign(good), 'other-acct', 'weir_kp_env', reg)).toMatch(/sub/);
  });

  it('logs in with a passphrase-protected key file, a key from an env var, and an OAuth token', async () => {
    for (const t of ['sf_keyfile', 'sf_keyenv', 'sf_oauth']) {
      const r = await runCli(['run', '--target', t], dir, env());
      expect(r.code, `${t}: ${r.stdout}${r.stderr}`).toBe(0);
      expectNoSecrets(r.stdout + r.stderr);
    }
    expect(server.logins.filter((l) => l.ok).map((l) => `${l.authenticator} ${l.user}`)).toEqual(expect.arrayContaining([
      'SNOWFLAKE_JWT weir_kp', 'SNOWFLAKE_JWT weir_kp_env', 'OAUTH weir_oauth',
    ]));
    expect(server.logins.every((l) => l.ok)).toBe(true);
    expect(await server.duck(`select id, v from "ANALYTICS"."DEV"."ONE"`)).toEqual([[1, 'x']]);
    for (const f of readdirSync(path.join(dir, 'target')).filter((n) => n.endsWith('.json'))) expectNoSecrets(readFileSync(path.join(dir, 'target', f), 'utf8'));
  });

  it('a key that is not the registered one is a clear key-pair login error naming the target', async () => {
    const r = await runCli(['run', '--target', 'sf_keyenv'], dir, env({ SNOWFLAKE_PRIVATE_KEY: otherKey.privateKey }));
    expect(r.code).toBe(2);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/target 'sf_keyenv'.*key-pair \(JWT\) login failed: JWT token is invalid/);
    expect(out).toMatch(/RSA_PUBLIC_KEY/);
    expect(out).not.toMatch(/\n\s+at /);
    expect(out).not.toContain(keyMaterial(otherKey.privateKey));
  });

  it('a wrong passphrase, a missing key file and a malformed key are clear errors naming the target', async () => {
    const wrongPass = await runCli(['run', '--target', 'sf_keyfile'], dir, env({ SNOWFLAKE_KEY_PASSPHRASE: 'not-the-passphrase' }));
    expect(wrongPass.code).toBe(2);
    expect(wrongPass.stdout + wrongPass.stderr).toMatch(/target 'sf_keyfile'.*private key.*(passphrase|decrypt)/i);
    expect(wrongPass.stdout + wrongPass.stderr).not.toMatch(/\n\s+at /);
    expect(wrongPass.stdout + wrongPass.stderr).not.toContain('not-the-passphrase');

    renameSync(path.join(dir, 'keys/weir_rsa.p8'), path.join(dir, 'keys/moved.p8'));
    try {
      const missing = await runCli(['run', '--target', 'sf_keyfile'], dir, env());
      expect(missing.code).toBe(2);
      expect(missing.stdout + missing.stderr).toMatch(/target 'sf_keyfile': cannot read the private key file keys\/weir_rsa.p8: ENOENT/);
    } finally {
      renameSync(path.join(dir, 'keys/moved.p8'), path.join(dir, 'keys/weir_rsa.p8'));
    }

    const garbled = await runCli(['run', '--target', 'sf_keyenv'], dir, env({ SNOWFLAKE_PRIVATE_KEY: 'not a pem key' }));
    expect(garbled.code).toBe(2);
    expect(garbled.stdout + garbled.stderr).toMatch(/target 'sf_keyenv'.*private key/i);
    expect(garbled.stdout + garbled.stderr).not.toMatch(/\n\s+at /);
  });

  it('a key from a CI secret with \\n escapes instead of newlines logs in (plain and encrypted)', async () => {
    expect(escaped(envKey.privateKey)).not.toContain('\n');
    const before = server.logins.length;
    const plain = await runCli(['run', '--target', 'sf_keyenv'], dir, env({ SNOWFLAKE_PRIVATE_KEY: escaped(envKey.privateKey) }));
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    const enc = await runCli(['run', '--target', 'sf_keyenv_enc'], dir, env({ SNOWFLAKE_PRIVATE_KEY_ENC: escaped(fileKey.privateKey) }));
    expect(enc.code, enc.stdout + enc.stderr).toBe(0);
    const logins = server.logins.slice(before);
    expect(logins.map((l) => `${l.ok} ${l.authenticator} ${l.user}`)).toEqual(expect.arrayContaining(['true SNOWFLAKE_JWT weir_kp_env', 'true SNOWFLAKE_JWT weir_kp']));
    expect(logins.every((l) => l.ok)).toBe(true);
    expectNoSecrets(plain.stdout + plain.stderr + enc.stdout + enc.stderr);
    for (const f of readdirSync(path.join(dir, 'target')).filter((n) => n.endsWith('.json'))) expectNoSecrets(readFileSync(path.join(dir, 'target', f), 'utf8'));
  });

  it('an escaped key that still is not a valid PEM private key: clear error naming the target and the profile field, key never shown', async () => {
    const lines = envKey.privateKey.trim().split('\n');
    const damaged = escaped([...lines.slice(0, 4), ...lines.slice(9)].join('\n')); // base64 body with lines cut out
    const cases: [string, string, RegExp][] = [
      ['damaged body', damaged, /its PRIVATE KEY body cannot be read/],
      ['no BEGIN line', escaped(lines.slice(1).join('\n')), /has no "-----BEGIN \.\.\. PRIVATE KEY-----" line/],
      ['a public key', escaped(envKey.publicKey), /holds a public key or certificate, not the private key/],
      ['not base64', escaped(envKey.privateKey.replace(lines[3], `${lines[3].slice(0, 20)}%%%${lines[3].slice(23)}`)), /body between the BEGIN and END lines is not base64/],
    ];
    const before = server.logins.length;
    for (const [what, key, problem] of cases) {
      const r = await runCli(['run', '--target', 'sf_keyenv'], dir, env({ SNOWFLAKE_PRIVATE_KEY: key }));
      const out = r.stdout + r.stderr;
      expect(r.code, `${what}: ${out}`).toBe(2);
      expect(out, what).toContain("target 'sf_keyenv': the private key in targets.sf_keyenv.private_key is not a valid PEM private key");
      expect(out, what).toMatch(problem);
      expect(out, what).toContain('hint: Use a PKCS#8 PEM key');
      expect(out, what).not.toMatch(/\n\s+at /);
      for (const l of lines.slice(1, -1)) expect(out, what).not.toContain(l.slice(8, 40));
      for (const f of readdirSync(path.join(dir, 'target')).filter((n) => n.endsWith('.json'))) {
        const text = readFileSync(path.join(dir, 'target', f), 'utf8');
        for (const l of lines.slice(1, -1)) expect(text, `${what}: ${f}`).not.toContain(l.slice(8, 40));
      }
    }
    // Nothing reached the server: the key was rejected before login.
    expect(server.logins.slice(before)).toEqual([]);
  });

  it('an escaped encrypted key without its passphrase names the missing private_key_passphrase', async () => {
    const r = await runCli(['run', '--target', 'sf_keyenv'], dir, env({ SNOWFLAKE_PRIVATE_KEY: escaped(fileKey.privateKey) }));
    expect(r.code).toBe(2);
    const out = r.stdout + r.stderr;
    expect(out).toContain("target 'sf_keyenv': the private key in targets.sf_keyenv.private_key is encrypted and no private_key_passphrase is set");
    expect(out).toContain('hint: Set targets.sf_keyenv.private_key_passphrase');
    expect(out).not.toContain(keyMaterial(fileKey.privateKey));
  });

  it('a wrong OAuth token is a clear OAuth login error naming the target', async () => {
    const r = await runCli(['run', '--target', 'sf_oauth'], dir, env({ SNOWFLAKE_TOKEN: 'expired-token-123456' }));
    expect(r.code).toBe(2);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/target 'sf_oauth'.*OAuth login failed: Invalid OAuth access token/);
    expect(out).not.toContain('expired-token-123456');
    expect(out).not.toMatch(/\n\s+at /);
  });
});
