// Plan scope, the pure/local parts: the runner's policy from snapshot bytes (deadline on every statement,
// wildcard fallback said), the deadline guard of assumeElevatedOnce's policy, and the activity hint.
import { describe, expect, it } from 'vitest';
import { planScopedPolicy } from '../../electron/node/sessionBroker';
import { assertDeadlinePolicy, ElevationError, sessionPolicy } from '../../electron/node/elevation';
import {
  buildPolicyHints,
  markNotInPlan,
  NOT_IN_PLAN_HINT,
  type ActivityRecord,
} from '../../shared/activity';
import type { PolicyDocument } from '../../shared/iam/policy';
import { buildRunEnv } from '../../electron/node/runner';
import type { SessionSpec } from '../../electron/node/sessions';

const DEADLINE = new Date('2030-01-01T12:15:00.000Z');
const PLAN =
  '# p\n```sh\naws ssm describe-instance-information\naws ssm send-command --instance-ids i-0abc --document-name AWS-RunShellScript\n```\n';

describe('planScopedPolicy (runner side)', () => {
  it('the plan actions, every statement bounded by the deadline; the hash is of the same bytes', () => {
    const p = planScopedPolicy(Buffer.from(PLAN), DEADLINE);
    expect(p.actions).toEqual(['ssm:DescribeInstanceInformation', 'ssm:SendCommand']);
    expect(p.policyScope).toBe('exact');
    expect(p.hash).toMatch(/^[0-9a-f]{64}$/);
    const doc = JSON.parse(p.json) as { Statement: Array<{ Condition: unknown }> };
    for (const s of doc.Statement)
      expect(s.Condition).toEqual({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T12:15:00Z' } });
    expect(() => assertDeadlinePolicy(p.json, DEADLINE)).not.toThrow();
  });

  it('a plan too large for STS falls back to service wildcards and says so', () => {
    const ops = [
      'describe-instances',
      'run-instances',
      'terminate-instances',
      'stop-instances',
      'start-instances',
      'create-tags',
      'delete-tags',
      'create-volume',
      'delete-volume',
      'attach-volume',
      'detach-volume',
      'create-snapshot',
      'delete-snapshot',
      'create-security-group',
      'delete-security-group',
      'authorize-security-group-ingress',
      'revoke-security-group-ingress',
      'create-key-pair',
      'delete-key-pair',
      'allocate-address',
      'release-address',
      'associate-address',
      'disassociate-address',
      'create-vpc',
      'delete-vpc',
      'create-subnet',
      'delete-subnet',
      'create-route-table',
      'delete-route-table',
      'create-internet-gateway',
      'delete-internet-gateway',
      'attach-internet-gateway',
      'detach-internet-gateway',
      'create-nat-gateway',
      'delete-nat-gateway',
      'create-launch-template',
      'delete-launch-template',
      'modify-instance-attribute',
      'reboot-instances',
      'create-image',
      'deregister-image',
      'copy-image',
      'create-network-interface',
      'delete-network-interface',
      'modify-vpc-attribute',
      'create-placement-group',
      'delete-placement-group',
      'create-flow-logs',
      'delete-flow-logs',
      'create-vpc-endpoint',
      'delete-vpc-endpoints',
      'create-customer-gateway',
      'delete-customer-gateway',
      'create-dhcp-options',
      'delete-dhcp-options',
      'import-key-pair',
      'monitor-instances',
      'unmonitor-instances',
      'create-egress-only-internet-gateway',
      'delete-egress-only-internet-gateway',
    ];
    const RDS = [
      'create-db-instance',
      'delete-db-instance',
      'modify-db-instance',
      'reboot-db-instance',
      'start-db-instance',
      'stop-db-instance',
      'create-db-snapshot',
      'delete-db-snapshot',
      'copy-db-snapshot',
      'restore-db-instance-from-db-snapshot',
      'create-db-cluster',
      'delete-db-cluster',
      'modify-db-cluster',
      'create-db-subnet-group',
      'delete-db-subnet-group',
      'create-db-parameter-group',
      'delete-db-parameter-group',
      'modify-db-parameter-group',
      'add-tags-to-resource',
      'remove-tags-from-resource',
      'describe-db-instances',
      'describe-db-clusters',
      'describe-db-snapshots',
      'create-db-cluster-snapshot',
      'delete-db-cluster-snapshot',
    ];
    const big = `# big\n\`\`\`sh\n${ops.map((o) => `aws ec2 ${o}`).join('\n')}\n${RDS.map((o) => `aws rds ${o}`).join('\n')}\naws ssm describe-instance-information\n\`\`\`\n`;
    const p = planScopedPolicy(Buffer.from(big), DEADLINE);
    expect(p.json.length).toBeLessThanOrEqual(1900);
    expect(p.wildcardServices).toContain('ec2');
    expect(p.notes.join(' ')).toMatch(/service-level wildcards for ec2/);
    expect(() => assertDeadlinePolicy(p.json, DEADLINE)).not.toThrow();
  });

  it('a plan without any known aws action is refused (nothing to scope to)', () => {
    expect(() => planScopedPolicy(Buffer.from('# p\nrestart it by hand\n'), DEADLINE)).toThrow(
      ElevationError,
    );
  });
});

describe('assertDeadlinePolicy', () => {
  it('accepts the deadline policy, refuses a statement without the deadline or with another one', () => {
    expect(() => assertDeadlinePolicy(sessionPolicy(DEADLINE), DEADLINE)).not.toThrow();
    const open = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    expect(() => assertDeadlinePolicy(open, DEADLINE)).toThrow(/aws:CurrentTime/);
    expect(() =>
      assertDeadlinePolicy(sessionPolicy(new Date(DEADLINE.getTime() + 60_000)), DEADLINE),
    ).toThrow();
    expect(() => assertDeadlinePolicy('not json', DEADLINE)).toThrow(/not JSON/);
  });
});

describe('not-in-plan hint', () => {
  const policy = JSON.parse(planScopedPolicy(Buffer.from(PLAN), DEADLINE).json) as PolicyDocument;
  const rec = (action: string): ActivityRecord => ({
    time: '2030-01-01T12:00:00.000Z',
    sessionId: 's1',
    tier: 'elevated',
    profile: 'claudecode-elevated',
    service: 'ssm',
    operation: 'x',
    flags: [],
    exitCode: 254,
    durationMs: 10,
    errorCode: 'AccessDeniedException',
    denied: { action, reason: 'no-session-policy', inferred: false, accessLevel: 'Write' },
  });
  it('marks a denial outside the plan, not one inside it, nor any without a plan policy', () => {
    expect(markNotInPlan(rec('ssm:TerminateSession'), policy)).toMatchObject({
      notInPlan: true,
      hint: NOT_IN_PLAN_HINT,
    });
    expect(markNotInPlan(rec('ssm:SendCommand'), policy).hint).toBeUndefined();
    expect(markNotInPlan(rec('ssm:TerminateSession'), null).hint).toBeUndefined();
    const hints = buildPolicyHints([markNotInPlan(rec('ssm:TerminateSession'), policy)]);
    const el = hints.tiers.find((t) => t.tier === 'elevated')!;
    expect(el.notInPlan?.map((e) => e.action)).toEqual(['ssm:TerminateSession']);
    expect(el.statements).toEqual([]); // not a reason to widen the elevated role
  });
});

describe('buildRunEnv and ELEVATE_PLAN_ACTIONS', () => {
  it('never inherited from the runner env nor taken from the (hostile) spec: only the broker sets it', () => {
    const spec = {
      id: 'x1234567',
      tier: 'elevated',
      env: { set: { ELEVATE_PLAN_ACTIONS: '/tmp/forged.json', KEEP2: 'k' }, unset: [] },
    } as unknown as SessionSpec;
    const r = buildRunEnv(spec, { PATH: '/usr/bin', ELEVATE_PLAN_ACTIONS: '/tmp/outer.json' }, 'linux');
    expect(r.env.ELEVATE_PLAN_ACTIONS).toBeUndefined();
    expect(r.env.KEEP2).toBe('k');
  });
});
