// The workstation services and the `elevate ssm` / `elevate workstation` commands against the local AWS
// endpoint, through the real AWS SDK v3 SSM client (SigV4-verified) and the real Debian AWS CLI 2.9.
import { execFile, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsTestEnv, startAwsServer, type AwsServer, type CommandStep } from '../helpers/awsServer';
import { defaultSettings, type Settings } from '../../shared/settings';
import { readAwsSetup } from '../../electron/node/awsFiles';
import {
  WorkstationError,
  checkCloudInit,
  discoverInstances,
  explainSsmError,
  getInstanceStatus,
  resolveInstanceId,
  resolveTarget,
  type Clock,
  type CloudInitProgress,
  type WorkstationTarget,
} from '../../electron/node/ssm';
import { buildConnectPlan, connectWorkstation, findAwsCliV2 } from '../../electron/node/ssmConnect';
import { readSession } from '../../electron/node/sessions';
import { refreshCloudInit, refreshWorkstationStatus } from '../../electron/node/workstationMonitor';
import { loadContext } from '../../electron/node/context';
import { WorkstationSchema } from '../../shared/state';
import { ElevateCore } from '../../electron/app/core';
import { REMOTE_ELEVATED_REFUSAL } from '../../electron/node/elevatedLaunch';

const execFileP = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'elevate.cjs');

const OPERATOR = {
  accessKeyId: 'AKIAOPERATOROPERATOR',
  secretAccessKey: 'operator-secret-operator-secret-operator1',
  arn: 'arn:aws:iam::222222222222:user/operator',
};
const WS = 'i-0123456789abcdef0';
const OTHER = 'i-0fedcba9876543210';

const cloudInitJson = (status: string, extended = status) =>
  `${JSON.stringify({ datasource: 'ec2', detail: 'DataSourceEc2Local', errors: [], extended_status: extended, recoverable_errors: {}, status }, null, 2)}\n`;
const RUNNING: CommandStep[] = [
  { status: 'InProgress' },
  { status: 'Success', responseCode: 0, stdout: cloudInitJson('running') },
];
const DONE: CommandStep[] = [
  { status: 'InProgress' },
  { status: 'Success', responseCode: 0, stdout: cloudInitJson('done') },
];

function fakeClock(
  start = Date.UTC(2026, 10, 24, 12, 0, 0),
): Clock & { t: number; hooks: ((t: number) => void)[] } {
  const c = {
    t: start,
    hooks: [] as ((t: number) => void)[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
      for (const h of c.hooks) h(c.t);
      await Promise.resolve();
    },
  };
  return c;
}

interface Fixture {
  server: AwsServer;
  dir: string;
  env: Record<string, string>;
  settings: Settings;
  target: (flags?: { instanceId?: string }) => WorkstationTarget;
}

async function fixture(now?: () => number): Promise<Fixture> {
  const server = await startAwsServer({ staticKeys: [OPERATOR], ...(now ? { now } : {}) });
  const dir = mkdtempSync(join(tmpdir(), 'elevate-ssm-'));
  mkdirSync(join(dir, 'home'));
  mkdirSync(join(dir, 'elevate'));
  writeFileSync(
    join(dir, 'config'),
    '[profile ops]\nregion = eu-west-1\n\n[profile claudecode-readonly]\nregion = us-east-1\n',
  );
  writeFileSync(
    join(dir, 'credentials'),
    `[ops]\naws_access_key_id = ${OPERATOR.accessKeyId}\naws_secret_access_key = ${OPERATOR.secretAccessKey}\n`,
  );
  const env: Record<string, string> = {
    ...awsTestEnv(server),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(dir, 'home'),
    ELEVATE_HOME: join(dir, 'elevate'),
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    CLAUDE_CONFIG_DIR: join(dir, 'claude'),
    // Static keys of someone else in the environment: --profile / the operator profile must win.
    AWS_ACCESS_KEY_ID: 'AKIASOMEONEELSE00000',
    AWS_SECRET_ACCESS_KEY: 'not-the-operator',
  };
  delete env.AWS_REGION;
  delete env.AWS_DEFAULT_REGION;
  const settings = defaultSettings();
  settings.workstation.operatorProfile = 'ops';
  const setup = readAwsSetup(env);
  return { server, dir, env, settings, target: (flags = {}) => resolveTarget(settings, setup, env, flags) };
}

async function errorOf(p: Promise<unknown>): Promise<WorkstationError> {
  try {
    await p;
  } catch (e) {
    return e as WorkstationError;
  }
  throw new Error('expected a failure');
}

function ssmRequests(server: AwsServer) {
  return server.requests.filter((r) => r.service === 'ssm');
}

function minGapMs(server: AwsServer): number {
  const times = ssmRequests(server).map((r) => r.time);
  let min = Infinity;
  for (let i = 1; i < times.length; i++) min = Math.min(min, times[i]! - times[i - 1]!);
  return min;
}

describe('ssm services (real SDK client, local endpoint)', () => {
  let f: Fixture;
  let clock: ReturnType<typeof fakeClock>;
  beforeEach(async () => {
    clock = fakeClock();
    f = await fixture(() => clock.t);
  });
  afterEach(async () => {
    await f.server.close();
    rmSync(f.dir, { recursive: true, force: true });
  });

  it('target: flags win over settings; region from the operator profile; endpoint from AWS_ENDPOINT_URL_SSM', () => {
    const t = f.target();
    expect(t).toMatchObject({
      profile: 'ops',
      profileSource: 'settings',
      region: 'eu-west-1',
      regionSource: 'profile',
      endpointUrl: f.server.url,
      instanceId: null,
    });
    const t2 = resolveTarget(f.settings, readAwsSetup(f.env), f.env, {
      instanceId: WS,
      region: 'ap-south-1',
      profile: 'claudecode-readonly',
    });
    expect(t2).toMatchObject({
      instanceId: WS,
      region: 'ap-south-1',
      regionSource: 'flag',
      profile: 'claudecode-readonly',
      profileSource: 'flag',
    });
    expect(() => f.target({ instanceId: 'i-nothex!' })).toThrow(/not a valid instance id/);
    const s = { ...f.settings, endpointUrl: 'http://127.0.0.1:9' };
    expect(resolveTarget(s, readAwsSetup(f.env), f.env).endpointUrl).toBe('http://127.0.0.1:9');
  });

  it('invalid instance id is refused before any call', async () => {
    const e = await errorOf(Promise.resolve().then(() => f.target({ instanceId: 'i-0123' })));
    expect(e.code).toBe('invalid-instance-id');
    expect(f.server.requests).toHaveLength(0);
  });

  it('status: DescribeInstanceInformation → {instanceId, pingStatus, platform, agentVersion, lastPing}, signed by the operator profile', async () => {
    f.server.addInstance({
      instanceId: WS,
      tags: { Name: 'claudecode-workstation' },
      platformName: 'Amazon Linux',
      platformVersion: '2023',
      agentVersion: '3.3.1142.0',
    });
    const s = await getInstanceStatus(f.target({ instanceId: WS }));
    expect(s).toEqual({
      instanceId: WS,
      pingStatus: 'Online',
      platform: 'Amazon Linux 2023',
      agentVersion: '3.3.1142.0',
      lastPing: new Date(clock.t).toISOString(),
    });
    expect(f.server.requests[0]).toMatchObject({
      action: 'DescribeInstanceInformation',
      accessKeyId: OPERATOR.accessKeyId,
      region: 'eu-west-1',
      statusCode: 200,
    });
    f.server.setPingStatus(WS, 'ConnectionLost');
    expect((await getInstanceStatus(f.target({ instanceId: WS }))).pingStatus).toBe('ConnectionLost');
    const e = await errorOf(getInstanceStatus(f.target({ instanceId: OTHER })));
    expect(e.code).toBe('not-managed');
    expect(e.message).toMatch(/i-0fedcba9876543210 is not managed by SSM in eu-west-1/);
  });

  it('operator profile with a role chain: fromIni assumes the role at the local STS; SSM is signed with the role session', async () => {
    clock.t = Date.now(); // issued credentials expire on the server's clock; keep it real here
    writeFileSync(
      join(f.dir, 'config'),
      '[profile ops]\nregion = eu-west-1\n\n[profile ops-admin]\nrole_arn = arn:aws:iam::222222222222:role/WorkstationOperator\nsource_profile = ops\nrole_session_name = alice-ops\nregion = eu-central-1\n',
    );
    f.server.addInstance({ instanceId: WS });
    const t = resolveTarget(f.settings, readAwsSetup(f.env), f.env, { instanceId: WS, profile: 'ops-admin' });
    expect(t.region).toBe('eu-central-1');
    const s = await getInstanceStatus(t);
    expect(s.pingStatus).toBe('Online');
    expect(f.server.assumeRoleCalls).toMatchObject([
      {
        roleArn: 'arn:aws:iam::222222222222:role/WorkstationOperator',
        roleSessionName: 'alice-ops',
        granted: true,
        callerArn: OPERATOR.arn,
      },
    ]);
    const d = f.server.requests.find((q) => q.action === 'DescribeInstanceInformation')!;
    expect(d.accessKeyId).toBe(f.server.issuedCredentials[0]!.accessKeyId);
    expect(d.region).toBe('eu-central-1');
  });

  it('discovery by tag prefix (Name=claudecode-*): one Online wins, several are ambiguous, none is explained', async () => {
    f.server.addInstance({ instanceId: WS, tags: { Name: 'claudecode-workstation' } });
    f.server.addInstance({
      instanceId: OTHER,
      tags: { Name: 'claudecode-old' },
      pingStatus: 'ConnectionLost',
    });
    f.server.addInstance({ instanceId: 'i-0aaaaaaaaaaaaaaaa', tags: { Name: 'web-server' } });
    const found = await discoverInstances(f.target());
    expect(found.map((i) => i.instanceId).sort()).toEqual([WS, OTHER].sort());
    const req = f.server.requests.at(-1)!;
    expect(req.params.Filters).toEqual([
      { Key: 'tag:Name', Values: ['claudecode-*', 'claudecode-workstation'] },
    ]);
    expect(await resolveInstanceId(f.target())).toBe(WS);
    f.server.setPingStatus(OTHER, 'Online');
    expect((await errorOf(resolveInstanceId(f.target()))).code).toBe('ambiguous-instance');
    f.settings.workstation.tagPrefix = 'nothing-';
    const e = await errorOf(resolveInstanceId(f.target()));
    expect(e.code).toBe('no-instance');
    expect(e.message).toMatch(/Name tag starting with "nothing-"/);
  });

  it('cloud-init: Pending → InProgress → Success(done), polls ≥ 2 s apart, first poll at 2 s', async () => {
    f.server.addInstance({ instanceId: WS });
    f.server.scriptCommand(WS, [{ status: 'Pending' }, ...DONE]);
    const progress: CloudInitProgress[] = [];
    const start = clock.t;
    const r = await checkCloudInit(
      f.target({ instanceId: WS }),
      { onProgress: (p) => progress.push(p) },
      { clock },
    );
    expect(r).toMatchObject({ instanceId: WS, status: 'done', responseCode: 0, timedOut: false });
    expect(r.output).toContain('"status": "done"');
    expect(f.server.sendCommandCalls[0]).toMatchObject({
      documentName: 'AWS-RunShellScript',
      instanceIds: [WS],
    });
    expect(f.server.sendCommandCalls[0]!.commands.join('\n')).toMatch(
      /cloud-init status --format json.*else cloud-init status --long/,
    );
    const polls = f.server.requests.filter((r) => r.action === 'GetCommandInvocation');
    const send = f.server.requests.find((r) => r.action === 'SendCommand')!;
    expect(polls).toHaveLength(3);
    expect(polls[0]!.time - send.time).toBe(2000);
    expect(polls.map((p, i) => p.time - (i ? polls[i - 1]!.time : send.time))).toEqual([2000, 2500, 3000]);
    expect(r.elapsedSeconds).toBe((clock.t - start) / 1000);
    expect(progress.map((p) => p.phase)).toEqual([
      'checking-agent',
      'sending',
      'polling',
      'polling',
      'polling',
    ]);
    expect(progress.at(-1)!.lines.join('\n')).toContain('"status": "done"');
  });

  it('cloud-init --wait: running → done, re-checking; output lines in progress', async () => {
    f.server.addInstance({ instanceId: WS });
    f.server.scriptCommand(WS, RUNNING);
    clock.hooks.push((t) => {
      if (t - Date.UTC(2026, 10, 24, 12, 0, 0) >= 40_000) f.server.scriptCommand(WS, DONE);
    });
    const progress: CloudInitProgress[] = [];
    const r = await checkCloudInit(
      f.target({ instanceId: WS }),
      { wait: true, onProgress: (p) => progress.push(p) },
      { clock },
    );
    expect(r.status).toBe('done');
    expect(f.server.sendCommandCalls.length).toBeGreaterThan(1);
    const waiting = progress.filter((p) => p.phase === 'waiting');
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting[0]!.cloudInit).toBe('running');
    expect(waiting[0]!.lines.join('\n')).toContain('"status": "running"');
    expect(minGapMs(f.server)).toBeGreaterThanOrEqual(2000);
  });

  it('cloud-init error (SSM Failed, code 1) and degraded (SSM Failed, code 2) are told apart', async () => {
    f.server.addInstance({ instanceId: WS });
    f.server.scriptCommand(WS, [
      { status: 'InProgress' },
      { status: 'Failed', responseCode: 1, stdout: cloudInitJson('error', 'error - done') },
    ]);
    const err = await checkCloudInit(f.target({ instanceId: WS }), {}, { clock });
    expect(err).toMatchObject({ status: 'error', responseCode: 1 });
    f.server.scriptCommand(WS, [
      { status: 'Failed', responseCode: 2, stdout: cloudInitJson('done', 'degraded done') },
    ]);
    const deg = await checkCloudInit(f.target({ instanceId: WS }), { wait: true }, { clock });
    expect(deg).toMatchObject({ status: 'degraded', responseCode: 2 });
    expect(deg.message).toMatch(/recoverable errors/);
  });

  it('agent offline: refused in plain words without any SendCommand', async () => {
    f.server.addInstance({ instanceId: WS, pingStatus: 'ConnectionLost' });
    const e = await errorOf(checkCloudInit(f.target({ instanceId: WS }), { wait: true }, { clock }));
    expect(e.code).toBe('agent-offline');
    expect(e.message).toMatch(/SSM agent on i-0123456789abcdef0 is ConnectionLost .*not sending a command/);
    expect(f.server.callCount('SendCommand')).toBe(0);
    expect(f.server.sendCommandCalls).toHaveLength(0);
  });

  it('not managed: unknown instance refused before SendCommand', async () => {
    const e = await errorOf(checkCloudInit(f.target({ instanceId: OTHER }), {}, { clock }));
    expect(e.code).toBe('not-managed');
    expect(f.server.callCount('SendCommand')).toBe(0);
  });

  it('AccessDenied on SendCommand and on Describe: plain words naming the profile and the action', async () => {
    f.server.addInstance({ instanceId: WS });
    f.server.denySsm('SendCommand');
    const e = await errorOf(checkCloudInit(f.target({ instanceId: WS }), {}, { clock }));
    expect(e.code).toBe('access-denied');
    expect(e.message).toMatch(
      /^access denied: profile "ops" may not call ssm:SendCommand \(AWS: User: arn:aws:iam::222222222222:user\/operator is not authorized/,
    );
    f.server.denySsm('DescribeInstanceInformation');
    const e2 = await errorOf(getInstanceStatus(f.target({ instanceId: WS })));
    expect(e2.code).toBe('access-denied');
    expect(e2.message).toMatch(/ssm:DescribeInstanceInformation/);
  });

  it('InvocationDoesNotExist right after the send is retried (eventual consistency)', async () => {
    f.server.addInstance({ instanceId: WS });
    f.server.scriptCommand(WS, DONE);
    f.server.invocationNotYet(2);
    const r = await checkCloudInit(f.target({ instanceId: WS }), {}, { clock });
    expect(r.status).toBe('done');
    const polls = f.server.requests.filter((q) => q.action === 'GetCommandInvocation');
    expect(polls.map((p) => p.errorCode ?? 'ok')).toEqual([
      'InvocationDoesNotExist',
      'InvocationDoesNotExist',
      'ok',
      'ok',
    ]);
    expect(minGapMs(f.server)).toBeGreaterThanOrEqual(2000);
  });

  it('throttling: polls retried by the loop (backing off, ≥ 2 s apart); one-off calls retried by the SDK', async () => {
    f.server.addInstance({ instanceId: WS });
    f.server.scriptCommand(WS, DONE);
    f.server.throttleNext(2, 'GetCommandInvocation');
    const r = await checkCloudInit(f.target({ instanceId: WS }), {}, { clock });
    expect(r.status).toBe('done');
    const polls = f.server.requests.filter((q) => q.action === 'GetCommandInvocation');
    expect(polls.map((p) => p.errorCode ?? 'ok')).toEqual([
      'ThrottlingException',
      'ThrottlingException',
      'ok',
      'ok',
    ]);
    expect(polls[2]!.time - polls[1]!.time).toBe(8000); // throttle back-off: 4 s, then 8 s
    expect(minGapMs(f.server)).toBeGreaterThanOrEqual(2000);
    f.server.throttleNext(2, 'DescribeInstanceInformation');
    const before = f.server.callCount('DescribeInstanceInformation');
    const s = await getInstanceStatus(f.target({ instanceId: WS }));
    expect(s.pingStatus).toBe('Online');
    expect(f.server.callCount('DescribeInstanceInformation') - before).toBe(3);
    f.server.throttleNext(10, 'DescribeInstanceInformation');
    const e = await errorOf(getInstanceStatus(f.target({ instanceId: WS })));
    expect(e.code).toBe('throttled');
    expect(e.message).toMatch(/SSM is throttling DescribeInstanceInformation requests/);
  });

  it('command timed out on the instance (SSM TimedOut) and a command SSM never finishes', async () => {
    f.server.addInstance({ instanceId: WS });
    f.server.scriptCommand(WS, [{ status: 'InProgress' }, { status: 'TimedOut' }]);
    const e = await errorOf(checkCloudInit(f.target({ instanceId: WS }), {}, { clock }));
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/timed out on i-0123456789abcdef0 \(SSM: TimedOut/);
    f.server.scriptCommand(WS, [{ status: 'Pending' }]);
    const e2 = await errorOf(
      checkCloudInit(f.target({ instanceId: WS }), { wait: true, timeoutSeconds: 600 }, { clock }),
    );
    expect(e2.code).toBe('timeout');
    expect(e2.message).toMatch(/did not finish within 120 s/);
  });

  it('--wait bounded by its timeout: still running → timedOut, status running', async () => {
    f.server.addInstance({ instanceId: WS });
    f.server.scriptCommand(WS, RUNNING);
    const start = clock.t;
    const r = await checkCloudInit(
      f.target({ instanceId: WS }),
      { wait: true, timeoutSeconds: 60 },
      { clock },
    );
    expect(r).toMatchObject({ status: 'running', timedOut: true });
    expect(r.message).toMatch(/still running after \d+ s \(timeout 60 s\)/);
    expect(clock.t - start).toBeLessThanOrEqual(60_000);
    // The deadline passing while a re-check's command is still pending gives the same answer.
    f.server.scriptCommand(WS, RUNNING);
    let sends = 0;
    const hook = () => {
      if (f.server.sendCommandCalls.length > sends) {
        sends = f.server.sendCommandCalls.length;
        if (sends === 1) f.server.scriptCommand(WS, [{ status: 'Pending' }]);
      }
    };
    f.server.sendCommandCalls.length = 0;
    clock.hooks.push(hook);
    const r2 = await checkCloudInit(
      f.target({ instanceId: WS }),
      { wait: true, timeoutSeconds: 40 },
      { clock },
    );
    expect(r2).toMatchObject({ status: 'running', timedOut: true });
    expect(f.server.sendCommandCalls.length).toBe(2);
  });

  it('a simulated 3-minute cloud-init wait: ≤ 90 SSM calls (target), never 2 calls < 2 s apart', async () => {
    f.server.addInstance({ instanceId: WS });
    f.server.scriptCommand(WS, RUNNING);
    const start = clock.t;
    clock.hooks.push((t) => {
      if (t - start >= 180_000) f.server.scriptCommand(WS, DONE);
    });
    const r = await checkCloudInit(
      f.target({ instanceId: WS }),
      { wait: true, timeoutSeconds: 900 },
      { clock },
    );
    expect(r.status).toBe('done');
    const calls = ssmRequests(f.server).length;
    const elapsed = (clock.t - start) / 1000;
    console.log(
      `[ssm] 3-minute cloud-init wait: ${calls} SSM calls over ${elapsed} s (SendCommand ${f.server.callCount('SendCommand')}, GetCommandInvocation ${f.server.callCount('GetCommandInvocation')}, DescribeInstanceInformation ${f.server.callCount('DescribeInstanceInformation')}); min gap ${minGapMs(f.server)} ms`,
    );
    expect(elapsed).toBeGreaterThanOrEqual(180);
    expect(calls).toBeLessThanOrEqual(90);
    expect(calls).toBe(r.calls);
    expect(minGapMs(f.server)).toBeGreaterThanOrEqual(2000);
  });

  it('tray/window slice: refreshWorkstationStatus and refreshCloudInit fill the AppState workstation (errors kept, not thrown)', async () => {
    f.server.addInstance({
      instanceId: WS,
      tags: { Name: 'claudecode-workstation' },
      platformName: 'Amazon Linux',
      platformVersion: '2023',
    });
    mkdirSync(join(f.dir, 'elevate'), { recursive: true });
    writeFileSync(
      join(f.dir, 'elevate', 'settings.json'),
      JSON.stringify({ workstation: { operatorProfile: 'ops' } }),
    );
    const ctx = loadContext(f.env);
    const now = () => new Date(clock.t);
    const s = await refreshWorkstationStatus(undefined, { ctx, now });
    expect(WorkstationSchema.parse(s)).toEqual(s);
    expect(s).toMatchObject({
      configured: true,
      instanceId: WS,
      region: 'eu-west-1',
      pingStatus: 'Online',
      platform: 'Amazon Linux 2023',
      error: null,
    });
    const c = await refreshCloudInit(s, { ctx, now, ssm: { clock } });
    expect(WorkstationSchema.parse(c)).toEqual(c);
    expect(c.cloudInit).toMatchObject({
      status: 'done',
      output: expect.stringContaining('"status": "done"'),
    });
    expect(c.platform).toBe('Amazon Linux 2023');
    f.server.setPingStatus(WS, 'ConnectionLost');
    const off = await refreshCloudInit(c, { ctx, now, ssm: { clock } });
    expect(off).toMatchObject({ pingStatus: 'ConnectionLost', error: { code: 'agent-offline' } });
    expect(off.cloudInit).toEqual(c.cloudInit); // the last known result stays, with the error beside it
    f.server.denySsm('DescribeInstanceInformation');
    const denied = await refreshWorkstationStatus(off, { ctx, now });
    expect(denied.error).toMatchObject({ code: 'access-denied' });
  });

  it('explainSsmError: InvalidInstanceId, TargetNotConnected, expired token, unknown', () => {
    const t = { profile: 'ops', region: 'eu-west-1', instanceId: WS };
    expect(
      explainSsmError(
        { name: 'InvalidInstanceId', message: 'Instances not in a valid state' },
        t,
        'SendCommand',
      ),
    ).toMatchObject({ code: 'not-managed' });
    expect(explainSsmError({ name: 'TargetNotConnected', message: 'x' }, t, 'StartSession')).toMatchObject({
      code: 'agent-offline',
    });
    expect(explainSsmError({ name: 'ExpiredTokenException' }, t, 'SendCommand').message).toMatch(
      /aws sso login --profile ops/,
    );
    expect(explainSsmError({ name: 'Weird', message: 'odd' }, t, 'SendCommand').message).toBe(
      'ssm:SendCommand failed: Weird: odd',
    );
  });
});

// ------------------------------------------------------------------------------------------------
// Connect: the real AWS CLI v2 with --endpoint-url, a stand-in session-manager-plugin recording its argv
// ------------------------------------------------------------------------------------------------

const hasCliV2 = existsSync('/usr/bin/aws');

/** A stand-in session-manager-plugin: `--version` answers, otherwise it records its argv as JSON. */
function writePlugin(dir: string): string {
  const binDir = join(dir, 'plugin-bin');
  mkdirSync(binDir, { recursive: true });
  const p = join(binDir, 'session-manager-plugin');
  writeFileSync(
    p,
    `#!${process.execPath}\nconst fs = require('fs');\nconst a = process.argv.slice(2);\nif (a[0] === '--version') { console.log('1.2.707.0'); process.exit(0); }\nfs.writeFileSync(process.env.PLUGIN_RECORD, JSON.stringify(a));\nif (process.env.PLUGIN_PID) fs.writeFileSync(process.env.PLUGIN_PID, String(process.pid));\nif (process.env.PLUGIN_SLEEP) setTimeout(() => {}, Number(process.env.PLUGIN_SLEEP) * 1000);\n`,
  );
  chmodSync(p, 0o755);
  return binDir;
}

function runCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', rej);
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code: code ?? -1, stdout, stderr });
    });
  });
}

describe('elevate ssm / workstation CLI and the real start-session path', () => {
  let f: Fixture;
  let pluginDir: string;
  let cliEnv: Record<string, string>;
  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'out', 'cli', 'elevate.cjs')))
      await execFileP(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')]);
  });
  beforeEach(async () => {
    f = await fixture();
    pluginDir = writePlugin(f.dir);
    writeFileSync(
      join(f.dir, 'elevate', 'settings.json'),
      JSON.stringify({ workstation: { operatorProfile: 'ops' } }),
    );
    // The machine's real PATH (a pyenv AWS CLI v1 is first here) with the stand-in plugin in front.
    cliEnv = {
      ...f.env,
      PATH: `${pluginDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      PLUGIN_RECORD: join(f.dir, 'plugin.json'),
    };
  });
  afterEach(async () => {
    await f.server.close();
    rmSync(f.dir, { recursive: true, force: true });
  });
  afterAll(() => undefined);

  it('elevate ssm status --json (by id and by discovery)', async () => {
    f.server.addInstance({ instanceId: WS, tags: { Name: 'claudecode-workstation' } });
    const r = await runCli(['ssm', 'status', '--instance', WS, '--json'], cliEnv);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(s).sort()).toEqual([
      'agentVersion',
      'instanceId',
      'lastPing',
      'pingStatus',
      'platform',
    ]);
    expect(s).toMatchObject({
      instanceId: WS,
      pingStatus: 'Online',
      platform: 'Ubuntu 22.04',
      agentVersion: '3.3.987.0',
    });
    const d = await runCli(['ssm', 'status', '--json'], cliEnv);
    expect(JSON.parse(d.stdout)).toMatchObject({ instanceId: WS });
    f.server.addInstance({ instanceId: OTHER, tags: { Name: 'claudecode-second' } });
    const amb = await runCli(['ssm', 'status', '--json'], cliEnv);
    expect(amb.code).toBe(1);
    expect(JSON.parse(amb.stdout)).toMatchObject({ error: { code: 'ambiguous-instance' } }); // one JSON document
    const ambText = await runCli(['ssm', 'status'], cliEnv);
    expect(ambText.stderr).toMatch(/found i-0123456789abcdef0 Online/);
    expect(ambText.stderr).toMatch(/several instances match Name=claudecode-\*/);
    f.server.removeInstance(OTHER);
    // Signed with the operator profile, not the AWS_ACCESS_KEY_ID in the environment.
    expect(new Set(f.server.requests.map((q) => q.accessKeyId))).toEqual(new Set([OPERATOR.accessKeyId]));
    const text = await runCli(['ssm', 'status', '--instance', WS], cliEnv);
    expect(text.stdout).toMatch(/ping status: +Online/);
    const bad = await runCli(['ssm', 'status', '--instance', 'i-xyz', '--json'], cliEnv);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'invalid-instance-id' } });
    expect(
      f.server.requests.filter((q) => q.params.Filters && JSON.stringify(q.params).includes('i-xyz')),
    ).toHaveLength(0);
  });

  it('elevate ssm cloud-init --json (done; agent offline refused; degraded exit 0; error exit 1)', async () => {
    f.server.addInstance({ instanceId: WS });
    const r = await runCli(['ssm', 'cloud-init', '--instance', WS, '--json'], cliEnv);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(j).sort()).toEqual([
      'elapsedSeconds',
      'instanceId',
      'output',
      'responseCode',
      'status',
    ]);
    expect(j).toMatchObject({ instanceId: WS, status: 'done', responseCode: 0 });
    expect(j.elapsedSeconds).toBeGreaterThanOrEqual(2);
    f.server.scriptCommand(WS, [
      { status: 'Failed', responseCode: 2, stdout: cloudInitJson('done', 'degraded done') },
    ]);
    const deg = await runCli(
      ['ssm', 'cloud-init', '--instance', WS, '--wait', '--timeout', '30', '--json'],
      cliEnv,
    );
    expect([deg.code, JSON.parse(deg.stdout).status]).toEqual([0, 'degraded']);
    f.server.scriptCommand(WS, [
      { status: 'Failed', responseCode: 1, stdout: cloudInitJson('error', 'error - done') },
    ]);
    const er = await runCli(['ssm', 'cloud-init', '--instance', WS], cliEnv);
    expect(er.code).toBe(1);
    expect(er.stdout).toMatch(/cloud-init on i-0123456789abcdef0: error/);
    f.server.setPingStatus(WS, 'ConnectionLost');
    const sends = f.server.callCount('SendCommand');
    const off = await runCli(['ssm', 'cloud-init', '--instance', WS, '--json'], cliEnv);
    expect(off.code).toBe(1);
    expect(JSON.parse(off.stdout)).toMatchObject({ error: { code: 'agent-offline' } });
    expect(f.server.callCount('SendCommand')).toBe(sends);
  });

  it('elevate doctor: which AWS CLI connect runs, and an operator profile that is an agent tier is flagged', async () => {
    const r = await runCli(['doctor', '--json'], cliEnv);
    const checks = (JSON.parse(r.stdout) as { checks: { id: string; status: string; message: string }[] })
      .checks;
    const ws = checks.find((c) => c.id === 'workstation')!;
    expect(ws).toMatchObject({ status: 'ok' });
    expect(ws.message).toMatch(
      /discovered by Name=claudecode-\* in eu-west-1 \(profile\), operator profile "ops" \(settings\)/,
    );
    const cli = checks.find((c) => c.id === 'workstation-aws-cli')!;
    if (hasCliV2) expect(cli.message).toMatch(/^connect will run AWS CLI 2\.\d+\.\d+ at \/usr\/bin\/aws/);
    writeFileSync(
      join(f.dir, 'elevate', 'settings.json'),
      JSON.stringify({ workstation: { operatorProfile: 'claudecode-readonly' } }),
    );
    const r2 = await runCli(['doctor', '--json'], cliEnv);
    const ws2 = (
      JSON.parse(r2.stdout) as { checks: { id: string; status: string; message: string }[] }
    ).checks.find((c) => c.id === 'workstation')!;
    expect(ws2.status).toBe('warn');
    expect(ws2.message).toMatch(/the operator profile is one of the agent tiers/);
  });

  it('elevate workstation template prints infra/workstation.yaml', async () => {
    const r = await runCli(['workstation', 'template'], cliEnv);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ROOT, 'infra', 'workstation.yaml'), 'utf8'));
    expect((await runCli(['workstation', 'nope'], cliEnv)).code).toBe(2);
  });

  it('connect prerequisites: the AWS CLI v2 is found behind the v1 first on PATH; a missing plugin is explained', async () => {
    const found = await findAwsCliV2(cliEnv);
    expect(found.ok).toBe(hasCliV2);
    if (hasCliV2) {
      expect(found.path).toBe('/usr/bin/aws');
      expect(found.version).toMatch(/^2\./);
      const first = found.candidates?.[0];
      if (first && first.major === 1) expect(found.message).toMatch(/is first on PATH and is NOT used/);
    }
    f.server.addInstance({ instanceId: WS });
    const noPlugin = { ...cliEnv, PATH: process.env.PATH ?? '/usr/bin:/bin' };
    const r = await runCli(['ssm', 'connect', '--instance', WS, '--dry-run', '--json'], noPlugin);
    expect(r.code).toBe(1);
    const e = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    expect(e.error.code).toBe('missing-tool');
    expect(e.error.message).toMatch(/session-manager-plugin is not on PATH/);
    expect(e.error.message).toMatch(/install: .*session-manager-plugin/);
    expect(f.server.callCount('SendCommand')).toBe(0);
  });

  it('connect waits for cloud-init and refuses when it failed; --anyway skips the check', async () => {
    f.server.addInstance({ instanceId: WS });
    f.server.scriptCommand(WS, [
      { status: 'Failed', responseCode: 1, stdout: cloudInitJson('error', 'error - done') },
    ]);
    const r = await runCli(['ssm', 'connect', '--instance', WS, '--dry-run', '--json'], cliEnv);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'cloud-init-not-done' } });
    expect(JSON.parse(r.stdout).error.message).toMatch(/cloud-init reported an error/);
    expect(JSON.parse(r.stdout).error.message).toMatch(/Connect anyway \(--anyway\)/);
    const sends = f.server.callCount('SendCommand');
    const a = await runCli(['ssm', 'connect', '--instance', WS, '--anyway', '--dry-run', '--json'], cliEnv);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout)).toMatchObject({ cloudInit: 'skipped', launched: false });
    expect(f.server.callCount('SendCommand')).toBe(sends);
  });

  it.skipIf(!hasCliV2)(
    'connect: the argv Elevate builds runs the real aws 2.9 start-session against the endpoint; the plugin gets response, region, operation, profile, target, endpoint (skipped: /usr/bin/aws not installed)',
    async () => {
      f.server.addInstance({ instanceId: WS });
      const r = await runCli(['ssm', 'connect', '--instance', WS, '--dry-run', '--json'], cliEnv);
      expect(r.code).toBe(0);
      const plan = JSON.parse(r.stdout) as {
        argv: string[];
        aws: { path: string; version: string };
        cloudInit: string;
        plugin: { version: string };
      };
      expect(plan.cloudInit).toBe('done');
      expect(plan.aws.path).toBe('/usr/bin/aws');
      expect(plan.plugin.version).toBe('1.2.707.0');
      expect(plan.argv).toEqual([
        '/usr/bin/aws',
        'ssm',
        'start-session',
        '--target',
        WS,
        '--region',
        'eu-west-1',
        '--profile',
        'ops',
        '--endpoint-url',
        f.server.url,
      ]);
      // Run it as the terminal would (env: the override variables removed, as the plan says).
      const env = { ...cliEnv };
      delete env.AWS_ACCESS_KEY_ID;
      delete env.AWS_SECRET_ACCESS_KEY;
      await execFileP(plan.argv[0]!, plan.argv.slice(1), { env, timeout: 30_000 });
      const got = JSON.parse(readFileSync(join(f.dir, 'plugin.json'), 'utf8')) as string[];
      expect(got).toHaveLength(6);
      const started = f.server.startSessionCalls[0]!;
      expect(JSON.parse(got[0]!)).toMatchObject({
        SessionId: started.sessionId,
        StreamUrl: expect.stringContaining('wss://ssmmessages.eu-west-1.amazonaws.com/'),
        TokenValue: expect.any(String),
      });
      expect(got.slice(1, 4)).toEqual(['eu-west-1', 'StartSession', 'ops']);
      expect(JSON.parse(got[4]!)).toEqual({ Target: WS });
      expect(got[5]).toBe(f.server.url);
      expect(started).toMatchObject({ target: WS, callerArn: OPERATOR.arn });
      const ss = f.server.requests.find((q) => q.action === 'StartSession')!;
      expect(ss).toMatchObject({ accessKeyId: OPERATOR.accessKeyId, region: 'eu-west-1', statusCode: 200 });
    },
    60_000,
  );

  it.skipIf(!hasCliV2)(
    'connect with foreign static keys left in the env: --profile wins (skipped: /usr/bin/aws not installed)',
    async () => {
      f.server.addInstance({ instanceId: WS });
      const plan = buildConnectPlan({
        target: { ...f.target(), instanceId: WS },
        settings: f.settings,
        awsPath: '/usr/bin/aws',
      });
      await execFileP(plan.argv[0]!, plan.argv.slice(1), { env: cliEnv, timeout: 30_000 });
      const ss = f.server.requests.find((q) => q.action === 'StartSession')!;
      expect(ss.accessKeyId).toBe(OPERATOR.accessKeyId);
    },
    60_000,
  );

  it.skipIf(!hasCliV2)(
    'remote Claude (read-only): AWS-StartInteractiveCommand with the quoted remote command, no deadline; hostile profile names stay literal (skipped: /usr/bin/aws not installed)',
    async () => {
      f.server.addInstance({ instanceId: WS });
      const hostile = "claudecode-readonly'; touch /tmp/pwned-elevate; echo '$(id)";
      writeFileSync(
        join(f.dir, 'elevate', 'settings.json'),
        JSON.stringify({
          workstation: { operatorProfile: 'ops', remoteReadonlyProfile: hostile },
        }),
      );
      const r = await runCli(
        [
          'ssm',
          'connect',
          '--instance',
          WS,
          '--remote-claude',
          'readonly',
          '--anyway',
          '--dry-run',
          '--json',
        ],
        cliEnv,
      );
      expect(r.code).toBe(0);
      const plan = JSON.parse(r.stdout) as { argv: string[]; remoteCommand: string; deadline: string | null };
      expect(plan.deadline).toBeNull();
      const i = plan.argv.indexOf('--document-name');
      expect(plan.argv[i + 1]).toBe('AWS-StartInteractiveCommand');
      expect(plan.argv[i + 2]).toBe('--parameters');
      expect(JSON.parse(plan.argv[i + 3]!)).toEqual({ command: [plan.remoteCommand] });
      expect(plan.remoteCommand).toMatch(/^sudo -i -u ec2-user -- env /);
      // The remote line, evaluated by sh with a recording sudo, yields the profile as one literal value.
      const rec = join(f.dir, 'rec');
      mkdirSync(rec);
      writeFileSync(join(rec, 'sudo'), '#!/bin/sh\nprintf "%s\\0" "$@"\n');
      chmodSync(join(rec, 'sudo'), 0o755);
      const { stdout } = await execFileP('/bin/sh', ['-c', plan.remoteCommand], {
        env: { PATH: `${rec}:/usr/bin:/bin` },
      });
      expect(stdout.split('\0')).toContain(`AWS_PROFILE=${hostile}`);
      expect(existsSync('/tmp/pwned-elevate')).toBe(false);
      // And through the real CLI: the parameters arrive at StartSession and at the plugin unchanged.
      const env = { ...cliEnv };
      delete env.AWS_ACCESS_KEY_ID;
      delete env.AWS_SECRET_ACCESS_KEY;
      await execFileP(plan.argv[0]!, plan.argv.slice(1), { env, timeout: 30_000 });
      expect(f.server.startSessionCalls[0]).toMatchObject({
        target: WS,
        documentName: 'AWS-StartInteractiveCommand',
        parameters: { command: [plan.remoteCommand] },
      });
      const got = JSON.parse(readFileSync(join(f.dir, 'plugin.json'), 'utf8')) as string[];
      expect(JSON.parse(got[4]!)).toEqual({
        Target: WS,
        DocumentName: 'AWS-StartInteractiveCommand',
        Parameters: { command: [plan.remoteCommand] },
      });
    },
    60_000,
  );

  // Security change (issue 12 P2): the hardened workstation has no elevated profile and its instance role
  // cannot assume the elevated role; Elevate does not ship elevated credentials there. `--remote-claude
  // elevated` (which used to open a deadline-bound remote elevated session) is refused before anything runs.
  it('ssm connect --remote-claude elevated: refused with what to do instead; no AWS request, no session, no terminal', async () => {
    f.server.addInstance({ instanceId: WS });
    const before = f.server.requests.length;
    const r = await runCli(
      ['ssm', 'connect', '--instance', WS, '--remote-claude', 'elevated', '--anyway', '--terminal', 'xterm'],
      cliEnv,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('remote elevated sessions are not supported');
    expect(r.stderr).toContain('--remote-claude readonly');
    expect(r.stderr).toContain('elevate launch elevated');
    expect(f.server.requests.length).toBe(before);
    expect(f.server.startSessionCalls).toEqual([]);
    const sessions = join(cliEnv.ELEVATE_HOME!, 'sessions');
    expect(existsSync(sessions) ? readdirSync(sessions) : []).toEqual([]);
    // --json: the error code is machine-readable
    const j = await runCli(
      ['ssm', 'connect', '--instance', WS, '--remote-claude', 'elevated', '--anyway', '--dry-run', '--json'],
      cliEnv,
    );
    expect(j.code).toBe(1);
    expect(j.stdout + j.stderr).toContain('remote-elevated-unsupported');
    expect(f.server.startSessionCalls).toEqual([]);
  });

  it.skipIf(!hasCliV2)(
    'port forwarding from settings: document + JSON parameters through the real CLI (skipped: /usr/bin/aws not installed)',
    async () => {
      f.server.addInstance({ instanceId: WS });
      writeFileSync(
        join(f.dir, 'elevate', 'settings.json'),
        JSON.stringify({
          workstation: {
            operatorProfile: 'ops',
            portForward: {
              document: 'AWS-StartPortForwardingSession',
              parameters: { portNumber: ['8080'], localPortNumber: ['18080'] },
            },
          },
        }),
      );
      const r = await runCli(['ssm', 'connect', '--instance', WS, '--anyway', '--dry-run', '--json'], cliEnv);
      const plan = JSON.parse(r.stdout) as { argv: string[] };
      await execFileP(plan.argv[0]!, plan.argv.slice(1), { env: cliEnv, timeout: 30_000 });
      expect(f.server.startSessionCalls[0]).toMatchObject({
        documentName: 'AWS-StartPortForwardingSession',
        parameters: { portNumber: ['8080'], localPortNumber: ['18080'] },
      });
    },
    60_000,
  );

  it.skipIf(!hasCliV2)(
    'without the plugin the real CLI terminates the session it started (skipped: /usr/bin/aws not installed)',
    async () => {
      f.server.addInstance({ instanceId: WS });
      const plan = buildConnectPlan({
        target: { ...f.target(), instanceId: WS },
        settings: f.settings,
        awsPath: '/usr/bin/aws',
      });
      const env = { ...cliEnv, PATH: '/usr/bin:/bin' };
      const err = await execFileP(plan.argv[0]!, plan.argv.slice(1), { env, timeout: 30_000 }).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      expect(err?.code).not.toBe(0);
      expect(err?.stderr).toMatch(/SessionManagerPlugin is not found/);
      expect(f.server.terminateSessionCalls.map((c) => c.sessionId)).toEqual([
        f.server.startSessionCalls[0]!.sessionId,
      ]);
    },
    60_000,
  );

  it.skipIf(!hasCliV2)(
    'Connect through the launcher: a tier-less ssm session spec; its `elevate run --session ID` runs the real start-session (skipped: /usr/bin/aws not installed)',
    async () => {
      f.server.addInstance({ instanceId: WS });
      const opened: string[][] = [];
      const r = await connectWorkstation({
        env: cliEnv,
        flags: { instanceId: WS },
        launch: {
          self: { argv: [process.execPath, CLI], env: {} },
          terminal: 'xterm',
          open: async (_a, command) => {
            opened.push(command);
            return { pid: undefined, argv: command };
          },
        },
      });
      expect(r.cloudInit).toBe('done');
      const spec = r.launched!.spec;
      expect(spec).toMatchObject({ kind: 'ssm', tier: null, argv: r.plan.argv, title: `Workstation ${WS}` });
      expect(spec.deadline).toBeUndefined();
      expect(spec.env.unset).toEqual(expect.arrayContaining(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']));
      expect((spec.env as { pathPrepend?: string[] }).pathPrepend).toEqual([pluginDir]);
      expect(opened).toEqual([
        [
          '/usr/bin/env',
          `ELEVATE_HOME=${cliEnv.ELEVATE_HOME}`,
          process.execPath,
          CLI,
          'run',
          '--session',
          spec.id,
        ],
      ]);
      // The terminal's part, done here: run the command it was given, with a PATH that lacks the plugin.
      const env = { ...cliEnv, PATH: '/usr/bin:/bin' };
      const run = await runCli(['run', '--session', spec.id], env);
      expect(run.code).toBe(0);
      const got = JSON.parse(readFileSync(join(f.dir, 'plugin.json'), 'utf8')) as string[];
      expect(got.slice(1, 4)).toEqual(['eu-west-1', 'StartSession', 'ops']);
      expect(f.server.requests.find((q) => q.action === 'StartSession')).toMatchObject({
        accessKeyId: OPERATOR.accessKeyId,
      });
      expect(readSession(spec.id, cliEnv)).toMatchObject({ endReason: 'exit', exitCode: 0 });
      const audit = readFileSync(join(f.dir, 'elevate', 'audit.jsonl'), 'utf8');
      expect(audit).toContain(`"workstation":"${WS}"`);
    },
    90_000,
  );

  // Security change (issue 12 P2): this used to prove the elevation deadline ended a remote elevated SSM
  // session; remote elevated sessions are now refused, so the app's connect returns the refusal instead.
  it('app: ssm:connect with remoteClaude elevated returns remote-elevated-unsupported; no StartSession, nothing opened', async () => {
    f.server.addInstance({ instanceId: WS });
    const opened: string[][] = [];
    const core = new ElevateCore({
      env: cliEnv,
      persist: false,
      launchOptions: {
        self: { argv: [process.execPath, CLI], env: {} },
        terminal: 'xterm',
        open: async (_a, c) => {
          opened.push(c);
          return { pid: undefined, argv: c };
        },
      },
    });
    try {
      core.start();
      const r = await core.invoke('ssm:connect', { remoteClaude: 'elevated', anyway: true });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('remote-elevated-unsupported');
      expect(r.error.message).toBe(REMOTE_ELEVATED_REFUSAL);
      expect(opened).toEqual([]);
      expect(f.server.startSessionCalls).toEqual([]);
      expect(core.getState().elevation).toBeNull();
    } finally {
      core.stop();
    }
  });
});
