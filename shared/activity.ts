// What the agent did with the aws CLI (pure): parse a call's argv into service/operation/flag names,
// parse the CLI's error text into the denied IAM action, classify actions as read or write (by their
// AWS access level, shared/iam), and turn the denied calls of each tier into least-privilege IAM hints.
//
// Redaction is an ALLOWLIST, not a denylist: argument values are never kept, except the values of
// --region and --profile (names of a region and a profile, not data). Every other flag is kept by name
// only. A denylist of "secret" flags would miss the next service's secret-bearing flag; the allowlist
// cannot leak what it does not know about. REDACT_VALUE_FLAGS still matters: the token after those
// flags is never even looked at, so a value that looks like a flag (`--secret-string --abc`) is not
// mistaken for a flag name.
import type { Tier } from './types';
import { evaluate, type PolicyDocument } from './iam/policy';
import { EXCEPTIONS, iamPrefixFor, operationToApiName } from './iam/actions';
import { GLOBAL_SWITCH_OPTIONS, GLOBAL_VALUE_OPTIONS } from './iam/awsArgv';
import { isReadLevel, type AccessLevel } from './iam/types';

export { iamPrefixFor, operationToApiName };

/** aws CLI v2 global options that take a value (`aws --region X s3 ls`); one list, in shared/iam/awsArgv.ts. */
export const GLOBAL_OPTIONS_WITH_VALUE: ReadonlySet<string> = GLOBAL_VALUE_OPTIONS;

/** Global options that are plain switches (shared/iam/awsArgv.ts). */
export const GLOBAL_SWITCHES: ReadonlySet<string> = GLOBAL_SWITCH_OPTIONS;

/** Options whose value is logged (validated against SAFE_VALUE_RE). Everything else: name only. */
export const LOGGED_VALUE_OPTIONS: ReadonlySet<string> = new Set(['--region', '--profile']);

/**
 * Flags that carry secrets or whole documents: their next token is skipped unread, even when it starts
 * with `--`. Values are never logged anyway (see the header); this list protects the flag-name scan.
 */
export const REDACT_VALUE_FLAGS: ReadonlySet<string> = new Set([
  '--secret-string',
  '--secret-binary',
  '--password',
  '--new-password',
  '--old-password',
  '--master-user-password',
  '--master-user-secret',
  '--cli-input-json',
  '--cli-input-yaml',
  '--body',
  '--query',
  '--user-data',
  '--parameters',
  '--private-key',
  '--certificate',
  '--certificate-chain',
  '--secret-access-key',
  '--session-token',
  '--value',
  '--plaintext',
  '--ciphertext-blob',
  '--payload',
  '--message',
  '--message-body',
  '--policy-document',
  '--policy',
  '--template-body',
  '--environment',
  '--tags',
  '--auth-token',
  '--token',
  '--client-secret',
  '--sse-customer-key',
  '--copy-source-sse-customer-key',
  '--expression-attribute-values',
  '--item',
  '--key',
]);

const FLAG_NAME_RE = /^--[a-z0-9][a-z0-9-]{0,62}$/;
const WORD_RE = /^[a-z0-9][a-z0-9.-]{0,62}$/;
const SAFE_VALUE_RE = /^[A-Za-z0-9_.@+=,-]{1,128}$/;

export interface ParsedAwsArgv {
  /** CLI service name (`ssm`, `s3api`, `s3`), null for `aws --version`, `aws help`... */
  service: string | null;
  /** CLI operation (`send-command`, `ls`), null when absent. */
  operation: string | null;
  /** Flag names in order of first appearance, globals included, no values. */
  flags: string[];
  region?: string;
  profile?: string;
  /** Number of other positional words (values are never kept). */
  positionals: number;
}

/** Parse the argv of one aws call (without argv[0]). Never returns an argument value except --region/--profile. */
export function parseAwsArgv(argv: readonly string[]): ParsedAwsArgv {
  const out: ParsedAwsArgv = { service: null, operation: null, flags: [], positionals: 0 };
  const addFlag = (name: string) => {
    if (FLAG_NAME_RE.test(name) && !out.flags.includes(name)) out.flags.push(name);
  };
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i] ?? '';
    if (tok.startsWith('--') && tok.length > 2) {
      const eq = tok.indexOf('=');
      const name = eq === -1 ? tok : tok.slice(0, eq);
      if (!FLAG_NAME_RE.test(name)) continue; // not a flag name we would log (or a value that looks odd)
      addFlag(name);
      let value: string | undefined;
      const isGlobalWithValue = GLOBAL_OPTIONS_WITH_VALUE.has(name);
      if (eq !== -1) value = tok.slice(eq + 1);
      else if (isGlobalWithValue || REDACT_VALUE_FLAGS.has(name)) {
        value = argv[i + 1];
        i++; // skip the value unread
      }
      if (value !== undefined && LOGGED_VALUE_OPTIONS.has(name) && SAFE_VALUE_RE.test(value)) {
        if (name === '--region') out.region = value;
        else out.profile = value;
      }
      continue;
    }
    if (out.service === null) {
      out.service = WORD_RE.test(tok) ? tok : '?';
    } else if (out.operation === null) {
      out.operation = WORD_RE.test(tok) ? tok : '?';
    } else {
      out.positionals++;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Error text → denied action
// ---------------------------------------------------------------------------------------------

/** Error codes that mean "not allowed" (IAM, SCP, resource policy...). */
export const DENIED_CODES: ReadonlySet<string> = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'UnauthorizedAccess',
  'UnauthorizedException',
  'AuthorizationErrorException',
  'Forbidden',
  '403',
  'AllAccessDisabled',
]);

export type DenyReason =
  | 'explicit-deny-identity'
  | 'explicit-deny-scp'
  | 'explicit-deny-boundary'
  | 'explicit-deny-session'
  | 'explicit-deny-resource'
  | 'explicit-deny'
  | 'no-identity-policy'
  | 'no-resource-policy'
  | 'no-session-policy'
  | 'no-boundary'
  | 'unknown';

export interface DeniedAction {
  /** IAM action, `service:Operation` (service prefix lower-cased). */
  action: string;
  /** Resource ARN (or name) from the message, when given. */
  resource?: string;
  reason: DenyReason;
  /** true when the message did not name the action and it was derived from the CLI operation. */
  inferred: boolean;
  /** AWS access level of the action (null: not in the catalog); absent in records of older versions. */
  accessLevel?: AccessLevel | null;
}

export interface ParsedAwsError {
  /** e.g. AccessDeniedException; absent when stderr has no `An error occurred (X)` line. */
  errorCode?: string;
  /** API operation from `when calling the X operation`. */
  apiOperation?: string;
  denied?: DeniedAction;
}

const ERROR_LINE_RE = /An error occurred \(([A-Za-z0-9.]+)\)(?: when calling the ([A-Za-z0-9]+) operation)?/g;
const PERFORM_RE =
  /not authorized to perform:? ([A-Za-z0-9-]+:[A-Za-z0-9*]+)(?: on (?:resource: ?("[^"]*"|[^\s]+)|this resource))?/;

/** The IAM action of an API operation named in an error (`ListObjectsV2` under s3 → `s3:ListBucket`). */
export function actionOfApiOperation(service: string, apiOp: string): string {
  const kebab = apiOp.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  const ex = EXCEPTIONS[`${service === 's3' ? 's3api' : service} ${kebab}`];
  return ex ? ex.actions[0]! : `${iamPrefixFor(service)}:${apiOp}`;
}

function reasonOf(text: string): DenyReason {
  const t = text.toLowerCase();
  if (t.includes('explicit deny')) {
    if (t.includes('service control policy')) return 'explicit-deny-scp';
    if (t.includes('permissions boundary')) return 'explicit-deny-boundary';
    if (t.includes('session policy')) return 'explicit-deny-session';
    if (t.includes('resource-based policy')) return 'explicit-deny-resource';
    if (t.includes('identity-based policy')) return 'explicit-deny-identity';
    return 'explicit-deny';
  }
  if (t.includes('no identity-based policy allows')) return 'no-identity-policy';
  if (t.includes('no resource-based policy allows') || t.includes('no resource-based policies allow'))
    return 'no-resource-policy';
  if (t.includes('no session policy allows')) return 'no-session-policy';
  if (t.includes('no permissions boundary allows')) return 'no-boundary';
  return 'unknown';
}

export function isExplicitDeny(reason: DenyReason): boolean {
  return reason.startsWith('explicit-deny');
}

/**
 * Parse the aws CLI's stderr of a failed call. `call` (the parsed argv) fills the action when the
 * message does not name it (S3 `Access Denied`, older EC2 `UnauthorizedOperation`).
 */
export function parseAwsError(
  stderr: string,
  call?: Pick<ParsedAwsArgv, 'service' | 'operation'>,
): ParsedAwsError {
  const out: ParsedAwsError = {};
  let m: RegExpExecArray | null;
  ERROR_LINE_RE.lastIndex = 0;
  let last: RegExpExecArray | null = null;
  while ((m = ERROR_LINE_RE.exec(stderr))) last = m;
  let message = stderr;
  if (last) {
    out.errorCode = last[1];
    if (last[2]) out.apiOperation = last[2];
    message = stderr.slice(last.index);
  }
  const perform = PERFORM_RE.exec(message) ?? PERFORM_RE.exec(stderr);
  const deniedCode = out.errorCode !== undefined && DENIED_CODES.has(out.errorCode);
  if (perform) {
    const [prefix, op] = perform[1]!.split(':') as [string, string];
    let resource = perform[2];
    if (resource?.startsWith('"')) resource = resource.slice(1, -1);
    resource = resource?.replace(/[.,;]+$/, '');
    out.denied = {
      action: `${prefix.toLowerCase()}:${op}`,
      ...(resource ? { resource } : {}),
      reason: reasonOf(message),
      inferred: false,
    };
  } else if (deniedCode) {
    const apiOp = out.apiOperation ?? (call?.operation ? operationToApiName(call.operation) : undefined);
    if (call?.service && apiOp) {
      out.denied = {
        action: actionOfApiOperation(call.service, apiOp),
        reason: reasonOf(message),
        inferred: true,
      };
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Read vs write
// ---------------------------------------------------------------------------------------------

/** Reads that return secret material: allowed by prefix, but not what a read-only agent role should hold. */
export const SENSITIVE_READS: ReadonlySet<string> = new Set([
  'secretsmanager:GetSecretValue',
  'secretsmanager:BatchGetSecretValue',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'kms:Decrypt',
  'sts:GetSessionToken',
  'sts:GetFederationToken',
  'ecr:GetAuthorizationToken',
  'codeartifact:GetAuthorizationToken',
  'rds-db:connect',
  'lambda:GetFunction',
  'cognito-identity:GetCredentialsForIdentity',
]);

export type ActionClass = 'read' | 'write';

/**
 * Read or write, by the action's AWS access level (Service Authorization Reference via iam-data, filled
 * in by the Node layer: electron/node/activity.ts). Read and List are reads; Write, Permissions
 * management, Tagging and an unknown level are writes, so an unknown action is handed off, never added
 * to the read-only role.
 */
export function classifyAction(level: AccessLevel | null | undefined): ActionClass {
  return isReadLevel(level) ? 'read' : 'write';
}

// ---------------------------------------------------------------------------------------------
// Activity records and policy hints
// ---------------------------------------------------------------------------------------------

/** One line of $ELEVATE_HOME/activity.jsonl. */
export interface ActivityRecord {
  time: string;
  sessionId: string | null;
  tier: Tier | null;
  /** The session's profile (AWS_PROFILE at launch). */
  profile: string | null;
  service: string | null;
  operation: string | null;
  flags: string[];
  /** --profile / --region given on the command line. */
  profileArg?: string;
  region?: string;
  exitCode: number | null;
  signal?: string;
  durationMs: number;
  errorCode?: string;
  denied?: DeniedAction;
  /** Plan-scoped elevated session: the denied action is outside the approved plan's session policy. */
  notInPlan?: boolean;
  /** What to do about the denial (plan-scoped sessions: NOT_IN_PLAN_HINT). */
  hint?: string;
}

/** The hint for a denial in a plan-scoped elevated session of an action the approved plan does not name. */
export const NOT_IN_PLAN_HINT = 'not in the approved plan: add it to plan.md and re-approve';

/**
 * Plan-scoped sessions: mark a denied call whose action the approved plan's session policy does not allow
 * (the AssumeRole `Policy` the runner sent), with NOT_IN_PLAN_HINT. Other records are returned unchanged.
 */
export function markNotInPlan(rec: ActivityRecord, planPolicy: PolicyDocument | null): ActivityRecord {
  if (!rec.denied || !planPolicy) return rec;
  const d = evaluate(
    [{ name: 'approved plan', document: planPolicy }],
    rec.denied.action,
    rec.denied.resource,
  );
  if (d.decision === 'allowed') return rec;
  rec.notInPlan = true;
  rec.hint = NOT_IN_PLAN_HINT;
  return rec;
}

export interface CallFacts {
  argv: readonly string[];
  start: Date;
  durationMs: number;
  exitCode: number | null;
  signal?: string | null;
  /** The tail of stderr (only read for the error line; never stored). */
  stderrTail: string;
  sessionId: string | null;
  tier: Tier | null;
  profile: string | null;
}

export function buildActivityRecord(f: CallFacts): ActivityRecord {
  const a = parseAwsArgv(f.argv);
  const rec: ActivityRecord = {
    time: f.start.toISOString(),
    sessionId: f.sessionId,
    tier: f.tier,
    profile: f.profile,
    service: a.service,
    operation: a.operation,
    flags: a.flags,
    ...(a.profile ? { profileArg: a.profile } : {}),
    ...(a.region ? { region: a.region } : {}),
    exitCode: f.exitCode,
    ...(f.signal ? { signal: f.signal } : {}),
    durationMs: Math.max(0, Math.round(f.durationMs)),
  };
  if (f.exitCode !== 0 && f.stderrTail) {
    const e = parseAwsError(f.stderrTail, a);
    if (e.errorCode) rec.errorCode = e.errorCode;
    if (e.denied) rec.denied = e.denied;
  }
  return rec;
}

export interface DeniedEntry {
  action: string;
  class: ActionClass;
  sensitive: boolean;
  resources: string[];
  count: number;
  lastSeen: string;
  explicitDeny: boolean;
  inferred: boolean;
  /** CLI commands that hit it (`ssm send-command`). */
  commands: string[];
  /** Denied in a plan-scoped session because the approved plan does not name it. */
  notInPlan?: boolean;
}

export interface IamStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
}

export interface TierHints {
  tier: Tier | 'unknown';
  denied: DeniedEntry[];
  /** Least-privilege statement(s) to add to this tier's role (reads under read-only; all under elevated). */
  statements: IamStatement[];
  /** Write actions denied under read-only: hand off (plan.md), do not widen the read-only role. */
  handoff: DeniedEntry[];
  /** Explicit denies: an Allow will not help; find the Deny (SCP, boundary, resource policy). */
  explicit: DeniedEntry[];
  /** Sensitive reads left out of the read-only statement on purpose. */
  sensitive: DeniedEntry[];
  /**
   * Plan-scoped elevated sessions: actions outside the approved plan (NOT_IN_PLAN_HINT: add them to plan.md
   * and re-approve; not a reason to widen the role).
   */
  notInPlan?: DeniedEntry[];
}

export interface PolicyHints {
  tiers: TierHints[];
  /** Statement for the elevated role covering writes handed off from read-only. */
  elevatedForHandoff: IamStatement[];
}

function sid(base: string, n: number): string {
  const s = base.replace(/[^A-Za-z0-9]/g, '');
  return n ? `${s}${n + 1}` : s;
}

/** Group actions by identical resource sets: one statement per set, actions and resources sorted. */
export function statementsFor(entries: readonly DeniedEntry[], sidBase: string): IamStatement[] {
  const byRes = new Map<string, { actions: Set<string>; resources: string[] }>();
  for (const e of entries) {
    const resources = e.resources.length === 0 || e.resources.includes('*') ? ['*'] : [...e.resources].sort();
    const key = resources.join('\n');
    const g = byRes.get(key) ?? { actions: new Set<string>(), resources };
    g.actions.add(e.action);
    byRes.set(key, g);
  }
  const groups = [...byRes.values()].sort((a, b) => a.resources.join().localeCompare(b.resources.join()));
  return groups.map((g, i) => ({
    Sid: sid(sidBase, i),
    Effect: 'Allow',
    Action: [...g.actions].sort(),
    Resource: g.resources.length === 1 ? g.resources[0]! : g.resources,
  }));
}

export function buildPolicyHints(records: readonly ActivityRecord[]): PolicyHints {
  const perTier = new Map<string, Map<string, DeniedEntry>>();
  for (const r of records) {
    if (!r.denied) continue;
    const tier = r.tier ?? 'unknown';
    const m = perTier.get(tier) ?? new Map<string, DeniedEntry>();
    perTier.set(tier, m);
    const d = r.denied;
    const e: DeniedEntry = m.get(d.action) ?? {
      action: d.action,
      class: classifyAction(d.accessLevel),
      sensitive: SENSITIVE_READS.has(d.action),
      resources: [],
      count: 0,
      lastSeen: r.time,
      explicitDeny: false,
      inferred: d.inferred,
      commands: [],
    };
    e.count++;
    if (r.time > e.lastSeen) e.lastSeen = r.time;
    if (d.resource && !e.resources.includes(d.resource)) e.resources.push(d.resource);
    if (!d.resource && !e.resources.includes('*')) e.resources.push('*');
    e.explicitDeny ||= isExplicitDeny(d.reason);
    e.inferred &&= d.inferred;
    if (r.notInPlan) e.notInPlan = true;
    const cmd = [r.service, r.operation].filter(Boolean).join(' ');
    if (cmd && !e.commands.includes(cmd)) e.commands.push(cmd);
    m.set(d.action, e);
  }
  const order = ['readonly', 'elevated', 'unknown'];
  const tiers: TierHints[] = [];
  const handedOff: DeniedEntry[] = [];
  for (const tier of order) {
    const m = perTier.get(tier);
    if (!m) continue;
    const denied = [...m.values()].sort((a, b) => a.action.localeCompare(b.action));
    const explicit = denied.filter((e) => e.explicitDeny);
    const notInPlan = denied.filter((e) => e.notInPlan && !e.explicitDeny);
    const open = denied.filter((e) => !e.explicitDeny && !e.notInPlan);
    let grant: DeniedEntry[];
    let handoff: DeniedEntry[] = [];
    let sensitive: DeniedEntry[] = [];
    if (tier === 'readonly') {
      handoff = open.filter((e) => e.class === 'write');
      sensitive = open.filter((e) => e.class === 'read' && e.sensitive);
      grant = open.filter((e) => e.class === 'read' && !e.sensitive);
      handedOff.push(...handoff);
    } else {
      grant = open;
    }
    const base =
      tier === 'readonly'
        ? 'ElevateReadOnlyHints'
        : tier === 'elevated'
          ? 'ElevateElevatedHints'
          : 'ElevateHints';
    tiers.push({
      tier: tier as TierHints['tier'],
      denied,
      statements: statementsFor(grant, base),
      handoff,
      explicit,
      sensitive,
      ...(notInPlan.length ? { notInPlan } : {}),
    });
  }
  return { tiers, elevatedForHandoff: statementsFor(handedOff, 'ElevateHandoffWrites') };
}

/** Parse activity.jsonl text; malformed lines are skipped. */
export function parseActivityLog(text: string): ActivityRecord[] {
  const out: ActivityRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as ActivityRecord;
      if (r && typeof r === 'object' && typeof r.time === 'string') out.push(r);
    } catch {
      /* a torn line */
    }
  }
  return out;
}

/** The IAM policy document the CLI prints and the window shows for a list of statements. */
export function policyDocument(statements: readonly IamStatement[]): {
  Version: '2012-10-17';
  Statement: IamStatement[];
} {
  return { Version: '2012-10-17', Statement: [...statements] };
}
