// A small stand-in for the `electron` module, to load the BUILT main bundle (out/main/index.js) in plain
// Node: it records what main does (Tray, menus, windows, ipcMain handlers, session hardening) so a test
// can assert on it. Only the API surface main uses; anything else throws, so new usage is noticed.
import Module from 'node:module';
import { EventEmitter } from 'node:events';

type Fn = (...args: never[]) => unknown;

export interface FakeImageRep {
  scaleFactor: number;
  width: number;
  height: number;
  buffer: Buffer;
}

export class FakeImage {
  reps: FakeImageRep[] = [];
  template = false;
  addRepresentation(rep: FakeImageRep) {
    this.reps.push(rep);
  }
  setTemplateImage(on: boolean) {
    this.template = on;
  }
  isTemplateImage() {
    return this.template;
  }
}

export interface FakeMenu {
  template: MenuItem[];
}
export interface MenuItem {
  id?: string;
  label?: string;
  type?: string;
  enabled?: boolean;
  checked?: boolean;
  submenu?: MenuItem[];
  click?: () => void;
  role?: string;
}

export interface MessageBoxOptions {
  type?: string;
  title?: string;
  message: string;
  detail?: string;
  buttons?: string[];
  defaultId?: number;
  cancelId?: number;
}

export function createFakeElectron() {
  const calls: string[] = [];
  const trays: FakeTray[] = [];
  const windows: FakeWindow[] = [];
  const handlers = new Map<string, Fn>();
  const notifications: { title: string; body: string; click?: () => void }[] = [];
  const opened: string[] = [];
  const messageBoxes: MessageBoxOptions[] = [];
  /**
   * What the next message boxes answer (button index): first the queued `responses` (one per box), then
   * `response`; undefined = the cancel button.
   */
  const messageBox: { response?: number; responses?: number[] } = {};
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((r) => (readyResolve = r));
  const sessionHooks: {
    onHeadersReceived?: Fn;
    permissionRequest?: Fn;
    permissionCheck?: Fn;
  } = {};

  class AppEmitter extends EventEmitter {
    isPackaged = false;
    dock = { hide: () => calls.push('dock.hide') };
    requestSingleInstanceLock() {
      calls.push('requestSingleInstanceLock');
      return true;
    }
    whenReady() {
      return ready;
    }
    quit() {
      calls.push('app.quit');
      this.emit('before-quit');
    }
    getPath(name: string) {
      if (name === 'exe') return process.execPath;
      throw new Error(`fake electron: app.getPath(${name}) not provided`);
    }
    getAppPath() {
      return process.cwd();
    }
    setLoginItemSettings(s: unknown) {
      calls.push(`setLoginItemSettings ${JSON.stringify(s)}`);
    }
  }
  const app = new AppEmitter();

  class FakeTray extends EventEmitter {
    image: FakeImage;
    tooltip = '';
    title = '';
    menu: FakeMenu | null = null;
    destroyed = false;
    history: { image?: FakeImage; tooltip?: string; title?: string; menu?: FakeMenu }[] = [];
    constructor(image: FakeImage) {
      super();
      this.image = image;
      trays.push(this);
    }
    setImage(i: FakeImage) {
      this.image = i;
      this.history.push({ image: i });
    }
    setToolTip(t: string) {
      this.tooltip = t;
      this.history.push({ tooltip: t });
    }
    setTitle(t: string) {
      this.title = t;
      this.history.push({ title: t });
    }
    setContextMenu(m: FakeMenu) {
      this.menu = m;
      this.history.push({ menu: m });
    }
    destroy() {
      this.destroyed = true;
    }
  }

  class FakeWebContents extends EventEmitter {
    sent: [string, unknown][] = [];
    openHandler: ((d: { url: string }) => { action: string }) | null = null;
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    }
    setWindowOpenHandler(fn: (d: { url: string }) => { action: string }) {
      this.openHandler = fn;
    }
    isDestroyed() {
      return false;
    }
  }

  class FakeWindow extends EventEmitter {
    options: Record<string, unknown>;
    webContents = new FakeWebContents();
    loaded: { file?: string; url?: string } = {};
    visible = false;
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadFile(file: string) {
      this.loaded.file = file;
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.loaded.url = url;
      return Promise.resolve();
    }
    show() {
      this.visible = true;
    }
    hide() {
      this.visible = false;
    }
    focus() {}
    restore() {}
    isMinimized() {
      return false;
    }
    isVisible() {
      return this.visible;
    }
    isDestroyed() {
      return false;
    }
  }

  class FakeNotification extends EventEmitter {
    static isSupported() {
      return true;
    }
    constructor(private o: { title: string; body: string }) {
      super();
    }
    show() {
      notifications.push({ ...this.o, click: () => this.emit('click') });
    }
  }

  const electron = {
    app,
    Tray: FakeTray,
    BrowserWindow: FakeWindow,
    Notification: FakeNotification,
    Menu: {
      buildFromTemplate: (template: MenuItem[]): FakeMenu => ({ template }),
      setApplicationMenu: (m: FakeMenu | null) =>
        calls.push(`setApplicationMenu ${m ? m.template.map((i) => i.role).join(',') : 'null'}`),
    },
    nativeImage: { createEmpty: () => new FakeImage() },
    nativeTheme: Object.assign(new EventEmitter(), { shouldUseDarkColors: false }),
    ipcMain: {
      handle: (channel: string, fn: Fn) => {
        if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        handlers.set(channel, fn);
      },
      removeHandler: (channel: string) => handlers.delete(channel),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: Fn) => (sessionHooks.onHeadersReceived = fn) },
        setPermissionRequestHandler: (fn: Fn) => (sessionHooks.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Fn) => (sessionHooks.permissionCheck = fn),
      },
    },
    dialog: {
      showOpenDialog: async () => ({ canceled: false, filePaths: ['/tmp'] }),
      /** Records each message box; answers `messageBox.response` (default: the cancel button). */
      showMessageBox: async (...args: unknown[]) => {
        const o = args[args.length - 1] as { buttons?: string[]; cancelId?: number };
        messageBoxes.push(o as MessageBoxOptions);
        const queued = messageBox.responses?.shift();
        return { response: queued ?? messageBox.response ?? o.cancelId ?? (o.buttons?.length ?? 1) - 1 };
      },
    },
    shell: {
      openExternal: async (url: string) => {
        opened.push(url);
      },
    },
  };

  const module = new Proxy(electron, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof typeof target];
      if (prop === '__esModule' || prop === 'default' || typeof prop === 'symbol' || prop === 'then')
        return undefined;
      throw new Error(`fake electron: main used electron.${String(prop)}, which the double does not provide`);
    },
  });

  return {
    module,
    messageBoxes,
    messageBox,
    app,
    trays,
    windows,
    handlers,
    notifications,
    opened,
    calls,
    sessionHooks,
    ready: () => readyResolve(),
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/** Route `require('electron')` to the fake for everything loaded after this call. */
export function installFakeElectron(fake: FakeElectron): () => void {
  const M = Module as unknown as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
    _cache: Record<string, unknown>;
  };
  const original = M._resolveFilename;
  const id = '\0fake-electron';
  const mod = new Module(id);
  mod.exports = fake.module;
  (mod as unknown as { loaded: boolean }).loaded = true;
  M._cache[id] = mod;
  M._resolveFilename = function (request: string, ...rest: unknown[]) {
    if (request === 'electron') return id;
    return original.call(this, request, ...rest);
  };
  return () => {
    M._resolveFilename = original;
    delete M._cache[id];
  };
}
