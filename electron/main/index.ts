// Electron main process: glue only. It wires the app core (electron/app/core.ts) to the Tray, the window
// and ipcMain, and provides the OS services of its Platform seam (folder picker, notifications, the native
// confirmation dialog of issue 12 P4); all behaviour lives in electron/app, electron/node and shared/.
import './cliEntry'; // FIRST: `<app> --elevate-cli …` is the `elevate` command (CLI only, the app does not start)
import { app, BrowserWindow, dialog, Menu, Notification, shell } from 'electron';
import path from 'node:path';
import { cliInstalledDetail, cliInstalledMessage, type CliInstallOutcome } from '../../shared/cliInstall';
import { IPC_ERRORS, isTrustedRendererUrl, type EventPayload } from '../../shared/ipc';
import { hasTiers } from '../../shared/state';
import { flattenItems, trayActionFor } from '../../shared/trayModel';
import { ElevateCore } from '../app/core';
import { selfCommand, type SelfCommand } from '../node/selfCommand';
import { watchActive } from '../node/activeTier';
import { setLinuxAutostart } from '../node/autostart';
import { loginShellPath, mergePath } from '../node/loginPath';
import { registerIpc, sendEvent } from './ipc';
import { TrayController } from './tray';
import { createMainWindow, devServerUrl, guardContents, hardenSession, rendererUrl } from './window';

type Section = EventPayload<'ui:show'>['section'];

const TEST_HOOKS = process.env.ELEVATE_TEST_HOOKS === '1';
const startHidden = process.argv.includes('--hidden');

// Module-level references: a Tray or window that is only referenced from a closure can be collected.
let tray: TrayController | null = null;
let win: BrowserWindow | null = null;
let quitting = false;
/** Set while the window is visible: the workstation status is kept fresh only then. */
let releaseWorkstation: (() => void) | null = null;
let unwatchActive: (() => void) | null = null;

function setLaunchAtLogin(enabled: boolean): void {
  if (!app.isPackaged) {
    console.log(`elevate: launch at login ${enabled ? 'on' : 'off'} (not registered in development)`);
    return;
  }
  if (process.platform === 'linux') setLinuxAutostart(enabled, process.env.APPIMAGE || process.execPath);
  else app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
}

/**
 * How a terminal runs Elevate's CLI: the app's own executable as Node (runAsNode fuse stays on) with the
 * bundled CLI; in development the Electron binary with the repo's bin/elevate.cjs.
 */
function appSelfCommand(): SelfCommand {
  if (app.isPackaged)
    return selfCommand({
      packaged: true,
      appExecutable: app.getPath('exe'),
      resourcesPath: process.resourcesPath,
    });
  return {
    argv: [process.execPath, path.join(app.getAppPath(), 'bin', 'elevate.cjs')],
    env: { ELECTRON_RUN_AS_NODE: '1' },
  };
}

const core = new ElevateCore({
  self: appSelfCommand(),
  trustedSender: (url) => isTrustedRendererUrl(url, rendererUrl(), devServerUrl()),
  platform: {
    pickFolder: async (title) => {
      const opts: Electron.OpenDialogOptions = {
        title: title ?? 'Choose a project folder',
        properties: ['openDirectory', 'createDirectory'],
      };
      const r =
        win && !win.isDestroyed()
          ? await dialog.showOpenDialog(win, opts)
          : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    openExternal: (url) => shell.openExternal(url),
    notify: (title, body, section) => {
      if (!Notification.isSupported()) return;
      const n = new Notification({ title, body });
      n.on('click', () => showWindow(section ?? 'overview'));
      n.show();
    },
    setLaunchAtLogin,
    // cli:install's launcher runs the packaged binary; in development there is none (npm link instead).
    appExecutable: () => (app.isPackaged ? app.getPath('exe') : null),
    // Issue 12 P4: elevation-relevant requests from the window are confirmed HERE, by main's own native
    // dialog (tier, minutes, plan hash); the renderer cannot answer it.
    confirm: async (q) => {
      const opts: Electron.MessageBoxOptions = {
        type: 'warning',
        title: `Elevate — ${q.title}`,
        message: q.message,
        detail: q.detail,
        buttons: [q.confirmLabel, 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        noLink: true,
      };
      const r =
        win && !win.isDestroyed()
          ? await dialog.showMessageBox(win, opts)
          : await dialog.showMessageBox(opts);
      return r.response === 0;
    },
  },
});

function showWindow(section?: Section): void {
  if (!win || win.isDestroyed()) {
    win = createMainWindow({
      onClose: (e) => {
        // A tray app: closing the window hides it; Quit is in the tray menu.
        if (!quitting) {
          e.preventDefault();
          win?.hide();
        }
        releaseWorkstation?.();
        releaseWorkstation = null;
      },
    });
    if (section) win.webContents.once('did-finish-load', () => sendEvent(win, 'ui:show', { section }));
  } else {
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    if (section) sendEvent(win, 'ui:show', { section });
  }
  releaseWorkstation ??= core.watchWorkstation();
}

function onTrayItem(id: string): void {
  const action = trayActionFor(id);
  if (!action) return;
  switch (action.kind) {
    case 'open':
      showWindow(
        action.section === 'settings' ? 'settings' : action.section === 'setup' ? 'setup' : undefined,
      );
      return;
    case 'review':
      showWindow('plan');
      return;
    case 'verify':
      void core.invoke('tiers:verify', {});
      return;
    case 'launch': {
      const cwd =
        action.folder === 'choose' ? undefined : core.getState().settings.recentFolders[action.folder];
      if (action.folder !== 'choose' && !cwd) return;
      void core.invoke('launch:start', { tier: action.tier, ...(cwd ? { cwd } : {}) });
      return;
    }
    case 'drop':
      void core.invoke('elevation:drop', {});
      return;
    case 'resume': {
      const r = core.getState().resumable;
      if (r) void core.invoke('session:resumeReadonly', { sessionId: r.sessionId });
      return;
    }
    case 'quit':
      app.quit();
      return;
    case 'tier':
      void switchFromTray(action.tier);
      return;
    case 'workstation':
      void workstationFromTray(action.op);
      return;
    case 'installCli':
      void installCliFromTray();
      return;
  }
}

/** Tray "Install command-line tool…": main's dialog asks first (dispatcher), then says what happened. */
async function installCliFromTray(): Promise<void> {
  const r = await core.invoke('cli:install', {});
  if (!r.ok && (r.error.code === IPC_ERRORS.declined || r.error.code === IPC_ERRORS.unconfirmed)) return;
  const opts: Electron.MessageBoxOptions = r.ok
    ? {
        type: 'info',
        title: 'Elevate — command-line tool',
        message: cliInstalledMessage(r.data as CliInstallOutcome),
        detail: cliInstalledDetail(r.data as CliInstallOutcome),
        buttons: ['OK'],
      }
    : {
        type: 'error',
        title: 'Elevate — command-line tool',
        message: 'The command-line tool was not installed',
        detail: r.error.message,
        buttons: ['OK'],
      };
  if (win && !win.isDestroyed()) await dialog.showMessageBox(win, opts);
  else await dialog.showMessageBox(opts);
}

async function workstationFromTray(op: 'refresh' | 'cloudInit' | 'connect' | 'claude-ro'): Promise<void> {
  if (op === 'refresh') await core.invoke('ssm:status', {});
  else if (op === 'cloudInit') await core.invoke('ssm:cloudInit', { wait: false });
  else if (op === 'connect') await core.invoke('ssm:connect', {});
  // Remote elevated Claude is refused (issue 12 P2): the tray offers read-only only.
  else await core.invoke('ssm:connect', { remoteClaude: 'readonly' });
}

/** Tray radio items (issue 7): elevated asks for confirmation and a length first. */
async function switchFromTray(tier: 'readonly' | 'elevated' | 'off'): Promise<void> {
  let minutes: number | undefined;
  if (tier === 'elevated') {
    const s = core.getState();
    const choices = [...new Set([15, 30, 60, s.settings.elevationMinutes])].sort((a, b) => a - b);
    const r = await dialog.showMessageBox({
      type: 'warning',
      title: 'Elevate',
      message: `Switch to elevated (${s.tiers.elevated?.profile ?? 'no elevated tier'})?`,
      detail:
        'Everything started next — Claude settings Elevate manages and shells with the Elevate hook — uses the elevated profile until the deadline, then falls back to read-only.',
      buttons: [...choices.map((m) => `${m} min`), 'Cancel'],
      defaultId: Math.max(0, choices.indexOf(s.settings.elevationMinutes)),
      cancelId: choices.length,
    });
    if (r.response >= choices.length) return;
    minutes = choices[r.response];
  }
  // Elevated: the dialog above (main's own, with the tier and the length) is the human's confirmation.
  const res = await core.invoke(
    'tier:switch',
    tier === 'elevated' ? { tier, minutes, confirmed: true } : { tier },
    { confirmedInMain: true },
  );
  if (res.ok) {
    const stale = (res.data as { staleSessions?: unknown[] }).staleSessions ?? [];
    if (stale.length && Notification.isSupported()) {
      new Notification({
        title: `${stale.length} session${stale.length === 1 ? '' : 's'} still on the old tier`,
        body: 'Claude keeps its credentials until restarted: resume it with `claude --resume <id>` (see `elevate switch --json`).',
      }).show();
    }
  }
}

function installTestHooks(): void {
  // Playwright cannot open tray menus; with ELEVATE_TEST_HOOKS=1 a test clicks items by id through
  // electronApp.evaluate(() => globalThis.__elevateTest.clickTrayItem('open')).
  (globalThis as Record<string, unknown>).__elevateTest = {
    clickTrayItem(id: string): boolean {
      const item = tray?.model && flattenItems(tray.model.items).find((i) => i.id === id);
      if (!item || !item.enabled) return false;
      onTrayItem(id);
      return true;
    },
    trayModel: () => tray?.model ?? null,
    state: () => core.getState(),
    windowVisible: () => Boolean(win && !win.isDestroyed() && win.isVisible()),
    /** The state store itself, to put the app into states a test cannot reach from outside (elevation). */
    core,
  };
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.on('web-contents-created', (_e, contents) => guardContents(contents));
  // Stay alive in the tray when the window closes.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', () => {
    quitting = true;
    unwatchActive?.();
    tray?.destroy();
    tray = null;
    core.stop();
  });

  void app.whenReady().then(async () => {
    // Started from Finder / a desktop launcher: take PATH from the login shell (claude, aws, plugin).
    if (app.isPackaged && process.platform !== 'win32') {
      process.env.PATH = mergePath(await loginShellPath(process.env), process.env.PATH);
    }
    if (process.platform === 'darwin') {
      app.dock?.hide();
      // No visible menu bar (LSUIElement), but the Edit menu keeps copy/paste working in the window.
      Menu.setApplicationMenu(Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }]));
    } else {
      Menu.setApplicationMenu(null);
    }
    hardenSession();
    registerIpc(core);
    const state = core.start();
    unwatchActive = watchActive(process.env, () => core.syncActive());
    tray = new TrayController(onTrayItem);
    tray.render(state);
    core.subscribe((s) => {
      tray?.render(s);
      sendEvent(win, 'state:changed', s);
    });
    if (TEST_HOOKS) installTestHooks();
    if (!hasTiers(state) && !startHidden) showWindow('setup');
  });
}
