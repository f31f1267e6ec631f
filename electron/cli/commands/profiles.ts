import { profileViews } from '../../../shared/tiers';
import { loadContext } from '../../node/context';
import { parse } from '../args';
import { defineCommand, usageOf } from '../help';
import { json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'profiles',
  usage: ['profiles [--json]'],
  options: { json: { type: 'boolean', help: 'print the profiles, tiers, chains and problems as JSON' } },
  examples: [
    ['elevate profiles', 'every profile of ~/.aws/config and ~/.aws/credentials, its tier and chain'],
    ['elevate profiles --json | jq ".[].name"', 'profile names'],
  ],
});
export const usage = usageOf(spec);

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  const ctx = loadContext();
  const views = profileViews(ctx.setup.profiles, ctx.tiers);
  if (values.json) {
    json(views);
    return 0;
  }
  if (views.length === 0) {
    out(`no profiles in ${ctx.setup.configPath} or ${ctx.setup.credentialsPath}`);
    return 0;
  }
  for (const v of views) {
    const tier = v.tier ? ` [${v.tier}]` : '';
    out(`${v.name}${tier}\n  chain: ${v.chain.join(' → ')}${v.roleArn ? `\n  role:  ${v.roleArn}` : ''}`);
    for (const p of v.problems) out(`  problem: ${p}`);
  }
  for (const p of ctx.setup.problems)
    out(`warning: ${p.ref ? `${p.ref.file}:${p.ref.line}: ` : ''}${p.message}`);
  return 0;
}
