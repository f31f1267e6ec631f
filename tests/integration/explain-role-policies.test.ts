// `elevate explain` with the user's own tier roles (issue 14 item 1): the roles' attached and inline
// policies are read with the read-only tier's credentials from the local endpoint (tests/helpers/iamRead.ts
// answers the IAM reads for roles modelled with defineRole), cached in $ELEVATE_HOME/iam-cache.json, and
// evaluated instead of the known managed policies; an AccessDenied falls back to them and says so.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { awsTestEnv, startAwsServer, type AwsServer, type PolicyDocument } from '../helpers/awsServer';
import { ELEVATE_BIN, makeSandbox, type CliResult } from '../helpers/cli';

const ACCOUNT = '123456789012';
const USER = `arn:aws:iam::${ACCOUNT}:user/dev`;
const RO = `arn:aws:iam::${ACCOUNT}:role/team-readonly`;
const EL = `arn:aws:iam::${ACCOUNT}:role/team-deployer`;
const KEY = { accessKeyId: 'AKIAROLEPOLICYTEST01', secretAccessKey: 'secret-role-policies-test' };
const trust = (principal: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }],
});
const CREATE_ONLY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'CreateBucketsOnly', Effect: 'Allow', Action: 's3:CreateBucket', Resource: '*' }],
};

function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [ELEVATE_BIN, ...args],
      { env, encoding: 'utf8', timeout: 30_000 },
      (err, stdout, stderr) =>
        resolve({
          status: err ? (typeof err.code === 'number' ? err.code : null) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

let server: AwsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Permissions = Parameters<AwsServer['defineRole']>[0]['permissions'];
async function setup(readonlyPermissions: Permissions, elevatedPermissions: Permissions = [CREATE_ONLY]) {
  server = await startAwsServer({
    staticKeys: [{ ...KEY, arn: USER }],
    roles: [
      { arn: RO, trustPolicy: trust(USER), permissions: readonlyPermissions },
      { arn: EL, trustPolicy: trust(RO), permissions: elevatedPermissions },
    ],
  });
  const sb = makeSandbox('elevate-role-policies-');
  sb.writeCredentials(
    `[dev]\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`,
  );
  sb.writeConfig(
    `[profile dev]\nregion = us-east-1\n\n` +
      `[profile claudecode-readonly]\nrole_arn = ${RO}\nsource_profile = dev\n\n` +
      `[profile claudecode-elevated]\nrole_arn = ${EL}\nsource_profile = claudecode-readonly\n`,
  );
  const env = { ...sb.env, ...awsTestEnv(server) };
  const iamCalls = () => server!.requests.filter((r) => (r.service as string) === 'iam');
  return { sb, env, iamCalls, cache: path.join(sb.env.ELEVATE_HOME!, 'iam-cache.json') };
}

describe("elevate explain with the tier roles' own policies", () => {
  it('evaluates the roles as read (inline s3:CreateBucket only), caches them, --refresh reads again', async () => {
    const { env, iamCalls, cache } = await setup(['ReadOnlyAccess']);
    const mb = await runCli(['explain', '--', 'aws', 's3', 'mb', 's3://x'], env);
    expect(mb.status, mb.stderr).toBe(0);
    expect(mb.stdout).toMatch(
      /elevated allowed +inline policy CreateBucketsOnly statement 1 \(Sid CreateBucketsOnly\): Allow s3:CreateBucket/,
    );
    expect(mb.stdout).toMatch(/readonly denied +no statement allows it/);
    expect(mb.stdout).toContain('needs the elevated tier');
    expect(mb.stdout).toMatch(
      new RegExp(
        `elevated from the role's attached/inline policies \\(read \\d{4}-\\d\\d-\\d\\dT[^)]+\\): ${EL}`,
      ),
    );
    // The read-only role's attached AWS managed policy is known locally: listed, not fetched.
    expect(mb.stdout).toMatch(/readonly +from the role's attached\/inline policies/);
    const actions = iamCalls().map((r) => `${r.action} ${String(r.params.RoleName ?? r.params.PolicyArn)}`);
    expect(actions.sort()).toEqual(
      [
        'ListAttachedRolePolicies team-readonly',
        'ListRolePolicies team-readonly',
        'ListAttachedRolePolicies team-deployer',
        'ListRolePolicies team-deployer',
        'GetRolePolicy team-deployer',
      ].sort(),
    );
    expect(iamCalls().every((r) => r.statusCode === 200)).toBe(true);
    // Read with the read-only tier's credentials (an AssumeRole session of team-readonly), never the elevated.
    const issuedTo = new Map(server!.issuedCredentials.map((c) => [c.accessKeyId, c.roleArn]));
    expect(new Set(iamCalls().map((r) => issuedTo.get(r.accessKeyId ?? '')))).toEqual(new Set([RO]));
    expect(server!.assumeRoleCalls.map((c) => c.roleArn)).toEqual([RO]);

    const written = JSON.parse(readFileSync(cache, 'utf8')) as {
      roles: Record<string, { ok: boolean; readAt: string }>;
    };
    expect(Object.keys(written.roles).sort()).toEqual([EL, RO].sort());
    expect(written.roles[EL]!.ok).toBe(true);
    expect(readFileSync(cache, 'utf8')).not.toContain(KEY.secretAccessKey);

    // Second run: from the cache, no IAM call, no AssumeRole.
    const before = server!.requests.length;
    const run = await runCli(['explain', '--', 'aws', 'ec2', 'run-instances', '--image-id', 'ami-1'], env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/ec2:RunInstances/);
    expect(run.stdout).toMatch(/elevated denied +no statement allows it \(implicit deny\)/);
    expect(run.stdout).toContain('no Elevate tier allows all of it as deployed');
    expect(server!.requests.length).toBe(before);

    // --refresh reads again.
    const again = await runCli(['explain', '--refresh', '--json', '--', 'aws', 's3', 'mb', 's3://x'], env);
    expect(again.status, again.stderr).toBe(0);
    expect(iamCalls().length).toBe(10);
    const j = JSON.parse(again.stdout) as {
      actions: Array<{ tiers: Record<string, { decision: string }> }>;
      policySources: Record<string, { kind: string; roleArn: string }>;
    };
    expect(j.actions[0]!.tiers.elevated!.decision).toBe('allowed');
    expect(j.policySources.elevated).toMatchObject({ kind: 'role', roleArn: EL });
  }, 60_000);

  it('AccessDenied on the reads: falls back to the managed policies and says so', async () => {
    // A custom read-only role that may read S3 but not IAM.
    const { env, iamCalls, cache } = await setup([
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }],
      },
    ]);
    const r = await runCli(['explain', '--', 'aws', 's3', 'mb', 's3://x'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(iamCalls().some((c) => c.errorCode === 'AccessDenied')).toBe(true);
    expect(r.stdout).toMatch(
      new RegExp(
        `elevated could not read the policies of ${EL} \\(AccessDenied: .*\\); assuming the known managed policies \\(PowerUserAccess`,
      ),
    );
    // The managed assumption: PowerUserAccess decides.
    expect(r.stdout).toMatch(
      /elevated allowed +PowerUserAccess \(v\d+\) statement 1: Allow NotAction iam:\*/,
    );
    // The denial is cached too: the next run does not ask again.
    expect(existsSync(cache)).toBe(true);
    const n = iamCalls().length;
    const again = await runCli(['explain', '--', 'aws', 's3', 'ls'], env);
    expect(again.stdout).toContain('AccessDenied');
    expect(iamCalls().length).toBe(n);
  }, 60_000);

  it('an attached policy not known locally is fetched (GetPolicy + GetPolicyVersion) and evaluated', async () => {
    const { env, iamCalls } = await setup(['ReadOnlyAccess'], ['AmazonEC2FullAccess']);
    const r = await runCli(['explain', '--', 'aws', 'ec2', 'run-instances', '--image-id', 'ami-1'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/elevated allowed +AmazonEC2FullAccess \(v1\) statement \d+: Allow ec2:\*/);
    expect(r.stdout).toContain('needs the elevated tier');
    expect(iamCalls().map((c) => `${c.action} ${String(c.params.PolicyArn ?? c.params.RoleName)}`)).toEqual(
      expect.arrayContaining([
        'GetPolicy arn:aws:iam::aws:policy/AmazonEC2FullAccess',
        'GetPolicyVersion arn:aws:iam::aws:policy/AmazonEC2FullAccess',
      ]),
    );
    // ReadOnlyAccess is known locally: never fetched.
    expect(iamCalls().some((c) => String(c.params.PolicyArn ?? '').endsWith('/ReadOnlyAccess'))).toBe(false);
  }, 60_000);
});
