// The app core's `tier:switch` channel and its elevation timer, wired to the active-tier service
// (issue 7): the tray's radio items call it; the deadline falls back through activeTier.tick(); a switch
// made by the CLI while the app runs is picked up; quitting restores the Claude settings file.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readActiveRaw, switchTier } from '../../electron/node/activeTier';
import { readAudit } from '../../electron/node/audit';
import { ElevateCore } from '../../electron/app/core';
import { buildTrayModel } from '../../shared/trayModel';
import { ManualClock, tempHome, type TempHome } from '../helpers/appFixture';

const T0 = Date.parse('2026-11-24T15:00:00Z');
let home: TempHome | null = null;
let core: ElevateCore | null = null;

afterEach(() => {
  core?.stop();
  core = null;
  home?.cleanup();
  home = null;
});

function setup(claudeText: string | null = '{\n  "model": "opus"\n}\n') {
  home = tempHome();
  fs.writeFileSync(
    path.join(home.env.ELEVATE_HOME!, 'settings.json'),
    JSON.stringify({ switchTargets: { claudeUserSettings: true } }),
  );
  const claudeFile = path.join(home.env.CLAUDE_CONFIG_DIR!, 'settings.json');
  if (claudeText !== null) fs.writeFileSync(claudeFile, claudeText);
  const clock = new ManualClock(T0);
  const notes: string[][] = [];
  core = new ElevateCore({
    env: home.env,
    clock,
    // confirm: main's native dialog (issue 12 P4) answering yes; coreConfirm.test.ts covers no
    platform: { notify: (t, b) => notes.push([t, b]), confirm: async () => true },
  });
  core.start();
  return { core, clock, notes, claudeFile, env: home.env };
}

describe('core tier:switch', () => {
  it('the tray shows the radio items; elevated needs confirmed: true', async () => {
    const { core, clock } = setup();
    const items = buildTrayModel(core.getState(), clock.now()).items.map((i) => i.id);
    expect(items).toEqual(expect.arrayContaining(['tier:readonly', 'tier:elevated', 'tier:off']));
    const refused = await core.invoke('tier:switch', { tier: 'elevated', minutes: 15 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(JSON.stringify(refused)).toContain('needs confirmed: true');
    const bad = await core.invoke('tier:switch', { tier: 'elevated', minutes: 90, confirmed: true });
    expect(bad.ok).toBe(false);
    expect(readActiveRaw(home!.env).tier).toBe('off');
  });

  it('elevated for 15 min counts down and falls back to read-only at the deadline with a notification', async () => {
    const { core, clock, notes, claudeFile, env } = setup();
    const r = await core.invoke('tier:switch', { tier: 'elevated', minutes: 15, confirmed: true });
    expect(r).toMatchObject({
      ok: true,
      data: { activeTier: 'elevated', deadline: new Date(T0 + 15 * 60_000).toISOString() },
    });
    expect(core.getState()).toMatchObject({ activeTier: 'elevated', elevation: { source: 'switch' } });
    expect(fs.readFileSync(claudeFile, 'utf8')).toContain('"AWS_PROFILE": "claudecode-elevated"');
    const radio = buildTrayModel(core.getState(), clock.now()).items.find((i) => i.id === 'tier:elevated');
    expect(radio?.checked).toBe(true);

    clock.advance(15 * 60_000);
    expect(core.getState()).toMatchObject({ activeTier: 'readonly', elevation: null });
    expect(readActiveRaw(env).tier).toBe('readonly');
    expect(fs.readFileSync(claudeFile, 'utf8')).toContain('"AWS_PROFILE": "claudecode-readonly"');
    expect(notes.map((n) => n[0])).toContain('Elevation ended');
    expect(readAudit(env).map((a) => a.type)).toEqual(['switch', 'fallback']);
  });

  it('turning the Claude settings target off in settings restores the file at once', async () => {
    const original = '{\n  "model": "opus"\n}\n';
    const { core, claudeFile } = setup(original);
    await core.invoke('tier:switch', { tier: 'readonly' });
    expect(fs.readFileSync(claudeFile, 'utf8')).toContain('claudecode-readonly');
    const r = await core.invoke('settings:set', { patch: { switchTargets: { claudeUserSettings: false } } });
    expect(r.ok).toBe(true);
    expect(fs.readFileSync(claudeFile, 'utf8')).toBe(original);
  });

  it('picks up a switch made by another process, and quitting restores the Claude settings file', () => {
    const original = '{\n  // mine\n  "model": "opus"\n}\n';
    const { core, claudeFile, env } = setup(original);
    switchTier('readonly', { env, now: new Date(T0), source: 'cli' });
    expect(fs.readFileSync(claudeFile, 'utf8')).not.toBe(original);
    core.syncActive();
    expect(core.getState().activeTier).toBe('readonly');
    core.stop();
    expect(fs.readFileSync(claudeFile, 'utf8')).toBe(original);
    expect(readAudit(env).map((a) => a.type)).toEqual(['switch', 'restore']);
  });
});
