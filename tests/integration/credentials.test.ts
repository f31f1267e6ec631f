// IAM-level expiry: the generated per-session AWS config's credential_process (`elevate credentials`)
// against the local STS endpoint, consumed by the real AWS SDK v3 (fromIni) and the real AWS CLI v2.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import { awsTestEnv, startAwsServer, type AwsServer } from '../helpers/awsServer';
import { loadContext } from '../../electron/node/context';
import {
  issueCredentials,
  prepareElevation,
  readElevation,
  sweepElevationCaches,
  writeElevation,
  type PreparedElevation,
} from '../../electron/node/elevation';
import { newSessionId, writeSession } from '../../electron/node/sessions';
import { readAudit } from '../../electron/node/audit';

const execFileP = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'elevate.cjs');
const hasAwsCli = fs.existsSync('/usr/bin/aws');

const BASE = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const READONLY_ROLE = 'arn:aws:iam::111111111111:role/ReadOnly';
const ELEVATED_ROLE = 'arn:aws:iam::111111111111:role/Elevated';

let server: AwsServer;
let dir: string;
let env: Record<string, string>;

beforeEach(async () => {
  server = await startAwsServer({ staticKeys: [BASE] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate cred '));
  const home = path.join(dir, 'home');
  fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
  fs.writeFileSync(
    path.join(home, '.aws', 'config'),
    [
      '[profile claudecode-readonly]',
      `role_arn = ${READONLY_ROLE}`,
      'source_profile = base',
      'role_session_name = claude-ro',
      'region = eu-west-1',
      '',
      '[profile claudecode-elevated]',
      `role_arn = ${ELEVATED_ROLE}`,
      'source_profile = claudecode-readonly',
      'role_session_name = claude-el',
      'region = eu-west-1',
      '',
      '[profile admin]',
      'role_arn = arn:aws:iam::111111111111:role/Admin',
      'source_profile = base',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(home, '.aws', 'credentials'),
    `[base]\naws_access_key_id = ${BASE.accessKeyId}\naws_secret_access_key = ${BASE.secretAccessKey}\n`,
  );
  env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    ELEVATE_HOME: path.join(dir, 'elevate home'),
    AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'),
    CLAUDE_CONFIG_DIR: path.join(dir, 'claude'),
    ...awsTestEnv(server),
  };
});

afterEach(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function prepare(minutes: number, now = new Date()): PreparedElevation {
  return prepareElevation({ sessionId: newSessionId(now), ctx: loadContext(env), minutes, now });
}

/** The environment an elevated session runs with: the user's AWS files replaced by the generated ones. */
function sessionEnv(p: PreparedElevation): Record<string, string> {
  return { ...env, ...p.extraSet };
}

function setDeadline(p: PreparedElevation, deadline: Date): void {
  const spec = readElevation(p.spec.sessionId, env);
  writeElevation({ ...spec, deadline: deadline.toISOString() }, env);
}

async function cli(args: string[], e: Record<string, string>) {
  try {
    const r = await execFileP(process.execPath, [CLI, ...args], { env: e, timeout: 20_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const x = err as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

/** Run `fn` with process.env replaced (the SDK's credential_process child inherits process.env). */
async function withProcessEnv<T>(e: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) delete process.env[k];
  Object.assign(process.env, e);
  try {
    return await fn();
  } finally {
    for (const k of Object.keys(process.env)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

async function sdkCallerArn(p: PreparedElevation): Promise<string | undefined> {
  return withProcessEnv(sessionEnv(p), async () => {
    const credentials = fromIni({
      profile: p.spec.generatedProfile,
      filepath: p.credentialsFile,
      configFilepath: p.configFile,
      ignoreCache: true,
    });
    const client = new STSClient({ region: 'eu-west-1', endpoint: server.url, credentials });
    try {
      return (await client.send(new GetCallerIdentityCommand({}))).Arn;
    } finally {
      client.destroy();
    }
  });
}

async function awsCli(args: string[], e: Record<string, string>) {
  const cliEnv = { ...e, AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true' };
  try {
    const r = await execFileP('/usr/bin/aws', [...args, '--endpoint-url', server.url, '--output', 'json'], {
      env: cliEnv,
      timeout: 30_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const x = err as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

describe('generated per-session AWS config', () => {
  it('has one identity (named profile + identical [default]), 0600 files, an empty credentials file', () => {
    const p = prepare(30);
    const text = fs.readFileSync(p.configFile, 'utf8');
    expect(p.spec.generatedProfile).toBe('claudecode-elevated');
    const headers = text.split('\n').filter((l) => l.startsWith('['));
    expect(headers).toEqual(['[profile claudecode-elevated]', '[default]']);
    expect(text).not.toMatch(/admin|claudecode-readonly|aws_access_key_id|aws_secret/);
    const procLines = text.split('\n').filter((l) => l.startsWith('credential_process = '));
    expect(procLines).toHaveLength(2);
    expect(procLines[0]).toContain(`credentials --session ${p.spec.sessionId}`);
    // ELEVATE_HOME has a space: quoted for the shell (JS SDK) and shlex (AWS CLI).
    expect(procLines[0]).toContain(`'ELEVATE_HOME=${env.ELEVATE_HOME}'`);
    expect(text).toContain('region = eu-west-1');
    expect(fs.readFileSync(p.credentialsFile, 'utf8')).toBe('');
    for (const f of [p.configFile, p.credentialsFile, path.join(p.dir, 'elevation.json')]) {
      expect(fs.statSync(f).mode & 0o777, f).toBe(0o600);
    }
    expect(fs.statSync(p.dir).mode & 0o777).toBe(0o700);
    expect(p.extraSet).toEqual({
      AWS_CONFIG_FILE: p.configFile,
      AWS_SHARED_CREDENTIALS_FILE: p.credentialsFile,
      AWS_PROFILE: 'claudecode-elevated',
    });
    expect(p.spec.roleSessionName).toBe(`claude-el-${p.spec.sessionId.split('-').pop()}`);
    expect(p.fitted).toMatchObject({ durationSeconds: 1800, outlivesDeadline: false });
  });
});

describe('elevate credentials (credential_process)', () => {
  it('prints only the Version 1 JSON on stdout, assumes the role via the real chain with SourceIdentity', async () => {
    const p = prepare(30);
    const r = await cli(['credentials', '--session', p.spec.sessionId], sessionEnv(p));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual([
      'Version',
      'AccessKeyId',
      'SecretAccessKey',
      'SessionToken',
      'Expiration',
    ]);
    expect(out.Version).toBe(1);
    expect(out.AccessKeyId).toMatch(/^ASIA/);
    const name = p.spec.roleSessionName;
    expect(
      server.assumeRoleCalls.map((c) => [c.roleArn, c.roleSessionName, c.sourceIdentity, c.granted]),
    ).toEqual([
      [READONLY_ROLE, 'claude-ro', undefined, true],
      [ELEVATED_ROLE, name, name, true],
    ]);
    const d = server.assumeRoleCalls[1]!.durationSeconds;
    expect(d).toBeGreaterThanOrEqual(1795);
    expect(d).toBeLessThanOrEqual(1800);
    // Expiration is at (not after) the deadline.
    expect(Date.parse(out.Expiration as string)).toBeLessThanOrEqual(Date.parse(p.spec.deadline) + 1000);
    // Audit: no secrets, the role session name for CloudTrail.
    const issue = readAudit(env).find((a) => a.type === 'elevation-issue');
    expect(issue).toMatchObject({
      sessionId: p.spec.sessionId,
      roleSessionName: name,
      sourceIdentity: name,
      durationSeconds: d,
    });
    const auditText = fs.readFileSync(path.join(env.ELEVATE_HOME!, 'audit.jsonl'), 'utf8');
    expect(auditText).not.toContain(out.SecretAccessKey as string);
    expect(auditText).not.toContain(out.SessionToken as string);
  });

  it('caches in a 0600 file and reuses it (no second AssumeRole); ELEVATE_CREDENTIALS_CACHE=0 disables it', async () => {
    const p = prepare(30);
    const a = await cli(['credentials', '--session', p.spec.sessionId], sessionEnv(p));
    const b = await cli(['credentials', '--session', p.spec.sessionId], sessionEnv(p));
    expect(JSON.parse(b.stdout)).toEqual(JSON.parse(a.stdout));
    expect(server.callCount('AssumeRole')).toBe(2); // readonly hop + elevated, once
    expect(fs.statSync(path.join(p.dir, 'cache.json')).mode & 0o777).toBe(0o600);

    const q = prepareElevation({
      sessionId: newSessionId(),
      ctx: loadContext({ ...env, ELEVATE_CREDENTIALS_CACHE: '0' }),
      minutes: 30,
    });
    expect(q.spec.cacheCredentials).toBe(false);
    await cli(['credentials', '--session', q.spec.sessionId], sessionEnv(q));
    await cli(['credentials', '--session', q.spec.sessionId], sessionEnv(q));
    expect(server.callCount('AssumeRole')).toBe(6);
    expect(fs.existsSync(path.join(q.dir, 'cache.json'))).toBe(false);
  });

  it('works for the real AWS SDK v3 (fromIni on the generated config) → the elevated role', async () => {
    const p = prepare(30);
    const arn = await sdkCallerArn(p);
    expect(arn).toBe(`arn:aws:sts::111111111111:assumed-role/Elevated/${p.spec.roleSessionName}`);
  });

  it.skipIf(!hasAwsCli)(
    'works for the real Debian AWS CLI v2 (/usr/bin/aws sts get-caller-identity) → the elevated role; other profiles are unreachable (skipped: no /usr/bin/aws)',
    async () => {
      const p = prepare(30);
      const r = await awsCli(['sts', 'get-caller-identity'], sessionEnv(p));
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout).Arn).toBe(
        `arn:aws:sts::111111111111:assumed-role/Elevated/${p.spec.roleSessionName}`,
      );
      // Without AWS_PROFILE the [default] section is the same identity.
      const { AWS_PROFILE: _drop, ...noProfile } = sessionEnv(p);
      const d = await awsCli(['sts', 'get-caller-identity'], noProfile);
      expect(JSON.parse(d.stdout).Arn).toContain(p.spec.roleSessionName);
      // The user's other profiles do not exist for the session.
      const other = await awsCli(['sts', 'get-caller-identity', '--profile', 'admin'], sessionEnv(p));
      expect(other.code).not.toBe(0);
      expect(other.stderr).toMatch(/could not be found/);
    },
    60_000,
  );

  it('DurationSeconds: 15 min → 900, 60 min → ≤3600, 10 min left → the 900 floor (audited overrun)', async () => {
    const p15 = prepare(15);
    await cli(['credentials', '--session', p15.spec.sessionId], sessionEnv(p15));
    const p60 = prepare(60);
    await cli(['credentials', '--session', p60.spec.sessionId], sessionEnv(p60));
    const p10 = prepare(30);
    setDeadline(p10, new Date(Date.now() + 10 * 60_000));
    await cli(['credentials', '--session', p10.spec.sessionId], sessionEnv(p10));
    const elevated = server.assumeRoleCalls
      .filter((c) => c.roleArn === ELEVATED_ROLE)
      .map((c) => c.durationSeconds);
    expect(elevated).toHaveLength(3);
    expect(elevated[0]).toBe(900); // 899.x s left, raised to the floor
    expect(elevated[1]).toBeGreaterThanOrEqual(3595);
    expect(elevated[1]).toBeLessThanOrEqual(3600);
    expect(elevated[2]).toBe(900);
    const over = readAudit(env)
      .filter((a) => a.type === 'elevation-issue')
      .at(-1);
    // 600 s minus the test's elapsed time, floored → 299..301 s past the deadline.
    expect(over?.outlivesDeadlineBy as number).toBeGreaterThan(295);
    expect(over?.outlivesDeadlineBy as number).toBeLessThanOrEqual(301);
  });

  it('near the deadline it reuses cached credentials that already reach it instead of extending past it', async () => {
    const p = prepare(30);
    await cli(['credentials', '--session', p.spec.sessionId], sessionEnv(p));
    // 3 minutes left: the cached credentials (expiring at the deadline) are inside the 5-minute margin, but
    // a refresh would be floored to 900 s and outlive the deadline, so they are reused.
    setDeadline(p, new Date(Date.now() + 3 * 60_000));
    const spec = readElevation(p.spec.sessionId, env);
    const cache = JSON.parse(fs.readFileSync(path.join(p.dir, 'cache.json'), 'utf8'));
    cache.credentials.Expiration = spec.deadline;
    fs.writeFileSync(path.join(p.dir, 'cache.json'), JSON.stringify(cache));
    const r = await cli(['credentials', '--session', p.spec.sessionId], sessionEnv(p));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).Expiration).toBe(spec.deadline);
    expect(server.callCount('AssumeRole')).toBe(2);
    // Both consumers accept credentials that expire within their refresh windows (SDK 5 min, CLI 15/10 min).
    expect(await sdkCallerArn(p)).toContain(p.spec.roleSessionName);
    if (hasAwsCli) {
      const a = await awsCli(['sts', 'get-caller-identity'], sessionEnv(p));
      expect(a.stderr).toBe('');
      expect(JSON.parse(a.stdout).Arn).toContain(p.spec.roleSessionName);
    }
    expect(server.callCount('AssumeRole')).toBe(2);
  });

  it('after the deadline: CLI exits 1 with "elevation expired at …", the SDK and AWS CLI fail with it, cache removed, expiry audited once', async () => {
    const p = prepare(30);
    await cli(['credentials', '--session', p.spec.sessionId], sessionEnv(p));
    expect(fs.existsSync(path.join(p.dir, 'cache.json'))).toBe(true);
    const past = new Date(Date.now() - 1000);
    setDeadline(p, past);
    const calls = server.callCount('AssumeRole');

    const r = await cli(['credentials', '--session', p.spec.sessionId], sessionEnv(p));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `elevate: elevation expired at ${past.toISOString()} (session ${p.spec.sessionId}, profile claudecode-elevated); approve the plan again in Elevate for a new elevation\n`,
    );
    expect(fs.existsSync(path.join(p.dir, 'cache.json'))).toBe(false);

    await expect(sdkCallerArn(p)).rejects.toThrow(/elevation expired at/);
    if (hasAwsCli) {
      const a = await awsCli(['sts', 'get-caller-identity'], sessionEnv(p));
      expect(a.code).not.toBe(0);
      expect(a.stderr).toMatch(/elevation expired at/);
    }
    expect(server.callCount('AssumeRole')).toBe(calls);
    expect(readAudit(env).filter((a) => a.type === 'expiry')).toMatchObject([
      { sessionId: p.spec.sessionId, roleSessionName: p.spec.roleSessionName, by: 'credentials' },
    ]);
  }, 60_000);

  it('sweepElevationCaches removes cached secrets of elevations that are over, keeps live ones', async () => {
    const live = prepare(30);
    const over = prepare(30);
    await cli(['credentials', '--session', live.spec.sessionId], sessionEnv(live));
    await cli(['credentials', '--session', over.spec.sessionId], sessionEnv(over));
    setDeadline(over, new Date(Date.now() - 1000));
    expect(sweepElevationCaches(env)).toEqual([over.spec.sessionId]);
    expect(fs.existsSync(path.join(over.dir, 'cache.json'))).toBe(false);
    expect(fs.existsSync(path.join(live.dir, 'cache.json'))).toBe(true);
  });

  it('refuses once the session was dropped (session spec ended)', async () => {
    const p = prepare(30);
    writeSession(
      {
        id: p.spec.sessionId,
        kind: 'claude',
        tier: 'elevated',
        profile: 'claudecode-elevated',
        cwd: dir,
        argv: ['claude'],
        env: { set: {}, unset: [] },
        title: 't',
        createdAt: new Date().toISOString(),
        endedAt: '2026-11-24T12:00:00.000Z',
        endReason: 'dropped',
      },
      env,
    );
    const r = await cli(['credentials', '--session', p.spec.sessionId], sessionEnv(p));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('elevation was dropped at 2026-11-24T12:00:00.000Z');
    expect(server.callCount('AssumeRole')).toBe(0);
  });

  it('retries without SourceIdentity when the role refuses sts:SetSourceIdentity, and remembers it', async () => {
    server.setSourceIdentityAllowed(false);
    const p = prepare(30);
    const r = await cli(['credentials', '--session', p.spec.sessionId], {
      ...sessionEnv(p),
      ELEVATE_CREDENTIALS_CACHE: '0',
    });
    expect(r.code).toBe(0);
    const el = server.assumeRoleCalls.filter((c) => c.roleArn === ELEVATED_ROLE);
    expect(el.map((c) => [c.sourceIdentity, c.granted, c.errorCode])).toEqual([
      [p.spec.roleSessionName, false, 'AccessDenied'],
      [undefined, true, undefined],
    ]);
    const spec = readElevation(p.spec.sessionId, env);
    expect(spec.sourceIdentity).toBe(false);
    expect(spec.notes.join(' ')).toContain('sts:SetSourceIdentity');
    expect(readAudit(env).find((a) => a.type === 'elevation-issue')?.sourceIdentity).toBeNull();
  });

  it('passes external_id, and reports a denied role clearly', async () => {
    const cfg = env.AWS_CONFIG_FILE!;
    fs.appendFileSync(cfg, '');
    fs.writeFileSync(
      cfg,
      fs
        .readFileSync(cfg, 'utf8')
        .replace('role_session_name = claude-el', 'role_session_name = claude-el\nexternal_id = ext-123'),
    );
    const p = prepare(30);
    expect(p.spec.externalId).toBe('ext-123');
    const ok = await cli(['credentials', '--session', p.spec.sessionId], sessionEnv(p));
    expect(ok.code).toBe(0);
    const assumeReq = server.requests.filter((q) => q.action === 'AssumeRole').at(-1);
    expect(assumeReq?.params.ExternalId).toBe('ext-123');

    server.denyAssumeRole(ELEVATED_ROLE);
    const q = prepare(30);
    const r = await cli(['credentials', '--session', q.spec.sessionId], sessionEnv(q));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /AssumeRole arn:aws:iam::111111111111:role\/Elevated as claude-el-\w+ failed: AccessDenied/,
    );
  });

  it('mfa_serial on the elevated profile: fetched once at launch with the code, then served from the cache; never prompts', async () => {
    const cfg = env.AWS_CONFIG_FILE!;
    fs.writeFileSync(
      cfg,
      fs
        .readFileSync(cfg, 'utf8')
        .replace(
          'role_session_name = claude-el',
          'role_session_name = claude-el\nmfa_serial = arn:aws:iam::111111111111:mfa/me',
        ),
    );
    server.requireMfa(ELEVATED_ROLE, '123456');
    const p = prepare(30);
    expect(p.spec.mfaSerial).toBe('arn:aws:iam::111111111111:mfa/me');
    // credential_process without a cache: a clear refusal, no STS call for the elevated role.
    const noCode = await cli(['credentials', '--session', p.spec.sessionId], sessionEnv(p));
    expect(noCode.code).toBe(1);
    expect(noCode.stderr).toMatch(/needs an MFA code .*credential_process cannot prompt/);
    expect(server.assumeRoleCalls.filter((c) => c.roleArn === ELEVATED_ROLE)).toHaveLength(0);
    // What a handoff does at launch (elevate handoff --mfa-code): one AssumeRole with the code.
    const first = await withProcessEnv(env, () =>
      issueCredentials(p.spec.sessionId, env, { mfaCode: '123456' }),
    );
    expect(first.fromCache).toBe(false);
    expect(server.assumeRoleCalls.filter((c) => c.roleArn === ELEVATED_ROLE)).toMatchObject([
      { serialNumber: 'arn:aws:iam::111111111111:mfa/me', tokenCode: '123456', granted: true },
    ]);
    const later = await cli(['credentials', '--session', p.spec.sessionId], sessionEnv(p));
    expect(later.code).toBe(0);
    expect(JSON.parse(later.stdout).AccessKeyId).toBe(first.credentials.AccessKeyId);
  });

  it('usage errors: missing --session (exit 2), unknown session (exit 1)', async () => {
    expect((await cli(['credentials'], env)).code).toBe(2);
    const r = await cli(['credentials', '--session', '20261124000000-deadbeef'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no elevation for session "20261124000000-deadbeef"/);
  });
});
