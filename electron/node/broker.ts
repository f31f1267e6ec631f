// The session's credential BROKER. Every session Elevate starts with a tier is run by `elevate run`, which
// starts one of these before it spawns the child:
//
//   server   http://127.0.0.1:<random port>/ speaking the AWS container-credentials protocol (what the
//            SDKs' and botocore's `AWS_CONTAINER_CREDENTIALS_FULL_URI` + `AWS_CONTAINER_AUTHORIZATION_TOKEN`
//            providers call): GET → {AccessKeyId, SecretAccessKey, Token, Expiration}. The token is 256
//            random bits made in the runner's memory and given ONLY in the child's env: never on disk (not
//            in the session spec, not in a cache). Wrong/missing token → 403; a Host other than the
//            loopback address → 403 (DNS rebinding); anything but GET → 405.
//   files    a per-session AWS config (0600, in the session's own dir) with exactly ONE profile, named like
//            the tier's profile, with region/output only and no credential settings, and an empty
//            credentials file. `aws --profile <other>` / `AWS_PROFILE=<other> aws` inside the session fail
//            with "profile not found" (AWS CLI); the JS SDK falls through to the broker, i.e. the SAME tier.
//   sources  read-only: the tier's profile from the USER's real config (the runner's own env), through the
//            SDK's fromIni (role chains, SSO, credential_process, instance roles) — lazily, on the first
//            request, refreshed 5 min before expiry; never with an MFA code (a read-only tier that needs MFA
//            is refused, so an edited tier mapping cannot turn read-only into a path to an MFA role).
//            elevated: ONE AssumeRole (elevation.ts) with the human's MFA code, a session policy that ends
//            at the deadline and DurationSeconds fitted to it; never re-issued; refused after the deadline
//            ("elevation expired") whatever the runner's timer did.
//
// Why a loopback server held by the runner rather than credential_process or a cache file: credentials
// exist only in the memory of the process that supervises the session; nothing the agent can edit (spec,
// approvals, state files) or read (a cache) yields them, and an AWS call costs one local HTTP request
// instead of a Node start per call.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { writeFileAtomic } from './atomicFile';
import { files, type Env } from './paths';
import { SESSION_ID_RE } from './sessions';

/** Profile names safe to write into a config section header for the AWS CLI and the JS SDK. */
export const SAFE_PROFILE_RE = /^[\w\-@+.%:/]+$/;
/** Cached read-only credentials are refreshed when they have less than this left. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export interface BrokerCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}

/** A refusal the broker reports to the caller (HTTP 403 with the message): expired, ended, no MFA... */
export class BrokerRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BrokerRefusal';
  }
}

export type CredentialSource = () => Promise<BrokerCredentials>;

export interface CredentialServer {
  url: string;
  token: string;
  port: number;
  /** Requests served (ok) and refused, for the session-end audit line. */
  stats: { served: number; refused: number; forbidden: number };
  close(): Promise<void>;
}

/** Constant-time comparison of two strings of any length (hash first, then timingSafeEqual). */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  const a = crypto
    .createHash('sha256')
    .update(given ?? '')
    .digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b) && given !== undefined;
}

/**
 * The container-credentials answer. botocore (AWS CLI) reads `Token` and `Expiration` unconditionally, so both
 * are always present: an empty Token for long-term keys (no X-Amz-Security-Token is sent then) and, for
 * credentials without an expiry, one 15 minutes out so clients come back (and can be refused) regularly.
 */
export function containerResponse(c: BrokerCredentials, now: number = Date.now()): Record<string, string> {
  const exp = c.expiration ?? new Date(now + 15 * 60_000);
  return {
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    Token: c.sessionToken ?? '',
    Expiration: exp.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/** Start the loopback credential server. `source` is called per request (it caches as it sees fit). */
export async function startCredentialServer(
  source: CredentialSource,
  opts: {
    onError?: (e: unknown) => void;
    /**
     * Who may ask: called with the client's TCP port; a string refuses (403) with that reason. The runner
     * passes sessionPeerCheck (Linux: the connecting socket must belong to the session's own process tree).
     */
    authorize?: (clientPort: number, serverPort: number) => string | null;
  } = {},
): Promise<CredentialServer> {
  const token = crypto.randomBytes(32).toString('base64url');
  const stats = { served: 0, refused: 0, forbidden: 0 };
  let port = 0;
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };
  const server = http.createServer((req, res) => {
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      stats.forbidden++;
      return send(res, 403, { code: 'Forbidden', message: 'wrong host' });
    }
    if (!tokenMatches(req.headers.authorization, token)) {
      stats.forbidden++;
      return send(res, 403, { code: 'Forbidden', message: 'missing or wrong authorization token' });
    }
    if (req.method !== 'GET') return send(res, 405, { code: 'MethodNotAllowed', message: 'GET only' });
    const denied = opts.authorize?.(req.socket.remotePort ?? 0, port) ?? null;
    if (denied) {
      stats.forbidden++;
      return send(res, 403, { code: 'Forbidden', message: `elevate: ${denied}` });
    }
    source().then(
      (c) => {
        stats.served++;
        send(res, 200, containerResponse(c));
      },
      (e: unknown) => {
        stats.refused++;
        opts.onError?.(e);
        const refusal = e instanceof BrokerRefusal;
        send(res, refusal ? 403 : 502, {
          code: refusal ? e.code : 'CredentialsUnavailable',
          message: `elevate: ${(e as Error).message}`,
        });
      },
    );
  });
  server.headersTimeout = 5000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  // The runner must be able to exit while the server idles only if the child is gone: keep it referenced
  // (the runner closes it at the end).
  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    port,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Per-session AWS files
// ---------------------------------------------------------------------------------------------

export interface SessionAwsFiles {
  dir: string;
  configFile: string;
  credentialsFile: string;
  profile: string;
}

/** The text of the per-session config: one profile, region/output only. */
export function sessionConfigText(
  profile: string,
  opts: { region?: string | undefined; sessionId: string; tier: string },
): string {
  if (!SAFE_PROFILE_RE.test(profile)) throw new Error(`profile name ${JSON.stringify(profile)} is not safe`);
  const header = profile === 'default' ? '[default]' : `[profile ${profile}]`;
  const lines = [
    `# Generated by Elevate for ${opts.tier} session ${opts.sessionId}. Credentials come from the session's`,
    '# broker (AWS_CONTAINER_CREDENTIALS_FULL_URI), not from this file; other profiles do not exist here.',
    header,
  ];
  if (opts.region && /^[a-z0-9-]+$/.test(opts.region)) lines.push(`region = ${opts.region}`);
  return `${lines.join('\n')}\n`;
}

/** Write $ELEVATE_HOME/sessions/<id>/aws/{config,credentials} (dir 0700, files 0600). */
export function writeSessionAwsFiles(
  sessionId: string,
  profile: string,
  opts: { region?: string | undefined; tier: string },
  env: Env,
): SessionAwsFiles {
  if (!SESSION_ID_RE.test(sessionId)) throw new Error(`invalid session id "${sessionId}"`);
  const dir = path.join(files.sessions(env), sessionId, 'aws');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(path.dirname(dir), 0o700);
  fs.chmodSync(dir, 0o700);
  const configFile = path.join(dir, 'config');
  const credentialsFile = path.join(dir, 'credentials');
  writeFileAtomic(configFile, sessionConfigText(profile, { ...opts, sessionId }), { mode: 0o600 });
  writeFileAtomic(credentialsFile, '', { mode: 0o600 });
  fs.chmodSync(configFile, 0o600);
  fs.chmodSync(credentialsFile, 0o600);
  return { dir, configFile, credentialsFile, profile };
}

/** The variables the child gets (they replace whatever it inherited). */
export function brokerEnv(
  server: Pick<CredentialServer, 'url' | 'token'>,
  f: SessionAwsFiles,
): Record<string, string> {
  return {
    AWS_CONFIG_FILE: f.configFile,
    AWS_SHARED_CREDENTIALS_FILE: f.credentialsFile,
    AWS_PROFILE: f.profile,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: server.url,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: server.token,
  };
}

// ---------------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------------

const toBroker = (c: AwsCredentialIdentity): BrokerCredentials => ({
  accessKeyId: c.accessKeyId,
  secretAccessKey: c.secretAccessKey,
  sessionToken: c.sessionToken,
  expiration: c.expiration,
});

/**
 * Memoise a provider: reuse while more than REFRESH_MARGIN_MS is left (or no expiry), one refresh in flight
 * at a time, failures not cached.
 */
export function refreshing(
  provider: () => Promise<BrokerCredentials>,
  now: () => number = Date.now,
): CredentialSource {
  let cached: BrokerCredentials | null = null;
  let inflight: Promise<BrokerCredentials> | null = null;
  return async () => {
    if (cached && (!cached.expiration || cached.expiration.getTime() - now() > REFRESH_MARGIN_MS))
      return cached;
    inflight ??= provider().then(
      (c) => {
        cached = c;
        inflight = null;
        return c;
      },
      (e: unknown) => {
        inflight = null;
        throw e;
      },
    );
    return inflight;
  };
}

export interface ReadonlySourceInput {
  profile: string;
  configFile: string;
  credentialsFile: string;
  /** STS endpoint for role chains (the user's AWS_ENDPOINT_URL[_STS] or Elevate's endpointUrl). */
  endpoint?: string | undefined;
  region: string;
}

/** The read-only tier's credentials through the SDK's fromIni on the user's real files. */
export function readonlySource(input: ReadonlySourceInput): CredentialSource {
  return refreshing(async () => {
    const providers = await import('@aws-sdk/credential-providers');
    const { getDefaultRoleAssumer } = await import('@aws-sdk/client-sts');
    const clientBase = {
      region: input.region,
      ...(input.endpoint ? { endpoint: input.endpoint } : {}),
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 10_000 },
    };
    try {
      const c = await providers.fromIni({
        profile: input.profile,
        filepath: input.credentialsFile,
        configFilepath: input.configFile,
        ignoreCache: true,
        roleAssumer: getDefaultRoleAssumer(clientBase),
        mfaCodeProvider: async (serial: string) => {
          throw new BrokerRefusal(
            'mfa',
            `the read-only profile "${input.profile}" needs an MFA code (${serial}): a read-only tier must not`,
          );
        },
      })();
      return toBroker(c);
    } catch (e) {
      if (e instanceof BrokerRefusal) throw e;
      const { safeErrorMessage } = await import('./safeError');
      throw new Error(`cannot get credentials for "${input.profile}": ${safeErrorMessage(e)}`);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Peer check (Linux): the token alone is readable by any same-user process (/proc/<pid>/environ), so the
// broker also checks that the connecting socket is held by a process of the session's own tree.
// ---------------------------------------------------------------------------------------------

/** Inode of the loopback TCP socket whose local port is `clientPort` and remote port `serverPort`. */
export function socketInode(
  clientPort: number,
  serverPort: number,
  procNet = '/proc/net/tcp',
): string | null {
  let text: string;
  try {
    text = fs.readFileSync(procNet, 'utf8');
  } catch {
    return null;
  }
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  const local = `:${hex(clientPort)}`;
  const remote = `:${hex(serverPort)}`;
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    if (f[1]!.endsWith(local) && f[2]!.endsWith(remote)) return f[9]!;
  }
  return null;
}

/** Whether one of `pids` holds the socket with this inode (readlink of /proc/<pid>/fd/*). */
export function heldBy(inode: string, pids: number[]): number | null {
  const target = `socket:[${inode}]`;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return pid;
      } catch {
        /* closed meanwhile */
      }
    }
  }
  return null;
}

/** Descendants of pid from /proc/<pid>/stat (Linux; no process spawned, a few ms). */
export function procDescendants(root: number): number[] {
  const kids = new Map<number, number[]>();
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${n}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = kids.get(ppid) ?? [];
      list.push(Number(n));
      kids.set(ppid, list);
    } catch {
      /* gone */
    }
  }
  return treeBelow(kids, root);
}

/** Every pid below `root` in a parent → children map (breadth first, each once). */
export function treeBelow(kids: ReadonlyMap<number, number[]>, root: number): number[] {
  const out: number[] = [];
  const queue = [...(kids.get(root) ?? [])];
  while (queue.length) {
    const p = queue.shift()!;
    if (out.includes(p)) continue;
    out.push(p);
    queue.push(...(kids.get(p) ?? []));
  }
  return out;
}

/**
 * A peer check for the broker: on Linux the caller's socket must be held by the session's child or one of its
 * descendants (`tree()`); elsewhere (no /proc) it allows, and the token is the only check.
 */
export function sessionPeerCheck(tree: () => number[], platform: NodeJS.Platform = process.platform) {
  return (clientPort: number, serverPort: number): string | null => {
    if (platform !== 'linux') return null;
    const inode = socketInode(clientPort, serverPort);
    if (!inode || inode === '0') return 'cannot identify the calling process';
    return heldBy(inode, tree()) !== null ? null : 'the caller is not a process of this session';
  };
}
