import { quoteFish, quotePowerShell, quoteSh } from '../../../shared/quote';
import { launchEnvFor, loadContext } from '../../node/context';
import { parse, tierArg } from '../args';
import { defineCommand, usageOf } from '../help';
import { err, json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'env',
  usage: ['env <readonly|elevated> [--json | --format sh|bash|zsh|fish|powershell]'],
  args: [['<readonly|elevated>', 'the tier whose launch environment to print']],
  options: {
    json: { type: 'boolean', help: 'print profile, set, unset, kept and warnings as JSON' },
    format: {
      type: 'string',
      arg: 'SHELL',
      help: 'sh (default), bash, zsh, fish or powershell: lines that shell can eval',
    },
  },
  examples: [
    ['eval "$(elevate env readonly --format bash)"', 'apply the read-only tier to this shell'],
    ['elevate env elevated --json', 'what a launch of the elevated tier sets and removes'],
  ],
});
export const usage = usageOf(spec);

const FORMATS = ['sh', 'bash', 'zsh', 'fish', 'powershell'];

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, spec);
  const tier = tierArg(positionals[0], usage);
  if (positionals.length > 1)
    throw new UsageError(`unexpected argument "${positionals[1]}"\nusage: ${usage}`);
  const format = values.format;
  if (format !== undefined && !FORMATS.includes(format)) {
    throw new UsageError(`unknown format "${format}": expected ${FORMATS.join(', ')}\nusage: ${usage}`);
  }
  const ctx = loadContext();
  const le = launchEnvFor(ctx, tier, process.env);
  if (values.json) {
    json({ tier, profile: le.profile, set: le.set, unset: le.unset, kept: le.kept, warnings: le.warnings });
    return 0;
  }
  const lines: string[] = [];
  // bash and zsh read POSIX sh lines (shell-init takes the same names).
  const f = format === undefined || format === 'bash' || format === 'zsh' ? 'sh' : format;
  for (const { name, reason } of le.unset) {
    if (f === 'sh') lines.push(`unset ${name}  # ${reason}`);
    else if (f === 'fish') lines.push(`set -e ${name}  # ${reason}`);
    else lines.push(`Remove-Item Env:${name} -ErrorAction SilentlyContinue  # ${reason}`);
  }
  for (const [name, value] of Object.entries(le.set)) {
    if (f === 'sh') lines.push(`export ${name}=${quoteSh(value)}`);
    else if (f === 'fish') lines.push(`set -gx ${name} ${quoteFish(value)}`);
    else lines.push(`$Env:${name} = ${quotePowerShell(value)}`);
  }
  out(lines.join('\n'));
  for (const w of le.warnings) err(`warning: ${w}`);
  return 0;
}
