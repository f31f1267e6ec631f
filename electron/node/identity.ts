// Who a tier really is: resolve the profile's credentials with the SDK's own provider chain (`fromIni`,
// including source_profile role chains, credential_source, SSO, credential_process) and ask STS
// GetCallerIdentity. Errors become a small set of codes with plain words.
//
// Endpoint overrides. The SDK's own clients read AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL from
// `process.env` (@smithy/core endpoints: getEndpointUrlConfig builds `AWS_ENDPOINT_URL_<SERVICE ID>`),
// including the STS client fromIni creates for AssumeRole (nested-clients/sts getDefaultRoleAssumer
// spreads its options into `new STSClient`). Elevate may verify with an env that is not process.env, and
// settings.endpointUrl is not an env variable at all, so the endpoint is resolved here and passed
// explicitly to both the role assumer and the GetCallerIdentity client.
//
// The AWS SDK is imported lazily (the CLI bundle keeps it external and only `whoami` pays for it).
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { ElevateError } from '../../shared/errors';
import type { AwsProfile, Tier } from '../../shared/types';
import { readAwsSetup } from './awsFiles';
import { tierProfile, type CoreContext } from './context';
import { awsConfigPath, awsCredentialsPath, type Env } from './paths';
import { safeErrorMessage } from './safeError';

export const IDENTITY_TIMEOUT_MS = 5000;

export type IdentityErrorCode =
  | 'no-credentials'
  | 'expired-token'
  | 'access-denied'
  | 'invalid-credentials'
  | 'endpoint-unreachable'
  | 'mfa-required'
  | 'unknown';

export class IdentityError extends ElevateError {
  declare readonly code: IdentityErrorCode;
  constructor(
    code: IdentityErrorCode,
    message: string,
    readonly details: { profile?: string; roleArn?: string; awsCode?: string } = {},
  ) {
    super(code, message, 1);
  }
}

export interface VerifiedIdentity {
  tier: Tier | null;
  profile: string;
  account: string;
  arn: string;
  userId: string;
  /** From an `assumed-role` ARN; null for IAM users and other principals. */
  roleName: string | null;
  sessionName: string | null;
  /** The profile's `role_session_name` (null when the profile sets none). */
  expectedSessionName: string | null;
  /** True only when the profile sets `role_session_name` and the STS session name equals it. */
  sessionNameMatches: boolean;
  /** ISO time of the check. */
  verifiedAt: string;
}

export interface VerifyOptions {
  /** Whole-check deadline (credential resolution + GetCallerIdentity). Default and maximum 5 s. */
  timeoutMs?: number;
  /** Endpoint for every STS call (wins over AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL in env). */
  endpointUrl?: string;
  region?: string;
  /**
   * Supplies an MFA code for profiles with mfa_serial. Default: none, and such a profile fails at once
   * with `mfa-required` (a CLI check must never wait on a prompt).
   */
  mfaCodeProvider?: (mfaSerial: string) => Promise<string>;
  /** Clock seam for `verifiedAt`. */
  now?: () => Date;
  /** Internal: tier label for the result. */
  tier?: Tier | null;
}

/** `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION` → role and session; null for other ARNs. */
export function parseAssumedRoleArn(
  arn: string,
): { account: string; roleName: string; sessionName: string } | null {
  const m = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (!m) return null;
  return { account: m[1] as string, roleName: m[2] as string, sessionName: m[3] as string };
}

/** True for the AWS SDK's "on" spellings of a boolean environment variable. */
export function envFlag(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes)$/i.test(v.trim());
}

/**
 * The endpoint override in force for one service: the explicit option/setting, then
 * AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL (unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is on).
 */
export function endpointFor(service: 'STS' | 'SSM', env: Env, explicit?: string): string | undefined {
  if (explicit) return explicit;
  if (envFlag(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)) return undefined;
  return env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
}

/** The STS endpoint override in force (see endpointFor). */
export function stsEndpointFor(env: Env, explicit?: string): string | undefined {
  return endpointFor('STS', env, explicit);
}

class MfaRequired extends Error {
  constructor(readonly mfaSerial: string) {
    super(`MFA code needed for ${mfaSerial}`);
    this.name = 'MfaRequired';
  }
}

/** An error raised while assuming a role, remembering which role. */
class AssumeRoleFailure extends Error {
  constructor(
    readonly roleArn: string,
    readonly roleSessionName: string,
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'AssumeRoleFailure';
  }
}

class Deadline extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms / 1000} s`);
    this.name = 'Deadline';
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** A network error code anywhere in the error, its cause or (AggregateError) its errors. */
function networkCode(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== 'object' || depth > 4) return undefined;
  const e = err as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const c = networkCode(inner, depth + 1);
      if (c) return c;
    }
  }
  return networkCode(e.cause, depth + 1);
}

function awsErrorCode(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { name?: unknown; Code?: unknown; $metadata?: unknown };
  if (typeof e.Code === 'string') return e.Code;
  if (e.$metadata && typeof e.name === 'string') return e.name;
  return undefined;
}

/** Map anything thrown while verifying to an IdentityError with plain words. */
export function classifyIdentityError(
  err: unknown,
  profile: string,
  endpoint: string | undefined,
  timeoutMs: number,
): IdentityError {
  if (err instanceof IdentityError) return err;
  const where = endpoint ?? 'the AWS STS endpoint';
  if (err instanceof Deadline) {
    return new IdentityError(
      'endpoint-unreachable',
      `no answer from ${where} within ${timeoutMs / 1000} s while checking profile "${profile}"`,
      { profile },
    );
  }
  if (err instanceof MfaRequired) {
    return new IdentityError(
      'mfa-required',
      `profile "${profile}" needs an MFA code (mfa_serial ${err.mfaSerial}); Elevate cannot check it without one. Use a profile without mfa_serial for Claude, or verify from the app where a code can be entered`,
      { profile },
    );
  }
  const roleArn = err instanceof AssumeRoleFailure ? err.roleArn : undefined;
  const inner = err instanceof AssumeRoleFailure ? err.original : err;
  if (inner instanceof MfaRequired) return classifyIdentityError(inner, profile, endpoint, timeoutMs);
  const net = networkCode(inner);
  if (net) {
    const what = net === 'timeout' ? `no answer within ${timeoutMs / 1000} s` : net;
    return new IdentityError(
      'endpoint-unreachable',
      `cannot reach ${where} (${what}) while checking profile "${profile}"${roleArn ? ` (assuming ${roleArn})` : ''}`,
      {
        profile,
        ...(roleArn ? { roleArn } : {}),
        awsCode: net,
      },
    );
  }
  const message = safeErrorMessage(inner);
  const code = awsErrorCode(inner);
  const base = { profile, ...(roleArn ? { roleArn } : {}), ...(code ? { awsCode: code } : {}) };
  if (
    code === 'ExpiredToken' ||
    code === 'ExpiredTokenException' ||
    code === 'RequestExpired' ||
    /token .*expired|session .*expired|has expired/i.test(message)
  ) {
    return new IdentityError(
      'expired-token',
      `the credentials behind profile "${profile}" have expired${roleArn ? ` (while assuming ${roleArn})` : ''}: refresh them (new session keys, or \`aws sso login\`) and try again`,
      base,
    );
  }
  if (
    code === 'AccessDenied' ||
    code === 'AccessDeniedException' ||
    /not authorized to perform/i.test(message)
  ) {
    if (roleArn) {
      return new IdentityError(
        'access-denied',
        `AssumeRole on ${roleArn} was denied for profile "${profile}": the role's trust policy does not allow the source identity (${message})`,
        base,
      );
    }
    return new IdentityError(
      'access-denied',
      `STS denied the request for profile "${profile}": ${message}`,
      base,
    );
  }
  if (
    code === 'InvalidClientTokenId' ||
    code === 'SignatureDoesNotMatch' ||
    code === 'UnrecognizedClientException' ||
    code === 'IncompleteSignature'
  ) {
    return new IdentityError(
      'invalid-credentials',
      `AWS rejected the keys behind profile "${profile}"${roleArn ? ` (while assuming ${roleArn})` : ''}: ${code}. Check the access key id and secret in the credentials file`,
      base,
    );
  }
  const name = inner instanceof Error ? inner.name : '';
  if (
    name === 'CredentialsProviderError' ||
    /could not resolve credentials|could not be found|no credentials/i.test(message)
  ) {
    if (/multi-factor|mfa/i.test(message)) {
      return new IdentityError('mfa-required', `profile "${profile}" needs an MFA code: ${message}`, base);
    }
    return new IdentityError('no-credentials', `no credentials for profile "${profile}": ${message}`, base);
  }
  return new IdentityError('unknown', `checking profile "${profile}" failed: ${message}`, base);
}

async function withDeadline<T>(ms: number, abort: AbortController, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Deadline(ms));
    }, ms);
    timer.unref?.();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

interface ResolvedTarget {
  profile: AwsProfile | undefined;
  profileName: string;
  configFile: string;
  credentialsFile: string;
}

async function verify(target: ResolvedTarget, env: Env, opts: VerifyOptions): Promise<VerifiedIdentity> {
  const timeoutMs = Math.min(opts.timeoutMs ?? IDENTITY_TIMEOUT_MS, IDENTITY_TIMEOUT_MS);
  const endpoint = stsEndpointFor(env, opts.endpointUrl);
  const { profileName } = target;
  if (!target.profile) {
    throw new IdentityError(
      'no-credentials',
      `profile "${profileName}" is not in ${target.configFile} or ${target.credentialsFile}`,
      { profile: profileName },
    );
  }
  const region =
    opts.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || target.profile.region || 'us-east-1';
  const abort = new AbortController();
  const work = (async () => {
    const [{ STSClient, GetCallerIdentityCommand, getDefaultRoleAssumer }, { fromIni }] = await Promise.all([
      import('@aws-sdk/client-sts'),
      import('@aws-sdk/credential-providers'),
    ]);
    // One HTTP handler for every request of this check (both AssumeRole hops and GetCallerIdentity):
    // the SDK's own NodeHttpHandler with connection/request timeouts, every request bound to the
    // deadline's AbortSignal, so nothing outlives the check (a CLI process exits right after it).
    const base = new STSClient({
      region,
      requestHandler: {
        connectionTimeout: timeoutMs,
        requestTimeout: timeoutMs,
        throwOnRequestTimeout: true,
      },
    }).config.requestHandler;
    const delegate = base as unknown as {
      metadata?: unknown;
      handle(request: unknown, options?: Record<string, unknown>): Promise<unknown>;
      updateHttpClientConfig?(key: never, value: never): void;
      httpHandlerConfigs?(): unknown;
      destroy?(): void;
    };
    const requestHandler = {
      metadata: delegate.metadata,
      handle: (request: unknown, options: Record<string, unknown> = {}) =>
        delegate.handle(request, { ...options, abortSignal: abort.signal }),
      updateHttpClientConfig: (key: never, value: never) => delegate.updateHttpClientConfig?.(key, value),
      httpHandlerConfigs: () => delegate.httpHandlerConfigs?.() ?? {},
      destroy: () => delegate.destroy?.(),
    } as unknown as typeof base;
    const clientBase = { region, requestHandler, maxAttempts: 2, ...(endpoint ? { endpoint } : {}) };
    const sdkAssumer = getDefaultRoleAssumer(clientBase);
    const provider = fromIni({
      profile: profileName,
      filepath: target.credentialsFile,
      configFilepath: target.configFile,
      ignoreCache: true,
      clientConfig: { requestHandler },
      roleAssumer: async (source: AwsCredentialIdentity, params) => {
        try {
          return await sdkAssumer(source, params);
        } catch (err) {
          throw new AssumeRoleFailure(params.RoleArn, params.RoleSessionName, err);
        }
      },
      mfaCodeProvider:
        opts.mfaCodeProvider ??
        ((serial: string) => {
          throw new MfaRequired(serial);
        }),
    });
    try {
      const credentials = await provider();
      const client = new STSClient({ ...clientBase, credentials });
      return await client.send(new GetCallerIdentityCommand({}), { abortSignal: abort.signal });
    } finally {
      base.destroy?.(); // close keep-alive sockets
    }
  })();
  work.catch(() => undefined); // a late rejection after the deadline must not become unhandled
  let out: Awaited<typeof work>;
  try {
    out = await withDeadline(timeoutMs, abort, work);
  } catch (err) {
    throw classifyIdentityError(err, profileName, endpoint, timeoutMs);
  }
  const arn = out.Arn ?? '';
  const parsed = parseAssumedRoleArn(arn);
  const expected = target.profile.roleSessionName ?? null;
  return {
    tier: opts.tier ?? null,
    profile: profileName,
    account: out.Account ?? '',
    arn,
    userId: out.UserId ?? '',
    roleName: parsed?.roleName ?? null,
    sessionName: parsed?.sessionName ?? null,
    expectedSessionName: expected,
    sessionNameMatches: expected !== null && parsed?.sessionName === expected,
    verifiedAt: (opts.now?.() ?? new Date()).toISOString(),
  };
}

/** Verify any profile of the user's AWS files (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE honoured via env). */
export async function verifyProfile(
  profileName: string,
  env: Env = process.env,
  opts: VerifyOptions = {},
): Promise<VerifiedIdentity> {
  const setup = readAwsSetup(env);
  return verify(
    {
      profile: setup.profiles.get(profileName),
      profileName,
      configFile: awsConfigPath(env),
      credentialsFile: awsCredentialsPath(env),
    },
    env,
    opts,
  );
}

/** Verify the profile behind a tier; settings.endpointUrl applies unless opts.endpointUrl is given. */
export async function verifyTier(
  ctx: CoreContext,
  tier: Tier,
  opts: VerifyOptions = {},
): Promise<VerifiedIdentity> {
  const profile = tierProfile(ctx, tier);
  return verify(
    {
      profile,
      profileName: profile.name,
      configFile: ctx.setup.configPath,
      credentialsFile: ctx.setup.credentialsPath,
    },
    ctx.env,
    { ...opts, tier, endpointUrl: opts.endpointUrl ?? ctx.settings.endpointUrl },
  );
}
