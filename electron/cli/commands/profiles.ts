import { profileViews } from '../../../shared/tiers';
import { loadContext } from '../../node/context';
import { parse } from '../args';
import { palette } from '../color';
import { table } from '../format';
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
  const views = profileViews(ctx.setup.profiles, ctx.tiers, values.json ? ctx.setup.problems : []);
  if (values.json) {
    json(views);
    return 0;
  }
  if (views.length === 0) {
    out(`no profiles in ${ctx.setup.configPath} or ${ctx.setup.credentialsPath}`);
    return 0;
  }
  const c = palette();
  out(
    table(
      ['PROFILE', 'TIER', 'CHAIN', 'ROLE'],
      views.map((v) => [
        v.name,
        v.tier === 'elevated' ? c.yellow(v.tier) : v.tier === 'readonly' ? c.green(v.tier) : '-',
        v.chain.join(' → '),
        v.roleArn ?? '',
      ]),
      { header: c.bold },
    ),
  );
  const problems = views.flatMap((v) => v.problems.map((p) => `${v.name}: ${p}`));
  if (problems.length) out(`\n${c.bold('problems:')}\n${problems.map((p) => `  ${c.red(p)}`).join('\n')}`);
  if (ctx.setup.problems.length) {
    out(`\n${c.bold('config file findings:')}`);
    for (const p of ctx.setup.problems) {
      const sev = p.severity === 'fail' ? c.red('FAIL') : c.yellow('warn');
      out(`  [${sev}] ${p.ref ? `${p.ref.file}:${p.ref.line}: ` : ''}${p.message}`);
    }
  }
  return 0;
}
