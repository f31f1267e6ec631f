// The real app under Playwright's _electron (where an Electron binary exists): the built main starts, the
// tray exists, a tray item clicked through the test hook (ELEVATE_TEST_HOOKS=1; Playwright cannot open
// tray menus) opens the window, and the window talks to main over the real preload bridge.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { tempHome, type TempHome } from '../helpers/appFixture';

const ROOT = resolve(__dirname, '..', '..');

function electronBinary(): string | null {
  const r = spawnSync(process.execPath, ['-e', "process.stdout.write(String(require('electron')))"], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const p = r.status === 0 ? r.stdout.trim() : '';
  return p && existsSync(p) ? p : null;
}

const binary = electronBinary();
let app: ElectronApplication | null = null;
let home: TempHome | null = null;
afterAll(async () => {
  await app?.close();
  home?.cleanup();
});

describe('Electron app smoke test', () => {
  it.skipIf(!binary)(
    binary
      ? 'starts, keeps a tray, opens the window from a tray item, window reads state over the bridge'
      : 'skipped: Electron binary not installed (cannot be downloaded on this machine)',
    async () => {
      home = tempHome();
      app = await electron.launch({
        executablePath: binary as string,
        args: [join(ROOT, 'out', 'main', 'index.js')],
        env: { ...(process.env as Record<string, string>), ...home.env, ELEVATE_TEST_HOOKS: '1' },
      });
      const model = await app.evaluate(async () => {
        for (let i = 0; i < 100 && !(globalThis as Record<string, unknown>).__elevateTest; i++)
          await new Promise((r) => setTimeout(r, 50));
        return (
          globalThis as unknown as { __elevateTest: { trayModel(): { icon: string } | null } }
        ).__elevateTest.trayModel();
      });
      expect(model?.icon).toBe('readonly');
      const clicked = await app.evaluate(() =>
        (
          globalThis as unknown as { __elevateTest: { clickTrayItem(id: string): boolean } }
        ).__elevateTest.clickTrayItem('open'),
      );
      expect(clicked).toBe(true);
      const win = await app.firstWindow();
      await win.getByTestId('tier-readonly').waitFor();
      expect(await win.getByTestId('tier-readonly').textContent()).toContain('claudecode-readonly');
      // the renderer has no Node and only the contract's channels
      expect(await win.evaluate(() => typeof (globalThis as Record<string, unknown>).require)).toBe(
        'undefined',
      );
      const unknown = await win.evaluate(() =>
        (
          globalThis as unknown as { elevate: { invoke(c: string): Promise<{ ok: boolean }> } }
        ).elevate.invoke('fs:read'),
      );
      expect(unknown.ok).toBe(false);
    },
  );
});
