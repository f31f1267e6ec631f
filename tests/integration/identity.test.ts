// Identity checks against the local STS endpoint (tests/helpers/awsServer.ts) through the real AWS SDK v3
// credential providers (fromIni) and the real `elevate whoami` CLI, with temp AWS files only.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { awsTestEnv, startAwsServer, type AwsServer } from '../helpers/awsServer';
import {
  classifyIdentityError,
  IdentityError,
  parseAssumedRoleArn,
  stsEndpointFor,
  verifyProfile,
  verifyTier,
} from '../../electron/node/identity';
import { loadContext } from '../../electron/node/context';

const ROOT = join(__dirname, '..', '..');
const BASE = {
  accessKeyId: 'AKIAIDENTITYTESTBASE1',
  secretAccessKey: 'base-secret-base-secret-base-secret-0001',
  arn: 'arn:aws:iam::111111111111:user/alice',
};
const READONLY_ROLE = 'arn:aws:iam::111111111111:role/ClaudeReadOnly';
const ELEVATED_ROLE = 'arn:aws:iam::111111111111:role/ClaudeElevated';
const MFA_ROLE = 'arn:aws:iam::111111111111:role/NeedsMfa';

const CONFIG = `[profile claudecode-readonly]
role_arn = ${READONLY_ROLE}
source_profile = base
role_session_name = alice-readonly
region = us-east-1

[profile claudecode-elevated]
role_arn = ${ELEVATED_ROLE}
source_profile = claudecode-readonly
role_session_name = alice-elevated
region = us-east-1

[profile mfa]
role_arn = ${MFA_ROLE}
source_profile = base
mfa_serial = arn:aws:iam::111111111111:mfa/alice
role_session_name = alice-mfa

[profile nokeys]
role_arn = ${READONLY_ROLE}
source_profile = empty

[profile empty]
region = us-east-1

[profile badkeys]
region = us-east-1
`;

const CREDENTIALS = `[base]
aws_access_key_id = ${BASE.accessKeyId}
aws_secret_access_key = ${BASE.secretAccessKey}

[badkeys]
aws_access_key_id = AKIAUNKNOWNKEY000001
aws_secret_access_key = not-a-known-secret
`;

let server: AwsServer;
let dir: string;
let clock: number;

function envFor(endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(dir, 'home'),
    ELEVATE_HOME: join(dir, 'elevate'),
    CLAUDE_CONFIG_DIR: join(dir, 'claude'),
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    ...awsTestEnv({ url: endpoint }),
    // The SDK's own switch for its "node >= 22 soon" notice, so stderr shows only what Elevate prints.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [join(ROOT, 'bin', 'elevate.cjs'), ...args],
      { env, timeout: 20_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr, ms: performance.now() - t0 });
      },
    );
    child.stdin?.end(); // no terminal, no input: a prompt would hang until the timeout
  });
}

async function closedPortUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

beforeEach(async () => {
  clock = Date.parse('2026-11-24T12:00:00Z');
  server = await startAwsServer({ staticKeys: [BASE], now: () => clock });
  dir = mkdtempSync(join(tmpdir(), 'elevate-identity-'));
  writeFileSync(join(dir, 'config'), CONFIG);
  writeFileSync(join(dir, 'credentials'), CREDENTIALS);
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('parseAssumedRoleArn', () => {
  it('splits role and session (session names may contain @ = , . -) and rejects other principals', () => {
    expect(parseAssumedRoleArn('arn:aws:sts::111111111111:assumed-role/Role-1/alice@example.com')).toEqual({
      account: '111111111111',
      roleName: 'Role-1',
      sessionName: 'alice@example.com',
    });
    expect(parseAssumedRoleArn('arn:aws-us-gov:sts::222222222222:assumed-role/R/s=1,x.y')).toMatchObject({
      sessionName: 's=1,x.y',
    });
    expect(parseAssumedRoleArn('arn:aws:iam::111111111111:user/alice')).toBeNull();
  });
});

describe('endpoint choice and error mapping', () => {
  it('picks the explicit endpoint, then AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL, unless told to ignore them', () => {
    const env = { AWS_ENDPOINT_URL: 'http://all', AWS_ENDPOINT_URL_STS: 'http://sts' };
    expect(stsEndpointFor(env, 'http://settings')).toBe('http://settings');
    expect(stsEndpointFor(env)).toBe('http://sts');
    expect(stsEndpointFor({ AWS_ENDPOINT_URL: 'http://all' })).toBe('http://all');
    expect(stsEndpointFor({ ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toBeUndefined();
  });

  it('maps DNS failures and AggregateError(ECONNREFUSED) (Node happy-eyeballs) to endpoint-unreachable', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND sts.example.invalid'), { code: 'ENOTFOUND' });
    expect(classifyIdentityError(dns, 'p', 'http://sts.example.invalid', 5000)).toMatchObject({
      code: 'endpoint-unreachable',
      details: { awsCode: 'ENOTFOUND' },
    });
    const refused = new AggregateError([Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })], 'x');
    expect(classifyIdentityError(refused, 'p', undefined, 5000).message).toContain(
      'cannot reach the AWS STS endpoint (ECONNREFUSED)',
    );
    expect(classifyIdentityError(new Error('something odd'), 'p', undefined, 5000).code).toBe('unknown');
  });
});

describe('verifyTier / verifyProfile against the local STS endpoint', () => {
  it('resolves elevated → readonly → static keys with two AssumeRole calls and reports the session name', async () => {
    const ctx = loadContext(envFor(server.url));
    const id = await verifyTier(ctx, 'elevated', { now: () => new Date(clock) });
    expect(server.assumeRoleCalls.map((c) => [c.roleArn, c.roleSessionName, c.callerArn, c.granted])).toEqual(
      [
        [READONLY_ROLE, 'alice-readonly', BASE.arn, true],
        [
          ELEVATED_ROLE,
          'alice-elevated',
          'arn:aws:sts::111111111111:assumed-role/ClaudeReadOnly/alice-readonly',
          true,
        ],
      ],
    );
    expect(server.callCount('GetCallerIdentity')).toBe(1);
    // The GetCallerIdentity call was signed with the credentials of the second (elevated) AssumeRole.
    const gci = server.requests.find((r) => r.action === 'GetCallerIdentity');
    expect(gci?.accessKeyId).toBe(server.issuedCredentials[1]?.accessKeyId);
    expect(id).toEqual({
      tier: 'elevated',
      profile: 'claudecode-elevated',
      account: '111111111111',
      arn: 'arn:aws:sts::111111111111:assumed-role/ClaudeElevated/alice-elevated',
      userId: server.issuedCredentials[1]?.assumedRoleId,
      roleName: 'ClaudeElevated',
      sessionName: 'alice-elevated',
      expectedSessionName: 'alice-elevated',
      sessionNameMatches: true,
      verifiedAt: new Date(clock).toISOString(),
    });
  });

  it('sends role assumption to settings.endpointUrl even when the env names no endpoint', async () => {
    const env = envFor(server.url);
    delete env.AWS_ENDPOINT_URL;
    delete env.AWS_ENDPOINT_URL_STS;
    delete env.AWS_ENDPOINT_URL_SSM;
    const ctx = loadContext(env);
    const id = await verifyTier(
      { ...ctx, settings: { ...ctx.settings, endpointUrl: server.url } },
      'readonly',
    );
    expect(id.sessionName).toBe('alice-readonly');
    expect(server.assumeRoleCalls).toHaveLength(1);
  });

  it('maps AccessDenied on AssumeRole to access-denied and names the role being assumed', async () => {
    server.denyAssumeRole(ELEVATED_ROLE);
    const err = await verifyProfile('claudecode-elevated', envFor(server.url)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdentityError);
    expect((err as IdentityError).code).toBe('access-denied');
    expect((err as IdentityError).details.roleArn).toBe(ELEVATED_ROLE);
    expect((err as IdentityError).message).toContain(ELEVATED_ROLE);
    // The read-only hop was granted; the elevated one was refused by the server.
    expect(server.assumeRoleCalls.map((c) => [c.roleArn, c.granted])).toEqual([
      [READONLY_ROLE, true],
      [ELEVATED_ROLE, false],
    ]);
  });

  it('maps expired session credentials to expired-token (server clock moved past their expiry)', async () => {
    const sts = new STSClient({ region: 'us-east-1', endpoint: server.url, credentials: BASE });
    const out = await sts.send(
      new AssumeRoleCommand({ RoleArn: READONLY_ROLE, RoleSessionName: 'stale', DurationSeconds: 900 }),
    );
    const c = out.Credentials;
    writeFileSync(
      join(dir, 'credentials'),
      `${CREDENTIALS}\n[stale]\naws_access_key_id = ${c?.AccessKeyId}\naws_secret_access_key = ${c?.SecretAccessKey}\naws_session_token = ${c?.SessionToken}\n`,
    );
    writeFileSync(join(dir, 'config'), `${CONFIG}\n[profile stale]\nregion = us-east-1\n`);
    // Still valid: verifies.
    await expect(verifyProfile('stale', envFor(server.url))).resolves.toMatchObject({
      sessionName: 'stale',
      sessionNameMatches: false,
    });
    clock += 901_000;
    const err = await verifyProfile('stale', envFor(server.url)).catch((e: unknown) => e);
    expect((err as IdentityError).code).toBe('expired-token');
    expect((err as IdentityError).details.awsCode).toBe('ExpiredToken');
  });

  it('fails an mfa_serial profile at once with mfa-required, before any AssumeRole', async () => {
    server.requireMfa(MFA_ROLE);
    const t0 = performance.now();
    const err = await verifyProfile('mfa', envFor(server.url)).catch((e: unknown) => e);
    expect((err as IdentityError).code).toBe('mfa-required');
    expect((err as IdentityError).message).toContain('arn:aws:iam::111111111111:mfa/alice');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(server.assumeRoleCalls).toHaveLength(0);
  });

  it('passes a supplied MFA code to AssumeRole (the seam the app uses to prompt)', async () => {
    server.requireMfa(MFA_ROLE, '123456');
    const id = await verifyProfile('mfa', envFor(server.url), { mfaCodeProvider: async () => '123456' });
    expect(id.sessionName).toBe('alice-mfa');
    expect(server.assumeRoleCalls[0]).toMatchObject({
      serialNumber: 'arn:aws:iam::111111111111:mfa/alice',
      tokenCode: '123456',
      granted: true,
    });
  });

  it('maps a source profile without keys to no-credentials and unknown keys to invalid-credentials', async () => {
    const none = await verifyProfile('nokeys', envFor(server.url)).catch((e: unknown) => e);
    expect((none as IdentityError).code).toBe('no-credentials');
    const missing = await verifyProfile('does-not-exist', envFor(server.url)).catch((e: unknown) => e);
    expect((missing as IdentityError).code).toBe('no-credentials');
    const bad = await verifyProfile('badkeys', envFor(server.url)).catch((e: unknown) => e);
    expect((bad as IdentityError).code).toBe('invalid-credentials');
    expect((bad as IdentityError).details.awsCode).toBe('InvalidClientTokenId');
  });

  it('gives up on an endpoint that accepts connections but never answers (deadline, no hang)', async () => {
    const sockets: Socket[] = [];
    const blackhole: Server = createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(blackhole.address() as { port: number }).port}`;
    try {
      const t0 = performance.now();
      const err = await verifyProfile('claudecode-readonly', envFor(url), { timeoutMs: 800 }).catch(
        (e: unknown) => e,
      );
      const ms = performance.now() - t0;
      expect((err as IdentityError).code).toBe('endpoint-unreachable');
      expect(ms).toBeGreaterThanOrEqual(700);
      expect(ms).toBeLessThan(3000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => blackhole.close(() => r()));
    }
  });
});

describe('elevate whoami (spawned CLI)', () => {
  it('whoami elevated --json returns the session name from role_session_name', async () => {
    const r = await runCli(['whoami', 'elevated', '--json'], envFor(server.url));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const id = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(id).toMatchObject({
      tier: 'elevated',
      profile: 'claudecode-elevated',
      account: '111111111111',
      arn: 'arn:aws:sts::111111111111:assumed-role/ClaudeElevated/alice-elevated',
      roleName: 'ClaudeElevated',
      sessionName: 'alice-elevated',
      sessionNameMatches: true,
    });
    expect(server.assumeRoleCalls.map((c) => [c.roleArn, c.roleSessionName])).toEqual([
      [READONLY_ROLE, 'alice-readonly'],
      [ELEVATED_ROLE, 'alice-elevated'],
    ]);
  });

  it('whoami prints plain words without --json', async () => {
    const r = await runCli(['whoami', 'readonly'], envFor(server.url));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('session:  alice-readonly (matches role_session_name)');
  });

  it('AccessDenied → exit 1 with {error:{code:"access-denied"}} naming the role ARN', async () => {
    server.denyAssumeRole(ELEVATED_ROLE);
    const r = await runCli(['whoami', 'elevated', '--json'], envFor(server.url));
    expect(r.code).toBe(1);
    const body = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('access-denied');
    expect(body.error.message).toContain(ELEVATED_ROLE);
  });

  it('a closed port → endpoint-unreachable well within 5 s', async () => {
    const url = await closedPortUrl();
    const r = await runCli(['whoami', 'readonly', '--json'], envFor(url));
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { error: { code: string } }).error.code).toBe('endpoint-unreachable');
    expect(r.ms).toBeLessThan(6000);
  });

  it('an endpoint that never answers → endpoint-unreachable at the 5 s deadline, and the process exits then', async () => {
    const sockets: Socket[] = [];
    const blackhole: Server = createServer((sock) => void sockets.push(sock));
    await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(blackhole.address() as { port: number }).port}`;
      const r = await runCli(['whoami', 'readonly', '--json'], envFor(url));
      expect(r.code).toBe(1);
      const body = JSON.parse(r.stdout) as { error: { code: string; message: string } };
      expect(body.error).toMatchObject({ code: 'endpoint-unreachable' });
      expect(body.error.message).toContain('within 5 s');
      expect(r.ms).toBeGreaterThanOrEqual(4900);
      expect(r.ms).toBeLessThan(7000); // no lingering retry or keep-alive socket after the deadline
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((r) => blackhole.close(() => r()));
    }
  });

  it('an MFA profile → mfa-required, no prompt (stdin closed, returns quickly)', async () => {
    server.requireMfa(MFA_ROLE);
    const env = envFor(server.url);
    // Map the read-only tier to the MFA profile through Elevate's settings.
    mkdirSync(env.ELEVATE_HOME as string, { recursive: true });
    writeFileSync(
      join(env.ELEVATE_HOME as string, 'settings.json'),
      JSON.stringify({ tiers: { readonly: 'mfa' } }),
    );
    const r = await runCli(['whoami', 'readonly', '--json'], env);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { error: { code: string } }).error.code).toBe('mfa-required');
    expect(r.ms).toBeLessThan(5000);
    expect(server.assumeRoleCalls).toHaveLength(0);
  });

  it('an unknown tier argument is a usage error (exit 2)', async () => {
    const r = await runCli(['whoami', 'root', '--json'], envFor(server.url));
    expect(r.code).toBe(2);
    expect((JSON.parse(r.stdout) as { error: { code: string } }).error.code).toBe('usage');
  });
});
