// A small IAM policy evaluator (pure): identity policies of one principal, Allow/Deny, Action/NotAction,
// Resource/NotResource, `*` and `?` wildcards. Explicit Deny wins, then any Allow, else implicit deny.
// Conditions are not evaluated: a statement with a Condition is reported as `conditional` (it applies
// only when its condition holds), which is what a human reading `elevate explain` needs to know.
// Not modelled: SCPs, permission boundaries, resource policies, session policies of the caller.

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, unknown>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

export interface NamedPolicy {
  /** e.g. `ReadOnlyAccess`, `Bedrock (infra/workstation.yaml)`. */
  name: string;
  document: PolicyDocument;
}

export interface StatementRef {
  policy: string;
  /** Index in the policy's Statement list. */
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** The Action / NotAction entry (or Resource) that matched, for the human. */
  matched: string;
  conditional: boolean;
}

export interface Decision {
  decision: 'allowed' | 'denied';
  /** implicit: no statement allows; explicit: a Deny statement matches. */
  reason: 'allow' | 'explicit-deny' | 'implicit-deny';
  /** The statement that decides (absent for an implicit deny). */
  statement?: StatementRef;
}

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

const cache = new Map<string, RegExp>();
function globRe(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let re = cache.get(key);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, caseInsensitive ? 'i' : '');
    if (cache.size > 20_000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

/** IAM action match: case-insensitive, `*` and `?` wildcards. */
export function actionMatches(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  return globRe(pattern, true).test(action);
}

/** Resource ARN match: case-sensitive, `*` and `?` wildcards. */
export function resourceMatches(pattern: string, resource: string): boolean {
  if (pattern === '*') return true;
  return globRe(pattern, false).test(resource);
}

function statementMatches(s: PolicyStatement, action: string, resource: string | undefined): string | null {
  let matched: string | undefined;
  if (s.Action !== undefined) {
    matched = list(s.Action).find((p) => actionMatches(p, action));
    if (matched === undefined) return null;
  } else if (s.NotAction !== undefined) {
    if (list(s.NotAction).some((p) => actionMatches(p, action))) return null;
    matched = `NotAction ${list(s.NotAction).join(', ')}`;
  } else return null;
  // Resource unknown (no hint): a statement on specific resources may apply; we count it as matching.
  if (resource !== undefined) {
    if (s.Resource !== undefined && !list(s.Resource).some((p) => resourceMatches(p, resource))) return null;
    if (s.NotResource !== undefined && list(s.NotResource).some((p) => resourceMatches(p, resource)))
      return null;
  }
  return matched;
}

/** Evaluate one action (on one resource ARN, or any resource when undefined) against identity policies. */
export function evaluate(policies: readonly NamedPolicy[], action: string, resource?: string): Decision {
  let allow: StatementRef | undefined;
  for (const p of policies) {
    const st = p.document.Statement;
    const statements = Array.isArray(st) ? st : [st];
    for (let index = 0; index < statements.length; index++) {
      const s = statements[index]!;
      const matched = statementMatches(s, action, resource);
      if (matched === null) continue;
      const ref: StatementRef = {
        policy: p.name,
        index,
        ...(s.Sid ? { sid: s.Sid } : {}),
        effect: s.Effect,
        matched,
        conditional: s.Condition !== undefined && Object.keys(s.Condition).length > 0,
      };
      if (s.Effect === 'Deny' && !ref.conditional)
        return { decision: 'denied', reason: 'explicit-deny', statement: ref };
      if (s.Effect === 'Allow' && (!allow || (allow.conditional && !ref.conditional))) allow = ref;
    }
  }
  return allow
    ? { decision: 'allowed', reason: 'allow', statement: allow }
    : { decision: 'denied', reason: 'implicit-deny' };
}

/** `ReadOnlyAccess statement 1 (Sid X): Action s3:Get*` — what the CLI prints as the deciding statement. */
export function describeStatement(ref: StatementRef | undefined): string {
  if (!ref) return 'no statement allows it (implicit deny)';
  const sid = ref.sid ? ` (Sid ${ref.sid})` : '';
  const cond = ref.conditional ? ', only when its Condition holds' : '';
  return `${ref.policy} statement ${ref.index + 1}${sid}: ${ref.effect} ${ref.matched}${cond}`;
}
