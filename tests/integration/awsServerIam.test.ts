// IAM enforcement of the local AWS endpoint (tests/helpers/awsServer.ts): trust policies, MFA devices,
// role chaining, MaxSessionDuration, session policies evaluated on every later request, managed-policy
// tiers — through the real AWS SDK v3 clients and the real AWS CLI v2 (/usr/bin/aws).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import {
  DescribeInstanceInformationCommand,
  SendCommandCommand,
  SSMClient,
  StartSessionCommand,
} from '@aws-sdk/client-ssm';
import { startAwsServer, type AwsServer, type PolicyDocument } from '../helpers/awsServer';

const execFileP = promisify(execFile);
const hasCli = existsSync('/usr/bin/aws');
const ACCT = '111111111111';
const OPERATOR = {
  accessKeyId: 'AKIAOPERATOROPERATOR',
  secretAccessKey: 'operator-secret-operator-secret-operator',
  arn: `arn:aws:iam::${ACCT}:user/operator`,
  permissions: 'AdministratorAccess',
};
const MALLORY = {
  accessKeyId: 'AKIAMALLORYMALLORYMA',
  secretAccessKey: 'mallory-secret-mallory-secret-mallory-se',
  arn: `arn:aws:iam::${ACCT}:user/mallory`,
  permissions: 'PowerUserAccess',
};
const SERIAL = `arn:aws:iam::${ACCT}:mfa/operator`;
const MALLORY_SERIAL = `arn:aws:iam::${ACCT}:mfa/mallory`;
const RO = `arn:aws:iam::${ACCT}:role/claudecode-readonly`;
const EL = `arn:aws:iam::${ACCT}:role/claudecode-elevated`;
const T0 = Date.parse('2030-06-01T12:00:00Z');

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const sts = (s: AwsServer, c: Creds): STSClient =>
  new STSClient({ region: 'us-east-1', endpoint: s.url, credentials: c, maxAttempts: 1 });
const ssm = (s: AwsServer, c: Creds): SSMClient =>
  new SSMClient({ region: 'us-east-1', endpoint: s.url, credentials: c, maxAttempts: 1 });

async function errorOf(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
}

async function assume(
  s: AwsServer,
  c: Creds,
  input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> & { RoleArn: string },
): Promise<Creds> {
  const out = await sts(s, c).send(new AssumeRoleCommand({ RoleSessionName: 'claude-test', ...input }));
  const k = out.Credentials;
  if (!k?.AccessKeyId || !k.SecretAccessKey || !k.SessionToken) throw new Error('no credentials');
  return { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey, sessionToken: k.SessionToken };
}

const trust = (statement: Record<string, unknown>[]): PolicyDocument =>
  ({ Version: '2012-10-17', Statement: statement }) as unknown as PolicyDocument;

/** The hardened layout: operator → RO (no MFA), operator + MFA → EL; RO cannot reach EL. */
function hardened(s: AwsServer): void {
  s.defineRole({
    arn: RO,
    trustPolicy: trust([{ Effect: 'Allow', Principal: { AWS: OPERATOR.arn }, Action: 'sts:AssumeRole' }]),
    permissions: 'ReadOnlyAccess',
    maxSessionDuration: 3600,
  });
  s.defineRole({
    arn: EL,
    trustPolicy: trust([
      {
        Effect: 'Allow',
        Principal: { AWS: OPERATOR.arn },
        Action: 'sts:AssumeRole',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
    ]),
    permissions: 'PowerUserAccess',
    maxSessionDuration: 3600,
  });
}

describe('awsServer IAM via the real SDK v3', () => {
  let server: AwsServer;
  let clock: number;
  let totp: string;
  beforeEach(async () => {
    clock = T0;
    totp = '111111';
    server = await startAwsServer({ staticKeys: [OPERATOR, MALLORY], now: () => clock });
    server.addMfaDevice(SERIAL, () => totp);
    server.addMfaDevice(MALLORY_SERIAL, '999999');
    server.addInstance({ instanceId: 'i-0aaa' });
    server.addInstance({ instanceId: 'i-0bbb' });
    hardened(server);
  });
  afterEach(async () => {
    await server.close();
  });

  it('trust policy: MFA required by Bool aws:MultiFactorAuthPresent; only a fresh code of the CALLER’s device counts', async () => {
    const noMfa = await errorOf(assume(server, OPERATOR, { RoleArn: EL }));
    expect(noMfa.name).toBe('AccessDenied');
    expect(noMfa.$metadata?.httpStatusCode).toBe(403);
    expect(noMfa.message).toBe(
      `User: ${OPERATOR.arn} is not authorized to perform: sts:AssumeRole on resource: ${EL}`,
    );
    // Mallory's own device does not help her: the trust names the operator only.
    const mallory = await errorOf(
      assume(server, MALLORY, { RoleArn: EL, SerialNumber: MALLORY_SERIAL, TokenCode: '999999' }),
    );
    expect(mallory.message).toBe(
      `User: ${MALLORY.arn} is not authorized to perform: sts:AssumeRole on resource: ${EL}`,
    );
    // Someone else's device (the operator's serial, even with its current code) is not the caller's.
    const stolen = await errorOf(
      assume(server, MALLORY, { RoleArn: EL, SerialNumber: SERIAL, TokenCode: '111111' }),
    );
    expect(stolen.message).toMatch(/MultiFactorAuthentication failed with invalid MFA one time pass code/);
    const wrong = await errorOf(
      assume(server, OPERATOR, { RoleArn: EL, SerialNumber: SERIAL, TokenCode: '222222' }),
    );
    expect(wrong.message).toMatch(/invalid MFA one time pass code/);

    const el = await assume(server, OPERATOR, { RoleArn: EL, SerialNumber: SERIAL, TokenCode: '111111' });
    expect((await sts(server, el).send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:sts::${ACCT}:assumed-role/claudecode-elevated/claude-test`,
    );
    // The same code again within its window is refused, as STS refuses a reused code.
    clock += 10_000;
    const reuse = await errorOf(
      assume(server, OPERATOR, { RoleArn: EL, SerialNumber: SERIAL, TokenCode: '111111' }),
    );
    expect(reuse.message).toMatch(/invalid MFA one time pass code/);
    totp = '333333';
    await expect(
      assume(server, OPERATOR, { RoleArn: EL, SerialNumber: SERIAL, TokenCode: '333333' }),
    ).resolves.toMatchObject({ accessKeyId: /^ASIA/ });
    expect(
      server.assumeRoleCalls.map((c) => [c.callerArn.split('/')[1], c.granted, c.mfaAuthenticated]),
    ).toEqual([
      ['operator', false, undefined],
      ['mallory', false, undefined],
      ['mallory', false, undefined],
      ['operator', false, undefined],
      ['operator', true, true],
      ['operator', false, undefined],
      ['operator', true, true],
    ]);
  });

  it('the read-only role cannot assume the elevated one, even with PowerUser-like identity rights', async () => {
    const ro = await assume(server, OPERATOR, { RoleArn: RO });
    const err = await errorOf(assume(server, ro, { RoleArn: EL }));
    expect(err.name).toBe('AccessDenied');
    expect(err.message).toBe(
      `User: arn:aws:sts::${ACCT}:assumed-role/claudecode-readonly/claude-test is not authorized to perform: sts:AssumeRole on resource: ${EL}`,
    );
    // Passing the operator's serial and current code from a role session gives no MFA context.
    const withCode = await errorOf(
      assume(server, ro, { RoleArn: EL, SerialNumber: SERIAL, TokenCode: '111111' }),
    );
    expect(withCode.message).toMatch(/invalid MFA one time pass code/);
    // Trust that names the read-only ROLE ARN would admit its sessions (assumed-role callers match their role).
    server.defineRole({
      arn: `arn:aws:iam::${ACCT}:role/next`,
      trustPolicy: trust([{ Effect: 'Allow', Principal: { AWS: RO }, Action: 'sts:AssumeRole' }]),
    });
    await expect(assume(server, ro, { RoleArn: `arn:aws:iam::${ACCT}:role/next` })).resolves.toBeDefined();
  });

  it('account root and `*` principals also need the caller’s identity policy to allow sts:AssumeRole', async () => {
    const open = `arn:aws:iam::${ACCT}:role/open`;
    server.defineRole({
      arn: open,
      trustPolicy: trust([
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'sts:AssumeRole' },
      ]),
    });
    const ro = await assume(server, OPERATOR, { RoleArn: RO });
    // ReadOnlyAccess does not include sts:AssumeRole → denied; PowerUserAccess (mallory) does → granted.
    expect((await errorOf(assume(server, ro, { RoleArn: open }))).name).toBe('AccessDenied');
    await expect(assume(server, MALLORY, { RoleArn: open })).resolves.toBeDefined();
    const star = `arn:aws:iam::${ACCT}:role/star`;
    server.defineRole({
      arn: star,
      trustPolicy: trust([{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }]),
    });
    expect((await errorOf(assume(server, ro, { RoleArn: star }))).name).toBe('AccessDenied');
    await expect(assume(server, MALLORY, { RoleArn: star })).resolves.toBeDefined();
  });

  it('conditions: StringLike sts:RoleSessionName, StringEquals aws:PrincipalArn, NumericLessThan aws:MultiFactorAuthAge, BoolIfExists', async () => {
    const named = `arn:aws:iam::${ACCT}:role/named`;
    server.defineRole({
      arn: named,
      trustPolicy: trust([
        {
          Effect: 'Allow',
          Principal: { AWS: ACCT },
          Action: 'sts:AssumeRole',
          Condition: {
            StringLike: { 'sts:RoleSessionName': 'claude-*' },
            StringEquals: { 'aws:PrincipalArn': OPERATOR.arn },
          },
        },
      ]),
    });
    expect((await errorOf(assume(server, OPERATOR, { RoleArn: named, RoleSessionName: 'other' }))).name).toBe(
      'AccessDenied',
    );
    await expect(
      assume(server, OPERATOR, { RoleArn: named, RoleSessionName: 'claude-ok' }),
    ).resolves.toBeDefined();
    expect((await errorOf(assume(server, MALLORY, { RoleArn: named }))).name).toBe('AccessDenied');

    // Role chaining carries no MFA context (IAM User Guide, MFA-protected API access: AssumeRole
    // credentials "do not include MFA information in the context"); GetSessionToken with MFA does, and
    // its age grows with the server clock.
    const hop = `arn:aws:iam::${ACCT}:role/hop`;
    const fresh = `arn:aws:iam::${ACCT}:role/fresh`;
    server.defineRole({
      arn: hop,
      trustPolicy: trust([{ Effect: 'Allow', Principal: { AWS: OPERATOR.arn }, Action: 'sts:AssumeRole' }]),
      permissions: 'PowerUserAccess',
    });
    server.defineRole({
      arn: fresh,
      trustPolicy: trust([
        {
          Effect: 'Allow',
          Principal: { AWS: [hop, OPERATOR.arn] },
          Action: 'sts:AssumeRole',
          Condition: {
            Bool: { 'aws:MultiFactorAuthPresent': 'true' },
            NumericLessThan: { 'aws:MultiFactorAuthAge': '300' },
          },
        },
      ]),
    });
    const noMfaHop = await assume(server, OPERATOR, { RoleArn: hop });
    expect((await errorOf(assume(server, noMfaHop, { RoleArn: fresh }))).name).toBe('AccessDenied');
    const mfaHop = await assume(server, OPERATOR, {
      RoleArn: hop,
      SerialNumber: SERIAL,
      TokenCode: '111111',
    });
    expect(server.assumeRoleCalls.at(-1)?.mfaAuthenticated).toBe(true);
    expect((await errorOf(assume(server, mfaHop, { RoleArn: fresh }))).name).toBe('AccessDenied');
    expect(server.assumeRoleCalls.at(-1)).toMatchObject({ granted: false, errorCode: 'AccessDenied' });
    // A role session cannot call GetSessionToken; long-term keys can, with the user's own device.
    expect((await errorOf(sts(server, mfaHop).send(new GetSessionTokenCommand({})))).message).toBe(
      'Cannot call GetSessionToken with session credentials',
    );
    const plain = (await sts(server, OPERATOR).send(new GetSessionTokenCommand({ DurationSeconds: 900 })))
      .Credentials;
    const plainCreds = {
      accessKeyId: plain?.AccessKeyId ?? '',
      secretAccessKey: plain?.SecretAccessKey ?? '',
      sessionToken: plain?.SessionToken,
    };
    expect((await sts(server, plainCreds).send(new GetCallerIdentityCommand({}))).Arn).toBe(OPERATOR.arn);
    expect((await errorOf(assume(server, plainCreds, { RoleArn: fresh }))).name).toBe('AccessDenied');
    totp = '555000';
    const withMfa = (
      await sts(server, OPERATOR).send(
        new GetSessionTokenCommand({ SerialNumber: SERIAL, TokenCode: '555000', DurationSeconds: 3600 }),
      )
    ).Credentials;
    const mfaSession = {
      accessKeyId: withMfa?.AccessKeyId ?? '',
      secretAccessKey: withMfa?.SecretAccessKey ?? '',
      sessionToken: withMfa?.SessionToken,
    };
    clock += 299_000;
    await expect(assume(server, mfaSession, { RoleArn: fresh })).resolves.toBeDefined();
    clock += 2_000;
    expect((await errorOf(assume(server, mfaSession, { RoleArn: fresh }))).name).toBe('AccessDenied');

    // BoolIfExists false matches long-term keys (the key is absent) — the usual "deny without MFA" pattern.
    const guarded = `arn:aws:iam::${ACCT}:role/guarded`;
    server.defineRole({
      arn: guarded,
      trustPolicy: trust([
        { Effect: 'Allow', Principal: { AWS: OPERATOR.arn }, Action: 'sts:AssumeRole' },
        {
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'sts:AssumeRole',
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
        },
      ]),
    });
    expect((await errorOf(assume(server, OPERATOR, { RoleArn: guarded }))).name).toBe('AccessDenied');
    totp = '444444';
    await expect(
      assume(server, OPERATOR, { RoleArn: guarded, SerialNumber: SERIAL, TokenCode: '444444' }),
    ).resolves.toBeDefined();
  });

  it('DurationSeconds: 900..MaxSessionDuration, chained sessions at most 3600', async () => {
    const long = `arn:aws:iam::${ACCT}:role/long`;
    server.defineRole({
      arn: long,
      trustPolicy: trust([{ Effect: 'Allow', Principal: { AWS: OPERATOR.arn }, Action: 'sts:AssumeRole' }]),
      permissions: 'PowerUserAccess',
      maxSessionDuration: 7200,
    });
    const over = await errorOf(assume(server, OPERATOR, { RoleArn: RO, DurationSeconds: 3601 }));
    expect(over.name).toBe('ValidationError');
    expect(over.message).toBe(
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
    expect((await errorOf(assume(server, OPERATOR, { RoleArn: RO, DurationSeconds: 899 }))).name).toBe(
      'ValidationError',
    );
    const l = await assume(server, OPERATOR, { RoleArn: long, DurationSeconds: 7200 });
    server.defineRole({
      arn: `arn:aws:iam::${ACCT}:role/chained`,
      trustPolicy: trust([{ Effect: 'Allow', Principal: { AWS: long }, Action: 'sts:AssumeRole' }]),
      maxSessionDuration: 43200,
    });
    const chained = await errorOf(
      assume(server, l, { RoleArn: `arn:aws:iam::${ACCT}:role/chained`, DurationSeconds: 3601 }),
    );
    expect(chained.message).toBe(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  });

  it('session policy: validated, size-limited, logged, and enforced on every later request (role ∩ session, Deny wins)', async () => {
    const deadline = new Date(T0 + 600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ssm:Describe*', 'ssm:SendCommand', 'sts:AssumeRole'],
          Resource: '*',
          Condition: { DateLessThan: { 'aws:CurrentTime': deadline } },
        },
        {
          Effect: 'Deny',
          Action: 'ssm:SendCommand',
          Resource: 'arn:aws:ec2:*:*:instance/i-0bbb',
        },
      ],
    });
    const el = await assume(server, OPERATOR, {
      RoleArn: EL,
      SerialNumber: SERIAL,
      TokenCode: '111111',
      Policy: policy,
      DurationSeconds: 900,
    });
    // The logged policy is retrievable for assertions (raw text and parsed).
    const call = server.assumeRoleCalls.at(-1);
    expect(call?.policy).toBe(policy);
    expect(call?.sessionPolicy).toEqual(JSON.parse(policy));
    const cred = server.issuedCredentials.at(-1);
    expect(cred?.sessionPolicyText).toBe(policy);
    const dl = (cred?.sessionPolicy?.Statement as { Condition?: Record<string, Record<string, string>> }[])[0]
      ?.Condition?.DateLessThan?.['aws:CurrentTime'];
    expect(dl).toBe(deadline);

    const c = ssm(server, el);
    await expect(c.send(new DescribeInstanceInformationCommand({}))).resolves.toBeDefined();
    await expect(
      c.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0aaa'] })),
    ).resolves.toBeDefined();
    // Explicit Deny on one instance ARN wins over the Allow.
    const denied = await errorOf(
      c.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0bbb'] })),
    );
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toBe(
      `User: arn:aws:sts::${ACCT}:assumed-role/claudecode-elevated/claude-test is not authorized to perform: ssm:SendCommand on resource: arn:aws:ec2:us-east-1:${ACCT}:instance/i-0bbb with an explicit deny in a session policy`,
    );
    // PowerUserAccess allows StartSession, the session policy does not: intersection.
    const notInSession = await errorOf(c.send(new StartSessionCommand({ Target: 'i-0aaa' })));
    expect(notInSession.message).toMatch(/because no session policy allows the ssm:StartSession action$/);

    // At the deadline minus one second: allowed; one second after: refused (credentials still unexpired).
    clock = T0 + 599_000;
    await expect(c.send(new DescribeInstanceInformationCommand({}))).resolves.toBeDefined();
    clock = T0 + 601_000;
    const late = await errorOf(c.send(new DescribeInstanceInformationCommand({})));
    expect(late.name).toBe('AccessDeniedException');
    expect(late.message).toMatch(
      /because no session policy allows the ssm:DescribeInstanceInformation action$/,
    );
    expect(server.requests.at(-1)).toMatchObject({ errorCode: 'AccessDeniedException', time: clock });
    // GetCallerIdentity needs no permission at all.
    await expect(sts(server, el).send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
    // After expiry: ExpiredToken, whatever the policies say.
    clock = T0 + 901_000;
    expect((await errorOf(sts(server, el).send(new GetCallerIdentityCommand({})))).name).toBe('ExpiredToken');
  });

  it('session policy: malformed JSON, a principal, an over-long or too-large packed policy are refused as STS does', async () => {
    const call = (Policy: string): Promise<Creds> => assume(server, OPERATOR, { RoleArn: RO, Policy });
    const bad = await errorOf(call('{"Version": "2012-10-17", "Statement": ['));
    expect(bad.name).toBe('MalformedPolicyDocumentException');
    expect(bad.message).toBe('Syntax errors in policy.');
    const principal = await errorOf(
      call(
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }],
        }),
      ),
    );
    expect(principal.message).toBe('Policy document should not specify a principal.');
    const operator = await errorOf(
      call(
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { Foo: { a: 'b' } } }],
        }),
      ),
    );
    expect(operator.message).toBe('Invalid Condition type : Foo');
    const actions = (n: number, f: (i: number) => string): string[] =>
      Array.from({ length: n }, (_, i) => f(i));
    const long = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: actions(200, (i) => `ssm:Describe${i}`), Resource: '*' }],
    });
    expect(long.length).toBeGreaterThan(2048);
    const tooLong = await errorOf(call(long));
    expect(tooLong.name).toBe('ValidationError');
    expect(tooLong.message).toMatch(
      /'policy' failed to satisfy constraint: Member must have length less than or equal to 2048/,
    );
    // Under 2048 characters but incompressible (random action names): PackedPolicyTooLarge with a percentage.
    const dense: string[] = [];
    const doc = (): string =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: dense, Resource: '*' }],
      });
    for (let i = 0; doc().length < 1990; i++) {
      dense.push(
        `ec2:${createHash('sha256')
          .update(String(i))
          .digest('base64')
          .replace(/[^A-Za-z0-9]/g, '')
          .slice(0, 24)}`,
      );
    }
    const denseDoc = doc();
    expect(denseDoc.length).toBeLessThanOrEqual(2048);
    const packed = await errorOf(call(denseDoc));
    expect(packed.name).toBe('PackedPolicyTooLargeException');
    expect(packed.message).toMatch(
      /^Packed policy consumes \d+% of allotted space, please use smaller policy\.$/,
    );
    expect(server.issuedCredentials).toHaveLength(0);
  });

  it('tiers: ReadOnlyAccess vs PowerUserAccess decide the endpoint’s operations from AWS’s managed policy documents', async () => {
    const ro = await assume(server, OPERATOR, { RoleArn: RO });
    const el = await assume(server, OPERATOR, { RoleArn: EL, SerialNumber: SERIAL, TokenCode: '111111' });
    const inst = `arn:aws:ec2:us-east-1:${ACCT}:instance/i-0aaa`;
    const table: [string, string, boolean, boolean][] = [
      ['sts:GetCallerIdentity', '*', true, true],
      ['sts:AssumeRole', EL, false, true],
      ['ssm:DescribeInstanceInformation', '*', true, true],
      ['ssm:GetCommandInvocation', '*', true, true],
      ['ssm:SendCommand', inst, false, true],
      ['ssm:StartSession', inst, false, true],
      ['ssm:TerminateSession', `arn:aws:ssm:us-east-1:${ACCT}:session/x`, false, true],
      ['cloudformation:DescribeStacks', '*', true, true],
      ['cloudformation:DescribeStackEvents', '*', true, true],
      ['cloudformation:CreateStack', '*', false, true],
      ['cloudformation:UpdateStack', '*', false, true],
      ['iam:CreateRole', '*', false, false],
    ];
    const got = table.map(([action, res]) => [
      action,
      res,
      server.authorize(ro, action, res).allowed,
      server.authorize(el, action, res).allowed,
    ]);
    expect(got).toEqual(table);
    const no = server.authorize(
      ro,
      'cloudformation:CreateStack',
      'arn:aws:cloudformation:us-east-1:1:stack/x/*',
    );
    expect(no).toMatchObject({ allowed: false, deniedBy: 'identity', explicit: false });
    if (!no.allowed) {
      expect(no.message).toBe(
        `User: arn:aws:sts::${ACCT}:assumed-role/claudecode-readonly/claude-test is not authorized to perform: cloudformation:CreateStack on resource: arn:aws:cloudformation:us-east-1:1:stack/x/* because no identity-based policy allows the cloudformation:CreateStack action`,
      );
    }
    // …and over the wire: read-only may describe but not send.
    await expect(ssm(server, ro).send(new DescribeInstanceInformationCommand({}))).resolves.toBeDefined();
    const send = await errorOf(
      ssm(server, ro).send(
        new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0aaa'] }),
      ),
    );
    expect(send.name).toBe('AccessDeniedException');
    expect(() => server.authorize('AKIANOBODY', 'ssm:SendCommand', '*')).toThrow(/InvalidClientTokenId/);
  });

  it('instance-profile credentials: the EC2-trusted role reaches read-only, never elevated', async () => {
    const inst = `arn:aws:iam::${ACCT}:role/claudecode-instance`;
    server.defineRole({
      arn: inst,
      trustPolicy: trust([
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]),
      permissions: [
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: RO }] },
      ],
    });
    server.defineRole({
      arn: RO,
      trustPolicy: trust([{ Effect: 'Allow', Principal: { AWS: inst }, Action: 'sts:AssumeRole' }]),
      permissions: 'ReadOnlyAccess',
    });
    expect(() => server.issueRoleCredentials(RO)).toThrow(/does not trust ec2.amazonaws.com/);
    const issued = server.issueRoleCredentials(inst, { sessionName: 'i-0123456789abcdef0' });
    const imds: Creds = {
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken,
    };
    expect(issued.arn).toBe(`arn:aws:sts::${ACCT}:assumed-role/claudecode-instance/i-0123456789abcdef0`);
    const ro = await assume(server, imds, { RoleArn: RO });
    expect((await errorOf(assume(server, imds, { RoleArn: EL }))).name).toBe('AccessDenied');
    expect((await errorOf(assume(server, ro, { RoleArn: EL }))).name).toBe('AccessDenied');
  });
});

describe('awsServer IAM via the real AWS CLI v2', () => {
  let server: AwsServer;
  let dir: string;
  let clock: number;
  beforeEach(async () => {
    clock = T0;
    server = await startAwsServer({ staticKeys: [OPERATOR], now: () => clock });
    server.addMfaDevice(SERIAL, '555555');
    server.addInstance({ instanceId: 'i-0aaa' });
    hardened(server);
    dir = mkdtempSync(join(tmpdir(), 'aws-cli-iam-'));
    writeFileSync(join(dir, 'config'), '');
    writeFileSync(join(dir, 'credentials'), '');
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function aws(args: string[], creds: Creds): Promise<{ code: number; out: string; err: string }> {
    const env: Record<string, string> = {
      PATH: '/usr/bin:/bin',
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
    try {
      const { stdout, stderr } = await execFileP(
        '/usr/bin/aws',
        [...args, '--endpoint-url', server.url, '--output', 'json'],
        { env, timeout: 20_000 },
      );
      return { code: 0, out: stdout, err: stderr };
    } catch (e) {
      const x = e as { code?: number; stdout?: string; stderr?: string };
      return { code: x.code ?? -1, out: x.stdout ?? '', err: x.stderr ?? '' };
    }
  }
  const credsOf = (out: string): Creds => {
    const c = (JSON.parse(out) as { Credentials: Record<string, string> }).Credentials;
    return {
      accessKeyId: c.AccessKeyId ?? '',
      secretAccessKey: c.SecretAccessKey ?? '',
      sessionToken: c.SessionToken,
    };
  };

  it.skipIf(!hasCli)(
    'read-only → elevated AccessDenied; operator without MFA denied; with MFA granted; session policy deadline refuses one second late (skipped: /usr/bin/aws not installed)',
    async () => {
      const ar = (role: string, extra: string[] = []): string[] => [
        'sts',
        'assume-role',
        '--role-arn',
        role,
        '--role-session-name',
        'claude-cli',
        ...extra,
      ];
      const ro = await aws(ar(RO), OPERATOR);
      expect(ro.code).toBe(0);
      const roToEl = await aws(ar(EL), credsOf(ro.out));
      expect(roToEl.code).not.toBe(0);
      expect(roToEl.err).toContain(
        `An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:sts::${ACCT}:assumed-role/claudecode-readonly/claude-cli is not authorized to perform: sts:AssumeRole on resource: ${EL}`,
      );
      const noMfa = await aws(ar(EL), OPERATOR);
      expect(noMfa.err).toContain('(AccessDenied) when calling the AssumeRole operation');

      const deadline = new Date(T0 + 300_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: '*',
            Resource: '*',
            Condition: { DateLessThan: { 'aws:CurrentTime': deadline } },
          },
        ],
      });
      const el = await aws(
        ar(EL, [
          '--serial-number',
          SERIAL,
          '--token-code',
          '555555',
          '--policy',
          policy,
          '--duration-seconds',
          '900',
        ]),
        OPERATOR,
      );
      expect(el.err).toBe('');
      expect(el.code).toBe(0);
      expect(JSON.parse(el.out)).toMatchObject({
        AssumedRoleUser: { Arn: `arn:aws:sts::${ACCT}:assumed-role/claudecode-elevated/claude-cli` },
        PackedPolicySize: expect.any(Number),
      });
      expect(server.assumeRoleCalls.at(-1)?.sessionPolicy).toEqual(JSON.parse(policy));
      const elCreds = credsOf(el.out);
      // The MFA code was used: the same code is refused within its window.
      const reuse = await aws(ar(EL, ['--serial-number', SERIAL, '--token-code', '555555']), OPERATOR);
      expect(reuse.err).toContain('invalid MFA one time pass code');
      clock = T0 + 299_000;
      expect((await aws(['ssm', 'describe-instance-information'], elCreds)).code).toBe(0);
      clock = T0 + 301_000;
      const late = await aws(['ssm', 'describe-instance-information'], elCreds);
      expect(late.code).not.toBe(0);
      expect(late.err).toContain(
        '(AccessDeniedException) when calling the DescribeInstanceInformation operation',
      );
      expect(late.err).toContain(
        'because no session policy allows the ssm:DescribeInstanceInformation action',
      );
    },
    60_000,
  );
});
