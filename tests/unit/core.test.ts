// The app's state store and dispatcher (electron/app/core.ts) in plain Node: temp AWS files,
// the local STS endpoint for identity checks, a manual clock for the elevation timer.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ElevateCore } from '../../electron/app/core';
import { readAudit } from '../../electron/node/audit';
import { readAppState } from '../../electron/node/appState';
import { readSession, writeSession } from '../../electron/node/sessions';
import { activityLogPath, parseShimPayload, PAYLOAD_MAGIC, recordCall } from '../../electron/node/activity';
import { readActive } from '../../electron/node/activeTier';
import { AppStateSchema } from '../../shared/state';
import { buildTrayModel } from '../../shared/trayModel';
import { awsTestEnv, startAwsServer, type AwsServer } from '../helpers/awsServer';
import {
  BASE_KEY,
  ELEVATED_ROLE,
  ManualClock,
  READONLY_ROLE,
  tempHome,
  TWO_TIER_CONFIG,
  type TempHome,
} from '../helpers/appFixture';

const T0 = Date.parse('2026-11-24T15:00:00Z');
let server: AwsServer;
let home: TempHome;
const cores: ElevateCore[] = [];

beforeAll(async () => {
  server = await startAwsServer({ staticKeys: [BASE_KEY] });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  for (const c of cores.splice(0)) c.stop();
  home?.cleanup();
});

function makeCore(
  opts: {
    config?: string | null;
    clock?: ManualClock;
    notes?: string[][];
    login?: boolean[];
    trusted?: boolean;
  } = {},
) {
  home = tempHome(awsTestEnv(server), opts.config === undefined ? undefined : opts.config);
  const clock = opts.clock ?? new ManualClock(T0);
  const core = new ElevateCore({
    env: home.env,
    clock,
    platform: {
      notify: (title, body) => opts.notes?.push([title, body]),
      setLaunchAtLogin: (on) => opts.login?.push(on),
      pickFolder: async () => home.dir,
      openExternal: async () => undefined,
      confirm: async () => true, // main's native dialog: the human says yes (coreConfirm.test.ts: no)
    },
    ...(opts.trusted
      ? { trustedSender: (url: string) => url === 'file:///app/out/renderer/index.html' }
      : {}),
  });
  cores.push(core);
  core.start();
  return { core, clock };
}

describe('ElevateCore state', () => {
  it('first run without tiers: no tiers, tier off, state.json claimed with pid and activeTier', () => {
    const { core } = makeCore({ config: null });
    const s = core.getState();
    expect(AppStateSchema.parse(s)).toBeTruthy();
    expect(s.tiers).toMatchObject({ readonly: null, elevated: null, source: 'none' });
    expect(s.activeTier).toBe('off');
    expect(s.configError).toBeNull();
    const persisted = readAppState(home.env);
    expect(persisted.state).toMatchObject({ pid: process.pid, activeTier: 'off', elevation: null });
    expect(persisted.running).toBe(true);
    core.stop();
    expect(readAppState(home.env).state?.pid).toBeUndefined();
  });

  it('two tiers detected: chains, role ARNs; never switched → off, as `elevate status` (readActive) says', () => {
    const { core } = makeCore();
    const s = core.getState();
    expect(s.activeTier).toBe('off');
    expect(readActive(new Date(T0), home.env).state.tier).toBe(s.activeTier);
    expect(s.tiers.readonly).toMatchObject({
      profile: 'claudecode-readonly',
      roleArn: READONLY_ROLE,
      chain: ['claudecode-readonly', 'base'],
    });
    expect(s.tiers.elevated?.chain).toEqual(['claudecode-elevated', 'claudecode-readonly', 'base']);
    expect(buildTrayModel(s, T0).icon).toBe('none');
    expect(buildTrayModel(s, T0).items.find((i) => i.id === 'tier:off')?.checked).toBe(true);
  });

  it('self-elevation (issue 12 P2): the seed layout carries the fail finding naming both profiles; mfa_serial from the operator → ok', async () => {
    const { core } = makeCore(); // seed: claudecode-elevated's source_profile is claudecode-readonly, no MFA
    const s = core.getState();
    expect(AppStateSchema.parse(s)).toBeTruthy();
    const f = s.tiers.elevated?.selfElevation;
    expect(f?.status).toBe('fail');
    expect(f?.message).toContain('self-elevation possible');
    expect(f?.message).toContain('"claudecode-elevated"');
    expect(f?.message).toContain('"claudecode-readonly"');
    expect(f?.fix).toContain('mfa_serial');
    expect(s.tiers.readonly?.selfElevation).toBeUndefined(); // judged on the elevated tier only
    core.stop();
    home.cleanup(); // makeCore below makes a new temp home

    // hardened: the elevated role is assumed from the operator's credentials with MFA, not from read-only
    const hardened = TWO_TIER_CONFIG.replace(
      'source_profile = claudecode-readonly\nrole_session_name = dana-elevated\n',
      'source_profile = base\nrole_session_name = dana-elevated\nmfa_serial = arn:aws:iam::111122223333:mfa/dana\n',
    );
    expect(hardened).not.toBe(TWO_TIER_CONFIG);
    const { core: c2 } = makeCore({ config: hardened });
    const h = c2.getState().tiers.elevated?.selfElevation;
    expect(h?.status).toBe('ok');
    expect(h?.message).toContain('arn:aws:iam::111122223333:mfa/dana');
    expect(h?.fix).toBeUndefined();
    expect(c2.getState().elevatedNeedsMfa).toBe(true);

    // the file changes under the running app: a reload re-judges it
    home.writeConfig(TWO_TIER_CONFIG);
    await c2.invoke('state:refresh', undefined);
    expect(c2.getState().tiers.elevated?.selfElevation?.status).toBe('fail');
  });

  it('a broken ~/.aws/config is a visible configError, not a crash', () => {
    const { core } = makeCore({ config: '[profile claudecode-readonly\nrole_arn = x\n' });
    const s = core.getState();
    expect(s.configError).toMatch(/config/);
    expect(buildTrayModel(s, T0).icon).toBe('error');
  });

  it('subscribers get every new snapshot with a growing revision', async () => {
    const { core } = makeCore();
    const seen: number[] = [];
    const off = core.subscribe((s) => seen.push(s.revision));
    await core.invoke('state:refresh', undefined);
    off();
    await core.invoke('state:refresh', undefined);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(core.getState().revision).toBeGreaterThan(seen[seen.length - 1] as number);
  });
});

describe('ElevateCore.handle (the IPC dispatcher)', () => {
  it('unknown channel, invalid payload and foreign sender get typed errors', async () => {
    const { core } = makeCore({ trusted: true });
    const own = { url: 'file:///app/out/renderer/index.html' };
    expect(await core.handle('fs:readFile', {}, own)).toEqual({
      ok: false,
      error: { code: 'unknown-channel', message: 'unknown channel "fs:readFile"' },
    });
    const bad = await core.handle('audit:list', { limit: 'all' }, own);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const extra = await core.handle('state:get', { sneaky: true }, own);
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await core.handle('state:get', undefined, { url: 'https://evil.example/' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden-sender' },
    });
    expect(await core.handle('state:get', undefined)).toMatchObject({
      ok: false,
      error: { code: 'forbidden-sender' },
    });
    // A core built without a sender check refuses every window request (deny by default).
    const { core: open } = makeCore();
    expect(await open.handle('state:get', undefined, own)).toMatchObject({
      ok: false,
      error: { code: 'forbidden-sender' },
    });
    expect((await open.invoke('state:get', undefined)).ok).toBe(true);
    const ok = await core.handle('state:get', undefined, own);
    expect(ok.ok && AppStateSchema.parse(ok.data).tiers.readonly?.profile).toBe('claudecode-readonly');
    // refused requests are not "errors of the app": nothing recorded
    expect(core.getState().errors).toEqual([]);
  });

  it('tiers:verify returns both identities from STS and stores them in state', async () => {
    const { core } = makeCore();
    const r = await core.invoke('tiers:verify', {});
    expect(r.ok).toBe(true);
    const s = core.getState();
    expect(s.identities.readonly).toMatchObject({
      account: '111122223333',
      arn: 'arn:aws:sts::111122223333:assumed-role/ClaudeReadOnly/dana-readonly',
      sessionNameMatches: true,
    });
    expect(s.identities.elevated?.arn).toBe(
      'arn:aws:sts::111122223333:assumed-role/ClaudeElevated/dana-elevated',
    );
    expect(s.identities.readonly?.verifiedAt).toBe(new Date(T0).toISOString());
    expect(s.busy).toEqual([]);
    expect(server.assumeRoleCalls.some((c) => c.roleArn === ELEVATED_ROLE)).toBe(true);
  });

  it('tiers:verify failure (AssumeRole denied) is an identity error with the plain-words message', async () => {
    const { core } = makeCore();
    server.denyAssumeRole(ELEVATED_ROLE);
    try {
      const r = await core.invoke('tiers:verify', { tier: 'elevated' });
      expect(r.ok && r.data).toMatchObject({
        results: [{ tier: 'elevated', ok: false, error: { code: 'access-denied' } }],
      });
      expect(core.getState().identityErrors.elevated?.code).toBe('access-denied');
      expect(buildTrayModel(core.getState(), T0).icon).toBe('error');
    } finally {
      server.allowAssumeRole(ELEVATED_ROLE);
    }
  });

  it('settings:set validates, saves, applies launch-at-login, and records failures as visible errors', async () => {
    const login: boolean[] = [];
    const { core } = makeCore({ login });
    const ok = await core.invoke('settings:set', {
      patch: { launchAtLogin: true, elevation: { defaultMinutes: 45 } },
    });
    expect(ok.ok).toBe(true);
    expect(login).toEqual([true]);
    expect(
      JSON.parse(readFileSync(join(home.env.ELEVATE_HOME as string, 'settings.json'), 'utf8')),
    ).toMatchObject({ launchAtLogin: true, elevation: { defaultMinutes: 45 } });
    expect(core.getState().settings.elevationMinutes).toBe(45);
    const bad = await core.invoke('settings:set', { patch: { elevation: { defaultMinutes: 90 } } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-settings' } });
    expect(core.getState().errors.map((e) => [e.source, e.code])).toEqual([
      ['settings:set', 'invalid-settings'],
    ]);
    const id = core.getState().errors[0]?.id;
    await core.invoke('errors:dismiss', { id });
    expect(core.getState().errors).toEqual([]);
  });

  it('shell:openExternal only opens allowlisted https links', async () => {
    const { core } = makeCore();
    expect((await core.invoke('shell:openExternal', { url: 'https://docs.aws.amazon.com/cli/' })).ok).toBe(
      true,
    );
    for (const url of [
      'http://docs.aws.amazon.com/',
      'https://evil.example/',
      'file:///etc/passwd',
      'https://user:pw@github.com/',
      'javascript:alert(1)',
    ]) {
      expect(await core.invoke('shell:openExternal', { url })).toMatchObject({
        ok: false,
        error: { code: 'forbidden-url' },
      });
    }
  });

  it('doctor:run and audit:list answer within the contract', async () => {
    const { core } = makeCore();
    const d = await core.invoke('doctor:run', undefined);
    const ids = d.ok ? (d.data as { checks: { id: string }[] }).checks.map((c) => c.id) : [];
    // the same checks as `elevate doctor`: core ones plus the launch/workstation/Claude-settings extensions
    expect(ids).toEqual(expect.arrayContaining(['tiers', 'claude', 'terminal', 'claude-bedrock-region']));
    const a = await core.invoke('audit:list', { limit: 5 });
    expect(a).toEqual({ ok: true, data: { records: [] } });
    const p = await core.invoke('dialog:pickFolder', {});
    expect(p).toEqual({ ok: true, data: { path: home.dir } });
  });
});

describe('ElevateCore launches (terminal spawner seam: no window opens)', () => {
  // Security change (issue 12): the app no longer mints elevated credentials nor writes a credential_process
  // config; the session's runner does, in its own terminal (MFA there), behind its broker.
  it('an elevated launch goes through the one elevation transaction: no credentials minted by the app, whole-second deadline, one elevation-start line, timer started', async () => {
    home = tempHome(awsTestEnv(server));
    const bin = join(home.dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'claude'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const project = join(home.dir, 'proj');
    mkdirSync(project);
    const opened: string[][] = [];
    const clock = new ManualClock(Date.now());
    const core = new ElevateCore({
      env: { ...home.env, PATH: `${bin}:${home.env.PATH}` },
      clock,
      platform: { confirm: async () => true }, // main's native dialog: yes
      launchOptions: {
        terminal: 'xterm',
        open: async (_a, command) => {
          opened.push(command);
          return { pid: undefined, argv: command };
        },
      },
    });
    cores.push(core);
    core.start();
    const before = server.assumeRoleCalls.length;
    const r = await core.invoke('launch:start', { tier: 'elevated', cwd: project, minutes: 15 });
    expect(r.ok).toBe(true);
    const data = (r as { data: { sessionId: string; deadline: string; warnings: string[] } }).data;
    expect(data.deadline).toBe(new Date(Math.floor((clock.now() + 15 * 60_000) / 1000) * 1000).toISOString());
    const spec = readSession(data.sessionId, home.env);
    expect(spec.env.set.AWS_CONFIG_FILE).toBeUndefined();
    expect(JSON.stringify(spec)).not.toMatch(/credential_process|SecretAccessKey|AUTHORIZATION_TOKEN/);
    expect(spec.deadline).toBe(data.deadline);
    expect(server.assumeRoleCalls.slice(before)).toEqual([]);
    expect(readAudit(home.env).filter((a) => a.type === 'elevation-start')).toHaveLength(1);
    await expect(
      core.invoke('launch:start', { tier: 'elevated', cwd: project, minutes: 90 }),
    ).resolves.toMatchObject({
      ok: false,
    });
    expect(core.getState().elevation).toMatchObject({
      sessionId: data.sessionId,
      source: 'launch',
      deadline: data.deadline,
    });
    expect(opened[0]?.slice(-3)).toEqual(['run', '--session', data.sessionId]);
    expect(readAudit(home.env).find((a) => a.type === 'launch')).toMatchObject({
      tier: 'elevated',
      sessionId: data.sessionId,
    });
    // a read-only launch is remembered as a recent folder, and no elevation config is written for it
    const ro = await core.invoke('launch:start', { tier: 'readonly', cwd: project });
    expect(ro.ok).toBe(true);
    expect(
      readSession((ro as { data: { sessionId: string } }).data.sessionId, home.env).env.set.AWS_CONFIG_FILE,
    ).toBeUndefined();
    expect(core.getState().settings.recentFolders).toEqual([project]);
  });
});

describe('ElevateCore workstation (local SSM endpoint)', () => {
  it('ssm:status and ssm:cloudInit fill the workstation state; errors land on the panel in plain words', async () => {
    const { core } = makeCore();
    server.addInstance({
      instanceId: 'i-0123456789abcdef0',
      pingStatus: 'Online',
      agentVersion: '3.3.1',
      platformName: 'Amazon Linux',
    });
    await core.invoke('settings:set', {
      patch: {
        workstation: { instanceId: 'i-0123456789abcdef0', region: 'us-east-1', operatorProfile: 'base' },
      },
    });
    expect(core.getState().workstation.configured).toBe(true);
    const st = await core.invoke('ssm:status', {});
    expect(st).toMatchObject({
      ok: true,
      data: { instanceId: 'i-0123456789abcdef0', pingStatus: 'Online', agentVersion: '3.3.1' },
    });
    expect(core.getState().workstation).toMatchObject({ pingStatus: 'Online', error: null });
    const ci = await core.invoke('ssm:cloudInit', { wait: false });
    expect(ci).toMatchObject({ ok: true, data: { status: 'done', responseCode: 0 } });
    expect(core.getState().workstation.cloudInit?.status).toBe('done');
    expect(core.getState().busy).toEqual([]);
    const menu = buildTrayModel(core.getState(), Date.now()).items.find((i) => i.id === 'workstation');
    expect(menu?.submenu?.[0]?.label).toBe('Online · i-0123456789abcdef0');

    server.setPingStatus('i-0123456789abcdef0', 'ConnectionLost');
    const off = await core.invoke('ssm:cloudInit', { wait: false });
    expect(off).toMatchObject({ ok: false, error: { code: 'agent-offline' } });
    expect(core.getState().workstation.error?.code).toBe('agent-offline');
    server.removeInstance('i-0123456789abcdef0');
  });
});

describe('ElevateCore workstation monitor (clock seam)', () => {
  it('refreshes while a window watches: at once, every 3 minutes, nothing after it closes', async () => {
    const { core, clock } = makeCore();
    server.addInstance({ instanceId: 'i-0aaaabbbbccccdddd', pingStatus: 'Online' });
    try {
      // not configured: watching makes no AWS call
      const calls = () => server.callCount('DescribeInstanceInformation');
      const c0 = calls();
      core.watchWorkstation()();
      await new Promise((r) => setTimeout(r, 50));
      expect(calls()).toBe(c0);
      await core.invoke('settings:set', {
        patch: {
          workstation: { instanceId: 'i-0aaaabbbbccccdddd', region: 'us-east-1', operatorProfile: 'base' },
        },
      });
      const release = core.watchWorkstation();
      await expect.poll(() => core.getState().workstation.pingStatus).toBe('Online');
      const c1 = calls();
      expect(c1).toBeGreaterThan(c0);
      clock.advance(3 * 60_000);
      await expect.poll(calls).toBeGreaterThan(c1);
      const c2 = calls();
      release();
      clock.advance(30 * 60_000);
      await new Promise((r) => setTimeout(r, 50));
      expect(calls()).toBe(c2);
    } finally {
      server.removeInstance('i-0aaaabbbbccccdddd');
    }
  });
});

describe('ElevateCore elevation timer (clock seam)', () => {
  it('warns at 5 and 1 minute, expires at the deadline (active tier untouched), audits and persists each step', () => {
    const notes: string[][] = [];
    const { core, clock } = makeCore({ notes });
    core.startElevation({ minutes: 15, source: 'launch', sessionId: '20261124150000-abcd1234' });
    // a launch elevation is per session: the active tier (active.json) stays what it was (off)
    expect(core.getState()).toMatchObject({
      activeTier: 'off',
      elevation: { deadline: '2026-11-24T15:15:00.000Z' },
    });
    expect(readAppState(home.env).state).toMatchObject({
      activeTier: 'off',
      deadline: '2026-11-24T15:15:00.000Z',
    });
    expect(clock.pending).toBe(1); // one timer, not a polling loop
    clock.advance(9 * 60_000);
    expect(notes).toEqual([]);
    clock.advance(60_000 + 1);
    expect(notes.map((n) => n[1])).toEqual(['5 minutes of elevated access left (until 15:15 UTC).']);
    expect(buildTrayModel(core.getState(), clock.now()).icon).toBe('expiring');
    clock.advance(4 * 60_000);
    expect(notes.length).toBe(2);
    expect(notes[1]?.[1]).toMatch(/^1 minute of elevated/);
    clock.advance(60_000);
    expect(core.getState()).toMatchObject({ activeTier: 'off', elevation: null, elevations: [] });
    expect(notes[2]?.[0]).toBe('Elevation ended');
    expect(readAudit(home.env).map((r) => r.type)).toEqual(['elevation-start', 'expiry']);
    expect(readAppState(home.env).state).toMatchObject({ activeTier: 'off', deadline: null });
    expect(clock.pending).toBe(0);
  });

  it('a restart before the deadline restores the elevation; after the deadline it does not', () => {
    const first = makeCore();
    first.core.startElevation({ minutes: 20, source: 'launch', sessionId: '20261124150000-abcd1234' });
    const saved = home;
    // second app instance on the same ELEVATE_HOME, 10 minutes later
    const again = new ElevateCore({ env: saved.env, clock: new ManualClock(T0 + 10 * 60_000) });
    cores.push(again);
    again.start();
    expect(again.getState()).toMatchObject({
      activeTier: 'off',
      elevation: { deadline: '2026-11-24T15:20:00.000Z' },
    });
    const late = new ElevateCore({ env: saved.env, clock: new ManualClock(T0 + 30 * 60_000) });
    cores.push(late);
    late.start();
    expect(late.getState()).toMatchObject({ activeTier: 'off', elevation: null });
  });

  it('refuses an elevation without an elevated tier', () => {
    const { core } = makeCore({ config: null });
    expect(() => core.startElevation({ minutes: 15, source: 'switch' })).toThrow(/no elevated tier/);
  });
});

describe('ElevateCore cost guard (issue 8: usage in state, tray warnings, notifications once)', () => {
  it("today's elevated time and sessions from real session specs; warns before and at the daily limit, once each", async () => {
    const notes: string[][] = [];
    home = tempHome(awsTestEnv(server));
    const env = home.env;
    writeFileSync(
      join(env.ELEVATE_HOME as string, 'settings.json'),
      JSON.stringify({ costGuard: { maxElevatedMinutesPerDay: 60, maxSessionMinutes: 90 } }),
    );
    const spec = (id: string, patch: Record<string, unknown>) =>
      writeSession(
        {
          id,
          kind: 'claude',
          tier: 'elevated',
          profile: 'claudecode-elevated',
          cwd: home.dir,
          argv: ['claude'],
          env: { set: {}, unset: [] },
          title: 'claude-el',
          createdAt: new Date(T0 - 4 * 3600_000).toISOString(),
          ...patch,
        },
        env,
      );
    // an elevated session this morning: 30 min; one running now (its runner = this process): 10 min so far
    spec('20261124110000-aaaa1111', {
      startedAt: new Date(T0 - 3 * 3600_000).toISOString(),
      endedAt: new Date(T0 - 3 * 3600_000 + 30 * 60_000).toISOString(),
    });
    spec('20261124145000-bbbb2222', {
      createdAt: new Date(T0 - 10 * 60_000).toISOString(),
      startedAt: new Date(T0 - 10 * 60_000).toISOString(),
      deadline: new Date(T0 + 50 * 60_000).toISOString(),
      runnerPid: process.pid,
    });
    const clock = new ManualClock(T0);
    const core = new ElevateCore({ env, clock, platform: { notify: (t, b) => notes.push([t, b]) } });
    cores.push(core);
    core.start();
    const s = core.getState();
    expect(AppStateSchema.parse(s).usage).toMatchObject({
      elevatedSecondsToday: 40 * 60,
      sessionsToday: 2,
      limits: { maxElevatedMinutesPerDay: 60, maxSessionMinutes: 90 },
      warnings: [],
      computedAt: new Date(T0).toISOString(),
    });
    expect(notes).toEqual([]);
    // one timer, for the moment the warning falls due (50 of 60 min: 10 min ahead), not a polling loop
    expect(clock.pending).toBe(1);
    clock.advance(10 * 60_000);
    expect(core.getState().usage?.elevatedSecondsToday).toBe(50 * 60);
    expect(notes).toEqual([
      ['Cost guard: limit ahead', '10 min of elevated time left today (limit 60 min).'],
    ]);
    const tray = buildTrayModel(core.getState(), clock.now());
    expect(tray.items[1]).toEqual({
      id: 'usage:warning:0',
      label: '⚠ 10 min of elevated time left today (limit 60 min)',
      enabled: false,
    });
    expect(tray.tooltip).toContain('Cost guard: 10 min of elevated time left today (limit 60 min)');
    // a refresh a minute later recomputes, but the same warning is not notified again
    clock.advance(60_000);
    await core.invoke('state:refresh', undefined);
    expect(core.getState().usage?.warnings[0]?.minutesLeft).toBe(9);
    expect(notes.length).toBe(1);
    clock.advance(9 * 60_000);
    expect(core.getState().usage?.warnings.map((w) => w.level)).toEqual(['reached']);
    expect(notes[1]).toEqual([
      'Cost guard: limit reached',
      'Elevated time today has reached the 60 min limit.',
    ]);
    // the settings form's fields: clearing the daily limit removes its warning
    const r = await core.invoke('settings:set', { patch: { costGuard: { maxElevatedMinutesPerDay: null } } });
    expect(r.ok).toBe(true);
    expect(core.getState().usage).toMatchObject({
      limits: { maxElevatedMinutesPerDay: null, maxSessionMinutes: 90 },
      warnings: [],
    });
    expect(buildTrayModel(core.getState(), clock.now()).tooltip).not.toContain('Cost guard');
  });

  it('without limits: totals only, no usage timer, no warnings', () => {
    const { core, clock } = makeCore();
    expect(core.getState().usage).toMatchObject({
      elevatedSecondsToday: 0,
      sessionsToday: 0,
      limits: { maxElevatedMinutesPerDay: null, maxSessionMinutes: null },
      warnings: [],
    });
    expect(clock.pending).toBe(0);
  });
});

describe('ElevateCore activity:list and policy:hints (activity.jsonl written by the shim recorder)', () => {
  /** What the perl shim pipes to the recorder: NUL-separated times, status, argv, then the stderr tail. */
  function record(env: Record<string, string | undefined>, tier: 'readonly' | 'elevated', session: string) {
    return (argv: string[], exit: number, stderr = '', at = T0) => {
      const payload = Buffer.from(
        [PAYLOAD_MAGIC, String(at), '812.5', String(exit), '0', String(argv.length), ...argv].join('\0') +
          '\0' +
          stderr,
      );
      const p = parseShimPayload(payload);
      if (!p) throw new Error('payload did not parse');
      recordCall({ log: activityLogPath(env), session, tier, profile: `claudecode-${tier}` }, p);
    };
  }
  const ARN = 'arn:aws:sts::111122223333:assumed-role/ClaudeReadOnly/dana-readonly';

  it('lists calls (names only, per session, limited) and groups denials into hints with the IAM statement', async () => {
    const { core } = makeCore();
    const env = home.env;
    const ro = record(env, 'readonly', '20261124150000-abcd1234');
    ro(['sts', 'get-caller-identity'], 0);
    ro(
      ['s3api', 'get-object', '--bucket', 'reports', '--key', 'q3.csv', '/tmp/out'],
      254,
      `\nAn error occurred (AccessDenied) when calling the GetObject operation: User: ${ARN} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::reports/q3.csv" because no identity-based policy allows the s3:GetObject action\n`,
      T0 + 1000,
    );
    ro(
      ['secretsmanager', 'put-secret-value', '--secret-id', 'db', '--secret-string', 'hunter2-TOPSECRET'],
      254,
      `\nAn error occurred (AccessDeniedException) when calling the PutSecretValue operation: User: ${ARN} is not authorized to perform: secretsmanager:PutSecretValue on resource: db because no identity-based policy allows the secretsmanager:PutSecretValue action\n`,
      T0 + 2000,
    );
    record(env, 'elevated', '20261124151000-efef5678')(['s3', 'ls'], 0, '', T0 + 3000);

    const all = await core.invoke('activity:list', undefined);
    expect(all.ok).toBe(true);
    const data = all.ok ? (all.data as { records: Record<string, unknown>[]; total: number }) : null;
    expect(data?.total).toBe(4);
    expect(data?.records.map((r) => [r.service, r.operation, r.tier, r.exitCode])).toEqual([
      ['sts', 'get-caller-identity', 'readonly', 0],
      ['s3api', 'get-object', 'readonly', 254],
      ['secretsmanager', 'put-secret-value', 'readonly', 254],
      ['s3', 'ls', 'elevated', 0],
    ]);
    expect(data?.records[1]?.denied).toMatchObject({
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::reports/q3.csv',
    });
    expect(JSON.stringify(data)).not.toContain('TOPSECRET');
    // argument values are not kept, only flag names (the ARN comes from the error text)
    expect(data?.records[1]?.flags).toEqual(['--bucket', '--key']);
    expect(JSON.stringify(data)).not.toContain('/tmp/out');

    const one = await core.invoke('activity:list', { session: '20261124151000-efef5678' });
    expect(one.ok && (one.data as { records: unknown[] }).records.length).toBe(1);
    const last = await core.invoke('activity:list', { limit: 2 });
    expect(
      last.ok && (last.data as { records: { operation: string }[] }).records.map((r) => r.operation),
    ).toEqual(['put-secret-value', 'ls']);
    // the contract validates the request
    for (const bad of [{ limit: 0 }, { session: '../../etc' }, { limit: 5, extra: 1 }]) {
      expect(await core.invoke('activity:list', bad)).toMatchObject({
        ok: false,
        error: { code: 'invalid-request' },
      });
    }
    expect(await core.invoke('policy:hints', { tier: 'readonly' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });

    const h = await core.invoke('policy:hints', undefined);
    expect(h.ok).toBe(true);
    const hints = h.ok
      ? (h.data as {
          tiers: {
            tier: string;
            profile: string | null;
            policy: string | null;
            handoff: { action: string }[];
          }[];
          elevatedForHandoff: string | null;
          calls: number;
        })
      : null;
    expect(hints?.calls).toBe(4);
    expect(hints?.tiers.map((t) => [t.tier, t.profile])).toEqual([['readonly', 'claudecode-readonly']]);
    const ro0 = hints?.tiers[0];
    // the read goes on the read-only role, the write is a hand-off (never widens read-only)
    expect(JSON.parse(ro0?.policy ?? 'null')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ElevateReadOnlyHints',
          Effect: 'Allow',
          Action: ['s3:GetObject'],
          Resource: 'arn:aws:s3:::reports/q3.csv',
        },
      ],
    });
    expect(ro0?.handoff.map((e) => e.action)).toEqual(['secretsmanager:PutSecretValue']);
    expect(JSON.parse(hints?.elevatedForHandoff ?? 'null').Statement[0].Action).toEqual([
      'secretsmanager:PutSecretValue',
    ]);
    expect(JSON.stringify(hints)).not.toContain('TOPSECRET');
  });

  it('no activity log yet: empty answers, not errors', async () => {
    const { core } = makeCore();
    expect(await core.invoke('activity:list', { limit: 10 })).toEqual({
      ok: true,
      data: { records: [], total: 0 },
    });
    expect(await core.invoke('policy:hints', {})).toEqual({
      ok: true,
      data: { tiers: [], elevatedForHandoff: null, calls: 0 },
    });
  });
});
