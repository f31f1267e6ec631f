// The `elevate` command. Commands load lazily so `elevate profiles` never pays for the AWS SDK.
// Register a command with ONE line in COMMANDS; its module exports `run` and `spec` (help.ts defineCommand).
// Start-up: nothing heavy is imported here. io.ts (error mapping) pulls the config readers and settings
// schema, so it is loaded with the command, not before: `elevate --version`/`--help` stay at bare node.
import nodeModule from 'node:module';
import { FALLBACK_SPECS, renderHelp, renderTopLevel, type CommandSpec } from './help';

// Node 22+: cache compiled code on disk, so the AWS SDK (required later, outside the bundle) loads faster on
// every run after the first. bin/elevate.cjs enables it before the bundle itself is compiled.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

async function reportError(e: unknown, asJson: boolean): Promise<number> {
  const io = await import('./io');
  return io.reportError(e, asJson);
}

export interface CommandModule {
  usage?: string;
  spec?: CommandSpec;
  run(argv: string[]): Promise<number>;
}

interface Entry {
  summary: string;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: Record<string, Entry> = {
  profiles: {
    summary: 'list AWS profiles, their tiers, AssumeRole chains and config problems',
    load: () => import('./commands/profiles'),
  },
  env: {
    summary: 'print the launch environment of a tier (what is set and removed)',
    load: () => import('./commands/env'),
  },
  doctor: {
    summary: 'check config, tiers, chains, settings, env overrides and tools',
    load: () => import('./commands/doctor'),
  },
  status: {
    summary: 'active tier (and time left), tiers and config paths',
    load: () => import('./commands/status'),
  },
  switch: {
    summary: 'set the active tier (readonly, elevated for 15-60 min, off) for everything started next',
    load: () => import('./commands/switch'),
  },
  'shell-init': {
    summary: 'print the rc-file hook that applies the active tier in bash/zsh/fish/PowerShell',
    load: () => import('./commands/shell-init'),
  },
  ssm: {
    summary: 'the SSM workstation: status, cloud-init check, connect (remote Claude)',
    load: () => import('./commands/ssm'),
  },
  workstation: {
    summary: 'print the CloudFormation template of the three-tier workstation',
    load: () => import('./commands/workstation'),
  },
  whoami: {
    summary: 'verify a tier with STS: account, role and session name',
    load: () => import('./commands/whoami'),
  },
  'claude-settings': {
    summary: 'check Claude settings for AWS conflicts; --apply the minimal fix',
    load: () => import('./commands/claude-settings'),
  },
  credentials: {
    summary: 'removed: refuses; every session gets credentials from its own broker',
    load: () => import('./commands/credentials'),
  },
  audit: {
    summary: 'the audit log: approvals, elevations, handoffs, expiries, drops',
    load: () => import('./commands/audit'),
  },
  handoff: {
    summary: 'show plan.md, approve it, and launch the elevated tier resuming the session',
    load: () => import('./commands/handoff'),
  },
  launch: {
    summary: 'open a terminal running Claude Code in a tier (elevated: time-limited)',
    load: () => import('./commands/launch'),
  },
  run: {
    summary: 'run a session spec (what Elevate terminals run; not for direct use)',
    load: () => import('./commands/run'),
  },
  sessions: {
    summary: 'list live sessions; `sessions drop ID` ends one early',
    load: () => import('./commands/sessions'),
  },
  activity: {
    summary: 'aws calls made in Elevate sessions (service, operation, exit, denied action; no values)',
    load: () => import('./commands/activity'),
  },
  'policy-hints': {
    summary: 'denied aws actions by tier as least-privilege IAM statements (writes → hand off)',
    load: () => import('./commands/policy-hints'),
  },
  'claude-md': {
    summary: 'show or --apply the Elevate section of CLAUDE.md/AGENTS.md (tier, aws CLI, plan.md)',
    load: () => import('./commands/claude-md'),
  },
  settings: {
    summary: "Elevate's own settings.json: path, show, get, set (validated), edit",
    load: () => import('./commands/settings'),
  },
  completion: {
    summary: 'print the shell completion script for bash, zsh or fish',
    load: () => import('./commands/completion'),
  },
  setup: {
    summary: 'deploy the hardened roles (laptop or workstation) and append the two profiles',
    load: () => import('./commands/setup'),
  },
  explain: {
    summary: 'the IAM actions of an aws command line, their access level and which tier allows them',
    load: () => import('./commands/explain'),
  },
  hook: {
    summary: 'Claude Code hook for Elevate sessions (reads the hook JSON on stdin; not for direct use)',
    load: () => import('./commands/hook'),
  },
};

export function version(): string {
  return process.env.ELEVATE_VERSION ?? '0.1.0';
}

/** The help spec of a loaded command: its own `spec`, else the fallback in help.ts. */
export function specOf(name: string, mod: CommandModule): CommandSpec | undefined {
  return mod.spec ?? FALLBACK_SPECS[name];
}

function commandHelp(name: string, mod: CommandModule): string {
  const spec = specOf(name, mod);
  const summary = COMMANDS[name]?.summary ?? '';
  return spec
    ? renderHelp(spec, summary)
    : `elevate ${name}: ${summary}\n\nusage: ${mod.usage ?? `elevate ${name}`}`;
}

function topLevel(): string {
  return renderTopLevel(
    Object.fromEntries(Object.entries(COMMANDS).map(([n, e]) => [n, { summary: e.summary }])),
    version(),
  );
}

function lookup(name: string): Entry | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}

/** `elevate x | head -1`: the reader went away. Not an error: exit quietly with 0 (as git, gh do). */
const guarded = new WeakSet<NodeJS.WriteStream>();
export function quietOnEpipe(stream: NodeJS.WriteStream = process.stdout): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

export async function main(argv: string[]): Promise<number> {
  quietOnEpipe();
  const [name, ...rest] = argv;
  // Everything after a "--" belongs to the command's operands (`elevate explain -- aws s3 cp --help`), never
  // to Elevate: neither --help nor --json there is Elevate's.
  const end = rest.indexOf('--');
  const own = end >= 0 ? rest.slice(0, end) : rest;
  // credential_process output: stdout carries only the credentials JSON, never an error object.
  const asJson = own.includes('--json') && name !== 'credentials';
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(`${topLevel()}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (name === 'help') {
    const target = rest[0];
    if (!target) {
      process.stdout.write(`${topLevel()}\n`);
      return 0;
    }
    const entry = lookup(target);
    if (!entry) {
      err(`elevate: unknown command "${target}"; see "elevate --help"`);
      return 2;
    }
    process.stdout.write(`${commandHelp(target, await entry.load())}\n`);
    return 0;
  }
  const entry = lookup(name);
  if (!entry) {
    err(`elevate: unknown command "${name}"\n${topLevel()}`);
    return 2;
  }
  try {
    const cmd = await entry.load();
    if (own.includes('--help') || own.includes('-h')) {
      process.stdout.write(`${commandHelp(name, cmd)}\n`);
      return 0;
    }
    (await import('./args')).setCurrentCommand(name);
    return await cmd.run(rest);
  } catch (e) {
    return reportError(e, asJson);
  }
}

if ((typeof module !== 'undefined' && require.main === module) || process.env.ELEVATE_CLI_MAIN === '1') {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    async (e) => {
      process.exitCode = await reportError(e, false);
    },
  );
}
