// infra/laptop.yaml parsed as CloudFormation (YAML with intrinsic-function tags, by the same evaluator the
// test endpoint deploys it with) and checked against the hardened laptop layout of issue 12 P2: both tier
// roles trust only the operator principal, the elevated one only with MFA, the read-only role can never
// assume the elevated one, Bedrock on both, one-hour sessions, role ARNs as outputs.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateEvaluator, creationOrder, parseTemplate, type Json } from '../helpers/cloudformation';
import { cfnLint, cfnLintInstalled, packagedFiles } from '../helpers/cfnYaml';

const ROOT = resolve(__dirname, '..', '..');
const FILE = join(ROOT, 'infra', 'laptop.yaml');
const T = parseTemplate(readFileSync(FILE, 'utf8'));
const WORKSTATION = parseTemplate(readFileSync(join(ROOT, 'infra', 'workstation.yaml'), 'utf8'));
const ACCOUNT = '123456789012';
const USER = `arn:aws:iam::${ACCOUNT}:user/alice`;
const SSO_ROLE = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef`;

function evaluator(params: Record<string, string> = {}): TemplateEvaluator {
  const all: Record<string, Json> = {};
  for (const [k, p] of Object.entries(T.Parameters ?? {})) {
    const v = params[k] ?? (p.Default !== undefined ? String(p.Default) : undefined);
    if (v !== undefined) all[k] = v;
  }
  return new TemplateEvaluator(T, {
    account: ACCOUNT,
    region: 'us-east-1',
    stackName: 'elevate-laptop',
    stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/elevate-laptop/x',
    params: all,
  });
}

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: Record<string, Json>;
  Action: string | string[];
  Resource?: Json;
  Condition?: Record<string, Record<string, Json>>;
};
const statements = (doc: Json): Statement[] => (doc as { Statement: Statement[] }).Statement;
const actions = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('infra/laptop.yaml', () => {
  const ev = evaluator({ OperatorPrincipalArn: USER });
  const ro = ev.props('ReadOnlyRole');
  const el = ev.props('ElevatedRole');
  const roArn = String(ev.getAtt('ReadOnlyRole', 'Arn'));
  const elArn = String(ev.getAtt('ElevatedRole', 'Arn'));

  it('parses; every resource evaluates; creation order has no cycle; only IAM resources', () => {
    expect(creationOrder(T)).toHaveLength(Object.keys(T.Resources).length);
    for (const id of Object.keys(T.Resources)) expect(() => ev.props(id)).not.toThrow();
    expect(new Set(Object.values(T.Resources).map((r) => r.Type))).toEqual(
      new Set(['AWS::IAM::Role', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy']),
    );
  });

  it('OperatorPrincipalArn: required (no default), accepts IAM user and role ARNs (SSO paths too), refuses assumed-role/STS ARNs', () => {
    const p = T.Parameters!.OperatorPrincipalArn!;
    expect(p.Default).toBeUndefined();
    const re = new RegExp(p.AllowedPattern!);
    expect(re.test(USER)).toBe(true);
    expect(re.test(`arn:aws:iam::${ACCOUNT}:role/admin`)).toBe(true);
    expect(re.test(SSO_ROLE)).toBe(true);
    expect(re.test(`arn:aws:sts::${ACCOUNT}:assumed-role/admin/alice`)).toBe(false);
    expect(re.test('*')).toBe(false);
    expect(re.test(`arn:aws:iam::${ACCOUNT}:root`)).toBe(false);
  });

  it('read-only role: trusted only by the operator principal (session name claude-*); ReadOnlyAccess + Bedrock; 1 h', () => {
    const trust = statements(ro.AssumeRolePolicyDocument!);
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({ Effect: 'Allow', Principal: { AWS: USER } });
    expect(actions(trust[0]!).sort()).toEqual(['sts:AssumeRole', 'sts:SetSourceIdentity']);
    expect(trust[0]!.Condition).toEqual({ StringLike: { 'sts:RoleSessionName': 'claude-*' } });
    expect(ro.ManagedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      ev.physicalId('BedrockPolicy'),
    ]);
    expect(ro.MaxSessionDuration).toBe(3600);
    expect(ro.RoleName).toBe('claudecode-laptop-readonly');
  });

  it('elevated role: trusted only by the operator with aws:MultiFactorAuthPresent; PowerUserAccess + Bedrock; 1 h', () => {
    const trust = statements(el.AssumeRolePolicyDocument!);
    const allows = trust.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]!.Principal).toEqual({ AWS: USER });
    expect(allows[0]!.Condition).toEqual({
      StringLike: { 'sts:RoleSessionName': 'claude-*' },
      Bool: { 'aws:MultiFactorAuthPresent': 'true' },
    });
    expect(el.ManagedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/PowerUserAccess',
      ev.physicalId('BedrockPolicy'),
    ]);
    expect(el.MaxSessionDuration).toBe(3600);
  });

  it('the read-only role cannot assume the elevated one: not an allowed principal, denied in the trust policy and by its own policy', () => {
    const trust = statements(el.AssumeRolePolicyDocument!);
    for (const s of trust.filter((x) => x.Effect === 'Allow'))
      expect(JSON.stringify(s.Principal)).not.toContain(roArn);
    const deny = trust.find((s) => s.Effect === 'Deny')!;
    expect(deny.Principal).toEqual({ AWS: roArn });
    expect(actions(deny)).toEqual(['sts:*']);
    const own = ev.props('ReadOnlyMayNotElevate');
    expect(own.Roles).toEqual([ev.physicalId('ReadOnlyRole')]);
    const s = statements(own.PolicyDocument!);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ Effect: 'Deny', Resource: elArn });
    expect(actions(s[0]!)).toContain('sts:AssumeRole');
    // No Allow anywhere in the template grants sts:AssumeRole on the elevated role to anything else.
    for (const id of Object.keys(T.Resources)) {
      if (T.Resources[id]!.Type !== 'AWS::IAM::Policy' && T.Resources[id]!.Type !== 'AWS::IAM::ManagedPolicy')
        continue;
      for (const st of statements(ev.props(id).PolicyDocument!))
        if (st.Effect === 'Allow') expect(JSON.stringify(st)).not.toContain(elArn);
    }
  });

  it('SSO operators (RequireMfaForElevated=false): the operator role is the principal and only the MFA condition goes', () => {
    const sso = evaluator({ OperatorPrincipalArn: SSO_ROLE, RequireMfaForElevated: 'false' });
    const allow = statements(sso.props('ElevatedRole').AssumeRolePolicyDocument!).find(
      (s) => s.Effect === 'Allow',
    )!;
    expect(allow.Principal).toEqual({ AWS: SSO_ROLE });
    expect(allow.Condition).toEqual({ StringLike: { 'sts:RoleSessionName': 'claude-*' } });
    expect(T.Parameters!.RequireMfaForElevated!.Default).toBe('true');
  });

  it('Bedrock: the same policy statements as the workstation template (no wildcard actions)', () => {
    const mine = ev.props('BedrockPolicy').PolicyDocument as Json;
    const ws = new TemplateEvaluator(WORKSTATION, {
      account: ACCOUNT,
      region: 'us-east-1',
      stackName: 'w',
      stackId: 'w',
      params: { Prefix: 'claudecode', BedrockModelResource: '*' },
    }).props('BedrockPolicy').PolicyDocument as Json;
    expect(mine).toEqual(ws);
    expect(
      statements(mine)
        .flatMap(actions)
        .some((a) => a === '*' || a === 'bedrock:*'),
    ).toBe(false);
  });

  it('outputs: both role ARNs', () => {
    const out = Object.fromEntries(Object.entries(T.Outputs!).map(([k, o]) => [k, ev.ev(o.Value)]));
    expect(out).toMatchObject({
      ReadOnlyRoleArn: `arn:aws:iam::${ACCOUNT}:role/claudecode-laptop-readonly`,
      ElevatedRoleArn: `arn:aws:iam::${ACCOUNT}:role/claudecode-laptop-elevated`,
    });
  });

  it('ships in the packaged app (electron-builder files)', () => {
    expect(packagedFiles(ROOT)).toContain('infra/laptop.yaml');
  });
});

it.skipIf(!cfnLintInstalled())(
  'cfn-lint finds nothing in infra/laptop.yaml (skipped: cfn-lint not installed)',
  () => expect(() => cfnLint(FILE)).not.toThrow(),
  150_000,
);
