// The two IAM reads `elevate setup` makes (ListMFADevices for the operator's mfa_serial, GetRole for the
// path of an assumed/SSO role's ARN), over IAM's query protocol signed with the SDK's own SigV4 signer.
// (@aws-sdk/client-iam is not a dependency; these two read-only calls do not justify a 1 MB client.)
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { Env } from './paths';

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: SourceData): string | Uint8Array =>
  typeof d === 'string'
    ? d
    : ArrayBuffer.isView(d)
      ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
      : new Uint8Array(d);

class Sha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.h = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: SourceData): void {
    this.h.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
}

export class IamCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'IamCallError';
  }
}

export function iamEndpoint(env: Env): string {
  return (env.AWS_ENDPOINT_URL_IAM ?? env.AWS_ENDPOINT_URL ?? 'https://iam.amazonaws.com').replace(
    /\/+$/,
    '',
  );
}

const unxml = (s: string): string =>
  s.replace(
    /&(lt|gt|amp|apos|quot);/g,
    (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' })[e] ?? '',
  );

async function iamQuery(
  action: string,
  params: Record<string, string>,
  credentials: AwsCredentialIdentity,
  env: Env,
  timeoutMs = 5000,
): Promise<string> {
  const url = new URL(`${iamEndpoint(env)}/`);
  const body = new URLSearchParams({ Action: action, Version: '2010-05-08', ...params }).toString();
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'iam', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  const res = await fetch(url, {
    method: 'POST',
    headers: signed.headers,
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) {
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `HTTP${res.status}`;
    const message = unxml(/<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text.slice(0, 200));
    throw new IamCallError(code, message);
  }
  return text;
}

/** Serial numbers (ARNs) of the MFA devices of an IAM user. */
export async function listMfaDevices(
  userName: string,
  credentials: AwsCredentialIdentity,
  env: Env,
): Promise<string[]> {
  const xml = await iamQuery('ListMFADevices', { UserName: userName }, credentials, env);
  return [...xml.matchAll(/<SerialNumber>([^<]+)<\/SerialNumber>/g)].map((m) => unxml(m[1]!));
}

/** The full ARN (with path) of a role by name. */
export async function roleArnWithPath(
  roleName: string,
  credentials: AwsCredentialIdentity,
  env: Env,
): Promise<string> {
  const xml = await iamQuery('GetRole', { RoleName: roleName }, credentials, env);
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(xml)?.[1];
  if (!arn) throw new IamCallError('NoArn', `GetRole ${roleName} answered without an Arn`);
  return unxml(arn);
}
