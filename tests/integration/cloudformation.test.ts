// The local endpoint's CloudFormation (tests/helpers/cloudformation.ts) through the real AWS SDK v3 client
// and the real AWS CLI v2 (/usr/bin/aws), both signing with SigV4: create, poll, events, outputs,
// "No updates are to be performed", missing capabilities, parameter validation, a failing resource that
// rolls back with events, and the roles a stack defines reaching the endpoint's STS (MFA).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { awsTestEnv, startAwsServer, type AwsServer } from '../helpers/awsServer';

const execFileP = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const LAPTOP = readFileSync(join(ROOT, 'infra', 'laptop.yaml'), 'utf8');
const WORKSTATION = readFileSync(join(ROOT, 'infra', 'workstation.yaml'), 'utf8');
const KEY = {
  accessKeyId: 'AKIACFNTESTOPERATOR1',
  secretAccessKey: 'cfn-secret-cfn-secret-cfn-secret-000001',
  arn: 'arn:aws:iam::222222222222:user/alice',
};
const OPERATOR = [{ ParameterKey: 'OperatorPrincipalArn', ParameterValue: KEY.arn }];
const AWS_CLI = '/usr/bin/aws';

let aws: AwsServer;
let cfn: CloudFormationClient;

beforeEach(async () => {
  aws = await startAwsServer({ staticKeys: [KEY] });
  cfn = new CloudFormationClient({
    region: 'eu-west-1',
    endpoint: aws.url,
    credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey: KEY.secretAccessKey },
  });
});
afterEach(async () => {
  cfn.destroy();
  await aws.close();
});

async function waitFor(name: string): Promise<Stack> {
  for (let i = 0; i < 100; i++) {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: name }));
    const s = Stacks![0]!;
    if (!s.StackStatus!.endsWith('_IN_PROGRESS')) return s;
  }
  throw new Error('stack never settled');
}

describe('CloudFormation on the local endpoint (SDK v3)', () => {
  it('CreateStack → progress over polls → CREATE_COMPLETE with outputs; events newest first; roles reach STS', async () => {
    const { StackId } = await cfn.send(
      new CreateStackCommand({
        StackName: 'elevate-laptop',
        TemplateBody: LAPTOP,
        Parameters: OPERATOR,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    expect(StackId).toMatch(/^arn:aws:cloudformation:eu-west-1:222222222222:stack\/elevate-laptop\//);
    const first = await cfn.send(new DescribeStacksCommand({ StackName: 'elevate-laptop' }));
    expect(first.Stacks![0]!.StackStatus).toBe('CREATE_IN_PROGRESS');
    expect(first.Stacks![0]!.Outputs ?? []).toEqual([]);
    const done = await waitFor('elevate-laptop');
    expect(done.StackStatus).toBe('CREATE_COMPLETE');
    const outputs = Object.fromEntries(done.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs).toMatchObject({
      ReadOnlyRoleArn: 'arn:aws:iam::222222222222:role/claudecode-laptop-readonly',
      ElevatedRoleArn: 'arn:aws:iam::222222222222:role/claudecode-laptop-elevated',
    });
    expect(done.Parameters).toContainEqual({ ParameterKey: 'OperatorPrincipalArn', ParameterValue: KEY.arn });
    expect(done.Capabilities).toEqual(['CAPABILITY_NAMED_IAM']);

    const { StackEvents } = await cfn.send(new DescribeStackEventsCommand({ StackName: 'elevate-laptop' }));
    const ev = StackEvents!;
    expect(ev[0]).toMatchObject({ LogicalResourceId: 'elevate-laptop', ResourceStatus: 'CREATE_COMPLETE' });
    expect(ev.at(-1)).toMatchObject({
      ResourceStatus: 'CREATE_IN_PROGRESS',
      ResourceStatusReason: 'User Initiated',
    });
    const completed = ev
      .filter((e) => e.ResourceStatus === 'CREATE_COMPLETE')
      .map((e) => e.LogicalResourceId);
    expect(completed).toEqual(
      expect.arrayContaining(['BedrockPolicy', 'ReadOnlyRole', 'ElevatedRole', 'ReadOnlyMayNotElevate']),
    );
    // dependencies first: the Bedrock policy before the roles, the read-only role before the elevated one
    const order = [...completed].reverse();
    expect(order.indexOf('BedrockPolicy')).toBeLessThan(order.indexOf('ReadOnlyRole'));
    expect(order.indexOf('ReadOnlyRole')).toBeLessThan(order.indexOf('ElevatedRole'));

    expect(aws.cloudformation.roles().map((r) => [r.name, r.mfaRequired])).toEqual([
      ['claudecode-laptop-readonly', false],
      ['claudecode-laptop-elevated', true],
    ]);
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: aws.url,
      credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey: KEY.secretAccessKey },
    });
    try {
      await expect(
        sts.send(
          new AssumeRoleCommand({ RoleArn: outputs.ElevatedRoleArn, RoleSessionName: 'claude-elevated' }),
        ),
      ).rejects.toMatchObject({ name: 'AccessDenied' });
      const ok = await sts.send(
        new AssumeRoleCommand({
          RoleArn: outputs.ElevatedRoleArn,
          RoleSessionName: 'claude-elevated',
          SerialNumber: 'arn:aws:iam::222222222222:mfa/alice',
          TokenCode: '123456',
        }),
      );
      expect(ok.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    } finally {
      sts.destroy();
    }
  });

  it('UpdateStack: same template and parameters → ValidationError "No updates are to be performed."; a change → UPDATE_COMPLETE', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: 's1',
        TemplateBody: LAPTOP,
        Parameters: OPERATOR,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    // while in progress an update is refused
    await expect(
      cfn.send(
        new UpdateStackCommand({
          StackName: 's1',
          TemplateBody: LAPTOP,
          Parameters: OPERATOR,
          Capabilities: ['CAPABILITY_NAMED_IAM'],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('CREATE_IN_PROGRESS state'),
    });
    await waitFor('s1');
    await expect(
      cfn.send(
        new UpdateStackCommand({
          StackName: 's1',
          TemplateBody: LAPTOP,
          Parameters: OPERATOR,
          Capabilities: ['CAPABILITY_NAMED_IAM'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError', message: 'No updates are to be performed.' });
    await cfn.send(
      new UpdateStackCommand({
        StackName: 's1',
        TemplateBody: LAPTOP,
        Parameters: [
          ...OPERATOR,
          {
            ParameterKey: 'BedrockModelResource',
            ParameterValue: 'arn:aws:bedrock:*::foundation-model/anthropic.*',
          },
        ],
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    expect((await waitFor('s1')).StackStatus).toBe('UPDATE_COMPLETE');
  });

  it('errors: missing CAPABILITY_NAMED_IAM, missing/invalid parameters, unknown stack, duplicate name', async () => {
    await expect(
      cfn.send(new CreateStackCommand({ StackName: 's2', TemplateBody: LAPTOP, Parameters: OPERATOR })),
    ).rejects.toMatchObject({
      name: 'InsufficientCapabilitiesException',
      message: 'Requires capabilities : [CAPABILITY_NAMED_IAM]',
    });
    await expect(
      cfn.send(
        new CreateStackCommand({
          StackName: 's2',
          TemplateBody: LAPTOP,
          Capabilities: ['CAPABILITY_NAMED_IAM'],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Parameters: [OperatorPrincipalArn] must have values',
    });
    await expect(
      cfn.send(
        new CreateStackCommand({
          StackName: 's2',
          TemplateBody: LAPTOP,
          Parameters: [
            {
              ParameterKey: 'OperatorPrincipalArn',
              ParameterValue: 'arn:aws:sts::222222222222:assumed-role/x/y',
            },
          ],
          Capabilities: ['CAPABILITY_NAMED_IAM'],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining("Parameter 'OperatorPrincipalArn' must match pattern"),
    });
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'nope' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id nope does not exist',
    });
    const create = () =>
      cfn.send(
        new CreateStackCommand({
          StackName: 's3',
          TemplateBody: LAPTOP,
          Parameters: OPERATOR,
          Capabilities: ['CAPABILITY_NAMED_IAM'],
        }),
      );
    await create();
    await expect(create()).rejects.toMatchObject({ name: 'AlreadyExistsException' });
    expect(aws.requests.filter((r) => r.action === 'CreateStack').map((r) => r.errorCode)).toEqual([
      'InsufficientCapabilitiesException',
      'ValidationError',
      'ValidationError',
      undefined,
      'AlreadyExistsException',
    ]);
  });

  it('failResource: the create fails there, rolls back with events (ROLLBACK_COMPLETE), defines no role and cannot be updated', async () => {
    aws.cloudformation.failResource(
      'ElevatedRole',
      'Resource handler returned message: "User is not authorized to perform: iam:CreateRole"',
    );
    await cfn.send(
      new CreateStackCommand({
        StackName: 'bad',
        TemplateBody: LAPTOP,
        Parameters: OPERATOR,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    const s = await waitFor('bad');
    expect(s.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(s.StackStatusReason).toBe(
      'The following resource(s) failed to create: [ElevatedRole]. Rollback requested by user.',
    );
    const { StackEvents } = await cfn.send(new DescribeStackEventsCommand({ StackName: 'bad' }));
    const failed = StackEvents!.find((e) => e.ResourceStatus === 'CREATE_FAILED')!;
    expect(failed).toMatchObject({ LogicalResourceId: 'ElevatedRole', ResourceType: 'AWS::IAM::Role' });
    expect(failed.ResourceStatusReason).toContain('iam:CreateRole');
    expect(StackEvents!.map((e) => e.ResourceStatus)).toEqual(
      expect.arrayContaining(['ROLLBACK_IN_PROGRESS', 'DELETE_COMPLETE', 'ROLLBACK_COMPLETE']),
    );
    expect(aws.cloudformation.roles()).toEqual([]);
    await expect(
      cfn.send(
        new UpdateStackCommand({
          StackName: 'bad',
          TemplateBody: LAPTOP,
          Parameters: OPERATOR,
          Capabilities: ['CAPABILITY_NAMED_IAM'],
        }),
      ),
    ).rejects.toMatchObject({
      message: expect.stringContaining('ROLLBACK_COMPLETE state and can not be updated'),
    });
  });

  it('a request signed for the wrong secret is refused (SignatureDoesNotMatch)', async () => {
    const bad = new CloudFormationClient({
      region: 'eu-west-1',
      endpoint: aws.url,
      credentials: {
        accessKeyId: KEY.accessKeyId,
        secretAccessKey: 'wrong-wrong-wrong-wrong-wrong-wrong-0000',
      },
    });
    try {
      await expect(bad.send(new DescribeStacksCommand({}))).rejects.toMatchObject({
        name: 'SignatureDoesNotMatch',
      });
    } finally {
      bad.destroy();
    }
  });

  it('the workstation template deploys too (SSM parameter types, conditions, UserData with ${} outputs)', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: 'ws',
        TemplateBody: WORKSTATION,
        Parameters: [
          { ParameterKey: 'VpcId', ParameterValue: 'vpc-0123' },
          { ParameterKey: 'SubnetId', ParameterValue: 'subnet-0123' },
          { ParameterKey: 'OperatorPrincipalArn', ParameterValue: 'arn:aws:iam::222222222222:user/alice' },
        ],
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    const s = await waitFor('ws');
    expect(s.StackStatus).toBe('CREATE_COMPLETE');
    expect(s.Outputs!.find((o) => o.OutputKey === 'ReadOnlyRoleArn')?.OutputValue).toBe(
      'arn:aws:iam::222222222222:role/claudecode-readonly',
    );
  });
});

describe.skipIf(!existsSync(AWS_CLI))(
  'CloudFormation on the local endpoint (AWS CLI v2 at /usr/bin/aws) (skipped: no /usr/bin/aws)',
  () => {
    const env = () => ({
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: '/nonexistent',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      ...awsTestEnv(aws),
      AWS_ACCESS_KEY_ID: KEY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey,
    });

    it('create-stack, describe-stacks (until complete), describe-stack-events, and the CLI error of a no-op update', async () => {
      aws.cloudformation.setStepsPerPoll(100); // each aws start-up costs seconds: settle on the first poll
      const { stdout } = await execFileP(
        AWS_CLI,
        [
          'cloudformation',
          '--endpoint-url',
          aws.url,
          'create-stack',
          '--stack-name',
          'cli-stack',
          '--template-body',
          `file://${join(ROOT, 'infra', 'laptop.yaml')}`,
          '--parameters',
          `ParameterKey=OperatorPrincipalArn,ParameterValue=${KEY.arn}`,
          '--capabilities',
          'CAPABILITY_NAMED_IAM',
          '--output',
          'json',
        ],
        { env: env(), timeout: 60_000 },
      );
      expect((JSON.parse(stdout) as { StackId: string }).StackId).toContain(':stack/cli-stack/');
      let status = '';
      for (let i = 0; i < 30 && !status.endsWith('_COMPLETE'); i++) {
        const r = await execFileP(
          AWS_CLI,
          [
            'cloudformation',
            '--endpoint-url',
            aws.url,
            'describe-stacks',
            '--stack-name',
            'cli-stack',
            '--output',
            'json',
          ],
          { env: env(), timeout: 60_000 },
        );
        const st = (
          JSON.parse(r.stdout) as { Stacks: { StackStatus: string; Outputs?: { OutputKey: string }[] }[] }
        ).Stacks[0]!;
        status = st.StackStatus;
        if (status === 'CREATE_COMPLETE')
          expect(st.Outputs!.map((o) => o.OutputKey)).toContain('ElevatedRoleArn');
      }
      expect(status).toBe('CREATE_COMPLETE');
      const ev = await execFileP(
        AWS_CLI,
        [
          'cloudformation',
          '--endpoint-url',
          aws.url,
          'describe-stack-events',
          '--stack-name',
          'cli-stack',
          '--output',
          'json',
        ],
        { env: env(), timeout: 60_000 },
      );
      const events = (JSON.parse(ev.stdout) as { StackEvents: { ResourceStatus: string }[] }).StackEvents;
      expect(events[0]!.ResourceStatus).toBe('CREATE_COMPLETE');
      const upd = await execFileP(
        AWS_CLI,
        [
          'cloudformation',
          '--endpoint-url',
          aws.url,
          'update-stack',
          '--stack-name',
          'cli-stack',
          '--template-body',
          `file://${join(ROOT, 'infra', 'laptop.yaml')}`,
          '--parameters',
          `ParameterKey=OperatorPrincipalArn,ParameterValue=${KEY.arn}`,
          '--capabilities',
          'CAPABILITY_NAMED_IAM',
        ],
        { env: env(), timeout: 60_000 },
      ).then(
        () => undefined,
        (e: { stderr: string; code: number }) => e,
      );
      expect(upd?.code).toBe(254);
      expect(upd?.stderr).toContain(
        '(ValidationError) when calling the UpdateStack operation: No updates are to be performed.',
      );
    }, 120_000);
  },
);
