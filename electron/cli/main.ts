// The `elevate` command. Commands load lazily so `elevate profiles` never pays for the AWS SDK.
import { err, reportError, UsageError } from './io';

interface Command {
  usage: string;
  run(argv: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<Command>> = {
  profiles: () => import('./commands/profiles'),
  env: () => import('./commands/env'),
  doctor: () => import('./commands/doctor'),
  status: () => import('./commands/status'),
  switch: () => import('./commands/switch'),
  'shell-init': () => import('./commands/shell-init'),
  ssm: () => import('./commands/ssm'),
  workstation: () => import('./commands/workstation'),
  whoami: () => import('./commands/whoami'),
  'claude-settings': () => import('./commands/claude-settings'),
  credentials: () => import('./commands/credentials'),
  audit: () => import('./commands/audit'),
  handoff: () => import('./commands/handoff'),
  launch: () => import('./commands/launch'),
  run: () => import('./commands/run'),
  sessions: () => import('./commands/sessions'),
  activity: () => import('./commands/activity'),
  'policy-hints': () => import('./commands/policy-hints'),
  'claude-md': () => import('./commands/claude-md'),
  explain: () => import('./commands/explain'),
  hook: () => import('./commands/hook'),
};

const SUMMARY: Record<string, string> = {
  profiles: 'list AWS profiles, their tiers and AssumeRole chains',
  env: 'print the launch environment of a tier (what is set and removed)',
  doctor: 'check config, tiers, chains, env overrides and tools',
  status: 'active tier, tiers and config paths',
  switch: 'set the active tier (readonly, elevated for 15-60 min, off) for everything started next',
  'shell-init': 'print the rc-file hook that applies the active tier in bash/zsh/fish/PowerShell',
  ssm: 'the SSM workstation: status, cloud-init check, connect (remote Claude)',
  workstation: 'print the CloudFormation template of the three-tier workstation',
  whoami: 'verify a tier with STS: account, role and session name',
  'claude-settings': 'check Claude settings for AWS conflicts; --apply the minimal fix',
  credentials: 'credential_process of an elevated session (refuses after its deadline)',
  audit: 'the audit log: approvals, elevations, handoffs, expiries, drops',
  handoff: 'show plan.md, approve it, and launch the elevated tier resuming the session',
  launch: 'open a terminal running Claude Code in a tier (elevated: time-limited)',
  run: 'run a session spec (what Elevate terminals run; not for direct use)',
  sessions: 'list live sessions; `sessions drop ID` ends one early',
  activity: 'aws calls made in Elevate sessions (service, operation, exit, denied action; no values)',
  'policy-hints': 'denied aws actions by tier as least-privilege IAM statements (writes → hand off)',
  'claude-md': 'show or --apply the Elevate section of CLAUDE.md/AGENTS.md (tier, aws CLI, plan.md)',
};

function usageText(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.keys(commands).map((c) => `  ${c.padEnd(width)}  ${SUMMARY[c] ?? ''}`);
  return `usage: elevate <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun "elevate <command> --help" for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  // credential_process output: stdout carries only the credentials JSON, never an error object.
  const asJson = rest.includes('--json') && name !== 'credentials';
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usageText()}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${process.env.ELEVATE_VERSION ?? '0.1.0'}\n`);
    return 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    err(`elevate: unknown command "${name}"\n${usageText()}`);
    return 2;
  }
  try {
    const cmd = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`usage: ${cmd.usage}\n`);
      return 0;
    }
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      return reportError(e, asJson);
    }
    return reportError(e, asJson);
  }
}

if (require.main === module || process.env.ELEVATE_CLI_MAIN === '1') {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.exitCode = reportError(e, false);
    },
  );
}
