// `elevate whoami <tier> --mfa-code CODE` against the local STS endpoint through the real SDK providers:
// the code reaches AssumeRole with the profile's mfa_serial; without it, the error says how to pass it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsTestEnv, startAwsServer, type AwsServer } from '../helpers/awsServer';
import { ELEVATE_BIN } from '../helpers/cli';

const BASE = {
  accessKeyId: 'AKIAWHOAMIMFATESTBAS1',
  secretAccessKey: 'mfa-secret-mfa-secret-mfa-secret-000001',
  arn: 'arn:aws:iam::111111111111:user/alice',
};
const READONLY_ROLE = 'arn:aws:iam::111111111111:role/ClaudeReadOnly';
const ELEVATED_ROLE = 'arn:aws:iam::111111111111:role/ClaudeElevated';
const SERIAL = 'arn:aws:iam::111111111111:mfa/alice';

let server: AwsServer;
let dir: string;

beforeEach(async () => {
  server = await startAwsServer({ staticKeys: [BASE] });
  dir = mkdtempSync(join(tmpdir(), 'elevate-whoami-mfa-'));
  writeFileSync(
    join(dir, 'config'),
    `[profile claudecode-readonly]\nrole_arn = ${READONLY_ROLE}\nsource_profile = base\nregion = us-east-1\n\n` +
      `[profile claudecode-elevated]\nrole_arn = ${ELEVATED_ROLE}\nsource_profile = base\nmfa_serial = ${SERIAL}\nrole_session_name = alice-el\nregion = us-east-1\n`,
  );
  writeFileSync(
    join(dir, 'credentials'),
    `[base]\naws_access_key_id = ${BASE.accessKeyId}\naws_secret_access_key = ${BASE.secretAccessKey}\n`,
  );
  server.requireMfa(ELEVATED_ROLE, '123456');
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function whoami(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(dir, 'home'),
    ELEVATE_HOME: join(dir, 'elevate'),
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    ...awsTestEnv({ url: server.url }),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [ELEVATE_BIN, 'whoami', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('elevate whoami --mfa-code', () => {
  it('passes the code to AssumeRole with the serial; the code is never printed', async () => {
    const r = await whoami(['elevated', '--mfa-code', '123456', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ tier: 'elevated', sessionName: 'alice-el' });
    expect(r.stdout).not.toContain('123456');
    expect(server.assumeRoleCalls.at(-1)).toMatchObject({
      serialNumber: SERIAL,
      tokenCode: '123456',
      granted: true,
    });
  });

  it('without a code: exit 1, and the message says to pass --mfa-code (not "use the app")', async () => {
    const r = await whoami(['elevated']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('run "elevate whoami elevated --mfa-code CODE"');
    expect(r.stderr).not.toMatch(/from the app/);
  });

  it('a wrong code is refused by STS; a malformed one is a usage error before any call', async () => {
    const wrong = await whoami(['elevated', '--mfa-code', '654321']);
    expect(wrong.code).toBe(1);
    expect(server.assumeRoleCalls.at(-1)).toMatchObject({ tokenCode: '654321', granted: false });
    const calls = server.assumeRoleCalls.length;
    const bad = await whoami(['elevated', '--mfa-code', '12ab']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--mfa-code: expected the 6 digits/);
    expect(server.assumeRoleCalls).toHaveLength(calls);
  });
});
