// The policies of the user's own tier roles (issue 14): when a tier profile names a role (`role_arn`),
// `elevate explain` evaluates that role's attached and inline policies rather than assuming the managed
// policies infra/workstation.yaml deploys. Read once with the READ-ONLY tier's credentials
// (iam:ListAttachedRolePolicies, iam:GetPolicy + iam:GetPolicyVersion for policies not known locally,
// iam:ListRolePolicies + iam:GetRolePolicy) and cached in $ELEVATE_HOME/iam-cache.json (policy documents
// are not secrets; no credential is written) with the role ARN and the time of the read; refreshed after
// 24 h or on request. An AccessDenied (a custom read-only role may not allow these reads) is cached like a
// read, so a later run does not wait on it again; other failures (endpoint unreachable, no credentials)
// are not. The AWS SDK (client-iam, credential-providers, client-sts) is imported lazily: `elevate hook`
// never imports this module's SDK, and reads only the cache file if it needs it (readIamCache).
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { TIERS, type Tier } from '../../../shared/types';
import type { PolicyDocument } from '../../../shared/iam/policy';
import { knownManagedPolicy, type AttachedPolicy, type RoleRead } from '../../../shared/iam/tierPolicies';
import { writeFileAtomic } from '../atomicFile';
import type { CoreContext } from '../context';
import { stsEndpointFor } from '../identity';
import { elevateHome, type Env } from '../paths';
import { safeErrorMessage } from '../safeError';
import { iamEndpoint } from '../setupIam';

export const IAM_CACHE_MAX_AGE_MS = 24 * 3600 * 1000;
export const IAM_READ_TIMEOUT_MS = 5000;

export const iamCachePath = (env: Env = process.env): string => path.join(elevateHome(env), 'iam-cache.json');

export interface IamCache {
  version: 1;
  /** By role ARN. */
  roles: Record<string, RoleRead>;
}

/** The cache file, or an empty cache when absent or unreadable (it is only a cache). */
export function readIamCache(env: Env = process.env): IamCache {
  try {
    const parsed = JSON.parse(readFileSync(iamCachePath(env), 'utf8')) as Partial<IamCache>;
    if (parsed && parsed.version === 1 && parsed.roles && typeof parsed.roles === 'object')
      return { version: 1, roles: parsed.roles };
  } catch {
    // absent or damaged: read again
  }
  return { version: 1, roles: {} };
}

function writeIamCache(env: Env, cache: IamCache): void {
  const file = iamCachePath(env);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, `${JSON.stringify(cache, null, 2)}\n`, { mode: 0o600 });
}

/** The role ARN of each tier whose profile assumes a role. */
export function tierRoles(ctx: CoreContext): Partial<Record<Tier, string>> {
  const out: Partial<Record<Tier, string>> = {};
  for (const t of TIERS) {
    const name = ctx.tiers[t];
    const arn = name ? ctx.setup.profiles.get(name)?.roleArn : undefined;
    if (arn) out[t] = arn;
  }
  return out;
}

export interface RolePolicyOptions {
  /** Read again even when the cache is fresh (`elevate explain --refresh`). */
  refresh?: boolean;
  now?: () => Date;
  timeoutMs?: number;
}

const fresh = (r: RoleRead | undefined, now: Date): r is RoleRead =>
  r !== undefined &&
  now.getTime() - Date.parse(r.readAt) < IAM_CACHE_MAX_AGE_MS &&
  Date.parse(r.readAt) <= now.getTime();

/**
 * Each tier's role read (from the cache when fresh, else from IAM with the read-only tier's credentials).
 * Tiers without a role_arn are absent (the caller uses the known managed policies).
 */
export async function tierRolePolicies(
  ctx: CoreContext,
  opts: RolePolicyOptions = {},
): Promise<Partial<Record<Tier, RoleRead>>> {
  const now = opts.now?.() ?? new Date();
  const roles = tierRoles(ctx);
  const cache = readIamCache(ctx.env);
  const out: Partial<Record<Tier, RoleRead>> = {};
  const missing = TIERS.filter((t) => {
    const arn = roles[t];
    if (!arn) return false;
    const c = cache.roles[arn];
    if (!opts.refresh && fresh(c, now) && c.roleArn === arn) {
      out[t] = c;
      return false;
    }
    return true;
  });
  if (!missing.length) return out;
  const readAt = now.toISOString();
  const roName = ctx.tiers.readonly;
  let reader: ((roleArn: string) => Promise<RoleRead>) | undefined;
  let setupFailure: { code: string; message: string } | undefined;
  if (!roName || !ctx.setup.profiles.has(roName)) {
    setupFailure = { code: 'no-readonly-tier', message: 'no read-only tier profile to read IAM with' };
  } else {
    try {
      reader = await iamReader(ctx, roName, readAt, opts.timeoutMs ?? IAM_READ_TIMEOUT_MS);
    } catch (err) {
      setupFailure = describeFailure(err);
    }
  }
  let changed = false;
  for (const t of missing) {
    const arn = roles[t]!;
    const r: RoleRead = reader ? await reader(arn) : { ok: false, roleArn: arn, readAt, ...setupFailure! };
    out[t] = r;
    // Cached: a read, or IAM's own AccessDenied on it (not a credential or network failure).
    if (r.ok || (reader && (r.code === 'AccessDenied' || r.code === 'AccessDeniedException'))) {
      cache.roles[arn] = r;
      changed = true;
    }
  }
  if (changed) {
    try {
      writeIamCache(ctx.env, cache);
    } catch {
      // a cache that cannot be written only costs a read next time
    }
  }
  return out;
}

function describeFailure(err: unknown): { code: string; message: string } {
  const e = err as { name?: string; Code?: string; code?: string };
  const code = e?.Code ?? e?.name ?? e?.code ?? 'unknown';
  return { code: code === 'Error' ? 'unknown' : code, message: safeErrorMessage(err) };
}

const decodeDoc = (text: string | undefined): PolicyDocument => {
  if (!text) throw new Error('IAM returned no policy document');
  const plain = /^\s*\{/.test(text) ? text : decodeURIComponent(text);
  return JSON.parse(plain) as PolicyDocument;
};

/** Resolves the read-only tier's credentials once; returns a reader of one role's policies. */
async function iamReader(
  ctx: CoreContext,
  profileName: string,
  readAt: string,
  timeoutMs: number,
): Promise<(roleArn: string) => Promise<RoleRead>> {
  const [iam, { fromIni }, { getDefaultRoleAssumer }] = await Promise.all([
    import('@aws-sdk/client-iam'),
    import('@aws-sdk/credential-providers'),
    import('@aws-sdk/client-sts'),
  ]);
  const signal = AbortSignal.timeout(timeoutMs);
  const region = ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION || 'us-east-1';
  const stsEndpoint = stsEndpointFor(ctx.env, ctx.settings.endpointUrl);
  const provider = fromIni({
    profile: profileName,
    filepath: ctx.setup.credentialsPath,
    configFilepath: ctx.setup.configPath,
    ignoreCache: true,
    roleAssumer: getDefaultRoleAssumer({
      region,
      ...(stsEndpoint ? { endpoint: stsEndpoint } : {}),
    }),
    mfaCodeProvider: (serial: string) => {
      throw Object.assign(new Error(`the read-only profile needs an MFA code (${serial})`), {
        name: 'mfa-required',
      });
    },
  });
  const credentials: AwsCredentialIdentity = await Promise.race([
    provider(),
    new Promise<never>((_r, reject) =>
      signal.addEventListener('abort', () =>
        reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'timeout' })),
      ),
    ),
  ]);
  const endpoint = iamEndpoint(ctx.env) ?? ctx.settings.endpointUrl;
  const client = new iam.IAMClient({
    region: 'us-east-1',
    credentials,
    maxAttempts: 2,
    ...(endpoint ? { endpoint } : {}),
  });
  const opts = { abortSignal: signal };
  return async (roleArn) => {
    const roleName = roleArn.split('/').pop() ?? '';
    try {
      const attached: AttachedPolicy[] = [];
      let marker: string | undefined;
      do {
        const page: import('@aws-sdk/client-iam').ListAttachedRolePoliciesCommandOutput = await client.send(
          new iam.ListAttachedRolePoliciesCommand({
            RoleName: roleName,
            ...(marker ? { Marker: marker } : {}),
          }),
          opts,
        );
        for (const p of page.AttachedPolicies ?? [])
          if (p.PolicyArn) attached.push({ arn: p.PolicyArn, name: p.PolicyName ?? p.PolicyArn });
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      for (const a of attached) {
        if (knownManagedPolicy(a.arn)) continue; // AWS managed, known locally
        const pol = await client.send(new iam.GetPolicyCommand({ PolicyArn: a.arn }), opts);
        const versionId = pol.Policy?.DefaultVersionId;
        if (!versionId) continue;
        const ver = await client.send(
          new iam.GetPolicyVersionCommand({ PolicyArn: a.arn, VersionId: versionId }),
          opts,
        );
        a.versionId = versionId;
        a.document = decodeDoc(ver.PolicyVersion?.Document);
      }
      const names: string[] = [];
      marker = undefined;
      do {
        const page: import('@aws-sdk/client-iam').ListRolePoliciesCommandOutput = await client.send(
          new iam.ListRolePoliciesCommand({ RoleName: roleName, ...(marker ? { Marker: marker } : {}) }),
          opts,
        );
        names.push(...(page.PolicyNames ?? []));
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      const inline: { name: string; document: PolicyDocument }[] = [];
      for (const name of names) {
        const p = await client.send(
          new iam.GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }),
          opts,
        );
        inline.push({ name, document: decodeDoc(p.PolicyDocument) });
      }
      return { ok: true, roleArn, readAt, attached, inline };
    } catch (err) {
      return { ok: false, roleArn, readAt, ...describeFailure(err) };
    }
  };
}
