// infra/workstation.yaml parsed as CloudFormation (YAML with intrinsic-function tags), evaluated with its
// parameter defaults, and checked against what Elevate expects: tier role names, the trust chain, IMDSv2,
// no inbound access, the ~/.aws/config it writes (read by Elevate's own tier detection) and its outputs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAwsSetup } from '../../shared/awsConfig';
import { defaultSettings } from '../../shared/settings';
import { resolveTiers } from '../../shared/tiers';
import { templateCandidates } from '../../electron/cli/commands/workstation';
import {
  NOT_INTRINSIC,
  cfnLint,
  cfnLintInstalled,
  evalIntrinsic,
  packagedFiles,
  parseCfnTemplate,
  type Json,
} from '../helpers/cfnYaml';

const ROOT = resolve(__dirname, '..', '..');
const FILE = join(ROOT, 'infra', 'workstation.yaml');
const TEXT = readFileSync(FILE, 'utf8');

interface Template {
  Parameters: Record<string, { Type: string; Default?: Json; AllowedValues?: Json[] }>;
  Conditions: Record<string, Json>;
  Resources: Record<string, { Type: string; Properties: Record<string, Json> }>;
  Outputs: Record<string, { Value: Json }>;
}
const T = parseCfnTemplate(TEXT) as Template;

// ------------------------------------------------------------------ a small evaluator (defaults)
const ACCOUNT = '123456789012';
const PSEUDO: Record<string, string> = {
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'claudecode-workstation',
};

function refValue(name: string, params: Record<string, Json>): Json {
  if (name in PSEUDO) return PSEUDO[name]!;
  if (name in params) return params[name]!;
  const r = T.Resources[name];
  if (!r) throw new Error(`Ref to unknown ${name}`);
  if (r.Type === 'AWS::IAM::Role' || r.Type === 'AWS::IAM::InstanceProfile')
    return `${name}:${String(ev(r.Properties.RoleName ?? r.Properties.InstanceProfileName ?? name, params))}`;
  if (r.Type === 'AWS::IAM::ManagedPolicy')
    return `arn:aws:iam::${ACCOUNT}:policy/${String(ev(r.Properties.ManagedPolicyName!, params))}`;
  if (r.Type === 'AWS::EC2::Instance') return 'i-0123456789abcdef0';
  return `{${name}}`;
}

function getAtt(res: string, attr: string, params: Record<string, Json>): Json {
  const r = T.Resources[res];
  if (!r) throw new Error(`GetAtt of unknown resource ${res}`);
  if (r.Type === 'AWS::IAM::Role' && attr === 'Arn')
    return `arn:aws:iam::${ACCOUNT}:role/${String(ev(r.Properties.RoleName!, params))}`;
  if (r.Type === 'AWS::EC2::LaunchTemplate' && attr === 'LatestVersionNumber') return '1';
  throw new Error(`GetAtt ${res}.${attr} not modelled`);
}

function ev(node: Json, params: Record<string, Json>): Json {
  if (Array.isArray(node)) return node.map((n) => ev(n, params));
  if (!node || typeof node !== 'object') return node;
  const keys = Object.keys(node);
  if (keys.length === 1) {
    const out = evalIntrinsic(keys[0]!, node[keys[0]!]!, {
      ev: (n) => ev(n, params),
      ref: (name) => refValue(name, params),
      getAtt: (res, attr) => getAtt(res, attr, params),
      condition: (name) => Boolean(ev(T.Conditions[name]!, params)),
      isPseudo: (name) => name in PSEUDO,
    });
    if (out !== NOT_INTRINSIC) return out;
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, ev(v, params)]));
}

const OPERATOR = `arn:aws:iam::${ACCOUNT}:user/operator`;
const DEFAULTS: Record<string, Json> = {
  ...Object.fromEntries(Object.entries(T.Parameters).map(([k, p]) => [k, p.Default ?? `<${k}>`])),
  OperatorPrincipalArn: OPERATOR,
};
const R = (name: string) => ev(T.Resources[name]!.Properties as Json, DEFAULTS) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const arnOf = (role: string) => getAtt(role, 'Arn', DEFAULTS);
type Statement = {
  Effect: string;
  Principal?: Record<string, Json>;
  Action: string | string[];
  Resource?: Json;
  Condition?: Record<string, Record<string, string>>;
};
const statements = (doc: { Statement: Statement[] }) => doc.Statement;
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('infra/workstation.yaml', () => {
  const settings = defaultSettings();

  it('parses as CloudFormation YAML; every Ref / GetAtt / ${} names a parameter, pseudo parameter or resource', () => {
    expect(Object.keys(T.Resources).length).toBeGreaterThan(8);
    const refs: string[] = [];
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) return n.forEach(walk);
      if (!n || typeof n !== 'object') return;
      for (const [k, v] of Object.entries(n)) {
        if (k === 'Ref') refs.push(v as string);
        else if (k === 'Fn::GetAtt') refs.push((v as string[])[0]!);
        else if (k === 'Fn::Sub') {
          const s = Array.isArray(v) ? (v[0] as string) : (v as string);
          for (const m of s.matchAll(/\$\{([^!}][^}.]*)(?:\.[^}]*)?\}/g)) refs.push(m[1]!);
        }
        walk(v);
      }
    };
    walk(T.Resources);
    walk(T.Outputs);
    for (const r of new Set(refs)) expect(r in T.Parameters || r in T.Resources || r in PSEUDO, r).toBe(true);
    // Every resource evaluates with the defaults (no unknown intrinsic left).
    for (const name of Object.keys(T.Resources)) expect(() => R(name)).not.toThrow();
  });

  it('parameters: Graviton instance types only, AL2023 arm64 from the public SSM parameter', () => {
    const it = T.Parameters.InstanceType!;
    expect(it.AllowedValues!.every((v) => /^(t4g|m7g)\./.test(String(v)))).toBe(true);
    expect(it.AllowedValues).toContain(it.Default);
    expect(T.Parameters.ImageId).toMatchObject({
      Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
      Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
    });
    expect(T.Parameters.Prefix!.Default).toBe('claudecode');
  });

  it('role names match Elevate’s default tier names and remote profile settings', () => {
    expect(R('ReadOnlyRole').RoleName).toBe('claudecode-readonly');
    expect(R('ElevatedRole').RoleName).toBe('claudecode-elevated');
    expect(R('ReadOnlyRole').RoleName).toBe(settings.workstation.remoteReadonlyProfile);
    expect(R('ElevatedRole').RoleName).toBe(settings.workstation.remoteElevatedProfile);
  });

  it('instance role: EC2 only, SSM core, and may assume ONLY the read-only tier (explicit Deny on any other role)', () => {
    const role = R('InstanceRole');
    const trust = statements(role.AssumeRolePolicyDocument);
    expect(trust).toEqual([
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(role.ManagedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    expect(R('InstanceProfile').Roles).toEqual([refValue('InstanceRole', DEFAULTS)]);
    const pol = R('InstanceMayAssumeReadOnly');
    expect(pol.Roles).toEqual([refValue('InstanceRole', DEFAULTS)]);
    expect(statements(pol.PolicyDocument)).toEqual([
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
        Resource: arnOf('ReadOnlyRole'),
      },
      {
        Sid: 'OnlyTheReadOnlyTier',
        Effect: 'Deny',
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
        NotResource: arnOf('ReadOnlyRole'),
      },
    ]);
    // Nothing attached to the instance role names the elevated role.
    for (const [name, r] of Object.entries(T.Resources)) {
      if (r.Type !== 'AWS::IAM::Policy') continue;
      const p = R(name);
      if ((p.Roles as string[]).includes(refValue('InstanceRole', DEFAULTS) as string))
        expect(JSON.stringify(p)).not.toContain(arnOf('ElevatedRole'));
    }
  });

  it('read-only tier: trusted by the instance role only, with SetSourceIdentity and a session-name condition; ReadOnlyAccess + Bedrock', () => {
    const role = R('ReadOnlyRole');
    const trust = statements(role.AssumeRolePolicyDocument);
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({ Effect: 'Allow', Principal: { AWS: arnOf('InstanceRole') } });
    expect(actions(trust[0]!).sort()).toEqual(['sts:AssumeRole', 'sts:SetSourceIdentity']);
    expect(trust[0]!.Condition).toEqual({ StringLike: { 'sts:RoleSessionName': 'claude-*' } });
    expect(role.ManagedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      refValue('BedrockPolicy', DEFAULTS),
    ]);
    expect(role.MaxSessionDuration).toBe(3600);
    // Security change: the read-only tier no longer may elevate; an explicit Deny says so.
    expect(T.Resources.ReadOnlyMayElevate).toBeUndefined();
    const noElevate = R('ReadOnlyMayNotElevate');
    expect(noElevate.Roles).toEqual([refValue('ReadOnlyRole', DEFAULTS)]);
    expect(statements(noElevate.PolicyDocument)).toEqual([
      {
        Sid: 'NoSelfElevation',
        Effect: 'Deny',
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
        Resource: arnOf('ElevatedRole'),
      },
    ]);
  });

  it('elevated tier: trusted ONLY by the operator principal with MFA (never the read-only or instance role); PowerUserAccess + the same Bedrock policy', () => {
    expect(T.Parameters.OperatorPrincipalArn).toMatchObject({ Type: 'String' });
    expect(T.Parameters.OperatorPrincipalArn!.Default).toBeUndefined();
    const pattern = new RegExp(
      (T.Parameters.OperatorPrincipalArn as unknown as { AllowedPattern: string }).AllowedPattern,
    );
    expect(pattern.test(OPERATOR)).toBe(true);
    expect(pattern.test(`arn:aws:iam::${ACCOUNT}:root`)).toBe(false);
    expect(pattern.test('*')).toBe(false);
    const role = R('ElevatedRole');
    const trust = statements(role.AssumeRolePolicyDocument);
    expect(trust).toHaveLength(1);
    expect(trust[0]!.Principal).toEqual({ AWS: OPERATOR });
    expect(trust[0]!.Effect).toBe('Allow');
    expect(actions(trust[0]!).sort()).toEqual(['sts:AssumeRole', 'sts:SetSourceIdentity']);
    expect(trust[0]!.Condition).toEqual({
      Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      StringLike: { 'sts:RoleSessionName': 'claude-*' },
    });
    expect(JSON.stringify(role.AssumeRolePolicyDocument)).not.toContain(arnOf('ReadOnlyRole') as string);
    expect(JSON.stringify(role.AssumeRolePolicyDocument)).not.toContain(arnOf('InstanceRole') as string);
    expect(role.MaxSessionDuration).toBe(3600);
    expect(role.ManagedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/PowerUserAccess',
      refValue('BedrockPolicy', DEFAULTS),
    ]);
    const bedrock = statements(R('BedrockPolicy').PolicyDocument);
    expect(bedrock.flatMap(actions)).toEqual(
      expect.arrayContaining(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']),
    );
    expect(bedrock.flatMap(actions).some((a) => a === '*' || a === 'bedrock:*')).toBe(false);
  });

  it('IMDSv2 required with a hop limit; encrypted root volume', () => {
    const lt = R('LaunchTemplate').LaunchTemplateData;
    expect(lt.MetadataOptions).toMatchObject({
      HttpTokens: 'required',
      HttpEndpoint: 'enabled',
      HttpPutResponseHopLimit: 1,
    });
    expect(lt.BlockDeviceMappings[0].Ebs.Encrypted).toBe(true);
    const inst = R('Instance');
    expect(inst.LaunchTemplate.LaunchTemplateId).toBe(refValue('LaunchTemplate', DEFAULTS));
    expect(inst.IamInstanceProfile).toBe(refValue('InstanceProfile', DEFAULTS));
    expect(inst.NetworkInterfaces[0].AssociatePublicIpAddress).toBe(false);
    expect(ev({ 'Fn::If': ['PublicIp', true, false] }, { ...DEFAULTS, AssignPublicIp: 'true' })).toBe(true);
  });

  it('no inbound access: no ingress rules anywhere, HTTPS-only egress; SSM is the only way in', () => {
    const sg = R('SecurityGroup');
    expect(sg.SecurityGroupIngress).toBeUndefined();
    expect(sg.SecurityGroupEgress).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
    expect(Object.values(T.Resources).map((r) => r.Type)).not.toContain('AWS::EC2::SecurityGroupIngress');
    expect(R('Instance').NetworkInterfaces[0].GroupSet).toEqual([refValue('SecurityGroup', DEFAULTS)]);
    expect(TEXT).not.toMatch(/KeyName/);
  });

  it('the instance is discoverable by Elevate’s default tag filter', () => {
    const tags = R('Instance').Tags as { Key: string; Value: string }[];
    const name = tags.find((t) => t.Key === settings.workstation.tagKey)!.Value;
    expect(name.startsWith(settings.workstation.tagPrefix)).toBe(true);
    expect(name).toBe(`${settings.workstation.tagPrefix}workstation`);
  });

  it('UserData writes a ~/.aws/config with ONLY the read-only tier (the instance cannot reach the elevated role), session name satisfying the trust condition', () => {
    const userData = R('Instance').UserData as string;
    expect(userData.startsWith('#!/bin/bash\n')).toBe(true);
    expect(userData).toContain('claude.ai/install.sh');
    const m = /cat > \/home\/ec2-user\/\.aws\/config <<'ELEVATE_EOF'\n([\s\S]*?)\nELEVATE_EOF/.exec(userData);
    expect(m).not.toBeNull();
    const setup = buildAwsSetup(
      { path: '/home/ec2-user/.aws/config', text: m![1]! },
      { path: '/home/ec2-user/.aws/credentials', text: null },
    );
    const tiers = resolveTiers(setup.profiles, {});
    expect(tiers.readonly).toBe('claudecode-readonly');
    // Security change: no elevated profile on the instance (it could never be assumed from there).
    expect([...setup.profiles.keys()]).toEqual(['claudecode-readonly']);
    expect(userData).not.toContain(arnOf('ElevatedRole') as string);
    const ro = setup.profiles.get('claudecode-readonly')!;
    expect(ro).toMatchObject({
      roleArn: arnOf('ReadOnlyRole'),
      credentialSource: 'Ec2InstanceMetadata',
      region: 'us-east-1',
    });
    expect(ro.roleSessionName).toMatch(/^claude-/);
    expect(setup.problems.filter((p) => p.severity === 'fail')).toEqual([]);
    // The bash that CloudFormation renders is valid shell.
    expect(spawnSync('bash', ['-n'], { input: userData }).status).toBe(0);
  });

  it('outputs: instance id, the three role ARNs, the operator and both profiles (elevated: operator source + mfa_serial)', () => {
    const out = Object.fromEntries(Object.entries(T.Outputs).map(([k, o]) => [k, ev(o.Value, DEFAULTS)]));
    expect(out).toMatchObject({
      InstanceId: 'i-0123456789abcdef0',
      InstanceRoleArn: arnOf('InstanceRole'),
      ReadOnlyRoleArn: `arn:aws:iam::${ACCOUNT}:role/claudecode-readonly`,
      ElevatedRoleArn: `arn:aws:iam::${ACCOUNT}:role/claudecode-elevated`,
    });
    expect(out.ConnectCommand).toBe('elevate ssm connect --instance i-0123456789abcdef0 --region us-east-1');
    expect(out.OperatorPrincipalArn).toBe(OPERATOR);
    const roProfile = buildAwsSetup(
      { path: 'config', text: String(out.ReadOnlyProfile) },
      { path: 'c', text: null },
    );
    expect(roProfile.profiles.get('claudecode-readonly')).toMatchObject({ roleArn: arnOf('ReadOnlyRole') });
    const elText = String(out.ElevatedProfile).replace('OPERATOR_PROFILE', 'operator');
    const elProfile = buildAwsSetup(
      { path: 'config', text: `[profile operator]\nregion = us-east-1\n\n${elText}` },
      { path: 'c', text: '[operator]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n' },
    );
    expect(elProfile.profiles.get('claudecode-elevated')).toMatchObject({
      roleArn: arnOf('ElevatedRole'),
      sourceProfile: 'operator',
      mfaSerial: 'MFA_DEVICE_ARN',
      roleSessionName: 'claude-elevated',
    });
  });

  it('ships: found next to the CLI bundle (out/cli → infra/), and packed into the app (electron-builder files)', () => {
    expect(templateCandidates(join(ROOT, 'out', 'cli'), undefined)[0]).toBe(FILE);
    expect(packagedFiles(ROOT)).toContain('infra/workstation.yaml');
  });

  it.skipIf(!cfnLintInstalled())(
    'cfn-lint finds nothing (skipped: cfn-lint not installed)',
    () => expect(() => cfnLint(FILE)).not.toThrow(),
    150_000,
  );
});
