// The local AWS endpoint (tests/helpers/awsServer.ts) exercised through the real AWS SDK v3 clients
// (and the real AWS CLI v2 when installed), so the wire protocols and SigV4 checks are the genuine ones.
import { execFile } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
  SSMClient,
  StartSessionCommand,
  TerminateSessionCommand,
} from '@aws-sdk/client-ssm';
import { fromIni } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  awsTestEnv,
  startAwsServer,
  verifySigV4,
  type AwsServer,
  type SigV4Request,
} from '../helpers/awsServer';

const execFileP = promisify(execFile);

const BASE = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const ALICE = {
  accessKeyId: 'AKIAALICEALICEALICE1',
  secretAccessKey: 'alice-secret-alice-secret-alice-secret-1',
  arn: 'arn:aws:iam::111111111111:user/alice',
};
const READONLY_ROLE = 'arn:aws:iam::111111111111:role/ReadOnly';
const ELEVATED_ROLE = 'arn:aws:iam::111111111111:role/elevate/Elevated';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

function sts(server: AwsServer, credentials: Creds = BASE, extra: { maxAttempts?: number } = {}): STSClient {
  return new STSClient({ region: 'us-east-1', endpoint: server.url, credentials, ...extra });
}
function ssm(server: AwsServer, credentials: Creds = BASE, extra: { maxAttempts?: number } = {}): SSMClient {
  return new SSMClient({ region: 'eu-west-1', endpoint: server.url, credentials, ...extra });
}

async function assumeRole(server: AwsServer, creds: Creds, roleArn: string, session: string): Promise<Creds> {
  const out = await sts(server, creds).send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: session }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('no credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/** Resolves with the error a promise rejects with (fails the test if it resolves). */
async function errorOf(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
}

type SourceData = string | ArrayBuffer | ArrayBufferView;
const toBytes = (d: SourceData): string | Uint8Array =>
  typeof d === 'string'
    ? d
    : ArrayBuffer.isView(d)
      ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
      : new Uint8Array(d);

/** The `sha256` constructor the SDK signer expects, backed by node:crypto. */
class NodeSha256 {
  private h;
  constructor(secret?: SourceData) {
    this.h = secret ? createHmac('sha256', toBytes(secret)) : createHash('sha256');
  }
  update(data: SourceData): void {
    this.h.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {}
}

/** A request handler that captures the fully signed request instead of sending it. */
function capturingHandler(): { handler: never; last: () => SigV4Request } {
  let captured: { method: string; path: string; headers: Record<string, string>; body?: unknown } | undefined;
  const handler = {
    metadata: { handlerProtocol: 'http/1.1' },
    handle: async (req: typeof captured) => {
      captured = req;
      throw new Error('captured');
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };
  return {
    handler: handler as never,
    last: () => {
      if (!captured) throw new Error('nothing captured');
      return {
        method: captured.method,
        url: captured.path,
        headers: { ...captured.headers },
        body: String(captured.body ?? ''),
      };
    },
  };
}

describe('verifySigV4', () => {
  const secretOf = (akid: string) => (akid === BASE.accessKeyId ? BASE.secretAccessKey : undefined);

  it('accepts a request signed by the real STS and SSM clients and rejects tampering', async () => {
    const cap = capturingHandler();
    const client = new STSClient({
      region: 'eu-central-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { ...BASE, sessionToken: 'tok/with+chars=' },
      requestHandler: cap.handler,
      maxAttempts: 1,
    });
    await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toThrow('captured');
    const signed = cap.last();
    const ok = verifySigV4(signed, secretOf);
    expect(ok).toMatchObject({
      ok: true,
      accessKeyId: BASE.accessKeyId,
      region: 'eu-central-1',
      service: 'sts',
    });
    expect(ok.ok && ok.signedHeaders).toContain('host');
    expect(ok.ok && ok.signedHeaders).toContain('x-amz-security-token');

    expect(verifySigV4({ ...signed, body: `${String(signed.body)}&Extra=1` }, secretOf)).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
    expect(
      verifySigV4({ ...signed, headers: { ...signed.headers, 'x-amz-security-token': 'other' } }, secretOf),
    ).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(verifySigV4(signed, () => 'not-the-secret')).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(verifySigV4(signed, () => undefined)).toMatchObject({ ok: false, reason: 'unknown-key' });
    expect(verifySigV4({ ...signed, headers: { host: 'x' } }, secretOf)).toMatchObject({
      ok: false,
      reason: 'missing',
    });

    const capSsm = capturingHandler();
    const ssmClient = new SSMClient({
      region: 'ap-south-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: BASE,
      requestHandler: capSsm.handler,
      maxAttempts: 1,
    });
    await expect(ssmClient.send(new DescribeInstanceInformationCommand({ MaxResults: 5 }))).rejects.toThrow(
      'captured',
    );
    expect(verifySigV4(capSsm.last(), secretOf)).toMatchObject({
      ok: true,
      region: 'ap-south-1',
      service: 'ssm',
    });
  });

  it('canonicalises an encoded path and an unsorted query exactly like the SDK signer', async () => {
    const signer = new SignatureV4({
      credentials: BASE,
      region: 'us-west-2',
      service: 'ssm',
      sha256: NodeSha256,
    });
    const signed = await signer.sign({
      method: 'GET',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 8080,
      path: '/a%20b/c/',
      query: { zeta: 'last value', alpha: ['2', '1'], 'with space': 'x/y' },
      headers: { host: '127.0.0.1:8080', 'X-Custom': '  spaced   value ' },
      body: '',
    });
    const url = '/a%20b/c/?zeta=last%20value&alpha=2&alpha=1&with%20space=x%2Fy';
    const req: SigV4Request = { method: 'GET', url, headers: signed.headers, body: '' };
    expect(verifySigV4(req, secretOf)).toMatchObject({ ok: true, region: 'us-west-2', service: 'ssm' });
    expect(verifySigV4({ ...req, url: url.replace('alpha=1', 'alpha=3') }, secretOf)).toMatchObject({
      ok: false,
    });
  });
});

describe('awsServer via the real SDK v3', () => {
  let server: AwsServer;
  beforeEach(async () => {
    server = await startAwsServer({ staticKeys: [BASE, ALICE] });
  });
  afterEach(async () => {
    await server.close();
  });

  it('GetCallerIdentity returns the static identity (default and configured ARN)', async () => {
    const base = await sts(server).send(new GetCallerIdentityCommand({}));
    expect(base.Account).toBe('123456789012');
    expect(base.Arn).toBe('arn:aws:iam::123456789012:user/test');
    expect(base.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    const alice = await sts(server, ALICE).send(new GetCallerIdentityCommand({}));
    expect(alice).toMatchObject({ Account: '111111111111', Arn: ALICE.arn });
    expect(server.requests.map((r) => [r.service, r.action, r.accessKeyId, r.region])).toEqual([
      ['sts', 'GetCallerIdentity', BASE.accessKeyId, 'us-east-1'],
      ['sts', 'GetCallerIdentity', ALICE.accessKeyId, 'us-east-1'],
    ]);
    expect(server.callCount('GetCallerIdentity')).toBe(2);
  });

  it('rejects a wrong secret with SignatureDoesNotMatch and an unknown key with InvalidClientTokenId', async () => {
    const wrong = await errorOf(
      sts(server, { ...BASE, secretAccessKey: 'not-the-secret' }, { maxAttempts: 1 }).send(
        new GetCallerIdentityCommand({}),
      ),
    );
    expect(wrong.name).toBe('SignatureDoesNotMatch');
    expect(wrong.message).toMatch(/signature we calculated does not match/);
    expect(wrong.$metadata?.httpStatusCode).toBe(403);

    const unknown = await errorOf(
      sts(server, { accessKeyId: 'AKIANOBODY0000000000', secretAccessKey: 'x' }).send(
        new GetCallerIdentityCommand({}),
      ),
    );
    expect(unknown.name).toBe('InvalidClientTokenId');
    expect(unknown.$metadata?.httpStatusCode).toBe(403);

    const ssmWrong = await errorOf(
      ssm(server, { ...BASE, secretAccessKey: 'nope' }, { maxAttempts: 1 }).send(
        new DescribeInstanceInformationCommand({}),
      ),
    );
    expect(ssmWrong.name).toBe('InvalidSignatureException');
    expect(ssmWrong.$metadata?.httpStatusCode).toBe(400);
    const ssmUnknown = await errorOf(
      ssm(server, { accessKeyId: 'AKIANOBODY0000000000', secretAccessKey: 'x' }).send(
        new DescribeInstanceInformationCommand({}),
      ),
    );
    expect(ssmUnknown.name).toBe('UnrecognizedClientException');
    expect(server.requests.map((r) => r.errorCode)).toEqual([
      'SignatureDoesNotMatch',
      'InvalidClientTokenId',
      'InvalidSignatureException',
      'UnrecognizedClientException',
    ]);
  });

  it('issues working temporary credentials and requires their session token', async () => {
    const creds = await assumeRole(server, BASE, READONLY_ROLE, 'ro-sess');
    expect(creds.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    const me = await sts(server, creds).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe('arn:aws:sts::111111111111:assumed-role/ReadOnly/ro-sess');
    expect(me.UserId).toMatch(/^AROA[A-Z2-7]{17}:ro-sess$/);
    expect(me.Account).toBe('111111111111');

    const noToken = await errorOf(
      sts(server, { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey }).send(
        new GetCallerIdentityCommand({}),
      ),
    );
    expect(noToken.name).toBe('InvalidClientTokenId');
    const badToken = await errorOf(
      ssm(server, { ...creds, sessionToken: 'forged' }).send(new DescribeInstanceInformationCommand({})),
    );
    expect(badToken.name).toBe('UnrecognizedClientException');
  });

  it('resolves a fromIni chain elevated → readonly → base through AWS_ENDPOINT_URL_STS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-ini-'));
    const saved = { ...process.env };
    try {
      const configFile = join(dir, 'config');
      const credentialsFile = join(dir, 'credentials');
      writeFileSync(
        configFile,
        [
          '[profile elevated]',
          `role_arn = ${ELEVATED_ROLE}`,
          'source_profile = readonly',
          'role_session_name = el-sess',
          '',
          '[profile readonly]',
          `role_arn = ${READONLY_ROLE}`,
          'source_profile = base',
          'role_session_name = ro-sess',
          '',
        ].join('\n'),
      );
      writeFileSync(
        credentialsFile,
        `[base]\naws_access_key_id = ${BASE.accessKeyId}\naws_secret_access_key = ${BASE.secretAccessKey}\n`,
      );
      Object.assign(process.env, awsTestEnv(server), {
        AWS_CONFIG_FILE: configFile,
        AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      });
      delete process.env.AWS_PROFILE;
      const credentials = fromIni({
        profile: 'elevated',
        filepath: credentialsFile,
        configFilepath: configFile,
      });
      const me = await new STSClient({ region: 'us-east-1', endpoint: server.url, credentials }).send(
        new GetCallerIdentityCommand({}),
      );
      expect(me.Arn).toBe('arn:aws:sts::111111111111:assumed-role/Elevated/el-sess');
      expect(
        server.assumeRoleCalls.map((c) => [c.roleArn, c.roleSessionName, c.callerArn, c.granted]),
      ).toEqual([
        [READONLY_ROLE, 'ro-sess', 'arn:aws:iam::123456789012:user/test', true],
        [ELEVATED_ROLE, 'el-sess', 'arn:aws:sts::111111111111:assumed-role/ReadOnly/ro-sess', true],
      ]);
      // The second AssumeRole was signed with the first hop's temporary key.
      const hops = server.requests.filter((r) => r.action === 'AssumeRole');
      expect(hops.map((r) => r.accessKeyId)).toEqual([
        BASE.accessKeyId,
        server.issuedCredentials[0]?.accessKeyId,
      ]);
      expect(server.callCount('AssumeRole')).toBe(2);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('points the fromIni role assumer at the server through clientConfig.endpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-ini-'));
    try {
      const configFile = join(dir, 'config');
      const credentialsFile = join(dir, 'credentials');
      writeFileSync(
        configFile,
        `[profile ro]\nrole_arn = ${READONLY_ROLE}\nsource_profile = alice\nrole_session_name = cfg-sess\n`,
      );
      writeFileSync(
        credentialsFile,
        `[alice]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`,
      );
      const provider = fromIni({
        profile: 'ro',
        filepath: credentialsFile,
        configFilepath: configFile,
        clientConfig: { endpoint: server.url, region: 'us-east-1' },
      });
      const creds = await provider();
      expect(creds.accessKeyId).toMatch(/^ASIA/);
      expect(creds.expiration?.getTime()).toBeGreaterThan(Date.now() + 3500_000);
      expect(server.assumeRoleCalls).toMatchObject([
        { roleArn: READONLY_ROLE, roleSessionName: 'cfg-sess', callerArn: ALICE.arn },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers AccessDenied for a denied role, quoting caller and role', async () => {
    server.denyAssumeRole(ELEVATED_ROLE);
    const err = await errorOf(
      sts(server).send(new AssumeRoleCommand({ RoleArn: ELEVATED_ROLE, RoleSessionName: 'try-it' })),
    );
    expect(err.name).toBe('AccessDenied');
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(err.message).toBe(
      `User: arn:aws:iam::123456789012:user/test is not authorized to perform: sts:AssumeRole on resource: ${ELEVATED_ROLE}`,
    );
    expect(server.assumeRoleCalls).toMatchObject([
      { roleArn: ELEVATED_ROLE, granted: false, errorCode: 'AccessDenied' },
    ]);
    // Other roles are unaffected, and allowAssumeRole lifts the denial.
    await expect(assumeRole(server, BASE, READONLY_ROLE, 'fine')).resolves.toMatchObject({
      accessKeyId: /^ASIA/,
    });
    server.allowAssumeRole(ELEVATED_ROLE);
    await expect(assumeRole(server, BASE, ELEVATED_ROLE, 'now-ok')).resolves.toMatchObject({
      accessKeyId: /^ASIA/,
    });
  });

  it('validates DurationSeconds and session names, and limits chained sessions to one hour', async () => {
    const client = sts(server);
    const long = await client.send(
      new AssumeRoleCommand({ RoleArn: READONLY_ROLE, RoleSessionName: 'direct', DurationSeconds: 7200 }),
    );
    expect(long.Credentials?.Expiration?.getTime()).toBeGreaterThan(Date.now() + 7100_000);

    const chained = await assumeRole(server, BASE, READONLY_ROLE, 'hop-1');
    const err = await errorOf(
      sts(server, chained).send(
        new AssumeRoleCommand({ RoleArn: ELEVATED_ROLE, RoleSessionName: 'hop-2', DurationSeconds: 7200 }),
      ),
    );
    expect(err.name).toBe('ValidationError');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.message).toBe(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    const ok = await sts(server, chained).send(
      new AssumeRoleCommand({ RoleArn: ELEVATED_ROLE, RoleSessionName: 'hop-2', DurationSeconds: 3600 }),
    );
    expect(ok.AssumedRoleUser?.Arn).toBe('arn:aws:sts::111111111111:assumed-role/Elevated/hop-2');

    const short = await errorOf(
      client.send(
        new AssumeRoleCommand({ RoleArn: READONLY_ROLE, RoleSessionName: 'ab', DurationSeconds: 600 }),
      ),
    );
    expect(short.name).toBe('ValidationError');
    expect(short.message).toMatch(/durationSeconds.*greater than or equal to 900/);
    const badName = await errorOf(
      client.send(new AssumeRoleCommand({ RoleArn: READONLY_ROLE, RoleSessionName: 'has space' })),
    );
    expect(badName.name).toBe('ValidationError');
    expect(badName.message).toMatch(/roleSessionName/);
    expect(server.assumeRoleCalls.map((c) => c.durationSeconds)).toEqual([7200, 3600, 7200, 3600, 600, 3600]);
  });

  it('enforces MFA and the SourceIdentity switch', async () => {
    server.requireMfa(ELEVATED_ROLE, '123456');
    const client = sts(server);
    const noMfa = await errorOf(
      client.send(new AssumeRoleCommand({ RoleArn: ELEVATED_ROLE, RoleSessionName: 'mfa' })),
    );
    expect(noMfa.name).toBe('AccessDenied');
    const wrongCode = await errorOf(
      client.send(
        new AssumeRoleCommand({
          RoleArn: ELEVATED_ROLE,
          RoleSessionName: 'mfa',
          SerialNumber: 'arn:aws:iam::123456789012:mfa/test',
          TokenCode: '654321',
        }),
      ),
    );
    expect(wrongCode.message).toMatch(/invalid MFA one time pass code/);
    const withMfa = await client.send(
      new AssumeRoleCommand({
        RoleArn: ELEVATED_ROLE,
        RoleSessionName: 'mfa',
        SerialNumber: 'arn:aws:iam::123456789012:mfa/test',
        TokenCode: '123456',
        SourceIdentity: 'alice@example.com',
      }),
    );
    expect(withMfa.SourceIdentity).toBe('alice@example.com');

    server.setSourceIdentityAllowed(false);
    const si = await errorOf(
      client.send(
        new AssumeRoleCommand({ RoleArn: READONLY_ROLE, RoleSessionName: 'si', SourceIdentity: 'alice' }),
      ),
    );
    expect(si.name).toBe('AccessDenied');
    expect(si.message).toContain('sts:SetSourceIdentity');
    expect(server.assumeRoleCalls.map((c) => [c.granted, c.sourceIdentity])).toEqual([
      [false, undefined],
      [false, undefined],
      [true, 'alice@example.com'],
      [false, 'alice'],
    ]);
  });

  it('expires issued credentials on the server clock (ExpiredToken / ExpiredTokenException)', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const timed = await startAwsServer({ staticKeys: [BASE], now: () => clock });
    try {
      const out = await sts(timed).send(
        new AssumeRoleCommand({ RoleArn: READONLY_ROLE, RoleSessionName: 'short', DurationSeconds: 900 }),
      );
      expect(out.Credentials?.Expiration?.toISOString()).toBe('2030-01-01T00:15:00.000Z');
      const c = out.Credentials;
      const creds = {
        accessKeyId: c?.AccessKeyId ?? '',
        secretAccessKey: c?.SecretAccessKey ?? '',
        sessionToken: c?.SessionToken,
      };
      await expect(sts(timed, creds).send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
        Account: '111111111111',
      });
      clock += 901_000;
      const stsErr = await errorOf(sts(timed, creds).send(new GetCallerIdentityCommand({})));
      expect(stsErr.name).toBe('ExpiredToken');
      expect(stsErr.message).toBe('The security token included in the request is expired');
      expect(stsErr.$metadata?.httpStatusCode).toBe(400);
      const ssmErr = await errorOf(ssm(timed, creds).send(new DescribeInstanceInformationCommand({})));
      expect(ssmErr.name).toBe('ExpiredTokenException');
      expect(timed.requests.at(-1)).toMatchObject({ time: clock, errorCode: 'ExpiredTokenException' });
    } finally {
      await timed.close();
    }
  });

  it('DescribeInstanceInformation filters by tag prefix, ping status and instance ids', async () => {
    const lastPing = Date.parse('2030-05-06T07:08:09.250Z');
    server.addInstance({
      instanceId: 'i-0web1',
      tags: { Name: 'web-1', env: 'prod' },
      lastPingDateTime: lastPing,
    });
    server.addInstance({
      instanceId: 'i-0web2',
      tags: { Name: 'web-2' },
      platformName: 'Amazon Linux',
      agentVersion: '3.2.0.0',
    });
    server.addInstance({ instanceId: 'i-0db1', tags: { Name: 'db-1', env: 'prod' } });
    const client = ssm(server);

    const web = await client.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'tag:Name', Values: ['web-*'] }] }),
    );
    expect(web.InstanceInformationList?.map((i) => i.InstanceId)).toEqual(['i-0web1', 'i-0web2']);
    const first = web.InstanceInformationList?.[0];
    expect(first?.LastPingDateTime).toEqual(new Date(lastPing));
    expect(first).toMatchObject({
      PingStatus: 'Online',
      PlatformType: 'Linux',
      PlatformName: 'Ubuntu',
      ComputerName: /ip-10-0-0-/,
    });
    expect(web.InstanceInformationList?.[1]).toMatchObject({
      PlatformName: 'Amazon Linux',
      AgentVersion: '3.2.0.0',
    });

    server.setPingStatus('i-0web2', 'ConnectionLost');
    const online = await client.send(
      new DescribeInstanceInformationCommand({
        Filters: [
          { Key: 'tag-key', Values: ['Name'] },
          { Key: 'PingStatus', Values: ['Online'] },
        ],
      }),
    );
    expect(online.InstanceInformationList?.map((i) => i.InstanceId)).toEqual(['i-0web1', 'i-0db1']);
    const byId = await client.send(
      new DescribeInstanceInformationCommand({
        InstanceInformationFilterList: [{ key: 'InstanceIds', valueSet: ['i-0db1'] }],
      }),
    );
    expect(byId.InstanceInformationList?.map((i) => i.InstanceId)).toEqual(['i-0db1']);
    const none = await client.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'tag:Name', Values: ['web'] }] }),
    );
    expect(none.InstanceInformationList).toEqual([]);
    expect(server.requests.filter((r) => r.service === 'ssm').map((r) => r.region)).toEqual(
      Array(4).fill('eu-west-1'),
    );
  });

  it('SendCommand + GetCommandInvocation: InvocationDoesNotExist first, then the scripted progress', async () => {
    server.addInstance({ instanceId: 'i-0abc', tags: { Name: 'box' } });
    server.scriptCommand('i-0abc', [
      { status: 'Pending' },
      { status: 'InProgress', stdout: 'half' },
      { status: 'Failed', responseCode: 2, stdout: 'out', stderr: 'boom' },
    ]);
    server.invocationNotYet(1);
    const client = ssm(server);
    const sent = await client.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: ['i-0abc'],
        Parameters: { commands: ['cloud-init status --format json'] },
        TimeoutSeconds: 60,
      }),
    );
    const commandId = sent.Command?.CommandId ?? '';
    expect(commandId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.Command).toMatchObject({
      Status: 'Pending',
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: ['i-0abc'],
    });
    expect(server.sendCommandCalls).toMatchObject([
      {
        commandId,
        instanceIds: ['i-0abc'],
        commands: ['cloud-init status --format json'],
        timeoutSeconds: 60,
      },
    ]);

    const get = () =>
      client.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: 'i-0abc' }));
    expect((await errorOf(get())).name).toBe('InvocationDoesNotExist');
    const seen = [];
    for (let i = 0; i < 4; i++) {
      const r = await get();
      seen.push([r.Status, r.ResponseCode, r.StandardOutputContent, r.StandardErrorContent]);
    }
    expect(seen).toEqual([
      ['Pending', -1, '', ''],
      ['InProgress', -1, 'half', ''],
      ['Failed', 2, 'out', 'boom'],
      ['Failed', 2, 'out', 'boom'],
    ]);
    expect(server.callCount('GetCommandInvocation')).toBe(5);

    // Without a script: one Success step carrying cloud-init's JSON status.
    server.addInstance({ instanceId: 'i-0def' });
    server.invocationNotYet(0);
    const plain = await client.send(
      new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0def'] }),
    );
    const done = await client.send(
      new GetCommandInvocationCommand({ CommandId: plain.Command?.CommandId, InstanceId: 'i-0def' }),
    );
    expect(done).toMatchObject({ Status: 'Success', StatusDetails: 'Success', ResponseCode: 0 });
    expect(JSON.parse(done.StandardOutputContent ?? '')).toMatchObject({ status: 'done' });

    const bad = await errorOf(
      client.send(
        new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0missing'] }),
      ),
    );
    expect(bad.name).toBe('InvalidInstanceId');
  });

  it('ThrottlingException is retried by the SDK and then succeeds', async () => {
    server.addInstance({ instanceId: 'i-0t' });
    server.throttleNext(2, 'DescribeInstanceInformation');
    const out = await ssm(server).send(new DescribeInstanceInformationCommand({}));
    expect(out.InstanceInformationList?.map((i) => i.InstanceId)).toEqual(['i-0t']);
    expect(server.callCount('DescribeInstanceInformation')).toBe(3);
    expect(server.requests.map((r) => r.errorCode)).toEqual([
      'ThrottlingException',
      'ThrottlingException',
      undefined,
    ]);

    server.throttleNext(1);
    const err = await errorOf(
      ssm(server, BASE, { maxAttempts: 1 }).send(new TerminateSessionCommand({ SessionId: 's-1' })),
    );
    expect(err.name).toBe('ThrottlingException');
    expect(err.message).toBe('Rate exceeded');
  }, 20_000);

  it('StartSession returns SessionId, TokenValue and a regional StreamUrl; TerminateSession echoes the id', async () => {
    server.addInstance({ instanceId: 'i-0sess' });
    const client = ssm(server);
    const out = await client.send(
      new StartSessionCommand({
        Target: 'i-0sess',
        DocumentName: 'AWS-StartPortForwardingSession',
        Parameters: { portNumber: ['22'], localPortNumber: ['2222'] },
        Reason: 'debugging',
      }),
    );
    expect(out.SessionId).toMatch(/^test-[0-9a-f]{17}$/);
    expect(out.TokenValue?.length).toBeGreaterThan(20);
    expect(out.StreamUrl).toBe(
      `wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/${out.SessionId}?role=publish_subscribe`,
    );
    expect(server.startSessionCalls).toMatchObject([
      {
        sessionId: out.SessionId,
        target: 'i-0sess',
        documentName: 'AWS-StartPortForwardingSession',
        reason: 'debugging',
      },
    ]);
    const term = await client.send(new TerminateSessionCommand({ SessionId: out.SessionId }));
    expect(term.SessionId).toBe(out.SessionId);
    expect(server.terminateSessionCalls).toEqual([
      { sessionId: out.SessionId, callerArn: 'arn:aws:iam::123456789012:user/test' },
    ]);

    server.setPingStatus('i-0sess', 'ConnectionLost');
    const offline = await errorOf(client.send(new StartSessionCommand({ Target: 'i-0sess' })));
    expect(offline.name).toBe('TargetNotConnected');
  });

  it('denySsm answers AccessDeniedException; an unknown X-Amz-Target answers UnknownOperationException', async () => {
    server.addInstance({ instanceId: 'i-0deny' });
    server.denySsm('SendCommand');
    const client = ssm(server, ALICE, { maxAttempts: 1 });
    const denied = await errorOf(
      client.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0deny'] })),
    );
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toMatch(
      /^User: arn:aws:iam::111111111111:user\/alice is not authorized to perform: ssm:SendCommand on resource: arn:aws:ec2:eu-west-1:111111111111:instance\/i-0deny/,
    );
    await expect(client.send(new DescribeInstanceInformationCommand({}))).resolves.toBeDefined();

    const odd = ssm(server);
    odd.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers['x-amz-target'] =
          'AmazonSSM.DeleteEverything';
        return next(args);
      },
      { step: 'build' },
    );
    const unknown = await errorOf(odd.send(new DescribeInstanceInformationCommand({})));
    expect(unknown.name).toBe('UnknownOperationException');
    expect(server.requests.at(-1)).toMatchObject({
      action: 'DeleteEverything',
      errorCode: 'UnknownOperationException',
    });
  });

  it('awsTestEnv points every SDK endpoint variable at the server', () => {
    expect(awsTestEnv(server, { AWS_PROFILE: 'x' })).toEqual({
      AWS_ENDPOINT_URL: server.url,
      AWS_ENDPOINT_URL_STS: server.url,
      AWS_ENDPOINT_URL_SSM: server.url,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PROFILE: 'x',
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

const hasCli = existsSync('/usr/bin/aws');

describe('awsServer via the real AWS CLI v2', () => {
  let server: AwsServer;
  let dir: string;
  beforeEach(async () => {
    server = await startAwsServer({ staticKeys: [BASE, ALICE] });
    dir = mkdtempSync(join(tmpdir(), 'aws-cli-'));
    writeFileSync(join(dir, 'config'), '');
    writeFileSync(join(dir, 'credentials'), '');
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function aws(args: string[], creds: Creds = BASE): Promise<Record<string, unknown>> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      ...(creds.sessionToken ? { AWS_SESSION_TOKEN: creds.sessionToken } : {}),
    };
    const { stdout } = await execFileP(
      '/usr/bin/aws',
      [...args, '--endpoint-url', server.url, '--output', 'json'],
      {
        env,
        timeout: 20_000,
      },
    );
    return JSON.parse(stdout) as Record<string, unknown>;
  }

  it.skipIf(!hasCli)(
    'aws sts get-caller-identity works with static keys (skipped: /usr/bin/aws not installed)',
    async () => {
      const out = await aws(['sts', 'get-caller-identity']);
      expect(out).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/test' });
      expect(out.UserId).toMatch(/^AIDA/);
      expect(server.requests).toMatchObject([
        { service: 'sts', action: 'GetCallerIdentity', accessKeyId: BASE.accessKeyId, statusCode: 200 },
      ]);
    },
    30_000,
  );

  it.skipIf(!hasCli)(
    'aws sts assume-role + session-token call (skipped: /usr/bin/aws not installed)',
    async () => {
      const out = await aws([
        'sts',
        'assume-role',
        '--role-arn',
        READONLY_ROLE,
        '--role-session-name',
        'cli-sess',
      ]);
      const c = out.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
      expect(c.AccessKeyId).toMatch(/^ASIA/);
      const me = await aws(['sts', 'get-caller-identity'], {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
      });
      expect(me.Arn).toBe('arn:aws:sts::111111111111:assumed-role/ReadOnly/cli-sess');
    },
    30_000,
  );

  it.skipIf(!hasCli)(
    'aws ssm describe-instance-information / send-command (skipped: /usr/bin/aws not installed)',
    async () => {
      server.addInstance({ instanceId: 'i-0cli', tags: { Name: 'cli-box' } });
      const out = await aws([
        'ssm',
        'describe-instance-information',
        '--filters',
        'Key=tag:Name,Values=cli-*',
      ]);
      const list = out.InstanceInformationList as { InstanceId: string; LastPingDateTime: string }[];
      expect(list.map((i) => i.InstanceId)).toEqual(['i-0cli']);
      expect(Number.isNaN(Date.parse(list[0]?.LastPingDateTime ?? ''))).toBe(false);
      const sent = await aws([
        'ssm',
        'send-command',
        '--document-name',
        'AWS-RunShellScript',
        '--instance-ids',
        'i-0cli',
        '--parameters',
        'commands=["echo hi"]',
      ]);
      expect(sent.Command).toMatchObject({ Status: 'Pending' });
      expect(server.sendCommandCalls[0]?.commands).toEqual(['echo hi']);
    },
    30_000,
  );
});
