// Launch at login on Linux: the XDG autostart entry the glue writes for the packaged app.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  desktopExecQuote,
  linuxAutostartFile,
  setLinuxAutostart,
} from '../../electron/main/services/autostart';

const dir = mkdtempSync(join(tmpdir(), 'elevate-autostart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Linux autostart entry', () => {
  it('writes a desktop entry under $XDG_CONFIG_HOME/autostart with a quoted Exec, and removes it', () => {
    const env = { XDG_CONFIG_HOME: join(dir, 'cfg'), HOME: join(dir, 'home') };
    const exe = '/opt/My Apps/Elevate "beta"/elevate$1.AppImage';
    const file = setLinuxAutostart(true, exe, env);
    expect(file).toBe(join(dir, 'cfg', 'autostart', 'elevate.desktop'));
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('[Desktop Entry]\nType=Application\nName=Elevate\n');
    expect(text).toContain('Exec="/opt/My Apps/Elevate \\"beta\\"/elevate\\$1.AppImage" --hidden\n');
    setLinuxAutostart(false, exe, env);
    expect(existsSync(file)).toBe(false);
  });

  it('defaults to ~/.config/autostart and escapes backslashes and backticks', () => {
    expect(linuxAutostartFile({ HOME: '/home/u' })).toBe('/home/u/.config/autostart/elevate.desktop');
    expect(desktopExecQuote('a\\b`c')).toBe('"a\\\\b\\`c"');
  });
});
