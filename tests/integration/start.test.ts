// `npm start` where the Electron binary is missing (this machine: it cannot be downloaded): one clear
// message with the reason, the fix and that the CLI works without Electron — never a raw stack.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

function electronInstalled(): boolean {
  const r = spawnSync(process.execPath, ['-e', "require('fs').accessSync(require('electron'))"], {
    cwd: root,
  });
  return r.status === 0;
}

describe('npm start without the Electron binary', () => {
  it.skipIf(electronInstalled())(
    'exits 1 with the reason, the fix and the CLI hint, no stack trace (skipped where Electron is installed)',
    () => {
      const r = spawnSync(process.execPath, [path.join(root, 'scripts/start.mjs')], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
        timeout: 20_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('Cannot start the Elevate app: the Electron binary is not installed');
      expect(r.stderr).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD=1');
      expect(r.stderr).toContain('The CLI works without Electron');
      expect(r.stderr + r.stdout).not.toMatch(/^\s+at /m);
    },
  );
});
