// The core's restart of stale sessions (`launch:start` + resumeId), overlapping elevations (each with its own
// deadline), MFA codes for elevated profiles with mfa_serial, and the active tier's single source
// (active.json, as `elevate status` reads it). Real local STS endpoint, a recording terminal seam (no
// window opens), a stand-in `claude` on PATH, the core's manual clock.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ElevateCore } from '../../electron/app/core';
import { readAudit } from '../../electron/node/audit';
import { readActive, switchTier } from '../../electron/node/activeTier';
import { readSession, updateSession } from '../../electron/node/sessions';
import { inspectHandoff, requirePlan } from '../../electron/node/handoff';
import { buildTrayModel } from '../../shared/trayModel';
import { awsTestEnv, startAwsServer, type AwsServer } from '../helpers/awsServer';
import {
  BASE_KEY,
  ELEVATED_ROLE,
  ManualClock,
  TWO_TIER_CONFIG,
  tempHome,
  type TempHome,
} from '../helpers/appFixture';

const MFA_SERIAL = 'arn:aws:iam::111122223333:mfa/dana';
const MFA_CONFIG = TWO_TIER_CONFIG.replace(
  'role_session_name = dana-elevated\n',
  `role_session_name = dana-elevated\nmfa_serial = ${MFA_SERIAL}\n`,
);

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

interface Setup {
  core: ElevateCore;
  clock: ManualClock;
  opened: string[][];
  project: string;
  notes: string[][];
}

function makeCore(srv: AwsServer, config: string = TWO_TIER_CONFIG): Setup {
  home = tempHome(awsTestEnv(srv), config);
  const bin = join(home.dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'claude'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const project = join(home.dir, 'proj');
  mkdirSync(project);
  const opened: string[][] = [];
  const notes: string[][] = [];
  // real time as the start: the local STS issues credentials against the wall clock
  const clock = new ManualClock(Date.now());
  const core = new ElevateCore({
    env: { ...home.env, PATH: `${bin}:${home.env.PATH}` },
    clock,
    // confirm: main's native dialog (issue 12 P4) answering yes; coreConfirm.test.ts covers no
    platform: { notify: (title, body) => notes.push([title, body]), confirm: async () => true },
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
  return { core, clock, opened, project, notes };
}

type LaunchData = { sessionId: string; deadline: string | null; replaced?: string | null; cwd: string };
async function launch(core: ElevateCore, req: Record<string, unknown>): Promise<LaunchData> {
  const r = await core.invoke('launch:start', req);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as LaunchData;
}

describe('active tier: one source (active.json) for the core, the tray radio and `elevate status`', () => {
  it('never switched → off everywhere; a CLI switch is followed; the radio is the active tier', () => {
    const { core } = makeCore(server);
    const status = () => readActive(new Date(), home.env).state.tier; // what `elevate status` prints
    const radio = () =>
      ['tier:readonly', 'tier:elevated', 'tier:off'].find(
        (id) => buildTrayModel(core.getState(), Date.now()).items.find((i) => i.id === id)?.checked,
      );
    expect([core.getState().activeTier, status(), radio()]).toEqual(['off', 'off', 'tier:off']);
    // the CLI (`elevate switch readonly`) writes active.json; the app picks it up (its watcher calls this)
    switchTier('readonly', { env: home.env, source: 'cli' });
    core.syncActive();
    expect([core.getState().activeTier, status(), radio()]).toEqual([
      'readonly',
      'readonly',
      'tier:readonly',
    ]);
    core.switchTier('off');
    expect([core.getState().activeTier, status(), radio()]).toEqual(['off', 'off', 'tier:off']);
  });
});

describe('restart a stale session under the new tier (launch:start + resumeId)', () => {
  it('ends the old session and opens `claude --resume <id>` under the new tier in the same folder', async () => {
    const { core, opened, project } = makeCore(server);
    const claudeId = '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
    const ro = await launch(core, { tier: 'readonly', cwd: project, resumeId: claudeId });
    expect(ro.replaced).toBeNull(); // nothing ran that conversation yet
    const sw = await core.invoke('tier:switch', { tier: 'elevated', minutes: 15, confirmed: true });
    const stale = sw.ok ? (sw.data as { staleSessions: unknown[] }).staleSessions : [];
    expect(stale).toEqual([
      expect.objectContaining({
        id: ro.sessionId,
        tier: 'readonly',
        claudeSessionId: claudeId,
        cwd: project,
      }),
    ]);

    // the window's "Restart under Elevated" button: tier + resumeId, no folder (the old session's is used)
    const el = await launch(core, { tier: 'elevated', resumeId: claudeId, minutes: 15 });
    expect(el.replaced).toBe(ro.sessionId);
    expect(el.cwd).toBe(project);
    const old = readSession(ro.sessionId, home.env);
    expect(old.endedAt).toBeTruthy();
    expect(old.endReason).toBe('dropped');
    const spec = readSession(el.sessionId, home.env);
    expect(spec).toMatchObject({ tier: 'elevated', cwd: project, resumeId: claudeId });
    expect(spec.argv.slice(-2)).toEqual(['--resume', claudeId]);
    // Security change: no generated credential_process config in the spec any more; the session's runner sets
    // up its own one-profile config and broker (sessionBroker.ts), like for every session.
    expect(spec.env.set.AWS_CONFIG_FILE).toBeUndefined();
    expect(readAudit(home.env).filter((a) => a.type === 'elevation-start')).toHaveLength(1);
    expect(opened.at(-1)?.slice(-3)).toEqual(['run', '--session', el.sessionId]);
    const audit = readAudit(home.env);
    expect(audit.find((a) => a.type === 'drop' && a.sessionId === ro.sessionId)).toBeTruthy();
    expect(audit.filter((a) => a.type === 'launch').at(-1)).toMatchObject({
      sessionId: el.sessionId,
      resumeId: claudeId,
    });
    // no longer stale: the restarted session runs under the active tier
    expect(core.getState().sessions.find((s) => s.id === el.sessionId)?.live).toBe(true);
  });

  it('refuses ids that are not session ids (a prompt can never become one) and a folder the session is not in', async () => {
    const { core, project } = makeCore(server);
    for (const resumeId of ['--dangerously-skip-permissions', 'fix the bug', '', 'a'.repeat(129)]) {
      const r = await core.invoke('launch:start', { tier: 'readonly', cwd: project, resumeId });
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
    const claudeId = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
    await launch(core, { tier: 'readonly', cwd: project, resumeId: claudeId });
    const other = join(home.dir, 'other');
    mkdirSync(other);
    const r = await core.invoke('launch:start', { tier: 'elevated', cwd: other, resumeId: claudeId });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-option' } });
    expect(r.ok ? '' : r.error.message).toContain(project);
  });
});

describe('overlapping elevations (clock seam): each keeps its own deadline', () => {
  it('a second elevated launch does not replace the first timer; shown: the one ending last; warnings/expiry per elevation; drop ends all', async () => {
    const { core, clock, project, notes } = makeCore(server);
    const t0 = clock.now();
    // elevatedLaunch gives whole-second deadlines (the session policy's aws:CurrentTime has seconds)
    const ws = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();
    const a = await launch(core, { tier: 'elevated', cwd: project, minutes: 15 });
    clock.advance(5 * 60_000);
    const b = await launch(core, { tier: 'elevated', cwd: project, minutes: 30 });
    let s = core.getState();
    expect(s.elevations.map((e) => [e.sessionId, e.deadline])).toEqual([
      [a.sessionId, ws(t0 + 15 * 60_000)],
      [b.sessionId, ws(t0 + 35 * 60_000)],
    ]);
    expect(s.elevation?.sessionId).toBe(b.sessionId); // "elevated" shows the one ending last
    expect(s.activeTier).toBe('off'); // per-session elevations do not change the active tier

    clock.advance(5 * 60_000 + 1); // t0+10m: a's 5-minute warning (the one ending first)
    expect(notes.filter((n) => n[0] === 'Elevation ending soon').map((n) => n[1])).toEqual([
      expect.stringMatching(new RegExp(`^5 minutes .* for session ${a.sessionId}\\.$`)),
    ]);
    clock.advance(5 * 60_000); // t0+15m: a expires, b keeps running
    s = core.getState();
    expect(s.elevations.map((e) => e.sessionId)).toEqual([b.sessionId]);
    expect(s.elevation?.deadline).toBe(ws(t0 + 35 * 60_000));
    expect(s.resumable?.sessionId).toBe(a.sessionId);
    expect(notes.find((n) => n[0] === 'Elevation ended')?.[1]).toMatch(/1 other elevation still running/);
    expect(
      readAudit(home.env)
        .filter((r) => r.type === 'expiry')
        .map((r) => r.sessionId),
    ).toEqual([a.sessionId]);

    // (no runner here: close a's spec as its `elevate run` wrapper does at the deadline)
    updateSession(
      a.sessionId,
      { endedAt: new Date(clock.now()).toISOString(), endReason: 'deadline' },
      home.env,
    );
    const c = await launch(core, { tier: 'elevated', cwd: project, minutes: 15 });
    expect(core.getState().elevations.map((e) => e.sessionId)).toEqual([c.sessionId, b.sessionId]);
    const drop = await core.invoke('elevation:drop', {});
    expect(drop.ok && [...(drop.data as { dropped: string[] }).dropped].sort()).toEqual(
      [b.sessionId, c.sessionId].sort(),
    );
    expect(core.getState()).toMatchObject({ elevation: null, elevations: [] });
    const seen = notes.length; // no timer of a dropped elevation fires later
    clock.advance(60 * 60_000);
    expect(notes.length).toBe(seen);
    const drops = readAudit(home.env).filter((r) => r.type === 'drop');
    expect(drops.map((r) => r.sessionId).sort()).toEqual([b.sessionId, c.sessionId].sort()); // once each
  });

  it('dropping one session ends only its elevation', async () => {
    const { core, project } = makeCore(server);
    const a = await launch(core, { tier: 'elevated', cwd: project, minutes: 20 });
    const b = await launch(core, { tier: 'elevated', cwd: project, minutes: 15 });
    expect((await core.invoke('session:drop', { sessionId: a.sessionId })).ok).toBe(true);
    expect(core.getState().elevations.map((e) => e.sessionId)).toEqual([b.sessionId]);
    expect(core.getState().elevation?.sessionId).toBe(b.sessionId);
  });
});

describe('MFA for an elevated profile with mfa_serial (local STS requires SerialNumber + TokenCode)', () => {
  let mfaServer: AwsServer;
  beforeAll(async () => {
    mfaServer = await startAwsServer({ staticKeys: [BASE_KEY] });
    mfaServer.requireMfa(ELEVATED_ROLE, '246810');
  });
  afterAll(async () => {
    await mfaServer.close();
  });

  // Security change (issue 12): the MFA code is no longer given to the app. The elevated session's runner
  // asks for it on its own terminal and makes the one AssumeRole there (tests/integration/attacks.test.ts,
  // credentials.test.ts); the app mints nothing, so a compromised renderer cannot elevate with a code either.
  it('state says a code is needed; malformed codes are still refused by the contract; the app mints nothing (the runner asks)', async () => {
    const { core, project, opened } = makeCore(mfaServer, MFA_CONFIG);
    expect(core.getState().elevatedNeedsMfa).toBe(true);
    for (const mfaCode of ['12345', '1234567', 'abcdef']) {
      expect(await core.invoke('launch:start', { tier: 'elevated', cwd: project, mfaCode })).toMatchObject({
        ok: false,
        error: { code: 'invalid-request' },
      });
    }
    const before = mfaServer.assumeRoleCalls.length;
    const ok = await launch(core, { tier: 'elevated', cwd: project, minutes: 15, mfaCode: '246810' });
    expect(opened.at(-1)?.slice(-3)).toEqual(['run', '--session', ok.sessionId]);
    expect(mfaServer.assumeRoleCalls.length).toBe(before);
    expect(core.getState().elevation?.sessionId).toBe(ok.sessionId);
    // the code is never written anywhere
    expect(JSON.stringify(readAudit(home.env))).not.toContain('246810');
    expect(JSON.stringify(readSession(ok.sessionId, home.env))).not.toContain('246810');
  });

  it('plan approval launches the elevated handoff; the app mints nothing (the runner asks for the code)', async () => {
    const { core, project } = makeCore(mfaServer, MFA_CONFIG);
    writeFileSync(join(project, 'plan.md'), '# Plan\n\n1. Scale the service to 3 tasks.\n');
    const planHash = requirePlan(inspectHandoff(project, home.env)).hash;
    const bad = await core.invoke('plan:approve', { cwd: project, planHash, minutes: 15, mfaCode: '24681' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const before = mfaServer.assumeRoleCalls.length;
    const r = await core.invoke('plan:approve', { cwd: project, planHash, minutes: 15 });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    expect(mfaServer.assumeRoleCalls.length).toBe(before);
    const sessionId = (r.data as { sessionId: string }).sessionId;
    expect(core.getState().elevation).toMatchObject({ sessionId, source: 'handoff' });
    expect(
      readAudit(home.env).filter((a) => a.type === 'elevation-start' && a.sessionId === sessionId),
    ).toHaveLength(1);
  });
});
