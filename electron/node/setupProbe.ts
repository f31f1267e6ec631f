// Where does this process run? Probes of the EC2 instance metadata service (IMDSv2: a PUT for a token,
// then GETs with it) and of the ECS container credentials endpoint, with short timeouts so a laptop
// answers in well under a second. Used by `elevate setup` (laptop vs EC2) and by `doctor` (a profile with
// credential_source = Ec2InstanceMetadata / EcsContainer on a machine where that endpoint is silent).
import http from 'node:http';
import type { Env } from './paths';

export const PROBE_TIMEOUT_MS = 400;
const IMDS_DEFAULT = 'http://169.254.169.254';
const ECS_HOST = 'http://169.254.170.2';

export type Ec2Probe =
  | { kind: 'ec2'; endpoint: string; instanceId?: string; region?: string; vpcId?: string; subnetId?: string }
  | { kind: 'none'; endpoint: string; reason: string };

function request(
  url: string,
  method: 'GET' | 'PUT',
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch (e) {
      reject(e as Error);
      return;
    }
    const req = http.request(u, { method, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 64 * 1024) chunks.push(c);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.on('close', () => clearTimeout(timer));
    req.end();
  });
}

export function imdsEndpoint(env: Env): string {
  const explicit = env.AWS_EC2_METADATA_SERVICE_ENDPOINT?.trim();
  if (explicit) return explicit.replace(/\/+$/, '');
  return env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE?.trim().toLowerCase() === 'ipv6'
    ? 'http://[fd00:ec2::254]'
    : IMDS_DEFAULT;
}

const disabled = (v: string | undefined): boolean => /^(true|1)$/i.test(v?.trim() ?? '');

/** IMDSv2 probe: token first (short timeout), then instance id, region and the primary subnet/VPC. */
export async function probeEc2(env: Env, timeoutMs = PROBE_TIMEOUT_MS): Promise<Ec2Probe> {
  const endpoint = imdsEndpoint(env);
  if (disabled(env.AWS_EC2_METADATA_DISABLED))
    return { kind: 'none', endpoint, reason: 'AWS_EC2_METADATA_DISABLED is set' };
  let token: string;
  try {
    const r = await request(
      `${endpoint}/latest/api/token`,
      'PUT',
      { 'X-aws-ec2-metadata-token-ttl-seconds': '60' },
      timeoutMs,
    );
    if (r.status !== 200 || !r.body)
      return { kind: 'none', endpoint, reason: `token request answered HTTP ${r.status}` };
    token = r.body.trim();
  } catch (e) {
    return { kind: 'none', endpoint, reason: (e as Error).message };
  }
  const get = async (p: string): Promise<string | undefined> => {
    try {
      const r = await request(
        `${endpoint}/latest/meta-data/${p}`,
        'GET',
        { 'X-aws-ec2-metadata-token': token },
        timeoutMs,
      );
      return r.status === 200 && r.body ? r.body.trim() : undefined;
    } catch {
      return undefined;
    }
  };
  const [instanceId, region, mac] = await Promise.all([
    get('instance-id'),
    get('placement/region'),
    get('mac'),
  ]);
  const [vpcId, subnetId] = mac
    ? await Promise.all([
        get(`network/interfaces/macs/${mac}/vpc-id`),
        get(`network/interfaces/macs/${mac}/subnet-id`),
      ])
    : [undefined, undefined];
  return {
    kind: 'ec2',
    endpoint,
    ...(instanceId ? { instanceId } : {}),
    ...(region ? { region } : {}),
    ...(vpcId ? { vpcId } : {}),
    ...(subnetId ? { subnetId } : {}),
  };
}

/** The ECS container credentials endpoint the SDK would use, or why there is none. */
export async function probeEcs(
  env: Env,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<{ ok: true; url: string } | { ok: false; reason: string }> {
  const rel = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI?.trim();
  const full = env.AWS_CONTAINER_CREDENTIALS_FULL_URI?.trim();
  const url = rel ? `${ECS_HOST}${rel.startsWith('/') ? '' : '/'}${rel}` : full;
  if (!url)
    return { ok: false, reason: 'neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor _FULL_URI is set' };
  const token = env.AWS_CONTAINER_AUTHORIZATION_TOKEN?.trim();
  try {
    const r = await request(url, 'GET', token ? { Authorization: token } : {}, timeoutMs);
    return r.status === 200 ? { ok: true, url } : { ok: false, reason: `${url} answered HTTP ${r.status}` };
  } catch (e) {
    return { ok: false, reason: `${url}: ${(e as Error).message}` };
  }
}
