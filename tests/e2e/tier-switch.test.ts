// The window's tier switch (issue 7) in the BUILT renderer in real Chromium, through the test WebSocket
// bridge to a real ElevateCore: Elevated asks for a length and a confirmation, the Claude settings file
// follows, running sessions on the old tier are listed with their restart command, Off restores the file.
import fs from 'node:fs';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { ElevateCore } from '../../electron/app/core';
import { readActiveRaw } from '../../electron/node/activeTier';
import { writeSession } from '../../electron/node/sessions';
import { tempHome, type TempHome } from '../helpers/appFixture';
import { startBridgeServer, type BridgeServer } from '../helpers/bridge-server';

const RENDERER = join(resolve(__dirname, '..', '..'), 'out', 'renderer');
let browser: Browser;
let home: TempHome;
let core: ElevateCore;
let bridge: BridgeServer;

beforeAll(async () => {
  if (!existsSync(join(RENDERER, 'index.html')))
    throw new Error('out/renderer is missing: run `npm run build` first (npm test does)');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  home = tempHome({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
  fs.writeFileSync(
    join(home.env.ELEVATE_HOME!, 'settings.json'),
    JSON.stringify({ switchTargets: { claudeUserSettings: true } }),
  );
  core = new ElevateCore({
    env: home.env,
    trustedSender: (url) => url.startsWith(bridge.url),
    platform: { confirm: async () => true }, // main's native dialog (issue 12 P4): the human says yes
  });
  core.start();
  bridge = await startBridgeServer(core, RENDERER);
});

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  core?.stop();
  home?.cleanup();
});

describe('window tier switch', () => {
  it('Elevated asks for minutes and confirmation; stale sessions are listed; Off restores the Claude file', async () => {
    const claudeFile = join(home.env.CLAUDE_CONFIG_DIR!, 'settings.json');
    const original = '{\n  // mine\n  "model": "opus"\n}\n';
    fs.writeFileSync(claudeFile, original);
    writeSession(
      {
        id: '20261124150000-aaaaaaaa',
        kind: 'claude',
        tier: 'readonly',
        profile: 'claudecode-readonly',
        cwd: '/work/project',
        argv: ['claude'],
        env: { set: {}, unset: [] },
        title: 't',
        createdAt: new Date().toISOString(),
        startedAt: new Date().toISOString(),
        runnerPid: process.pid,
        resumeId: '11111111-2222-3333-4444-555555555555',
      },
      home.env,
    );
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(bridge.url);
    const sw = page.getByTestId('tier-switch');
    await sw.waitFor();
    await sw.getByRole('radio', { name: /^Elevated · claudecode-elevated/ }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Confirm elevation' });
    await dialog.waitFor();
    expect(readActiveRaw(home.env).tier).toBe('off'); // nothing before the confirmation
    await dialog.getByLabel('Minutes').selectOption('15');
    await dialog.getByRole('button', { name: 'Elevate' }).click();
    await sw.getByRole('radio', { name: /^Elevated/, checked: true }).waitFor();
    const s = readActiveRaw(home.env);
    expect(s.tier).toBe('elevated');
    expect(Date.parse(s.deadline!) - Date.parse(s.since!)).toBe(15 * 60_000);
    expect(fs.readFileSync(claudeFile, 'utf8')).toContain('"AWS_PROFILE": "claudecode-elevated"');
    const stale = await page.getByTestId('stale-sessions').textContent();
    expect(stale).toContain('/work/project');
    expect(stale).toContain('claude --resume 11111111-2222-3333-4444-555555555555');

    await sw.getByRole('radio', { name: 'Off' }).click();
    await sw.getByRole('radio', { name: 'Off', checked: true }).waitFor();
    expect(fs.readFileSync(claudeFile, 'utf8')).toBe(original);
    expect(problems).toEqual([]);
    await page.close();
  });
});
