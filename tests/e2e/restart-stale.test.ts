// "Restart under <tier>" in the BUILT renderer (real Chromium, test WebSocket bridge to a real ElevateCore):
// after a tier switch, a live Elevate session still on the old tier is listed with a button; clicking it
// ends that session and opens `claude --resume <id>` under the new tier in the same folder (recording
// terminal seam: no window opens; a stand-in `claude` on PATH).
import fs from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { ElevateCore } from '../../electron/app/core';
import { listSessions, readSession, writeSession } from '../../electron/node/sessions';
import { tempHome, type TempHome } from '../helpers/appFixture';
import { startBridgeServer, type BridgeServer } from '../helpers/bridge-server';

const RENDERER = join(resolve(__dirname, '..', '..'), 'out', 'renderer');
const CLAUDE_ID = '0b6c1f4e-2d3a-4c5b-8e9f-a1b2c3d4e5f6';
const OLD_ID = '20261124150000-0ldse551';
let browser: Browser;
let home: TempHome;
let core: ElevateCore;
let bridge: BridgeServer;
const opened: string[][] = [];

beforeAll(async () => {
  if (!fs.existsSync(join(RENDERER, 'index.html')))
    throw new Error('out/renderer is missing: run `npm run build` first (npm test does)');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  home = tempHome({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
  const bin = join(home.dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(join(bin, 'claude'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  core = new ElevateCore({
    env: { ...home.env, PATH: `${bin}:${home.env.PATH}` },
    trustedSender: (url) => url.startsWith(bridge.url),
    platform: { confirm: async () => true }, // main's native dialog (issue 12 P4): the human says yes
    launchOptions: {
      terminal: 'xterm',
      open: async (_a, command) => {
        opened.push(command);
        return { pid: undefined, argv: command };
      },
    },
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

describe('window: restart a stale session under the new tier', () => {
  it('lists the elevated session after switching to read-only and restarts it with --resume in its folder', async () => {
    const project = join(home.dir, 'proj');
    fs.mkdirSync(project);
    // an elevated session whose terminal has not started its runner yet (live, no pid: nothing to signal)
    writeSession(
      {
        id: OLD_ID,
        kind: 'claude',
        tier: 'elevated',
        profile: 'claudecode-elevated',
        cwd: project,
        argv: ['claude', '--resume', CLAUDE_ID],
        env: { set: {}, unset: [] },
        title: 't',
        createdAt: new Date().toISOString(),
        resumeId: CLAUDE_ID,
      },
      home.env,
    );
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(bridge.url);
    const sw = page.getByTestId('tier-switch');
    await sw.getByRole('radio', { name: /^Read-only/ }).click();
    const stale = page.getByTestId('stale-sessions');
    await stale.waitFor();
    expect(await stale.textContent()).toContain(`claude --resume ${CLAUDE_ID}`);
    await stale.getByRole('button', { name: 'Restart under Read-only' }).click();
    await sw.getByText(`Restarted in ${project} under Read-only`).waitFor();
    await stale.waitFor({ state: 'detached' }); // nothing stale any more

    expect(readSession(OLD_ID, home.env)).toMatchObject({ endReason: 'dropped' });
    const fresh = listSessions(home.env).filter((s) => s.id !== OLD_ID);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).toMatchObject({ tier: 'readonly', cwd: project, resumeId: CLAUDE_ID });
    expect(fresh[0]?.argv.slice(-2)).toEqual(['--resume', CLAUDE_ID]);
    expect(opened.at(-1)?.slice(-3)).toEqual(['run', '--session', fresh[0]?.id]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
