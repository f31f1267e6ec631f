// `elevate switch <readonly|elevated|off>`: set the active tier (works without the app; the app picks the
// change up from $ELEVATE_HOME/active.json). Elevated needs a confirmation: --yes, or "y" on a terminal.
import { spawn } from 'node:child_process';
import { shellLine } from '../../../shared/quote';
import {
  isActiveTier,
  keepDeadline,
  readActive,
  switchTier,
  SwitchError,
  validateMinutes,
  type SwitchResult,
} from '../../node/activeTier';
import { readAppState } from '../../node/appState';
import { loadContext } from '../../node/context';
import { currentSelfCommand } from '../../node/selfCommand';
import { parse } from '../args';
import { until } from '../format';
import { defineCommand, usageOf } from '../help';
import { CliError, confirm, err, json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'switch',
  usage: [
    'switch <readonly|elevated|off> [--minutes N] [--yes] [--json]',
    'switch --watch   (stay until the elevation deadline and fall back; started in the background by "switch elevated" when the app is not running)',
  ],
  args: [['<readonly|elevated|off>', 'the tier everything started next uses (off: none)']],
  options: {
    json: { type: 'boolean', help: 'print the result as JSON' },
    yes: { type: 'boolean', short: 'y', help: 'elevated: do not ask for confirmation' },
    minutes: {
      type: 'string',
      short: 'm',
      arg: 'N',
      help: 'elevated: length, 15-60 minutes (default: settings)',
    },
    watch: { type: 'boolean', help: 'wait for the elevation deadline and switch back to read-only' },
  },
  examples: [
    ['elevate switch elevated -m 15', 'elevate for 15 minutes (asks for confirmation)'],
    ['elevate switch readonly', 'back to read-only now'],
  ],
});
export const usage = usageOf(spec);

/** Start `elevate switch --watch` detached, so the deadline is kept without the app. Returns its pid. */
function startKeeper(): number | null {
  try {
    const self = currentSelfCommand();
    const [cmd, ...args] = self.argv;
    if (!cmd) return null;
    const child = spawn(cmd, [...args, 'switch', '--watch'], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, ...self.env },
    });
    child.unref();
    return child.pid ?? null;
  } catch {
    return null;
  }
}

export function describe(r: SwitchResult): string[] {
  const s = r.state;
  const lines: string[] = [];
  const who = s.profile ? ` · ${s.profile}` : '';
  lines.push(
    s.tier === 'elevated' && s.deadline
      ? `active tier: elevated${who} ${until(s.deadline)}, then read-only`
      : `active tier: ${s.tier}${who}${r.changed ? '' : ' (unchanged)'}`,
  );
  for (const t of r.targets) {
    if (t.kind === 'shell') continue;
    lines.push(`  ${t.ok ? '✓' : '✗'} ${t.file}: ${t.action}${t.message ? ` — ${t.message}` : ''}`);
  }
  const shellProblem = r.targets.find((t) => t.kind === 'shell' && !t.ok);
  if (shellProblem) lines.push(`  ✗ shells: ${shellProblem.message ?? shellProblem.action}`);
  if (r.staleSessions.length) {
    lines.push(`sessions still running under another tier (Claude keeps its credentials until restarted):`);
    for (const st of r.staleSessions) {
      lines.push(`  ${st.id} [${st.tier ?? '-'}] in ${st.cwd}: restart with  ${shellLine(st.restartArgv)}`);
    }
  }
  return lines;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, spec);
  if (values.watch) {
    if (positionals.length) throw new UsageError(`--watch takes no tier\nusage: ${usage}`);
    const fb = await keepDeadline(process.env);
    if (values.json) json({ fellBack: fb !== null, activeTier: fb?.state.tier ?? readActive().state.tier });
    return 0;
  }
  const target = positionals[0];
  if (!isActiveTier(target)) {
    throw new UsageError(
      `${target === undefined ? 'missing tier' : `unknown tier "${target}"`}: expected readonly, elevated or off\nusage: ${usage}`,
    );
  }
  if (positionals.length > 1)
    throw new UsageError(`unexpected argument "${positionals[1]}"\nusage: ${usage}`);
  let minutes: number | undefined;
  if (values.minutes !== undefined) {
    if (target !== 'elevated') throw new UsageError(`--minutes applies to elevated only\nusage: ${usage}`);
    if (!/^\d+$/.test(values.minutes))
      throw new UsageError(`--minutes must be a whole number (got "${values.minutes}")`);
    minutes = Number(values.minutes);
  }
  const env = process.env;
  readActive(new Date(), env); // apply a passed deadline first, so "from" and the audit trail are right
  if (target === 'elevated') {
    const ctx = loadContext(env);
    try {
      minutes = validateMinutes(minutes, ctx.settings);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (!values.yes) {
      const profile = ctx.tiers.elevated ?? '(no elevated tier)';
      if (!process.stdin.isTTY || !process.stderr.isTTY) {
        throw new CliError(
          'confirmation-required',
          `switching to elevated (${profile}, ${minutes} min) needs confirmation: run it in a terminal, or add --yes`,
          2,
        );
      }
      const ok = await confirm(`Elevate everything started next to ${profile} for ${minutes} min? [y/N] `);
      if (!ok) {
        err('not switched');
        return 1;
      }
    }
  }
  let r: SwitchResult;
  try {
    r = switchTier(target, { minutes, env, source: 'cli' });
  } catch (e) {
    if (e instanceof SwitchError) throw new CliError(e.code, e.message, e.code === 'locked' ? 1 : 2);
    throw e;
  }
  const ok = r.targets.every((t) => t.ok);
  // Without the app nobody else keeps the deadline for the Claude settings files: a small watcher does.
  const keeperPid = r.state.tier === 'elevated' && !readAppState(env).running ? startKeeper() : null;
  if (values.json) {
    json({
      ok,
      activeTier: r.state.tier,
      deadline: r.state.deadline,
      since: r.state.since,
      profile: r.state.profile,
      from: r.from.tier,
      changed: r.changed,
      targets: r.targets,
      staleSessions: r.staleSessions,
      warnings: r.warnings,
      keeperPid,
    });
  } else {
    out(describe(r).join('\n'));
    if (!ok) err('elevate: switched, but not every target could be updated (see above)');
  }
  return ok ? 0 : 1;
}
