// sessionSettings(): the one `claude --settings` of a session — env overrides, denies and hooks merged;
// no secrets; the session's own directory readable, other sessions and Elevate's state denied.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MAX_OTHER_SESSIONS,
  mergeSettings,
  sessionHookArgv,
  sessionSettings,
} from '../../electron/node/sessionSettings';
import { hookArgv } from '../../electron/node/iam/hookCommand';
import { selfCommand } from '../../electron/node/selfCommand';
import { writeSession, type SessionSpec } from '../../electron/node/sessions';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

const OWN = '20261202-014000-aaaa';
const OTHER = '20261202-013000-bbbb';
const ENDED = '20261202-010000-cccc';

function spec(id: string, extra: Partial<SessionSpec> = {}): SessionSpec {
  return {
    id,
    kind: 'claude',
    tier: 'readonly',
    profile: 'claudecode-readonly',
    cwd: '/tmp',
    argv: ['claude'],
    env: { set: {}, unset: [] },
    title: 't',
    createdAt: `2026-12-02T01:${id.slice(11, 13)}:00.000Z`,
    ...extra,
  };
}

interface Parsed {
  env?: Record<string, string>;
  permissions: { deny: string[] };
  sandbox?: { filesystem: { denyRead: string[]; denyWrite: string[] } };
  hooks: Record<string, { matcher?: string; hooks: { type: string; command: string; timeout: number }[] }[]>;
  statusLine: { type: string; command: string };
}

function sandbox(userSettings?: string) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-sessset-'));
  roots.push(root);
  const home = path.join(root, 'home');
  const elevateHome = path.join(root, 'elevate');
  const sessions = path.join(elevateHome, 'sessions');
  fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
  fs.mkdirSync(path.join(sessions, OWN, 'aws'), { recursive: true });
  fs.mkdirSync(path.join(sessions, OTHER, 'aws'), { recursive: true });
  const senv = { ELEVATE_HOME: elevateHome };
  writeSession(spec(OWN), senv);
  writeSession(spec(OTHER), senv);
  writeSession(spec(ENDED, { endedAt: '2026-12-02T01:00:00.000Z' }), senv);
  fs.mkdirSync(path.join(sessions, ENDED), { recursive: true });
  fs.writeFileSync(path.join(elevateHome, 'active.json'), '{}');
  fs.writeFileSync(path.join(elevateHome, 'state.json'), '{}');
  const project = path.join(root, 'proj');
  fs.mkdirSync(project);
  if (userSettings) {
    fs.mkdirSync(path.join(home, '.claude'), { recursive: true });
    fs.writeFileSync(path.join(home, '.claude', 'settings.json'), userSettings);
  }
  const env: Record<string, string> = {
    HOME: home,
    ELEVATE_HOME: elevateHome,
    PATH: process.env.PATH ?? '',
    // Secrets the launching process may hold: none of them may reach the JSON.
    AWS_SECRET_ACCESS_KEY: 'parent-secret-key',
    AWS_SESSION_TOKEN: 'parent-session-token',
  };
  return { root, home, elevateHome, sessions, project, env };
}

const HOOK = ['/usr/bin/node', '/opt/elevate/out/cli/elevate-hook.cjs'];

function build(s: ReturnType<typeof sandbox>, set: Record<string, string> = { AWS_PROFILE: 'ro' }) {
  const r = sessionSettings({
    env: s.env,
    cwd: s.project,
    set,
    sessionId: OWN,
    hookArgv: HOOK,
    platform: 'linux',
    managedPath: null,
  });
  return { ...r, parsed: JSON.parse(r.json) as Parsed };
}

describe('mergeSettings', () => {
  it('merges objects key by key, concatenates arrays without duplicates, later scalars win, inputs untouched', () => {
    const a = { env: { A: '1' }, permissions: { deny: ['Read(x)', 'Edit(x)'] }, model: 'a' };
    const b = { env: { B: '2' }, permissions: { deny: ['Edit(x)', 'Read(y)'], ask: ['Bash'] }, model: 'b' };
    const m = mergeSettings(a, b);
    expect(m).toEqual({
      env: { A: '1', B: '2' },
      permissions: { deny: ['Read(x)', 'Edit(x)', 'Read(y)'], ask: ['Bash'] },
      model: 'b',
    });
    expect(a.permissions.deny).toEqual(['Read(x)', 'Edit(x)']);
    (m.permissions as { deny: string[] }).deny.push('z');
    expect(b.permissions.deny).toEqual(['Edit(x)', 'Read(y)']);
  });
});

describe('sessionSettings', () => {
  it('no env override needed: denies, sandbox, hooks and status line, no env key', () => {
    const s = sandbox();
    const { parsed, notes } = build(s);
    expect(parsed.env).toBeUndefined();
    expect(notes).toEqual([]);
    expect(Object.keys(parsed).sort()).toEqual(['hooks', 'permissions', 'sandbox', 'statusLine']);
    for (const rule of ['Read', 'Edit'])
      expect(parsed.permissions.deny).toContain(`${rule}(/${s.home}/.aws/**)`);
    expect(parsed.sandbox!.filesystem.denyRead).toContain(`/${s.home}/.aws`);
  });

  it('merges the env override of a disagreeing user settings file with the denies and hooks', () => {
    const s = sandbox('{ "env": { "AWS_PROFILE": "someone-else", "AWS_ACCESS_KEY_ID": "AKIAUSERFILE" } }');
    const { parsed, notes, json } = build(s, { AWS_PROFILE: 'claudecode-readonly', AWS_REGION: 'eu-west-2' });
    expect(parsed.env).toEqual({ AWS_PROFILE: 'claudecode-readonly' });
    expect(parsed.permissions.deny.length).toBeGreaterThan(4);
    expect(parsed.hooks.PreToolUse).toBeDefined();
    expect(notes.join('\n')).toMatch(/sets AWS_PROFILE=someone-else; overridden/);
    expect(notes.join('\n')).toMatch(/sets AWS_ACCESS_KEY_ID in its env block/);
    expect(json).not.toContain('AKIAUSERFILE');
  });

  it('holds no secret from the launching env', () => {
    const s = sandbox();
    const { json } = build(s);
    expect(json).not.toContain('parent-secret-key');
    expect(json).not.toContain('parent-session-token');
    expect(json).not.toMatch(/aws_secret_access_key|AWS_SECRET|TOKEN/i);
  });

  it("own session dir readable (only Edit denied); Elevate's state and the other session denied", () => {
    const s = sandbox();
    const { parsed, denyNotes } = build(s);
    const deny = parsed.permissions.deny;
    const own = path.join(s.sessions, OWN);
    const other = path.join(s.sessions, OTHER);
    expect(deny.filter((d) => d.includes(own) && d.startsWith('Read('))).toEqual([]);
    expect(deny).toContain(`Edit(/${own}/**)`);
    expect(parsed.sandbox!.filesystem.denyRead.filter((p) => p.includes(own))).toEqual([]);
    expect(parsed.sandbox!.filesystem.denyWrite).toContain(`/${own}`);
    // The other session: its directory and its spec.
    expect(deny).toEqual(expect.arrayContaining([`Read(/${other}/**)`, `Read(/${other}.json)`]));
    expect(parsed.sandbox!.filesystem.denyRead).toEqual(
      expect.arrayContaining([`/${other}`, `/${other}.json`]),
    );
    // Elevate's state files next to sessions/.
    for (const f of ['active.json', 'state.json', 'approvals.json', 'audit.jsonl'])
      expect(deny).toContain(`Read(/${path.join(s.elevateHome, f)})`);
    expect(denyNotes.join('\n')).toMatch(/sessions started later are not covered/);
    // An ended session holds nothing live: not listed (keeps the argv short).
    expect(deny.filter((d) => d.includes(ENDED))).toEqual([]);
  });

  it('caps the other open sessions denied by name (newest first) and says so; the argv stays short', () => {
    const s = sandbox();
    const senv = { ELEVATE_HOME: s.elevateHome };
    const ids = Array.from(
      { length: MAX_OTHER_SESSIONS + 4 },
      (_, i) => `20261202-0000${String(i).padStart(2, '0')}-dddd`,
    );
    ids.forEach((id, i) =>
      writeSession({ ...spec(id), createdAt: new Date(Date.UTC(2026, 11, 2, 0, 0, i)).toISOString() }, senv),
    );
    const { parsed, denyNotes, json } = build(s);
    const deny = parsed.permissions.deny;
    // OTHER (created 01:30) is the newest; then the newest ids.
    expect(deny).toContain(`Read(/${path.join(s.sessions, OTHER)}/**)`);
    expect(deny).toContain(`Read(/${path.join(s.sessions, ids.at(-1)!)}/**)`);
    expect(deny.filter((d) => d.includes(ids[0]!))).toEqual([]);
    const listed = [OTHER, ...ids].filter((id) => deny.includes(`Read(/${path.join(s.sessions, id)}/**)`));
    expect(listed).toHaveLength(MAX_OTHER_SESSIONS);
    expect(denyNotes.join('\n')).toMatch(new RegExp(`${ids.length + 1} other sessions are open`));
    expect(json.length).toBeLessThan(24_000);
  });

  it("the user's AWS files outside ~/.aws are denied too", () => {
    const s = sandbox();
    s.env.AWS_CONFIG_FILE = path.join(s.root, 'elsewhere', 'config');
    const { parsed } = build(s);
    expect(parsed.permissions.deny).toContain(`Read(/${s.env.AWS_CONFIG_FILE})`);
    // ~/.aws/credentials (default) is covered by ~/.aws and not listed on its own.
    expect(parsed.permissions.deny.filter((d) => d.includes('.aws/credentials'))).toEqual([]);
  });

  it('hooks: SessionStart, PreToolUse/PostToolUse/PostToolUseFailure on Bash and the status line run the hook bundle', () => {
    const s = sandbox();
    const { parsed } = build(s);
    expect(parsed.hooks.SessionStart![0]!.hooks[0]!.command).toBe(`${HOOK.join(' ')} session-start`);
    for (const [event, arg] of [
      ['PreToolUse', 'pre-tool-use'],
      ['PostToolUse', 'post-tool-use'],
      ['PostToolUseFailure', 'post-tool-use-failure'],
    ] as const) {
      expect(parsed.hooks[event]).toHaveLength(1);
      expect(parsed.hooks[event]![0]!.matcher).toBe('Bash');
      expect(parsed.hooks[event]![0]!.hooks[0]).toMatchObject({
        type: 'command',
        command: `/usr/bin/node /opt/elevate/out/cli/elevate-hook.cjs ${arg}`,
      });
    }
    expect(parsed.statusLine).toMatchObject({
      type: 'command',
      command: '/usr/bin/node /opt/elevate/out/cli/elevate-hook.cjs statusline',
    });
  });

  it('windows: no sandbox block (file-tool denies only)', () => {
    const s = sandbox();
    const r = sessionSettings({
      env: s.env,
      cwd: s.project,
      set: {},
      sessionId: OWN,
      hookArgv: HOOK,
      platform: 'win32',
      managedPath: null,
    });
    const parsed = JSON.parse(r.json) as Parsed;
    expect(parsed.sandbox).toBeUndefined();
    expect(parsed.permissions.deny.length).toBeGreaterThan(0);
    expect(r.denyNotes.join('\n')).toMatch(/no sandbox on Windows/);
  });

  it('refuses an invalid session id', () => {
    const s = sandbox();
    expect(() =>
      sessionSettings({ env: s.env, cwd: s.project, set: {}, sessionId: '../x', hookArgv: HOOK }),
    ).toThrow(/invalid session id/);
  });
});

describe('sessionHookArgv', () => {
  it('dev: node + the built hook bundle', () => {
    const self = selfCommand({ packaged: false, execPath: process.execPath, repoRoot: '/r' });
    const argv = sessionHookArgv(self);
    expect(argv).toEqual(hookArgv(process.execPath));
    expect(argv[0]).toBe(process.execPath);
    expect(argv[1]).toMatch(/out[/\\]cli[/\\]elevate-hook\.cjs$/);
    expect(fs.existsSync(argv[1]!)).toBe(true);
  });

  it('packaged: the app binary as the CLI (`<app> --elevate-cli hook`), no ELECTRON_RUN_AS_NODE (the fuse is off)', () => {
    const self = selfCommand({ packaged: true, appExecutable: '/Apps/Elevate', resourcesPath: '/Apps/res' });
    const find = (node: string) => [node, '/Apps/res/app.asar/out/cli/elevate-hook.cjs'];
    expect(sessionHookArgv(self, find)).toEqual(['/Apps/Elevate', '--elevate-cli', 'hook']);
  });
});
