// Plan-scoped elevation (pure): the session policy passed as `Policy` to the elevated AssumeRole, so the
// session can do exactly the approved plan's actions (on the resources the plan names, `*` otherwise)
// until the deadline. A session policy only narrows: the effective permissions are the intersection
// with the elevated role's policy, so nothing here can grant more than the role has.
//
// Size: STS rejects a session policy whose plaintext exceeds 2,048 characters (AssumeRole `Policy`,
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html) and, separately, one whose
// packed (compressed) form exceeds the limit (PackedPolicyTooLarge). We keep the minified JSON under
// MAX_POLICY_CHARS, with margin, and fall back step by step: resources → `*`, then service-level
// wildcards (`ec2:*`) for the services with the most actions, saying so in `notes`.
import type { PolicyDocument, PolicyStatement } from './policy';

/** AssumeRole's documented plaintext limit for the inline session policy. */
export const STS_POLICY_PLAINTEXT_LIMIT = 2048;
/** Our budget: under the plaintext limit with a margin for the packed-size check. */
export const MAX_POLICY_CHARS = 1900;

export interface SessionPolicy {
  policy: PolicyDocument;
  /** The minified JSON to pass as AssumeRole `Policy`. */
  json: string;
  /** exact: actions and named resources; actions: every resource `*`; services: some `svc:*`. */
  scope: 'exact' | 'actions' | 'services';
  /** Services widened to `svc:*` (scope 'services'). */
  wildcardServices: string[];
  notes: string[];
}

export class SessionPolicyError extends Error {}

const ACTION_RE = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;

function build(groups: Map<string, Set<string>>, deadlineIso: string): PolicyDocument {
  const Statement: PolicyStatement[] = [...groups.entries()]
    .sort(([a], [b]) => (a === '*' ? 1 : b === '*' ? -1 : a.localeCompare(b)))
    .map(([res, acts]) => {
      const resources = res.split('\n');
      const actions = [...acts].sort();
      return {
        Effect: 'Allow',
        Action: actions.length === 1 ? actions[0]! : actions,
        Resource: resources.length === 1 ? resources[0]! : resources,
        Condition: { DateLessThan: { 'aws:CurrentTime': deadlineIso } },
      };
    });
  return { Version: '2012-10-17', Statement };
}

/**
 * The session policy for a plan: `actions` (`prefix:Action`), `resources` (per action, ARNs; absent or
 * empty → `*`), valid until `deadlineIso`.
 */
export function planSessionPolicy(
  actions: readonly string[],
  resources: Readonly<Record<string, readonly string[]>>,
  deadlineIso: string,
): SessionPolicy {
  const deadline = new Date(deadlineIso);
  if (Number.isNaN(deadline.getTime())) throw new SessionPolicyError(`invalid deadline "${deadlineIso}"`);
  const iso = deadline.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const list = [...new Set(actions)].sort();
  if (!list.length) throw new SessionPolicyError('no actions: a plan-scoped session would allow nothing');
  const bad = list.find((a) => !ACTION_RE.test(a));
  if (bad) throw new SessionPolicyError(`not an IAM action: "${bad}"`);
  const notes: string[] = [];
  const finish = (
    groups: Map<string, Set<string>>,
    scope: SessionPolicy['scope'],
    wild: string[],
  ): SessionPolicy | null => {
    const policy = build(groups, iso);
    const json = JSON.stringify(policy);
    return json.length <= MAX_POLICY_CHARS ? { policy, json, scope, wildcardServices: wild, notes } : null;
  };

  // 1. Exact: one statement per distinct resource set.
  const exact = new Map<string, Set<string>>();
  for (const a of list) {
    const res = resources[a]?.length ? [...new Set(resources[a])].sort().join('\n') : '*';
    const s = exact.get(res) ?? new Set<string>();
    s.add(a);
    exact.set(res, s);
  }
  const r1 = finish(exact, 'exact', []);
  if (r1) return r1;

  // 2. Every action on any resource.
  notes.push(`resources dropped (all "*"): the exact policy exceeded ${MAX_POLICY_CHARS} characters`);
  const r2 = finish(new Map([['*', new Set(list)]]), 'actions', []);
  if (r2) return r2;

  // 3. Service-level wildcards, services with the most actions first.
  const bySvc = new Map<string, string[]>();
  for (const a of list) {
    const svc = a.slice(0, a.indexOf(':'));
    bySvc.set(svc, [...(bySvc.get(svc) ?? []), a]);
  }
  const order = [...bySvc.entries()].sort((x, y) => y[1].length - x[1].length || x[0].localeCompare(y[0]));
  const wild: string[] = [];
  for (const [svc] of order) {
    wild.push(svc);
    const acts = new Set<string>();
    for (const [s, as] of bySvc) {
      if (wild.includes(s)) acts.add(`${s}:*`);
      else as.forEach((a) => acts.add(a));
    }
    const r3 = finish(new Map([['*', acts]]), 'services', [...wild]);
    if (r3) {
      r3.notes.push(
        `service-level wildcards for ${wild.join(', ')} (${wild.map((s) => bySvc.get(s)!.length).join(', ')} plan actions): ` +
          'the session may use every action of these services the elevated role allows, until the deadline',
      );
      return r3;
    }
  }
  throw new SessionPolicyError(
    `the plan's ${list.length} actions over ${bySvc.size} services do not fit a session policy even as service wildcards: approve the full elevated role instead`,
  );
}
