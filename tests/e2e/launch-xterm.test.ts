// Real launches under a private Xvfb: `elevate launch readonly --terminal xterm|lxterminal` with a
// hostile project dir opens a real terminal window that runs the real `elevate run`, which starts the
// stand-in `claude`. Proves argv/cwd/env end to end, the window title, and that no injected command ran.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath, startXvfb, type Xvfb } from '../helpers/xvfb';
import {
  findPwned,
  launchFixture,
  launchOnce,
  OVERRIDES,
  REPO_ROOT,
  type LaunchFixture,
} from '../helpers/launchHarness';
import { readSession } from '../../electron/node/sessions';
import { readAudit } from '../../electron/node/audit';
import { adapterFor, openTerminal } from '../../electron/node/terminals';
import { launchSession } from '../../electron/node/launcher';
import { selfCommand } from '../../electron/node/selfCommand';
import { pidAlive } from '../helpers/standin';

const missing = ['Xvfb', 'xterm', 'lxterminal', 'xwininfo'].filter((t) => !findOnPath(t));
const RESUME = '3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8';
const PROMPT = `execute plan.md (sha256 ab12) — it's "$(touch pwned)" \`touch pwned\` ü\nsecond line`;

let xvfb: Xvfb | null = null;
const fixtures: LaunchFixture[] = [];

beforeAll(async () => {
  if (!findOnPath('Xvfb')) return;
  xvfb = await startXvfb();
});

afterAll(async () => {
  await xvfb?.stop();
  for (const f of fixtures) f.cleanup();
});

function windowNames(display: string): string {
  try {
    return execFileSync('xwininfo', ['-root', '-tree', '-display', display], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

describe.each(['xterm', 'lxterminal'])('elevate launch --terminal %s under Xvfb', (terminal) => {
  it(`runs the stand-in claude with exact argv, cwd and env; title set; nothing injected ran${
    missing.length ? ` (skipped: ${missing.join(', ')} not installed)` : ''
  }`, async (ctx) => {
    if (missing.length) ctx.skip(`${missing.join(', ')} not installed`);
    const f = launchFixture(xvfb!.display, { stayMs: 2500 });
    fixtures.push(f);
    const r = await launchOnce(f, terminal, ['--resume', RESUME, '--prompt', PROMPT], 1);
    expect(r.json!.terminal).toBe(terminal);
    expect(r.json!.removed.map((v) => v.name).sort()).toEqual(Object.keys(OVERRIDES).sort());
    const id = r.json!.sessionId;

    // The terminal's own command line holds only the self command and the session id.
    // The session's argv: claude, its one --settings (denies + hooks, sessionSettings.ts), resume, prompt.
    expect(r.json!.argv[0]).toBe(f.standIn.program);
    expect(r.json!.argv[1]).toBe('--settings');
    expect(r.json!.argv.slice(3)).toEqual(['--resume', RESUME, PROMPT]);

    const run = r.run;
    expect(run.argv).toEqual(['--settings', r.json!.argv[2], '--resume', RESUME, PROMPT]);
    expect(Object.keys((JSON.parse(run.argv[1]!) as { hooks: object }).hooks)).toContain('PreToolUse');
    expect(run.cwd).toBe(fs.realpathSync(f.project));
    expect(run.env.AWS_PROFILE).toBe('claudecode-readonly');
    expect(run.env.AWS_REGION).toBe('eu-west-2');
    expect(run.env.CLAUDE_CODE_USE_BEDROCK).toBe('1');
    expect(run.env.ANTHROPIC_MODEL).toMatch(/anthropic/);
    expect(run.env.ELEVATE_SESSION_ID).toBe(id);
    for (const name of Object.keys(OVERRIDES)) expect(run.env[name], name).toBeUndefined();

    // The window carries the tier title while the stand-in runs.
    let names = '';
    for (let i = 0; i < 40 && !names.includes('claudecode-readonly'); i++) {
      names = windowNames(xvfb!.display);
      if (!names.includes('claudecode-readonly')) await new Promise((res) => setTimeout(res, 50));
    }
    expect(names).toContain('claudecode-readonly');

    // The runner records the end once the stand-in exits (it stays 2.5 s).
    let spec = readSession(id, f.env);
    for (let i = 0; i < 150 && !spec.endedAt; i++) {
      await new Promise((res) => setTimeout(res, 50));
      spec = readSession(id, f.env);
    }
    expect(spec).toMatchObject({ endReason: 'exit', exitCode: 0, pid: run.pid, terminal });
    // The runner writes endedAt to the spec just before it appends session-end to the audit: wait for it.
    for (let i = 0; i < 40 && readAudit(f.env).length < 2; i++)
      await new Promise((res) => setTimeout(res, 50));
    expect(readAudit(f.env).map((a) => a.type)).toEqual(['launch', 'session-end']);

    // No injected command ran anywhere it could have: cwd, its parent, the test's tmp root, HOME, repo.
    expect(fs.readdirSync(f.project)).toEqual([]);
    expect(fs.readdirSync(path.dirname(f.project))).toEqual([path.basename(f.project)]);
    expect(findPwned(f.root)).toEqual([]);
    expect(fs.existsSync(path.join(REPO_ROOT, 'pwned'))).toBe(false);
    console.log(`[e2e] ${terminal}: elevate launch → stand-in claude started in ${r.ms} ms`);
  });
});

// The adapters' quoting against the real terminals' own parsers: hostile command elements (lxterminal's
// -e is one string it splits itself) reach the program exactly, and nothing injected runs.
const HOSTILE_ARGS = [
  'with space',
  "it's",
  '"double"',
  '$(touch pwned)',
  '`touch pwned`',
  '$HOME ${HOME}',
  'semi;colon && amp & pipe |',
  'new\nline',
  'back\\slash\\',
  'glob * ?',
  'ünïcødé ✓ 🚀',
  '',
];

describe.each(['xterm', 'lxterminal'])('openTerminal(%s) with hostile command elements', (terminal) => {
  it(`the program receives them exactly${missing.length ? ` (skipped: ${missing.join(', ')} not installed)` : ''}`, async (ctx) => {
    if (missing.length) ctx.skip(`${missing.join(', ')} not installed`);
    const f = launchFixture(xvfb!.display);
    fixtures.push(f);
    const opened = await openTerminal(
      adapterFor(terminal)!,
      [f.standIn.program, ...HOSTILE_ARGS],
      { title: `t it's "$(touch pwned)"`, cwd: f.project },
      { env: f.env },
    );
    expect(opened.pid).toBeGreaterThan(0);
    const [run] = await f.standIn.waitForRuns(1);
    expect(run!.argv).toEqual(HOSTILE_ARGS);
    expect(run!.cwd).toBe(fs.realpathSync(f.project));
    expect(findPwned(f.root)).toEqual([]);
  });
});

describe('openTerminal failure', () => {
  it(`a terminal that cannot open a window is an error, not a silent success${
    missing.length ? ` (skipped: ${missing.join(', ')} not installed)` : ''
  }`, async (ctx) => {
    if (missing.length) ctx.skip(`${missing.join(', ')} not installed`);
    const f = launchFixture(':1999');
    fixtures.push(f);
    await expect(
      openTerminal(
        adapterFor('xterm')!,
        [f.standIn.program],
        { title: 't', cwd: f.project },
        { env: f.env, settleMs: 3000 },
      ),
    ).rejects.toThrow(/xterm exited at once.*(display|DISPLAY)/s);
    expect(f.standIn.runs()).toEqual([]);
  });
});

describe('elevated session in a real xterm', () => {
  it(`deadline: countdown title, child tree killed after the grace, window kept open with the message${
    missing.length ? ` (skipped: ${missing.join(', ')} not installed)` : ''
  }`, async (ctx) => {
    if (missing.length) ctx.skip(`${missing.join(', ')} not installed`);
    const f = launchFixture(xvfb!.display, { ignoreSigterm: true, grandchild: true, stayMs: 60_000 });
    fixtures.push(f);
    const t0 = Date.now();
    const r = await launchSession({
      tier: 'elevated',
      cwd: f.project,
      env: f.env,
      terminal: 'xterm',
      deadline: new Date(t0 + 2500),
      graceMs: 1000,
      self: selfCommand({ packaged: false, execPath: process.execPath, repoRoot: REPO_ROOT }),
    });
    const [run] = await f.standIn.waitForRuns(1);
    expect(run!.env.AWS_PROFILE).toBe('claudecode-elevated');
    let names = '';
    for (let i = 0; i < 40 && !names.includes('min left'); i++) {
      names = windowNames(xvfb!.display);
      if (!names.includes('min left')) await new Promise((res) => setTimeout(res, 50));
    }
    expect(names).toMatch(/claudecode-elevated .*1 min left/);
    let spec = readSession(r.spec.id, f.env);
    for (let i = 0; i < 200 && !spec.endedAt; i++) {
      await new Promise((res) => setTimeout(res, 50));
      spec = readSession(r.spec.id, f.env);
    }
    expect(spec).toMatchObject({ endReason: 'deadline', signal: 'SIGKILL' });
    expect(Date.parse(spec.endedAt!) - t0).toBeGreaterThanOrEqual(2500 + 1000 - 100);
    await new Promise((res) => setTimeout(res, 100));
    expect(pidAlive(run!.pid)).toBe(false);
    expect(pidAlive(run!.grandchildPid!)).toBe(false);
    expect(readAudit(f.env).map((a) => a.type)).toEqual(['launch', 'expiry', 'session-end']);
    // The runner holds the window open (a TTY) so the expiry message can be read; it ends on a signal.
    expect(pidAlive(spec.runnerPid!)).toBe(true);
    process.kill(spec.runnerPid!, 'SIGTERM');
    for (let i = 0; i < 60 && pidAlive(spec.runnerPid!); i++) await new Promise((res) => setTimeout(res, 50));
    expect(pidAlive(spec.runnerPid!)).toBe(false);
  });
});

describe('elevate launch (human output)', () => {
  it(`summarises the session's --settings JSON in the "runs" line (the JSON stays in --json)${
    missing.length ? ` (skipped: ${missing.join(', ')} not installed)` : ''
  }`, async (ctx) => {
    if (missing.length) ctx.skip(`${missing.join(', ')} not installed`);
    const f = launchFixture(xvfb!.display);
    fixtures.push(f);
    const out = execFileSync(
      process.execPath,
      [
        path.join(REPO_ROOT, 'bin', 'elevate.cjs'),
        'launch',
        'readonly',
        '--terminal',
        'xterm',
        '--cwd',
        f.project,
      ],
      { env: f.env, cwd: f.root, encoding: 'utf8' },
    );
    const runs = out.split('\n').find((l) => l.startsWith('  runs '));
    expect(runs).toMatch(/^ {2}runs {5}"[^"]*claude" "--settings" <session settings, \d+ bytes>$/);
    const [run] = await f.standIn.waitForRuns(1);
    expect(run!.argv[0]).toBe('--settings');
    expect(runs).toContain(`<session settings, ${run!.argv[1]!.length} bytes>`);
  });
});
