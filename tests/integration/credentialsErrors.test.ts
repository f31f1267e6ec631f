// Broker error paths (was `elevate credentials`, whose credential_process is gone — issue 12): what reaches
// the agent (the broker's HTTP answer, which the AWS CLI/SDK print) must not carry secrets. A failing credential_process of the user's own source profile makes Node report
// "Command failed: <whole command line>\n<stderr>"; a token on that line or printed by the tool must not leak.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { safeErrorMessage } from '../../electron/node/elevation';
import { readonlySource, startCredentialServer } from '../../electron/node/broker';

const execFileP = promisify(execFile);
const CLI = path.resolve(__dirname, '..', '..', 'bin', 'elevate.cjs');
const CMDLINE_TOKEN = 'cmdline-token-Zq9Xv7Lp3Rt8';
const STDERR_SECRET = 'stderr-secret-Hh4Jk2Mm6Nn0';

let dir: string;
let env: Record<string, string>;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-cred-err-'));
  const aws = path.join(dir, '.aws');
  fs.mkdirSync(aws);
  fs.writeFileSync(
    path.join(aws, 'config'),
    [
      '[profile base]',
      `credential_process = sh -c 'echo ${STDERR_SECRET} >&2; exit 3' tool --token ${CMDLINE_TOKEN}`,
      '',
      '[profile claudecode-readonly]',
      'role_arn = arn:aws:iam::111111111111:role/ReadOnly',
      'source_profile = base',
      'region = eu-west-1',
      '',
      '[profile claudecode-elevated]',
      'role_arn = arn:aws:iam::111111111111:role/Elevated',
      'source_profile = claudecode-readonly',
      'region = eu-west-1',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(aws, 'credentials'), '');
  env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    ELEVATE_HOME: path.join(dir, 'eh'),
    AWS_CONFIG_FILE: path.join(aws, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(aws, 'credentials'),
    CLAUDE_CONFIG_DIR: path.join(dir, 'claude'),
    // Never reach real AWS, whatever happens.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('broker: error messages without secrets', () => {
  it('a failing source credential_process: 502, and the answer has neither its command line nor its output', async () => {
    const srv = await startCredentialServer(
      readonlySource({
        profile: 'claudecode-readonly',
        configFile: env.AWS_CONFIG_FILE!,
        credentialsFile: env.AWS_SHARED_CREDENTIALS_FILE!,
        endpoint: env.AWS_ENDPOINT_URL,
        region: 'eu-west-1',
      }),
    );
    try {
      const res = await fetch(srv.url, { headers: { authorization: srv.token } });
      const body = await res.text();
      expect(res.status).toBe(502);
      expect(body).toContain('cannot get credentials for \\"claudecode-readonly\\"');
      expect(body).toContain('credential_process failed');
      expect(body).not.toContain(CMDLINE_TOKEN);
      expect(body).not.toContain(STDERR_SECRET);
    } finally {
      await srv.close();
    }
  });

  it('safeErrorMessage masks key ids, secrets and tokens, and keeps ordinary text', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const token = `IQoJb3JpZ2luX2VjE${'Ab3dE9fG'.repeat(20)}`;
    const m = safeErrorMessage(
      new Error(`bad key AKIAIOSFODNN7EXAMPLE with ${secret} and token=${token} at /home/user/.aws/config`),
    );
    expect(m).not.toContain('IOSFODNN7EXAMPLE');
    expect(m).not.toContain(secret);
    expect(m).not.toContain(token);
    expect(m).toContain('AKIA****************');
    expect(m).toContain('/home/user/.aws/config');
    expect(safeErrorMessage(new Error('The security token included in the request is expired'))).toBe(
      'The security token included in the request is expired',
    );
  });
});

describe('whoami / tier verification errors', () => {
  it('a failing credential_process behind a tier: the IdentityError message has neither its command line nor output', async () => {
    const { classifyIdentityError } = await import('../../electron/node/identity');
    // What @smithy's CredentialsProviderError carries when the SDK's fromProcess runs a failing command.
    const inner = Object.assign(
      new Error(
        `Command failed: sh -c 'echo ${STDERR_SECRET} >&2; exit 3' tool --token ${CMDLINE_TOKEN}\n${STDERR_SECRET}\n`,
      ),
      { name: 'CredentialsProviderError' },
    );
    const e = classifyIdentityError(inner, 'claudecode-readonly', undefined, 10_000);
    expect(e.code).toBe('no-credentials');
    expect(e.message).toContain('credential_process failed');
    expect(e.message).not.toContain(CMDLINE_TOKEN);
    expect(e.message).not.toContain(STDERR_SECRET);
  });
});

describe('elevate credentials (removed)', () => {
  it('prints nothing on stdout, whatever the arguments (it is no credential source any more)', async () => {
    for (const args of [
      ['credentials', '--session', 'no-such-session-01', '--json'],
      ['credentials', '--json'],
      ['credentials', '--session', '../../etc/passwd'],
    ]) {
      const r = await execFileP(process.execPath, [CLI, ...args], { env }).then(
        () => ({ code: 0, stdout: 'unexpected success', stderr: '' }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(r.code, args.join(' ')).toBeGreaterThan(0);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(/^elevate: /);
    }
  });
});
