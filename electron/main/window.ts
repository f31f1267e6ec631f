// The dashboard window (glue). Security: isolated, sandboxed, no Node, strict CSP, no navigation, no new
// windows, every permission request denied; links leave only through the allowlist in shared/ipc.ts.
import { app, BrowserWindow, nativeTheme, session, shell, type Session, type WebContents } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isAllowedExternalUrl } from '../../shared/ipc';

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
  navigateOnDragDrop: false,
} as const;

export const paths = {
  preload: path.join(__dirname, '../preload/index.js'),
  renderer: path.join(__dirname, '../renderer/index.html'),
};

/** The URL the window loads: the built file, or electron-vite's dev server (development only). */
export function rendererUrl(): string {
  return pathToFileURL(paths.renderer).href;
}

/**
 * electron-vite's dev server, in development only: a packaged app ignores ELECTRON_RENDERER_URL, or anything
 * that could set the variable (a launcher, a shell rc) would make it load — and trust with the whole IPC
 * bridge — whatever page some local process serves on that port.
 */
export function devServerUrl(
  env: Record<string, string | undefined> = process.env,
  packaged: boolean = app.isPackaged,
): string | null {
  if (packaged) return null;
  const url = env.ELECTRON_RENDERER_URL;
  return url && /^http:\/\/(localhost|127\.0\.0\.1):\d+\/?$/.test(url) ? url : null;
}

/** Session-wide hardening, once: CSP header on every response, all permissions denied. */
export function hardenSession(ses: Session = session.defaultSession): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

/** Per-webContents guards (applied to every webContents via app 'web-contents-created'). */
export function guardContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function createMainWindow(opts: { onClose: (e: Electron.Event) => void }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1040,
    height: 760,
    minWidth: 760,
    minHeight: 520,
    show: false,
    title: 'Elevate',
    autoHideMenuBar: true,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#15171b' : '#f5f6f8',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: paths.preload },
  });
  win.on('close', opts.onClose);
  win.once('ready-to-show', () => win.show());
  const dev = devServerUrl();
  void (dev ? win.loadURL(dev) : win.loadFile(paths.renderer));
  return win;
}
