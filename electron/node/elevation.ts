// IAM-level expiry of an elevated session. The session gets its own AWS config
// ($ELEVATE_HOME/sessions/<id>/config, 0600) whose only profile runs `elevate credentials --session <id>`
// as credential_process, and an empty credentials file. That command assumes the elevated role through the
// user's REAL config with DurationSeconds fitted to the deadline and refuses after it, so the credentials
// die with the elevation even if the app crashed, and the session cannot name any other profile.
//
// Layout of sessions/<id>/ (dir 0700, files 0600):
//   elevation.json  what `credentials` needs (no secrets: names, ARNs, paths, times)
//   config          the generated AWS config
//   credentials     empty (so a stray ~/.aws/credentials default cannot be picked up)
//   cache.json      the last issued credentials (SECRETS) until they can no longer be reused; removed at
//                   expiry/drop. Disable with elevation.cacheCredentials=false / ELEVATE_CREDENTIALS_CACHE=0.
import fs from 'node:fs';
import path from 'node:path';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { resolveChain } from '../../shared/awsConfig';
import { deadlineFrom, elevatedSessionName, fitDuration, type FittedDuration } from '../../shared/plan';
import { quoteSh } from '../../shared/quote';
import { writeFileAtomic } from './atomicFile';
import { appendAudit } from './audit';
import { tierProfile, type CoreContext } from './context';
import { stsEndpointFor } from './identity';
import { safeErrorMessage } from './safeError';

export { safeErrorMessage };
import { elevateHome, files, type Env } from './paths';
import { currentSelfCommand, type SelfCommand } from './selfCommand';
import { readSession, SESSION_ID_RE } from './sessions';

export const CACHE_REUSE_MARGIN_MS = 5 * 60_000;
const STS_TIMEOUT_MS = 10_000;
/** Profile names safe to write into a config header for both the AWS CLI and the JavaScript SDK. */
const SAFE_PROFILE_RE = /^[\w\-@+.%:/]+$/;

export interface ElevationSpec {
  version: 1;
  sessionId: string;
  /** The user's elevated profile (in their real config). */
  profile: string;
  /** The profile name in the generated config (AWS_PROFILE of the session). */
  generatedProfile: string;
  roleArn: string;
  sourceProfile?: string;
  credentialSource?: string;
  /** role_session_name + per-elevation suffix; also sent as SourceIdentity. */
  roleSessionName: string;
  /** Send SourceIdentity (turned off after the role refused sts:SetSourceIdentity once). */
  sourceIdentity: boolean;
  externalId?: string;
  mfaSerial?: string;
  region?: string;
  endpointUrl?: string;
  userConfigFile: string;
  userCredentialsFile: string;
  minutes: number;
  startedAt: string;
  deadline: string;
  cacheCredentials: boolean;
  planHash?: string;
  cwd?: string;
  /** Id of the `elevate run` session spec this elevation belongs to, once launched. */
  launchedSessionId?: string;
  notes: string[];
}

export interface ProcessCredentials {
  Version: 1;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}

export class ElevationError extends Error {
  constructor(
    readonly code:
      'expired' | 'ended' | 'no-elevation' | 'not-elevatable' | 'mfa' | 'assume-role' | 'base-credentials',
    message: string,
  ) {
    super(message);
    this.name = 'ElevationError';
  }
}

export function elevationDir(sessionId: string, env: Env = process.env): string {
  if (!SESSION_ID_RE.test(sessionId))
    throw new ElevationError('no-elevation', `invalid session id "${sessionId}"`);
  return path.join(files.sessions(env), sessionId);
}

const specFile = (id: string, env: Env) => path.join(elevationDir(id, env), 'elevation.json');
const cacheFile = (id: string, env: Env) => path.join(elevationDir(id, env), 'cache.json');

export function readElevation(sessionId: string, env: Env = process.env): ElevationSpec {
  const file = specFile(sessionId, env);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ElevationError('no-elevation', `no elevation for session "${sessionId}" (looked for ${file})`);
  }
  return JSON.parse(text) as ElevationSpec;
}

function writePrivate(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, text, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

export function writeElevation(spec: ElevationSpec, env: Env = process.env): void {
  writePrivate(specFile(spec.sessionId, env), `${JSON.stringify(spec, null, 2)}\n`);
}

/**
 * The credential_process command line. The AWS CLI splits it like a POSIX shell (shlex) and the JS SDK
 * runs it through /bin/sh, so POSIX single quoting is right for both. ELEVATE_HOME is pinned in the line
 * so the command finds the session even if the agent's environment changes.
 */
export function credentialProcessLine(
  sessionId: string,
  env: Env = process.env,
  self: SelfCommand = currentSelfCommand(),
  platform: NodeJS.Platform = process.platform,
): string {
  const args = ['credentials', '--session', sessionId];
  if (platform === 'win32') {
    // cmd.exe / CommandLineToArgvW: double quotes; paths with quotes cannot be expressed safely.
    const argv = [...self.argv, ...args];
    for (const a of argv) if (/["\r\n]/.test(a)) throw new Error(`cannot put ${a} into credential_process`);
    return argv.map((a) => (/[\s&|<>^()%!]/.test(a) ? `"${a}"` : a)).join(' ');
  }
  const vars = { ...self.env, ELEVATE_HOME: elevateHome(env) };
  const argv = ['/usr/bin/env', ...Object.entries(vars).map(([k, v]) => `${k}=${v}`), ...self.argv, ...args];
  for (const a of argv) if (/[\r\n]/.test(a)) throw new Error('credential_process cannot contain a newline');
  return argv.map(quoteSh).join(' ');
}

/** Text of the generated config: the named profile and [default], both only this elevation. */
export function generatedConfigText(spec: ElevationSpec, line: string): string {
  const body = [`credential_process = ${line}`];
  if (spec.region) body.push(`region = ${spec.region}`);
  const header = [
    `# Generated by Elevate for elevated session ${spec.sessionId}; valid until ${spec.deadline}.`,
    `# Credentials come from "${spec.profile}" via Elevate and stop at the deadline. Do not edit.`,
  ];
  const sections = [`[profile ${spec.generatedProfile}]`, ...body, ''];
  if (spec.generatedProfile !== 'default') sections.push('[default]', ...body, '');
  return `${header.join('\n')}\n${sections.join('\n')}`;
}

export interface PrepareElevationInput {
  sessionId: string;
  ctx: CoreContext;
  minutes: number;
  now?: Date;
  planHash?: string;
  cwd?: string;
  self?: SelfCommand;
  platform?: NodeJS.Platform;
}

export interface PreparedElevation {
  spec: ElevationSpec;
  dir: string;
  configFile: string;
  credentialsFile: string;
  /** Variables for the launch's extraSet. */
  extraSet: Record<string, string>;
  /** DurationSeconds the first credentials will be asked for, and whether the floor outlives the deadline. */
  fitted: FittedDuration;
}

/** Write the session's elevation spec, AWS config and empty credentials file. No AWS call. */
export function prepareElevation(input: PrepareElevationInput): PreparedElevation {
  const { ctx, sessionId } = input;
  const env = ctx.env;
  const now = input.now ?? new Date();
  const profile = tierProfile(ctx, 'elevated');
  const notes: string[] = [];
  if (!profile.roleArn) {
    throw new ElevationError(
      'not-elevatable',
      `the elevated profile "${profile.name}" has no role_arn: IAM-level expiry needs a role to assume`,
    );
  }
  const chain = resolveChain(ctx.setup.profiles, profile.name);
  if (chain.root === 'broken') {
    throw new ElevationError('not-elevatable', `profile "${profile.name}": ${chain.problems.join('; ')}`);
  }
  if (profile.credentialSource === 'Environment') {
    throw new ElevationError(
      'not-elevatable',
      `profile "${profile.name}" uses credential_source = Environment, but Elevate removes AWS keys from the session's environment; use source_profile`,
    );
  }
  if (profile.mfaSerial)
    notes.push(
      `mfa_serial ${profile.mfaSerial}: credentials are fetched once at launch with an MFA code and reused until the deadline`,
    );
  const suffix = sessionId.split('-').pop() ?? sessionId;
  const generatedProfile = SAFE_PROFILE_RE.test(profile.name) ? profile.name : `elevate-${suffix}`;
  const region =
    ctx.settings.bedrock.region ??
    profile.region ??
    (profile.sourceProfile ? ctx.setup.profiles.get(profile.sourceProfile)?.region : undefined);
  const deadline = deadlineFrom(now, input.minutes).toISOString();
  const spec: ElevationSpec = {
    version: 1,
    sessionId,
    profile: profile.name,
    generatedProfile,
    roleArn: profile.roleArn,
    ...(profile.sourceProfile ? { sourceProfile: profile.sourceProfile } : {}),
    ...(profile.credentialSource ? { credentialSource: profile.credentialSource } : {}),
    roleSessionName: elevatedSessionName(profile.roleSessionName, suffix),
    sourceIdentity: true,
    ...(profile.externalId ? { externalId: profile.externalId } : {}),
    ...(profile.mfaSerial ? { mfaSerial: profile.mfaSerial } : {}),
    ...(region ? { region } : {}),
    ...(ctx.settings.endpointUrl ? { endpointUrl: ctx.settings.endpointUrl } : {}),
    userConfigFile: ctx.setup.configPath,
    userCredentialsFile: ctx.setup.credentialsPath,
    minutes: input.minutes,
    startedAt: now.toISOString(),
    deadline,
    cacheCredentials: cacheEnabled(ctx),
    ...(input.planHash ? { planHash: input.planHash } : {}),
    ...(input.cwd ? { cwd: input.cwd } : {}),
    notes,
  };
  const dir = elevationDir(sessionId, env);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  writeElevation(spec, env);
  const configFile = path.join(dir, 'config');
  const credentialsFile = path.join(dir, 'credentials');
  const line = credentialProcessLine(sessionId, env, input.self ?? currentSelfCommand(), input.platform);
  writePrivate(configFile, generatedConfigText(spec, line));
  writePrivate(credentialsFile, '');
  return {
    spec,
    dir,
    configFile,
    credentialsFile,
    extraSet: {
      AWS_CONFIG_FILE: configFile,
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      AWS_PROFILE: generatedProfile,
    },
    fitted: fitDuration(deadline, now, { chained: true }),
  };
}

function cacheEnabled(ctx: CoreContext): boolean {
  if (/^(0|false|no)$/i.test(ctx.env.ELEVATE_CREDENTIALS_CACHE ?? '')) return false;
  const setting = (ctx.settings.elevation as { cacheCredentials?: unknown }).cacheCredentials;
  return setting !== false;
}

// ---------------------------------------------------------------------------------------------
// Issuing credentials
// ---------------------------------------------------------------------------------------------

interface CacheEntry {
  roleSessionName: string;
  credentials: ProcessCredentials;
}

function readCache(spec: ElevationSpec, env: Env): ProcessCredentials | null {
  try {
    const entry = JSON.parse(fs.readFileSync(cacheFile(spec.sessionId, env), 'utf8')) as CacheEntry;
    if (entry.roleSessionName !== spec.roleSessionName) return null;
    return entry.credentials;
  } catch {
    return null;
  }
}

/** Remove cached secrets of a session (at expiry, drop, or end). */
export function clearCredentialCache(sessionId: string, env: Env = process.env): void {
  fs.rmSync(cacheFile(sessionId, env), { force: true });
}

/**
 * Cached credentials are reused while they have more than 5 minutes left, or when they already last
 * until the deadline (a refresh could only extend them past it, because of the STS floor).
 */
export function cacheUsable(creds: ProcessCredentials, deadlineMs: number, nowMs: number): boolean {
  const exp = Date.parse(creds.Expiration);
  if (!Number.isFinite(exp) || exp <= nowMs + 5000) return false;
  return exp - nowMs > CACHE_REUSE_MARGIN_MS || exp >= deadlineMs;
}

/** Why the session may not have credentials now (null = it may). */
export function refusal(spec: ElevationSpec, env: Env, nowMs: number): ElevationError | null {
  const deadlineMs = Date.parse(spec.deadline);
  if (!(nowMs < deadlineMs)) {
    return new ElevationError(
      'expired',
      `elevation expired at ${spec.deadline} (session ${spec.sessionId}, profile ${spec.profile}); approve the plan again in Elevate for a new elevation`,
    );
  }
  try {
    // The runner's session (a handoff links it after launch; otherwise the same id).
    const session = readSession(spec.launchedSessionId ?? spec.sessionId, env);
    if (session.endedAt) {
      const why = session.endReason === 'dropped' ? 'was dropped' : 'ended';
      return new ElevationError(
        'ended',
        `elevation ${why} at ${session.endedAt} (session ${spec.sessionId})`,
      );
    }
    if (session.deadline && Date.parse(session.deadline) <= nowMs) {
      return new ElevationError(
        'expired',
        `elevation expired at ${session.deadline} (session ${spec.sessionId})`,
      );
    }
  } catch {
    /* no session spec (e.g. launched elsewhere): the elevation spec alone decides */
  }
  return null;
}

export interface IssueOptions {
  now?: () => number;
  /** Code for mfa_serial (interactive launch only; credential_process cannot prompt). */
  mfaCode?: string;
  /** Default true: audit the first issue and the expiry. */
  audit?: boolean;
}

export interface IssueResult {
  credentials: ProcessCredentials;
  fromCache: boolean;
  fitted: FittedDuration | null;
  sourceIdentity: boolean;
}

/** The audit line for an expiry is written once per session (marker file). */
function auditOnce(
  spec: ElevationSpec,
  env: Env,
  marker: string,
  event: Parameters<typeof appendAudit>[0],
  now: Date,
): void {
  const file = path.join(elevationDir(spec.sessionId, env), marker);
  try {
    fs.writeFileSync(file, now.toISOString(), { flag: 'wx', mode: 0o600 });
  } catch {
    return; // already written
  }
  appendAudit(event, env, now);
}

/** Credentials for an elevated session, or an ElevationError (expired, ended, ...). */
export async function issueCredentials(
  sessionId: string,
  env: Env = process.env,
  opts: IssueOptions = {},
): Promise<IssueResult> {
  const nowFn = opts.now ?? Date.now;
  const spec = readElevation(sessionId, env);
  const audit = opts.audit !== false;
  const refused = refusal(spec, env, nowFn());
  if (refused) {
    clearCredentialCache(sessionId, env);
    if (audit && refused.code === 'expired') {
      auditOnce(
        spec,
        env,
        'expired.marker',
        {
          type: 'expiry',
          sessionId,
          profile: spec.profile,
          roleSessionName: spec.roleSessionName,
          deadline: spec.deadline,
          by: 'credentials',
        },
        new Date(nowFn()),
      );
    }
    throw refused;
  }
  const deadlineMs = Date.parse(spec.deadline);
  if (spec.cacheCredentials) {
    const cached = readCache(spec, env);
    if (cached && cacheUsable(cached, deadlineMs, nowFn())) {
      return { credentials: cached, fromCache: true, fitted: null, sourceIdentity: spec.sourceIdentity };
    }
  }
  if (spec.mfaSerial && !opts.mfaCode) {
    throw new ElevationError(
      'mfa',
      `the elevated profile "${spec.profile}" needs an MFA code (mfa_serial ${spec.mfaSerial}); credential_process cannot prompt. Its credentials are fetched at launch with the code and kept until the deadline; drop this elevation and approve again`,
    );
  }
  const fitted = fitDuration(deadlineMs, nowFn(), { chained: true });
  const { credentials, sourceIdentity } = await assumeElevated(
    spec,
    env,
    fitted.durationSeconds,
    opts.mfaCode,
  );
  if (spec.sourceIdentity && !sourceIdentity) {
    spec.sourceIdentity = false;
    spec.notes.push(
      'the role refused sts:SetSourceIdentity: later credentials are requested without SourceIdentity',
    );
    writeElevation(spec, env);
  }
  if (spec.cacheCredentials) {
    writePrivate(
      cacheFile(sessionId, env),
      `${JSON.stringify({ roleSessionName: spec.roleSessionName, credentials } satisfies CacheEntry)}\n`,
    );
  }
  if (audit) {
    appendAudit(
      {
        type: 'elevation-issue',
        sessionId,
        profile: spec.profile,
        roleArn: spec.roleArn,
        roleSessionName: spec.roleSessionName,
        sourceIdentity: sourceIdentity ? spec.roleSessionName : null,
        durationSeconds: fitted.durationSeconds,
        expiration: credentials.Expiration,
        deadline: spec.deadline,
        outlivesDeadlineBy: fitted.overrunSeconds,
      },
      env,
      new Date(nowFn()),
    );
  }
  return { credentials, fromCache: false, fitted, sourceIdentity };
}

function isSourceIdentityDenied(err: unknown): boolean {
  const e = err as { name?: string; Code?: string; message?: string };
  const code = e?.Code ?? e?.name ?? '';
  return /AccessDenied/i.test(code) && /sts:SetSourceIdentity/.test(e?.message ?? '');
}

async function baseCredentials(
  spec: ElevationSpec,
  env: Env,
  clientBase: Record<string, unknown>,
  mfaCode?: string,
) {
  const providers = await import('@aws-sdk/credential-providers');
  if (spec.sourceProfile) {
    const { getDefaultRoleAssumer } = await import('@aws-sdk/client-sts');
    return providers.fromIni({
      profile: spec.sourceProfile,
      filepath: spec.userCredentialsFile,
      configFilepath: spec.userConfigFile,
      ignoreCache: true,
      roleAssumer: getDefaultRoleAssumer(clientBase),
      mfaCodeProvider: async (serial: string) => {
        if (mfaCode && serial === spec.mfaSerial) return mfaCode;
        throw new ElevationError(
          'mfa',
          `the source profile "${spec.sourceProfile}" needs an MFA code for ${serial}; credential_process cannot prompt`,
        );
      },
    })();
  }
  if (spec.credentialSource === 'Ec2InstanceMetadata')
    return providers.fromInstanceMetadata({ timeout: 2000, maxRetries: 1 })();
  if (spec.credentialSource === 'EcsContainer')
    return providers.fromContainerMetadata({ timeout: 2000, maxRetries: 1 })();
  void env;
  throw new ElevationError(
    'not-elevatable',
    `profile "${spec.profile}" has neither source_profile nor a supported credential_source`,
  );
}

async function assumeElevated(
  spec: ElevationSpec,
  env: Env,
  durationSeconds: number,
  mfaCode?: string,
): Promise<{ credentials: ProcessCredentials; sourceIdentity: boolean }> {
  const endpoint = stsEndpointFor(env, spec.endpointUrl);
  const region = spec.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  const requestHandler = { connectionTimeout: STS_TIMEOUT_MS, requestTimeout: STS_TIMEOUT_MS };
  const clientBase = { region, requestHandler, maxAttempts: 3, ...(endpoint ? { endpoint } : {}) };
  let base: AwsCredentialIdentity;
  try {
    base = await baseCredentials(spec, env, clientBase, mfaCode);
  } catch (err) {
    if (err instanceof ElevationError) throw err;
    throw new ElevationError(
      'base-credentials',
      `cannot get credentials for "${spec.sourceProfile ?? spec.credentialSource}" (source of ${spec.profile}) from ${spec.userConfigFile}: ${safeErrorMessage(err)}`,
    );
  }
  const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  const client = new STSClient({ ...clientBase, credentials: base });
  const params = {
    RoleArn: spec.roleArn,
    RoleSessionName: spec.roleSessionName,
    DurationSeconds: durationSeconds,
    ...(spec.externalId ? { ExternalId: spec.externalId } : {}),
    ...(spec.mfaSerial && mfaCode ? { SerialNumber: spec.mfaSerial, TokenCode: mfaCode } : {}),
  };
  try {
    let sourceIdentity = spec.sourceIdentity;
    let out;
    try {
      out = await client.send(
        new AssumeRoleCommand({
          ...params,
          ...(sourceIdentity ? { SourceIdentity: spec.roleSessionName } : {}),
        }),
      );
    } catch (err) {
      if (!sourceIdentity || !isSourceIdentityDenied(err)) throw err;
      sourceIdentity = false;
      out = await client.send(new AssumeRoleCommand(params));
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw new Error('STS returned no credentials');
    }
    return {
      credentials: {
        Version: 1,
        AccessKeyId: c.AccessKeyId,
        SecretAccessKey: c.SecretAccessKey,
        SessionToken: c.SessionToken,
        Expiration: new Date(c.Expiration).toISOString(),
      },
      sourceIdentity,
    };
  } catch (err) {
    const e = err as { name?: string; message?: string };
    throw new ElevationError(
      'assume-role',
      `AssumeRole ${spec.roleArn} as ${spec.roleSessionName} failed: ${e.name ?? 'Error'}: ${safeErrorMessage(err)}`,
    );
  } finally {
    client.destroy();
  }
}

/** Environment for the credentials command's own AWS calls: the user's real files, not the session's. */
export function userAwsEnv(spec: ElevationSpec, env: Env): Env {
  const out: Env = {
    ...env,
    AWS_CONFIG_FILE: spec.userConfigFile,
    AWS_SHARED_CREDENTIALS_FILE: spec.userCredentialsFile,
  };
  delete out.AWS_PROFILE;
  delete out.AWS_DEFAULT_PROFILE;
  return out;
}

/**
 * Remove cached credentials of every elevation that is over (deadline passed, session ended or dropped).
 * Run when the app starts and before each handoff, so secrets do not outlive their use on disk even when
 * no one calls credential_process again. Returns the elevation ids cleaned.
 */
export function sweepElevationCaches(env: Env = process.env, nowMs = Date.now()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(files.sessions(env));
  } catch {
    return [];
  }
  const cleaned: string[] = [];
  for (const name of names) {
    if (!SESSION_ID_RE.test(name)) continue;
    const cache = path.join(files.sessions(env), name, 'cache.json');
    if (!fs.existsSync(cache)) continue;
    let over = true;
    try {
      over = refusal(readElevation(name, env), env, nowMs) !== null;
    } catch {
      /* unreadable spec: the cache is orphaned */
    }
    if (over) {
      fs.rmSync(cache, { force: true });
      cleaned.push(name);
    }
  }
  return cleaned;
}

/** The remaining elevation of a session, for status displays. */
export function elevationStatus(sessionId: string, env: Env = process.env, nowMs = Date.now()) {
  const spec = readElevation(sessionId, env);
  const refused = refusal(spec, env, nowMs);
  return {
    sessionId,
    profile: spec.profile,
    roleSessionName: spec.roleSessionName,
    deadline: spec.deadline,
    active: refused === null,
    reason: refused?.message ?? null,
    fitted: fitDuration(spec.deadline, nowMs, { chained: true }),
  };
}
