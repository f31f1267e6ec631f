// The elevated tier's credentials, minted by the session's runner (broker.ts) and nowhere else.
//
// planElevation() reads the elevated profile from the USER's real config (the runner's own env — never the
// session spec, which is same-user writable and treated as hostile) and fixes the deadline: the spec's
// deadline, but never more than MAX_ELEVATION_MINUTES after the runner's own clock at start, in whole
// seconds. assumeElevatedOnce() makes the ONE AssumeRole of the elevation:
//   - SerialNumber/TokenCode when the profile has mfa_serial (the code is asked on the runner's terminal,
//     sent once, never stored);
//   - Policy: a session policy allowing `*` only while aws:CurrentTime is before the deadline, so IAM refuses
//     the credentials after it even if they live longer (STS floor 900 s);
//   - DurationSeconds fitted to the deadline (whole seconds, floor 900, cap 3600);
//   - SourceIdentity = RoleSessionName (dropped once if the role refuses sts:SetSourceIdentity).
// elevatedSource() serves those credentials until the deadline and refuses after it ("elevation expired");
// they are never re-issued.
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { resolveChain } from '../../shared/awsConfig';
import { elevatedSessionName, fitDuration, type FittedDuration } from '../../shared/plan';
import { MAX_ELEVATION_MINUTES } from '../../shared/settings';
import { BrokerRefusal, type BrokerCredentials, type CredentialSource } from './broker';
import { tierProfile, type CoreContext } from './context';
import { stsEndpointFor } from './identity';
import { safeErrorMessage } from './safeError';

export { safeErrorMessage };

const STS_TIMEOUT_MS = 10_000;

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

export interface ElevationPlan {
  /** The user's elevated profile (in their real config). */
  profile: string;
  roleArn: string;
  sourceProfile?: string;
  credentialSource?: string;
  roleSessionName: string;
  externalId?: string;
  mfaSerial?: string;
  region: string;
  endpoint?: string;
  userConfigFile: string;
  userCredentialsFile: string;
  startedAt: Date;
  /** When the runner ends the session (elevatedLaunch makes it whole seconds). */
  deadline: Date;
  /** The deadline in whole seconds (floored): the session policy's DateLessThan and the broker's refusal. */
  iamDeadline: Date;
  /** The spec asked for a later deadline than the cap allows. */
  capped: boolean;
  fitted: FittedDuration;
}

/** Floor to whole seconds (STS and IAM conditions have second resolution). */
export function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

/** The deadline the runner enforces: the requested one, at most MAX_ELEVATION_MINUTES from `now`. */
export function cappedDeadline(requested: Date, now: Date): { deadline: Date; capped: boolean } {
  const max = now.getTime() + MAX_ELEVATION_MINUTES * 60_000;
  const capped = requested.getTime() > max;
  return { deadline: new Date(capped ? max : requested.getTime()), capped };
}

/** Session policy: everything the role allows, only before the deadline (ISO, whole seconds). */
export function sessionPolicy(deadline: Date): string {
  const iso = wholeSeconds(deadline)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ElevateDeadline',
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: { DateLessThan: { 'aws:CurrentTime': iso } },
      },
    ],
  });
}

/** A session policy every statement of which is an Allow bounded by DateLessThan the deadline (or throw). */
export function assertDeadlinePolicy(json: string, deadline: Date): void {
  const iso = wholeSeconds(deadline)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(json) as { Statement?: unknown };
  } catch {
    throw new ElevationError('assume-role', 'the session policy is not JSON');
  }
  const st = Array.isArray(doc.Statement) ? (doc.Statement as Array<Record<string, unknown>>) : [];
  const ok =
    st.length > 0 &&
    st.every((x) => {
      const c = x.Condition as { DateLessThan?: Record<string, unknown> } | undefined;
      return x.Effect === 'Allow' && c?.DateLessThan?.['aws:CurrentTime'] === iso;
    });
  if (!ok)
    throw new ElevationError(
      'assume-role',
      `the session policy must bound every statement by aws:CurrentTime < ${iso}`,
    );
}

export function planElevation(
  ctx: CoreContext,
  sessionId: string,
  requestedDeadline: Date,
  now: Date,
): ElevationPlan {
  const profile = tierProfile(ctx, 'elevated');
  if (!profile.roleArn) {
    throw new ElevationError(
      'not-elevatable',
      `the elevated profile "${profile.name}" has no role_arn: Elevate elevates by assuming a role (with a session policy that ends at the deadline)`,
    );
  }
  const chain = resolveChain(ctx.setup.profiles, profile.name);
  if (chain.root === 'broken')
    throw new ElevationError('not-elevatable', `profile "${profile.name}": ${chain.problems.join('; ')}`);
  if (profile.credentialSource === 'Environment') {
    throw new ElevationError(
      'not-elevatable',
      `profile "${profile.name}" uses credential_source = Environment, but Elevate removes AWS keys from the environment; use source_profile`,
    );
  }
  const suffix = sessionId.split('-').pop() ?? sessionId;
  const region =
    ctx.settings.bedrock.region ??
    profile.region ??
    (profile.sourceProfile ? ctx.setup.profiles.get(profile.sourceProfile)?.region : undefined) ??
    ctx.env.AWS_REGION ??
    ctx.env.AWS_DEFAULT_REGION ??
    'us-east-1';
  const { deadline, capped } = cappedDeadline(requestedDeadline, now);
  const endpoint = stsEndpointFor(ctx.env, ctx.settings.endpointUrl);
  return {
    profile: profile.name,
    roleArn: profile.roleArn,
    ...(profile.sourceProfile ? { sourceProfile: profile.sourceProfile } : {}),
    ...(profile.credentialSource ? { credentialSource: profile.credentialSource } : {}),
    roleSessionName: elevatedSessionName(profile.roleSessionName, suffix),
    ...(profile.externalId ? { externalId: profile.externalId } : {}),
    ...(profile.mfaSerial ? { mfaSerial: profile.mfaSerial } : {}),
    region,
    ...(endpoint ? { endpoint } : {}),
    userConfigFile: ctx.setup.configPath,
    userCredentialsFile: ctx.setup.credentialsPath,
    startedAt: now,
    deadline,
    iamDeadline: wholeSeconds(deadline),
    capped,
    fitted: fitDuration(wholeSeconds(deadline), now, { chained: true }),
  };
}

function isSourceIdentityDenied(err: unknown): boolean {
  const e = err as { name?: string; Code?: string; message?: string };
  const code = e?.Code ?? e?.name ?? '';
  return /AccessDenied/i.test(code) && /sts:SetSourceIdentity/.test(e?.message ?? '');
}

async function baseCredentials(
  plan: ElevationPlan,
  clientBase: Record<string, unknown>,
  mfaCode?: string,
): Promise<AwsCredentialIdentity> {
  const providers = await import('@aws-sdk/credential-providers');
  if (plan.sourceProfile) {
    const { getDefaultRoleAssumer } = await import('@aws-sdk/client-sts');
    return providers.fromIni({
      profile: plan.sourceProfile,
      filepath: plan.userCredentialsFile,
      configFilepath: plan.userConfigFile,
      ignoreCache: true,
      roleAssumer: getDefaultRoleAssumer(clientBase),
      mfaCodeProvider: async (serial: string) => {
        if (mfaCode && serial === plan.mfaSerial) return mfaCode;
        throw new ElevationError(
          'mfa',
          `the source profile "${plan.sourceProfile}" needs an MFA code for ${serial}; put mfa_serial on "${plan.profile}"`,
        );
      },
    })();
  }
  if (plan.credentialSource === 'Ec2InstanceMetadata')
    return providers.fromInstanceMetadata({ timeout: 2000, maxRetries: 1 })();
  if (plan.credentialSource === 'EcsContainer')
    return providers.fromContainerMetadata({ timeout: 2000, maxRetries: 1 })();
  throw new ElevationError(
    'not-elevatable',
    `profile "${plan.profile}" has neither source_profile nor a supported credential_source`,
  );
}

export interface AssumedElevation {
  credentials: BrokerCredentials;
  durationSeconds: number;
  sourceIdentity: boolean;
  policy: string;
}

/** The one AssumeRole of an elevation. */
export async function assumeElevatedOnce(
  plan: ElevationPlan,
  opts: {
    mfaCode?: string | undefined;
    now?: () => number;
    /**
     * The session policy to send instead of the deadline-only one (plan scope: planSessionPolicy(), which
     * carries the same DateLessThan deadline on every statement). Refused when it lacks that condition.
     */
    policy?: string;
  } = {},
): Promise<AssumedElevation> {
  const now = opts.now ?? Date.now;
  const fitted = fitDuration(plan.iamDeadline, now(), { chained: true });
  if (fitted.expired)
    throw new ElevationError('expired', `elevation expired at ${plan.iamDeadline.toISOString()}`);
  if (plan.mfaSerial && !opts.mfaCode)
    throw new ElevationError(
      'mfa',
      `the elevated profile "${plan.profile}" needs an MFA code (${plan.mfaSerial})`,
    );
  const requestHandler = { connectionTimeout: STS_TIMEOUT_MS, requestTimeout: STS_TIMEOUT_MS };
  const clientBase = {
    region: plan.region,
    requestHandler,
    maxAttempts: 2,
    ...(plan.endpoint ? { endpoint: plan.endpoint } : {}),
  };
  let base: AwsCredentialIdentity;
  try {
    base = await baseCredentials(plan, clientBase, opts.mfaCode);
  } catch (err) {
    if (err instanceof ElevationError) throw err;
    throw new ElevationError(
      'base-credentials',
      `cannot get credentials for "${plan.sourceProfile ?? plan.credentialSource}" (source of ${plan.profile}) from ${plan.userConfigFile}: ${safeErrorMessage(err)}`,
    );
  }
  const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  const client = new STSClient({ ...clientBase, credentials: base });
  const policy = opts.policy ?? sessionPolicy(plan.iamDeadline);
  if (opts.policy !== undefined) assertDeadlinePolicy(opts.policy, plan.iamDeadline);
  const params = {
    RoleArn: plan.roleArn,
    RoleSessionName: plan.roleSessionName,
    DurationSeconds: fitted.durationSeconds,
    Policy: policy,
    ...(plan.externalId ? { ExternalId: plan.externalId } : {}),
    ...(plan.mfaSerial && opts.mfaCode ? { SerialNumber: plan.mfaSerial, TokenCode: opts.mfaCode } : {}),
  };
  try {
    let sourceIdentity = true;
    let out;
    try {
      out = await client.send(new AssumeRoleCommand({ ...params, SourceIdentity: plan.roleSessionName }));
    } catch (err) {
      if (!isSourceIdentityDenied(err)) throw err;
      sourceIdentity = false;
      out = await client.send(new AssumeRoleCommand(params));
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration)
      throw new Error('STS returned no credentials');
    return {
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: new Date(c.Expiration),
      },
      durationSeconds: fitted.durationSeconds,
      sourceIdentity,
      policy,
    };
  } catch (err) {
    const e = err as { name?: string };
    throw new ElevationError(
      'assume-role',
      `AssumeRole ${plan.roleArn} as ${plan.roleSessionName} failed: ${e.name ?? 'Error'}: ${safeErrorMessage(err)}`,
    );
  } finally {
    client.destroy();
  }
}

/**
 * Serve one elevation's credentials: minted once (by `mint`, at most once even under concurrent requests),
 * refused after the deadline or after the credentials expired, never re-issued. `ended()` lets the runner
 * refuse once the session is over.
 */
export function elevatedSource(
  deadline: Date,
  mint: () => Promise<AssumedElevation>,
  opts: { now?: () => number; ended?: () => string | null } = {},
): CredentialSource & { minted(): AssumedElevation | null } {
  const now = opts.now ?? Date.now;
  let once: Promise<AssumedElevation> | null = null;
  let done: AssumedElevation | null = null;
  const source = async (): Promise<BrokerCredentials> => {
    const why = opts.ended?.();
    if (why) throw new BrokerRefusal('ended', why);
    if (now() >= deadline.getTime()) {
      throw new BrokerRefusal(
        'expired',
        `elevation expired at ${deadline.toISOString()}; credentials are never re-issued. Approve again in Elevate for a new elevation`,
      );
    }
    if (!once) {
      once = mint().then((a) => (done = a));
    }
    let a: AssumedElevation;
    try {
      a = await once;
    } catch (e) {
      // A failed mint is final for this session too: no second AssumeRole (and no second MFA use).
      throw new BrokerRefusal(
        e instanceof ElevationError ? e.code : 'assume-role',
        `elevation failed: ${(e as Error).message}`,
      );
    }
    const exp = a.credentials.expiration?.getTime() ?? Infinity;
    if (now() >= exp)
      throw new BrokerRefusal('expired', 'elevation credentials expired; they are never re-issued');
    // Tell the SDK the credentials end at the deadline, so it comes back (and is refused) then.
    return { ...a.credentials, expiration: new Date(Math.min(exp, deadline.getTime())) };
  };
  return Object.assign(source, { minted: () => done });
}
