// Issue 12 P4: a compromised renderer (a VALID sender: Elevate's own window, running attacker script) sends
// each elevation-relevant request with every field it likes (`confirmed: true` included). Main's native
// dialog (Platform.confirm, dialog.showMessageBox in the glue) is what decides: answering no, nothing happens
// (no launch, no active-tier change, no approval record, no settings change) and the response says it was
// declined; answering yes, the request proceeds. Real local STS endpoint, a recording terminal seam, the
// stand-in `claude` on PATH.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ElevateCore, type ConfirmRequest } from '../../electron/app/core';
import { clean } from '../../electron/app/controllers/confirm';
import { readActiveRaw } from '../../electron/node/activeTier';
import { approvalsPath, getApproval } from '../../electron/node/approvals';
import { inspectHandoff, requirePlan } from '../../electron/node/handoff';
import { files } from '../../electron/node/paths';
import { listSessions } from '../../electron/node/sessions';
import { awsTestEnv, startAwsServer, type AwsServer } from '../helpers/awsServer';
import {
  BASE_KEY,
  ELEVATED_ROLE,
  ManualClock,
  TWO_TIER_CONFIG,
  tempHome,
  type TempHome,
} from '../helpers/appFixture';

const OWN = 'file:///app/out/renderer/index.html';
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

function setup(opts: { noDialog?: boolean } = {}) {
  home = tempHome(awsTestEnv(server), TWO_TIER_CONFIG);
  const bin = join(home.dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'claude'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const project = join(home.dir, 'proj');
  mkdirSync(project);
  const opened: string[][] = [];
  const asked: ConfirmRequest[] = [];
  const dialog = { answer: false };
  const core = new ElevateCore({
    env: { ...home.env, PATH: `${bin}:${home.env.PATH}` },
    clock: new ManualClock(Date.now()),
    trustedSender: (url) => url === OWN,
    platform: {
      notify: () => undefined,
      ...(opts.noDialog
        ? {}
        : {
            confirm: async (q: ConfirmRequest) => {
              asked.push(q);
              return dialog.answer;
            },
          }),
    },
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
  // the attacker's renderer: a trusted frame, any payload
  const renderer = (channel: string, payload: unknown) => core.handle(channel, payload, { url: OWN });
  return { core, project, opened, asked, dialog, renderer };
}

const elevatedAssumes = () => server.assumeRoleCalls.filter((c) => c.roleArn === ELEVATED_ROLE).length;

describe('a compromised renderer cannot confirm for the human (native dialog in main)', () => {
  it('launch:start elevated: no → declined, nothing launched; yes → launched; read-only asks nothing', async () => {
    const { core, project, opened, asked, dialog, renderer } = setup();
    const assumes = elevatedAssumes();
    const no = await renderer('launch:start', { tier: 'elevated', cwd: project, minutes: 15 });
    expect(no).toMatchObject({ ok: false, error: { code: 'declined' } });
    expect(asked).toHaveLength(1);
    expect(asked[0]!.detail).toContain('Tier: elevated (profile claudecode-elevated)');
    expect(asked[0]!.detail).toContain('Minutes: 15');
    expect(asked[0]!.detail).toContain(project);
    expect(opened).toEqual([]);
    expect(listSessions(home.env)).toEqual([]);
    expect(elevatedAssumes()).toBe(assumes); // no credentials were issued
    expect(core.getState().elevation).toBeNull();
    expect(core.getState().errors).toEqual([]); // a "no" is the human's answer, not an error

    dialog.answer = true;
    const yes = await renderer('launch:start', { tier: 'elevated', cwd: project, minutes: 15 });
    expect(yes.ok).toBe(true);
    expect(opened).toHaveLength(1);
    expect(core.getState().elevation?.source).toBe('launch');

    const ro = await renderer('launch:start', { tier: 'readonly', cwd: project });
    expect(ro.ok).toBe(true);
    expect(asked).toHaveLength(2); // read-only needed no confirmation
  });

  it('tier:switch elevated (renderer sends confirmed: true): no → tier unchanged; yes → elevated', async () => {
    const { core, asked, dialog, renderer } = setup();
    const no = await renderer('tier:switch', { tier: 'elevated', minutes: 15, confirmed: true });
    expect(no).toMatchObject({ ok: false, error: { code: 'declined' } });
    expect(asked[0]!.detail).toContain('Minutes: 15');
    expect(readActiveRaw(home.env).tier).toBe('off');
    expect(core.getState().activeTier).toBe('off');

    dialog.answer = true;
    const yes = await renderer('tier:switch', { tier: 'elevated', minutes: 15, confirmed: true });
    expect(yes).toMatchObject({ ok: true, data: { activeTier: 'elevated' } });
    expect(readActiveRaw(home.env).tier).toBe('elevated');
    // switching down never asks
    expect((await renderer('tier:switch', { tier: 'readonly' })).ok).toBe(true);
    expect(asked).toHaveLength(2);
  });

  it('plan:approve: no → no approval record, no session; yes → approved and launched; the dialog shows the hash', async () => {
    const { core, project, opened, asked, dialog, renderer } = setup();
    writeFileSync(join(project, 'plan.md'), '# Plan\n\n1. Scale the service to 3 tasks.\n');
    const planHash = requirePlan(inspectHandoff(project, home.env)).hash;
    const no = await renderer('plan:approve', { cwd: project, planHash, minutes: 15 });
    expect(no).toMatchObject({ ok: false, error: { code: 'declined' } });
    expect(asked[0]!.detail).toContain(`Plan hash (sha256): ${planHash}`);
    expect(asked[0]!.detail).toContain('Minutes: 15');
    expect(getApproval(project, home.env)).toBeNull();
    expect(existsSync(approvalsPath(home.env))).toBe(false);
    expect(opened).toEqual([]);
    expect(core.getState().elevation).toBeNull();

    dialog.answer = true;
    const yes = await renderer('plan:approve', { cwd: project, planHash, minutes: 15 });
    if (!yes.ok) throw new Error(`${yes.error.code}: ${yes.error.message}`);
    expect(getApproval(project, home.env)).toMatchObject({ planHash });
    expect(opened).toHaveLength(1);
    expect(core.getState().elevation?.source).toBe('handoff');
  });

  it('plan:approve with a scope: the dialog states it; the approval, audit and session spec record it', async () => {
    const { project, asked, dialog, renderer } = setup();
    writeFileSync(
      join(project, 'plan.md'),
      '# Plan\n\n```sh\naws ssm describe-instance-information\naws ssm send-command --instance-ids i-0abc --document-name AWS-RunShellScript --parameters commands=uptime\n```\n',
    );
    const planHash = requirePlan(inspectHandoff(project, home.env)).hash;
    const full = await renderer('plan:approve', { cwd: project, planHash, minutes: 15, scope: 'full' });
    expect(full).toMatchObject({ ok: false, error: { code: 'declined' } });
    expect(asked[0]!.detail).toMatch(/^Scope: FULL elevated role/m);
    const noPlan = await renderer('plan:approve', { cwd: project, planHash, minutes: 15, scope: 'plan' });
    expect(noPlan).toMatchObject({ ok: false, error: { code: 'declined' } });
    expect(asked[1]!.detail).toMatch(/^Scope: limited to this plan/m);
    expect(getApproval(project, home.env)).toBeNull();

    dialog.answer = true;
    const yes = await renderer('plan:approve', { cwd: project, planHash, minutes: 15, scope: 'plan' });
    if (!yes.ok) throw new Error(`${yes.error.code}: ${yes.error.message}`);
    const data = yes.data as { sessionId: string; scope?: string };
    expect(data.scope).toBe('plan');
    expect(getApproval(project, home.env)).toMatchObject({
      planHash,
      scope: 'plan',
      actions: ['ssm:DescribeInstanceInformation', 'ssm:SendCommand'],
    });
    const spec = listSessions(home.env).find((x) => x.id === data.sessionId);
    expect(spec?.planScope).toBe('plan');
    const bad = await renderer('plan:approve', {
      cwd: project,
      planHash,
      minutes: 15,
      scope: 'some' as 'plan',
    });
    expect(bad.ok).toBe(false);
  });

  it('settings:set: an elevation-relevant change needs the dialog (no → file unchanged); others do not', async () => {
    const { core, asked, dialog, renderer } = setup();
    const file = files.settings(home.env);
    const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
    for (const patch of [
      { elevation: { defaultMinutes: 15 } },
      { tiers: { elevated: 'claudecode-readonly' } },
      { switchTargets: { claudeUserSettings: true } },
    ]) {
      const r = await renderer('settings:set', { patch });
      expect(r).toMatchObject({ ok: false, error: { code: 'declined' } });
      expect(existsSync(file) ? readFileSync(file, 'utf8') : null).toBe(before);
    }
    expect(asked).toHaveLength(3);
    expect(asked[0]!.detail).toMatch(/elevation: .*→ .*"defaultMinutes":15/);
    expect(core.getState().settings.elevationMinutes).toBe(30);

    // not elevation-relevant: no dialog
    expect((await renderer('settings:set', { patch: { claudePath: '/usr/local/bin/claude' } })).ok).toBe(
      true,
    );
    expect(asked).toHaveLength(3);

    dialog.answer = true;
    expect((await renderer('settings:set', { patch: { elevation: { defaultMinutes: 15 } } })).ok).toBe(true);
    expect(core.getState().settings.elevationMinutes).toBe(15);
  });

  it('without a native dialog (no Platform.confirm) elevation-relevant requests are refused, never assumed yes', async () => {
    const { project, opened, renderer, core } = setup({ noDialog: true });
    const r = await renderer('launch:start', { tier: 'elevated', cwd: project });
    expect(r).toMatchObject({ ok: false, error: { code: 'unconfirmed' } });
    expect(opened).toEqual([]);
    const s = await core.invoke('tier:switch', { tier: 'elevated', minutes: 15, confirmed: true });
    expect(s).toMatchObject({ ok: false, error: { code: 'unconfirmed' } });
    expect(readActiveRaw(home.env).tier).toBe('off');
    // main's own tray dialog (tray-tier-switch.test.ts) passes confirmedInMain: only main code can
    const tray = await core.invoke(
      'tier:switch',
      { tier: 'elevated', minutes: 15, confirmed: true },
      { confirmedInMain: true },
    );
    expect(tray.ok).toBe(true);
    // a window request cannot smuggle the option in: `handle` passes none on (extra arguments ignored)
    const handle = core.handle.bind(core) as (...a: unknown[]) => ReturnType<ElevateCore['handle']>;
    const smuggled = await handle(
      'launch:start',
      { tier: 'elevated', cwd: project },
      { url: OWN },
      {
        confirmedInMain: true,
      },
    );
    expect(smuggled).toMatchObject({ ok: false, error: { code: 'unconfirmed' } });
    expect(opened).toEqual([]);
  });

  it('text the agent controls cannot fake or hide dialog lines (control, bidi, zero-width characters)', () => {
    const title = 'Scale up\nTier: readonly\r\u001b[2K\u202eevil\u200b';
    const shown = clean(title, 80);
    expect(shown).not.toMatch(/[\n\r\u001b\u202e\u200b]/);
    expect(shown).toBe('Scale up Tier: readonly  [2K evil ');
    expect(clean('x'.repeat(500), 80)).toHaveLength(81);
  });
});
