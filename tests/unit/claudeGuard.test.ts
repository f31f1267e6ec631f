// shared/claudeGuard.ts: the per-session `claude --settings` deny fragment. The rules are checked with a
// gitignore matcher (the `ignore` package; Claude Code documents Read/Edit rules as gitignore patterns,
// `//` = absolute from the filesystem root) against the real paths an agent would try.
import ignore from 'ignore';
import { describe, expect, it } from 'vitest';
import { claudeGuardSettings, posixPath } from '../../shared/claudeGuard';

/** Whether `tool` on absolute `path` is denied by the rules (absolute `//…` rules only). */
function denied(rules: string[], tool: 'Read' | 'Edit', path: string): boolean {
  const patterns = rules
    .map((r) => new RegExp(`^${tool}\\((.*)\\)$`).exec(r)?.[1])
    .filter((p): p is string => p !== undefined);
  for (const p of patterns) expect(p.startsWith('//'), p).toBe(true);
  const ig = ignore().add(patterns.map((p) => p.slice(2)));
  return ig.ignores(posixPath(path).slice(1));
}

const HOME = '/home/ana';
const STATE = '/home/ana/.config/Elevate';

describe('claudeGuardSettings', () => {
  it('own session dir outside the state dir: ~/.aws, the whole state dir and the own dir (edit only) are denied', () => {
    const { settings, notes } = claudeGuardSettings({
      home: HOME,
      stateDir: STATE,
      sessionId: 's-1',
      ownSessionDir: '/run/user/1000/elevate/s-1',
      platform: 'linux',
    });
    const deny = settings.permissions.deny;
    for (const p of [
      `${HOME}/.aws/credentials`,
      `${HOME}/.aws/config`,
      `${HOME}/.aws/sso/cache/abc.json`,
      `${STATE}/approvals.json`,
      `${STATE}/active.json`,
      `${STATE}/elevation.json`,
      `${STATE}/sessions/s-2/cache.json`,
      `${STATE}/sessions/s-1/spec.json`,
    ]) {
      expect(denied(deny, 'Read', p), `Read ${p}`).toBe(true);
      expect(denied(deny, 'Edit', p), `Edit ${p}`).toBe(true);
    }
    // Its own secret-free config stays readable (so `aws` works), but not editable.
    expect(denied(deny, 'Read', '/run/user/1000/elevate/s-1/config')).toBe(false);
    expect(denied(deny, 'Edit', '/run/user/1000/elevate/s-1/config')).toBe(true);
    // Nothing else of the user's is caught.
    for (const p of [`${HOME}/project/main.ts`, `${HOME}/.awsome`, `${HOME}/.config/Elevated/x`, '/tmp/x']) {
      expect(denied(deny, 'Read', p), p).toBe(false);
      expect(denied(deny, 'Edit', p), p).toBe(false);
    }
    // Write(path) rules are never used (Claude Code only consults Edit for file edits).
    expect(deny.some((r) => r.startsWith('Write('))).toBe(false);
    expect(settings.sandbox).toEqual({
      filesystem: {
        denyRead: [`/${HOME}/.aws`, `/${STATE}`],
        denyWrite: [`/${HOME}/.aws`, `/${STATE}`, '//run/user/1000/elevate/s-1'],
      },
    });
    expect(notes).toEqual([]);
  });

  it('own session dir inside the state dir: state files and known other sessions denied by name, own dir readable', () => {
    const { settings, notes } = claudeGuardSettings({
      home: HOME,
      stateDir: STATE,
      sessionId: 'me',
      stateEntries: ['approvals.json', 'sessions', 'handoff', 'plans'],
      otherSessionIds: ['other-1', 'me', 'other-2'],
      awsPaths: ['/srv/aws files/config'],
      platform: 'darwin',
    });
    const deny = settings.permissions.deny;
    expect(denied(deny, 'Read', `${STATE}/sessions/me/config`)).toBe(false);
    expect(denied(deny, 'Edit', `${STATE}/sessions/me/config`)).toBe(true);
    for (const p of [
      `${STATE}/approvals.json`,
      `${STATE}/active.json`,
      `${STATE}/elevation.json`,
      `${STATE}/handoff/pending.json`,
      `${STATE}/plans/x.md`,
      `${STATE}/sessions/other-1/cache.json`,
      `${STATE}/sessions/other-2`,
      '/srv/aws files/config',
      `${HOME}/.aws/credentials`,
    ]) {
      expect(denied(deny, 'Read', p), `Read ${p}`).toBe(true);
      expect(denied(deny, 'Edit', p), `Edit ${p}`).toBe(true);
    }
    expect(settings.sandbox?.filesystem.denyRead).toContain(`/${STATE}/sessions/other-1`);
    expect(settings.sandbox?.filesystem.denyRead).not.toContain(`/${STATE}/sessions`);
    expect(settings.sandbox?.filesystem.denyWrite).toContain(`/${STATE}/sessions/me`);
    expect(notes.join(' ')).toMatch(/sessions started later are not covered/);
  });

  it('escapes gitignore metacharacters in literal paths and normalises Windows paths; no sandbox on Windows', () => {
    const odd = claudeGuardSettings({
      home: '/home/a[1]*',
      stateDir: '/st',
      sessionId: 's',
      ownSessionDir: '/o',
      platform: 'linux',
    });
    expect(denied(odd.settings.permissions.deny, 'Read', '/home/a[1]*/.aws/config')).toBe(true);
    expect(denied(odd.settings.permissions.deny, 'Read', '/home/a1x/.aws/config')).toBe(false);
    const win = claudeGuardSettings({
      home: 'C:\\Users\\Ana',
      stateDir: 'C:\\Users\\Ana\\AppData\\Roaming\\Elevate',
      sessionId: 's',
      ownSessionDir: 'C:\\Users\\Ana\\AppData\\Local\\Temp\\elevate-s',
      platform: 'win32',
    });
    expect(win.settings.permissions.deny).toContain('Read(//c/Users/Ana/.aws/**)');
    expect(
      denied(
        win.settings.permissions.deny,
        'Read',
        'C:\\Users\\Ana\\AppData\\Roaming\\Elevate\\approvals.json',
      ),
    ).toBe(true);
    expect(win.settings.sandbox).toBeUndefined();
    expect(win.notes.join(' ')).toMatch(/no sandbox on Windows/);
  });

  it('is valid JSON for --settings and deterministic', () => {
    const a = claudeGuardSettings({ home: HOME, stateDir: STATE, sessionId: 'x', ownSessionDir: '/o/x' });
    const b = claudeGuardSettings({ home: HOME, stateDir: STATE, sessionId: 'x', ownSessionDir: '/o/x' });
    expect(JSON.parse(JSON.stringify(a.settings))).toEqual(b.settings);
    expect(new Set(a.settings.permissions.deny).size).toBe(a.settings.permissions.deny.length);
  });
});
