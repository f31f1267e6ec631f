// The shipped CloudFormation templates' roles, loaded into the local endpoint with their real trust and
// permission policies (tests/helpers/iamTemplate.ts), attacked with the real AWS SDK v3 and the real AWS
// CLI v2: the read-only tier and the instance role cannot elevate; the operator can, only with MFA.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DescribeInstanceInformationCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { fromIni } from '@aws-sdk/credential-providers';
import { startAwsServer, type AwsServer } from '../helpers/awsServer';
import { loadTemplateIntoServer } from '../helpers/iamTemplate';

const execFileP = promisify(execFile);
const hasCli = existsSync('/usr/bin/aws');
const ROOT = resolve(__dirname, '..', '..');
const ACCT = '123456789012';
const OPERATOR = {
  accessKeyId: 'AKIAOPERATOROPERATOR',
  secretAccessKey: 'operator-secret-operator-secret-operator',
  arn: `arn:aws:iam::${ACCT}:user/operator`,
  permissions: 'AdministratorAccess',
};
const SERIAL = `arn:aws:iam::${ACCT}:mfa/operator`;

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const sts = (s: AwsServer, c: Creds): STSClient =>
  new STSClient({ region: 'us-east-1', endpoint: s.url, credentials: c, maxAttempts: 1 });

async function errorOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

async function assume(
  s: AwsServer,
  c: Creds,
  RoleArn: string,
  extra: Record<string, string> = {},
): Promise<Creds> {
  const out = await sts(s, c).send(
    new AssumeRoleCommand({ RoleArn, RoleSessionName: 'claude-test', ...extra }),
  );
  const k = out.Credentials;
  if (!k?.AccessKeyId || !k.SecretAccessKey || !k.SessionToken) throw new Error('no credentials');
  return { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey, sessionToken: k.SessionToken };
}

const templates = [
  { file: join(ROOT, 'infra', 'workstation.yaml'), instance: true },
  { file: join(ROOT, 'infra', 'laptop.yaml'), instance: false },
];

for (const { file, instance } of templates) {
  const name = file.slice(ROOT.length + 1);
  describe.skipIf(!existsSync(file))(
    `${name} roles on the endpoint (skipped when the template is absent)`,
    () => {
      let server: AwsServer;
      let roles: Record<string, string>;
      let dir: string;
      let code: string;
      beforeEach(async () => {
        code = '246810';
        server = await startAwsServer({ staticKeys: [OPERATOR] });
        server.addMfaDevice(SERIAL, () => code);
        ({ roles } = loadTemplateIntoServer(server, file, {
          account: ACCT,
          parameters: {
            OperatorPrincipalArn: OPERATOR.arn,
            ...(instance ? { VpcId: 'vpc-0123456789abcdef0', SubnetId: 'subnet-0123456789abcdef0' } : {}),
          },
        }));
        server.addInstance({ instanceId: 'i-0aaa' });
        dir = mkdtempSync(join(tmpdir(), 'iam-template-'));
      });
      afterEach(async () => {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      });
      const RO = (): string => roles.ReadOnlyRole!;
      const EL = (): string => roles.ElevatedRole!;

      /** The instance profile's credentials, as IMDS hands them to anything on the instance. */
      function instanceCreds(): Creds {
        const c = server.issueRoleCredentials(roles.InstanceRole!, { sessionName: 'i-0123456789abcdef0' });
        return {
          accessKeyId: c.accessKeyId,
          secretAccessKey: c.secretAccessKey,
          sessionToken: c.sessionToken,
        };
      }

      /** The read-only tier's credentials as the agent gets them on this layout. */
      async function readOnly(): Promise<Creds> {
        if (!instance) return assume(server, OPERATOR, RO());
        const imds = instanceCreds();
        return assume(server, imds, RO());
      }

      it('SDK: read-only → elevated AccessDenied; operator without MFA denied; with a valid MFA code granted', async () => {
        expect(Object.keys(roles)).toEqual(
          expect.arrayContaining(['ReadOnlyRole', 'ElevatedRole', ...(instance ? ['InstanceRole'] : [])]),
        );
        const ro = await readOnly();
        // The read-only tier really is read-only on the endpoint's operations.
        const ssm = new SSMClient({
          region: 'us-east-1',
          endpoint: server.url,
          credentials: ro,
          maxAttempts: 1,
        });
        await expect(ssm.send(new DescribeInstanceInformationCommand({}))).resolves.toBeDefined();
        expect(
          (
            await errorOf(
              ssm.send(
                new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0aaa'] }),
              ),
            )
          ).name,
        ).toBe('AccessDeniedException');

        const fromRo = await errorOf(assume(server, ro, EL()));
        expect(fromRo.name).toBe('AccessDenied');
        expect(fromRo.message).toMatch(
          /^User: arn:aws:sts::123456789012:assumed-role\/[\w-]+-readonly\/claude-test is not authorized to perform: sts:AssumeRole on resource: /,
        );
        // …even presenting the operator's serial and current code.
        expect(
          (await errorOf(assume(server, ro, EL(), { SerialNumber: SERIAL, TokenCode: code }))).name,
        ).toBe('AccessDenied');
        expect((await errorOf(assume(server, OPERATOR, EL()))).name).toBe('AccessDenied');
        // The session-name condition holds too (claude-*).
        expect(
          (
            await errorOf(
              sts(server, OPERATOR).send(
                new AssumeRoleCommand({
                  RoleArn: EL(),
                  RoleSessionName: 'other',
                  SerialNumber: SERIAL,
                  TokenCode: code,
                }),
              ),
            )
          ).name,
        ).toBe('AccessDenied');
        code = '135791';
        const el = await assume(server, OPERATOR, EL(), { SerialNumber: SERIAL, TokenCode: code });
        expect((await sts(server, el).send(new GetCallerIdentityCommand({}))).Arn).toMatch(
          /-elevated\/claude-test$/,
        );
        const elSsm = new SSMClient({
          region: 'us-east-1',
          endpoint: server.url,
          credentials: el,
          maxAttempts: 1,
        });
        await expect(
          elSsm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0aaa'] })),
        ).resolves.toBeDefined();
        // Chained from the elevated session back into anything is capped and carries no new rights.
        expect((await errorOf(assume(server, el, EL()))).name).toBe('AccessDenied');
      });

      it.skipIf(!instance)('SDK: the instance role reaches read-only only, never elevated', async () => {
        const imds = instanceCreds();
        const err = await errorOf(assume(server, imds, EL()));
        expect(err.name).toBe('AccessDenied');
        expect(err.message).toContain(
          'assumed-role/claudecode-instance/i-0123456789abcdef0 is not authorized',
        );
        // The read-only role's trust requires the claude-* session name.
        expect(
          (
            await errorOf(
              sts(server, imds).send(new AssumeRoleCommand({ RoleArn: RO(), RoleSessionName: 'x-1' })),
            )
          ).name,
        ).toBe('AccessDenied');
      });

      it('SDK fromIni: the operator profile with mfa_serial gets the elevated tier; a chain through read-only does not', async () => {
        const config = join(dir, 'config');
        const credentials = join(dir, 'credentials');
        writeFileSync(
          config,
          [
            '[profile operator]',
            'region = us-east-1',
            '[profile claudecode-readonly]',
            `role_arn = ${RO()}`,
            'source_profile = operator',
            'role_session_name = claude-readonly',
            '[profile claudecode-elevated]',
            `role_arn = ${EL()}`,
            'source_profile = operator',
            `mfa_serial = ${SERIAL}`,
            'role_session_name = claude-elevated',
            '[profile seed-elevated]',
            `role_arn = ${EL()}`,
            'source_profile = claudecode-readonly',
            'role_session_name = claude-elevated',
            '',
          ].join('\n'),
        );
        writeFileSync(
          credentials,
          `[operator]\naws_access_key_id = ${OPERATOR.accessKeyId}\naws_secret_access_key = ${OPERATOR.secretAccessKey}\n`,
        );
        const provider = (profile: string) =>
          fromIni({
            profile,
            filepath: credentials,
            configFilepath: config,
            mfaCodeProvider: async () => code,
            clientConfig: { region: 'us-east-1', endpoint: server.url },
          });
        const who = async (profile: string): Promise<string | undefined> =>
          (
            await new STSClient({
              region: 'us-east-1',
              endpoint: server.url,
              credentials: provider(profile),
            }).send(new GetCallerIdentityCommand({}))
          ).Arn;
        if (!instance) expect(await who('claudecode-readonly')).toMatch(/-readonly\/claude-readonly$/);
        expect(await who('claudecode-elevated')).toMatch(/-elevated\/claude-elevated$/);
        expect(server.assumeRoleCalls.at(-1)).toMatchObject({
          serialNumber: SERIAL,
          granted: true,
          mfaAuthenticated: true,
        });
        if (!instance) expect((await errorOf(who('seed-elevated'))).name).toBe('AccessDenied');
      });

      it.skipIf(!hasCli)(
        'AWS CLI v2: read-only → elevated AccessDenied; operator without MFA denied; with MFA granted (skipped: /usr/bin/aws not installed)',
        async () => {
          writeFileSync(join(dir, 'config'), '');
          writeFileSync(join(dir, 'credentials'), '');
          const aws = async (
            args: string[],
            c: Creds,
          ): Promise<{ code: number; out: string; err: string }> => {
            const env: Record<string, string> = {
              PATH: '/usr/bin:/bin',
              HOME: dir,
              AWS_ACCESS_KEY_ID: c.accessKeyId,
              AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
              AWS_CONFIG_FILE: join(dir, 'config'),
              AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
              AWS_DEFAULT_REGION: 'us-east-1',
              AWS_EC2_METADATA_DISABLED: 'true',
              AWS_PAGER: '',
              ...(c.sessionToken ? { AWS_SESSION_TOKEN: c.sessionToken } : {}),
            };
            try {
              const r = await execFileP(
                '/usr/bin/aws',
                [...args, '--endpoint-url', server.url, '--output', 'json'],
                {
                  env,
                  timeout: 20_000,
                },
              );
              return { code: 0, out: r.stdout, err: r.stderr };
            } catch (e) {
              const x = e as { code?: number; stdout?: string; stderr?: string };
              return { code: x.code ?? -1, out: x.stdout ?? '', err: x.stderr ?? '' };
            }
          };
          const ar = (role: string, extra: string[] = []): string[] => [
            'sts',
            'assume-role',
            '--role-arn',
            role,
            '--role-session-name',
            'claude-cli',
            ...extra,
          ];
          const ro = await readOnly();
          const fromRo = await aws(ar(EL()), ro);
          expect(fromRo.code).not.toBe(0);
          expect(fromRo.err).toMatch(
            /\(AccessDenied\) when calling the AssumeRole operation.*is not authorized to perform: sts:AssumeRole/,
          );
          if (instance) {
            const imds = instanceCreds();
            const fromInstance = await aws(ar(EL()), imds);
            expect(fromInstance.err).toContain('(AccessDenied) when calling the AssumeRole operation');
          }
          const noMfa = await aws(ar(EL()), OPERATOR);
          expect(noMfa.err).toContain('(AccessDenied) when calling the AssumeRole operation');
          const ok = await aws(ar(EL(), ['--serial-number', SERIAL, '--token-code', code]), OPERATOR);
          expect(ok.err).toBe('');
          expect(JSON.parse(ok.out)).toMatchObject({
            AssumedRoleUser: { Arn: expect.stringMatching(/-elevated\/claude-cli$/) },
          });
        },
        60_000,
      );
    },
  );
}
