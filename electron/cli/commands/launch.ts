// `elevate launch <readonly|elevated>`: open a terminal running Claude Code in the tier (node/launcher.ts).
// Elevated goes through the one elevation transaction (node/elevatedLaunch.ts) and needs a confirmation:
// "y" on a terminal, or --yes (no terminal and no --yes → exit 2, nothing launched). Either way the session's
// runner asks for the MFA code on ITS terminal where the elevated profile has mfa_serial.
import { ElevatedLaunchError, elevatedLaunch } from '../../node/elevatedLaunch';
import { loadContext } from '../../node/context';
import { launchSession, LaunchError, type LaunchResult } from '../../node/launcher';
import { TerminalError } from '../../node/terminals';
import { validateElevationMinutes } from '../../../shared/plan';
import { parse, tierArg } from '../args';
import { defineCommand, usageOf } from '../help';
import { CliError, confirm, err, json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'launch',
  usage: [
    'launch <readonly|elevated> [--cwd DIR] [--terminal NAME] [--resume [ID]] [--prompt TEXT] [--minutes N] [--verify] [--yes] [--json]',
  ],
  args: [['<readonly|elevated>', 'the tier Claude Code runs in']],
  options: {
    cwd: {
      type: 'string',
      arg: 'DIR',
      help: 'project directory Claude starts in (default: the current one)',
    },
    terminal: {
      type: 'string',
      arg: 'NAME',
      help: 'terminal to open (xterm, gnome-terminal, iterm2...; default: settings, then detected)',
    },
    resume: {
      type: 'string',
      arg: '[ID]',
      help: 'resume a Claude session: the given id, or bare for the latest of this directory',
    },
    prompt: { type: 'string', arg: 'TEXT', help: 'first prompt for Claude (cannot start with "-")' },
    minutes: {
      type: 'string',
      arg: 'N',
      help: 'elevated: length of the elevation, 15-60 (default: settings); readonly: 1-720',
    },
    verify: { type: 'boolean', help: 'check the tier with STS before opening the terminal' },
    yes: {
      type: 'boolean',
      short: 'y',
      help: 'elevated: launch without the [y/N] question (required when not run in a terminal)',
    },
    json: { type: 'boolean', help: 'print the session as JSON' },
  },
  examples: [
    ['elevate launch readonly', 'Claude Code in the read-only tier, in this directory'],
    [
      'elevate launch elevated --minutes 15 --cwd ~/infra',
      'an elevated session that ends after 15 minutes (asks y/N first)',
    ],
    ['elevate launch elevated --yes --minutes 30', 'the same without the question (scripts, no terminal)'],
    ['elevate launch readonly --resume', 'resume the latest Claude session of this directory, read-only'],
  ],
  notes:
    "elevated: the session's own terminal asks for the MFA code when the elevated profile has mfa_serial.\n" +
    'exit codes: 0 launched, 1 failure or declined, 2 bad input or elevated without confirmation',
});
export const usage = usageOf(spec);

export async function run(argv: string[]): Promise<number> {
  // `--resume` takes an optional value: bare (or followed by another option) means "no id".
  const args = [...argv];
  const i = args.indexOf('--resume');
  let bareResume = false;
  if (i >= 0 && (i === args.length - 1 || args[i + 1]!.startsWith('--'))) {
    args.splice(i, 1);
    bareResume = true;
  }
  const { values, positionals } = parse(args, spec);
  const tier = tierArg(positionals[0], usage);
  if (positionals.length > 1)
    throw new UsageError(`unexpected argument "${positionals[1]}"\nusage: ${usage}`);
  // The prompt is Claude's positional argument: one starting with "-" would be read as a Claude option
  // (e.g. --dangerously-skip-permissions), not as text.
  if (values.prompt !== undefined && /^\s*-/.test(values.prompt))
    throw new UsageError(
      `--prompt cannot start with "-" (Claude would read it as an option)\nusage: ${usage}`,
    );
  let minutes: number | undefined;
  if (values.minutes !== undefined) {
    if (tier === 'elevated') {
      // The same 15–60 min bound as handoff, switch and the app (chained AssumeRole lasts at most 1 h).
      const m = validateElevationMinutes(values.minutes);
      if (!m.ok) throw new UsageError(`--minutes: ${m.message}\nusage: ${usage}`);
      minutes = m.minutes;
    } else {
      minutes = Number(values.minutes);
      if (!/^\d+$/.test(values.minutes) || minutes < 1 || minutes > 720)
        throw new UsageError(`--minutes must be a whole number of minutes (1–720), got "${values.minutes}"`);
    }
  }
  try {
    let r: LaunchResult;
    if (tier === 'elevated') {
      const ctx = loadContext(process.env);
      const m = minutes ?? ctx.settings.elevation.defaultMinutes;
      if (!values.yes) {
        const profile = ctx.tiers.elevated ?? '(no elevated tier)';
        if (!process.stdin.isTTY || !process.stderr.isTTY) {
          throw new CliError(
            'confirmation-required',
            `launching elevated (${profile}, ${m} min) needs confirmation: run it in a terminal, or add --yes`,
            2,
          );
        }
        const ok = await confirm(`Launch Claude Code elevated (${profile}) for ${m} min? [y/N] `);
        if (!ok) {
          err('not launched');
          return 1;
        }
      }
      r = (
        await elevatedLaunch({
          cwd: values.cwd ?? process.cwd(),
          ctx,
          minutes: m,
          ...(values.resume !== undefined ? { resumeId: values.resume } : {}),
          ...(bareResume ? { bareResume: true } : {}),
          ...(values.prompt !== undefined ? { prompt: values.prompt } : {}),
          launchOptions: {
            ...(values.terminal ? { terminal: values.terminal } : {}),
            verify: values.verify ?? false,
          },
        })
      ).launch;
    } else {
      r = await launchSession({
        tier,
        cwd: values.cwd ?? process.cwd(),
        terminal: values.terminal,
        resumeId: values.resume,
        prompt: values.prompt,
        minutes,
        verify: values.verify ?? false,
        ...(bareResume ? { bareResume: true } : {}),
      });
    }
    if (values.json) {
      json({
        sessionId: r.spec.id,
        tier: r.spec.tier,
        profile: r.spec.profile,
        cwd: r.spec.cwd,
        terminal: r.terminal.id,
        argv: r.spec.argv,
        deadline: r.spec.deadline ?? null,
        account: r.spec.account ?? null,
        removed: r.removed,
        set: r.spec.env.set,
        warnings: r.warnings,
      });
    } else {
      out(`launched ${r.spec.title} in ${r.terminal.label}: session ${r.spec.id}`);
      out(`  cwd      ${r.spec.cwd}`);
      // The --settings JSON (denies + hooks, several kB) is summarised; --json prints it whole.
      const shown = r.spec.argv.map((a, i) =>
        r.spec.argv[i - 1] === '--settings' ? `<session settings, ${a.length} bytes>` : JSON.stringify(a),
      );
      out(`  runs     ${shown.join(' ')}`);
      if (r.spec.account) out(`  account  ${r.spec.account} (verified with STS)`);
      if (r.spec.deadline) out(`  ends     ${r.spec.deadline}`);
      if (r.removed.length) {
        out('  removed from the env:');
        for (const v of r.removed) out(`    ${v.name}  (${v.reason})`);
      } else out('  removed from the env: nothing');
      for (const w of r.warnings) err(`warning: ${w}`);
    }
    return 0;
  } catch (e) {
    if (e instanceof LaunchError) throw new CliError(e.code, e.message, e.code === 'bad-option' ? 2 : 1);
    if (e instanceof ElevatedLaunchError)
      throw new CliError(e.code, e.message, e.code === 'bad-minutes' ? 2 : 1);
    if (e instanceof Error && e.name === 'IdentityError')
      throw new CliError(
        (e as Error & { code: string }).code,
        `cannot verify the ${tier} tier: ${e.message}`,
      );
    if (e instanceof TerminalError)
      throw new CliError(e.code, e.message, e.code === 'unknown-terminal' ? 2 : 1);
    throw e;
  }
}
