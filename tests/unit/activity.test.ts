import { describe, expect, it } from 'vitest';
import {
  buildActivityRecord,
  buildPolicyHints,
  classifyAction,
  operationToApiName,
  parseActivityLog,
  parseAwsArgv,
  parseAwsError,
  type ActivityRecord,
} from '../../shared/activity';
import { parseShimPayload, PAYLOAD_MAGIC, withAccessLevels } from '../../electron/node/activity';
import { loadCatalog } from '../../electron/node/iam/catalog';
import { lookupAction } from '../../shared/iam/actions';
import { accessLevelOf } from '../../shared/iam/types';

describe('parseAwsArgv', () => {
  it('skips global options and their values before the service', () => {
    const a = parseAwsArgv([
      '--region',
      'eu-west-1',
      '--profile',
      'claudecode-readonly',
      '--output',
      'json',
      '--endpoint-url',
      'http://localhost:4566',
      '--no-cli-pager',
      'ssm',
      'describe-instance-information',
    ]);
    expect(a.service).toBe('ssm');
    expect(a.operation).toBe('describe-instance-information');
    expect(a.region).toBe('eu-west-1');
    expect(a.profile).toBe('claudecode-readonly');
    expect(a.flags).toEqual(['--region', '--profile', '--output', '--endpoint-url', '--no-cli-pager']);
    expect(JSON.stringify(a)).not.toContain('localhost');
  });

  it('handles --opt=value, globals after the operation and --query values', () => {
    const a = parseAwsArgv([
      'ec2',
      'describe-instances',
      '--region=us-east-2',
      '--query',
      'Reservations[].Instances[].InstanceId',
      '--filters',
      'Name=tag:Name,Values=web',
    ]);
    expect(a).toMatchObject({ service: 'ec2', operation: 'describe-instances', region: 'us-east-2' });
    expect(a.flags).toEqual(['--region', '--query', '--filters']);
    expect(JSON.stringify(a)).not.toContain('Reservations');
    expect(JSON.stringify(a)).not.toContain('web');
    expect(a.positionals).toBe(1); // the --filters value is a word: counted, never kept
  });

  it('never keeps values, even one that looks like a flag after a redacted flag', () => {
    const a = parseAwsArgv([
      'secretsmanager',
      'create-secret',
      '--name',
      'db',
      '--secret-string',
      '--hunter2-pw',
    ]);
    expect(a.flags).toEqual(['--name', '--secret-string']);
    expect(JSON.stringify(a)).not.toContain('hunter2');
    const b = parseAwsArgv(['iam', 'create-login-profile', '--password=S3CR3T', '--user-name', 'bob']);
    expect(b.flags).toEqual(['--password', '--user-name']);
    expect(JSON.stringify(b)).not.toContain('S3CR3T');
    expect(JSON.stringify(b)).not.toContain('bob');
    const c = parseAwsArgv([
      'ssm',
      'put-parameter',
      '--cli-input-json',
      '{"Value":"--x"}',
      '--user-data',
      '--abc',
    ]);
    expect(c.flags).toEqual(['--cli-input-json', '--user-data']);
  });

  it('does not log an unsafe --profile/--region value', () => {
    const a = parseAwsArgv(['--profile', 'a b$(x)', 's3', 'ls']);
    expect(a.profile).toBeUndefined();
    expect(a.service).toBe('s3');
  });

  it('aws --version / aws help / odd words', () => {
    expect(parseAwsArgv(['--version'])).toMatchObject({
      service: null,
      operation: null,
      flags: ['--version'],
    });
    expect(parseAwsArgv(['s3', 'cp', 's3://bucket/key', '/tmp/x'])).toMatchObject({
      service: 's3',
      operation: 'cp',
      positionals: 2,
    });
    expect(parseAwsArgv(['S3 $(rm)', 'ls']).service).toBe('?');
  });
});

const ARN = 'arn:aws:sts::111111111111:assumed-role/claudecode-readonly/botocore-session-1700000000';

describe('parseAwsError (error texts as printed by aws CLI v2)', () => {
  it('SSM (JSON 1.1) AccessDeniedException with resource and reason', () => {
    const e = parseAwsError(
      `\nAn error occurred (AccessDeniedException) when calling the SendCommand operation: User: ${ARN} is not authorized to perform: ssm:SendCommand on resource: arn:aws:ec2:us-east-1:111111111111:instance/i-0abc because no identity-based policy allows the ssm:SendCommand action\n`,
    );
    expect(e).toEqual({
      errorCode: 'AccessDeniedException',
      apiOperation: 'SendCommand',
      denied: {
        action: 'ssm:SendCommand',
        resource: 'arn:aws:ec2:us-east-1:111111111111:instance/i-0abc',
        reason: 'no-identity-policy',
        inferred: false,
      },
    });
  });

  it('STS (query/XML) AccessDenied on AssumeRole', () => {
    const e = parseAwsError(
      `\nAn error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::111111111111:user/agent is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/Elevated\n`,
    );
    expect(e.denied).toEqual({
      action: 'sts:AssumeRole',
      resource: 'arn:aws:iam::111111111111:role/Elevated',
      reason: 'unknown',
      inferred: false,
    });
  });

  it('EC2 UnauthorizedOperation (new style: action, no resource, encoded message)', () => {
    const e = parseAwsError(
      `\nAn error occurred (UnauthorizedOperation) when calling the DescribeInstances operation: You are not authorized to perform this operation. User: ${ARN} is not authorized to perform: ec2:DescribeInstances because no identity-based policy allows the ec2:DescribeInstances action. Encoded authorization failure message: AbCdEf123\n`,
    );
    expect(e.errorCode).toBe('UnauthorizedOperation');
    expect(e.denied).toEqual({
      action: 'ec2:DescribeInstances',
      reason: 'no-identity-policy',
      inferred: false,
    });
  });

  it('EC2 UnauthorizedOperation (old style: no action) → inferred from the operation', () => {
    const e = parseAwsError(
      '\nAn error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. Encoded authorization failure message: xyz\n',
      { service: 'ec2', operation: 'run-instances' },
    );
    expect(e.denied).toEqual({ action: 'ec2:RunInstances', reason: 'unknown', inferred: true });
  });

  it('S3 "Access Denied" (no action) → IAM action name mapped (ListObjectsV2 → s3:ListBucket)', () => {
    const e = parseAwsError(
      'fatal error: An error occurred (AccessDenied) when calling the ListObjectsV2 operation: Access Denied\n',
      { service: 's3', operation: 'ls' },
    );
    expect(e.denied).toEqual({ action: 's3:ListBucket', reason: 'unknown', inferred: true });
    const h = parseAwsError('An error occurred (403) when calling the HeadObject operation: Forbidden\n', {
      service: 's3api',
      operation: 'head-object',
    });
    expect(h.denied?.action).toBe('s3:GetObject');
  });

  it('S3 new style with a quoted resource', () => {
    const e = parseAwsError(
      `An error occurred (AccessDenied) when calling the GetObject operation: User: ${ARN} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::my-bucket/key.txt" because no identity-based policy allows the s3:GetObject action\n`,
    );
    expect(e.denied).toMatchObject({ action: 's3:GetObject', resource: 'arn:aws:s3:::my-bucket/key.txt' });
  });

  it('explicit deny in a service control policy / permissions boundary', () => {
    const scp = parseAwsError(
      `An error occurred (AccessDeniedException) when calling the ListFunctions operation: User: ${ARN} is not authorized to perform: lambda:ListFunctions on resource: * with an explicit deny in a service control policy\n`,
    );
    expect(scp.denied).toMatchObject({
      action: 'lambda:ListFunctions',
      resource: '*',
      reason: 'explicit-deny-scp',
    });
    const pb = parseAwsError(
      `An error occurred (AccessDeniedException) when calling the Scan operation: User: ${ARN} is not authorized to perform: dynamodb:Scan on resource: arn:aws:dynamodb:us-east-1:111111111111:table/Orders with an explicit deny in a permissions boundary\n`,
    );
    expect(pb.denied?.reason).toBe('explicit-deny-boundary');
  });

  it('SNS AuthorizationError (upper-case prefix) and KMS "on this resource"', () => {
    const sns = parseAwsError(
      `An error occurred (AuthorizationError) when calling the Publish operation: User: ${ARN} is not authorized to perform: SNS:Publish on resource: arn:aws:sns:us-east-1:111111111111:alerts because no identity-based policy allows the SNS:Publish action\n`,
    );
    expect(sns.denied).toMatchObject({
      action: 'sns:Publish',
      resource: 'arn:aws:sns:us-east-1:111111111111:alerts',
    });
    const kms = parseAwsError(
      `An error occurred (AccessDeniedException) when calling the Decrypt operation: User: ${ARN} is not authorized to perform: kms:Decrypt on this resource because the resource does not exist in this Region, no resource-based policies allow access, or a resource-based policy explicitly denies access\n`,
    );
    expect(kms.denied).toEqual({ action: 'kms:Decrypt', reason: 'no-resource-policy', inferred: false });
  });

  it('non-denied errors carry the code but no denied action', () => {
    const e = parseAwsError(
      '\nAn error occurred (ThrottlingException) when calling the DescribeInstanceInformation operation (reached max retries: 2): Rate exceeded\n',
      { service: 'ssm', operation: 'describe-instance-information' },
    );
    expect(e.errorCode).toBe('ThrottlingException');
    expect(e.denied).toBeUndefined();
    expect(parseAwsError('Unable to locate credentials.\n').errorCode).toBeUndefined();
  });

  it('operationToApiName', () => {
    expect(operationToApiName('get-caller-identity')).toBe('GetCallerIdentity');
  });
});

// The read/write split is AWS's access level (iam-data), no longer a list of verb prefixes: the same
// table as before, classified by the level the Service Authorization Reference gives each action.
describe('classifyAction (by AWS access level)', () => {
  const level = (action: string) => {
    const info = lookupAction(loadCatalog([action]), action);
    return info ? accessLevelOf(info.accessLevel) : null;
  };
  it.each([
    ['ec2:DescribeInstances', 'read'],
    ['s3:GetObject', 'read'],
    ['s3:ListBucket', 'read'],
    ['dynamodb:BatchGetItem', 'read'],
    ['dynamodb:Query', 'read'],
    ['logs:FilterLogEvents', 'read'],
    ['cloudtrail:LookupEvents', 'read'],
    ['ssm:SendCommand', 'write'],
    ['sts:AssumeRole', 'write'],
    ['s3:PutObject', 'write'],
    ['ec2:GetConsoleScreenshot', 'read'],
    ['iam:Listen', 'write'], // not an action at all: unknown level → write (handed off, never granted)
    ['s3:PutBucketPolicy', 'write'], // Permissions management
    ['ec2:CreateTags', 'write'], // Tagging
  ])('%s → %s', (action, cls) => {
    expect(classifyAction(level(action))).toBe(cls);
  });
  it('withAccessLevels fills the level of denied actions from iam-data', () => {
    const [r] = withAccessLevels([
      rec({ denied: { action: 'ssm:SendCommand', reason: 'unknown', inferred: false } }),
    ]);
    expect(r!.denied!.accessLevel).toBe('Write');
  });
});

function rec(p: Partial<ActivityRecord>): ActivityRecord {
  return {
    time: '2026-11-24T10:00:00.000Z',
    sessionId: 's1',
    tier: 'readonly',
    profile: 'claudecode-readonly',
    service: 'ssm',
    operation: 'x',
    flags: [],
    exitCode: 254,
    durationMs: 100,
    ...p,
  };
}

describe('buildPolicyHints', () => {
  const records = [
    rec({
      denied: { action: 'ec2:DescribeInstances', reason: 'no-identity-policy', inferred: false },
      service: 'ec2',
    }),
    rec({
      denied: {
        action: 'logs:GetLogEvents',
        resource: 'arn:aws:logs:us-east-1:1:log-group:/app:*',
        reason: 'unknown',
        inferred: false,
      },
    }),
    rec({
      denied: {
        action: 'logs:FilterLogEvents',
        resource: 'arn:aws:logs:us-east-1:1:log-group:/app:*',
        reason: 'unknown',
        inferred: false,
      },
    }),
    rec({
      denied: {
        action: 'ssm:SendCommand',
        resource: 'arn:aws:ec2:us-east-1:1:instance/i-1',
        reason: 'no-identity-policy',
        inferred: false,
      },
      operation: 'send-command',
    }),
    rec({
      denied: {
        action: 'ssm:SendCommand',
        resource: 'arn:aws:ec2:us-east-1:1:instance/i-1',
        reason: 'no-identity-policy',
        inferred: false,
      },
      time: '2026-11-24T11:00:00.000Z',
      operation: 'send-command',
    }),
    rec({ denied: { action: 'secretsmanager:GetSecretValue', reason: 'unknown', inferred: false } }),
    rec({
      denied: { action: 'lambda:ListFunctions', resource: '*', reason: 'explicit-deny-scp', inferred: false },
    }),
    rec({
      tier: 'elevated',
      denied: {
        action: 'ecs:UpdateService',
        resource: 'arn:aws:ecs:us-east-1:1:service/c/web',
        reason: 'unknown',
        inferred: false,
      },
    }),
    rec({ exitCode: 0 }),
  ];
  const hints = buildPolicyHints(withAccessLevels(records));
  const ro = hints.tiers.find((t) => t.tier === 'readonly')!;
  const el = hints.tiers.find((t) => t.tier === 'elevated')!;

  it('groups read actions by identical resource sets into read-only statements', () => {
    expect(ro.statements).toEqual([
      { Sid: 'ElevateReadOnlyHints', Effect: 'Allow', Action: ['ec2:DescribeInstances'], Resource: '*' },
      {
        Sid: 'ElevateReadOnlyHints2',
        Effect: 'Allow',
        Action: ['logs:FilterLogEvents', 'logs:GetLogEvents'],
        Resource: 'arn:aws:logs:us-east-1:1:log-group:/app:*',
      },
    ]);
  });

  it('a write denied under read-only is a handoff, suggested for the elevated role, not the read-only one', () => {
    expect(ro.handoff.map((e) => e.action)).toEqual(['ssm:SendCommand']);
    expect(ro.handoff[0]!.count).toBe(2);
    expect(ro.handoff[0]!.lastSeen).toBe('2026-11-24T11:00:00.000Z');
    expect(ro.statements.flatMap((s) => s.Action)).not.toContain('ssm:SendCommand');
    expect(hints.elevatedForHandoff).toEqual([
      {
        Sid: 'ElevateHandoffWrites',
        Effect: 'Allow',
        Action: ['ssm:SendCommand'],
        Resource: 'arn:aws:ec2:us-east-1:1:instance/i-1',
      },
    ]);
  });

  it('sensitive reads and explicit denies are reported apart, never granted', () => {
    expect(ro.sensitive.map((e) => e.action)).toEqual(['secretsmanager:GetSecretValue']);
    expect(ro.explicit.map((e) => e.action)).toEqual(['lambda:ListFunctions']);
    const granted = ro.statements.flatMap((s) => s.Action);
    expect(granted).not.toContain('secretsmanager:GetSecretValue');
    expect(granted).not.toContain('lambda:ListFunctions');
  });

  it('elevated tier: writes become its own statement', () => {
    expect(el.statements).toEqual([
      {
        Sid: 'ElevateElevatedHints',
        Effect: 'Allow',
        Action: ['ecs:UpdateService'],
        Resource: 'arn:aws:ecs:us-east-1:1:service/c/web',
      },
    ]);
    expect(el.handoff).toEqual([]);
  });
});

describe('records and payloads', () => {
  it('buildActivityRecord parses only failed calls and never keeps values or output', () => {
    const r = buildActivityRecord({
      argv: ['ssm', 'send-command', '--parameters', 'commands=echo S3CR3T', '--instance-ids', 'i-1'],
      start: new Date('2026-11-24T10:00:00Z'),
      durationMs: 812.4,
      exitCode: 254,
      stderrTail:
        'An error occurred (AccessDeniedException) when calling the SendCommand operation: User: x is not authorized to perform: ssm:SendCommand on resource: arn:aws:ssm:us-east-1::document/AWS-RunShellScript\n',
      sessionId: 's1',
      tier: 'readonly',
      profile: 'ro',
    });
    expect(r).toEqual({
      time: '2026-11-24T10:00:00.000Z',
      sessionId: 's1',
      tier: 'readonly',
      profile: 'ro',
      service: 'ssm',
      operation: 'send-command',
      flags: ['--parameters', '--instance-ids'],
      exitCode: 254,
      durationMs: 812,
      errorCode: 'AccessDeniedException',
      denied: {
        action: 'ssm:SendCommand',
        resource: 'arn:aws:ssm:us-east-1::document/AWS-RunShellScript',
        reason: 'unknown',
        inferred: false,
      },
    });
    expect(JSON.stringify(r)).not.toContain('S3CR3T');
  });

  it('parseShimPayload reads the NUL-separated payload of the perl shim', () => {
    const buf = Buffer.from(
      [PAYLOAD_MAGIC, '1700000000000.500', '12.250', '254', '0', '3', 'ssm', 'send-command', ''].join('\0') +
        '\0An error occurred (X)\n',
    );
    expect(parseShimPayload(buf)).toEqual({
      startMs: 1700000000000.5,
      durationMs: 12.25,
      exitCode: 254,
      signal: null,
      argv: ['ssm', 'send-command', ''],
      stderrTail: 'An error occurred (X)\n',
    });
    const sig = Buffer.from([PAYLOAD_MAGIC, '1', '2', '', '15', '0'].join('\0') + '\0');
    expect(parseShimPayload(sig)).toMatchObject({ exitCode: null, signal: 'SIGTERM', argv: [] });
    expect(parseShimPayload(Buffer.from('garbage\0'))).toBeNull();
  });

  it('parseActivityLog skips torn lines', () => {
    const text = `${JSON.stringify(rec({}))}\n{"time": "2026-11-2\n${JSON.stringify(rec({ sessionId: 's2' }))}\n`;
    expect(parseActivityLog(text).map((r) => r.sessionId)).toEqual(['s1', 's2']);
  });
});
