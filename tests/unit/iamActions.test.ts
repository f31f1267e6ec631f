// The command → IAM action model on real aws CLI v2 command lines. Expected actions are written by hand
// from AWS's Service Authorization Reference (docs.aws.amazon.com/service-authorization/latest/reference)
// and the S3 "Actions, resources and condition keys" / API-to-permission pages; access levels come from
// iam-data (the same reference as JSON) and a sample is pinned below.
import { describe, expect, it } from 'vitest';
import { parseAwsCommand } from '../../shared/iam/awsArgv';
import { commandActions, resolveActions, EXCEPTIONS } from '../../shared/iam/actions';
import { scanShell } from '../../shared/iam/shell';
import { loadCatalog } from '../../electron/node/iam/catalog';

function actionsOf(line: string) {
  const scan = scanShell(line);
  expect(scan.problems).toEqual([]);
  expect(scan.calls).toHaveLength(1);
  const req = commandActions(parseAwsCommand(scan.calls[0]!.argv));
  const resolved = resolveActions(req.actions, loadCatalog(req.actions.map((a) => a.action)));
  return { req, resolved };
}

// [command line, expected IAM actions in order]
const TABLE: Array<[string, string[]]> = [
  // s3 high-level
  ['aws s3 ls', ['s3:ListAllMyBuckets']],
  ['aws s3 ls s3://my-bucket/logs/', ['s3:ListBucket']],
  ['aws s3 mb s3://new-bucket --region eu-west-1', ['s3:CreateBucket']],
  ['aws s3 rb s3://old-bucket', ['s3:DeleteBucket']],
  ['aws s3 rb s3://old-bucket --force', ['s3:ListBucket', 's3:DeleteObject', 's3:DeleteBucket']],
  ['aws s3 cp ./a.txt s3://b/a.txt', ['s3:PutObject']],
  ['aws s3 cp s3://b/a.txt ./a.txt', ['s3:GetObject']],
  ['aws s3 cp s3://src/a s3://dst/a', ['s3:GetObject', 's3:PutObject']],
  ['aws s3 cp --recursive ./dist s3://site/', ['s3:PutObject']],
  ['aws s3 cp s3://b/dir/ ./local --recursive', ['s3:ListBucket', 's3:GetObject']],
  ['aws s3 cp index.html s3://site/index.html --acl public-read', ['s3:PutObject', 's3:PutObjectAcl']],
  ['aws s3 mv s3://b/old.txt s3://b/new.txt', ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']],
  ['aws s3 mv ./x s3://b/x', ['s3:PutObject']],
  ['aws s3 rm s3://b/tmp.txt', ['s3:DeleteObject']],
  ['aws s3 rm s3://b/tmp/ --recursive', ['s3:ListBucket', 's3:DeleteObject']],
  ['aws s3 sync ./build s3://site', ['s3:ListBucket', 's3:PutObject']],
  ['aws s3 sync s3://site ./backup', ['s3:ListBucket', 's3:GetObject']],
  ['aws s3 sync ./build s3://site --delete', ['s3:ListBucket', 's3:PutObject', 's3:DeleteObject']],
  ['aws s3 presign s3://b/report.pdf --expires-in 600', ['s3:GetObject']],
  ['aws s3 website s3://site --index-document index.html', ['s3:PutBucketWebsite']],
  // s3api
  ['aws s3api list-buckets', ['s3:ListAllMyBuckets']],
  ['aws s3api list-objects-v2 --bucket b --prefix logs/', ['s3:ListBucket']],
  ['aws s3api list-objects --bucket b', ['s3:ListBucket']],
  ['aws s3api list-object-versions --bucket b', ['s3:ListBucketVersions']],
  ['aws s3api head-object --bucket b --key k', ['s3:GetObject']],
  ['aws s3api head-bucket --bucket b', ['s3:ListBucket']],
  ['aws s3api get-object --bucket b --key k out.bin', ['s3:GetObject']],
  ['aws s3api put-object --bucket b --key k --body f.txt', ['s3:PutObject']],
  ['aws s3api delete-object --bucket b --key k', ['s3:DeleteObject']],
  ['aws s3api delete-objects --bucket b --delete file://d.json', ['s3:DeleteObject']],
  ['aws s3api copy-object --bucket b --key k2 --copy-source b/k1', ['s3:PutObject', 's3:GetObject']],
  ['aws s3api create-bucket --bucket b', ['s3:CreateBucket']],
  ['aws s3api get-bucket-policy --bucket b', ['s3:GetBucketPolicy']],
  ['aws s3api put-bucket-policy --bucket b --policy file://p.json', ['s3:PutBucketPolicy']],
  ['aws s3api delete-bucket-policy --bucket b', ['s3:DeleteBucketPolicy']],
  ['aws s3api get-bucket-encryption --bucket b', ['s3:GetEncryptionConfiguration']],
  [
    'aws s3api put-bucket-versioning --bucket b --versioning-configuration Status=Enabled',
    ['s3:PutBucketVersioning'],
  ],
  ['aws s3api get-bucket-lifecycle-configuration --bucket b', ['s3:GetLifecycleConfiguration']],
  [
    'aws s3api put-public-access-block --bucket b --public-access-block-configuration BlockPublicAcls=true',
    ['s3:PutBucketPublicAccessBlock'],
  ],
  ['aws s3api get-bucket-cors --bucket b', ['s3:GetBucketCORS']],
  ['aws s3api put-bucket-tagging --bucket b --tagging file://t.json', ['s3:PutBucketTagging']],
  ['aws s3api create-multipart-upload --bucket b --key big', ['s3:PutObject']],
  ['aws s3api list-multipart-uploads --bucket b', ['s3:ListBucketMultipartUploads']],
  ['aws s3api get-bucket-location --bucket b', ['s3:GetBucketLocation']],
  // ec2
  ['aws ec2 describe-instances --filters Name=tag:env,Values=prod', ['ec2:DescribeInstances']],
  ['aws ec2 describe-security-groups --group-ids sg-1', ['ec2:DescribeSecurityGroups']],
  ['aws ec2 run-instances --image-id ami-1 --instance-type t3.micro --count 1', ['ec2:RunInstances']],
  ['aws ec2 terminate-instances --instance-ids i-1 i-2', ['ec2:TerminateInstances']],
  ['aws ec2 stop-instances --instance-ids i-1', ['ec2:StopInstances']],
  ['aws ec2 start-instances --instance-ids i-1', ['ec2:StartInstances']],
  ['aws ec2 create-tags --resources i-1 --tags Key=a,Value=b', ['ec2:CreateTags']],
  [
    'aws ec2 authorize-security-group-ingress --group-id sg-1 --protocol tcp --port 22 --cidr 0.0.0.0/0',
    ['ec2:AuthorizeSecurityGroupIngress'],
  ],
  ['aws ec2 describe-vpcs', ['ec2:DescribeVpcs']],
  ['aws ec2 create-snapshot --volume-id vol-1', ['ec2:CreateSnapshot']],
  ['aws ec2 wait instance-running --instance-ids i-1', ['ec2:DescribeInstances']],
  ['aws ec2 get-console-output --instance-id i-1', ['ec2:GetConsoleOutput']],
  // iam
  ['aws iam list-users', ['iam:ListUsers']],
  ['aws iam get-role --role-name app', ['iam:GetRole']],
  ['aws iam create-role --role-name app --assume-role-policy-document file://t.json', ['iam:CreateRole']],
  [
    'aws iam attach-role-policy --role-name app --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess',
    ['iam:AttachRolePolicy'],
  ],
  [
    'aws iam put-role-policy --role-name app --policy-name p --policy-document file://p.json',
    ['iam:PutRolePolicy'],
  ],
  ['aws iam create-access-key --user-name bob', ['iam:CreateAccessKey']],
  ['aws iam list-attached-role-policies --role-name app', ['iam:ListAttachedRolePolicies']],
  ['aws iam tag-role --role-name app --tags Key=a,Value=b', ['iam:TagRole']],
  // sts
  ['aws sts get-caller-identity', ['sts:GetCallerIdentity']],
  ['aws sts assume-role --role-arn arn:aws:iam::1:role/x --role-session-name s', ['sts:AssumeRole']],
  // lambda
  ['aws lambda list-functions', ['lambda:ListFunctions']],
  ['aws lambda get-function --function-name f', ['lambda:GetFunction']],
  ['aws lambda invoke --function-name f out.json', ['lambda:InvokeFunction']],
  [
    'aws lambda update-function-code --function-name f --zip-file fileb://f.zip',
    ['lambda:UpdateFunctionCode'],
  ],
  ['aws lambda delete-function --function-name f', ['lambda:DeleteFunction']],
  [
    'aws lambda add-permission --function-name f --statement-id s --action lambda:InvokeFunction --principal s3.amazonaws.com',
    ['lambda:AddPermission'],
  ],
  // dynamodb
  ['aws dynamodb list-tables', ['dynamodb:ListTables']],
  ['aws dynamodb describe-table --table-name t', ['dynamodb:DescribeTable']],
  ['aws dynamodb scan --table-name t', ['dynamodb:Scan']],
  ['aws dynamodb query --table-name t --key-condition-expression "pk = :v"', ['dynamodb:Query']],
  ['aws dynamodb put-item --table-name t --item file://i.json', ['dynamodb:PutItem']],
  ['aws dynamodb delete-table --table-name t', ['dynamodb:DeleteTable']],
  ['aws dynamodb batch-write-item --request-items file://r.json', ['dynamodb:BatchWriteItem']],
  // logs
  ['aws logs describe-log-groups', ['logs:DescribeLogGroups']],
  [
    'aws logs filter-log-events --log-group-name /aws/lambda/f --filter-pattern ERROR',
    ['logs:FilterLogEvents'],
  ],
  ['aws logs tail /aws/lambda/f --follow', ['logs:FilterLogEvents']],
  ['aws logs delete-log-group --log-group-name /aws/lambda/f', ['logs:DeleteLogGroup']],
  ['aws logs put-retention-policy --log-group-name g --retention-in-days 7', ['logs:PutRetentionPolicy']],
  // cloudformation
  ['aws cloudformation describe-stacks --stack-name s', ['cloudformation:DescribeStacks']],
  ['aws cloudformation list-stacks', ['cloudformation:ListStacks']],
  ['aws cloudformation delete-stack --stack-name s', ['cloudformation:DeleteStack']],
  [
    'aws cloudformation create-stack --stack-name s --template-body file://t.yaml',
    ['cloudformation:CreateStack'],
  ],
  [
    'aws cloudformation deploy --template-file t.yaml --stack-name s',
    [
      'cloudformation:DescribeStacks',
      'cloudformation:CreateChangeSet',
      'cloudformation:DescribeChangeSet',
      'cloudformation:ExecuteChangeSet',
    ],
  ],
  // ssm
  ['aws ssm get-parameter --name /app/db --with-decryption', ['ssm:GetParameter']],
  ['aws ssm put-parameter --name /app/x --value v --type String --overwrite', ['ssm:PutParameter']],
  [
    'aws ssm send-command --instance-ids i-1 --document-name AWS-RunShellScript --parameters commands=ls',
    ['ssm:SendCommand'],
  ],
  ['aws ssm start-session --target i-1', ['ssm:StartSession']],
  ['aws ssm describe-instance-information', ['ssm:DescribeInstanceInformation']],
  // secretsmanager
  ['aws secretsmanager list-secrets', ['secretsmanager:ListSecrets']],
  ['aws secretsmanager get-secret-value --secret-id prod/db', ['secretsmanager:GetSecretValue']],
  ['aws secretsmanager create-secret --name x --secret-string s', ['secretsmanager:CreateSecret']],
  [
    'aws secretsmanager delete-secret --secret-id x --force-delete-without-recovery',
    ['secretsmanager:DeleteSecret'],
  ],
  // kms
  ['aws kms list-keys', ['kms:ListKeys']],
  ['aws kms describe-key --key-id alias/app', ['kms:DescribeKey']],
  ['aws kms schedule-key-deletion --key-id 1234 --pending-window-in-days 7', ['kms:ScheduleKeyDeletion']],
  ['aws kms decrypt --ciphertext-blob fileb://c.bin', ['kms:Decrypt']],
  // sqs / sns
  ['aws sqs list-queues', ['sqs:ListQueues']],
  [
    'aws sqs send-message --queue-url https://sqs.us-east-1.amazonaws.com/123456789012/q --message-body hi',
    ['sqs:SendMessage'],
  ],
  [
    'aws sqs receive-message --queue-url https://sqs.us-east-1.amazonaws.com/123456789012/q',
    ['sqs:ReceiveMessage'],
  ],
  ['aws sqs purge-queue --queue-url https://sqs.us-east-1.amazonaws.com/123456789012/q', ['sqs:PurgeQueue']],
  ['aws sns list-topics', ['sns:ListTopics']],
  ['aws sns publish --topic-arn arn:aws:sns:us-east-1:123456789012:t --message hi', ['sns:Publish']],
  [
    'aws sns subscribe --topic-arn arn:aws:sns:us-east-1:1:t --protocol email --notification-endpoint a@b.c',
    ['sns:Subscribe'],
  ],
  // ecr / ecs / eks
  ['aws ecr describe-repositories', ['ecr:DescribeRepositories']],
  ['aws ecr get-login-password --region us-east-1', ['ecr:GetAuthorizationToken']],
  ['aws ecr delete-repository --repository-name app --force', ['ecr:DeleteRepository']],
  ['aws ecs list-clusters', ['ecs:ListClusters']],
  ['aws ecs update-service --cluster c --service web --desired-count 2', ['ecs:UpdateService']],
  ['aws ecs describe-services --cluster c --services web', ['ecs:DescribeServices']],
  ['aws eks list-clusters', ['eks:ListClusters']],
  ['aws eks update-kubeconfig --name prod', ['eks:DescribeCluster']],
  // rds
  ['aws rds describe-db-instances', ['rds:DescribeDBInstances']],
  ['aws rds delete-db-instance --db-instance-identifier db1 --skip-final-snapshot', ['rds:DeleteDBInstance']],
  [
    'aws rds create-db-snapshot --db-instance-identifier db1 --db-snapshot-identifier s1',
    ['rds:CreateDBSnapshot'],
  ],
  // route53, cloudfront, cloudwatch, cloudtrail, elbv2, stepfunctions, bedrock, apigateway, organizations
  ['aws route53 list-hosted-zones', ['route53:ListHostedZones']],
  [
    'aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch file://c.json',
    ['route53:ChangeResourceRecordSets'],
  ],
  ['aws cloudfront create-invalidation --distribution-id E1 --paths "/*"', ['cloudfront:CreateInvalidation']],
  [
    'aws cloudwatch get-metric-statistics --namespace AWS/EC2 --metric-name CPUUtilization',
    ['cloudwatch:GetMetricStatistics'],
  ],
  [
    'aws cloudwatch put-metric-alarm --alarm-name a --metric-name m --namespace n',
    ['cloudwatch:PutMetricAlarm'],
  ],
  ['aws cloudtrail lookup-events --max-results 5', ['cloudtrail:LookupEvents']],
  ['aws elbv2 describe-load-balancers', ['elasticloadbalancing:DescribeLoadBalancers']],
  [
    'aws elbv2 delete-load-balancer --load-balancer-arn arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1',
    ['elasticloadbalancing:DeleteLoadBalancer'],
  ],
  [
    'aws stepfunctions start-execution --state-machine-arn arn:aws:states:us-east-1:1:stateMachine:m',
    ['states:StartExecution'],
  ],
  ['aws stepfunctions list-state-machines', ['states:ListStateMachines']],
  ['aws bedrock list-foundation-models', ['bedrock:ListFoundationModels']],
  [
    'aws bedrock-runtime invoke-model --model-id anthropic.claude out.json --body file://b.json',
    ['bedrock:InvokeModel'],
  ],
  [
    'aws bedrock-runtime converse --model-id anthropic.claude --messages file://m.json',
    ['bedrock:InvokeModel'],
  ],
  ['aws apigateway get-rest-apis', ['apigateway:GET']],
  ['aws apigateway create-deployment --rest-api-id a --stage-name prod', ['apigateway:POST']],
  ['aws apigateway delete-rest-api --rest-api-id a', ['apigateway:DELETE']],
  ['aws organizations list-accounts', ['organizations:ListAccounts']],
  ['aws configservice describe-config-rules', ['config:DescribeConfigRules']],
  ['aws events put-rule --name r --schedule-expression "rate(5 minutes)"', ['events:PutRule']],
  ['aws kinesis put-record --stream-name s --partition-key k --data aGk=', ['kinesis:PutRecord']],
  ['aws efs describe-file-systems', ['elasticfilesystem:DescribeFileSystems']],
  ['aws emr list-clusters', ['elasticmapreduce:ListClusters']],
  ['aws resourcegroupstaggingapi get-resources', ['tag:GetResources']],
  ['aws codebuild start-build --project-name p', ['codebuild:StartBuild']],
  ['aws glue get-tables --database-name d', ['glue:GetTables']],
  ['aws athena start-query-execution --query-string "SELECT 1"', ['athena:StartQueryExecution']],
  ['aws acm list-certificates', ['acm:ListCertificates']],
  [
    'aws autoscaling set-desired-capacity --auto-scaling-group-name g --desired-capacity 3',
    ['autoscaling:SetDesiredCapacity'],
  ],
  // global options anywhere, paths, wrappers
  ['aws --region us-west-2 --output json ec2 describe-regions', ['ec2:DescribeRegions']],
  ['aws ec2 describe-regions --profile claudecode-readonly --no-cli-pager', ['ec2:DescribeRegions']],
  ['/usr/local/bin/aws --debug s3 ls', ['s3:ListAllMyBuckets']],
  ['AWS_PAGER="" aws --endpoint-url http://localhost:4566 s3api list-buckets', ['s3:ListAllMyBuckets']],
];

describe('aws command → IAM actions (hand-written from the Service Authorization Reference)', () => {
  it('covers ≥ 100 command lines across ≥ 20 services', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(100);
    const services = new Set(TABLE.flatMap(([, a]) => a.map((x) => x.split(':')[0])));
    expect(services.size).toBeGreaterThanOrEqual(20);
  });
  it.each(TABLE)('%s', (line, expected) => {
    const { req, resolved } = actionsOf(line);
    expect(req.kind).toBe('aws');
    expect(resolved.map((a) => a.action)).toEqual(expected);
    // Every expected action is in AWS's catalog with an access level.
    for (const a of resolved) expect(a.accessLevel, a.action).not.toBeNull();
  });
});

describe('access levels and resources', () => {
  const level = (line: string) => actionsOf(line).resolved.map((a) => a.accessLevel);
  it('pins a sample of access levels (Service Authorization Reference)', () => {
    expect(level('aws s3 ls')).toEqual(['List']);
    expect(level('aws s3api get-object --bucket b --key k o')).toEqual(['Read']);
    expect(level('aws s3 mb s3://x')).toEqual(['Write']);
    expect(level('aws s3api put-bucket-policy --bucket b --policy p')).toEqual(['Permissions management']);
    expect(level('aws ec2 create-tags --resources i-1 --tags Key=a,Value=b')).toEqual(['Tagging']);
    expect(level('aws iam attach-role-policy --role-name r --policy-arn arn:aws:iam::aws:policy/X')).toEqual([
      'Permissions management',
    ]);
  });
  it('names resources where the command does, only on actions of that resource type', () => {
    const { resolved } = actionsOf('aws s3 cp s3://src/a.txt s3://dst/b/');
    expect(resolved).toMatchObject([
      { action: 's3:GetObject', resources: [{ type: 'object', arn: 'arn:aws:s3:::src/a.txt' }] },
      { action: 's3:PutObject', resources: [{ type: 'object', arn: 'arn:aws:s3:::dst/b/*' }] },
    ]);
    const rb = actionsOf('aws s3 rb s3://old --force').resolved;
    expect(rb.map((a) => a.resources.map((r) => r.arn))).toEqual([
      ['arn:aws:s3:::old'],
      ['arn:aws:s3:::old/*'],
      ['arn:aws:s3:::old'],
    ]);
    const term = actionsOf('aws ec2 terminate-instances --instance-ids i-1 i-2').resolved[0]!;
    expect(term.resources.map((r) => r.arn)).toEqual([
      'arn:aws:ec2:*:*:instance/i-1',
      'arn:aws:ec2:*:*:instance/i-2',
    ]);
    const sqs = actionsOf(
      'aws sqs purge-queue --queue-url https://sqs.eu-west-1.amazonaws.com/123456789012/jobs',
    ).resolved[0]!;
    expect(sqs.resources.map((r) => r.arn)).toEqual(['arn:aws:sqs:eu-west-1:123456789012:jobs']);
  });
  it('leaves shell expansions out of resource names', () => {
    const scan = scanShell('for b in a c; do aws s3 rb "s3://$b"; done');
    const req = commandActions(parseAwsCommand(scan.calls[0]!.argv));
    expect(req.actions).toEqual([{ action: 's3:DeleteBucket', resources: [] }]);
  });
  it('local commands, help and --cli-input-json', () => {
    expect(commandActions(parseAwsCommand(['configure', 'list'])).kind).toBe('local');
    expect(commandActions(parseAwsCommand(['s3', 'ls', 'help'])).kind).toBe('local');
    expect(commandActions(parseAwsCommand(['ec2', 'run-instances', '--help'])).kind).toBe('local');
    expect(commandActions(parseAwsCommand(['--version'])).kind).toBe('local');
    const j = commandActions(parseAwsCommand(['ec2', 'run-instances', '--cli-input-json', 'file://x.json']));
    expect(j.actions.map((a) => a.action)).toEqual(['ec2:RunInstances']);
    expect(j.notes.join()).toMatch(/--cli-input-json/);
  });
  it('unknown commands and actions are reported, not guessed away', () => {
    expect(commandActions(parseAwsCommand(['s3', 'frobnicate'])).kind).toBe('unknown');
    expect(commandActions(parseAwsCommand(['ec2', 'wait', 'nat-gateway-available'])).kind).toBe('unknown');
    const r = actionsOf('aws ec2 describe-instancez').resolved;
    expect(r).toEqual([
      { action: 'ec2:DescribeInstancez', resources: [], accessLevel: null, resourceTypes: [] },
    ]);
  });
  it('every exception names actions AWS has', () => {
    const all = Object.values(EXCEPTIONS).flatMap((e) => e.actions);
    const cat = loadCatalog(all);
    const missing = resolveActions(
      all.map((action) => ({ action, resources: [] })),
      cat,
    ).filter((a) => a.accessLevel === null);
    expect(missing).toEqual([]);
  });
});
