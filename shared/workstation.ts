// The Graviton workstation reached over SSM: pure decisions only (no I/O). Instance id validation,
// what `cloud-init status` output means, the polling schedule, and the argv of `aws ssm start-session`.
import { quoteSh } from './quote';

// ---------------------------------------------------------------------------------------------
// Instance ids
// ---------------------------------------------------------------------------------------------

/** EC2 instance ids: `i-` + 8 (old) or 17 lowercase hex digits. */
export const INSTANCE_ID_RE = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export function isInstanceId(value: unknown): value is string {
  return typeof value === 'string' && INSTANCE_ID_RE.test(value);
}

/** Null when valid; otherwise a sentence saying what is wrong (checked before any AWS call). */
export function instanceIdProblem(value: string): string | null {
  if (INSTANCE_ID_RE.test(value)) return null;
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (/^mi-[0-9a-f]{17}$/.test(value)) {
    return `${shown} is an on-premises managed node id; Elevate's workstation is an EC2 instance (i-…)`;
  }
  if (/^i-[0-9A-F]+$/i.test(value) && value !== value.toLowerCase()) {
    return `${shown} is not a valid instance id: EC2 ids are lowercase (i- followed by 8 or 17 hex digits)`;
  }
  return `${shown} is not a valid instance id: expected i- followed by 8 or 17 hex digits (e.g. i-0123456789abcdef0)`;
}

// ---------------------------------------------------------------------------------------------
// cloud-init status
// ---------------------------------------------------------------------------------------------

export type CloudInitStatus = 'done' | 'running' | 'error' | 'degraded' | 'disabled' | 'unknown';
export const CLOUD_INIT_STATUSES: readonly CloudInitStatus[] = [
  'done',
  'running',
  'error',
  'degraded',
  'disabled',
  'unknown',
];

/**
 * The script sent with AWS-RunShellScript. `cloud-init status --format json || cloud-init status --long`
 * is wrong in both directions: on cloud-init ≥ 23.4 a degraded (exit 2) or failed (exit 1) boot makes the
 * JSON form "fail", so `--long` runs as well and the output holds two reports; on old cloud-init (< 22.x,
 * e.g. Amazon Linux 2's 19.3) `--format` does not exist and argparse exits with 2 — the same code that now
 * means "degraded". So: ask `--help` whether `--format` exists, run exactly one form, and let its exit code
 * become the SSM ResponseCode (an `if` compound exits with the status of the branch it ran).
 */
export const CLOUD_INIT_SCRIPT: readonly string[] = [
  'if ! command -v cloud-init >/dev/null 2>&1; then echo "cloud-init: command not found" >&2; exit 127; fi',
  "if cloud-init status --help 2>&1 | grep -q -e '--format'; then cloud-init status --format json; else cloud-init status --long; fi",
];

/** SSM command statuses after which GetCommandInvocation will not change any more. */
const TERMINAL_SSM = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled', 'Undeliverable', 'Terminated']);

export function isTerminalSsmStatus(status: string | undefined): boolean {
  return status !== undefined && TERMINAL_SSM.has(status);
}

export interface CloudInitInput {
  /** GetCommandInvocation `Status` (Success, Failed, TimedOut, …). */
  ssmStatus: string | undefined;
  /** GetCommandInvocation `ResponseCode`: the script's exit code (-1 while not finished). */
  responseCode: number | undefined;
  stdout: string | undefined;
  stderr: string | undefined;
}

export interface CloudInitDecision {
  status: CloudInitStatus;
  /** cloud-init's own words, when it said something (`status` / `extended_status` / `detail`). */
  reported?: { status?: string; extendedStatus?: string; detail?: string; errors?: string[] };
  /** One plain sentence for the user. */
  message: string;
}

interface Reported {
  status?: string;
  extendedStatus?: string;
  detail?: string;
  errors?: string[];
}

/** The first JSON object in `text` (cloud-init prints it pretty, but other output may surround it). */
function firstJsonObject(text: string): Record<string, unknown> | undefined {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    for (let end = text.lastIndexOf('}'); end > start; end = text.lastIndexOf('}', end - 1)) {
      try {
        const v: unknown = JSON.parse(text.slice(start, end + 1));
        if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
      } catch {
        // try a shorter slice
      }
    }
  }
  return undefined;
}

function parseReport(stdout: string): Reported | undefined {
  const obj = firstJsonObject(stdout);
  if (obj && (typeof obj.status === 'string' || typeof obj.extended_status === 'string')) {
    const errors = Array.isArray(obj.errors)
      ? obj.errors.filter((e): e is string => typeof e === 'string')
      : [];
    return {
      ...(typeof obj.status === 'string' ? { status: obj.status.trim().toLowerCase() } : {}),
      ...(typeof obj.extended_status === 'string'
        ? { extendedStatus: obj.extended_status.trim().toLowerCase() }
        : {}),
      ...(typeof obj.detail === 'string' && obj.detail ? { detail: obj.detail } : {}),
      ...(errors.length ? { errors } : {}),
    };
  }
  // Tabular text (`cloud-init status [--long]`, any version). `--wait` prints dots before "status:".
  const status = /^[.\s]*status:[ \t]*(.+?)[ \t]*$/m.exec(stdout)?.[1];
  const extended = /^extended_status:[ \t]*(.+?)[ \t]*$/m.exec(stdout)?.[1];
  if (!status && !extended) return undefined;
  // Old --long: "detail:\n<text>"; new: "detail: <text>".
  const detail = /^detail:[ \t]*(.*)$(?:\n(?![a-z_]+:)(.+))?/m.exec(stdout);
  const detailText = (detail?.[1] || detail?.[2] || '').trim();
  return {
    ...(status ? { status: status.toLowerCase() } : {}),
    ...(extended ? { extendedStatus: extended.toLowerCase() } : {}),
    ...(detailText ? { detail: detailText } : {}),
  };
}

/**
 * What cloud-init's state is, from one finished invocation of CLOUD_INIT_SCRIPT. The SSM status alone is
 * not enough: cloud-init ≥ 23.4 exits 2 for "done with recoverable errors", which SSM reports as Failed.
 * Exit codes: 0 fine, 1 error, 2 degraded (recoverable). Wordings across versions: `not run` (< 23.4) and
 * `not started` (≥ 23.4) both mean "has not started yet"; `extended_status` adds `degraded done`,
 * `degraded running`, `error - done`, `error - running`.
 */
export function decideCloudInit(input: CloudInitInput): CloudInitDecision {
  const { ssmStatus, responseCode } = input;
  const stdout = input.stdout ?? '';
  const stderr = input.stderr ?? '';
  if (!isTerminalSsmStatus(ssmStatus)) {
    return {
      status: 'unknown',
      message: `the status command has not finished yet (SSM: ${ssmStatus ?? 'no status'})`,
    };
  }
  if (ssmStatus === 'TimedOut') {
    return { status: 'unknown', message: 'the status command timed out on the instance' };
  }
  if (ssmStatus === 'Cancelled' || ssmStatus === 'Terminated' || ssmStatus === 'Undeliverable') {
    return { status: 'unknown', message: `the status command did not run (SSM: ${ssmStatus})` };
  }
  const rep = parseReport(stdout);
  if (!rep) {
    if (responseCode === 127 || /command not found|No such file or directory/i.test(stderr)) {
      return { status: 'unknown', message: 'cloud-init is not installed on the instance' };
    }
    const why = stderr.trim().split(/\r?\n/).pop() || stdout.trim().split(/\r?\n/).pop() || 'no output';
    return {
      status: 'unknown',
      message: `could not read cloud-init's status (exit ${responseCode ?? '?'}): ${why}`,
    };
  }
  const reported = { ...rep };
  const detail = rep.detail ? ` (${rep.detail})` : '';
  const s = rep.status ?? '';
  const ext = rep.extendedStatus ?? '';
  const running = s === 'running' || /\brunning$/.test(ext);
  const notStarted = s === 'not run' || s === 'not started' || ext === 'not run' || ext === 'not started';
  if (s === 'error' || ext.startsWith('error')) {
    // `error - running` still ends in error: cloud-init already recorded a fatal problem.
    return { status: 'error', reported, message: `cloud-init reported an error${detail}` };
  }
  if (s === 'disabled' || ext === 'disabled') {
    return { status: 'disabled', reported, message: `cloud-init is disabled on this instance${detail}` };
  }
  if (running || notStarted) {
    const warn = ext.startsWith('degraded') ? ' with recoverable errors so far' : '';
    return {
      status: 'running',
      reported,
      message: notStarted ? 'cloud-init has not started yet' : `cloud-init is still running${warn}${detail}`,
    };
  }
  if (s === 'done' || ext.endsWith('done')) {
    if (ext.startsWith('degraded') || responseCode === 2) {
      return {
        status: 'degraded',
        reported,
        message: `cloud-init finished with recoverable errors${detail}`,
      };
    }
    if (responseCode === 1) {
      return { status: 'error', reported, message: `cloud-init finished but exited 1 (error)${detail}` };
    }
    return { status: 'done', reported, message: `cloud-init is done${detail}` };
  }
  return { status: 'unknown', reported, message: `cloud-init reported an unknown status "${s || ext}"` };
}

/** The last `n` non-empty lines of the output, for progress display. */
export function lastLines(text: string | undefined, n = 5): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .slice(-n);
}

// ---------------------------------------------------------------------------------------------
// Polling schedule
// ---------------------------------------------------------------------------------------------

/** Never two SSM calls of one check/wait less than this apart (≤ 1 call / 2 s). */
export const MIN_CALL_GAP_MS = 2000;

/** Delay before the n-th GetCommandInvocation of one command (0-based): 2 s, 2.5 s, … capped at 5 s. */
export function pollDelayMs(attempt: number): number {
  return Math.min(5000, MIN_CALL_GAP_MS + 500 * Math.max(0, Math.floor(attempt)));
}

/** Delay before the n-th re-check while waiting for cloud-init (0-based): 5 s, 7.5 s, … capped at 15 s. */
export function recheckDelayMs(check: number): number {
  return Math.min(15_000, 5000 + 2500 * Math.max(0, Math.floor(check)));
}

/** Back-off after a throttled poll: doubles from 4 s, capped at 30 s. */
export function throttleDelayMs(consecutive: number): number {
  return Math.min(30_000, 4000 * 2 ** Math.max(0, Math.floor(consecutive) - 1));
}

/** How long to sleep so that a call made now is at least MIN_CALL_GAP_MS after the previous one. */
export function gapWaitMs(now: number, lastCallAt: number | undefined, wantedMs: number): number {
  const earliest = lastCallAt === undefined ? now : lastCallAt + MIN_CALL_GAP_MS;
  return Math.max(0, wantedMs, earliest - now);
}

// ---------------------------------------------------------------------------------------------
// Connect: argv of `aws ssm start-session`
// ---------------------------------------------------------------------------------------------

export type RemoteClaudeTier = 'readonly' | 'elevated';

export interface RemoteClaudeOptions {
  tier: RemoteClaudeTier;
  /** OS user to become on the instance (settings.workstation.remoteUser, default ec2-user). */
  remoteUser: string;
  /** AWS profile on the instance (settings.workstation.remoteReadonlyProfile / remoteElevatedProfile). */
  profile: string;
  /** Region Claude uses for Bedrock on the instance. */
  region?: string | undefined;
  /** Bedrock model id, when Bedrock is enabled. */
  bedrockModel?: string | undefined;
  /** Seconds after which the remote claude is ended by `timeout` (elevated sessions: the deadline). */
  timeLimitSeconds?: number | undefined;
}

const REMOTE_NAME_RE = /^[a-z_][a-z0-9_-]{0,31}$/;

/**
 * The shell line AWS-StartInteractiveCommand runs on the instance: the SSM agent runs it with `sh -c` as the
 * session user (ssm-user, or the Run As user), and in container mode splits it with shlex (which reads
 * quoteSh's quoting the same way). Every piece that comes from settings is quoted with quoteSh.
 */
export function remoteClaudeCommand(o: RemoteClaudeOptions): string {
  if (!REMOTE_NAME_RE.test(o.remoteUser)) {
    throw new Error(`remote user ${JSON.stringify(o.remoteUser)} is not a valid Linux user name`);
  }
  if (!o.profile) throw new Error('remote profile name is empty');
  const argv = ['sudo', '-i', '-u', o.remoteUser, '--'];
  if (o.timeLimitSeconds !== undefined) {
    const secs = Math.max(1, Math.floor(o.timeLimitSeconds));
    argv.push('timeout', '-k', '10', `${secs}s`);
  }
  argv.push('env', `AWS_PROFILE=${o.profile}`, `ELEVATE_TIER=${o.tier}`);
  if (o.region) argv.push(`AWS_REGION=${o.region}`);
  if (o.bedrockModel) argv.push('CLAUDE_CODE_USE_BEDROCK=1', `ANTHROPIC_MODEL=${o.bedrockModel}`);
  argv.push('claude');
  return argv.map(quoteSh).join(' ');
}

export interface StartSessionInput {
  /** Absolute path of the AWS CLI v2 that will run. */
  aws: string;
  instanceId: string;
  region: string;
  profile: string;
  endpointUrl?: string | undefined;
  documentName?: string | undefined;
  parameters?: Record<string, string[]> | undefined;
}

/** argv of `aws ssm start-session` (always with --profile; --endpoint-url when overridden). */
export function startSessionArgv(i: StartSessionInput): string[] {
  const problem = instanceIdProblem(i.instanceId);
  if (problem) throw new Error(problem);
  if (!i.profile) throw new Error('no operator profile: Elevate always passes --profile to start-session');
  const argv = [
    i.aws,
    'ssm',
    'start-session',
    '--target',
    i.instanceId,
    '--region',
    i.region,
    '--profile',
    i.profile,
  ];
  if (i.endpointUrl) argv.push('--endpoint-url', i.endpointUrl);
  if (i.documentName) argv.push('--document-name', i.documentName);
  if (i.parameters && Object.keys(i.parameters).length)
    argv.push('--parameters', JSON.stringify(i.parameters));
  return argv;
}

export const REMOTE_COMMAND_DOCUMENT = 'AWS-StartInteractiveCommand';

/** Per-OS hints for the two tools connect needs. */
export const INSTALL_HINTS: Readonly<
  Record<'aws' | 'session-manager-plugin', Readonly<Record<string, string>>>
> = {
  aws: {
    darwin:
      'install AWS CLI v2: brew install awscli (or the .pkg from https://awscli.amazonaws.com/AWSCLIV2.pkg)',
    linux:
      'install AWS CLI v2: curl -o awscliv2.zip https://awscli.amazonaws.com/awscli-exe-linux-$(uname -m).zip && unzip awscliv2.zip && sudo ./aws/install',
    win32: 'install AWS CLI v2: msiexec /i https://awscli.amazonaws.com/AWSCLIV2.msi',
  },
  'session-manager-plugin': {
    darwin: 'brew install --cask session-manager-plugin',
    linux:
      'Debian/Ubuntu: download session-manager-plugin.deb from https://s3.amazonaws.com/session-manager-downloads/plugin/latest/ubuntu_64bit/session-manager-plugin.deb and sudo dpkg -i it; RHEL/Amazon Linux: sudo yum install -y https://s3.amazonaws.com/session-manager-downloads/plugin/latest/linux_64bit/session-manager-plugin.rpm',
    win32:
      'install SessionManagerPluginSetup.exe from https://s3.amazonaws.com/session-manager-downloads/plugin/latest/windows/SessionManagerPluginSetup.exe',
  },
};

export function installHint(tool: 'aws' | 'session-manager-plugin', platform: string): string {
  const hints = INSTALL_HINTS[tool];
  return hints[platform] ?? hints.linux ?? '';
}
