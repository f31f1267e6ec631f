// The two IAM reads `elevate setup` makes (ListMFADevices for the operator's mfa_serial, GetRole for the
// path of an assumed/SSO role's ARN), through the AWS SDK's IAM client (@aws-sdk/client-iam, loaded only
// when setup needs it).
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { envFlag } from './identity';
import type { Env } from './paths';

export class IamCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'IamCallError';
  }
}

/** The IAM endpoint override in force: AWS_ENDPOINT_URL_IAM, then AWS_ENDPOINT_URL (as the SDK reads them). */
export function iamEndpoint(env: Env): string | undefined {
  if (envFlag(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)) return undefined;
  return (env.AWS_ENDPOINT_URL_IAM || env.AWS_ENDPOINT_URL || undefined)?.replace(/\/+$/, '');
}

async function iamCall<T>(
  credentials: AwsCredentialIdentity,
  env: Env,
  send: (
    client: import('@aws-sdk/client-iam').IAMClient,
    sdk: typeof import('@aws-sdk/client-iam'),
  ) => Promise<T>,
  timeoutMs = 5000,
): Promise<T> {
  const sdk = await import('@aws-sdk/client-iam');
  const endpoint = iamEndpoint(env);
  const client = new sdk.IAMClient({
    region: 'us-east-1',
    credentials,
    maxAttempts: 2,
    ...(endpoint ? { endpoint } : {}),
  });
  const timer = AbortSignal.timeout(timeoutMs);
  try {
    return await Promise.race([
      send(client, sdk),
      new Promise<never>((_r, reject) =>
        timer.addEventListener('abort', () =>
          reject(new IamCallError('Timeout', `IAM did not answer within ${timeoutMs / 1000} s`)),
        ),
      ),
    ]);
  } catch (e) {
    if (e instanceof IamCallError) throw e;
    const err = e as { name?: string; Code?: string; message?: string };
    throw new IamCallError(err.Code ?? err.name ?? 'Error', err.message ?? String(e));
  } finally {
    client.destroy();
  }
}

/** Serial numbers (ARNs) of the MFA devices of an IAM user. */
export async function listMfaDevices(
  userName: string,
  credentials: AwsCredentialIdentity,
  env: Env,
): Promise<string[]> {
  const out = await iamCall(credentials, env, (c, sdk) =>
    c.send(new sdk.ListMFADevicesCommand({ UserName: userName })),
  );
  return (out.MFADevices ?? []).map((d) => d.SerialNumber).filter((s): s is string => !!s);
}

/** The full ARN (with path) of a role by name. */
export async function roleArnWithPath(
  roleName: string,
  credentials: AwsCredentialIdentity,
  env: Env,
): Promise<string> {
  const out = await iamCall(credentials, env, (c, sdk) =>
    c.send(new sdk.GetRoleCommand({ RoleName: roleName })),
  );
  const arn = out.Role?.Arn;
  if (!arn) throw new IamCallError('NoArn', `GetRole ${roleName} answered without an Arn`);
  return arn;
}
