// Plan review (the AWS side of plan.md) and the plan-scoped session policy.
import { describe, expect, it } from 'vitest';
import { formatPlanAwsReview, planSnippets } from '../../shared/iam/planReview';
import { MAX_POLICY_CHARS, planSessionPolicy, SessionPolicyError } from '../../shared/iam/sessionPolicy';
import { evaluate } from '../../shared/iam/policy';
import { reviewPlan } from '../../electron/node/iam/planReview';

const PLAN = [
  '# Plan: publish the site',
  '',
  'First check with `aws s3 ls s3://site` and `aws sts get-caller-identity`.',
  '',
  '```bash',
  '$ aws s3 sync ./dist s3://site --delete',
  'aws cloudfront create-invalidation \\',
  '    --distribution-id E123 --paths "/*"',
  '# old bucket',
  'aws s3 rb s3://old-site --force',
  'aws iam put-role-policy --role-name app --policy-name p --policy-document file://p.json',
  'aws kms schedule-key-deletion --key-id 1234',
  'aws ec2 describe-instancez',
  'cat <<EOF | sh',
  'aws s3 rm s3://x/y',
  'EOF',
  '```',
  '',
  'Roll back with `aws s3 sync s3://backup s3://site`.',
].join('\n');

describe('planAwsReview', () => {
  const r = reviewPlan(PLAN);
  it('finds fenced and inline commands with their lines (continuations joined, prompts dropped)', () => {
    expect(r.commands.map((c) => [c.line, c.source, c.text.split(' ').slice(0, 3).join(' ')])).toEqual([
      [3, 'inline', 'aws s3 ls'],
      [3, 'inline', 'aws sts get-caller-identity'],
      [6, 'fenced', 'aws s3 sync'],
      [7, 'fenced', 'aws cloudfront create-invalidation'],
      [10, 'fenced', 'aws s3 rb'],
      [11, 'fenced', 'aws iam put-role-policy'],
      [12, 'fenced', 'aws kms schedule-key-deletion'],
      [13, 'fenced', 'aws ec2 describe-instancez'],
      [15, 'fenced', 'aws s3 rm'], // the here-document's body is still listed (and the `cat <<EOF` line as unparsed)
      [19, 'inline', 'aws s3 sync'],
    ]);
  });
  it('actions, access level, lowest tier and destructive marks', () => {
    const rb = r.commands.find((c) => c.text.startsWith('aws s3 rb'))!;
    expect(rb.actions).toMatchObject([
      { action: 's3:ListBucket', accessLevel: 'List', tier: 'readonly', destructive: null },
      {
        action: 's3:DeleteObject',
        accessLevel: 'Write',
        tier: 'elevated',
        destructive: 'deletes or detaches',
      },
      {
        action: 's3:DeleteBucket',
        accessLevel: 'Write',
        tier: 'elevated',
        destructive: 'deletes or detaches',
      },
    ]);
    const iam = r.commands.find((c) => c.text.startsWith('aws iam'))!.actions[0]!;
    expect(iam).toMatchObject({
      action: 'iam:PutRolePolicy',
      accessLevel: 'Permissions management',
      tier: null,
    });
    expect(iam.destructive).toBeTruthy();
    expect(r.destructive).toEqual([
      'iam:PutRolePolicy',
      'kms:ScheduleKeyDeletion',
      's3:DeleteBucket',
      's3:DeleteObject',
    ]);
    expect(r.noElevationNeeded).toBe(false);
  });
  it('lists what it could not understand, never drops it', () => {
    expect(r.unparsed.map((u) => [u.line, u.reason])).toEqual([
      [13, 'not in the IAM catalog: ec2:DescribeInstancez'],
      [14, 'here-document not analysed'],
    ]);
    expect(formatPlanAwsReview(r)).toMatch(
      /line 14: NOT UNDERSTOOD: cat <<EOF \| sh \(here-document not analysed\)/,
    );
  });
  it('resources per action for the session policy: scoped only when every use names them', () => {
    expect(r.resources['s3:DeleteBucket']).toEqual(['arn:aws:s3:::old-site']);
    expect(r.resources['s3:PutObject']).toEqual(['arn:aws:s3:::site/*']);
    expect(r.resources['cloudfront:CreateInvalidation']).toBeUndefined();
    expect(r.actions).toContain('s3:ListBucket');
  });
  it('"no elevation needed" when every action is Read/List', () => {
    const ro = reviewPlan(
      'Look: `aws ec2 describe-instances` then\n```\naws logs tail /app --follow\naws s3 ls\n```',
    );
    expect(ro.noElevationNeeded).toBe(true);
    expect(formatPlanAwsReview(ro)).toContain('No elevation needed');
    expect(reviewPlan('no commands here').noElevationNeeded).toBe(false);
  });
  it('ignores inline code that is not an aws command', () => {
    expect(planSnippets('Use `npm test` and the `aws` CLI and `aws s3 ls`.').map((s) => s.text)).toEqual([
      'aws',
      'aws s3 ls',
    ]);
  });
});

describe('planSessionPolicy', () => {
  const deadline = '2026-12-02T02:00:00.000Z';
  it('exactly the plan actions, resources where known, the deadline condition', () => {
    const p = planSessionPolicy(
      ['s3:PutObject', 's3:ListBucket', 'cloudfront:CreateInvalidation'],
      { 's3:PutObject': ['arn:aws:s3:::site/*'], 's3:ListBucket': ['arn:aws:s3:::site'] },
      deadline,
    );
    expect(p.scope).toBe('exact');
    const cond = { DateLessThan: { 'aws:CurrentTime': '2026-12-02T02:00:00Z' } };
    expect(p.policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::site', Condition: cond },
        { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::site/*', Condition: cond },
        { Effect: 'Allow', Action: 'cloudfront:CreateInvalidation', Resource: '*', Condition: cond },
      ],
    });
    expect(JSON.parse(p.json)).toEqual(p.policy);
    const doc = [{ name: 'session', document: p.policy }];
    expect(evaluate(doc, 's3:PutObject', 'arn:aws:s3:::site/index.html').decision).toBe('allowed');
    expect(evaluate(doc, 's3:PutObject', 'arn:aws:s3:::other/x').decision).toBe('denied');
    expect(evaluate(doc, 's3:DeleteBucket', 'arn:aws:s3:::site').decision).toBe('denied');
  });
  it('falls back to "*" resources, then service wildcards, and says so', () => {
    const many = Array.from({ length: 40 }, (_, i) => `ec2:CreateThing${i}`);
    const res = Object.fromEntries(
      many.map((a, i) => [a, [`arn:aws:ec2:*:*:instance/i-${'0'.repeat(12)}${i}`]]),
    );
    const p1 = planSessionPolicy(many.slice(0, 20), res, deadline);
    expect(p1.scope).toBe('actions');
    expect(p1.notes[0]).toMatch(/resources dropped/);
    const big = [
      ...Array.from({ length: 130 }, (_, i) => `ec2:CreateThing${i}`),
      ...Array.from({ length: 120 }, (_, i) => `s3:PutThing${i}`),
      'sts:GetCallerIdentity',
    ];
    const p2 = planSessionPolicy(big, {}, deadline);
    expect(p2.scope).toBe('services');
    expect(p2.wildcardServices).toEqual(['ec2', 's3']);
    expect(p2.policy.Statement).toEqual([
      expect.objectContaining({ Action: ['ec2:*', 's3:*', 'sts:GetCallerIdentity'], Resource: '*' }),
    ]);
    expect(p2.notes.join()).toMatch(/service-level wildcards for ec2, s3 \(130, 120 plan actions\)/);
    for (const p of [p1, p2]) expect(p.json.length).toBeLessThanOrEqual(MAX_POLICY_CHARS);
  });
  it('refuses what cannot be a scoped session', () => {
    expect(() => planSessionPolicy([], {}, deadline)).toThrow(SessionPolicyError);
    expect(() => planSessionPolicy(['s3:PutObject'], {}, 'soon')).toThrow(/invalid deadline/);
    expect(() => planSessionPolicy(['s3 PutObject'], {}, deadline)).toThrow(/not an IAM action/);
    const services = Array.from({ length: 200 }, (_, i) => `svc${i}:Do`);
    expect(() => planSessionPolicy(services, {}, deadline)).toThrow(/full elevated role/);
  });
  it('the plan review feeds it directly', () => {
    const r = reviewPlan(PLAN);
    const p = planSessionPolicy(r.actions, r.resources, deadline);
    expect(p.scope).toBe('exact');
    const doc = [{ name: 's', document: p.policy }];
    expect(evaluate(doc, 's3:DeleteBucket', 'arn:aws:s3:::old-site').decision).toBe('allowed');
    expect(evaluate(doc, 's3:DeleteBucket', 'arn:aws:s3:::prod').decision).toBe('denied');
  });
});
