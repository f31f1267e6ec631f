import { loadContext } from '../../node/context';
import { readAppState } from '../../node/appState';
import { readActive } from '../../node/activeTier';
import { readUsage } from '../../node/usage';
import { parse } from '../args';
import { palette } from '../color';
import { until } from '../format';
import { defineCommand, usageOf } from '../help';
import { json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'status',
  usage: ['status [--json]'],
  options: { json: { type: 'boolean', help: 'print as JSON (times in ISO 8601)' } },
  examples: [['elevate status', 'the active tier, until when, tiers and config files']],
});
export const usage = usageOf(spec);

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  const ctx = loadContext();
  const app = readAppState(process.env);
  // The active tier lives in $ELEVATE_HOME/active.json (app or CLI); a passed deadline is applied here.
  const active = readActive(new Date(), process.env).state;
  const status = {
    activeTier: active.tier,
    deadline: active.deadline,
    since: active.since,
    appRunning: app.running,
    tiers: { readonly: ctx.tiers.readonly, elevated: ctx.tiers.elevated, source: ctx.tiers.source },
    profiles: ctx.setup.profiles.size,
    configFile: ctx.setup.configPath,
    credentialsFile: ctx.setup.credentialsPath,
    usage: readUsage(process.env, ctx.settings),
  };
  if (values.json) json(status);
  else {
    const c = palette();
    const tierText =
      status.activeTier === 'elevated'
        ? c.yellow(c.bold(status.activeTier))
        : status.activeTier === 'readonly'
          ? c.green(status.activeTier)
          : status.activeTier;
    out(
      `active tier: ${tierText}${status.deadline ? ` ${until(status.deadline)}` : ''}${app.running ? '' : c.dim(' (Elevate app not running)')}`,
    );
    out(
      `read-only:   ${status.tiers.readonly ?? '(none)'}\nelevated:    ${status.tiers.elevated ?? '(none)'}  [${status.tiers.source}]`,
    );
    out(`profiles:    ${status.profiles} in ${status.configFile}, ${status.credentialsFile}`);
    out(
      `today:       ${Math.round(status.usage.elevatedSecondsToday / 60)} min elevated, ${status.usage.sessionsToday} session(s)${status.usage.warnings.map((w) => `; ${w.message}`).join('')}`,
    );
  }
  return 0;
}
