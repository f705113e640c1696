/**
 * Secrets never reach an output: console and JSON logs, run_results.json, manifest.json, compiled SQL,
 * the docs data file and error messages, on DuckDB and both protocol servers (tests/servers: NOT Trino or
 * Snowflake). Secrets here: vars with secret-looking names passed by --vars, a var listed in secret_vars,
 * a 3-character secret, an env default standing in for a secret, a secret run-operation argument; and
 * an engine's HTTP error body that echoes the request headers.
 */
import http from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject, runCli, type CliResult } from '../helpers/project.js';
import { startEngines, TARGETS, type Engines } from '../helpers/engines.js';
import { safeErrorBody } from '../../src/utils/error-body.js';

let engines: Engines;
let dir: string;

const SECRETS = {
  db_password: 'hunter2-Very-Secret',
  api_key: 'ak_live_5566778899',
  customer_salt: 'salt-VALUE-991',
  pin_pwd: 'x9q',
};
const ENV_DEFAULT_TOKEN = 'default-tok-7731';
const OP_SECRET = 'opArg-Secret-123';
const ALL = [...Object.values(SECRETS), ENV_DEFAULT_TOKEN, OP_SECRET];

/** Every file under a directory, with its text and mode. */
function filesUnder(root: string): { file: string; text: string; mode: number }[] {
  const out: { file: string; text: string; mode: number }[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!/\.duckdb(\.wal)?$|\.(tmp|lock)$|read-copy/.test(e.name)) out.push({ file: path.relative(root, p), text: readFileSync(p, 'latin1'), mode: statSync(p).mode & 0o777 });
    }
  };
  walk(root);
  return out;
}

beforeAll(async () => {
  engines = await startEngines();
  dir = await makeProject({
    // A fourth target whose secret is not exported on this machine: not needed unless it is used.
    'project.yaml': `name: t\ntarget: dev\nsecret_vars: [customer_salt]\nvars:\n  customer_salt: ${SECRETS.customer_salt}\n${engines.targetsYaml()}  prod:\n    type: trino\n    server: https://trino.prod.example\n    user: etl\n    auth: { type: basic, password: '{{env "PROD_ONLY_TRINO_PASSWORD"}}' }\n`,
    'models/creds.sql': `{{config materialized="table"}}select {{literal (var "db_password")}} as p, {{literal (var "api_key")}} as k, {{literal (var "customer_salt")}} as s, {{literal (var "pin_pwd")}} as q, {{literal (env "WEIR_TEST_SOME_TOKEN" "${ENV_DEFAULT_TOKEN}")}} as t`,
    'models/leaks_in_error.sql': `{{config materialized="table"}}select cast({{literal (var "db_password")}} as integer) as bad`,
    'macros/grant_user.sql': 'select cast({{literal grant_password}} as integer) as x',
  });
});
afterAll(async () => {
  cleanupProjects();
  await engines?.close();
});

describe.each(TARGETS)('secrets on target %s', (target) => {
  const outputs: CliResult[] = [];
  const vars = JSON.stringify({ db_password: SECRETS.db_password, api_key: SECRETS.api_key, pin_pwd: SECRETS.pin_pwd });
  const cli = async (args: string[]) => {
    const r = await runCli([...args, '--target', target], dir, engines.env);
    outputs.push(r);
    return r;
  };

  it('a build with secret vars, a secret env default and a failing model prints none of them', async () => {
    const text = await cli(['build', '--vars', vars]);
    expect(text.code, text.stdout + text.stderr).toBe(1); // leaks_in_error fails
    expect(text.stdout + text.stderr).toContain('leaks_in_error');
    expect(text.stdout + text.stderr).toContain('***');
    const json = await cli(['build', '--vars', vars, '--log-format', 'json']);
    expect(json.code).toBe(1);
    const c = await cli(['compile', '--vars', vars]);
    expect(c.code, c.stdout + c.stderr).toBe(0);
  });

  it('errors before and after a run starts are redacted too (run-operation argument, unknown selector)', async () => {
    const op = await cli(['run-operation', 'grant_user', '--args', JSON.stringify({ grant_password: OP_SECRET })]);
    expect(op.code).toBe(1);
    expect(op.stdout + op.stderr).toMatch(/grant_user/);
    // A selector error echoes the selector: the value is redacted even in this message.
    const sel = await cli(['run', '--select', SECRETS.db_password, '--vars', vars]);
    expect(sel.stdout + sel.stderr).toContain('***');
  });

  it('docs data, artifacts and compiled SQL hold no secret and are owner-only', async () => {
    const d = await cli(['docs', 'generate', '--vars', vars]);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    const files = filesUnder(path.join(dir, 'target'));
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(['manifest.json', 'run_results.json', 'docs/weir-docs-data.js', 'compiled/t/models/creds.sql']));
    for (const f of files) {
      // partial_parse.json caches the project's own source text as written (the env default is in a model
      // file); it is owner-only like the rest.
      if (f.file !== 'partial_parse.json') for (const s of ALL) expect(f.text.includes(s), `${s} in target/${f.file}`).toBe(false);
      if (/\.json$|compiled\/|weir-docs-data/.test(f.file)) expect(f.mode, `mode of target/${f.file}`).toBe(0o600);
    }
    // The 3-character secret is redacted where it stands alone (in the compiled SQL: 'x9q' → '***').
    expect(readFileSync(path.join(dir, 'target/compiled/t/models/creds.sql'), 'utf8')).toContain("'***' as q");
  });

  it('no output of any command held a secret', () => {
    for (const o of outputs) for (const s of ALL) expect((o.stdout + o.stderr).includes(s), `${s} printed`).toBe(false);
  });
});

describe('engine HTTP error bodies', () => {
  it('a Trino coordinator (or proxy) echoing the request never prints the Authorization header', async () => {
    const echo = http.createServer((req, res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`Bad gateway. Request was:\n${req.method} ${req.url}\n${Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`).join('\n')}\n`);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(echo.address() as { port: number }).port}`;
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3ZWlyIn0.c2lnbmF0dXJlLXNlY3JldA';
    const d = await makeProject({
      'project.yaml': `name: t\ntarget: jwt\ntargets:\n  jwt: {type: trino, server: '${url}', user: weir, catalog: lake, schema: s, auth: {type: jwt, token: '{{env "T_JWT"}}'}}\n  basic: {type: trino, server: '${url}', user: weir, catalog: lake, schema: s, auth: {type: basic, password: '{{env "T_PW"}}'}}\n`,
    });
    try {
      const env = { ...process.env, T_JWT: jwt, T_PW: 'pw1' };
      for (const t of ['jwt', 'basic']) {
        const r = await runCli(['query', 'select 1', '--target', t], d, env);
        expect(r.code).not.toBe(0);
        const out = r.stdout + r.stderr;
        expect(out).toContain('HTTP 502');
        expect(out).not.toContain(jwt);
        expect(out).not.toContain(jwt.split('.')[1]);
        expect(out).not.toContain(Buffer.from('weir:pw1').toString('base64'));
        expect(out.toLowerCase()).not.toContain('authorization');
      }
    } finally {
      echo.closeAllConnections();
      await new Promise<void>((r) => echo.close(() => r()));
    }
  });

  it('safeErrorBody strips headers, schemes, JWTs, secret pairs and known values (also in base64)', () => {
    const body = 'oops\nAuthorization: Bearer abc.def.ghi\nX-Trino-User: weir\nCookie: s=1\nnote Basic d2Vpcjpwdw== and eyJa.eyJb.c3 password=hunter2 pw2 ' + Buffer.from('weir:pw2').toString('base64');
    const safe = safeErrorBody(body, ['pw2'], 'weir');
    expect(safe).not.toMatch(/Authorization|X-Trino|Cookie|d2Vpcjpwdw|eyJa|hunter2|pw2/);
    expect(safe).toContain('oops');
    expect(safeErrorBody('x'.repeat(500)).length).toBe(301);
  });
});
