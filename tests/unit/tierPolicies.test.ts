// The pure half of the tier roles' own policies (shared/iam/tierPolicies.ts): a role read → the tier's
// policies and the sentence saying where they came from.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../shared/iam/policy';
import {
  effectiveTierPolicies,
  knownManagedPolicy,
  policiesOfRole,
  TIER_POLICIES,
  type RolePolicyRead,
} from '../../shared/iam/tierPolicies';

const ROLE = 'arn:aws:iam::123456789012:role/custom';
const read = (over: Partial<RolePolicyRead> = {}): RolePolicyRead => ({
  ok: true,
  roleArn: ROLE,
  readAt: '2026-12-01T10:00:00.000Z',
  attached: [],
  inline: [],
  ...over,
});

describe('tier policies from a role read', () => {
  it('knows AWS managed policies by ARN only when the ARN is the managed one', () => {
    expect(knownManagedPolicy('arn:aws:iam::aws:policy/ReadOnlyAccess')?.name).toMatch(
      /^ReadOnlyAccess \(v\d+\)$/,
    );
    expect(knownManagedPolicy('arn:aws:iam::123456789012:policy/ReadOnlyAccess')).toBeUndefined();
    expect(knownManagedPolicy('arn:aws:iam::aws:policy/NoSuchPolicyHere')).toBeUndefined();
  });

  it('attached (read or known) then inline; a customer-managed document is evaluated as read', () => {
    const r = read({
      attached: [
        { arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', name: 'ReadOnlyAccess' },
        {
          arn: 'arn:aws:iam::123456789012:policy/deploy',
          name: 'deploy',
          versionId: 'v3',
          document: { Statement: [{ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }] },
        },
      ],
      inline: [{ name: 'mk', document: { Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' } } }],
    });
    const ps = policiesOfRole(r);
    expect(ps[1]!.name).toBe('deploy (v3)');
    expect(ps.map((p) => p.name.replace(/\(v\d+\)/, '(vN)'))).toEqual([
      'ReadOnlyAccess (vN)',
      'deploy (vN)',
      'inline policy mk',
    ]);
    expect(evaluate(ps, 's3:CreateBucket')).toMatchObject({
      decision: 'allowed',
      statement: { policy: 'inline policy mk' },
    });
    expect(evaluate(ps, 's3:DeleteBucket')).toMatchObject({ decision: 'denied', reason: 'explicit-deny' });
  });

  it('sources: role (with date), managed, and fallback with the error', () => {
    const none = effectiveTierPolicies({});
    expect(none.policies).toEqual(TIER_POLICIES);
    expect(none.sources.readonly.kind).toBe('managed');
    const mixed = effectiveTierPolicies({
      readonly: {
        ok: false,
        roleArn: ROLE,
        readAt: '2026-12-01T10:00:00.000Z',
        code: 'AccessDenied',
        message: 'no',
      },
      elevated: read({ attached: [{ arn: 'arn:aws:iam::aws:policy/Unknown', name: 'Unknown' }] }),
    });
    expect(mixed.policies.readonly).toBe(TIER_POLICIES.readonly);
    expect(mixed.sources.readonly.text).toContain(
      `could not read the policies of ${ROLE} (AccessDenied: no); assuming the known managed policies (ReadOnlyAccess`,
    );
    expect(mixed.sources.elevated.text).toBe(
      `from the role's attached/inline policies (read 2026-12-01T10:00:00.000Z): ${ROLE}; not evaluated (document unknown): arn:aws:iam::aws:policy/Unknown`,
    );
    expect(mixed.policies.elevated).toEqual([]);
    expect(evaluate(mixed.policies.elevated, 's3:ListAllMyBuckets').decision).toBe('denied');
  });
});
