// `elevate ssm status|cloud-init|connect`: the Graviton workstation over SSM, with the operator profile.
import { loadContext } from '../../node/context';
import {
  WorkstationError,
  checkCloudInit,
  discoverInstances,
  getInstanceStatus,
  resolveTarget,
  type CloudInitProgress,
  type WorkstationFlags,
  type WorkstationTarget,
} from '../../node/ssm';
import { connectWorkstation } from '../../node/ssmConnect';
import { parse } from '../args';
import { defineCommand, usageOf } from '../help';
import { CliError, err, json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'ssm',
  usage: ['ssm status|cloud-init|connect [options]'],
  args: [
    ['status', 'SSM agent status of the workstation (PingStatus, platform, agent version, last ping)'],
    [
      'cloud-init',
      'run "cloud-init status" on it (SendCommand) and report done|running|error|degraded|disabled|unknown',
    ],
    ['connect', 'open a terminal with "aws ssm start-session" (waits for cloud-init "done" first)'],
  ],
  options: {
    instance: {
      type: 'string',
      arg: 'ID',
      help: 'instance id (default: settings workstation.instanceId, else discovery by tag Name=claudecode-*)',
    },
    region: {
      type: 'string',
      arg: 'R',
      help: "region (default: settings workstation.region, else the operator profile's region)",
    },
    profile: {
      type: 'string',
      arg: 'P',
      help: 'operator profile that reaches the instance (default: settings workstation.operatorProfile, else AWS_PROFILE)',
    },
    'remote-claude': {
      type: 'string',
      arg: 'T',
      help: 'connect: start claude on the workstation, T = readonly (elevated is refused: the workstation cannot assume the elevated role; elevate locally instead)',
    },
    terminal: {
      type: 'string',
      arg: 'NAME',
      help: 'connect: terminal to open (xterm, gnome-terminal, iterm2...; default: settings, then detected)',
    },
    wait: { type: 'boolean', help: 'cloud-init: keep checking until cloud-init is no longer running' },
    timeout: {
      type: 'string',
      arg: 'S',
      help: 'cloud-init --wait / connect: give up after S seconds (default 900)',
    },
    anyway: { type: 'boolean', help: 'connect: do not wait for cloud-init' },
    'dry-run': {
      type: 'boolean',
      help: 'connect: check everything and print the command instead of opening a terminal',
    },
    json: { type: 'boolean', help: 'machine-readable output on stdout' },
  },
  examples: [
    [
      'elevate settings set workstation.operatorProfile admin',
      'once: the profile that reaches the workstation',
    ],
    ['elevate ssm status', 'is the workstation online?'],
    [
      'elevate ssm connect --remote-claude readonly --terminal xterm',
      'a terminal on the workstation running read-only Claude',
    ],
  ],
  notes: 'exit codes: 0 ok (cloud-init: done or degraded), 1 failure or cloud-init not done, 2 bad input',
});
export const usage = usageOf(spec);

const WHY = {
  flag: 'from the command line',
  settings: 'from Elevate settings',
  env: 'from AWS_PROFILE',
  profile: "the operator profile's region",
  default: 'default',
} as const;

/** One line saying which instance, profile and region are used, and where each came from. */
export function describeTarget(
  t: WorkstationTarget,
  instanceId: string | null,
  source: 'flag' | 'settings' | 'tag',
): string {
  const why = source === 'tag' ? `found by tag ${t.tagKey}=${t.tagPrefix}*` : WHY[source];
  const inst = instanceId ? `${instanceId} (${why})` : `to be found by tag ${t.tagKey}=${t.tagPrefix}*`;
  const regionWhy = t.regionSource === 'env' ? 'from AWS_REGION/AWS_DEFAULT_REGION' : WHY[t.regionSource];
  return `using instance ${inst}, profile ${t.profile} (${WHY[t.profileSource]}), region ${t.region} (${regionWhy})`;
}

function toCliError(e: unknown): unknown {
  if (e instanceof Error && e.name === 'LaunchError') {
    return new CliError(String((e as Error & { code?: string }).code ?? 'launch'), e.message, 1);
  }
  if (!(e instanceof WorkstationError)) return e;
  const exit = e.code === 'invalid-instance-id' || e.code === 'no-region' ? 2 : 1;
  return new CliError(e.code, e.message, exit);
}

function progressPrinter(enabled: boolean): (p: CloudInitProgress) => void {
  let lastKey = '';
  return (p) => {
    if (!enabled) return;
    const what =
      p.phase === 'checking-agent'
        ? 'checking the SSM agent'
        : p.phase === 'sending'
          ? 'sending cloud-init status'
          : p.phase === 'polling'
            ? `command ${p.ssmStatus ?? 'pending'}`
            : `${p.message ?? `cloud-init ${p.cloudInit ?? 'running'}`}; checking again shortly`;
    const key = `${p.phase}|${p.ssmStatus ?? ''}|${p.lines.join('\n')}`;
    if (key === lastKey) return;
    lastKey = key;
    err(`[${p.elapsedSeconds.toFixed(0).padStart(4)} s] ${what}`);
    if (p.phase === 'waiting') for (const l of p.lines.slice(-3)) err(`         | ${l}`);
  };
}

function timeoutArg(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 5 || n > 7200)
    throw new UsageError(`--timeout must be a number of seconds between 5 and 7200, not "${v}"`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, spec);
  const [sub, ...extra] = positionals;
  if (!sub) throw new UsageError(`missing subcommand\nusage: ${usage}`);
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const remote = values['remote-claude'];
  if (remote !== undefined && remote !== 'readonly' && remote !== 'elevated') {
    throw new UsageError(`--remote-claude must be readonly or elevated, not "${remote}"`);
  }
  if (remote !== undefined && sub !== 'connect')
    throw new UsageError('--remote-claude applies to connect only');
  if (values.terminal !== undefined && sub !== 'connect')
    throw new UsageError('--terminal applies to connect only');
  const timeoutSeconds = timeoutArg(values.timeout);
  const flags: WorkstationFlags = {
    instanceId: values.instance,
    region: values.region,
    profile: values.profile,
  };
  const asJson = values.json === true;
  try {
    const ctx = loadContext();
    const target = resolveTarget(ctx.settings, ctx.setup, ctx.env, flags);
    if (target.profileSource === 'default') {
      // Never reach for the "default" profile silently: it is often a different account or admin keys.
      throw new CliError(
        'no-operator-profile',
        'no operator profile for the workstation: pass --profile NAME, or set it once with "elevate settings set workstation.operatorProfile NAME" (or export AWS_PROFILE)',
        2,
      );
    }
    if (target.instanceId && !asJson)
      err(describeTarget(target, target.instanceId, values.instance ? 'flag' : 'settings'));
    switch (sub) {
      case 'status': {
        if (!target.instanceId && !asJson) {
          // Discovery: list every match (the status below is of the one that is used).
          const found = await discoverInstances(target);
          if (found.length === 1 && found[0]) err(describeTarget(target, found[0].instanceId, 'tag'));
          if (found.length > 1) {
            for (const i of found)
              err(`found ${i.instanceId} ${i.pingStatus} ${i.computerName ?? ''}`.trimEnd());
          }
        }
        const s = await getInstanceStatus(target);
        if (asJson) json(s);
        else {
          out(`instance:      ${s.instanceId} (${target.region}, profile ${target.profile})`);
          out(`ping status:   ${s.pingStatus}`);
          out(`platform:      ${s.platform}`);
          out(`agent version: ${s.agentVersion}`);
          out(`last ping:     ${s.lastPing ?? '(never)'}`);
        }
        return s.pingStatus === 'Online' ? 0 : 1;
      }
      case 'cloud-init': {
        const r = await checkCloudInit(target, {
          wait: values.wait === true,
          ...(timeoutSeconds ? { timeoutSeconds } : {}),
          onProgress: progressPrinter(!asJson),
        });
        if (asJson) {
          json({
            instanceId: r.instanceId,
            status: r.status,
            responseCode: r.responseCode,
            elapsedSeconds: r.elapsedSeconds,
            output: r.output,
          });
        } else {
          out(`cloud-init on ${r.instanceId}: ${r.status} — ${r.message}`);
          out(`(exit ${r.responseCode ?? '?'}, ${r.elapsedSeconds} s, ${r.calls} SSM calls)`);
          if (r.output) out(r.output.replace(/^/gm, '  | '));
        }
        if (r.timedOut) err(`elevate: ${r.message}`);
        return r.status === 'done' || r.status === 'degraded' ? 0 : 1;
      }
      case 'connect':
        if (!target.instanceId && !asJson) err(describeTarget(target, null, 'tag'));
        return await connect(ctx, flags, remote, values, timeoutSeconds, asJson);
      default:
        throw new UsageError(`unknown subcommand "${sub}"\nusage: ${usage}`);
    }
  } catch (e) {
    throw toCliError(e);
  }
}

async function connect(
  ctx: ReturnType<typeof loadContext>,
  flags: WorkstationFlags,
  remote: 'readonly' | 'elevated' | undefined,
  values: { anyway?: boolean; 'dry-run'?: boolean; terminal?: string },
  timeoutSeconds: number | undefined,
  asJson: boolean,
): Promise<number> {
  const r = await connectWorkstation({
    env: ctx.env,
    ctx,
    flags,
    remoteClaude: remote,
    anyway: values.anyway === true,
    timeoutSeconds,
    dryRun: values['dry-run'] === true,
    onProgress: progressPrinter(!asJson),
    // A missing tool is reported once, by the error that follows; the notes say only what was found.
    onNote: (line) => {
      if (!asJson && !/not on PATH|not found/.test(line)) err(line);
    },
    ...(values.terminal ? { launch: { terminal: values.terminal } } : {}),
  });
  const { plan, prerequisites: pre } = r;
  if (r.cloudInit === 'degraded' && !asJson)
    err(`warning: ${r.cloudInitResult?.message ?? 'cloud-init degraded'}; connecting`);
  const summary = {
    instanceId: plan.instanceId,
    region: plan.region,
    profile: plan.profile,
    endpointUrl: plan.endpointUrl,
    cloudInit: r.cloudInit,
    aws: { path: pre.aws.path, version: pre.aws.version },
    plugin: { path: pre.plugin.path, version: pre.plugin.version },
    argv: plan.argv,
    remoteCommand: plan.remoteCommand,
    deadline: plan.deadline,
  };
  if (!r.launched) {
    if (asJson) json({ ...summary, launched: false });
    else {
      out(plan.argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' '));
      if (plan.remoteCommand) out(`remote command: ${plan.remoteCommand}`);
    }
    return 0;
  }
  const l = r.launched;
  if (asJson) json({ ...summary, launched: true, sessionId: l.spec.id, terminal: l.terminal.id });
  else {
    out(
      `opened "${plan.title}" in ${l.terminal.label} (session ${l.spec.id})${plan.deadline ? `, ends at ${plan.deadline}` : ''}`,
    );
    for (const w of l.warnings) err(`warning: ${w}`);
  }
  return 0;
}
