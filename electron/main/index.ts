// Electron main process (glue only). The tray app grows here; all behaviour lives in services/.
import { app, BrowserWindow } from 'electron';
import path from 'node:path';

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 960,
    height: 720,
    show: false,
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  void win.loadFile(path.join(__dirname, '../renderer/index.html'));
  win.once('ready-to-show', () => win.show());
  return win;
}

void app.whenReady().then(() => {
  createWindow();
});
