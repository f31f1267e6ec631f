// The workstation over SSM: find it, ask its agent's status, and check cloud-init with SendCommand +
// GetCommandInvocation. Calls are made with the *operator* profile (the user's own, never an agent tier),
// credentials from the SDK's fromIni (role chains included). The AWS SDK is imported lazily.
//
// Pacing: every SSM call of one check/wait is at least 2 s after the previous one (MIN_CALL_GAP_MS), so a
// poll loop can never exceed 1 call / 2 s. Polls are sent with SDK retries off (maxAttempts 1) and a
// throttled poll waits throttleDelayMs before the next one; one-off calls (Describe, SendCommand) keep the
// SDK's standard retries, which handle ThrottlingException themselves.
// Size (over ~600 lines, on purpose): the three SSM use cases share one target resolution (instance, operator
// profile, region and why) and one error mapping; they are kept together so those cannot drift.
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { SSMClient } from '@aws-sdk/client-ssm';
import {
  CLOUD_INIT_SCRIPT,
  decideCloudInit,
  gapWaitMs,
  instanceIdProblem,
  isTerminalSsmStatus,
  lastLines,
  pollDelayMs,
  recheckDelayMs,
  throttleDelayMs,
  type CloudInitStatus,
} from '../../shared/workstation';
import type { Settings } from '../../shared/settings';
import type { AwsSetup } from '../../shared/awsConfig';
import { ElevateError } from '../../shared/errors';
import { awsConfigPath, awsCredentialsPath, type Env } from './paths';
import { endpointFor } from './identity';

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export type WorkstationErrorCode =
  | 'invalid-instance-id'
  | 'no-instance'
  | 'ambiguous-instance'
  | 'not-managed'
  | 'agent-offline'
  | 'access-denied'
  | 'credentials'
  | 'throttled'
  | 'timeout'
  | 'no-region'
  | 'endpoint-unreachable'
  | 'missing-tool'
  | 'cloud-init-not-done'
  /** Claude with the elevated profile on the workstation: refused (issue 12 P2). */
  | 'remote-elevated-unsupported'
  | 'aws';

export class WorkstationError extends ElevateError {
  declare readonly code: WorkstationErrorCode;
  constructor(
    code: WorkstationErrorCode,
    message: string,
    readonly details: { instanceId?: string; awsCode?: string; pingStatus?: string; cloudInit?: string } = {},
  ) {
    super(code, message, code === 'invalid-instance-id' || code === 'no-region' ? 2 : 1);
  }
}

interface AwsLikeError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Plain words for an SDK error from an SSM call. */
export function explainSsmError(
  err: unknown,
  t: Pick<WorkstationTarget, 'profile' | 'region'> & { instanceId?: string | null },
  op: string,
): WorkstationError {
  if (err instanceof WorkstationError) return err;
  const e = (err ?? {}) as AwsLikeError;
  const name = e.name ?? 'Error';
  const msg = (e.message ?? String(err)).trim();
  const id = t.instanceId ?? undefined;
  const details = { ...(id ? { instanceId: id } : {}), awsCode: name };
  switch (name) {
    case 'InvalidInstanceId':
      return new WorkstationError(
        'not-managed',
        `${id ?? 'the instance'} is not managed by SSM in ${t.region}, or its agent is not connected: check the region, that the instance is running with an instance profile that has AmazonSSMManagedInstanceCore, and that the SSM agent runs${msg ? ` (AWS: ${msg})` : ''}`,
        details,
      );
    case 'TargetNotConnected':
      return new WorkstationError(
        'agent-offline',
        `the SSM agent on ${id ?? 'the instance'} is not connected${msg ? ` (AWS: ${msg})` : ''}`,
        details,
      );
    case 'AccessDeniedException':
    case 'AccessDenied':
    case 'UnauthorizedOperation':
      return new WorkstationError(
        'access-denied',
        `access denied: profile "${t.profile}" may not call ssm:${op}${msg ? ` (AWS: ${msg})` : ''}. The operator profile needs ssm:DescribeInstanceInformation, ssm:SendCommand, ssm:GetCommandInvocation and ssm:StartSession on the workstation`,
        details,
      );
    case 'ThrottlingException':
    case 'TooManyRequestsException':
    case 'RequestLimitExceeded':
      return new WorkstationError(
        'throttled',
        `SSM is throttling ${op} requests for profile "${t.profile}" in ${t.region}; try again in a minute`,
        details,
      );
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return new WorkstationError(
        'credentials',
        `the credentials of profile "${t.profile}" have expired; log in again (e.g. aws sso login --profile ${t.profile})`,
        details,
      );
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'InvalidClientTokenId':
    case 'SignatureDoesNotMatch':
      return new WorkstationError(
        'credentials',
        `the credentials of profile "${t.profile}" were rejected by AWS (${name})`,
        details,
      );
    case 'CredentialsProviderError':
    case 'ProviderError':
      return new WorkstationError(
        'credentials',
        `could not load credentials for profile "${t.profile}": ${msg}`,
        details,
      );
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|socket hang up/.test(`${e.code ?? ''} ${msg}`)) {
    return new WorkstationError(
      'endpoint-unreachable',
      `cannot reach the SSM endpoint in ${t.region} (${e.code ?? msg})`,
      details,
    );
  }
  return new WorkstationError(
    'aws',
    `ssm:${op} failed: ${name}${msg && msg !== name ? `: ${msg}` : ''}`,
    details,
  );
}

// ---------------------------------------------------------------------------------------------
// Target: which instance, region, profile and endpoint
// ---------------------------------------------------------------------------------------------

export interface WorkstationFlags {
  instanceId?: string | undefined;
  region?: string | undefined;
  profile?: string | undefined;
}

export interface WorkstationTarget {
  /** Null until discovered by tag. */
  instanceId: string | null;
  region: string;
  /** Where the region came from (flag, settings, profile, env). */
  regionSource: 'flag' | 'settings' | 'profile' | 'env';
  /** The operator profile (always concrete: Elevate always passes it). */
  profile: string;
  profileSource: 'flag' | 'settings' | 'env' | 'default';
  /** SSM endpoint override (settings.endpointUrl, AWS_ENDPOINT_URL_SSM, AWS_ENDPOINT_URL). */
  endpointUrl: string | undefined;
  /** STS endpoint override for role chains of the operator profile. */
  stsEndpointUrl: string | undefined;
  tagKey: string;
  tagPrefix: string;
  configFile: string;
  credentialsFile: string;
}

/** Flags override settings; region falls back to the operator profile's, then AWS_REGION/AWS_DEFAULT_REGION. */
export function resolveTarget(
  settings: Settings,
  setup: Pick<AwsSetup, 'profiles'>,
  env: Env,
  flags: WorkstationFlags = {},
): WorkstationTarget {
  const ws = settings.workstation;
  const instanceId = flags.instanceId ?? ws.instanceId ?? null;
  if (instanceId !== null) {
    const problem = instanceIdProblem(instanceId);
    if (problem) throw new WorkstationError('invalid-instance-id', problem, { instanceId });
  }
  let profile: string;
  let profileSource: WorkstationTarget['profileSource'];
  if (flags.profile) [profile, profileSource] = [flags.profile, 'flag'];
  else if (ws.operatorProfile) [profile, profileSource] = [ws.operatorProfile, 'settings'];
  else if (env.AWS_PROFILE) [profile, profileSource] = [env.AWS_PROFILE, 'env'];
  else [profile, profileSource] = ['default', 'default'];
  let region: string | undefined;
  let regionSource: WorkstationTarget['regionSource'] = 'flag';
  const profRegion = setup.profiles.get(profile)?.region;
  if (flags.region) region = flags.region;
  else if (ws.region) [region, regionSource] = [ws.region, 'settings'];
  else if (profRegion) [region, regionSource] = [profRegion, 'profile'];
  else if (env.AWS_REGION || env.AWS_DEFAULT_REGION)
    [region, regionSource] = [env.AWS_REGION || env.AWS_DEFAULT_REGION, 'env'];
  if (!region) {
    throw new WorkstationError(
      'no-region',
      `no region for the workstation: pass --region, set workstation.region in Elevate settings, or set region in [profile ${profile}]`,
    );
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new WorkstationError('no-region', `"${region}" is not an AWS region`);
  const endpointUrl = endpointFor('SSM', env, settings.endpointUrl);
  const stsEndpointUrl = endpointFor('STS', env, settings.endpointUrl);
  return {
    instanceId,
    region,
    regionSource,
    profile,
    profileSource,
    endpointUrl,
    stsEndpointUrl,
    tagKey: ws.tagKey,
    tagPrefix: ws.tagPrefix,
    configFile: awsConfigPath(env),
    credentialsFile: awsCredentialsPath(env),
  };
}

// ---------------------------------------------------------------------------------------------
// Clock and client seams
// ---------------------------------------------------------------------------------------------

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The few SSM operations Elevate uses, as plain async functions (so the pacing logic is testable). */
export interface SsmApi {
  describeInstanceInformation(
    input: Record<string, unknown>,
  ): Promise<{ InstanceInformationList?: Record<string, unknown>[]; NextToken?: string }>;
  sendCommand(input: Record<string, unknown>): Promise<{ Command?: { CommandId?: string } }>;
  /** Sent without SDK retries: the caller paces and retries polls itself. */
  getCommandInvocation(input: Record<string, unknown>): Promise<Record<string, unknown>>;
  destroy(): void;
}

/** Real SSM clients for a target: fromIni with the operator profile, endpoint overrides applied. */
export async function createSsmApi(
  t: WorkstationTarget,
  opts: { requestTimeoutMs?: number } = {},
): Promise<SsmApi> {
  const [ssm, { fromIni }, sts] = await Promise.all([
    import('@aws-sdk/client-ssm'),
    import('@aws-sdk/credential-providers'),
    import('@aws-sdk/client-sts'),
  ]);
  const requestHandler = {
    connectionTimeout: opts.requestTimeoutMs ?? 10_000,
    requestTimeout: opts.requestTimeoutMs ?? 20_000,
  };
  const assumer = sts.getDefaultRoleAssumer({
    region: t.region,
    requestHandler,
    ...(t.stsEndpointUrl ? { endpoint: t.stsEndpointUrl } : {}),
  });
  const provider = fromIni({
    profile: t.profile,
    filepath: t.credentialsFile,
    configFilepath: t.configFile,
    clientConfig: { region: t.region, requestHandler },
    roleAssumer: (source: AwsCredentialIdentity, params) => assumer(source, params),
  });
  // One resolution shared by both clients, refreshed 5 minutes before expiry.
  let cached: Promise<AwsCredentialIdentity> | undefined;
  const credentials = async (): Promise<AwsCredentialIdentity> => {
    if (cached) {
      const c = await cached.catch(() => undefined);
      if (c && (!c.expiration || c.expiration.getTime() - Date.now() > 300_000)) return c;
    }
    cached = provider();
    return cached;
  };
  const base = {
    region: t.region,
    credentials,
    requestHandler,
    ...(t.endpointUrl ? { endpoint: t.endpointUrl } : {}),
  };
  const client: SSMClient = new ssm.SSMClient({ ...base, maxAttempts: 4 });
  const pollClient: SSMClient = new ssm.SSMClient({ ...base, maxAttempts: 1 });
  return {
    describeInstanceInformation: (input) =>
      client.send(new ssm.DescribeInstanceInformationCommand(input)) as never,
    sendCommand: (input) => client.send(new ssm.SendCommandCommand(input as never)) as never,
    getCommandInvocation: (input) =>
      pollClient.send(new ssm.GetCommandInvocationCommand(input as never)) as never,
    destroy: () => {
      client.destroy();
      pollClient.destroy();
    },
  };
}

export interface SsmDeps {
  api?: SsmApi;
  clock?: Clock;
}

async function withApi<T>(t: WorkstationTarget, deps: SsmDeps, fn: (api: SsmApi) => Promise<T>): Promise<T> {
  const api = deps.api ?? (await createSsmApi(t));
  try {
    return await fn(api);
  } finally {
    if (!deps.api) api.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Status and discovery
// ---------------------------------------------------------------------------------------------

export interface InstanceStatus {
  instanceId: string;
  pingStatus: string;
  platform: string;
  agentVersion: string;
  /** ISO time of the agent's last ping, or null. */
  lastPing: string | null;
}

export interface DiscoveredInstance extends InstanceStatus {
  computerName: string | null;
  resourceType: string | null;
}

function toDate(v: unknown): string | null {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number') return new Date(v * 1000).toISOString();
  if (typeof v === 'string' && v) return new Date(v).toISOString();
  return null;
}

function toStatus(i: Record<string, unknown>): DiscoveredInstance {
  const platform = [i.PlatformName, i.PlatformVersion].filter((x) => typeof x === 'string' && x).join(' ');
  return {
    instanceId: String(i.InstanceId ?? ''),
    pingStatus: String(i.PingStatus ?? 'Unknown'),
    platform: platform || String(i.PlatformType ?? 'unknown'),
    agentVersion: String(i.AgentVersion ?? ''),
    lastPing: toDate(i.LastPingDateTime),
    computerName: typeof i.ComputerName === 'string' ? i.ComputerName : null,
    resourceType: typeof i.ResourceType === 'string' ? i.ResourceType : null,
  };
}

/** Managed instances whose tag `tagKey` starts with `tagPrefix` (default Name = claudecode-*). */
export async function discoverInstances(
  t: WorkstationTarget,
  deps: SsmDeps = {},
): Promise<DiscoveredInstance[]> {
  return withApi(t, deps, async (api) => {
    const out: DiscoveredInstance[] = [];
    let next: string | undefined;
    // Tag filters take exact values; a trailing * is matched as a prefix where the service supports it,
    // and the template's own Name (`<prefix>workstation`) is listed exactly so discovery works either way.
    const values = [...new Set([`${t.tagPrefix}*`, `${t.tagPrefix}workstation`])];
    for (let page = 0; page < 20; page++) {
      let res;
      try {
        res = await api.describeInstanceInformation({
          Filters: [{ Key: `tag:${t.tagKey}`, Values: values }],
          MaxResults: 50,
          ...(next ? { NextToken: next } : {}),
        });
      } catch (err) {
        throw explainSsmError(err, t, 'DescribeInstanceInformation');
      }
      for (const i of res.InstanceInformationList ?? []) out.push(toStatus(i));
      next = res.NextToken;
      if (!next) break;
    }
    return out;
  });
}

/** The instance to use: the configured/flagged id, or the single discovered one (an Online one preferred). */
export async function resolveInstanceId(t: WorkstationTarget, deps: SsmDeps = {}): Promise<string> {
  if (t.instanceId) return t.instanceId;
  const found = await discoverInstances(t, deps);
  const online = found.filter((i) => i.pingStatus === 'Online');
  const pick = online.length === 1 ? online : found;
  if (pick.length === 1 && pick[0]) return pick[0].instanceId;
  if (pick.length === 0) {
    throw new WorkstationError(
      'no-instance',
      `no workstation found: no SSM-managed instance in ${t.region} has a ${t.tagKey} tag starting with "${t.tagPrefix}" (profile "${t.profile}"); pass --instance or set workstation.instanceId`,
    );
  }
  throw new WorkstationError(
    'ambiguous-instance',
    `several instances match ${t.tagKey}=${t.tagPrefix}*: ${pick.map((i) => `${i.instanceId} (${i.pingStatus})`).join(', ')}; pass --instance or set workstation.instanceId`,
  );
}

/** DescribeInstanceInformation for one instance; `not-managed` when SSM does not know it. */
export async function getInstanceStatus(t: WorkstationTarget, deps: SsmDeps = {}): Promise<InstanceStatus> {
  return withApi(t, deps, async (api) => {
    const instanceId = await resolveInstanceId(t, { ...deps, api });
    return describeOne(api, { ...t, instanceId });
  });
}

async function describeOne(
  api: SsmApi,
  t: WorkstationTarget & { instanceId: string },
): Promise<InstanceStatus> {
  let res;
  try {
    res = await api.describeInstanceInformation({
      Filters: [{ Key: 'InstanceIds', Values: [t.instanceId] }],
    });
  } catch (err) {
    throw explainSsmError(err, t, 'DescribeInstanceInformation');
  }
  const info = (res.InstanceInformationList ?? []).find((i) => i.InstanceId === t.instanceId);
  if (!info) {
    throw new WorkstationError(
      'not-managed',
      `${t.instanceId} is not managed by SSM in ${t.region} (profile "${t.profile}"): check the region, that the instance is running, and that its instance profile has AmazonSSMManagedInstanceCore`,
      { instanceId: t.instanceId },
    );
  }
  const { computerName: _c, resourceType: _r, ...status } = toStatus(info);
  return status;
}

// ---------------------------------------------------------------------------------------------
// cloud-init
// ---------------------------------------------------------------------------------------------

export interface CloudInitProgress {
  elapsedSeconds: number;
  phase: 'checking-agent' | 'sending' | 'polling' | 'waiting';
  ssmStatus?: string;
  cloudInit?: CloudInitStatus;
  /** The latest decision in plain words (phase 'waiting'). */
  message?: string;
  /** Last lines of the latest output (cloud-init's own words). */
  lines: string[];
  calls: number;
}

export interface CloudInitOptions {
  /** Keep checking until cloud-init is no longer running (bounded by timeoutSeconds). */
  wait?: boolean;
  /** Whole operation bound. Default 60 s without wait, 900 s with. */
  timeoutSeconds?: number;
  onProgress?: (p: CloudInitProgress) => void;
  /** Give up on one command that SSM has not finished after this long. Default 120 s. */
  commandTimeoutSeconds?: number;
}

export interface CloudInitResult {
  instanceId: string;
  status: CloudInitStatus;
  /** The script's exit code as SSM reports it (null when no command finished). */
  responseCode: number | null;
  elapsedSeconds: number;
  /** The last command's stdout (and stderr, when any), trimmed. */
  output: string;
  message: string;
  /** SSM calls made (Describe + SendCommand + GetCommandInvocation, retries included as seen by this code). */
  calls: number;
  /** True when `wait` ran out of time while cloud-init was still running. */
  timedOut: boolean;
}

const INVOCATION_GRACE_MS = 30_000;

/**
 * Check cloud-init on the workstation. Refuses (agent-offline) before any SendCommand when the agent is
 * not Online. With `wait`, re-checks until the status is no longer `running` or the timeout passes.
 */
export async function checkCloudInit(
  t: WorkstationTarget,
  opts: CloudInitOptions = {},
  deps: SsmDeps = {},
): Promise<CloudInitResult> {
  const clock = deps.clock ?? realClock;
  const start = clock.now();
  const timeoutMs = (opts.timeoutSeconds ?? (opts.wait ? 900 : 60)) * 1000;
  const deadline = start + timeoutMs;
  const commandTimeoutMs = (opts.commandTimeoutSeconds ?? 120) * 1000;
  let calls = 0;
  let lastCallAt: number | undefined;
  const elapsed = () => Math.round((clock.now() - start) / 100) / 10;
  const progress = (p: Omit<CloudInitProgress, 'elapsedSeconds' | 'calls'>) =>
    opts.onProgress?.({ ...p, elapsedSeconds: elapsed(), calls });
  /** Sleep so the next call is ≥ MIN_CALL_GAP_MS after the last one and at least `wanted` from now. */
  const pace = async (wanted = 0) => {
    const ms = gapWaitMs(clock.now(), lastCallAt, wanted);
    if (ms > 0) await clock.sleep(ms);
  };
  const call = async <R>(fn: () => Promise<R>): Promise<R> => {
    await pace();
    calls++;
    lastCallAt = clock.now();
    return fn();
  };

  return withApi(t, deps, async (api) => {
    progress({ phase: 'checking-agent', lines: [] });
    const instanceId = t.instanceId ?? (await call(() => resolveInstanceId(t, { ...deps, api })));
    const target = { ...t, instanceId };
    const info = await call(() => describeOne(api, target));
    if (info.pingStatus !== 'Online') {
      throw new WorkstationError(
        'agent-offline',
        `the SSM agent on ${instanceId} is ${info.pingStatus}${info.lastPing ? ` (last ping ${info.lastPing})` : ''}: the instance is stopped, still booting, or has lost its network path to SSM; not sending a command`,
        { instanceId, pingStatus: info.pingStatus },
      );
    }

    let last: CloudInitResult | undefined;
    let deadlineHit = false;
    for (let check = 0; ; check++) {
      let r: CloudInitResult;
      try {
        r = await runOneCheck(check);
      } catch (err) {
        // The overall deadline passed during a re-check: report the last known status, timed out.
        if (last && deadlineHit) {
          return {
            ...last,
            timedOut: true,
            calls,
            message: `cloud-init still running after ${Math.round(elapsed())} s (timeout ${timeoutMs / 1000} s): ${last.message}`,
          };
        }
        throw err;
      }
      last = r;
      if (r.status !== 'running' || !opts.wait) return r;
      const wait = recheckDelayMs(check);
      if (clock.now() + wait >= deadline) {
        return {
          ...r,
          timedOut: true,
          message: `cloud-init still running after ${Math.round(elapsed())} s (timeout ${timeoutMs / 1000} s): ${r.message}`,
        };
      }
      progress({ phase: 'waiting', cloudInit: r.status, message: r.message, lines: lastLines(r.output) });
      await pace(wait);
    }

    async function runOneCheck(check: number): Promise<CloudInitResult> {
      progress({ phase: 'sending', lines: last ? lastLines(last.output) : [] });
      let commandId: string | undefined;
      try {
        const sent = await call(() =>
          api.sendCommand({
            DocumentName: 'AWS-RunShellScript',
            InstanceIds: [instanceId],
            Parameters: { commands: [...CLOUD_INIT_SCRIPT], executionTimeout: ['60'] },
            TimeoutSeconds: 60,
            Comment: `elevate: cloud-init status${check ? ` (re-check ${check})` : ''}`,
          }),
        );
        commandId = sent.Command?.CommandId;
      } catch (err) {
        throw explainSsmError(err, target, 'SendCommand');
      }
      if (!commandId) throw new WorkstationError('aws', 'SendCommand returned no CommandId', { instanceId });
      const sentAt = clock.now();
      let throttled = 0;
      for (let attempt = 0; ; attempt++) {
        const wanted = throttled ? throttleDelayMs(throttled) : pollDelayMs(attempt);
        if (clock.now() + wanted > deadline) {
          deadlineHit = true;
          throw new WorkstationError(
            'timeout',
            `the cloud-init check on ${instanceId} timed out after ${Math.round(elapsed())} s (command ${commandId} not finished)`,
            { instanceId },
          );
        }
        if (clock.now() + wanted - sentAt > commandTimeoutMs) {
          throw new WorkstationError(
            'timeout',
            `the cloud-init status command on ${instanceId} did not finish within ${commandTimeoutMs / 1000} s (command ${commandId}); the agent may be busy or the instance overloaded`,
            { instanceId },
          );
        }
        await pace(wanted);
        let inv: Record<string, unknown>;
        try {
          inv = await call(() => api.getCommandInvocation({ CommandId: commandId, InstanceId: instanceId }));
          throttled = 0;
        } catch (err) {
          const name = (err as AwsLikeError | undefined)?.name;
          if (name === 'InvocationDoesNotExist' && clock.now() - sentAt < INVOCATION_GRACE_MS) continue; // eventual consistency
          if (name === 'ThrottlingException' || name === 'TooManyRequestsException') {
            throttled++;
            if (throttled <= 5) continue;
          }
          throw explainSsmError(err, target, 'GetCommandInvocation');
        }
        const ssmStatus = typeof inv.Status === 'string' ? inv.Status : undefined;
        const stdout = typeof inv.StandardOutputContent === 'string' ? inv.StandardOutputContent : '';
        const stderr = typeof inv.StandardErrorContent === 'string' ? inv.StandardErrorContent : '';
        progress({
          phase: 'polling',
          ...(ssmStatus ? { ssmStatus } : {}),
          lines: lastLines(stdout || stderr),
        });
        if (!isTerminalSsmStatus(ssmStatus)) continue;
        const responseCode = typeof inv.ResponseCode === 'number' ? inv.ResponseCode : null;
        if (ssmStatus === 'TimedOut') {
          throw new WorkstationError(
            'timeout',
            `the cloud-init status command timed out on ${instanceId} (SSM: TimedOut, ${String(inv.StatusDetails ?? '')})`,
            { instanceId },
          );
        }
        const d = decideCloudInit({ ssmStatus, responseCode: responseCode ?? undefined, stdout, stderr });
        const output = [stdout.trim(), stderr.trim()].filter(Boolean).join('\n');
        return {
          instanceId,
          status: d.status,
          responseCode,
          elapsedSeconds: elapsed(),
          output,
          message: d.message,
          calls,
          timedOut: false,
        };
      }
    }
  }).catch((err: unknown) => {
    throw explainSsmError(err, t, 'SendCommand');
  });
}
