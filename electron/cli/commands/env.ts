import { quoteFish, quotePowerShell, quoteSh } from '../../../shared/quote';
import { launchEnvFor, loadContext } from '../../node/context';
import { parse, tierArg } from '../args';
import { err, json, out, UsageError } from '../io';

export const usage = 'elevate env <readonly|elevated> [--json | --format sh|fish|powershell]';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, format: { type: 'string' } });
  const tier = tierArg(positionals[0], usage);
  if (positionals.length > 1)
    throw new UsageError(`unexpected argument "${positionals[1]}"\nusage: ${usage}`);
  const format = values.format;
  if (format !== undefined && !['sh', 'fish', 'powershell'].includes(format)) {
    throw new UsageError(`unknown format "${format}": expected sh, fish or powershell\nusage: ${usage}`);
  }
  const ctx = loadContext();
  const le = launchEnvFor(ctx, tier, process.env);
  if (values.json) {
    json({ tier, profile: le.profile, set: le.set, unset: le.unset, kept: le.kept, warnings: le.warnings });
    return 0;
  }
  const lines: string[] = [];
  const f = format ?? 'sh';
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
