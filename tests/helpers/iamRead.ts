// The IAM reads `elevate explain` makes of a tier role's policies (electron/node/iam/rolePolicies.ts), for
// roles modelled with awsServer's `defineRole`: ListAttachedRolePolicies, GetPolicy, GetPolicyVersion,
// ListRolePolicies, GetRolePolicy (IAM query protocol, SigV4 checked, authorized by the caller's own
// identity policies through awsServer's `authorize`, so a role without iam:List*/Get* gets AccessDenied).
// A role's `permissions` map to IAM as: a managed policy name/ARN → an attached AWS managed policy
// (`arn:aws:iam::aws:policy/NAME`), a document → an inline policy named by its first statement's Sid (else
// `inline-N`). Every other IAM action stays with tests/helpers/cloudformation.ts (ListMFADevices, GetRole).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  permissionDocuments,
  verifySigV4,
  xmlEscape,
  type AwsServer,
  type RecordedRequest,
  type RoleDefinition,
} from './awsServer';
import type { PolicyDocument } from './iamPolicy';

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const IAM_READ_ACTIONS = new Set([
  'ListAttachedRolePolicies',
  'GetPolicy',
  'GetPolicyVersion',
  'ListRolePolicies',
  'GetRolePolicy',
]);

class IamError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const tag = (name: string, value: string): string => `<${name}>${xmlEscape(value)}</${name}>`;

interface RolePolicies {
  attached: { arn: string; name: string }[];
  inline: { name: string; document: PolicyDocument }[];
}

function policiesOf(def: RoleDefinition): RolePolicies {
  const out: RolePolicies = { attached: [], inline: [] };
  const list =
    def.permissions === undefined ? [] : Array.isArray(def.permissions) ? def.permissions : [def.permissions];
  list.forEach((p, i) => {
    if (typeof p === 'string' && !p.trimStart().startsWith('{')) {
      const name = p.replace(/^arn:aws[\w-]*:iam::aws:policy\/(?:.*\/)?/, '');
      out.attached.push({ arn: p.startsWith('arn:') ? p : `arn:aws:iam::aws:policy/${name}`, name });
    } else {
      const document = permissionDocuments(p)[0]!;
      const st = [document.Statement].flat()[0] as { Sid?: string } | undefined;
      out.inline.push({ name: st?.Sid || `inline-${i + 1}`, document });
    }
  });
  return out;
}

/** Whether the request is signed for `iam` and asks one of the reads above (body already read). */
function isIamRead(req: IncomingMessage, body: Buffer): string | undefined {
  if (!/Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/iam\//.test(String(req.headers.authorization ?? ''))) return;
  const q = (req.url ?? '').indexOf('?');
  const form = new URLSearchParams(q < 0 ? '' : (req.url ?? '').slice(q + 1));
  const action = form.get('Action') ?? new URLSearchParams(body.toString('utf8')).get('Action') ?? '';
  return IAM_READ_ACTIONS.has(action) ? action : undefined;
}

/** The hook in awsServer's dispatch; `server` is read per request (the server object exists by then). */
export function createIamRead(
  roles: ReadonlyMap<string, { def: RoleDefinition }>,
  getSecret: (accessKeyId: string) => string | undefined,
  requests: RecordedRequest[],
  server: () => Pick<AwsServer, 'authorize' | 'issuedCredentials'>,
): {
  owns(req: IncomingMessage, body: Buffer): boolean;
  handle(req: IncomingMessage, res: ServerResponse, body: Buffer, time: number, requestId: string): void;
} {
  function role(name: string): { arn: string; policies: RolePolicies } {
    const r = [...roles.values()].find((x) => x.def.arn.split('/').pop() === name);
    if (!r) throw new IamError(404, 'NoSuchEntity', `The role with name ${name} cannot be found.`);
    return { arn: r.def.arn, policies: policiesOf(r.def) };
  }

  function answer(action: string, p: Record<string, string>, akid: string): string {
    const authz = (resource: string): void => {
      const a = server().authorize(akid, `iam:${action}`, resource);
      if (!a.allowed) throw new IamError(403, 'AccessDenied', a.message);
    };
    switch (action) {
      case 'ListAttachedRolePolicies': {
        const r = role(p.RoleName ?? '');
        authz(r.arn);
        return (
          `<AttachedPolicies>${r.policies.attached.map((a) => `<member>${tag('PolicyName', a.name)}${tag('PolicyArn', a.arn)}</member>`).join('')}</AttachedPolicies>` +
          '<IsTruncated>false</IsTruncated>'
        );
      }
      case 'ListRolePolicies': {
        const r = role(p.RoleName ?? '');
        authz(r.arn);
        return (
          `<PolicyNames>${r.policies.inline.map((x) => `<member>${xmlEscape(x.name)}</member>`).join('')}</PolicyNames>` +
          '<IsTruncated>false</IsTruncated>'
        );
      }
      case 'GetRolePolicy': {
        const r = role(p.RoleName ?? '');
        authz(r.arn);
        const pol = r.policies.inline.find((x) => x.name === p.PolicyName);
        if (!pol)
          throw new IamError(
            404,
            'NoSuchEntity',
            `The role policy with name ${p.PolicyName} cannot be found.`,
          );
        // IAM returns policy documents URL-encoded (RFC 3986), as the real service does.
        return `${tag('RoleName', p.RoleName ?? '')}${tag('PolicyName', pol.name)}${tag('PolicyDocument', encodeURIComponent(JSON.stringify(pol.document)))}`;
      }
      case 'GetPolicy':
      case 'GetPolicyVersion': {
        const arn = p.PolicyArn ?? '';
        authz(arn);
        const name = /^arn:aws[\w-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
        if (!name)
          throw new IamError(404, 'NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
        const doc = permissionDocuments(name)[0]!;
        if (action === 'GetPolicy')
          return `<Policy>${tag('PolicyName', name)}${tag('Arn', arn)}${tag('DefaultVersionId', 'v1')}${tag('AttachmentCount', '1')}${tag('IsAttachable', 'true')}</Policy>`;
        if (p.VersionId !== 'v1')
          throw new IamError(404, 'NoSuchEntity', `Policy ${arn} version ${p.VersionId} does not exist.`);
        return `<PolicyVersion>${tag('Document', encodeURIComponent(JSON.stringify(doc)))}${tag('VersionId', 'v1')}${tag('IsDefaultVersion', 'true')}</PolicyVersion>`;
      }
      default:
        throw new IamError(400, 'InvalidAction', `Could not find operation ${action}`);
    }
  }

  return {
    owns: (req, body) => isIamRead(req, body) !== undefined,
    handle(req, res, body, time, requestId) {
      const q = (req.url ?? '').indexOf('?');
      const form = new URLSearchParams(q < 0 ? '' : (req.url ?? '').slice(q + 1));
      if (req.method === 'POST')
        for (const [k, v] of new URLSearchParams(body.toString('utf8'))) form.set(k, v);
      const params = Object.fromEntries(form);
      const action = params.Action ?? '';
      const auth = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''));
      const rec = {
        service: 'iam',
        action,
        params,
        time,
        statusCode: 200,
        ...(auth ? { accessKeyId: auth[1], region: auth[2] } : {}),
      } as unknown as RecordedRequest; // awsServer's AwsService union names only sts/ssm
      requests.push(rec);
      let status = 200;
      let xml: string;
      try {
        const headers: Record<string, string[]> = {};
        for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
          (headers[(req.rawHeaders[i] ?? '').toLowerCase()] ??= []).push(req.rawHeaders[i + 1] ?? '');
        const v = verifySigV4({ method: req.method ?? 'GET', url: req.url ?? '/', headers, body }, getSecret);
        if (!v.ok)
          throw new IamError(
            403,
            v.reason === 'unknown-key' ? 'InvalidClientTokenId' : 'SignatureDoesNotMatch',
            v.message,
          );
        const token = headers['x-amz-security-token']?.join(',');
        const cred = server().issuedCredentials.find((c) => c.accessKeyId === v.accessKeyId);
        if (token !== cred?.sessionToken)
          throw new IamError(
            403,
            'InvalidClientTokenId',
            'The security token included in the request is invalid.',
          );
        let result: string;
        try {
          result = answer(action, params, v.accessKeyId);
        } catch (err) {
          if (err instanceof IamError) throw err;
          // authorize throws for an invalid/expired token
          const m = String((err as Error).message);
          throw new IamError(403, m.startsWith('ExpiredToken') ? 'ExpiredToken' : 'InvalidClientTokenId', m);
        }
        xml =
          `<${action}Response xmlns="${IAM_NS}"><${action}Result>${result}</${action}Result>` +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
      } catch (err) {
        const e = err instanceof IamError ? err : new IamError(500, 'ServiceFailure', String(err));
        status = e.status;
        rec.statusCode = e.status;
        rec.errorCode = e.code;
        xml =
          `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>${e.status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
          `<Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
      }
      res.writeHead(status, {
        'Content-Type': 'text/xml',
        'Content-Length': Buffer.byteLength(xml),
        'x-amzn-RequestId': requestId,
      });
      res.end(xml);
    },
  };
}
