// selfCommand (dev and packaged), launchSession's decisions (argv, deadline, env, refusals, spec, audit)
// with a recording terminal seam, and the runner's clock seam: title countdown and deadline escalation
// driven by a fake clock and a manual timer queue (the child is a real process).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { currentSelfCommand, selfCommand, terminalArgv } from '../../electron/node/selfCommand';
import { launchSession, type LaunchOptions } from '../../electron/node/launcher';
import { adapterFor, type TerminalAdapter } from '../../electron/node/terminals';
import { readSession, writeSession, type SessionSpec } from '../../electron/node/sessions';
import { readAudit } from '../../electron/node/audit';
import { buildRunEnv, runSession, spawnPlan, type RunnerDeps } from '../../electron/node/runner';
import { quoteCmd } from '../../shared/quote';
import { makeStandIn, TIER_CONFIG } from '../helpers/standin';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

describe('selfCommand', () => {
  it('development: node + <repo>/bin/elevate.cjs, no env', () => {
    const s = selfCommand({ packaged: false, execPath: '/usr/bin/node', repoRoot: '/src/elevate' });
    expect(s).toEqual({ argv: ['/usr/bin/node', '/src/elevate/bin/elevate.cjs'], env: {} });
    expect(terminalArgv(s, ['run', '--session', 'abc'], 'linux')).toEqual([
      '/usr/bin/node',
      '/src/elevate/bin/elevate.cjs',
      'run',
      '--session',
      'abc',
    ]);
  });

  // Security change (issue 13): the RunAsNode/inspect fuses are off, so the packaged CLI is the app binary
  // with --elevate-cli (electron/main/cliEntry.ts), never ELECTRON_RUN_AS_NODE + a script path.
  it('packaged: the app executable with --elevate-cli, no ELECTRON_RUN_AS_NODE', () => {
    const s = selfCommand({
      packaged: true,
      appExecutable: '/Applications/Elevate.app/Contents/MacOS/Elevate',
      resourcesPath: '/Applications/Elevate.app/Contents/Resources',
    });
    expect(s).toEqual({
      argv: ['/Applications/Elevate.app/Contents/MacOS/Elevate', '--elevate-cli'],
      env: {},
    });
    expect(terminalArgv(s, ['run', '--session', 'abc'], 'darwin')).toEqual([
      '/Applications/Elevate.app/Contents/MacOS/Elevate',
      '--elevate-cli',
      'run',
      '--session',
      'abc',
    ]);
    expect(terminalArgv(s, ['run'], 'win32')).toEqual([...s.argv, 'run']);
  });

  it('currentSelfCommand: the packaged app binary under --elevate-cli (ELECTRON_RUN_AS_NODE ignored); otherwise the repo CLI', () => {
    const packaged = currentSelfCommand({
      execPath: '/opt/Elevate/elevate',
      argv: ['/opt/Elevate/elevate', '--elevate-cli', 'launch'],
      versions: { electron: '45.4.1' },
      env: {},
    });
    expect(packaged).toEqual({ argv: ['/opt/Elevate/elevate', '--elevate-cli'], env: {} });
    // A script run with ELECTRON_RUN_AS_NODE (the fuse is off in the package) is not taken for the app CLI.
    const asNode = currentSelfCommand(
      {
        execPath: '/opt/Elevate/elevate',
        argv: ['/opt/Elevate/elevate', '/tmp/evil.js'],
        versions: { electron: '45.4.1' },
        env: { ELECTRON_RUN_AS_NODE: '1' },
      },
      path.resolve(__dirname, '..', '..', 'out', 'cli'),
    );
    expect(asNode.argv[1]).toBe(path.resolve(__dirname, '..', '..', 'bin', 'elevate.cjs'));
    const dev = currentSelfCommand(
      { execPath: process.execPath, argv: [], versions: {}, env: {} },
      path.resolve(__dirname, '..', '..', 'out', 'cli'),
    );
    expect(dev.argv).toEqual([process.execPath, path.resolve(__dirname, '..', '..', 'bin', 'elevate.cjs')]);
  });
});

function sandbox() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-launcher-'));
  roots.push(root);
  const home = path.join(root, 'home');
  fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
  fs.writeFileSync(path.join(home, '.aws', 'config'), TIER_CONFIG);
  const standIn = makeStandIn(path.join(root, 'si'));
  const project = path.join(root, 'p r o j');
  fs.mkdirSync(project);
  const env: Record<string, string> = {
    HOME: home,
    ELEVATE_HOME: path.join(root, 'elevate'),
    AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'),
    PATH: `${standIn.binDir}:/usr/bin:/bin`,
    AWS_SESSION_TOKEN: 'tok',
  };
  const opened: Array<{
    adapter: TerminalAdapter;
    command: string[];
    title: string;
    env: Record<string, unknown>;
  }> = [];
  const base: Partial<LaunchOptions> = {
    env,
    adapter: adapterFor('xterm')!,
    self: selfCommand({ packaged: false, execPath: '/usr/bin/node', repoRoot: '/r' }),
    open: async (adapter, command, o, e) => {
      opened.push({ adapter, command, title: o.title, env: e });
      return { pid: 4242, argv: adapter.argv(command, o) };
    },
  };
  return { root, project, env, standIn, opened, base };
}

describe('launchSession', () => {
  it('claude argv: --resume ID then the prompt; the terminal runs only `<self> run --session <id>`', async () => {
    const s = sandbox();
    const r = await launchSession({
      ...s.base,
      tier: 'readonly',
      cwd: s.project,
      resumeId: 'abc-123',
      prompt: 'execute plan.md; --resume is just text here',
    });
    // One --settings (denies + hooks, sessionSettings.ts) before Claude's own options and the prompt.
    expect(r.spec.argv.slice(0, 2)).toEqual([s.standIn.program, '--settings']);
    expect(r.spec.argv.slice(3)).toEqual([
      '--resume',
      'abc-123',
      'execute plan.md; --resume is just text here',
    ]);
    const settings = JSON.parse(r.spec.argv[2]!) as {
      env?: unknown;
      permissions: { deny: string[] };
      hooks: Record<string, unknown>;
    };
    expect(settings.env).toBeUndefined();
    expect(settings.permissions.deny).toContain(`Read(/${s.env.HOME}/.aws/**)`);
    expect(Object.keys(settings.hooks).sort()).toEqual([
      'PostToolUse',
      'PostToolUseFailure',
      'PreToolUse',
      'SessionStart',
    ]);
    for (const prompt of ['--dangerously-skip-permissions', ' -p x']) {
      await expect(
        launchSession({ ...s.base, tier: 'readonly', cwd: s.project, resumeId: 'abc-123', prompt }),
      ).rejects.toThrow(/cannot start with "-"/);
    }
    expect(s.opened).toHaveLength(1);
    // ELEVATE_HOME pinned: the runner reads the spec where it was written, whatever the terminal's env says.
    expect(r.commandArgv).toEqual([
      '/usr/bin/env',
      `ELEVATE_HOME=${s.env.ELEVATE_HOME}`,
      '/usr/bin/node',
      '/r/bin/elevate.cjs',
      'run',
      '--session',
      r.spec.id,
    ]);
    expect(s.opened[0]!.command).toEqual(r.commandArgv);
    expect(s.opened[0]!.title).toBe('claude-ro · claudecode-readonly');
    expect(s.opened[0]!.env.AWS_SESSION_TOKEN).toBeUndefined();
    expect(r.spec.deadline).toBeUndefined();
    expect(r.spec.env.unset).toEqual(['AWS_SESSION_TOKEN']);
    expect(r.spec.env.set.AWS_PROFILE).toBe('claudecode-readonly');
    expect(JSON.stringify(readSession(r.spec.id, s.env))).not.toContain('tok');
    expect((fs.statSync(r.specPath).mode & 0o777).toString(8)).toBe('600');
  });

  it('Claude settings that would override the launch env are outranked with claude --settings', async () => {
    const s = sandbox();
    const claudeDir = path.join(s.env.HOME!, '.claude');
    fs.mkdirSync(claudeDir, { recursive: true });
    // What `elevate switch` leaves in the user settings while read-only is active, plus a stray key.
    fs.writeFileSync(
      path.join(claudeDir, 'settings.json'),
      '{\n  // synced by elevate switch\n  "env": { "AWS_PROFILE": "claudecode-readonly", "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE" }\n}\n',
    );
    const r = await launchSession({ ...s.base, tier: 'elevated', cwd: s.project });
    // The env override rides in the session's one --settings, next to the denies and hooks.
    expect(r.spec.argv.slice(0, 2)).toEqual([s.standIn.program, '--settings']);
    expect(r.spec.argv).toHaveLength(3);
    const el = JSON.parse(r.spec.argv[2]!) as { env?: unknown; hooks?: unknown; permissions?: unknown };
    expect(el.env).toEqual({ AWS_PROFILE: 'claudecode-elevated' });
    expect(el.hooks).toBeDefined();
    expect(el.permissions).toBeDefined();
    expect(r.warnings.join('\n')).toMatch(
      /sets AWS_PROFILE=claudecode-readonly; overridden for this session/,
    );
    expect(r.warnings.join('\n')).toMatch(/sets AWS_ACCESS_KEY_ID in its env block/);
    expect(JSON.stringify(r.spec)).not.toContain('AKIAEXAMPLE');
    // The same file agrees with a read-only launch: no env override (the denies and hooks stay).
    const ro = await launchSession({ ...s.base, tier: 'readonly', cwd: s.project });
    expect(ro.spec.argv.slice(0, 2)).toEqual([s.standIn.program, '--settings']);
    expect(ro.spec.argv).toHaveLength(3);
    const roSettings = JSON.parse(ro.spec.argv[2]!) as { env?: unknown; hooks?: unknown };
    expect(roSettings.env).toBeUndefined();
    expect(roSettings.hooks).toBeDefined();
  });

  it('a prompt can never become the resume id; bare --resume refuses a prompt', async () => {
    const s = sandbox();
    await expect(
      launchSession({ ...s.base, tier: 'readonly', cwd: s.project, resumeId: 'fix the bug please' }),
    ).rejects.toThrow(/needs a Claude session id/);
    await expect(
      launchSession({ ...s.base, tier: 'readonly', cwd: s.project, bareResume: true, prompt: 'go' }),
    ).rejects.toThrow(/search term/);
    const bare = await launchSession({ ...s.base, tier: 'readonly', cwd: s.project, bareResume: true });
    expect(bare.spec.argv[0]).toBe(s.standIn.program);
    expect(bare.spec.argv[1]).toBe('--settings');
    expect(bare.spec.argv.slice(3)).toEqual(['--resume']);
    expect(s.opened).toHaveLength(1);
  });

  it('elevated: deadline from settings.elevation.defaultMinutes (or minutes / deadline given)', async () => {
    const s = sandbox();
    const t = new Date('2026-11-24T15:00:00Z');
    const now = () => t;
    const r = await launchSession({ ...s.base, tier: 'elevated', cwd: s.project, now });
    expect(r.spec.deadline).toBe('2026-11-24T15:30:00.000Z');
    expect(r.spec.title).toBe('claude-el · claudecode-elevated');
    fs.mkdirSync(s.env.ELEVATE_HOME!, { recursive: true });
    fs.writeFileSync(path.join(s.env.ELEVATE_HOME!, 'settings.json'), '{"elevation":{"defaultMinutes":45}}');
    const r2 = await launchSession({ ...s.base, tier: 'elevated', cwd: s.project, now });
    expect(r2.spec.deadline).toBe('2026-11-24T15:45:00.000Z');
    const r3 = await launchSession({ ...s.base, tier: 'elevated', cwd: s.project, now, minutes: 15 });
    expect(r3.spec.deadline).toBe('2026-11-24T15:15:00.000Z');
    const given = new Date('2026-11-24T15:07:00Z');
    const r4 = await launchSession({ ...s.base, tier: 'elevated', cwd: s.project, now, deadline: given });
    expect(r4.spec.deadline).toBe(given.toISOString());
    const audit = readAudit(s.env).filter((a) => a.type === 'launch');
    expect(audit.map((a) => a.deadline)).toEqual([
      r.spec.deadline,
      r2.spec.deadline,
      r3.spec.deadline,
      r4.spec.deadline,
    ]);
  });

  it('ssm/command kinds: explicit argv resolved on PATH, extraSet, pathPrepend, no override vars allowed', async () => {
    const s = sandbox();
    makeStandIn(path.join(s.root, 'si'), { name: 'aws' });
    const r = await launchSession({
      ...s.base,
      tier: 'elevated',
      kind: 'ssm',
      argv: ['aws', 'ssm', 'start-session', '--target', 'i-0123'],
      cwd: s.project,
      extraSet: { AWS_CONFIG_FILE: '/x/session.config', AWS_PROFILE: 'elevate-session' },
      pathPrepend: ['/x/shim'],
      title: 'ssm · i-0123',
      audit: { instanceId: 'i-0123' },
    });
    expect(r.spec.argv).toEqual([
      path.join(s.standIn.binDir, 'aws'),
      'ssm',
      'start-session',
      '--target',
      'i-0123',
    ]);
    expect(r.spec.env.set).toMatchObject({
      AWS_CONFIG_FILE: '/x/session.config',
      AWS_PROFILE: 'elevate-session',
    });
    expect(r.spec.profile).toBe('elevate-session');
    expect(r.spec.env.pathPrepend).toEqual(['/x/shim']);
    expect(readAudit(s.env).at(-1)).toMatchObject({ type: 'launch', kind: 'ssm', instanceId: 'i-0123' });
    await expect(
      launchSession({ ...s.base, tier: 'readonly', cwd: s.project, extraSet: { AWS_ACCESS_KEY_ID: 'x' } }),
    ).rejects.toThrow(/cannot be set/);
    await expect(
      launchSession({ ...s.base, tier: null, kind: 'command', argv: ['no-such-tool-xyz'], cwd: s.project }),
    ).rejects.toMatchObject({ code: 'program-missing' });
  });

  it('a missing cwd is refused before anything is written', async () => {
    const s = sandbox();
    await expect(
      launchSession({ ...s.base, tier: 'readonly', cwd: path.join(s.root, 'nope') }),
    ).rejects.toMatchObject({ code: 'bad-cwd' });
    expect(fs.existsSync(path.join(s.env.ELEVATE_HOME!, 'sessions'))).toBe(false);
    expect(s.opened).toHaveLength(0);
  });

  it('a terminal that fails to open marks the spec as ended with an error and logs no launch', async () => {
    const s = sandbox();
    await expect(
      launchSession({
        ...s.base,
        tier: 'readonly',
        cwd: s.project,
        open: async () => {
          throw new Error('xterm exited at once');
        },
      }),
    ).rejects.toThrow(/exited at once/);
    const files = fs.readdirSync(path.join(s.env.ELEVATE_HOME!, 'sessions'));
    expect(files).toHaveLength(1);
    expect(readSession(files[0]!.replace(/\.json$/, ''), s.env)).toMatchObject({ endReason: 'error' });
    expect(readAudit(s.env)).toEqual([]);
  });
});

describe('buildRunEnv', () => {
  it('unset + override vars + managed vars removed, set applied, PATH prepended, ELECTRON_RUN_AS_NODE dropped', () => {
    const spec = {
      id: 'x1234567',
      tier: 'readonly',
      env: {
        set: { AWS_PROFILE: 'ro', AWS_ACCESS_KEY_ID: 'sneaky' },
        unset: ['AWS_VAULT'],
        pathPrepend: ['/shim'],
      },
    } as unknown as SessionSpec;
    const r = buildRunEnv(
      spec,
      {
        PATH: '/usr/bin',
        AWS_VAULT: 'v',
        AWS_SECRET_ACCESS_KEY: 's',
        AWS_REGION: 'us-west-1',
        ELECTRON_RUN_AS_NODE: '1',
        KEEP: 'k',
      },
      'linux',
    );
    expect(r.env).toEqual({
      PATH: '/shim:/usr/bin',
      AWS_PROFILE: 'ro',
      KEEP: 'k',
      ELEVATE_SESSION_ID: 'x1234567',
      ELEVATE_TIER: 'readonly',
    });
    expect(r.removed).toEqual(['AWS_SECRET_ACCESS_KEY', 'AWS_VAULT']);
  });

  it('tier-less sessions (operator SSM) keep the user region/profile but never override variables', () => {
    const spec = { id: 'y1234567', tier: null, env: { set: {}, unset: [] } } as unknown as SessionSpec;
    const r = buildRunEnv(
      spec,
      { AWS_REGION: 'eu-west-1', AWS_PROFILE: 'ops', AWS_SESSION_TOKEN: 't' },
      'linux',
    );
    expect(r.env).toEqual({ AWS_REGION: 'eu-west-1', AWS_PROFILE: 'ops', ELEVATE_SESSION_ID: 'y1234567' });
    expect(r.removed).toEqual(['AWS_SESSION_TOKEN']);
  });
});

describe('runner clock seam', () => {
  it('title counts down each minute; at the deadline SIGTERM, then SIGKILL after the grace', async () => {
    const s = sandbox();
    const si = makeStandIn(path.join(s.root, 'sleepy'), { ignoreSigterm: true, stayMs: 60_000 });
    let now = new Date('2026-11-24T15:00:00Z').getTime();
    const timers: Array<{ at: number; fn: () => void; id: number }> = [];
    let seq = 0;
    const writes: string[] = [];
    const kills: Array<[number, string]> = [];
    let held = 0;
    const spec: SessionSpec = {
      id: 'clock-seam-0001',
      kind: 'claude',
      tier: 'elevated',
      profile: 'claudecode-elevated',
      cwd: s.project,
      argv: [si.program],
      env: { set: {}, unset: [] },
      title: 'claude-el · claudecode-elevated',
      createdAt: new Date(now).toISOString(),
      deadline: new Date(now + 2 * 60_000 + 30_000).toISOString(),
      graceMs: 10_000,
    };
    writeSession(spec, s.env);
    const deps: Partial<RunnerDeps> = {
      env: s.env,
      now: () => new Date(now),
      setTimeout: (fn, ms) => {
        const t = { at: now + ms, fn, id: ++seq };
        timers.push(t);
        return t;
      },
      clearTimeout: (t) => {
        const i = timers.indexOf(t as (typeof timers)[number]);
        if (i >= 0) timers.splice(i, 1);
      },
      stdout: { isTTY: true, write: (x: string) => writes.push(x) },
      stderr: { write: (x: string) => writes.push(x) },
      onSignal: () => () => {},
      kill: (pid, sig) => {
        kills.push([pid, sig]);
        try {
          process.kill(pid, sig);
        } catch {
          /* gone */
        }
      },
      descendants: () => [],
      holdOpen: async () => {
        held++;
      },
    };
    const done = runSession(spec.id, deps);
    await si.waitForRuns(1);
    for (let i = 0; i < 100 && !readSession(spec.id, s.env).startedAt; i++)
      await new Promise((r) => setTimeout(r, 10));
    const advance = (ms: number) => {
      const target = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > target) break;
        timers.shift();
        now = next.at;
        next.fn();
      }
      now = target;
    };
    const titles = () => writes.filter((w) => w.startsWith('\x1b]0;'));
    expect(titles()).toEqual([
      '\x1b]0;claude-el · claudecode-elevated · 3 min left\x07',
      '\x1b]0;claude-el · claudecode-elevated · 3 min left\x07',
    ]);
    advance(30_000);
    expect(titles().at(-1)).toBe('\x1b]0;claude-el · claudecode-elevated · 2 min left\x07');
    advance(60_000);
    expect(titles().at(-1)).toBe('\x1b]0;claude-el · claudecode-elevated · 1 min left\x07');
    expect(kills).toEqual([]);
    advance(60_000);
    const pid = si.runs()[0]!.pid;
    expect(kills).toEqual([[pid, 'SIGTERM']]);
    expect(writes.join('')).toMatch(/elevation window ended/);
    advance(9_999);
    expect(kills).toHaveLength(1);
    advance(1);
    expect(kills).toEqual([
      [pid, 'SIGTERM'],
      [pid, 'SIGKILL'],
    ]);
    expect(await done).toBe(137);
    expect(held).toBe(1); // the window stays open so the expiry message can be read
    expect(readSession(spec.id, s.env)).toMatchObject({ endReason: 'deadline', signal: 'SIGKILL' });
    expect(readAudit(s.env).map((a) => a.type)).toEqual(['expiry', 'session-end']);
  });
});

describe('spawnPlan', () => {
  it('POSIX and Windows .exe: the argv as is, no shell', () => {
    expect(spawnPlan('/usr/bin/claude', ['--resume', 'x', 'a "b" $(c)'], 'linux')).toEqual({
      file: '/usr/bin/claude',
      args: ['--resume', 'x', 'a "b" $(c)'],
      windowsVerbatimArguments: false,
    });
    expect(spawnPlan('C:\\bin\\claude.exe', ['p & q'], 'win32').file).toBe('C:\\bin\\claude.exe');
  });

  it('Windows batch file (npm claude.cmd): one cmd.exe line, every piece quoteCmd-quoted; newlines refused', () => {
    const p = spawnPlan('C:\\npm\\claude.cmd', ['--resume', 'id', 'do A & B | "C"'], 'win32');
    expect(p.file).toBe('cmd.exe');
    expect(p.windowsVerbatimArguments).toBe(true);
    expect(p.args).toEqual([
      '/d',
      '/s',
      '/c',
      `"${[quoteCmd('C:\\npm\\claude.cmd'), quoteCmd('--resume'), quoteCmd('id'), quoteCmd('do A & B | "C"')].join(' ')}"`,
    ]);
    expect(p.args[3]).not.toMatch(/[^^][&|]/);
    expect(() => spawnPlan('C:\\npm\\claude.cmd', ['two\nlines'], 'win32')).toThrow(/newline/);
  });
});

describe('isLive', () => {
  it('a spec never started ages out after PENDING_START_MS; an ended one is never live', async () => {
    const { isLive, PENDING_START_MS } = await import('../../electron/node/sessions');
    const created = new Date('2026-11-24T15:00:00Z');
    const spec = { createdAt: created.toISOString() } as SessionSpec;
    expect(isLive(spec, new Date(created.getTime() + 1000))).toBe(true);
    expect(isLive(spec, new Date(created.getTime() + PENDING_START_MS + 1))).toBe(false);
    expect(isLive({ ...spec, endedAt: created.toISOString() }, created)).toBe(false);
    expect(isLive({ ...spec, runnerPid: process.pid, startedAt: created.toISOString() })).toBe(true);
  });
});

describe('runner refuses an untrusted spec', () => {
  it('a group/world-writable spec file is not run', async () => {
    const s = sandbox();
    const spec: SessionSpec = {
      id: 'writable-spec-0001',
      kind: 'claude',
      tier: 'readonly',
      profile: 'claudecode-readonly',
      cwd: s.project,
      argv: [s.standIn.program],
      env: { set: {}, unset: [] },
      title: 't',
      createdAt: new Date().toISOString(),
    };
    const file = writeSession(spec, s.env);
    fs.chmodSync(file, 0o666);
    const err: string[] = [];
    const code = await runSession(spec.id, {
      env: s.env,
      stderr: { write: (x: string) => err.push(x) },
      holdOpen: async () => {},
    });
    expect(code).toBe(1);
    expect(err.join('')).toMatch(/writable by other users \(mode 666\)/);
    expect(s.standIn.runs()).toEqual([]);
  });
});
