// `elevate workstation template`: print Elevate's CloudFormation template for the three-tier workstation.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '../args';
import { defineCommand, usageOf } from '../help';
import { CliError, UsageError } from '../io';

export const spec = defineCommand({
  name: 'workstation',
  usage: ['workstation template'],
  args: [
    [
      'template',
      'print the CloudFormation template (EC2 role → claudecode-readonly → claudecode-elevated, Graviton instance, IMDSv2, SSM-only access)',
    ],
  ],
  options: {},
  examples: [
    ['elevate workstation template > workstation.yaml', 'save the template'],
    [
      'aws cloudformation deploy --stack-name claudecode-workstation --template-file workstation.yaml --capabilities CAPABILITY_NAMED_IAM --parameter-overrides OperatorPrincipalArn=arn:aws:iam::123456789012:user/alice VpcId=vpc-… SubnetId=subnet-…',
      'deploy it',
    ],
  ],
});
export const usage = usageOf(spec);

/** Where the template ships: next to the bundle in a checkout (out/cli → infra/), or in app resources. */
export function templateCandidates(
  dir: string = __dirname,
  resources: string | undefined = (process as { resourcesPath?: string }).resourcesPath,
): string[] {
  const list = [
    path.join(dir, '..', '..', 'infra', 'workstation.yaml'),
    path.join(dir, '..', '..', '..', 'infra', 'workstation.yaml'),
  ];
  if (resources) list.push(path.join(resources, 'infra', 'workstation.yaml'));
  return list;
}

export function readTemplate(): { path: string; text: string } {
  for (const p of templateCandidates()) {
    try {
      return { path: p, text: fs.readFileSync(p, 'utf8') };
    } catch {
      // next candidate
    }
  }
  throw new CliError(
    'no-template',
    `the workstation template is missing from this installation (looked in ${templateCandidates().join(', ')})`,
  );
}

export async function run(argv: string[]): Promise<number> {
  const { positionals } = parse(argv, spec);
  const [sub, ...extra] = positionals;
  if (sub !== 'template' || extra.length) throw new UsageError(`usage: ${usage}`);
  process.stdout.write(readTemplate().text);
  return 0;
}
