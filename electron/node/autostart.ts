// Launch at login on Linux (XDG autostart .desktop file). macOS and Windows use Electron's
// app.setLoginItemSettings in the glue; Electron has no Linux equivalent.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { quoteDesktopExec } from '../../shared/quote';
import type { Env } from './paths';

export function linuxAutostartFile(env: Env = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'autostart', 'elevate.desktop');
}

/** Desktop Entry Exec quoting (shared/quote.ts). */
export const desktopExecQuote = quoteDesktopExec;

export function setLinuxAutostart(enabled: boolean, exec: string, env: Env = process.env): string {
  const file = linuxAutostartFile(env);
  if (!enabled) {
    fs.rmSync(file, { force: true });
    return file;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Elevate',
    'Comment=Time-limited AWS access for AI coding agents',
    `Exec=${desktopExecQuote(exec)} --hidden`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
  fs.writeFileSync(file, text, { mode: 0o644 });
  return file;
}
