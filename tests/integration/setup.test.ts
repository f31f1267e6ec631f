// `elevate setup` end to end against the local endpoint (CloudFormation + IAM + STS with SigV4), run as the
// built CLI in a child process with a private HOME: the laptop path from an admin IAM user's keys to a
// deployed stack (events streamed), the two tier profiles appended (byte-identical prefix, versioned
// backup), whoami of both tiers (the elevated one through the MFA pair the endpoint checks) and doctor.
// Plus: dry run calls nothing, conflicts stop before writing, a failing stack reports its rollback,
// the non-TTY guard, --json, and the building blocks (IMDS probe, caller classification, config append).
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsTestEnv, startAwsServer, type AwsServer } from '../helpers/awsServer';
import { makeSandbox, type Sandbox } from '../helpers/cli';
import { shellLine } from '../../shared/quote';
import { classifyCaller, detectEnvironment } from '../../electron/node/setup';
import {
  planConfigAppend,
  renderDiff,
  tierProfiles,
  applyConfigAppend,
} from '../../electron/node/setupConfig';

const execFileP = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'elevate.cjs');
const ACCOUNT = '222222222222';
const KEY = {
  accessKeyId: 'AKIASETUPTESTADMIN01',
  secretAccessKey: 'setup-secret-setup-secret-setup-sec-01',
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
};
const MFA = `arn:aws:iam::${ACCOUNT}:mfa/alice-phone`;
const RO_ARN = `arn:aws:iam::${ACCOUNT}:role/claudecode-laptop-readonly`;
const EL_ARN = `arn:aws:iam::${ACCOUNT}:role/claudecode-laptop-elevated`;
// No trailing newline and a comment: the append must keep every byte.
const ORIGINAL =
  '# my settings\n[default]\nregion = eu-west-1\n\n[profile admin]\nregion = us-east-1\noutput = json';

function runCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', rej);
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code: code ?? -1, stdout, stderr });
    });
  });
}

let aws: AwsServer;
let sb: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  await execFileP(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')]);
}, 120_000);

beforeEach(async () => {
  aws = await startAwsServer({ staticKeys: [KEY] });
  aws.cloudformation.addMfaDevice('alice', MFA);
  sb = makeSandbox('elevate-setup-');
  sb.writeConfig(ORIGINAL);
  sb.writeCredentials(
    `[admin]\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`,
  );
  // A stand-in `claude` so doctor's PATH check passes (doctor only looks it up).
  const bin = join(sb.root, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'claude'), '#!/bin/sh\necho "2.0.0 (Claude Code)"\n');
  chmodSync(join(bin, 'claude'), 0o755);
  env = {
    ...sb.env,
    ...awsTestEnv(aws),
    ELEVATE_SETUP_POLL_MS: '5',
    PATH: `${bin}:${sb.env.PATH ?? '/usr/bin:/bin'}`,
  };
  delete (env as Record<string, string | undefined>).AWS_REGION; // the region comes from the profile
  delete (env as Record<string, string | undefined>).AWS_DEFAULT_REGION;
});

afterEach(async () => {
  await aws.close();
});

const backups = (): string[] =>
  readdirSync(join(sb.home, '.aws')).filter((f) => f.includes('elevate-setup-'));

describe('elevate setup (laptop, IAM user operator)', () => {
  beforeEach(() => aws.requireMfa(EL_ARN, '123456')); // the endpoint checks the MFA pair (serial + this code)
  it('deploys, streams events, appends the profiles (byte-identical prefix + backup), verifies both tiers, doctor passes', async () => {
    const r = await runCli(['setup', '--deploy', '--profile', 'admin', '--yes', '--mfa-code', '123456'], env);
    expect(r.stderr).not.toContain('elevate:');
    expect(r.code).toBe(0);
    // plan shown
    expect(r.stdout).toContain('where:     laptop');
    expect(r.stdout).toContain(`operator:  profile admin (--profile)`);
    expect(r.stdout).toContain(`${KEY.arn} (iam-user, account ${ACCOUNT})`);
    expect(r.stdout).toContain(`OperatorPrincipalArn = ${KEY.arn}`);
    // events streamed, oldest first, then the final status
    const lines = r.stdout.split('\n');
    const idx = (s: RegExp) => lines.findIndex((l) => s.test(l));
    expect(idx(/CREATE_IN_PROGRESS\s+AWS::CloudFormation::Stack\s+elevate-laptop/)).toBeGreaterThan(0);
    expect(idx(/CREATE_COMPLETE\s+AWS::IAM::Role\s+ReadOnlyRole/)).toBeGreaterThan(
      idx(/CREATE_IN_PROGRESS\s+AWS::CloudFormation::Stack/),
    );
    expect(idx(/CREATE_COMPLETE\s+AWS::IAM::Role\s+ElevatedRole/)).toBeGreaterThan(
      idx(/CREATE_COMPLETE\s+AWS::IAM::Role\s+ReadOnlyRole/),
    );
    expect(r.stdout).toContain('stack elevate-laptop: CREATE_COMPLETE');
    expect(aws.requests.find((q) => q.action === 'CreateStack')?.params).toMatchObject({
      'Capabilities.member.1': 'CAPABILITY_NAMED_IAM',
      'Parameters.member.1.ParameterKey': 'OperatorPrincipalArn',
      'Parameters.member.1.ParameterValue': KEY.arn,
    });
    // config: original bytes, then the block; a backup with the original bytes
    const after = readFileSync(sb.configFile, 'utf8');
    expect(after.startsWith(ORIGINAL)).toBe(true);
    const added = after.slice(ORIGINAL.length);
    expect(added).toContain(
      `[profile claudecode-readonly]\nrole_arn = ${RO_ARN}\nsource_profile = admin\nrole_session_name = claude-readonly\nregion = us-east-1\n`,
    );
    expect(added).toContain(
      `[profile claudecode-elevated]\nrole_arn = ${EL_ARN}\nsource_profile = admin\nmfa_serial = ${MFA}\nrole_session_name = claude-elevated\nregion = us-east-1\n`,
    );
    expect(r.stdout).toContain(`+[profile claudecode-readonly]`); // the diff was shown
    const [bak] = backups();
    expect(bak).toBeDefined();
    expect(readFileSync(join(sb.home, '.aws', bak!), 'utf8')).toBe(ORIGINAL);
    // whoami of both tiers: read-only straight from the operator, elevated with the MFA pair
    expect(r.stdout).toContain(
      `whoami readonly: ok — arn:aws:sts::${ACCOUNT}:assumed-role/claudecode-laptop-readonly/claude-readonly`,
    );
    expect(r.stdout).toContain(
      `whoami elevated: ok — arn:aws:sts::${ACCOUNT}:assumed-role/claudecode-laptop-elevated/claude-elevated`,
    );
    const el = aws.assumeRoleCalls.filter((c) => c.roleArn === EL_ARN && c.granted);
    expect(el).toHaveLength(1);
    expect(el[0]).toMatchObject({ serialNumber: MFA, tokenCode: '123456', callerArn: KEY.arn });
    expect(aws.assumeRoleCalls.filter((c) => c.roleArn === RO_ARN && c.granted)[0]!.callerArn).toBe(KEY.arn);
    expect(r.stdout).toMatch(/doctor: \d+ ok, \d+ warn, 0 fail/);
    expect(r.stdout).not.toMatch(/self-elevation/);
    // The MFA code is never echoed.
    expect(r.stdout).not.toContain('123456');

    // The result works for the other commands too.
    const who = await runCli(['whoami', 'readonly', '--json'], env);
    expect(who.code).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({
      profile: 'claudecode-readonly',
      roleName: 'claudecode-laptop-readonly',
    });
    const doc = await runCli(['doctor', '--json'], env);
    const checks = (JSON.parse(doc.stdout) as { checks: { id: string; status: string }[] }).checks;
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(checks.find((c) => c.id === 'tiers')?.status).toBe('ok');

    // Running it again changes nothing: stack up to date, sections present, no new backup.
    const again = await runCli(['setup', '--deploy', '--profile', 'admin', '--yes'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('stack elevate-laptop is already up to date (CREATE_COMPLETE)');
    expect(again.stdout).toContain('already present with these settings; nothing to add');
    expect(again.stdout).toContain('whoami elevated: not checked (needs an MFA code');
    expect(readFileSync(sb.configFile, 'utf8')).toBe(after);
    expect(backups()).toHaveLength(1);
  }, 120_000);

  it('--dry-run: prints the template, parameters, calls and the config diff; makes no CloudFormation/IAM-write call and writes nothing', async () => {
    const r = await runCli(['setup', '--dry-run', '--profile', 'admin'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('AWSTemplateFormatVersion');
    expect(r.stdout).toContain('cloudformation:CreateStack elevate-laptop');
    expect(r.stdout).toContain(`+role_arn = ${RO_ARN}`);
    expect(r.stdout).toContain(`+mfa_serial = ${MFA}`);
    expect(r.stdout).toContain('dry run: nothing was deployed or written');
    expect(aws.requests.map((q) => q.action).filter((a) => /Stack/.test(a))).toEqual([]);
    expect(readFileSync(sb.configFile, 'utf8')).toBe(ORIGINAL);
    expect(backups()).toEqual([]);
  }, 60_000);

  it('non-TTY --deploy without --yes is refused before any AWS call; without --deploy it only plans', async () => {
    const r = await runCli(['setup', '--deploy', '--profile', 'admin'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('add --yes');
    expect(aws.requests).toEqual([]);
    const plan = await runCli(['setup', '--profile', 'admin'], env);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('nothing deployed (not a terminal): run `elevate setup --deploy --yes`');
    expect(aws.callCount('CreateStack')).toBe(0);
  }, 60_000);

  it('an existing [profile claudecode-readonly] with other settings: reported, config untouched, no backup', async () => {
    const mine = `${ORIGINAL}\n\n[profile claudecode-readonly]\nrole_arn = arn:aws:iam::${ACCOUNT}:role/mine\nsource_profile = admin\n`;
    sb.writeConfig(mine);
    const r = await runCli(['setup', '--deploy', '--profile', 'admin', '--yes'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'already has different profiles with these names; setup changes no existing section',
    );
    expect(r.stderr).toContain(`role_arn: has "arn:aws:iam::${ACCOUNT}:role/mine", setup needs "${RO_ARN}"`);
    expect(r.stderr).toContain('--readonly-profile NAME --elevated-profile NAME');
    expect(readFileSync(sb.configFile, 'utf8')).toBe(mine);
    expect(backups()).toEqual([]);
  }, 60_000);

  it('a failing stack: the failed resource, its reason and the rollback are reported; config untouched', async () => {
    aws.cloudformation.failResource(
      'ElevatedRole',
      'User: alice is not authorized to perform: iam:CreateRole',
    );
    const r = await runCli(['setup', '--deploy', '--profile', 'admin', '--yes'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/CREATE_FAILED\s+AWS::IAM::Role\s+ElevatedRole/);
    expect(r.stdout).toMatch(/ROLLBACK_COMPLETE\s+AWS::CloudFormation::Stack/);
    expect(r.stderr).toContain('stack elevate-laptop creation failed and was rolled back (ROLLBACK_COMPLETE');
    expect(r.stderr).toContain(
      'ElevatedRole (AWS::IAM::Role): User: alice is not authorized to perform: iam:CreateRole',
    );
    expect(r.stderr).toContain('aws cloudformation delete-stack --stack-name elevate-laptop');
    expect(readFileSync(sb.configFile, 'utf8')).toBe(ORIGINAL);
    // a second run says what to do with the rolled-back stack
    const again = await runCli(['setup', '--deploy', '--profile', 'admin', '--yes'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is in ROLLBACK_COMPLETE from an earlier failed create');
  }, 60_000);

  it('--json: one JSON document on stdout (progress on stderr); MFA device lookup denied → clear error naming --mfa-serial', async () => {
    const r = await runCli(['setup', '--deploy', '--profile', 'admin', '--yes', '--json'], env);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(doc.stack).toMatchObject({ name: 'elevate-laptop', action: 'create', status: 'CREATE_COMPLETE' });
    expect(doc.stack.outputs.ElevatedRoleArn).toBe(EL_ARN);
    expect(doc.config.written).toBe(true);
    expect(doc.whoami.readonly.ok).toBe(true);
    expect(doc.whoami.elevated).toMatchObject({ ok: null, skipped: 'no MFA code' });
    expect(doc.doctor.fail).toBe(0);
    expect(r.stderr).toMatch(/CREATE_COMPLETE\s+AWS::IAM::Role\s+ReadOnlyRole/);

    aws.cloudformation.denyIam('ListMFADevices');
    const other = makeSandbox('elevate-setup-');
    other.writeConfig('[profile admin]\nregion = us-east-1\n');
    other.writeCredentials(readFileSync(sb.credentialsFile, 'utf8'));
    const denied = await runCli(['setup', '--dry-run', '--profile', 'admin', '--json'], {
      ...env,
      ...other.env,
      ...awsTestEnv(aws),
    });
    expect(denied.code).toBe(2);
    expect(JSON.parse(denied.stdout)).toMatchObject({ error: { code: 'mfa-serial-needed' } });
    expect(denied.stdout).toContain('pass --mfa-serial arn:aws:iam::222222222222:mfa/NAME');
  }, 120_000);

  it('the operator profile is said explicitly; one without credentials or a missing one tells how to fix it', async () => {
    const r = await runCli(['setup', '--dry-run'], env); // [default] exists (region only), no keys
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'cannot use profile "default" (the default profile (no --profile, no AWS_PROFILE))',
    );
    expect(r.stderr).toContain('aws sts get-caller-identity --profile default');
    const missing = await runCli(['setup', '--dry-run', '--profile', 'nope', '--region', 'us-east-1'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('profile "nope" (--profile) is not in');
    expect(missing.stderr).toContain('aws configure');
    expect(aws.callCount('CreateStack')).toBe(0);
  }, 60_000);
});

/** The CLI on a pseudo-terminal (util-linux `script`), answering each prompt when it appears. */
function runOnTty(
  args: string[],
  env: Record<string, string>,
  answers: { when: string; send: string }[],
): Promise<{ code: number; out: string }> {
  return new Promise((res, rej) => {
    const line = shellLine([process.execPath, CLI, ...args]);
    const child = spawn('script', ['-qec', line, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const pending = [...answers];
    const onData = (d: Buffer): void => {
      out += d.toString();
      while (pending.length && out.includes(pending[0]!.when)) child.stdin.write(pending.shift()!.send);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', rej);
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code: code ?? -1, out });
    });
  });
}

const hasScript = existsSync('/usr/bin/script');
describe.skipIf(!hasScript)('elevate setup on a terminal (skipped: no util-linux script for a pty)', () => {
  it('asks before deploying and before appending; "n" to the diff leaves the config untouched, "y" appends it', async () => {
    aws.requireMfa(EL_ARN, '123456');
    const no = await runOnTty(['setup', '--profile', 'admin'], env, [
      {
        when: 'Deploy stack elevate-laptop to account 222222222222 (us-east-1) as profile admin? [y/N]',
        send: 'y\n',
      },
      { when: 'Append these lines to', send: 'n\n' },
    ]);
    expect(no.out).toContain('+[profile claudecode-elevated]');
    expect(no.out).toContain('nothing written to');
    expect(no.code).toBe(1);
    expect(readFileSync(sb.configFile, 'utf8')).toBe(ORIGINAL);
    expect(backups()).toEqual([]);
    const yes = await runOnTty(['setup', '--deploy', '--profile', 'admin'], env, [
      { when: 'Append these lines to', send: 'y\n' },
      { when: 'MFA code for', send: '123456\n' },
    ]);
    expect(yes.out).toContain('stack elevate-laptop is already up to date');
    expect(yes.out).toContain('whoami elevated: ok');
    expect(yes.out).not.toContain('123456'); // the MFA code is not echoed
    expect(yes.code).toBe(0);
    expect(readFileSync(sb.configFile, 'utf8').startsWith(ORIGINAL)).toBe(true);
    expect(backups()).toHaveLength(1);
  }, 120_000);
});

describe('elevate setup (laptop, SSO-style operator: an AWSReservedSSO_ role session)', () => {
  it('trusts the role ARN with its path (iam:GetRole), deploys without the MFA condition and says so; elevated needs no mfa_serial', async () => {
    // The operator session is an assumed AWSReservedSSO_ role (what `aws configure sso` profiles yield).
    const ssoRole = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef`;
    aws.cloudformation.addIamRole(ssoRole);
    sb.writeConfig(
      `${ORIGINAL}\n\n[profile sso-admin]\nrole_arn = ${ssoRole}\nsource_profile = admin\nrole_session_name = alice@example.com\nregion = us-east-1\n`,
    );
    const before = readFileSync(sb.configFile, 'utf8');
    const r = await runCli(['setup', '--deploy', '--profile', 'sso-admin', '--yes'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(sso, account 222222222222)');
    expect(r.stdout).toContain(`OperatorPrincipalArn = ${ssoRole}`);
    expect(r.stdout).toContain('RequireMfaForElevated = false');
    expect(r.stdout).toContain('note: IAM Identity Center sessions cannot carry MFA into AssumeRole');
    expect(r.stdout).toContain('the elevated role will NOT require MFA');
    const after = readFileSync(sb.configFile, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).not.toContain('mfa_serial');
    expect(after.slice(before.length)).toContain('source_profile = sso-admin');
    expect(r.stdout).toContain('whoami elevated: ok');
    expect(aws.cloudformation.roles().find((x) => x.name === 'claudecode-laptop-elevated')?.mfaRequired).toBe(
      false,
    );
  }, 120_000);
});

describe('setup building blocks', () => {
  let imds: Server | undefined;
  afterEach(async () => {
    if (imds) await new Promise<void>((r) => imds!.close(() => r()));
    imds = undefined;
  });

  it('detectEnvironment: IMDSv2 token + metadata → ec2 (instance, region, subnet); silent endpoint → laptop within the timeout', async () => {
    const seen: string[] = [];
    imds = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers['x-aws-ec2-metadata-token'] ?? ''}`);
      if (req.method === 'PUT' && req.url === '/latest/api/token') return void res.end('TOKEN-1');
      if (req.headers['x-aws-ec2-metadata-token'] !== 'TOKEN-1') return void res.writeHead(401).end();
      const data: Record<string, string> = {
        '/latest/meta-data/instance-id': 'i-0abc',
        '/latest/meta-data/placement/region': 'eu-central-1',
        '/latest/meta-data/mac': '0a:00:00:00:00:01',
        '/latest/meta-data/network/interfaces/macs/0a:00:00:00:00:01/vpc-id': 'vpc-1',
        '/latest/meta-data/network/interfaces/macs/0a:00:00:00:00:01/subnet-id': 'subnet-1',
      };
      const body = data[req.url ?? ''];
      if (body) res.end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => imds!.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(imds.address() as AddressInfo).port}`;
    const ec2 = await detectEnvironment({ AWS_EC2_METADATA_SERVICE_ENDPOINT: url });
    expect(ec2.kind).toBe('ec2');
    expect(ec2.probe).toMatchObject({
      instanceId: 'i-0abc',
      region: 'eu-central-1',
      vpcId: 'vpc-1',
      subnetId: 'subnet-1',
    });
    expect(seen[0]).toBe('PUT /latest/api/token ');
    expect(seen.slice(1).every((s) => s.endsWith(' TOKEN-1'))).toBe(true);

    // A port that accepts nothing (a closed server) and the explicit off switch.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const t0 = Date.now();
    const lap = await detectEnvironment({ AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${port}` });
    expect(lap.kind).toBe('laptop');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect((await detectEnvironment({ AWS_EC2_METADATA_DISABLED: 'true' })).detail).toContain(
      'AWS_EC2_METADATA_DISABLED',
    );
  });

  it('classifyCaller: IAM user, SSO, assumed role; root and federated users refused with what to do', () => {
    expect(classifyCaller(KEY.arn)).toMatchObject({
      kind: 'iam-user',
      principalArn: KEY.arn,
      userName: 'alice',
    });
    expect(
      classifyCaller(`arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_abc123/alice@example.com`),
    ).toMatchObject({
      kind: 'sso',
      roleName: 'AWSReservedSSO_Admin_abc123',
    });
    expect(classifyCaller(`arn:aws:sts::${ACCOUNT}:assumed-role/ops/alice`)).toMatchObject({
      kind: 'assumed-role',
      principalArn: `arn:aws:iam::${ACCOUNT}:role/ops`,
    });
    expect(() => classifyCaller(`arn:aws:iam::${ACCOUNT}:root`)).toThrow(/do not use root/);
    expect(() => classifyCaller(`arn:aws:sts::${ACCOUNT}:federated-user/bob`)).toThrow(
      /not an IAM user or a role session/,
    );
  });

  it('planConfigAppend: keeps every byte, adds a separating blank line, identical sections are "present", atomic write with backup', () => {
    const dir = makeSandbox('elevate-setupcfg-');
    const specs = tierProfiles({
      readonlyName: 'claudecode-readonly',
      elevatedName: 'claudecode-elevated',
      readonlyRoleArn: RO_ARN,
      elevatedRoleArn: EL_ARN,
      sourceProfile: 'admin',
      region: 'us-east-1',
      mfaSerial: MFA,
    });
    // new file: no leading blank line, 0600
    const fresh = planConfigAppend(dir.configFile + '.new', specs, '2026-01-01T00:00:00.000Z');
    expect(fresh.appended.startsWith('# Added by `elevate setup`')).toBe(true);
    applyConfigAppend(fresh, '2026-01-01T00:00:00.000Z');
    // present once written
    const again = planConfigAppend(dir.configFile + '.new', specs, 'x');
    expect(again).toMatchObject({
      present: ['claudecode-readonly', 'claudecode-elevated'],
      appended: '',
      conflicts: [],
    });
    // ends without newline → "\n\n" separator; with one → "\n"
    dir.writeConfig('[default]\nregion = x');
    expect(planConfigAppend(dir.configFile, specs, 's').appended.startsWith('\n\n# Added')).toBe(true);
    dir.writeConfig('[default]\nregion = x\n');
    const p = planConfigAppend(dir.configFile, specs, '2026-01-01T00:00:00.000Z');
    expect(p.appended.startsWith('\n# Added')).toBe(true);
    expect(renderDiff(p).split('\n').slice(0, 3)).toEqual([
      `--- ${dir.configFile}`,
      `+++ ${dir.configFile}`,
      '@@ -2,0 +3,14 @@',
    ]);
    // the file changed between plan and apply → refused, nothing written
    dir.writeConfig('[default]\nregion = y\n');
    expect(() => applyConfigAppend(p, '2026-01-01T00:00:00.000Z')).toThrow(/changed while setup was running/);
    expect(readFileSync(dir.configFile, 'utf8')).toBe('[default]\nregion = y\n');
    expect(existsSync(`${dir.configFile}.elevate-setup-20260101T000000Z.bak`)).toBe(false);
    const ok = planConfigAppend(dir.configFile, specs, '2026-01-01T00:00:00.000Z');
    const { backup } = applyConfigAppend(ok, '2026-01-01T00:00:00.000Z');
    expect(backup).toBe(`${dir.configFile}.elevate-setup-20260101T000000Z.bak`);
    // a second backup with the same stamp does not overwrite the first
    const ok2 = planConfigAppend(
      dir.configFile,
      tierProfiles({
        ...{ readonlyName: 'a-ro', elevatedName: 'a-el' },
        readonlyRoleArn: RO_ARN,
        elevatedRoleArn: EL_ARN,
        sourceProfile: 'admin',
        region: 'us-east-1',
      }),
      '2026-01-01T00:00:00.000Z',
    );
    expect(applyConfigAppend(ok2, '2026-01-01T00:00:00.000Z').backup).toBe(
      `${dir.configFile}.elevate-setup-20260101T000000Z-2.bak`,
    );
    expect(readFileSync(backup!, 'utf8')).toBe('[default]\nregion = y\n');
  });
});
