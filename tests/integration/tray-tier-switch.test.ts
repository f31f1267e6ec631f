// The tray's tier radio items in the BUILT main bundle (out/main/index.js) with the electron double:
// Elevated asks (dialog with lengths + Cancel) before switching, Off/Read-only switch directly, and a
// switch made by the CLI while the app runs reaches the tray through the active.json watcher.
import { createRequire } from 'node:module';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppState } from '../../shared/state';
import type { TrayModel } from '../../shared/trayModel';
import { readActiveRaw } from '../../electron/node/activeTier';
import { createFakeElectron, installFakeElectron, type FakeElectron } from '../helpers/fakeElectron';
import { tempHome, type TempHome } from '../helpers/appFixture';
import { runCli } from '../helpers/cli';

const ROOT = resolve(__dirname, '..', '..');
const MAIN = join(ROOT, 'out', 'main', 'index.js');

interface Hooks {
  clickTrayItem(id: string): boolean;
  trayModel(): TrayModel | null;
  state(): AppState;
}
const hooks = () => (globalThis as unknown as { __elevateTest: Hooks }).__elevateTest;

let fake: FakeElectron;
let uninstall: () => void;
let home: TempHome;
const savedEnv = { ...process.env };
const asked: Array<{ message: string; buttons: string[] }> = [];
let answer = 0;

async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const checked = () =>
  (hooks().trayModel()?.items ?? []).filter((i) => i.type === 'radio' && i.checked).map((i) => i.id);

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  home = tempHome({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
  writeFileSync(
    join(home.env.ELEVATE_HOME!, 'settings.json'),
    JSON.stringify({ switchTargets: { claudeUserSettings: true } }),
  );
  Object.assign(process.env, home.env, { ELEVATE_TEST_HOOKS: '1' });
  fake = createFakeElectron();
  (fake.module as unknown as { dialog: Record<string, unknown> }).dialog.showMessageBox = async (o: {
    message: string;
    buttons: string[];
  }) => {
    asked.push({ message: o.message, buttons: o.buttons });
    return { response: answer };
  };
  uninstall = installFakeElectron(fake);
  createRequire(__filename)(MAIN);
  fake.ready();
  await until(() => Boolean(hooks()?.trayModel()), 'the tray');
});

afterAll(() => {
  fake?.app.emit('before-quit');
  uninstall?.();
  process.env = savedEnv;
  home?.cleanup();
});

describe('tray tier radio items (built main, electron double)', () => {
  it('Elevated asks first: Cancel keeps the tier, "15 min" elevates', async () => {
    expect(
      hooks()
        .trayModel()!
        .items.map((i) => i.id),
    ).toEqual(expect.arrayContaining(['tier:readonly', 'tier:elevated', 'tier:off']));
    answer = 99; // beyond the buttons: treated as Cancel
    expect(hooks().clickTrayItem('tier:elevated')).toBe(true);
    await until(() => asked.length === 1, 'the confirmation dialog');
    expect(asked[0]!.message).toContain('claudecode-elevated');
    expect(asked[0]!.buttons).toEqual(['15 min', '30 min', '60 min', 'Cancel']);
    await new Promise((r) => setTimeout(r, 100));
    expect(readActiveRaw(home.env).tier).toBe('off');

    answer = 0;
    hooks().clickTrayItem('tier:elevated');
    await until(() => hooks().state().activeTier === 'elevated', 'elevated');
    const s = readActiveRaw(home.env);
    expect(Date.parse(s.deadline!) - Date.parse(s.since!)).toBe(15 * 60_000);
    expect(checked()).toEqual(['tier:elevated']);
  });

  it('Off switches without a dialog; a CLI switch while the app runs reaches the tray', async () => {
    const before = asked.length;
    hooks().clickTrayItem('tier:off');
    await until(() => hooks().state().activeTier === 'off', 'off');
    expect(asked.length).toBe(before);
    expect(checked()).toEqual(['tier:off']);

    const r = runCli(['switch', 'readonly'], { ...(process.env as Record<string, string>) });
    expect(r.status).toBe(0);
    await until(() => hooks().state().activeTier === 'readonly', 'the watcher to pick up the CLI switch');
    expect(checked()).toEqual(['tier:readonly']);
  });
});
