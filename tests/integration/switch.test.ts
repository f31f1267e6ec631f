// `elevate switch` and `elevate status --json` end to end (built CLI, private HOME / ELEVATE_HOME /
// CLAUDE_CONFIG_DIR), without the app running.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { switchTier } from '../../electron/node/activeTier';
import { readAudit } from '../../electron/node/audit';
import { writeSession } from '../../electron/node/sessions';
import { quoteSh } from '../../shared/quote';
import { ELEVATE_BIN, makeSandbox, runCli, type Sandbox } from '../helpers/cli';

const SEED = fs.readFileSync(new URL('../fixtures/seed-config.ini', import.meta.url), 'utf8');
let sb: Sandbox;
let claudeFile: string;

beforeEach(() => {
  sb = makeSandbox('elevate-switch-');
  sb.writeConfig(SEED);
  fs.mkdirSync(sb.env.ELEVATE_HOME!, { recursive: true });
  fs.mkdirSync(sb.env.CLAUDE_CONFIG_DIR!, { recursive: true });
  fs.writeFileSync(
    path.join(sb.env.ELEVATE_HOME!, 'settings.json'),
    JSON.stringify({ switchTargets: { claudeUserSettings: true } }),
  );
  claudeFile = path.join(sb.env.CLAUDE_CONFIG_DIR!, 'settings.json');
});

afterEach(() => fs.rmSync(sb.root, { recursive: true, force: true }));

function status(): {
  activeTier: string;
  deadline: string | null;
  since: string | null;
  appRunning: boolean;
} {
  const r = runCli(['status', '--json'], sb.env);
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as ReturnType<typeof status>;
}

describe('elevate switch / status', () => {
  it('switches without the app; status --json shows activeTier, deadline (ISO) and since', () => {
    expect(status()).toMatchObject({ activeTier: 'off', deadline: null, since: null, appRunning: false });
    const before = Date.now();
    const r = runCli(['switch', 'elevated', '--minutes', '20', '--yes', '--json'], sb.env);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j).toMatchObject({
      ok: true,
      activeTier: 'elevated',
      from: 'off',
      profile: 'claudecode-elevated',
      staleSessions: [],
    });
    const s = status();
    expect(s.activeTier).toBe('elevated');
    expect(s.deadline).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const left = Date.parse(s.deadline!) - before;
    expect(left).toBeGreaterThan(19.9 * 60_000);
    expect(left).toBeLessThan(20.1 * 60_000);
    expect(s.since).toBe(j.since);
    expect(fs.readFileSync(claudeFile, 'utf8')).toContain('"AWS_PROFILE": "claudecode-elevated"');
  });

  it('refuses elevated without --yes when not on a terminal, and bad minutes, changing nothing', () => {
    const r = runCli(['switch', 'elevated', '--json'], sb.env);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'confirmation-required' } });
    expect(JSON.parse(r.stdout).error.message).toMatch(
      /needs confirmation: run it in a terminal, or add --yes/,
    );
    for (const m of ['14', '61', 'x']) {
      const b = runCli(['switch', 'elevated', '--minutes', m, '--yes'], sb.env);
      expect(b.status).toBe(2);
      expect(b.stderr).toMatch(/minutes/);
    }
    expect(runCli(['switch', 'readonly', '--minutes', '20'], sb.env).status).toBe(2);
    expect(runCli(['switch', 'sudo'], sb.env).stderr).toContain('unknown tier "sudo"');
    expect(status().activeTier).toBe('off');
    expect(readAudit(sb.env)).toEqual([]);
    expect(fs.existsSync(claudeFile)).toBe(false);
  });

  it('asks on a terminal: "y" elevates, anything else does not', (ctx) => {
    if (spawnSync('sh', ['-c', 'command -v script']).status !== 0) ctx.skip('script(1) is not installed');
    const cmd = `${quoteSh(process.execPath)} ${quoteSh(ELEVATE_BIN)} switch elevated --minutes 15`;
    const no = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      env: sb.env,
      input: 'n\n',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(no.stdout).toContain('for 15 min? [y/N]');
    expect(status().activeTier).toBe('off');
    const yes = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      env: sb.env,
      input: 'y\n',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(yes.stdout).toContain('active tier: elevated · claudecode-elevated until');
    expect(status().activeTier).toBe('elevated');
  });

  it('a deadline that passed while no Elevate process ran is applied when status is read', () => {
    switchTier('elevated', {
      minutes: 15,
      now: new Date(Date.now() - 20 * 60_000),
      env: sb.env,
      source: 'test',
    });
    expect(fs.readFileSync(claudeFile, 'utf8')).toContain('claudecode-elevated');
    const s = status();
    expect(s).toMatchObject({ activeTier: 'readonly', deadline: null });
    expect(fs.readFileSync(claudeFile, 'utf8')).toContain('"AWS_PROFILE": "claudecode-readonly"');
    expect(readAudit(sb.env).map((a) => [a.type, a.source])).toEqual([
      ['switch', 'test'],
      ['fallback', 'deadline'],
    ]);
  });

  it('without the app, `switch elevated` leaves a watcher that falls back at the deadline and exits', async () => {
    const r = runCli(['switch', 'elevated', '--yes', '--minutes', '15', '--json'], sb.env);
    const j = JSON.parse(r.stdout) as { keeperPid: number | null };
    expect(typeof j.keeperPid).toBe('number');
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive(j.keeperPid!)).toBe(true);
    // Re-elevate with a deadline 1.5 s from now (as if 15 min had nearly passed); the watcher follows it.
    switchTier('elevated', {
      minutes: 15,
      now: new Date(Date.now() - 15 * 60_000 + 1500),
      env: sb.env,
      source: 'test',
    });
    const until = Date.now() + 9_000; // it polls at most every 5 s
    while (alive(j.keeperPid!) && Date.now() < until) await new Promise((res) => setTimeout(res, 100));
    expect(alive(j.keeperPid!)).toBe(false);
    expect(fs.readFileSync(claudeFile, 'utf8')).toContain('"AWS_PROFILE": "claudecode-readonly"');
    expect(readAudit(sb.env).map((a) => [a.type, a.source])).toEqual([
      ['switch', 'cli'],
      ['switch', 'test'],
      ['fallback', 'deadline'],
    ]);
    // `switch --watch` with nothing elevated returns at once.
    const w = runCli(['switch', '--watch', '--json'], sb.env);
    expect(w.status).toBe(0);
    expect(JSON.parse(w.stdout)).toEqual({ fellBack: false, activeTier: 'readonly' });
  }, 20_000);

  it('switch --json lists running sessions on the old tier with their restart argv; invalid Claude JSON → exit 1, file untouched', () => {
    writeSession(
      {
        id: '20260301100000-aaaaaaaa',
        kind: 'claude',
        tier: 'readonly',
        profile: 'claudecode-readonly',
        cwd: sb.root,
        argv: ['claude'],
        env: { set: {}, unset: [] },
        title: 't',
        createdAt: new Date().toISOString(),
        startedAt: new Date().toISOString(),
        runnerPid: process.pid,
        resumeId: '11111111-2222-3333-4444-555555555555',
      },
      sb.env,
    );
    fs.writeFileSync(claudeFile, '{ "env": ');
    const r = runCli(['switch', 'elevated', '--yes', '--minutes', '15', '--json'], sb.env);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as {
      ok: boolean;
      activeTier: string;
      staleSessions: unknown[];
      targets: Array<Record<string, unknown>>;
    };
    expect(j.ok).toBe(false);
    expect(j.activeTier).toBe('elevated');
    expect(j.targets.find((t) => t.kind === 'claude-user')).toMatchObject({ ok: false, action: 'failed' });
    expect(String(j.targets.find((t) => t.kind === 'claude-user')!.message)).toMatch(
      /invalid JSON .*not written/,
    );
    expect(fs.readFileSync(claudeFile, 'utf8')).toBe('{ "env": ');
    expect(j.staleSessions).toEqual([
      expect.objectContaining({
        id: '20260301100000-aaaaaaaa',
        tier: 'readonly',
        restartArgv: ['claude', '--resume', '11111111-2222-3333-4444-555555555555'],
      }),
    ]);
  });
});
