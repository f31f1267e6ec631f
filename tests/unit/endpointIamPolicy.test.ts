// The endpoint's IAM evaluator (tests/helpers/iamPolicy.ts) on IAM's documented semantics: wildcards,
// NotAction/NotResource, condition operators (…IfExists, negated operators on a missing key, Null,
// ForAllValues/ForAnyValue, dates as ISO or epoch seconds), explicit Deny over Allow, principals.
import { describe, expect, it } from 'vitest';
import {
  conditionMatches,
  evaluatePolicies,
  managedPolicy,
  parsePolicy,
  principalMatch,
  wildcardMatch,
  type PolicyDocument,
} from '../helpers/iamPolicy';

const doc = (Statement: unknown[]): PolicyDocument => parsePolicy({ Version: '2012-10-17', Statement });
const req = (action: string, resource = '*', context = {}) => ({ action, resource, context });

describe('iamPolicy', () => {
  it('wildcards: * spans, ? is one character, actions case-insensitive, resources case-sensitive', () => {
    expect(wildcardMatch('ssm:Describe*', 'ssm:describeinstanceinformation', true)).toBe(true);
    expect(wildcardMatch('ssm:Get?', 'ssm:GetX')).toBe(true);
    expect(wildcardMatch('ssm:Get?', 'ssm:GetXY')).toBe(false);
    expect(wildcardMatch('arn:aws:ec2:*:*:instance/i-0A*', 'arn:aws:ec2:us-east-1:1:instance/i-0a1')).toBe(
      false,
    );
    const d = doc([{ Effect: 'Allow', Action: 'ssm:describe*', Resource: 'arn:aws:ssm:*' }]);
    expect(evaluatePolicies([d], req('ssm:DescribeDocument', 'arn:aws:ssm:us-east-1:1:document/x'))).toBe(
      'Allow',
    );
    expect(evaluatePolicies([d], req('ssm:SendCommand', 'arn:aws:ssm:x'))).toBe('ImplicitDeny');
  });

  it('NotAction / NotResource, and explicit Deny over any Allow across policies', () => {
    const power = managedPolicy('PowerUserAccess');
    expect(evaluatePolicies([power], req('ec2:RunInstances'))).toBe('Allow');
    expect(evaluatePolicies([power], req('iam:CreateUser'))).toBe('ImplicitDeny');
    expect(evaluatePolicies([power], req('iam:ListRoles'))).toBe('Allow');
    const deny = doc([{ Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::ok/*' }]);
    expect(evaluatePolicies([power, deny], req('s3:GetObject', 'arn:aws:s3:::secret/a'))).toBe(
      'ExplicitDeny',
    );
    expect(evaluatePolicies([power, deny], req('s3:GetObject', 'arn:aws:s3:::ok/a'))).toBe('Allow');
    expect(managedPolicy('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBe(managedPolicy('ReadOnlyAccess'));
  });

  it('conditions: IfExists and negated operators on a missing key, Null, multi-valued sets, dates, keys case-insensitive', () => {
    expect(conditionMatches({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }, {})).toBe(true);
    expect(conditionMatches({ Bool: { 'aws:MultiFactorAuthPresent': 'false' } }, {})).toBe(false);
    expect(conditionMatches({ StringNotEquals: { 'aws:PrincipalArn': 'x' } }, {})).toBe(true);
    expect(
      conditionMatches({ StringNotEquals: { 'aws:PrincipalArn': ['x', 'y'] } }, { 'aws:principalarn': 'y' }),
    ).toBe(false);
    expect(
      conditionMatches({ StringEquals: { 'aws:PrincipalArn': ['x', 'y'] } }, { 'AWS:PrincipalArn': 'y' }),
    ).toBe(true);
    expect(conditionMatches({ Null: { 'aws:SourceIdentity': 'true' } }, {})).toBe(true);
    expect(conditionMatches({ Null: { 'aws:SourceIdentity': 'false' } }, { 'aws:SourceIdentity': 'a' })).toBe(
      true,
    );
    expect(
      conditionMatches(
        { 'ForAllValues:StringLike': { 'aws:TagKeys': ['env*'] } },
        { 'aws:TagKeys': ['env', 'envx'] },
      ),
    ).toBe(true);
    expect(
      conditionMatches(
        { 'ForAllValues:StringLike': { 'aws:TagKeys': ['env*'] } },
        { 'aws:TagKeys': ['env', 'x'] },
      ),
    ).toBe(false);
    expect(
      conditionMatches(
        { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'x' } },
        { 'aws:TagKeys': ['env', 'x'] },
      ),
    ).toBe(true);
    const t = '2030-01-01T00:00:00Z';
    expect(
      conditionMatches(
        { DateLessThan: { 'aws:CurrentTime': t } },
        { 'aws:CurrentTime': '2029-12-31T23:59:59.000Z' },
      ),
    ).toBe(true);
    expect(
      conditionMatches(
        { DateLessThan: { 'aws:CurrentTime': t } },
        { 'aws:CurrentTime': '2030-01-01T00:00:00.000Z' },
      ),
    ).toBe(false);
    expect(
      conditionMatches(
        { DateLessThan: { 'aws:CurrentTime': String(Date.parse(t) / 1000) } },
        { 'aws:CurrentTime': '2029-12-31T23:59:59Z' },
      ),
    ).toBe(true);
    expect(
      conditionMatches(
        { NumericLessThan: { 'aws:MultiFactorAuthAge': '300' } },
        { 'aws:MultiFactorAuthAge': '299' },
      ),
    ).toBe(true);
    expect(conditionMatches({ NumericLessThan: { 'aws:MultiFactorAuthAge': '300' } }, {})).toBe(false);
  });

  it('principals: exact user/role/session ARN vs account root, id or *; service principals', () => {
    const who = {
      arn: 'arn:aws:sts::111111111111:assumed-role/ro/s',
      account: '111111111111',
      principalArn: 'arn:aws:iam::111111111111:role/ro',
    };
    const st = (Principal: unknown) =>
      ({ Effect: 'Allow' as const, Action: 'sts:AssumeRole', Principal }) as never;
    expect(principalMatch(st({ AWS: 'arn:aws:iam::111111111111:role/ro' }), who)).toBe('exact');
    expect(principalMatch(st({ AWS: who.arn }), who)).toBe('exact');
    expect(principalMatch(st({ AWS: ['111111111111'] }), who)).toBe('account');
    expect(principalMatch(st({ AWS: 'arn:aws:iam::111111111111:root' }), who)).toBe('account');
    expect(principalMatch(st('*'), who)).toBe('account');
    expect(principalMatch(st({ AWS: 'arn:aws:iam::222222222222:root' }), who)).toBeUndefined();
    expect(principalMatch(st({ Service: 'ec2.amazonaws.com' }), who)).toBeUndefined();
    expect(
      principalMatch(st({ Service: 'ec2.amazonaws.com' }), { ...who, service: 'ec2.amazonaws.com' }),
    ).toBe('exact');
  });

  it('parsePolicy refuses what IAM refuses, with IAM’s messages', () => {
    expect(() => parsePolicy('{')).toThrow('Syntax errors in policy.');
    expect(() =>
      parsePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }),
    ).toThrow('Policy statement must contain actions.');
    expect(() => parsePolicy({ Statement: { Effect: 'Allow', Action: 's3:*' } })).toThrow(
      'Policy statement must contain resources.',
    );
    expect(() => parsePolicy({ Version: '2099-01-01', Statement: [] })).toThrow('valid version');
    expect(() =>
      parsePolicy({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }, 'trust'),
    ).toThrow('Missing required field Principal');
    expect(() => parsePolicy({ Statement: [{ Effect: 'Allow', Action: '*:Get', Resource: '*' }] })).toThrow(
      /Action vendors/,
    );
  });
});
