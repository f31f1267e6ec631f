// The login-shell PATH lookup for GUI launches, with a real bash and a stand-in shell that prints rc noise.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loginShellPath, mergePath } from '../../electron/main/services/loginPath';

const dir = mkdtempSync(join(tmpdir(), 'elevate-loginpath-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('login shell PATH', () => {
  it('reads PATH as a real login bash sets it (~/.bash_profile), ignoring rc output', async () => {
    const home = join(dir, 'home');
    rmSync(home, { recursive: true, force: true });
    mkdirSync(home);
    writeFileSync(
      join(home, '.bash_profile'),
      'echo "welcome banner"\nexport PATH="/opt/claude/bin:$PATH"\n',
    );
    const p = await loginShellPath({ SHELL: '/bin/bash', HOME: home, PATH: '/usr/bin:/bin' });
    expect(p?.split(':')[0]).toBe('/opt/claude/bin');
    expect(p).not.toContain('welcome');
  });

  it('a shell that hangs or fails gives null within the timeout', async () => {
    const slow = join(dir, 'slowsh');
    writeFileSync(slow, '#!/bin/sh\nsleep 5\n', { mode: 0o755 });
    const t0 = Date.now();
    expect(await loginShellPath({ SHELL: slow, PATH: '/usr/bin:/bin' }, 300)).toBeNull();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await loginShellPath({ SHELL: '/nonexistent/shell', PATH: '/usr/bin:/bin' })).toBeNull();
  });

  it('merges shell entries first, without duplicates or empties', () => {
    expect(mergePath('/opt/a:/usr/bin::/opt/b', '/usr/bin:/bin:/opt/a')).toBe('/opt/a:/usr/bin:/opt/b:/bin');
    expect(mergePath(null, '/usr/bin:/bin')).toBe('/usr/bin:/bin');
  });
});
