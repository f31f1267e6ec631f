// Preload: the one bridge between the window and main. Bundled into one CommonJS file that requires only
// `electron`, so it loads with `sandbox: true`. It exposes exactly the contract's channels (a channel
// name not in the list never reaches ipcRenderer) plus the state and "show section" subscriptions.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNEL_NAMES } from '../../shared/channels';
import type { Channel, ElevateBridge } from '../../shared/ipc';

const allowed = new Set<string>(CHANNEL_NAMES);

function subscribe(event: 'state:changed' | 'ui:show', cb: (payload: never) => void): () => void {
  if (typeof cb !== 'function') throw new TypeError('callback must be a function');
  const listener = (_e: IpcRendererEvent, payload: unknown) => cb(payload as never);
  ipcRenderer.on(event, listener);
  return () => {
    ipcRenderer.removeListener(event, listener);
  };
}

const bridge: ElevateBridge = {
  channels: Object.freeze([...CHANNEL_NAMES]) as readonly Channel[],
  invoke: (channel, payload) => {
    if (!allowed.has(channel)) {
      return Promise.resolve({
        ok: false as const,
        error: { code: 'unknown-channel', message: `unknown channel ${String(channel).slice(0, 80)}` },
      });
    }
    return ipcRenderer.invoke(channel, payload);
  },
  onState: (cb) => subscribe('state:changed', cb),
  onShow: (cb) => subscribe('ui:show', cb),
};

contextBridge.exposeInMainWorld('elevate', bridge);
