// IPC glue: one ipcMain.handle per contract channel, all going through core.handle (which validates the
// sender frame, the payload and the response). State snapshots go to the window as `state:changed`.
import { ipcMain, type BrowserWindow } from 'electron';
import { CHANNELS, type EventName, type EventPayload } from '../../shared/ipc';
import type { ElevateCore } from '../app/core';

export function registerIpc(core: ElevateCore): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) =>
      // senderFrame is null once the frame navigated away or was destroyed: then nothing is trusted.
      core.handle(channel, payload, { url: event.senderFrame?.url ?? '' }),
    );
  }
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}

export function sendEvent<E extends EventName>(
  win: BrowserWindow | null,
  name: E,
  payload: EventPayload<E>,
): void {
  if (win && !win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(name, payload);
}
