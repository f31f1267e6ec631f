// Connecting to the workstation: prerequisites (AWS CLI v2 — not whatever `aws` is first on PATH — and
// session-manager-plugin), then the exact argv of `aws ssm start-session` a terminal runs through
// `elevate run`. Pure argv building lives in shared/workstation.ts; this file finds the tools.
import fs from 'node:fs';
import path from 'node:path';
import type { Settings } from '../../shared/settings';
import { OVERRIDE_VARS } from '../../shared/env';
import {
  REMOTE_COMMAND_DOCUMENT,
  installHint,
  remoteClaudeCommand,
  startSessionArgv,
  type RemoteClaudeTier,
} from '../../shared/workstation';
import { parseAwsCliVersion, toolVersion, which, whichAll } from './which';
import type { Env } from './paths';
import {
  WorkstationError,
  checkCloudInit,
  getInstanceStatus,
  resolveInstanceId,
  resolveTarget,
  type CloudInitProgress,
  type CloudInitResult,
  type SsmDeps,
  type WorkstationFlags,
  type WorkstationTarget,
} from './ssm';
import { loadContext, type CoreContext } from './context';
import type { LaunchOptions, LaunchResult } from './launcher';
import { REMOTE_ELEVATED_REFUSAL } from './elevatedLaunch';
import type { Check, DoctorExtension } from './doctor';

export interface ToolCandidate {
  path: string;
  /** Resolved real path (symlinks followed), used to drop duplicates such as /bin/aws → /usr/bin/aws. */
  realPath: string;
  version: string | null;
  major: number | null;
}

export interface ToolCheck {
  ok: boolean;
  /** The executable that will run (absolute), or null. */
  path: string | null;
  version: string | null;
  /** One sentence: which one runs and why (e.g. "v1 at … is first on PATH; using v2 at …"). */
  message: string;
  /** Install hint for this OS when not ok. */
  hint?: string;
  candidates?: ToolCandidate[];
}

function realPathOf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** Every `aws` on PATH with its version, duplicates (same real file) removed, PATH order kept. */
export async function awsCliCandidates(
  env: Env = process.env,
  platform: string = process.platform,
): Promise<ToolCandidate[]> {
  const seen = new Set<string>();
  const out: ToolCandidate[] = [];
  // whichAll matches exact names; on Windows the CLI is aws.exe (PATHEXT), which `which` resolves.
  const all = whichAll('aws', env);
  const first = all.length ? null : which('aws', env, platform as NodeJS.Platform);
  for (const p of first ? [first] : all) {
    const real = realPathOf(p);
    if (seen.has(real)) continue;
    seen.add(real);
    const v = parseAwsCliVersion(await toolVersion(p, ['--version'], env));
    out.push({ path: p, realPath: real, version: v?.version ?? null, major: v?.major ?? null });
  }
  return out;
}

/** The AWS CLI v2 connect will run: the first v2 on PATH, even when a v1 shadows it. */
export async function findAwsCliV2(
  env: Env = process.env,
  platform: string = process.platform,
): Promise<ToolCheck> {
  const all = await awsCliCandidates(env, platform);
  const v2 = all.find((c) => c.major !== null && c.major >= 2);
  const first = all[0];
  if (!v2) {
    const found = all.length
      ? `only ${all.map((c) => `${c.path} (${c.version ? `v${c.version}` : 'no version'})`).join(', ')} on PATH`
      : 'no aws on PATH';
    return {
      ok: false,
      path: null,
      version: null,
      message: `AWS CLI v2 is required for start-session (${found})`,
      hint: installHint('aws', platform),
      candidates: all,
    };
  }
  const shadow =
    first && first !== v2
      ? `; ${first.path} (${first.version ? `v${first.version}` : 'unknown version'}) is first on PATH and is NOT used`
      : '';
  return {
    ok: true,
    path: v2.path,
    version: v2.version,
    message: `will run AWS CLI ${v2.version} at ${v2.path}${shadow}`,
    candidates: all,
  };
}

/** session-manager-plugin must be on the PATH the CLI runs with (the CLI executes it by name). */
export async function findSessionManagerPlugin(
  env: Env = process.env,
  platform: string = process.platform,
): Promise<ToolCheck> {
  const p = which('session-manager-plugin', env, platform as NodeJS.Platform);
  if (!p) {
    return {
      ok: false,
      path: null,
      version: null,
      message: 'session-manager-plugin is not on PATH (aws ssm start-session needs it)',
      hint: installHint('session-manager-plugin', platform),
    };
  }
  const version = await toolVersion(p, ['--version'], env);
  return {
    ok: true,
    path: p,
    version,
    message: `session-manager-plugin ${version ?? '(version unknown)'} at ${p}`,
  };
}

export interface Prerequisites {
  ok: boolean;
  aws: ToolCheck;
  plugin: ToolCheck;
}

export async function checkConnectPrerequisites(
  env: Env = process.env,
  platform: string = process.platform,
): Promise<Prerequisites> {
  const [aws, plugin] = await Promise.all([
    findAwsCliV2(env, platform),
    findSessionManagerPlugin(env, platform),
  ]);
  return { ok: aws.ok && plugin.ok, aws, plugin };
}

export interface ConnectPlanInput {
  target: WorkstationTarget & { instanceId: string };
  settings: Settings;
  /** Absolute path of the AWS CLI v2 to run. */
  awsPath: string;
  /** 'elevated' is refused (WorkstationError 'remote-elevated-unsupported'). */
  remoteClaude?: RemoteClaudeTier | undefined;
}

export interface ConnectPlan {
  kind: 'ssm';
  argv: string[];
  title: string;
  tier: RemoteClaudeTier | null;
  /** Always null: remote elevated sessions (the only ones with a deadline) are refused. */
  deadline: string | null;
  /** Variables removed from the terminal's env so nothing overrides --profile. */
  unset: string[];
  /** The remote shell line (remote Claude only), shown to the user. */
  remoteCommand: string | null;
  instanceId: string;
  region: string;
  profile: string;
  endpointUrl: string | null;
}

/**
 * What a connect runs. Plain connect: the operator's start-session (with the port-forwarding document and
 * parameters from settings when set). Remote Claude (read-only only): AWS-StartInteractiveCommand with a
 * command that becomes the remote user and starts claude with AWS_PROFILE = the remote read-only profile.
 * Remote elevated is refused (issue 12 P2): the hardened workstation has no elevated profile and cannot
 * assume the elevated role, and Elevate does not ship elevated credentials to the instance.
 */
export function buildConnectPlan(i: ConnectPlanInput): ConnectPlan {
  if (i.remoteClaude === 'elevated') refuseRemoteElevated();
  const ws = i.settings.workstation;
  const t = i.target;
  let documentName: string | undefined;
  let parameters: Record<string, string[]> | undefined;
  let remoteCommand: string | null = null;
  if (i.remoteClaude) {
    remoteCommand = remoteClaudeCommand({
      tier: i.remoteClaude,
      remoteUser: ws.remoteUser,
      profile: ws.remoteReadonlyProfile,
      region: i.settings.bedrock.region ?? t.region,
      bedrockModel: i.settings.bedrock.enabled ? i.settings.bedrock.model : undefined,
    });
    documentName = REMOTE_COMMAND_DOCUMENT;
    parameters = { command: [remoteCommand] };
  } else if (ws.portForward) {
    documentName = ws.portForward.document;
    parameters = ws.portForward.parameters;
  }
  const argv = startSessionArgv({
    aws: i.awsPath,
    instanceId: t.instanceId,
    region: t.region,
    profile: t.profile,
    endpointUrl: t.endpointUrl,
    documentName,
    parameters,
  });
  const what = i.remoteClaude ? 'Claude (RO) on workstation' : 'Workstation';
  return {
    kind: 'ssm',
    argv,
    title: `${what} ${t.instanceId}`,
    tier: i.remoteClaude ?? null,
    deadline: null,
    unset: Object.keys(OVERRIDE_VARS),
    remoteCommand,
    instanceId: t.instanceId,
    region: t.region,
    profile: t.profile,
    endpointUrl: t.endpointUrl ?? null,
  };
}

/** Remote elevated Claude: never built, never launched (issue 12 P2). */
function refuseRemoteElevated(): never {
  throw new WorkstationError('remote-elevated-unsupported', REMOTE_ELEVATED_REFUSAL);
}

export interface ConnectOptions {
  env?: Env;
  ctx?: CoreContext;
  flags?: WorkstationFlags;
  /** 'elevated' is refused before any check, AWS call or terminal. */
  remoteClaude?: RemoteClaudeTier | undefined;
  /** Skip the cloud-init wait ("connect anyway"). The agent must still be Online. */
  anyway?: boolean;
  /** Bound of the cloud-init wait. Default 900 s. */
  timeoutSeconds?: number | undefined;
  /** Check everything and build the plan, but open no terminal. */
  dryRun?: boolean;
  onProgress?: (p: CloudInitProgress) => void;
  /** Prerequisite findings, as they are made (which aws runs, plugin version). */
  onNote?: (line: string) => void;
  cwd?: string;
  platform?: string;
  ssm?: SsmDeps;
  /** Launcher seams (open, adapter, self, now) passed through to launchSession. */
  launch?: Partial<LaunchOptions>;
}

export interface ConnectResult {
  plan: ConnectPlan;
  prerequisites: Prerequisites;
  /** cloud-init's status at connect time, or 'skipped' with `anyway`. */
  cloudInit: CloudInitResult['status'] | 'skipped';
  cloudInitResult: CloudInitResult | null;
  /** Null on a dry run. */
  launched: LaunchResult | null;
}

/**
 * The whole "Connect" action (tray, window and CLI): prerequisites → instance → cloud-init `done` (unless
 * `anyway`) → `aws ssm start-session` in a terminal via the launcher (`elevate run --session ID`).
 * `remoteClaude: 'elevated'` is refused before anything runs (REMOTE_ELEVATED_REFUSAL says what to do instead).
 */
export async function connectWorkstation(o: ConnectOptions = {}): Promise<ConnectResult> {
  // Before any tool check, AWS call or terminal: nothing is started for a refused request.
  if (o.remoteClaude === 'elevated') refuseRemoteElevated();
  const env = o.env ?? process.env;
  const ctx = o.ctx ?? loadContext(env);
  const platform = o.platform ?? process.platform;
  const target = resolveTarget(ctx.settings, ctx.setup, env, o.flags);
  const pre = await checkConnectPrerequisites(env, platform);
  o.onNote?.(`aws:    ${pre.aws.message}`);
  o.onNote?.(`plugin: ${pre.plugin.message}`);
  if (!pre.ok || !pre.aws.path) {
    const missing = [pre.aws, pre.plugin]
      .filter((t) => !t.ok)
      .map((t) => `${t.message}\n  install: ${t.hint ?? ''}`);
    throw new WorkstationError('missing-tool', `cannot connect:\n${missing.join('\n')}`);
  }
  const instanceId = await resolveInstanceId(target, o.ssm);
  const withId = { ...target, instanceId };
  let cloudInitResult: CloudInitResult | null = null;
  if (o.anyway) {
    const s = await getInstanceStatus(withId, o.ssm);
    if (s.pingStatus !== 'Online') {
      throw new WorkstationError(
        'agent-offline',
        `the SSM agent on ${instanceId} is ${s.pingStatus}${s.lastPing ? ` (last ping ${s.lastPing})` : ''}; a session cannot start`,
        { instanceId, pingStatus: s.pingStatus },
      );
    }
  } else {
    cloudInitResult = await checkCloudInit(
      withId,
      {
        wait: true,
        timeoutSeconds: o.timeoutSeconds ?? 900,
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      },
      o.ssm,
    );
    const st = cloudInitResult.status;
    if (st !== 'done' && st !== 'degraded') {
      throw new WorkstationError(
        'cloud-init-not-done',
        `not connecting: ${cloudInitResult.message}. Connect anyway (--anyway) to open the session regardless`,
        { instanceId, cloudInit: cloudInitResult.timedOut ? 'timeout' : st },
      );
    }
  }
  const plan = buildConnectPlan({
    target: withId,
    settings: ctx.settings,
    awsPath: pre.aws.path,
    remoteClaude: o.remoteClaude,
  });
  const result: ConnectResult = {
    plan,
    prerequisites: pre,
    cloudInit: cloudInitResult ? cloudInitResult.status : 'skipped',
    cloudInitResult,
    launched: null,
  };
  if (o.dryRun) return result;
  const { launchSession } = await import('./launcher');
  result.launched = await launchSession({
    ...o.launch,
    kind: 'ssm',
    // The local tiers do not apply: the operator profile is on the command line, the remote tier is on the
    // instance. The launcher removes the override variables for tier-less sessions.
    tier: null,
    argv: plan.argv,
    title: plan.title,
    cwd: o.cwd ?? env.HOME ?? process.cwd(),
    env,
    ctx,
    // The AWS CLI runs session-manager-plugin by name: make sure the one found here is on the runner's PATH
    // (GUI apps start with a minimal PATH).
    ...(pre.plugin.path ? { pathPrepend: [path.dirname(pre.plugin.path)] } : {}),
    audit: {
      workstation: instanceId,
      region: plan.region,
      operatorProfile: plan.profile,
      ...(plan.tier ? { remoteTier: plan.tier } : {}),
    },
  });
  return result;
}

/**
 * `elevate doctor` checks for the workstation (only when one is configured): the settings make sense
 * and — since connect may not run the `aws` first on PATH — which AWS CLI a connect will really run.
 */
export function workstationDoctor(
  env: Env = process.env,
  platform: string = process.platform,
): DoctorExtension {
  return async (ctx: CoreContext): Promise<Check[]> => {
    const ws = ctx.settings.workstation;
    if (!ws.instanceId && !ws.operatorProfile && !ws.region) return [];
    const checks: Check[] = [];
    try {
      const t = resolveTarget(ctx.settings, ctx.setup, env);
      const tierProfiles = [ctx.tiers.readonly, ctx.tiers.elevated].filter(Boolean);
      const known = ctx.setup.profiles.has(t.profile);
      const isTier = tierProfiles.includes(t.profile);
      checks.push({
        id: 'workstation',
        status: !known || isTier ? 'warn' : 'ok',
        message:
          `${t.instanceId ?? `discovered by ${t.tagKey}=${t.tagPrefix}*`} in ${t.region} (${t.regionSource}), operator profile "${t.profile}" (${t.profileSource})` +
          (!known ? `: profile "${t.profile}" is not in ${ctx.setup.configPath}` : '') +
          (isTier ? ': the operator profile is one of the agent tiers; use your own profile' : '') +
          (t.endpointUrl ? `; SSM endpoint ${t.endpointUrl}` : ''),
        ...(!known || isTier
          ? { fix: 'set workstation.operatorProfile in Elevate settings to your own profile' }
          : {}),
      });
    } catch (e) {
      checks.push({
        id: 'workstation',
        status: 'fail',
        message: e instanceof Error ? e.message : String(e),
        fix: 'fix the workstation block of Elevate settings (instanceId, region, operatorProfile)',
      });
    }
    const pre = await checkConnectPrerequisites(env, platform);
    checks.push({
      id: 'workstation-aws-cli',
      status: pre.aws.ok ? 'ok' : 'warn',
      message: `connect ${pre.aws.message}`,
      ...(pre.aws.ok ? {} : { fix: pre.aws.hint ?? '' }),
    });
    return checks;
  };
}
