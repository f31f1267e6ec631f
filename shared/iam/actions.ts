// aws CLI command → IAM actions (pure). The rule is AWS's own: the CLI operation `put-bucket-policy` is
// the API `PutBucketPolicy`, and the IAM action has the API's name in the service's IAM prefix
// (`s3:PutBucketPolicy`). iam-data (the Service Authorization Reference) then gives the access level and
// resource types. Only where AWS's IAM action is NOT the API name do we keep an entry, in ONE table
// (EXCEPTIONS below, each with its reason), plus the high-level `s3` commands, which are not API
// operations at all (s3Transfer).
// Size (over ~600 lines, on purpose): most of it is the one exceptions table (CLI operation → IAM action where
// AWS's action is not the API name) and the high-level s3 commands, each entry with its reason.
import { accessLevelOf, type AccessLevel, type ActionCatalog, type CatalogAction } from './types';
import { param, type AwsCommand } from './awsArgv';

/** CLI service name → IAM service prefix, where they differ (Service Authorization Reference prefixes). */
export const IAM_PREFIX: Readonly<Record<string, string>> = {
  s3api: 's3',
  s3: 's3',
  s3control: 's3',
  elbv2: 'elasticloadbalancing',
  elb: 'elasticloadbalancing',
  configservice: 'config',
  resourcegroupstaggingapi: 'tag',
  stepfunctions: 'states',
  opensearch: 'es',
  opensearchserverless: 'aoss',
  'sso-oidc': 'sso-oauth',
  'sso-admin': 'sso',
  'iot-data': 'iot',
  'lex-runtime': 'lex',
  'lex-models': 'lex',
  'sagemaker-runtime': 'sagemaker',
  'bedrock-runtime': 'bedrock',
  'bedrock-agent-runtime': 'bedrock',
  'bedrock-agent': 'bedrock',
  dynamodbstreams: 'dynamodb',
  emr: 'elasticmapreduce',
  efs: 'elasticfilesystem',
  deploy: 'codedeploy',
  apigatewayv2: 'apigateway',
  sesv2: 'ses',
  accessanalyzer: 'access-analyzer',
  docdb: 'rds',
  neptune: 'rds',
  kinesisanalyticsv2: 'kinesisanalytics',
  'timestream-query': 'timestream',
  'timestream-write': 'timestream',
  'marketplace-catalog': 'aws-marketplace',
  meteringmarketplace: 'aws-marketplace',
  'cognito-sync': 'cognito-sync',
  'application-insights': 'applicationinsights',
  'service-quotas': 'servicequotas',
  'compute-optimizer': 'compute-optimizer',
  ebs: 'ebs',
  logs: 'logs',
};

export function iamPrefixFor(cliService: string): string {
  return IAM_PREFIX[cliService] ?? cliService;
}

/** `send-command` → `SendCommand`. */
export function operationToApiName(op: string): string {
  return op
    .split('-')
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/**
 * The exceptions: `cli-service operation` → the IAM actions AWS checks, where they are not the API name.
 * Each reason is from the Service Authorization Reference / the service's API docs.
 */
export const EXCEPTIONS: Readonly<Record<string, { actions: string[]; why: string }>> = {
  // S3: several API operations are authorized by an action of another name.
  's3api list-objects': { actions: ['s3:ListBucket'], why: 'ListObjects is authorized by s3:ListBucket' },
  's3api list-objects-v2': {
    actions: ['s3:ListBucket'],
    why: 'ListObjectsV2 is authorized by s3:ListBucket',
  },
  's3api list-object-versions': {
    actions: ['s3:ListBucketVersions'],
    why: 'authorized by s3:ListBucketVersions',
  },
  's3api list-buckets': {
    actions: ['s3:ListAllMyBuckets'],
    why: 'ListBuckets is authorized by s3:ListAllMyBuckets',
  },
  's3api head-object': { actions: ['s3:GetObject'], why: 'HEAD on an object needs s3:GetObject' },
  's3api head-bucket': { actions: ['s3:ListBucket'], why: 'HEAD on a bucket needs s3:ListBucket' },
  's3api copy-object': {
    actions: ['s3:PutObject', 's3:GetObject'],
    why: 'a copy writes the target (PutObject) and reads --copy-source (GetObject)',
  },
  's3api upload-part-copy': { actions: ['s3:PutObject', 's3:GetObject'], why: 'as copy-object' },
  's3api create-multipart-upload': {
    actions: ['s3:PutObject'],
    why: 'multipart uploads are authorized by s3:PutObject',
  },
  's3api upload-part': { actions: ['s3:PutObject'], why: 'multipart uploads are authorized by s3:PutObject' },
  's3api complete-multipart-upload': {
    actions: ['s3:PutObject'],
    why: 'multipart uploads are authorized by s3:PutObject',
  },
  's3api delete-objects': {
    actions: ['s3:DeleteObject'],
    why: 'a multi-object delete checks s3:DeleteObject per key',
  },
  's3api list-multipart-uploads': { actions: ['s3:ListBucketMultipartUploads'], why: 'IAM name differs' },
  's3api list-parts': { actions: ['s3:ListMultipartUploadParts'], why: 'IAM name differs' },
  's3api select-object-content': {
    actions: ['s3:GetObject'],
    why: 'S3 Select reads the object (s3:GetObject)',
  },
  's3api get-object-attributes': {
    actions: ['s3:GetObject', 's3:GetObjectAttributes'],
    why: 'needs s3:GetObject or s3:GetObjectAttributes',
  },
  's3api get-bucket-cors': { actions: ['s3:GetBucketCORS'], why: 'IAM spells CORS in capitals' },
  's3api put-bucket-cors': { actions: ['s3:PutBucketCORS'], why: 'IAM spells CORS in capitals' },
  's3api delete-bucket-cors': {
    actions: ['s3:PutBucketCORS'],
    why: 'deleting a configuration is authorized by its Put action',
  },
  's3api get-bucket-encryption': { actions: ['s3:GetEncryptionConfiguration'], why: 'IAM name differs' },
  's3api put-bucket-encryption': { actions: ['s3:PutEncryptionConfiguration'], why: 'IAM name differs' },
  's3api delete-bucket-encryption': {
    actions: ['s3:PutEncryptionConfiguration'],
    why: 'deleting is authorized by Put',
  },
  's3api get-bucket-lifecycle-configuration': {
    actions: ['s3:GetLifecycleConfiguration'],
    why: 'IAM name differs',
  },
  's3api put-bucket-lifecycle-configuration': {
    actions: ['s3:PutLifecycleConfiguration'],
    why: 'IAM name differs',
  },
  's3api delete-bucket-lifecycle': {
    actions: ['s3:PutLifecycleConfiguration'],
    why: 'deleting is authorized by Put',
  },
  's3api get-bucket-replication': { actions: ['s3:GetReplicationConfiguration'], why: 'IAM name differs' },
  's3api put-bucket-replication': { actions: ['s3:PutReplicationConfiguration'], why: 'IAM name differs' },
  's3api delete-bucket-replication': {
    actions: ['s3:PutReplicationConfiguration'],
    why: 'deleting is authorized by Put',
  },
  's3api get-bucket-notification-configuration': {
    actions: ['s3:GetBucketNotification'],
    why: 'IAM name differs',
  },
  's3api put-bucket-notification-configuration': {
    actions: ['s3:PutBucketNotification'],
    why: 'IAM name differs',
  },
  's3api get-public-access-block': { actions: ['s3:GetBucketPublicAccessBlock'], why: 'bucket-level block' },
  's3api put-public-access-block': { actions: ['s3:PutBucketPublicAccessBlock'], why: 'bucket-level block' },
  's3api delete-public-access-block': {
    actions: ['s3:PutBucketPublicAccessBlock'],
    why: 'deleting is authorized by Put',
  },
  's3api delete-bucket-ownership-controls': {
    actions: ['s3:PutBucketOwnershipControls'],
    why: 'deleting is authorized by Put',
  },
  's3api delete-bucket-tagging': {
    actions: ['s3:PutBucketTagging'],
    why: 'deleting tags is authorized by Put',
  },
  's3api get-object-lock-configuration': {
    actions: ['s3:GetBucketObjectLockConfiguration'],
    why: 'IAM name differs',
  },
  's3api put-object-lock-configuration': {
    actions: ['s3:PutBucketObjectLockConfiguration'],
    why: 'IAM name differs',
  },
  's3api get-bucket-accelerate-configuration': {
    actions: ['s3:GetAccelerateConfiguration'],
    why: 'IAM name differs',
  },
  's3api put-bucket-accelerate-configuration': {
    actions: ['s3:PutAccelerateConfiguration'],
    why: 'IAM name differs',
  },
  's3api list-bucket-analytics-configurations': {
    actions: ['s3:GetAnalyticsConfiguration'],
    why: 'listing is authorized by Get',
  },
  's3api list-bucket-inventory-configurations': {
    actions: ['s3:GetInventoryConfiguration'],
    why: 'listing is authorized by Get',
  },
  's3api list-bucket-metrics-configurations': {
    actions: ['s3:GetMetricsConfiguration'],
    why: 'listing is authorized by Get',
  },
  's3api list-bucket-intelligent-tiering-configurations': {
    actions: ['s3:GetIntelligentTieringConfiguration'],
    why: 'listing is authorized by Get',
  },
  // Other services.
  'lambda invoke': {
    actions: ['lambda:InvokeFunction'],
    why: 'Invoke is authorized by lambda:InvokeFunction',
  },
  'ecr get-login-password': {
    actions: ['ecr:GetAuthorizationToken'],
    why: 'CLI helper around GetAuthorizationToken',
  },
  'logs tail': { actions: ['logs:FilterLogEvents'], why: 'CLI helper that polls FilterLogEvents' },
  'bedrock-runtime converse': {
    actions: ['bedrock:InvokeModel'],
    why: 'Converse is authorized by bedrock:InvokeModel',
  },
  'bedrock-runtime converse-stream': {
    actions: ['bedrock:InvokeModelWithResponseStream'],
    why: 'ConverseStream is authorized by InvokeModelWithResponseStream',
  },
  'eks update-kubeconfig': { actions: ['eks:DescribeCluster'], why: 'CLI helper that reads the cluster' },
  'cloudformation deploy': {
    actions: [
      'cloudformation:DescribeStacks',
      'cloudformation:CreateChangeSet',
      'cloudformation:DescribeChangeSet',
      'cloudformation:ExecuteChangeSet',
    ],
    why: 'CLI helper: creates and executes a change set',
  },
  'cloudformation package': { actions: ['s3:PutObject'], why: 'CLI helper that uploads artifacts to S3' },
  'dynamodb transact-write-items': {
    actions: [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:ConditionCheckItem',
    ],
    why: 'a transaction is authorized per item action',
  },
  'dynamodb transact-get-items': {
    actions: ['dynamodb:GetItem'],
    why: 'a transaction is authorized per item action',
  },
  'dynamodb execute-statement': {
    actions: [
      'dynamodb:PartiQLSelect',
      'dynamodb:PartiQLInsert',
      'dynamodb:PartiQLUpdate',
      'dynamodb:PartiQLDelete',
    ],
    why: 'PartiQL statements are authorized by the PartiQL* action of the statement kind',
  },
  'rds generate-db-auth-token': {
    actions: ['rds-db:connect'],
    why: 'signed locally; the token is used with rds-db:connect',
  },
};

/** Commands the CLI answers without calling AWS. */
const LOCAL_COMMANDS: ReadonlySet<string> = new Set([
  'configure',
  'history',
  'cli-dev',
  'sso login',
  'sso logout',
  'eks get-token',
]);

/** Waiters that poll one read call: `aws ec2 wait instance-running` → ec2:DescribeInstances. */
function waiterAction(service: string, waiter: string): string | null {
  if (service === 'ec2' && waiter.startsWith('instance-status')) return 'ec2:DescribeInstanceStatus';
  if (service === 'ec2' && waiter.startsWith('instance-')) return 'ec2:DescribeInstances';
  if (service === 's3api' && waiter.startsWith('bucket-')) return 's3:ListBucket';
  if (service === 's3api' && waiter.startsWith('object-')) return 's3:GetObject';
  if (service === 'cloudformation' && waiter.startsWith('stack-')) return 'cloudformation:DescribeStacks';
  if (service === 'cloudformation' && waiter.startsWith('change-set-'))
    return 'cloudformation:DescribeChangeSet';
  if (service === 'lambda' && waiter.startsWith('function-')) return 'lambda:GetFunctionConfiguration';
  return null;
}

export interface ResourceHint {
  /** iam-data resource type name (`bucket`, `object`, `instance`, ...). */
  type: string;
  arn: string;
}

export interface RequestedAction {
  /** `prefix:Action` as AWS writes it. */
  action: string;
  resources: ResourceHint[];
}

export interface CommandActions {
  /** aws: calls AWS; local: answered by the CLI (help, configure); unknown: cannot be mapped. */
  kind: 'aws' | 'local' | 'unknown';
  service: string | null;
  operation: string | null;
  actions: RequestedAction[];
  notes: string[];
}

/** A value usable in an ARN: no shell expansion, no wildcard the user did not mean. */
function literal(v: string | undefined): string | undefined {
  if (v === undefined || v === '' || /[$`*?\s]/.test(v)) return undefined;
  return v;
}

interface S3Path {
  bucket: string;
  key: string;
}

function s3Path(p: string | undefined): S3Path | null {
  if (!p?.startsWith('s3://')) return null;
  const rest = p.slice(5);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? '' : rest.slice(slash + 1);
  return bucket ? { bucket, key } : null;
}

const bucketArn = (b: string) => `arn:aws:s3:::${b}`;

function s3Hints(p: S3Path, prefix: boolean): ResourceHint[] {
  const b = literal(p.bucket);
  if (!b) return [];
  const hints: ResourceHint[] = [{ type: 'bucket', arn: bucketArn(b) }];
  const key = p.key === '' ? '' : literal(p.key);
  if (key !== undefined)
    hints.push({ type: 'object', arn: `${bucketArn(b)}/${key}${prefix || key === '' ? '*' : ''}` });
  return hints;
}

/** The high-level `aws s3` commands: transfers the CLI composes from several API calls. */
function s3Transfer(cmd: AwsCommand, notes: string[] = []): CommandActions {
  const op = cmd.operation ?? '';
  const out: CommandActions = { kind: 'aws', service: 's3', operation: op, actions: [], notes };
  const add = (action: string, resources: ResourceHint[]) => {
    const have = out.actions.find((a) => a.action === action);
    if (have) {
      for (const r of resources) if (!have.resources.some((x) => x.arn === r.arn)) have.resources.push(r);
    } else out.actions.push({ action, resources });
  };
  const recursive = cmd.params['--recursive'] !== undefined;
  const [a, b] = cmd.positionals;
  const src = s3Path(a);
  const dst = s3Path(b);
  // No path at all (`xargs aws s3 rb`: appended at run time): the actions are known, the resources not.
  if (!src && !dst && ['mb', 'rb', 'rm', 'presign', 'website'].includes(op)) {
    out.notes.push(`aws s3 ${op}: no s3:// path given here; resources unknown`);
    return s3Transfer({ ...cmd, positionals: ['s3://$unknown'] }, out.notes);
  }
  switch (op) {
    case 'ls':
      if (!src) add('s3:ListAllMyBuckets', []);
      else add('s3:ListBucket', s3Hints({ bucket: src.bucket, key: '' }, false).slice(0, 1));
      break;
    case 'mb':
      if (src) add('s3:CreateBucket', s3Hints({ bucket: src.bucket, key: '' }, false).slice(0, 1));
      break;
    case 'rb':
      if (src && cmd.params['--force'] !== undefined) {
        add('s3:ListBucket', s3Hints({ bucket: src.bucket, key: '' }, false).slice(0, 1));
        add('s3:DeleteObject', s3Hints({ bucket: src.bucket, key: '' }, true).slice(1));
      }
      if (src) add('s3:DeleteBucket', s3Hints({ bucket: src.bucket, key: '' }, false).slice(0, 1));
      break;
    case 'rm':
      if (src && recursive) add('s3:ListBucket', s3Hints(src, false).slice(0, 1));
      if (src) add('s3:DeleteObject', s3Hints(src, recursive).slice(1));
      break;
    case 'presign':
      if (src) add('s3:GetObject', s3Hints(src, false).slice(1));
      out.notes.push(
        'presign signs locally (no AWS call); the URL works only while your identity has s3:GetObject',
      );
      break;
    case 'website':
      if (src) add('s3:PutBucketWebsite', s3Hints({ bucket: src.bucket, key: '' }, false).slice(0, 1));
      break;
    case 'cp':
    case 'mv':
    case 'sync': {
      const many = recursive || op === 'sync';
      if (src) {
        if (many) add('s3:ListBucket', s3Hints(src, false).slice(0, 1));
        add('s3:GetObject', s3Hints(src, many).slice(1));
      }
      if (dst) {
        if (op === 'sync') add('s3:ListBucket', s3Hints(dst, false).slice(0, 1));
        add('s3:PutObject', s3Hints(dst, many || dst.key === '' || dst.key.endsWith('/')).slice(1));
        if (cmd.params['--acl'] !== undefined || cmd.params['--grants'] !== undefined)
          add('s3:PutObjectAcl', s3Hints(dst, true).slice(1));
      }
      if (src && op === 'mv') add('s3:DeleteObject', s3Hints(src, many).slice(1));
      if (dst && op === 'sync' && cmd.params['--delete'] !== undefined)
        add('s3:DeleteObject', s3Hints(dst, true).slice(1));
      if (!src && !dst) {
        out.kind = 'unknown';
        out.notes.push(`aws s3 ${op}: no s3:// path found`);
      }
      break;
    }
    default:
      out.kind = 'unknown';
      out.notes.push(`aws s3 ${op || '(no command)'}: not a known high-level s3 command`);
  }
  if (out.kind === 'aws' && out.actions.length === 0) {
    out.kind = 'unknown';
    out.notes.push(`aws s3 ${op}: no s3:// path found`);
  }
  return out;
}

/** Resource hints from well-known parameters (names only; values with shell expansions are left out). */
function paramHints(cmd: AwsCommand): ResourceHint[] {
  const svc = iamPrefixFor(cmd.service ?? '');
  const hints: ResourceHint[] = [];
  const each = (name: string) => (cmd.params[name] ?? []).map(literal).filter((v): v is string => !!v);
  const one = (name: string) => literal(param(cmd, name));
  switch (svc) {
    case 's3': {
      const b = one('--bucket');
      if (b) {
        hints.push({ type: 'bucket', arn: bucketArn(b) });
        const k = one('--key');
        if (k) hints.push({ type: 'object', arn: `${bucketArn(b)}/${k}` });
      }
      break;
    }
    case 'ec2':
      for (const id of [...each('--instance-ids'), ...each('--instance-id')])
        hints.push({ type: 'instance', arn: `arn:aws:ec2:*:*:instance/${id}` });
      for (const id of each('--volume-id'))
        hints.push({ type: 'volume', arn: `arn:aws:ec2:*:*:volume/${id}` });
      for (const id of [...each('--group-id'), ...each('--group-ids')])
        hints.push({ type: 'security-group', arn: `arn:aws:ec2:*:*:security-group/${id}` });
      for (const id of each('--snapshot-id'))
        hints.push({ type: 'snapshot', arn: `arn:aws:ec2:*::snapshot/${id}` });
      break;
    case 'lambda': {
      const f = one('--function-name');
      if (f)
        hints.push({ type: 'function', arn: f.startsWith('arn:') ? f : `arn:aws:lambda:*:*:function:${f}` });
      break;
    }
    case 'dynamodb': {
      const t = one('--table-name');
      if (t) hints.push({ type: 'table', arn: `arn:aws:dynamodb:*:*:table/${t}` });
      break;
    }
    case 'logs': {
      const g =
        one('--log-group-name') ?? (cmd.operation === 'tail' ? literal(cmd.positionals[0]) : undefined);
      if (g) {
        hints.push({ type: 'log-group', arn: `arn:aws:logs:*:*:log-group:${g}` });
        hints.push({ type: 'log-group', arn: `arn:aws:logs:*:*:log-group:${g}:*` });
      }
      break;
    }
    case 'cloudformation': {
      const s = one('--stack-name');
      if (s)
        hints.push({
          type: 'stack',
          arn: s.startsWith('arn:') ? s : `arn:aws:cloudformation:*:*:stack/${s}/*`,
        });
      break;
    }
    case 'iam': {
      const r = one('--role-name');
      if (r) hints.push({ type: 'role', arn: `arn:aws:iam::*:role/${r}` });
      const u = one('--user-name');
      if (u) hints.push({ type: 'user', arn: `arn:aws:iam::*:user/${u}` });
      const p = one('--policy-arn');
      if (p?.startsWith('arn:')) hints.push({ type: 'policy', arn: p });
      break;
    }
    case 'ecr': {
      const r = one('--repository-name');
      if (r) hints.push({ type: 'repository', arn: `arn:aws:ecr:*:*:repository/${r}` });
      break;
    }
    case 'ssm': {
      const n = one('--name');
      if (n && (cmd.operation ?? '').includes('parameter'))
        hints.push({ type: 'parameter', arn: `arn:aws:ssm:*:*:parameter/${n.replace(/^\//, '')}` });
      break;
    }
    case 'secretsmanager': {
      const s = one('--secret-id');
      if (s)
        hints.push({
          type: 'Secret',
          arn: s.startsWith('arn:') ? s : `arn:aws:secretsmanager:*:*:secret:${s}-??????`,
        });
      break;
    }
    case 'sns': {
      const t = one('--topic-arn');
      if (t?.startsWith('arn:')) hints.push({ type: 'topic', arn: t });
      break;
    }
    case 'sqs': {
      const m = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com\/(\d{12})\/([A-Za-z0-9_.-]+)$/.exec(
        one('--queue-url') ?? '',
      );
      if (m) hints.push({ type: 'queue', arn: `arn:aws:sqs:${m[1]}:${m[2]}:${m[3]}` });
      break;
    }
    case 'kms': {
      const k = one('--key-id');
      if (k?.startsWith('arn:') && k.includes(':key/')) hints.push({ type: 'key', arn: k });
      break;
    }
    case 'states': {
      const s = one('--state-machine-arn');
      if (s?.startsWith('arn:')) hints.push({ type: 'statemachine', arn: s });
      break;
    }
  }
  return hints;
}

/** API Gateway's IAM actions are HTTP verbs on resource paths (apigateway:GET, apigateway:POST...). */
function apiGatewayVerb(op: string): string {
  if (/^(get|list|describe)-/.test(op)) return 'GET';
  if (/^(update)-/.test(op)) return 'PATCH';
  if (/^(delete|flush)-/.test(op)) return 'DELETE';
  if (/^(put|import)-/.test(op)) return 'PUT';
  return 'POST';
}

/** The IAM actions one aws command needs (not yet checked against the catalog). */
export function commandActions(cmd: AwsCommand): CommandActions {
  const { service, operation } = cmd;
  const base = { service, operation, actions: [] as RequestedAction[], notes: [] as string[] };
  if (cmd.help || service === null || cmd.globals['--version'] !== undefined)
    return { ...base, kind: 'local', notes: ['answered by the CLI (help/version): no AWS call'] };
  if (LOCAL_COMMANDS.has(service) || LOCAL_COMMANDS.has(`${service} ${operation ?? ''}`))
    return {
      ...base,
      kind: 'local',
      notes: [`aws ${service} ${operation ?? ''}`.trim() + ': local to the CLI, no IAM action'],
    };
  if (operation === null) return { ...base, kind: 'unknown', notes: [`aws ${service}: no operation`] };
  const notes: string[] = [];
  if (cmd.unknownParams.length)
    notes.push(
      `${cmd.unknownParams.join(', ')}: the request's parameters come from a file and are not analysed`,
    );
  if (service === 's3') {
    const r = s3Transfer(cmd);
    r.notes.unshift(...notes);
    return r;
  }
  const hints = paramHints(cmd);
  let actions: string[];
  if (operation === 'wait') {
    const w = waiterAction(service, cmd.positionals[0] ?? '');
    if (!w)
      return {
        ...base,
        kind: 'unknown',
        notes: [...notes, `aws ${service} wait ${cmd.positionals[0] ?? ''}: waiter not mapped`],
      };
    actions = [w];
  } else {
    const ex = EXCEPTIONS[`${service} ${operation}`];
    const prefix = iamPrefixFor(service);
    if (ex) actions = ex.actions;
    else if (prefix === 'apigateway') actions = [`apigateway:${apiGatewayVerb(operation)}`];
    else actions = [`${prefix}:${operationToApiName(operation)}`];
  }
  const out: RequestedAction[] = actions.map((action) => ({ action, resources: [...hints] }));
  // copy-object: the source object is read.
  if (service === 's3api' && (operation === 'copy-object' || operation === 'upload-part-copy')) {
    const srcRaw = literal(param(cmd, '--copy-source'));
    const get = out.find((a) => a.action === 's3:GetObject');
    if (get)
      get.resources = srcRaw ? [{ type: 'object', arn: `arn:aws:s3:::${srcRaw.replace(/\?.*$/, '')}` }] : [];
  }
  return { ...base, kind: 'aws', actions: out, notes };
}

/** IAM service prefixes a command needs from the catalog. */
export function prefixesOf(actions: readonly { action: string }[]): string[] {
  return [...new Set(actions.map((a) => a.action.slice(0, a.action.indexOf(':')).toLowerCase()))];
}

export interface ResolvedAction extends RequestedAction {
  /** null: the catalog does not know this action (new API, typo, or a CLI helper we do not map). */
  accessLevel: AccessLevel | null;
  /** Resource types the action is authorized on (iam-data). */
  resourceTypes: { name: string; required: boolean }[];
  /** The hints that name this action's own resource type (others are dropped). */
}

export function lookupAction(catalog: ActionCatalog, action: string): CatalogAction | undefined {
  const i = action.indexOf(':');
  const svc = catalog.get(action.slice(0, i).toLowerCase());
  if (!svc) return undefined;
  return svc[action.slice(i + 1).toLowerCase()];
}

/**
 * Check requested actions against the catalog: access level, canonical spelling, and only the resource
 * hints of a type the action is authorized on (a bucket ARN is no resource of s3:GetObject).
 */
export function resolveActions(
  requested: readonly RequestedAction[],
  catalog: ActionCatalog,
): ResolvedAction[] {
  return requested.map((r) => {
    const info = lookupAction(catalog, r.action);
    if (!info) return { ...r, accessLevel: null, resourceTypes: [] };
    const prefix = r.action.slice(0, r.action.indexOf(':')).toLowerCase();
    const types = info.resourceTypes.map((t) => ({ name: t.name, required: t.required }));
    const resources = r.resources.filter((h) => types.some((t) => t.name === h.type));
    return {
      action: `${prefix}:${info.name}`,
      resources,
      accessLevel: accessLevelOf(info.accessLevel),
      resourceTypes: types,
    };
  });
}
