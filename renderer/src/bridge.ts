// The renderer's only way to main: `window.elevate`, exposed by the preload (electron/preload/index.ts).
import type { Channel, ElevateBridge, IpcResult, Request, Response } from '../../shared/ipc';

declare global {
  interface Window {
    elevate?: ElevateBridge;
  }
}

export function bridge(): ElevateBridge {
  if (!window.elevate) throw new Error('Elevate bridge missing: this page must run inside the Elevate app');
  return window.elevate;
}

export function call<C extends Channel>(channel: C, payload?: Request<C>): Promise<IpcResult<Response<C>>> {
  return bridge().invoke(channel, payload);
}

export function onShow(cb: Parameters<ElevateBridge['onShow']>[0]): () => void {
  return bridge().onShow(cb);
}
