// The small IAM policy evaluator and the tiers' effective policies (managed policies + Bedrock policy).
import { describe, expect, it } from 'vitest';
import {
  actionMatches,
  describeStatement,
  evaluate,
  resourceMatches,
  type NamedPolicy,
} from '../../shared/iam/policy';
import { TIER_POLICIES } from '../../shared/iam/tierPolicies';
import { explainAws, formatExplanation, requestedActionsOf } from '../../shared/iam/explain';
import { loadCatalog } from '../../electron/node/iam/catalog';

const P = (name: string, ...Statement: NamedPolicy['document']['Statement'][]): NamedPolicy => ({
  name,
  document: { Version: '2012-10-17', Statement: Statement.flat() },
});

describe('policy evaluator', () => {
  it('wildcards: actions case-insensitive, resources case-sensitive, * and ?', () => {
    expect(actionMatches('s3:Get*', 's3:GetObject')).toBe(true);
    expect(actionMatches('S3:get*', 's3:GetObject')).toBe(true);
    expect(actionMatches('s3:Get?bject', 's3:GetObject')).toBe(true);
    expect(actionMatches('s3:Get*', 's3:PutObject')).toBe(false);
    expect(actionMatches('s3:List', 's3:ListBucket')).toBe(false);
    expect(resourceMatches('arn:aws:s3:::b/*', 'arn:aws:s3:::b/k')).toBe(true);
    expect(resourceMatches('arn:aws:s3:::B/*', 'arn:aws:s3:::b/k')).toBe(false);
    expect(resourceMatches('arn:aws:s3:::b.x', 'arn:aws:s3:::bax')).toBe(false); // '.' is literal
  });
  it('implicit deny without a matching Allow', () => {
    expect(evaluate([P('p', { Effect: 'Allow', Action: 's3:Get*', Resource: '*' })], 's3:PutObject')).toEqual(
      {
        decision: 'denied',
        reason: 'implicit-deny',
      },
    );
  });
  it('explicit Deny wins over Allow, whatever the order', () => {
    const pol = [
      P('allow', { Effect: 'Allow', Action: '*', Resource: '*' }),
      P('deny', { Sid: 'NoDelete', Effect: 'Deny', Action: ['s3:Delete*'], Resource: '*' }),
    ];
    const d = evaluate(pol, 's3:DeleteBucket');
    expect(d).toMatchObject({
      decision: 'denied',
      reason: 'explicit-deny',
      statement: { policy: 'deny', sid: 'NoDelete' },
    });
    expect(evaluate(pol, 's3:GetObject').decision).toBe('allowed');
  });
  it('NotAction allows everything else; NotResource', () => {
    const pol = [P('pu', { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' })];
    expect(evaluate(pol, 'ec2:RunInstances').decision).toBe('allowed');
    expect(evaluate(pol, 'iam:CreateRole').decision).toBe('denied');
    const nr = [P('nr', { Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' })];
    expect(evaluate(nr, 's3:GetObject', 'arn:aws:s3:::secret/k').decision).toBe('denied');
    expect(evaluate(nr, 's3:GetObject', 'arn:aws:s3:::open/k').decision).toBe('allowed');
  });
  it('Resource scoping: a statement on another resource does not allow', () => {
    const pol = [P('b', { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*' })];
    expect(evaluate(pol, 's3:PutObject', 'arn:aws:s3:::b/k').decision).toBe('allowed');
    expect(evaluate(pol, 's3:PutObject', 'arn:aws:s3:::c/k').decision).toBe('denied');
  });
  it('conditions are reported, and an unconditional Allow is preferred as the deciding statement', () => {
    const pol = [
      P('c', {
        Effect: 'Allow',
        Action: 's3:*',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'true' } },
      }),
      P('u', { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }),
    ];
    expect(evaluate(pol, 's3:GetObject').statement?.policy).toBe('u');
    const onlyCond = evaluate([pol[0]!], 's3:PutObject');
    expect(onlyCond.statement?.conditional).toBe(true);
    expect(describeStatement(onlyCond.statement)).toMatch(/only when its Condition holds/);
    // A conditional Deny does not decide on its own.
    const cd = [
      P('a', { Effect: 'Allow', Action: '*', Resource: '*' }),
      P('d', {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { DateGreaterThan: { 'aws:CurrentTime': 'x' } },
      }),
    ];
    expect(evaluate(cd, 's3:GetObject').decision).toBe('allowed');
  });
  it('a single Statement object (not a list) is accepted', () => {
    const one: NamedPolicy = {
      name: 'one',
      document: { Statement: { Effect: 'Allow', Action: 'sts:*', Resource: '*' } },
    };
    expect(evaluate([one], 'sts:GetCallerIdentity').decision).toBe('allowed');
  });
});

describe('tier policies (ReadOnlyAccess / PowerUserAccess + Bedrock)', () => {
  const ro = (a: string) => evaluate(TIER_POLICIES.readonly, a);
  const el = (a: string) => evaluate(TIER_POLICIES.elevated, a);
  it('read-only allows reads, not writes', () => {
    expect(ro('s3:ListAllMyBuckets').decision).toBe('allowed');
    expect(ro('ec2:DescribeInstances').decision).toBe('allowed');
    expect(ro('s3:CreateBucket').decision).toBe('denied');
    expect(ro('ec2:TerminateInstances').decision).toBe('denied');
  });
  it('elevated (PowerUserAccess) allows writes except IAM/Organizations; Bedrock from the template', () => {
    expect(el('s3:CreateBucket')).toMatchObject({
      decision: 'allowed',
      statement: { policy: expect.stringMatching(/^PowerUserAccess/) },
    });
    expect(el('iam:CreateRole').decision).toBe('denied');
    expect(el('iam:ListRoles').decision).toBe('allowed');
    expect(ro('bedrock:InvokeModel')).toMatchObject({
      decision: 'allowed',
      statement: { policy: expect.stringMatching(/Bedrock/), sid: 'Invoke' },
    });
  });
  it('explain: actions, levels, per tier decision with the deciding statement', () => {
    const argv = ['s3', 'mb', 's3://x'];
    const e = explainAws(
      argv,
      loadCatalog(requestedActionsOf(argv).actions.map((a) => a.action)),
      TIER_POLICIES,
    );
    expect(e.actions).toHaveLength(1);
    expect(e.actions[0]).toMatchObject({ action: 's3:CreateBucket', accessLevel: 'Write' });
    expect(e.actions[0]!.tiers.readonly).toMatchObject({ decision: 'denied', reason: 'implicit-deny' });
    expect(e.actions[0]!.tiers.elevated.statementText).toMatch(
      /^PowerUserAccess \(v\d+\) statement 1: Allow NotAction iam:\*/,
    );
    expect(e.tierNeeded).toBe('elevated');
    expect(e.readOnly).toBe(false);
    expect(formatExplanation(e)).toContain('needs the elevated tier');
  });
});
