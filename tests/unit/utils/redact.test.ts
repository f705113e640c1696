import { describe, expect, it } from 'vitest';
import { createRedactor, redactDeep, REDACTED } from '../../../src/utils/redact.js';
import { redactingReporter } from '../../../src/api/project.js';
import type { WeirEvent } from '../../../src/events/events.js';
import { interpolateEnv } from '../../../src/loader/project-config.js';
import { parseYamlFile } from '../../../src/loader/yaml-file.js';

describe('redaction', () => {
  it('replaces every occurrence, longest secret first, with regex metacharacters escaped', () => {
    const r = createRedactor(['s3cr3t', 's3cr3t-longer', 'a.b*c(d)']);
    expect(r('x s3cr3t-longer y s3cr3t z a.b*c(d)')).toBe(`x ${REDACTED} y ${REDACTED} z ${REDACTED}`);
    expect(r('axbbc(d)')).toBe('axbbc(d)');
  });

  it('ignores empty secrets; short ones are redacted where they stand alone, not inside words', () => {
    const r = createRedactor(['', 'ab']);
    expect(r('ab cd')).toBe('*** cd');
    expect(r("x = 'ab' and tabs, abc, ab1")).toBe("x = '***' and tabs, abc, ab1");
  });

  it('redacts every string inside nested values, leaving other types alone', () => {
    const r = createRedactor(['hunter22']);
    const v = { a: 'pw=hunter22', b: [1, 'hunter22', { c: 'x hunter22' }], n: 3, t: true, z: null };
    expect(redactDeep(v, r)).toEqual({ a: `pw=${REDACTED}`, b: [1, REDACTED, { c: `x ${REDACTED}` }], n: 3, t: true, z: null });
    expect(v.a).toBe('pw=hunter22'); // not mutated
  });

  it('redactingReporter redacts every event field', () => {
    const seen: WeirEvent[] = [];
    const rep = redactingReporter({ emit: (e) => seen.push(e) }, createRedactor(['hunter22']));
    rep.emit({ code: 'WEIR_ERROR', ts: 'now', level: 'error', message: 'auth failed for hunter22', file: 'hunter22.sql' });
    expect(JSON.stringify(seen)).not.toContain('hunter22');
    expect(seen[0]).toMatchObject({ message: `auth failed for ${REDACTED}`, file: `${REDACTED}.sql` });
  });

  it('project.yaml env values under secret keys or secret-looking env names become secrets', () => {
    const text = `targets:
  prod:
    type: snowflake
    password: '{{env "WEIR_TEST_PASSWORD"}}'
    user: '{{env "WEIR_USER"}}'
    token_ref: '{{env "API_TOKEN" "dflt-token"}}'
`;
    const yaml = parseYamlFile(text, 'project.yaml');
    const { value, secrets } = interpolateEnv(yaml.value, yaml, { WEIR_TEST_PASSWORD: 'pa55word!', WEIR_USER: 'alice' });
    expect((value as { targets: { prod: { password: string } } }).targets.prod.password).toBe('pa55word!');
    expect(secrets).toContain('pa55word!');
    expect(secrets).not.toContain('alice');
  });

  it('an unset env var in project.yaml names the variable, file and key path', () => {
    const yaml = parseYamlFile(`name: x\ntargets:\n  dev:\n    type: duckdb\n    path: '{{env "WEIR_NOPE"}}'\n`, 'project.yaml');
    let err: unknown;
    try {
      interpolateEnv(yaml.value, yaml, {});
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'WEIR_ENV_MISSING' });
    const msg = (err as { format(): string }).format();
    expect(msg).toContain('WEIR_NOPE');
    expect(msg).toContain('project.yaml:5');
    expect(msg).toContain('targets.dev.path');
  });
});
