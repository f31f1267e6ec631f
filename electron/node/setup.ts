// `elevate setup` (and the app's first-run Setup view): from an operator identity (IAM user keys, an SSO
// session or an assumed role) to the two tier roles in the account and the two tier profiles in
// ~/.aws/config. Steps, each usable alone: detect where we run → identify the operator → plan (template,
// parameters, profiles) → deploy the stack streaming its events → append the profiles → verify.
// No prompts here: questions go through the `ask` callback the caller supplies (CLI: a TTY prompt).
import fs from 'node:fs';
import path from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { ElevateError } from '../../shared/errors';
import { readAwsSetup } from './awsFiles';
import { endpointFor, envFlag } from './identity';
import { awsConfigPath, awsCredentialsPath, type Env } from './paths';
import { probeEc2, type Ec2Probe } from './setupProbe';
import { IamCallError, listMfaDevices, roleArnWithPath } from './setupIam';
import { tierProfiles, type TierProfileSpec } from './setupConfig';

export class SetupError extends ElevateError {}

export type TemplateKind = 'laptop' | 'workstation';

export interface OperatorIdentity {
  profile: string;
  /** How the profile was chosen, said to the user. */
  profileSource: string;
  arn: string;
  account: string;
  kind: 'iam-user' | 'sso' | 'assumed-role';
  /** The principal the roles will trust (IAM user ARN, or the role ARN with its path). */
  principalArn: string;
  userName?: string;
  roleName?: string;
  notes: string[];
}

export interface SetupPlan {
  environment: { kind: 'ec2' | 'laptop'; detail: string; probe: Ec2Probe };
  operator: OperatorIdentity;
  template: { kind: TemplateKind; path: string; text: string };
  stackName: string;
  region: string;
  parameters: { key: string; value: string }[];
  /** The profiles to append (role ARNs filled in from the stack outputs after the deploy). */
  profiles: { readonly: string; elevated: string; mfaSerial?: string };
  /** What --deploy will call, in order. */
  calls: string[];
  warnings: string[];
}

export interface SetupInput {
  env: Env;
  profile?: string;
  region?: string;
  stackName?: string;
  template?: TemplateKind;
  operatorArn?: string;
  mfaSerial?: string;
  /** Explicit opt-out of the MFA condition (SSO operators; said loudly). */
  noMfa?: boolean;
  readonlyProfile?: string;
  elevatedProfile?: string;
  vpcId?: string;
  subnetId?: string;
  /** Where infra/ is looked up (default: next to the bundle, the repo, or the app's resources). */
  templateDirs?: string[];
  /** Asks the human (undefined when no one can answer: non-TTY / --json). */
  ask?: (question: string) => Promise<string | undefined>;
}

// ------------------------------------------------------------------ where + who

export async function detectEnvironment(env: Env, timeoutMs?: number): Promise<SetupPlan['environment']> {
  const probe = await probeEc2(env, timeoutMs);
  return probe.kind === 'ec2'
    ? {
        kind: 'ec2',
        detail: `EC2 instance ${probe.instanceId ?? '(id unknown)'}${probe.region ? ` in ${probe.region}` : ''} (IMDSv2 answered at ${probe.endpoint})`,
        probe,
      }
    : {
        kind: 'laptop',
        detail: `not EC2: instance metadata ${probe.endpoint} did not answer (${probe.reason})`,
        probe,
      };
}

export function operatorProfile(input: Pick<SetupInput, 'profile' | 'env'>): {
  name: string;
  source: string;
} {
  if (input.profile) return { name: input.profile, source: '--profile' };
  if (input.env.AWS_PROFILE) return { name: input.env.AWS_PROFILE, source: 'AWS_PROFILE' };
  if (input.env.AWS_DEFAULT_PROFILE)
    return { name: input.env.AWS_DEFAULT_PROFILE, source: 'AWS_DEFAULT_PROFILE' };
  return { name: 'default', source: 'the default profile (no --profile, no AWS_PROFILE)' };
}

export function operatorCredentials(profile: string, env: Env): () => Promise<AwsCredentialIdentity> {
  return fromIni({
    profile,
    filepath: awsCredentialsPath(env),
    configFilepath: awsConfigPath(env),
    ignoreCache: true,
  });
}

/** Classifies an STS caller ARN; throws for principals that must not operate Elevate (root, federated). */
export function classifyCaller(arn: string): {
  kind: OperatorIdentity['kind'];
  account: string;
  principalArn?: string;
  userName?: string;
  roleName?: string;
} {
  const m = /^arn:(aws[a-z-]*):(iam|sts)::(\d{12}):(.+)$/.exec(arn);
  if (!m) throw new SetupError('operator-unknown', `cannot read the caller ARN "${arn}"`, 2);
  const [, partition, svc, account, rest] = m as unknown as [string, string, string, string, string];
  if (svc === 'iam' && rest === 'root')
    throw new SetupError(
      'operator-root',
      `these are the account's root credentials (${arn}); do not use root: create an IAM user (or use IAM Identity Center) with admin rights and run setup with its profile`,
      2,
    );
  if (svc === 'iam' && rest.startsWith('user/')) {
    const userName = rest.split('/').pop()!;
    return { kind: 'iam-user', account, principalArn: arn, userName };
  }
  if (svc === 'sts' && rest.startsWith('assumed-role/')) {
    const roleName = rest.split('/')[1]!;
    return {
      kind: roleName.startsWith('AWSReservedSSO_') ? 'sso' : 'assumed-role',
      account,
      roleName,
      // Without a path; resolveOperator replaces it with GetRole's ARN (SSO roles live under a path).
      principalArn: `arn:${partition}:iam::${account}:role/${roleName}`,
    };
  }
  throw new SetupError(
    'operator-unsupported',
    `the operator ${arn} is not an IAM user or a role session; use an IAM user, an SSO profile or a role profile`,
    2,
  );
}

function stsClient(env: Env, region: string, credentials: () => Promise<AwsCredentialIdentity>): STSClient {
  const endpoint = endpointFor('STS', env);
  return new STSClient({ region, credentials, maxAttempts: 2, ...(endpoint ? { endpoint } : {}) });
}

export async function resolveOperator(input: SetupInput, region: string): Promise<OperatorIdentity> {
  const { name, source } = operatorProfile(input);
  const setup = readAwsSetup(input.env);
  if (!setup.profiles.has(name))
    throw new SetupError(
      'no-operator-profile',
      `profile "${name}" (${source}) is not in ${setup.configPath} or ${setup.credentialsPath}; configure admin credentials first (aws configure --profile NAME, or aws configure sso) and pass --profile NAME`,
      2,
    );
  const credentials = operatorCredentials(name, input.env);
  const sts = stsClient(input.env, region, credentials);
  let arn: string;
  let account: string;
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    arn = out.Arn ?? '';
    account = out.Account ?? '';
  } catch (e) {
    throw new SetupError(
      'operator-credentials',
      `cannot use profile "${name}" (${source}): ${(e as Error).message}. Check it with \`aws sts get-caller-identity --profile ${name}\` (for SSO: aws sso login --profile ${name})`,
      1,
      { cause: e },
    );
  } finally {
    sts.destroy();
  }
  const c = classifyCaller(arn);
  const notes: string[] = [];
  let principalArn = c.principalArn!;
  if (input.operatorArn) {
    principalArn = input.operatorArn;
    notes.push(`trusting ${principalArn} (--operator-arn)`);
  } else if (c.roleName) {
    try {
      principalArn = await roleArnWithPath(c.roleName, await credentials(), input.env);
    } catch (e) {
      const why = e instanceof IamCallError ? `${e.code}: ${e.message}` : (e as Error).message;
      if (c.kind === 'sso')
        throw new SetupError(
          'operator-role-path',
          `cannot read the ARN of your SSO role ${c.roleName} (iam:GetRole: ${why}); pass it with --operator-arn (IAM console → Roles → ${c.roleName} → ARN, it contains aws-reserved/sso.amazonaws.com/)`,
          2,
        );
      notes.push(
        `iam:GetRole failed (${why}); assuming the role has no path: ${principalArn} (else pass --operator-arn)`,
      );
    }
  }
  if (c.kind === 'sso')
    notes.push(
      'IAM Identity Center sessions cannot carry MFA into AssumeRole: the elevated role is gated by your SSO sign-in (and its MFA), not by a code per elevation (docs/laptop.md)',
    );
  return {
    profile: name,
    profileSource: source,
    arn,
    account,
    kind: c.kind,
    principalArn,
    notes,
    ...(c.userName ? { userName: c.userName } : {}),
    ...(c.roleName ? { roleName: c.roleName } : {}),
  };
}

/** mfa_serial for the elevated profile: --mfa-serial, else the user's one device, else ask. */
export async function resolveMfaSerial(input: SetupInput, op: OperatorIdentity): Promise<string | undefined> {
  if (input.noMfa) return undefined;
  if (input.mfaSerial) {
    if (
      !/^arn:aws[a-z-]*:iam::\d{12}:(mfa|u2f)\/[\w+=,.@/-]+$/.test(input.mfaSerial) &&
      !/^GA[A-Z0-9]+$/.test(input.mfaSerial)
    )
      throw new SetupError(
        'bad-mfa-serial',
        `--mfa-serial "${input.mfaSerial}" is not an MFA device ARN (arn:aws:iam::ACCOUNT:mfa/NAME)`,
        2,
      );
    return input.mfaSerial;
  }
  if (op.kind === 'sso') return undefined;
  let found: string[] | undefined;
  let why = '';
  if (op.kind === 'iam-user' && op.userName) {
    try {
      found = await listMfaDevices(
        op.userName,
        await operatorCredentials(op.profile, input.env)(),
        input.env,
      );
    } catch (e) {
      why = e instanceof IamCallError ? `${e.code}: ${e.message}` : (e as Error).message;
    }
  } else why = 'the operator is a role session; its MFA device cannot be looked up';
  if (found && found.length === 1) return found[0];
  if (found && found.length === 0)
    throw new SetupError(
      'no-mfa-device',
      `IAM user ${op.userName} has no MFA device: the elevated role needs one. Add one (IAM console → Users → ${op.userName} → Security credentials → Assign MFA device), then run setup again (or pass --mfa-serial ARN)`,
      2,
    );
  const q = found
    ? `MFA devices of ${op.userName}: ${found.join(', ')}. Which one should the elevated profile use? `
    : `MFA device ARN for the elevated profile (iam:ListMFADevices: ${why})? `;
  const answer = (await input.ask?.(q))?.trim();
  if (answer) return resolveMfaSerial({ ...input, mfaSerial: answer }, op);
  throw new SetupError(
    'mfa-serial-needed',
    found
      ? `several MFA devices (${found.join(', ')}): pass --mfa-serial with the one to use`
      : `cannot find your MFA device (${why}): pass --mfa-serial arn:aws:iam::${op.account}:mfa/NAME, or --no-mfa only if your sessions cannot carry MFA (SSO)`,
    2,
  );
}

// ------------------------------------------------------------------ plan

export function templateDirs(): string[] {
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  return [
    path.join(__dirname, '..', '..', 'infra'),
    path.join(__dirname, '..', '..', '..', 'infra'),
    ...(resources ? [path.join(resources, 'infra')] : []),
  ];
}

export function readSetupTemplate(
  kind: TemplateKind,
  dirs: string[] = templateDirs(),
): { path: string; text: string } {
  for (const d of dirs) {
    const p = path.join(d, `${kind}.yaml`);
    try {
      return { path: p, text: fs.readFileSync(p, 'utf8') };
    } catch {
      // next
    }
  }
  throw new SetupError(
    'no-template',
    `infra/${kind}.yaml is missing from this installation (looked in ${dirs.join(', ')})`,
  );
}

export function regionFor(input: SetupInput, profile: string, probe?: Ec2Probe): string | undefined {
  if (input.region) return input.region;
  const p = readAwsSetup(input.env).profiles.get(profile);
  return (
    p?.region ??
    input.env.AWS_REGION ??
    input.env.AWS_DEFAULT_REGION ??
    (probe?.kind === 'ec2' ? probe.region : undefined)
  );
}

export async function planSetup(
  input: SetupInput,
  environment?: SetupPlan['environment'],
): Promise<SetupPlan> {
  const where = environment ?? (await detectEnvironment(input.env));
  const kind: TemplateKind = input.template ?? (where.kind === 'ec2' ? 'workstation' : 'laptop');
  const { name } = operatorProfile(input);
  const region = regionFor(input, name, where.probe);
  if (!region)
    throw new SetupError(
      'no-region',
      `no region: pass --region (e.g. --region us-east-1), or set region in [profile ${name}]`,
      2,
    );
  const operator = await resolveOperator(input, region);
  const warnings = [...operator.notes];
  const template = { kind, ...readSetupTemplate(kind, input.templateDirs) };
  const parameters: SetupPlan['parameters'] = [];
  let mfaSerial: string | undefined;
  // Both templates trust the operator principal for elevation (laptop: both roles; workstation: elevated only).
  parameters.push({ key: 'OperatorPrincipalArn', value: operator.principalArn });
  if (kind === 'laptop') {
    const noMfa = input.noMfa || (operator.kind === 'sso' && !input.mfaSerial);
    if (noMfa) {
      parameters.push({ key: 'RequireMfaForElevated', value: 'false' });
      warnings.push(
        'the elevated role will NOT require MFA (RequireMfaForElevated=false): anyone with your operator session can elevate',
      );
    } else mfaSerial = await resolveMfaSerial(input, operator);
  } else {
    const vpc = input.vpcId ?? (where.probe.kind === 'ec2' ? where.probe.vpcId : undefined);
    const subnet = input.subnetId ?? (where.probe.kind === 'ec2' ? where.probe.subnetId : undefined);
    if (!vpc || !subnet)
      throw new SetupError(
        'no-subnet',
        'the workstation template needs --vpc-id and --subnet-id (a subnet with a route to the SSM endpoints)',
        2,
      );
    parameters.push({ key: 'VpcId', value: vpc }, { key: 'SubnetId', value: subnet });
    warnings.push(
      'the workstation stack creates a new EC2 instance; its ~/.aws/config is written by its UserData, not here',
    );
  }
  const stackName = input.stackName ?? (kind === 'laptop' ? 'elevate-laptop' : 'elevate-workstation');
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName))
    throw new SetupError(
      'bad-stack-name',
      `--stack-name "${stackName}": letters, digits and hyphens, starting with a letter`,
      2,
    );
  return {
    environment: where,
    operator,
    template,
    stackName,
    region,
    parameters,
    profiles: {
      readonly: input.readonlyProfile ?? 'claudecode-readonly',
      elevated: input.elevatedProfile ?? 'claudecode-elevated',
      ...(mfaSerial ? { mfaSerial } : {}),
    },
    calls: [
      `cloudformation:DescribeStacks ${stackName} (${region})`,
      `cloudformation:CreateStack ${stackName} (UpdateStack if it exists) with CAPABILITY_NAMED_IAM, as profile ${operator.profile}`,
      'cloudformation:DescribeStackEvents until the stack settles',
      ...(kind === 'laptop'
        ? [
            `append [profile ${input.readonlyProfile ?? 'claudecode-readonly'}] and [profile ${input.elevatedProfile ?? 'claudecode-elevated'}] to ${awsConfigPath(input.env)} (backup first, diff shown)`,
          ]
        : []),
    ],
    warnings,
  };
}

export function profileSpecs(plan: SetupPlan, outputs: Record<string, string>): TierProfileSpec[] {
  const ro = outputs.ReadOnlyRoleArn;
  const el = outputs.ElevatedRoleArn;
  if (!ro || !el)
    throw new SetupError(
      'no-outputs',
      `stack ${plan.stackName} has no ReadOnlyRoleArn/ElevatedRoleArn outputs`,
    );
  return tierProfiles({
    readonlyName: plan.profiles.readonly,
    elevatedName: plan.profiles.elevated,
    readonlyRoleArn: ro,
    elevatedRoleArn: el,
    sourceProfile: plan.operator.profile,
    region: plan.region,
    ...(plan.profiles.mfaSerial ? { mfaSerial: plan.profiles.mfaSerial } : {}),
  });
}

// ------------------------------------------------------------------ deploy

export interface DeployResult {
  action: 'create' | 'update' | 'unchanged';
  stackId: string;
  status: string;
  outputs: Record<string, string>;
  events: StackEvent[];
}

const FAILED = /(_FAILED|ROLLBACK_COMPLETE|ROLLBACK_IN_PROGRESS)$/;

function outputsOf(s: Stack | undefined): Record<string, string> {
  return Object.fromEntries((s?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
}

export function formatEvent(e: StackEvent): string {
  const t = e.Timestamp ? new Date(e.Timestamp).toISOString().slice(11, 19) : '--:--:--';
  return `${t}  ${(e.ResourceStatus ?? '').padEnd(28)} ${(e.ResourceType ?? '').padEnd(28)} ${e.LogicalResourceId ?? ''}${e.ResourceStatusReason ? `  (${e.ResourceStatusReason})` : ''}`;
}

export function cloudFormationClient(plan: SetupPlan, env: Env): CloudFormationClient {
  const endpoint = envFlag(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)
    ? undefined
    : env.AWS_ENDPOINT_URL_CLOUDFORMATION || env.AWS_ENDPOINT_URL || undefined;
  return new CloudFormationClient({
    region: plan.region,
    credentials: operatorCredentials(plan.operator.profile, env),
    maxAttempts: 3,
    ...(endpoint ? { endpoint } : {}),
  });
}

const errName = (e: unknown): string => (e as { name?: string }).name ?? '';

export async function deployStack(
  plan: SetupPlan,
  cfn: CloudFormationClient,
  onEvent: (e: StackEvent) => void,
  opts: { pollMs?: number; timeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<DeployResult> {
  const pollMs = opts.pollMs ?? 3000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + (opts.timeoutMs ?? 30 * 60_000);
  const StackName = plan.stackName;
  let existing: Stack | undefined;
  try {
    existing = (await cfn.send(new DescribeStacksCommand({ StackName }))).Stacks?.[0];
  } catch (e) {
    if (!/does not exist/.test((e as Error).message)) throw deployError(plan, e, 'DescribeStacks');
  }
  const input = {
    StackName,
    TemplateBody: plan.template.text,
    Parameters: plan.parameters.map((p) => ({ ParameterKey: p.key, ParameterValue: p.value })),
    Capabilities: ['CAPABILITY_NAMED_IAM' as const],
    Tags: [{ Key: 'elevate:setup', Value: plan.template.kind }],
  };
  if (existing?.StackStatus === 'ROLLBACK_COMPLETE' || existing?.StackStatus === 'ROLLBACK_FAILED')
    throw new SetupError(
      'stack-rolled-back',
      `stack ${StackName} is in ${existing.StackStatus} from an earlier failed create and cannot be updated: delete it (aws cloudformation delete-stack --stack-name ${StackName} --region ${plan.region} --profile ${plan.operator.profile}) and run setup again`,
    );
  if (existing && /_IN_PROGRESS$/.test(existing.StackStatus ?? ''))
    throw new SetupError(
      'stack-busy',
      `stack ${StackName} is ${existing.StackStatus}; wait for it to finish, then run setup again`,
    );
  const seen = new Set<string>();
  // Events of earlier operations are history, not progress.
  if (existing) {
    try {
      const old = await cfn.send(new DescribeStackEventsCommand({ StackName }));
      for (const e of old.StackEvents ?? []) if (e.EventId) seen.add(e.EventId);
    } catch {
      // progress only
    }
  }
  let action: DeployResult['action'];
  let stackId: string;
  try {
    if (existing) {
      stackId = (await cfn.send(new UpdateStackCommand(input))).StackId ?? existing.StackId ?? '';
      action = 'update';
    } else {
      stackId = (await cfn.send(new CreateStackCommand(input))).StackId ?? '';
      action = 'create';
    }
  } catch (e) {
    if (existing && /No updates are to be performed/.test((e as Error).message))
      return {
        action: 'unchanged',
        stackId: existing.StackId ?? '',
        status: existing.StackStatus ?? '',
        outputs: outputsOf(existing),
        events: [],
      };
    throw deployError(plan, e, existing ? 'UpdateStack' : 'CreateStack');
  }
  const events: StackEvent[] = [];
  for (;;) {
    let batch: StackEvent[] = [];
    try {
      batch =
        (await cfn.send(new DescribeStackEventsCommand({ StackName: stackId || StackName }))).StackEvents ??
        [];
    } catch (e) {
      if (errName(e) !== 'Throttling') throw deployError(plan, e, 'DescribeStackEvents');
    }
    for (const e of [...batch].reverse()) {
      if (!e.EventId || seen.has(e.EventId)) continue;
      seen.add(e.EventId);
      events.push(e);
      onEvent(e);
    }
    const s = (await cfn.send(new DescribeStacksCommand({ StackName: stackId || StackName }))).Stacks?.[0];
    const status = s?.StackStatus ?? '';
    if (!status.endsWith('_IN_PROGRESS')) {
      if (FAILED.test(status) || status.endsWith('_FAILED')) {
        const failed = events.filter(
          (e) => /_FAILED$/.test(e.ResourceStatus ?? '') && e.ResourceType !== 'AWS::CloudFormation::Stack',
        );
        throw new SetupError(
          'stack-failed',
          [
            `stack ${StackName} ${action === 'create' ? 'creation' : 'update'} failed and was rolled back (${status}${s?.StackStatusReason ? `: ${s.StackStatusReason}` : ''}).`,
            ...failed.map(
              (e) =>
                `  ${e.LogicalResourceId} (${e.ResourceType}): ${e.ResourceStatusReason ?? 'no reason given'}`,
            ),
            action === 'create'
              ? `Nothing was written to ~/.aws/config. Fix the cause (often: the operator lacks iam:CreateRole/iam:PutRolePolicy/iam:CreatePolicy), delete the stack (aws cloudformation delete-stack --stack-name ${StackName} --region ${plan.region} --profile ${plan.operator.profile}) and run setup again.`
              : 'The stack is back to its previous version; ~/.aws/config was not changed. Fix the cause and run setup again.',
          ].join('\n'),
        );
      }
      return { action, stackId, status, outputs: outputsOf(s), events };
    }
    if (Date.now() > deadline)
      throw new SetupError(
        'stack-timeout',
        `stack ${StackName} is still ${status}; follow it in the CloudFormation console, then run setup again to write the profiles`,
      );
    await sleep(pollMs);
  }
}

function deployError(plan: SetupPlan, e: unknown, call: string): SetupError {
  const name = errName(e);
  const msg = (e as Error).message;
  if (name === 'InsufficientCapabilitiesException')
    return new SetupError(
      'stack-capabilities',
      `${call}: ${msg} (setup always sends CAPABILITY_NAMED_IAM; the template asks for more)`,
    );
  if (/AccessDenied|not authorized/i.test(`${name} ${msg}`))
    return new SetupError(
      'stack-access-denied',
      `${call} as profile ${plan.operator.profile} was denied: ${msg}. The operator needs CloudFormation and IAM write access (e.g. AdministratorAccess, or IAMFullAccess + AWSCloudFormationFullAccess)`,
    );
  return new SetupError('stack-error', `${call} failed: ${name ? `${name}: ` : ''}${msg}`, 1, { cause: e });
}
