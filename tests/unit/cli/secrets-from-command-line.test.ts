/** Which environment values the CLI redacts before a project is loaded. */
import { describe, expect, it } from 'vitest';
import { secretsFromCommandLine } from '../../../src/cli/main.js';

describe('secretsFromCommandLine', () => {
  it('takes secret-looking variables and --vars, not the working directory or agent sockets', () => {
    const env = {
      PWD: '/tmp/project', OLDPWD: '/home/me', SSH_AUTH_SOCK: '/tmp/ssh-x/agent.1', XAUTHORITY: '/home/me/.Xauthority',
      SNOWFLAKE_PASSWORD: 'pw-123456', DB_PWD: 'hunter22', GOOGLE_CREDENTIALS_FILE: '/etc/gcp.json', API_TOKEN: 'tok-abc',
    };
    const got = secretsFromCommandLine(['build', '--vars', '{"api_key": "k-987", "day": "2024-01-01"}'], env);
    expect(got.sort()).toEqual(['hunter22', 'k-987', 'pw-123456', 'tok-abc']);
  });
});
