// CloudFormation for the local test endpoint (tests/helpers/awsServer.ts): the query/XML protocol
// (Version 2010-05-15) with SigV4 scoped to `cloudformation`, for CreateStack, UpdateStack,
// DescribeStacks and DescribeStackEvents. Templates are parsed (YAML with the intrinsic-function tags, or
// JSON) and evaluated: parameters are validated (required, AllowedValues, AllowedPattern), named IAM
// resources need CAPABILITY_NAMED_IAM, outputs are computed, and every AWS::IAM::Role the stack creates is
// handed to `onRole` so the endpoint's STS can enforce it. There are no timers: a stack moves forward one
// resource each time DescribeStacks / DescribeStackEvents is called, so a poller sees real progress.
// `failResource(logicalId, reason)` makes the next create/update fail there and roll back with events.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  NOT_INTRINSIC,
  evalIntrinsic,
  parseCfnTemplate,
  type CfnParameter,
  type CfnTemplate,
  type IntrinsicOps,
  type Json,
} from './cfnYaml';
import {
  verifySigV4,
  xmlEscape,
  type IssuedCredential,
  type RecordedRequest,
  type StaticKey,
} from './awsServer';

const CFN_NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const DEFAULT_ACCOUNT = '123456789012';

// ------------------------------------------------------------------ template parsing + evaluation

export type { CfnParameter, CfnTemplate, Json };

export function parseTemplate(text: string): CfnTemplate {
  const t = (text.trimStart().startsWith('{') ? JSON.parse(text) : parseCfnTemplate(text)) as
    CfnTemplate | undefined;
  if (!t || typeof t !== 'object' || !t.Resources || typeof t.Resources !== 'object')
    throw new Error('At least one Resources member must be defined.');
  return t;
}

export interface EvalContext {
  account: string;
  region: string;
  stackName: string;
  stackId: string;
  params: Record<string, Json>;
}

/** Evaluates intrinsic functions of one template with given parameters; physical ids are deterministic. */
export class TemplateEvaluator {
  constructor(
    readonly t: CfnTemplate,
    readonly ctx: EvalContext,
  ) {}

  private readonly intrinsicOps: IntrinsicOps = {
    ev: (n) => this.ev(n),
    ref: (name) => this.ref(name),
    getAtt: (res, attr) => this.getAtt(res, attr),
    condition: (name) => this.condition(name),
    isPseudo: (name) => name.startsWith('AWS::'),
  };

  private pseudo(name: string): string | undefined {
    return {
      'AWS::Region': this.ctx.region,
      'AWS::AccountId': this.ctx.account,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': this.ctx.stackName,
      'AWS::StackId': this.ctx.stackId,
      'AWS::NoValue': undefined,
    }[name];
  }

  props(logicalId: string): Record<string, Json> {
    return this.ev((this.t.Resources[logicalId]?.Properties ?? {}) as Json) as Record<string, Json>;
  }

  condition(name: string): boolean {
    const c = this.t.Conditions?.[name];
    if (c === undefined) throw new Error(`Template format error: Unresolved condition ${name}`);
    return Boolean(this.ev(c));
  }

  /** Physical id = what `Ref` returns. */
  physicalId(logicalId: string): string {
    const r = this.t.Resources[logicalId];
    if (!r) throw new Error(`Template format error: Unresolved resource dependencies [${logicalId}]`);
    const p = (r.Properties ?? {}) as Record<string, Json>;
    const named = (key: string): string =>
      p[key] !== undefined
        ? String(this.ev(p[key]))
        : `${this.ctx.stackName}-${logicalId}-${suffix(logicalId)}`;
    switch (r.Type) {
      case 'AWS::IAM::Role':
        return named('RoleName');
      case 'AWS::IAM::InstanceProfile':
        return named('InstanceProfileName');
      case 'AWS::IAM::ManagedPolicy':
        return `arn:aws:iam::${this.ctx.account}:policy/${named('ManagedPolicyName')}`;
      case 'AWS::IAM::Policy':
        return `${this.ctx.stackName.slice(0, 5)}-${logicalId}-${suffix(logicalId)}`;
      case 'AWS::EC2::Instance':
        return `i-0${suffix(logicalId).toLowerCase()}`;
      case 'AWS::EC2::SecurityGroup':
        return `sg-0${suffix(logicalId).toLowerCase()}`;
      case 'AWS::EC2::LaunchTemplate':
        return `lt-0${suffix(logicalId).toLowerCase()}`;
      default:
        return `${this.ctx.stackName}-${logicalId}-${suffix(logicalId)}`;
    }
  }

  getAtt(logicalId: string, attr: string): Json {
    const r = this.t.Resources[logicalId];
    if (!r) throw new Error(`Template format error: Unresolved resource dependencies [${logicalId}]`);
    if (r.Type === 'AWS::IAM::Role' && attr === 'Arn')
      return `arn:aws:iam::${this.ctx.account}:role/${this.physicalId(logicalId)}`;
    if (r.Type === 'AWS::IAM::Role' && attr === 'RoleId') return `AROA${suffix(logicalId)}`;
    if (r.Type === 'AWS::IAM::InstanceProfile' && attr === 'Arn')
      return `arn:aws:iam::${this.ctx.account}:instance-profile/${this.physicalId(logicalId)}`;
    if (r.Type === 'AWS::EC2::LaunchTemplate' && attr === 'LatestVersionNumber') return '1';
    return `${this.physicalId(logicalId)}.${attr}`;
  }

  ref(name: string): Json {
    if (name.startsWith('AWS::')) return this.pseudo(name) ?? null;
    if (name in this.ctx.params) return this.ctx.params[name]!;
    return this.physicalId(name);
  }

  ev(node: Json): Json {
    if (Array.isArray(node)) return node.map((n) => this.ev(n));
    if (!node || typeof node !== 'object') return node;
    const keys = Object.keys(node);
    if (keys.length === 1) {
      const k = keys[0]!;
      if (k === 'Fn::GetAZs') return [`${this.ctx.region}a`, `${this.ctx.region}b`];
      const out = evalIntrinsic(k, node[k]!, this.intrinsicOps);
      if (out !== NOT_INTRINSIC) return out;
    }
    return Object.fromEntries(Object.entries(node).map(([k, x]) => [k, this.ev(x)]));
  }
}

function suffix(seed: string): string {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h.toString(36).toUpperCase().padStart(7, 'X').slice(0, 12);
}

/** Logical ids a resource depends on (Ref / GetAtt / ${} / DependsOn). */
function dependencies(t: CfnTemplate, logicalId: string): Set<string> {
  const deps = new Set<string>();
  const add = (n: string): void => {
    if (n in t.Resources && n !== logicalId) deps.add(n);
  };
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    for (const [k, v] of Object.entries(n)) {
      if (k === 'Ref') add(String(v));
      else if (k === 'Fn::GetAtt') add(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]!);
      else if (k === 'Fn::Sub') {
        const s = Array.isArray(v) ? String(v[0]) : String(v);
        for (const m of s.matchAll(/\$\{([^!}][^}.]*)(?:\.[^}]*)?\}/g)) add(m[1]!);
      }
      walk(v);
    }
  };
  const r = t.Resources[logicalId] as { Properties?: unknown; DependsOn?: string | string[] };
  walk(r.Properties);
  for (const d of [r.DependsOn ?? []].flat()) add(d);
  return deps;
}

/** Creation order (dependencies first); throws CloudFormation's circular-dependency error. */
export function creationOrder(t: CfnTemplate): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting')
      throw new Error(`Circular dependency between resources: [${[...path, id].join(', ')}]`);
    state.set(id, 'visiting');
    for (const d of dependencies(t, id)) visit(d, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of Object.keys(t.Resources)) visit(id, []);
  return order;
}

// ------------------------------------------------------------------ the endpoint

export interface StackEvent {
  eventId: string;
  logicalResourceId: string;
  physicalResourceId: string;
  resourceType: string;
  resourceStatus: string;
  resourceStatusReason?: string;
  timestamp: number;
}

export interface CfnRole {
  stackName: string;
  logicalId: string;
  name: string;
  arn: string;
  trustPolicy: Json;
  managedPolicyArns: string[];
  maxSessionDuration?: number;
  /** True when some Allow statement of the trust policy needs aws:MultiFactorAuthPresent = true. */
  mfaRequired: boolean;
}

export interface Stack {
  stackName: string;
  stackId: string;
  status: string;
  statusReason?: string;
  templateBody: string;
  parameters: Record<string, string>;
  capabilities: string[];
  outputs: { key: string; value: string; description?: string }[];
  roles: CfnRole[];
  creationTime: number;
  lastUpdatedTime?: number;
  /** Every event (newest last); `visible` of them have "happened" so far. */
  events: StackEvent[];
  visible: number;
  /** Status once all events are visible. */
  finalStatus: string;
  finalReason?: string;
  /** Applied when the operation completes successfully. */
  pending?: {
    outputs: Stack['outputs'];
    roles: CfnRole[];
    templateBody: string;
    parameters: Record<string, string>;
  };
}

export interface CloudFormationControl {
  stacks: Map<string, Stack>;
  /** The next create/update that has `logicalId` fails there (with events) and rolls back. */
  failResource(logicalId: string, reason?: string): void;
  /** Events revealed per DescribeStacks/DescribeStackEvents call (default 2). */
  setStepsPerPoll(n: number): void;
  /** Roles defined by complete stacks, by ARN. */
  roles(): CfnRole[];
  // IAM reads `elevate setup` makes (ListMFADevices, GetRole), on the same signing rules.
  addMfaDevice(userName: string, serialNumber: string): void;
  /** A role GetRole knows besides the stack roles (e.g. an SSO role with its path). */
  addIamRole(arn: string): void;
  /** IAM action answering AccessDenied from now on. */
  denyIam(action: string): void;
}

export interface CloudFormationDeps {
  now: () => number;
  staticKeys: Map<string, StaticKey>;
  issued: Map<string, IssuedCredential>;
  requests: RecordedRequest[];
  /** Adapter to the endpoint's IAM/STS model; called for each role when a stack completes. */
  onRole?: (role: CfnRole) => void;
}

class CfnError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const tag = (name: string, value: string | undefined): string =>
  value === undefined ? '' : `<${name}>${xmlEscape(value)}</${name}>`;
const iso = (ms: number): string => new Date(ms).toISOString();

/** Query-protocol list: `Prefix.member.N[.Field]` → array of objects (or strings when no field). */
function members(params: Record<string, string>, prefix: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.member\\.(\\d+)(?:\\.(.+))?$`);
  for (const [k, v] of Object.entries(params)) {
    const m = re.exec(k);
    if (!m) continue;
    const i = Number(m[1]) - 1;
    (out[i] ??= {})[m[2] ?? ''] = v;
  }
  return out.filter(Boolean);
}

function trustNeedsMfa(doc: Json): boolean {
  const stmts = (doc as { Statement?: Json })?.Statement;
  return [stmts ?? []].flat().some((s) => {
    const st = s as { Effect?: string; Condition?: Record<string, Record<string, Json>> };
    if (st.Effect !== 'Allow') return false;
    const v = st.Condition?.Bool?.['aws:MultiFactorAuthPresent'];
    return v === true || v === 'true';
  });
}

export function createCloudFormation(deps: CloudFormationDeps): {
  /** True when the request is signed for the `cloudformation` service (the hook in awsServer's dispatch). */
  owns(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse, body: Buffer, time: number, requestId: string): void;
  control: CloudFormationControl;
} {
  const stacks = new Map<string, Stack>();
  const failures = new Map<string, string>();
  let stepsPerPoll = 2;
  const mfaDevices = new Map<string, string[]>();
  const iamRoles = new Set<string>();
  const deniedIam = new Set<string>();

  function handleIam(action: string, p: Record<string, string>, who: { arn: string }): string {
    if (deniedIam.has(action))
      throw new CfnError(403, 'AccessDenied', `User: ${who.arn} is not authorized to perform: iam:${action}`);
    switch (action) {
      case 'ListMFADevices': {
        const user = p.UserName ?? who.arn.split('/').pop() ?? '';
        const list = mfaDevices.get(user) ?? [];
        return (
          `<MFADevices>${list.map((sn) => `<member>${tag('UserName', user)}${tag('SerialNumber', sn)}${tag('EnableDate', iso(0))}</member>`).join('')}</MFADevices>` +
          '<IsTruncated>false</IsTruncated>'
        );
      }
      case 'GetRole': {
        const name = p.RoleName ?? '';
        const arn = [...iamRoles, ...[...stacks.values()].flatMap((s) => s.roles.map((r) => r.arn))].find(
          (a) => a.split('/').pop() === name,
        );
        if (!arn) throw new CfnError(404, 'NoSuchEntity', `The role with name ${name} cannot be found.`);
        const pathPart = arn.replace(/^arn:[^:]+:iam::\d{12}:role/, '').replace(/[^/]+$/, '');
        return `<Role>${tag('Path', pathPart)}${tag('RoleName', name)}${tag('RoleId', `AROA${suffix(arn)}`)}${tag('Arn', arn)}${tag('CreateDate', iso(0))}</Role>`;
      }
      default:
        throw new CfnError(
          400,
          'InvalidAction',
          `Could not find operation ${action} for version ${p.Version ?? 'NO_VERSION_SPECIFIED'}`,
        );
    }
  }

  function authenticate(
    req: IncomingMessage,
    body: Buffer,
  ): { arn: string; account: string; region: string } {
    const headers: Record<string, string[]> = {};
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      const k = (req.rawHeaders[i] ?? '').toLowerCase();
      (headers[k] ??= []).push(req.rawHeaders[i + 1] ?? '');
    }
    const result = verifySigV4(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers, body },
      (akid) => deps.staticKeys.get(akid)?.secretAccessKey ?? deps.issued.get(akid)?.secretAccessKey,
    );
    if (!result.ok) {
      const code = {
        missing: 'MissingAuthenticationToken',
        malformed: 'IncompleteSignature',
        'unknown-key': 'InvalidClientTokenId',
        mismatch: 'SignatureDoesNotMatch',
      }[result.reason];
      throw new CfnError(403, code, result.message);
    }
    const token = headers['x-amz-security-token']?.join(',');
    const cred = deps.issued.get(result.accessKeyId);
    if (cred) {
      if (token !== cred.sessionToken)
        throw new CfnError(
          403,
          'InvalidClientTokenId',
          'The security token included in the request is invalid.',
        );
      if (deps.now() >= cred.expiration)
        throw new CfnError(400, 'ExpiredToken', 'The security token included in the request is expired');
      return { arn: cred.arn, account: cred.account, region: result.region };
    }
    if (token !== undefined)
      throw new CfnError(
        403,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      );
    const key = deps.staticKeys.get(result.accessKeyId);
    const account =
      key?.account ?? /^arn:[^:]+:[^:]+::(\d{12}):/.exec(key?.arn ?? '')?.[1] ?? DEFAULT_ACCOUNT;
    return { arn: key?.arn ?? `arn:aws:iam::${account}:user/test`, account, region: result.region };
  }

  const validation = (msg: string): CfnError => new CfnError(400, 'ValidationError', msg);

  function findStack(nameOrId: string | undefined): Stack {
    const s =
      nameOrId === undefined
        ? undefined
        : (stacks.get(nameOrId) ?? [...stacks.values()].find((x) => x.stackId === nameOrId));
    if (!s) throw validation(`Stack with id ${nameOrId ?? ''} does not exist`);
    return s;
  }

  /** Reads parameters + capabilities, evaluates the template; the plan of a create/update. */
  function plan(
    p: Record<string, string>,
    who: { account: string; region: string },
    stackName: string,
    stackId: string,
    previous?: Stack,
  ) {
    const body = p.TemplateBody ?? (p.UsePreviousTemplate === 'true' ? previous?.templateBody : undefined);
    if (body === undefined) throw validation('Either Template URL or Template Body must be specified.');
    let t: CfnTemplate;
    try {
      t = parseTemplate(body);
    } catch (e) {
      throw validation(
        (e as Error).message.startsWith('Template')
          ? (e as Error).message
          : `Template format error: ${(e as Error).message}`,
      );
    }
    const given = new Map<string, string>();
    for (const m of members(p, 'Parameters')) {
      const key = m.ParameterKey ?? '';
      if (m.UsePreviousValue === 'true') {
        const prev = previous?.parameters[key];
        if (prev === undefined)
          throw validation(
            `Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`,
          );
        given.set(key, prev);
      } else given.set(key, m.ParameterValue ?? '');
    }
    const declared = t.Parameters ?? {};
    const unknown = [...given.keys()].filter((k) => !(k in declared));
    if (unknown.length) throw validation(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
    const params: Record<string, Json> = {};
    const missing: string[] = [];
    for (const [k, d] of Object.entries(declared)) {
      const v = given.get(k) ?? (d.Default !== undefined ? String(d.Default) : undefined);
      if (v === undefined) {
        missing.push(k);
        continue;
      }
      if (d.AllowedValues && !d.AllowedValues.map(String).includes(v))
        throw validation(`Parameter '${k}' must be one of AllowedValues`);
      if (d.AllowedPattern && !new RegExp(d.AllowedPattern).test(v))
        throw validation(`Parameter '${k}' must match pattern ${d.AllowedPattern}`);
      params[k] = d.Type.startsWith('AWS::SSM::Parameter::Value') ? `resolved:${v}` : v;
    }
    if (missing.length) throw validation(`Parameters: [${missing.join(', ')}] must have values`);
    const caps = members(p, 'Capabilities').map((m) => m[''] ?? '');
    const iam = Object.values(t.Resources).filter((r) => r.Type.startsWith('AWS::IAM::'));
    const named = iam.some((r) =>
      ['RoleName', 'ManagedPolicyName', 'InstanceProfileName', 'UserName', 'GroupName'].some(
        (k) => r.Properties?.[k] !== undefined,
      ),
    );
    if (named && !caps.includes('CAPABILITY_NAMED_IAM'))
      throw new CfnError(
        400,
        'InsufficientCapabilitiesException',
        'Requires capabilities : [CAPABILITY_NAMED_IAM]',
      );
    if (iam.length && !caps.includes('CAPABILITY_IAM') && !caps.includes('CAPABILITY_NAMED_IAM'))
      throw new CfnError(
        400,
        'InsufficientCapabilitiesException',
        'Requires capabilities : [CAPABILITY_IAM]',
      );
    const ev = new TemplateEvaluator(t, {
      account: who.account,
      region: who.region,
      stackName,
      stackId,
      params,
    });
    let order: string[];
    try {
      order = creationOrder(t).filter((id) => {
        const c = t.Resources[id]!.Condition;
        return c === undefined || ev.condition(c);
      });
    } catch (e) {
      throw validation(`Template format error: ${(e as Error).message}`);
    }
    const roles: CfnRole[] = order
      .filter((id) => t.Resources[id]!.Type === 'AWS::IAM::Role')
      .map((id) => {
        const props = ev.props(id);
        return {
          stackName,
          logicalId: id,
          name: ev.physicalId(id),
          arn: String(ev.getAtt(id, 'Arn')),
          trustPolicy: props.AssumeRolePolicyDocument ?? null,
          managedPolicyArns: ((props.ManagedPolicyArns ?? []) as Json[]).map(String),
          ...(props.MaxSessionDuration !== undefined
            ? { maxSessionDuration: Number(props.MaxSessionDuration) }
            : {}),
          mfaRequired: trustNeedsMfa(props.AssumeRolePolicyDocument ?? null),
        };
      });
    const outputs = Object.entries(t.Outputs ?? {})
      .filter(([, o]) => o.Condition === undefined || ev.condition(o.Condition))
      .map(([key, o]) => ({
        key,
        value: String(ev.ev(o.Value)),
        ...(o.Description ? { description: o.Description } : {}),
      }));
    const parameters = Object.fromEntries(
      Object.entries(params).map(([k, v]) => [k, given.get(k) ?? String(v)]),
    );
    return { t, ev, order, roles, outputs, parameters, caps, body };
  }

  function script(
    stack: Stack,
    op: 'CREATE' | 'UPDATE',
    planned: ReturnType<typeof plan>,
    reason: string | undefined,
  ): void {
    const time = deps.now();
    const ev = (
      logicalResourceId: string,
      physicalResourceId: string,
      resourceType: string,
      resourceStatus: string,
      resourceStatusReason?: string,
    ): StackEvent => ({
      eventId: `${logicalResourceId}-${resourceStatus}-${randomUUID()}`,
      logicalResourceId,
      physicalResourceId,
      resourceType,
      resourceStatus,
      ...(resourceStatusReason ? { resourceStatusReason } : {}),
      timestamp: time,
    });
    const stackEv = (status: string, why?: string): StackEvent =>
      ev(stack.stackName, stack.stackId, 'AWS::CloudFormation::Stack', status, why);
    const events: StackEvent[] = [
      stackEv(`${op}_IN_PROGRESS`, op === 'CREATE' ? 'User Initiated' : 'User Initiated'),
    ];
    const failAt = planned.order.find((id) => failures.has(id));
    const done: string[] = [];
    for (const id of planned.order) {
      const type = planned.t.Resources[id]!.Type;
      const phys = planned.ev.physicalId(id);
      if (id === failAt) {
        const why = failures.get(id)!;
        failures.delete(id);
        events.push(ev(id, '', type, `${op}_IN_PROGRESS`));
        events.push(ev(id, phys, type, `${op}_FAILED`, why));
        if (op === 'CREATE') {
          const r = `The following resource(s) failed to create: [${id}]. Rollback requested by user.`;
          events.push(stackEv('ROLLBACK_IN_PROGRESS', r));
          for (const d of [...done].reverse()) {
            const dt = planned.t.Resources[d]!.Type;
            events.push(ev(d, planned.ev.physicalId(d), dt, 'DELETE_IN_PROGRESS'));
            events.push(ev(d, planned.ev.physicalId(d), dt, 'DELETE_COMPLETE'));
          }
          events.push(stackEv('ROLLBACK_COMPLETE'));
          stack.finalStatus = 'ROLLBACK_COMPLETE';
          stack.finalReason = r;
        } else {
          const r = `The following resource(s) failed to update: [${id}]. `;
          events.push(stackEv('UPDATE_ROLLBACK_IN_PROGRESS', r));
          events.push(stackEv('UPDATE_ROLLBACK_COMPLETE'));
          stack.finalStatus = 'UPDATE_ROLLBACK_COMPLETE';
          stack.finalReason = r;
        }
        stack.pending = undefined;
        break;
      }
      events.push(ev(id, op === 'CREATE' ? '' : phys, type, `${op}_IN_PROGRESS`));
      if (op === 'CREATE')
        events.push(ev(id, phys, type, 'CREATE_IN_PROGRESS', 'Resource creation Initiated'));
      events.push(ev(id, phys, type, `${op}_COMPLETE`));
      done.push(id);
    }
    if (failAt === undefined) {
      if (op === 'UPDATE') events.push(stackEv('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'));
      events.push(stackEv(`${op}_COMPLETE`));
      stack.finalStatus = `${op}_COMPLETE`;
      stack.finalReason = undefined;
      stack.pending = {
        outputs: planned.outputs,
        roles: planned.roles,
        templateBody: planned.body,
        parameters: planned.parameters,
      };
    }
    void reason;
    stack.events.push(...events);
    stack.visible = stack.events.length - events.length + 1; // the first event is immediate
    stack.status = `${op}_IN_PROGRESS`;
    stack.statusReason = undefined;
  }

  /** One poll: reveal the next events; on the last one the operation's outcome takes effect. */
  function advance(stack: Stack): void {
    if (stack.visible >= stack.events.length) return;
    stack.visible = Math.min(stack.events.length, stack.visible + stepsPerPoll);
    const last = stack.events[stack.visible - 1]!;
    if (last.logicalResourceId === stack.stackName && last.resourceType === 'AWS::CloudFormation::Stack') {
      stack.status = last.resourceStatus;
      stack.statusReason = last.resourceStatusReason;
    }
    if (stack.visible >= stack.events.length) {
      stack.status = stack.finalStatus;
      stack.statusReason = stack.finalReason;
      if (stack.pending) {
        stack.outputs = stack.pending.outputs;
        stack.roles = stack.pending.roles;
        stack.templateBody = stack.pending.templateBody;
        stack.parameters = stack.pending.parameters;
        stack.pending = undefined;
        for (const r of stack.roles) deps.onRole?.(r);
      }
    }
  }

  function createStack(p: Record<string, string>, who: { account: string; region: string }): string {
    const name = p.StackName;
    if (!name)
      throw validation(
        "1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null",
      );
    if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(name))
      throw validation(
        `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*`,
      );
    if (stacks.has(name)) throw new CfnError(400, 'AlreadyExistsException', `Stack [${name}] already exists`);
    const stackId = `arn:aws:cloudformation:${who.region}:${who.account}:stack/${name}/${randomUUID()}`;
    const planned = plan(p, who, name, stackId);
    const stack: Stack = {
      stackName: name,
      stackId,
      status: 'CREATE_IN_PROGRESS',
      templateBody: planned.body,
      parameters: planned.parameters,
      capabilities: planned.caps,
      outputs: [],
      roles: [],
      creationTime: deps.now(),
      events: [],
      visible: 0,
      finalStatus: 'CREATE_COMPLETE',
    };
    script(stack, 'CREATE', planned, undefined);
    stacks.set(name, stack);
    return `<StackId>${xmlEscape(stackId)}</StackId>`;
  }

  function updateStack(p: Record<string, string>, who: { account: string; region: string }): string {
    const stack = findStack(p.StackName);
    if (stack.visible < stack.events.length || /_IN_PROGRESS$/.test(stack.status))
      throw validation(`Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
    if (['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'CREATE_FAILED', 'DELETE_COMPLETE'].includes(stack.status))
      throw validation(`Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
    const planned = plan(p, who, stack.stackName, stack.stackId, stack);
    if (
      planned.body === stack.templateBody &&
      JSON.stringify(planned.parameters) === JSON.stringify(stack.parameters)
    )
      throw validation('No updates are to be performed.');
    stack.capabilities = planned.caps;
    stack.lastUpdatedTime = deps.now();
    script(stack, 'UPDATE', planned, undefined);
    return `<StackId>${xmlEscape(stack.stackId)}</StackId>`;
  }

  function stackXml(s: Stack): string {
    return (
      `<member>${tag('StackId', s.stackId)}${tag('StackName', s.stackName)}` +
      `${tag('CreationTime', iso(s.creationTime))}${s.lastUpdatedTime ? tag('LastUpdatedTime', iso(s.lastUpdatedTime)) : ''}` +
      `${tag('StackStatus', s.status)}${tag('StackStatusReason', s.statusReason)}` +
      `<Parameters>${Object.entries(s.parameters)
        .map(([k, v]) => `<member>${tag('ParameterKey', k)}${tag('ParameterValue', v)}</member>`)
        .join('')}</Parameters>` +
      `<Capabilities>${s.capabilities.map((c) => tag('member', c)).join('')}</Capabilities>` +
      `<Outputs>${s.outputs
        .map(
          (o) =>
            `<member>${tag('OutputKey', o.key)}${tag('OutputValue', o.value)}${tag('Description', o.description)}</member>`,
        )
        .join('')}</Outputs>` +
      `<Tags/><DisableRollback>false</DisableRollback><RollbackConfiguration/><DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation></member>`
    );
  }

  function describeStacks(p: Record<string, string>): string {
    const list = p.StackName ? [findStack(p.StackName)] : [...stacks.values()];
    for (const s of list) advance(s);
    return `<Stacks>${list.map(stackXml).join('')}</Stacks>`;
  }

  function describeStackEvents(p: Record<string, string>): string {
    const s = findStack(p.StackName);
    advance(s);
    const visible = s.events.slice(0, s.visible).reverse(); // newest first, as CloudFormation
    return `<StackEvents>${visible
      .map(
        (e) =>
          `<member>${tag('StackId', s.stackId)}${tag('EventId', e.eventId)}${tag('StackName', s.stackName)}` +
          `${tag('LogicalResourceId', e.logicalResourceId)}${tag('PhysicalResourceId', e.physicalResourceId)}` +
          `${tag('ResourceType', e.resourceType)}${tag('Timestamp', iso(e.timestamp))}` +
          `${tag('ResourceStatus', e.resourceStatus)}${tag('ResourceStatusReason', e.resourceStatusReason)}</member>`,
      )
      .join('')}</StackEvents>`;
  }

  function send(res: ServerResponse, status: number, xml: string, requestId: string): void {
    res.writeHead(status, {
      'Content-Type': 'text/xml',
      'Content-Length': Buffer.byteLength(xml),
      'x-amzn-RequestId': requestId,
    });
    res.end(xml);
  }

  return {
    owns: (req) =>
      /Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/(cloudformation|iam)\//.test(
        String(req.headers.authorization ?? ''),
      ),
    handle(req, res, body, time, requestId) {
      const q = (req.url ?? '').indexOf('?');
      const form = new URLSearchParams(q < 0 ? '' : (req.url ?? '').slice(q + 1));
      if (req.method === 'POST')
        for (const [k, v] of new URLSearchParams(body.toString('utf8'))) form.set(k, v);
      const params = Object.fromEntries(form);
      const action = params.Action ?? '';
      const auth = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''));
      const rec = {
        service: /\/iam\//.test(String(req.headers.authorization ?? '')) ? 'iam' : 'cloudformation',
        action,
        params,
        time,
        statusCode: 200,
        ...(auth ? { accessKeyId: auth[1], region: auth[2] } : {}),
      } as unknown as RecordedRequest; // awsServer's AwsService union names only sts/ssm
      deps.requests.push(rec);
      try {
        const who = authenticate(req, body);
        const iamCall = /\/iam\//.test(String(req.headers.authorization ?? ''));
        let result: string;
        if (iamCall) result = handleIam(action, params, who);
        else
          switch (action) {
            case 'CreateStack':
              result = createStack(params, who);
              break;
            case 'UpdateStack':
              result = updateStack(params, who);
              break;
            case 'DescribeStacks':
              result = describeStacks(params);
              break;
            case 'DescribeStackEvents':
              result = describeStackEvents(params);
              break;
            default:
              throw new CfnError(
                400,
                'InvalidAction',
                `Could not find operation ${action} for version ${params.Version ?? 'NO_VERSION_SPECIFIED'}`,
              );
          }
        const ns = iamCall ? IAM_NS : CFN_NS;
        send(
          res,
          200,
          `<${action}Response xmlns="${ns}"><${action}Result>${result}</${action}Result>` +
            `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
          requestId,
        );
      } catch (err) {
        const e = err instanceof CfnError ? err : new CfnError(500, 'InternalFailure', String(err));
        rec.statusCode = e.status;
        rec.errorCode = e.code;
        send(
          res,
          e.status,
          `<ErrorResponse xmlns="${CFN_NS}"><Error><Type>${e.status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
            `<Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
          requestId,
        );
      }
    },
    control: {
      stacks,
      failResource: (logicalId, reason) =>
        void failures.set(
          logicalId,
          reason ??
            `Resource handler returned message: "Access denied for operation 'AWS::IAM::Role'." (HandlerErrorCode: AccessDenied)`,
        ),
      setStepsPerPoll: (n) => {
        stepsPerPoll = Math.max(1, Math.floor(n));
      },
      roles: () => [...stacks.values()].flatMap((s) => s.roles),
      addMfaDevice: (user, serial) => void mfaDevices.set(user, [...(mfaDevices.get(user) ?? []), serial]),
      addIamRole: (arn) => void iamRoles.add(arn),
      denyIam: (action) => void deniedIam.add(action),
    },
  };
}

/**
 * The adapter from stack roles to awsServer's STS model as it is on this branch: a role whose trust needs
 * MFA is registered with `requireMfa` (keeping a token code a test set before). When awsServer gains a
 * role model that evaluates trust policies (`defineRole`), pass `onRole: (r) => defineRole(r)` instead.
 */
export function mfaAdapter(mfaRoles: Map<string, string | undefined>): (role: CfnRole) => void {
  return (role) => {
    if (role.mfaRequired && !mfaRoles.has(role.arn)) mfaRoles.set(role.arn, undefined);
  };
}
