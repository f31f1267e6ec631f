// The login-shell PATH lookup for GUI launches, with a real bash and a stand-in shell that prints rc noise.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loginShellPath, mergePath } from '../../electron/node/loginPath';

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

  it('an interactive bash stuck in its rc file (it ignores SIGTERM): null at the timeout, its group killed', async () => {
    const home = join(dir, 'stuck');
    rmSync(home, { recursive: true, force: true });
    mkdirSync(home);
    const pidFile = join(home, 'pids');
    // A slow command, then a `read` (which waited forever on the open stdin pipe before).
    writeFileSync(
      join(home, '.bash_profile'),
      `echo "$$" >> ${pidFile}\nsleep 20 & echo "$!" >> ${pidFile}\nwait\nread x\n`,
    );
    const t0 = Date.now();
    expect(await loginShellPath({ SHELL: '/bin/bash', HOME: home, PATH: '/usr/bin:/bin' }, 400)).toBeNull();
    expect(Date.now() - t0).toBeLessThan(2500);
    await new Promise((r) => setTimeout(r, 100));
    const pids = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
  });

  it('answers once the marked PATH is printed, even if the rc file left a process holding stdout', async () => {
    const home = join(dir, 'daemon');
    rmSync(home, { recursive: true, force: true });
    mkdirSync(home);
    writeFileSync(join(home, '.bash_profile'), 'export PATH="/opt/d/bin:$PATH"\n(sleep 20) &\n');
    const t0 = Date.now();
    const p = await loginShellPath({ SHELL: '/bin/bash', HOME: home, PATH: '/usr/bin:/bin' }, 5000);
    expect(p?.split(':')[0]).toBe('/opt/d/bin');
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it('merges shell entries first, without duplicates or empties', () => {
    expect(mergePath('/opt/a:/usr/bin::/opt/b', '/usr/bin:/bin:/opt/a')).toBe('/opt/a:/usr/bin:/opt/b:/bin');
    expect(mergePath(null, '/usr/bin:/bin')).toBe('/usr/bin:/bin');
  });
});

/** Running (not a zombie waiting to be reaped). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
