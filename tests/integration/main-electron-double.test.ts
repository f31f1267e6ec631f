// Loads the BUILT main bundle (out/main/index.js, from `npm run build`) with an `electron` double and
// checks what it does: Tray created once and kept, icon/title/tooltip/menu per state, the window's secure
// webPreferences, the preload and renderer files it points at, one ipcMain handler per contract channel,
// payload and sender checks, and navigation / new-window / permission denial.
// process.platform is set to 'darwin' for this file so the macOS paths (template icons, setTitle
// countdown, hidden dock) run; everything else is platform-neutral.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../shared/ipc';
import { AppStateSchema, type AppState } from '../../shared/state';
import type { TrayModel } from '../../shared/trayModel';
import type { ElevateCore } from '../../electron/app/core';
import {
  createFakeElectron,
  installFakeElectron,
  type FakeElectron,
  type MenuItem,
} from '../helpers/fakeElectron';
import { tempHome, TWO_TIER_CONFIG, type TempHome } from '../helpers/appFixture';
import { readActive, switchTier } from '../../electron/node/activeTier';

const ROOT = resolve(__dirname, '..', '..');
const MAIN = join(ROOT, 'out', 'main', 'index.js');
const OWN_URL = pathToFileURL(join(ROOT, 'out', 'renderer', 'index.html')).href;

let fake: FakeElectron;
let uninstall: () => void;
let home: TempHome;
const savedEnv = { ...process.env };
const savedPlatform = Object.getOwnPropertyDescriptor(process, 'platform');

interface Hooks {
  clickTrayItem(id: string): boolean;
  trayModel(): TrayModel | null;
  state(): AppState;
  windowVisible(): boolean;
  core: ElevateCore;
}
const hooks = () => (globalThis as unknown as { __elevateTest: Hooks }).__elevateTest;
const tray = () => {
  const t = fake.trays[0];
  if (!t) throw new Error('no tray');
  return t;
};
const flat = (items: MenuItem[]): MenuItem[] =>
  items.flatMap((i) => [i, ...(i.submenu ? flat(i.submenu) : [])]);
const menuIds = () => flat(tray().menu?.template ?? []).map((i) => i.id);
const pngSig = (b: Buffer) => b.subarray(0, 8).toString('hex') === '89504e470d0a1a0a';

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  home = tempHome({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
  // The user switched to read-only earlier (`elevate switch readonly`): active.json is the one source of the
  // active tier for the app and `elevate status` (never switched = off).
  switchTier('readonly', { env: home.env, source: 'cli' });
  Object.assign(process.env, home.env, { ELEVATE_TEST_HOOKS: '1' });
  Object.defineProperty(process, 'platform', { value: 'darwin', configurable: true });
  fake = createFakeElectron();
  uninstall = installFakeElectron(fake);
  createRequire(__filename)(MAIN);
  fake.ready();
  await new Promise((r) => setTimeout(r, 50));
});

afterAll(() => {
  fake?.app.emit('before-quit');
  uninstall?.();
  if (savedPlatform) Object.defineProperty(process, 'platform', savedPlatform);
  process.env = savedEnv;
  home?.cleanup();
});

describe('built main with an electron double', () => {
  it('takes the single-instance lock, hides the dock, keeps one Tray', () => {
    expect(fake.calls).toContain('requestSingleInstanceLock');
    expect(fake.calls).toContain('dock.hide');
    expect(fake.calls).toContain('setApplicationMenu appMenu,editMenu');
    expect(fake.trays).toHaveLength(1);
    expect(tray().destroyed).toBe(false);
  });

  it('read-only state: template icon 16/32 px PNG, tooltip, no title, the menu of the tray model', () => {
    const t = tray();
    expect(t.image.template).toBe(true);
    expect(t.image.reps.map((r) => [r.scaleFactor, r.width])).toEqual([
      [1, 16],
      [2, 32],
    ]);
    expect(t.image.reps.every((r) => pngSig(r.buffer))).toBe(true);
    // the seed layout (elevated chained from read-only) also carries the self-elevation line (issue 12 P2)
    expect(t.tooltip).toBe(
      'Elevate: Read-only · claudecode-readonly\nIdentity not verified yet\n' +
        'Self-elevation possible: read-only can reach elevated without you — see elevate doctor',
    );
    expect(t.title).toBe('');
    expect(hooks().trayModel()?.icon).toBe('readonly');
    const ids = menuIds();
    for (const id of [
      'header',
      'launch:readonly',
      'launch:readonly:choose',
      'launch:elevated',
      'verify',
      'workstation',
      'workstation:status',
      'open',
      'quit',
    ]) {
      expect(ids).toContain(id);
    }
    const header = tray().menu?.template[0];
    expect(header).toMatchObject({ id: 'header', label: 'Read-only · claudecode-readonly', enabled: false });
    // no window at start when tiers exist (tray app)
    expect(fake.windows).toHaveLength(0);
  });

  it('error state: a broken config shows the error icon (template on macOS) and says so', async () => {
    home.writeConfig('[profile claudecode-readonly\n');
    const r = (await fake.handlers.get('state:refresh')?.(
      { senderFrame: { url: OWN_URL } } as never,
      undefined as never,
    )) as { ok: boolean };
    expect(r.ok).toBe(true);
    expect(hooks().trayModel()?.icon).toBe('error');
    expect(tray().image.template).toBe(true);
    expect(tray().tooltip).toBe('Elevate: configuration problem — open Elevate');
    expect(tray().menu?.template[0]?.label).toBe('Elevate — configuration problem');
    home.writeConfig(TWO_TIER_CONFIG);
    await fake.handlers.get('state:refresh')?.(
      { senderFrame: { url: OWN_URL } } as never,
      undefined as never,
    );
    expect(hooks().trayModel()?.icon).toBe('readonly');
  });

  it('elevated: coloured (non-template) icon, macOS title countdown, menu header; expiring below 5 min', () => {
    const core = hooks().core;
    core.startElevation({ minutes: 20, source: 'switch' });
    expect(hooks().trayModel()?.icon).toBe('elevated');
    expect(tray().image.template).toBe(false);
    expect(tray().title).toMatch(/^EL (20:00|19:5\d)$/);
    expect(tray().menu?.template[0]?.label).toBe('Elevated — 20 min left');
    const orange = tray().image;
    core.endElevation('dropped');
    core.startElevation({ deadline: new Date(Date.now() + 4 * 60_000).toISOString(), source: 'switch' });
    expect(hooks().trayModel()?.icon).toBe('expiring');
    expect(tray().image).not.toBe(orange);
    expect(tray().title).toMatch(/^EL 0[34]:\d\d$/);
    core.endElevation('dropped');
    expect(hooks().trayModel()?.icon).toBe('readonly');
    expect(tray().title).toBe('');
    expect(fake.notifications.map((n) => n.title)).toContain('Elevation dropped');
    const windowsBefore = fake.windows.length;
    fake.notifications.find((n) => n.title === 'Elevation dropped')?.click?.(); // clicking opens the window
    expect(fake.windows.length).toBe(windowsBefore + 1);
    fake.windows.at(-1)?.emit('ready-to-show');
    expect(hooks().windowVisible()).toBe(true);
    fake.windows.at(-1)?.emit('close', { preventDefault: () => undefined }); // hidden again (tray app)
    expect(hooks().windowVisible()).toBe(false);
    expect(fake.trays).toHaveLength(1); // re-rendered, never re-created
  });

  it('no tiers: "none" icon and a "Set up tiers…" entry', async () => {
    home.writeConfig('[profile unrelated]\nregion = eu-west-1\n');
    await fake.handlers.get('state:refresh')?.(
      { senderFrame: { url: OWN_URL } } as never,
      undefined as never,
    );
    expect(hooks().trayModel()?.icon).toBe('none');
    expect(menuIds()).toContain('open:setup');
    home.writeConfig(TWO_TIER_CONFIG);
    await fake.handlers.get('state:refresh')?.(
      { senderFrame: { url: OWN_URL } } as never,
      undefined as never,
    );
  });

  it('clicking "Open Elevate" opens a window with the secure webPreferences, built preload and renderer', () => {
    expect(hooks().windowVisible()).toBe(false);
    const item = flat(tray().menu?.template ?? []).find((i) => i.id === 'open');
    item?.click?.();
    fake.windows[0]?.emit('ready-to-show');
    expect(fake.windows).toHaveLength(1);
    const w = fake.windows[0];
    const prefs = w?.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(prefs.preload).toBe(join(ROOT, 'out', 'preload', 'index.js'));
    expect(existsSync(prefs.preload as string)).toBe(true);
    expect(w?.loaded.file).toBe(join(ROOT, 'out', 'renderer', 'index.html'));
    expect(existsSync(w?.loaded.file as string)).toBe(true);
    w?.emit('ready-to-show');
    expect(hooks().windowVisible()).toBe(true);
    // closing hides (tray app) instead of destroying
    let prevented = false;
    w?.emit('close', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(hooks().windowVisible()).toBe(false);
    // the test hook clicks tray items by id (what the Playwright _electron test uses)
    expect(hooks().clickTrayItem('open')).toBe(true);
    expect(hooks().windowVisible()).toBe(true);
    expect(hooks().clickTrayItem('no-such-item')).toBe(false);
  });

  it('every contract channel has exactly one ipcMain handler, and nothing else does', () => {
    expect([...fake.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
  });

  it('handlers validate sender frame and payload', async () => {
    const h = (c: string) =>
      fake.handlers.get(c) as (
        e: unknown,
        p: unknown,
      ) => Promise<{ ok: boolean; data?: unknown; error?: { code: string } }>;
    const ok = await h('state:get')({ senderFrame: { url: OWN_URL } }, undefined);
    expect(ok.ok).toBe(true);
    expect(AppStateSchema.parse(ok.data).tiers.readonly?.profile).toBe('claudecode-readonly');
    for (const frame of [{ url: 'https://evil.example/' }, { url: 'file:///tmp/other/index.html' }, null]) {
      expect((await h('state:get')({ senderFrame: frame }, undefined)).error?.code).toBe('forbidden-sender');
    }
    expect((await h('audit:list')({ senderFrame: { url: OWN_URL } }, { limit: -1 })).error?.code).toBe(
      'invalid-request',
    );
    expect(
      (await h('shell:openExternal')({ senderFrame: { url: OWN_URL } }, { url: 'https://evil.example/' }))
        .error?.code,
    ).toBe('forbidden-url');
    expect(fake.opened).toEqual([]);
    expect(
      (
        await h('shell:openExternal')(
          { senderFrame: { url: OWN_URL } },
          { url: 'https://docs.aws.amazon.com/' },
        )
      ).ok,
    ).toBe(true);
    expect(fake.opened).toEqual(['https://docs.aws.amazon.com/']);
  });

  it('an elevated switch asked by the window is confirmed by the native dialog of main (issue 12 P4)', async () => {
    const h = fake.handlers.get('tier:switch') as (
      e: unknown,
      p: unknown,
    ) => Promise<{ ok: boolean; data?: unknown; error?: { code: string } }>;
    const before = fake.messageBoxes.length;
    fake.messageBox.response = 1; // Cancel
    const no = await h({ senderFrame: { url: OWN_URL } }, { tier: 'elevated', minutes: 15, confirmed: true });
    expect(no.error?.code).toBe('declined');
    const box = fake.messageBoxes[before];
    expect(box?.buttons).toEqual(['Switch to elevated', 'Cancel']);
    expect(box?.detail).toContain('Tier: elevated (profile claudecode-elevated)');
    expect(box?.detail).toContain('Minutes: 15');
    expect(readActive(new Date(), home.env).state.tier).toBe('readonly');
    delete fake.messageBox.response;
  });

  it('a tray "Launch claude-el" is confirmed by the same native dialog first; Cancel launches nothing', async () => {
    const before = fake.messageBoxes.length;
    const sessions = hooks().state().sessions.length;
    expect(hooks().clickTrayItem('launch:elevated:choose')).toBe(true);
    for (let i = 0; i < 100 && fake.messageBoxes.length === before; i++)
      await new Promise((r) => setTimeout(r, 20));
    const box = fake.messageBoxes[before];
    expect(box?.buttons).toEqual(['Launch elevated', 'Cancel']);
    expect(box?.detail).toContain('Tier: elevated');
    await new Promise((r) => setTimeout(r, 50));
    expect(hooks().state().sessions.length).toBe(sessions);
    expect(hooks().state().elevation).toBeNull();
  });

  it('tray "Install command-line tool…": main asks first, writes ~/.local/bin/elevate (macOS consent declined), says where and that PATH lacks it', async () => {
    expect(menuIds()).toContain('cli:install');
    const launcher = join(home.env.HOME as string, '.local', 'bin', 'elevate');
    const waitBoxes = async (n: number) => {
      for (let i = 0; i < 200 && fake.messageBoxes.length < n; i++)
        await new Promise((r) => setTimeout(r, 20));
    };
    // development build: no packaged binary to point at → says so (npm link), writes nothing
    let before = fake.messageBoxes.length;
    fake.messageBox.responses = [0]; // Install
    expect(hooks().clickTrayItem('cli:install')).toBe(true);
    await waitBoxes(before + 2);
    expect(fake.messageBoxes[before]?.buttons).toEqual(['Install', 'Cancel']);
    expect(fake.messageBoxes[before + 1]).toMatchObject({
      type: 'error',
      message: 'The command-line tool was not installed',
    });
    expect(fake.messageBoxes[before + 1]?.detail).toContain('npm link');
    expect(existsSync(launcher)).toBe(false);

    // Cancel in main's dialog: nothing written, no second box
    before = fake.messageBoxes.length;
    fake.app.isPackaged = true;
    try {
      expect(hooks().clickTrayItem('cli:install')).toBe(true);
      await waitBoxes(before + 1);
      await new Promise((r) => setTimeout(r, 50));
      expect(fake.messageBoxes.length).toBe(before + 1);
      expect(existsSync(launcher)).toBe(false);

      // Install; macOS asks about /usr/local/bin (administrator prompt) → Cancel → ~/.local/bin
      before = fake.messageBoxes.length;
      fake.messageBox.responses = [0, 1];
      expect(hooks().clickTrayItem('cli:install')).toBe(true);
      await waitBoxes(before + 3);
      const [confirm, consent, result] = fake.messageBoxes.slice(before);
      expect(confirm?.detail).toContain('/usr/local/bin/elevate');
      expect(consent?.buttons).toEqual(['Use /usr/local/bin', 'Cancel']);
      expect(result).toMatchObject({ type: 'info', message: `Installed: ${launcher}` });
      expect(result?.detail).toContain('not on PATH yet');
      const text = readFileSync(launcher, 'utf8');
      expect(text).toContain(`exec ${process.execPath} --elevate-cli "$@"`); // app.getPath('exe') of the double
    } finally {
      fake.app.isPackaged = false;
      delete fake.messageBox.responses;
    }
  });

  it('the window\'s cli:install is confirmed by main\'s dialog too; Cancel is "declined"', async () => {
    const h = fake.handlers.get('cli:install') as (
      e: unknown,
      p: unknown,
    ) => Promise<{ ok: boolean; error?: { code: string } }>;
    const before = fake.messageBoxes.length;
    const r = await h({ senderFrame: { url: OWN_URL } }, undefined);
    expect(r.error?.code).toBe('declined');
    expect(fake.messageBoxes[before]?.title).toBe('Elevate — Install command-line tool');
  });

  it('state changes reach the window as state:changed events', async () => {
    const w = fake.windows[0];
    const before = w?.webContents.sent.length ?? 0;
    await fake.handlers.get('state:refresh')?.(
      { senderFrame: { url: OWN_URL } } as never,
      undefined as never,
    );
    const sent = w?.webContents.sent.slice(before) ?? [];
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every(([c]) => c === 'state:changed')).toBe(true);
    expect(AppStateSchema.safeParse(sent[sent.length - 1]?.[1]).success).toBe(true);
  });

  it('navigation, redirects, webviews and new windows are denied; permissions refused; CSP header set', () => {
    const wc = fake.windows[0]?.webContents;
    for (const ev of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      wc?.emit(ev, { preventDefault: () => (prevented = true) }, 'https://evil.example/');
      expect(prevented, ev).toBe(true);
    }
    expect(wc?.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(wc?.openHandler?.({ url: 'https://github.com/' })).toEqual({ action: 'deny' }); // opened outside, never in-app
    let granted: boolean | undefined;
    fake.sessionHooks.permissionRequest?.(
      {} as never,
      'media' as never,
      ((g: boolean) => (granted = g)) as never,
    );
    expect(granted).toBe(false);
    expect(fake.sessionHooks.permissionCheck?.()).toBe(false);
    let headers: Record<string, string[]> = {};
    fake.sessionHooks.onHeadersReceived?.(
      { responseHeaders: { 'X-A': ['1'] } } as never,
      ((r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders)) as never,
    );
    expect(headers['X-A']).toEqual(['1']);
    expect(headers['Content-Security-Policy']?.[0]).toMatch(
      /^default-src 'none'; script-src 'self'; style-src 'self';/,
    );
  });

  it('state.json shows the app as running with its pid and active tier (read by the CLI)', () => {
    const state = JSON.parse(readFileSync(join(home.env.ELEVATE_HOME as string, 'state.json'), 'utf8'));
    expect(state).toMatchObject({ pid: process.pid, activeTier: 'readonly' });
    expect(readActive(new Date(), home.env).state.tier).toBe(state.activeTier); // what `elevate status` says
  });

  it('the built preload is one sandbox-safe file: requires only electron, exposes exactly the contract', async () => {
    const file = join(ROOT, 'out', 'preload', 'index.js');
    const code = readFileSync(file, 'utf8');
    expect([...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(code).not.toMatch(/^\s*import\s/m);
    // run it as the sandboxed preload would be: a CommonJS function with only `require('electron')`
    const exposed: Record<string, unknown> = {};
    const invoked: [string, unknown][] = [];
    const listeners = new Map<string, (e: unknown, p: unknown) => void>();
    const electronStub = {
      contextBridge: { exposeInMainWorld: (k: string, v: unknown) => (exposed[k] = v) },
      ipcRenderer: {
        invoke: async (c: string, p: unknown) => {
          invoked.push([c, p]);
          return { ok: true, data: null };
        },
        on: (c: string, l: (e: unknown, p: unknown) => void) => listeners.set(c, l),
        removeListener: (c: string) => listeners.delete(c),
      },
    };
    const fn = new Function('require', 'module', 'exports', code);
    fn(
      (id: string) => {
        if (id !== 'electron') throw new Error(`preload required ${id}`);
        return electronStub;
      },
      { exports: {} },
      {},
    );
    const bridge = exposed.elevate as {
      channels: string[];
      invoke(c: string, p?: unknown): Promise<{ ok: boolean; error?: { code: string } }>;
      onState(cb: (s: unknown) => void): () => void;
    };
    expect(Object.keys(exposed)).toEqual(['elevate']);
    expect([...bridge.channels].sort()).toEqual([...CHANNELS].sort());
    expect(await bridge.invoke('state:get')).toEqual({ ok: true, data: null });
    expect((await bridge.invoke('fs:readFile', { path: '/etc/passwd' })).error?.code).toBe('unknown-channel');
    expect(invoked.map((i) => i[0])).toEqual(['state:get']); // the unknown channel never reached ipcRenderer
    const seen: unknown[] = [];
    const off = bridge.onState((st) => seen.push(st));
    listeners.get('state:changed')?.({ sender: 'x' }, { revision: 1 });
    off();
    expect(seen).toEqual([{ revision: 1 }]); // the event object (with sender) is not handed to the page
    expect(listeners.has('state:changed')).toBe(false);
  });

  it('Quit releases state.json and destroys the tray', () => {
    flat(tray().menu?.template ?? [])
      .find((i) => i.id === 'quit')
      ?.click?.();
    expect(fake.calls).toContain('app.quit');
    expect(tray().destroyed).toBe(true);
    const state = JSON.parse(readFileSync(join(home.env.ELEVATE_HOME as string, 'state.json'), 'utf8'));
    expect(state.pid).toBeUndefined();
  });
});
