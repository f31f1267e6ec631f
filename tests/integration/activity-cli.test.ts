// `elevate activity`, `elevate policy-hints`, `elevate claude-md` and the usage block of `elevate status`,
// run as the built CLI in a sandbox (activity lines as the shim's recorder writes them).
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeSandbox, runCli, type Sandbox } from '../helpers/cli';
import type { ActivityRecord } from '../../shared/activity';

const SEED = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'seed-config.ini'), 'utf8');

let sb: Sandbox;
let home: string;
beforeEach(() => {
  sb = makeSandbox('elevate-activity-');
  sb.writeConfig(SEED);
  home = sb.env.ELEVATE_HOME!;
  fs.mkdirSync(home, { recursive: true });
});

function rec(p: Partial<ActivityRecord>): ActivityRecord {
  return {
    time: new Date().toISOString(),
    sessionId: '20261124-aaaa0001',
    tier: 'readonly',
    profile: 'claudecode-readonly',
    service: 'ec2',
    operation: 'describe-instances',
    flags: [],
    exitCode: 0,
    durationMs: 420,
    ...p,
  };
}

function writeActivity(records: ActivityRecord[]): void {
  fs.writeFileSync(
    path.join(home, 'activity.jsonl'),
    records.map((r) => JSON.stringify(r)).join('\n') + '\n',
  );
}

describe('elevate activity / policy-hints', () => {
  beforeEach(() => {
    writeActivity([
      rec({}),
      rec({
        service: 'ssm',
        operation: 'send-command',
        exitCode: 254,
        errorCode: 'AccessDeniedException',
        denied: {
          action: 'ssm:SendCommand',
          resource: 'arn:aws:ec2:us-east-1:1:instance/i-1',
          reason: 'no-identity-policy',
          inferred: false,
        },
      }),
      rec({
        service: 'logs',
        operation: 'filter-log-events',
        exitCode: 254,
        denied: {
          action: 'logs:FilterLogEvents',
          resource: 'arn:aws:logs:us-east-1:1:log-group:/app:*',
          reason: 'unknown',
          inferred: false,
        },
      }),
      rec({
        sessionId: '20261124-bbbb0002',
        tier: 'elevated',
        profile: 'claudecode-elevated',
        service: 'ecs',
        operation: 'update-service',
        exitCode: 254,
        denied: { action: 'ecs:UpdateService', reason: 'unknown', inferred: false },
      }),
    ]);
  });

  it('activity lists the calls per session; --session filters', () => {
    const all = runCli(['activity', '--json'], sb.env);
    expect(all.status).toBe(0);
    const j = JSON.parse(all.stdout) as {
      total: number;
      sessions: Array<{ sessionId: string; calls: number; denied: number }>;
    };
    expect(j.total).toBe(4);
    expect(j.sessions.map((s) => [s.sessionId, s.calls, s.denied])).toEqual([
      ['20261124-aaaa0001', 3, 2],
      ['20261124-bbbb0002', 1, 1],
    ]);
    const one = runCli(['activity', '--session', '20261124-bbbb0002'], sb.env);
    expect(one.status).toBe(0);
    expect(one.stdout).toContain('aws ecs update-service');
    expect(one.stdout).toContain('DENIED ecs:UpdateService');
    expect(one.stdout).not.toContain('send-command');
    expect(runCli(['activity', '--limit', 'x'], sb.env).status).toBe(2);
  });

  it('policy-hints: read → read-only statement; write under read-only → hand off, offered to the elevated role', () => {
    const r = runCli(['policy-hints', '--json'], sb.env);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as {
      tiers: Array<{
        tier: string;
        policy: { Statement: Array<{ Action: string[] }> } | null;
        handoff: Array<{ action: string }>;
      }>;
      elevatedForHandoff: { Version: string; Statement: Array<{ Action: string[]; Resource: string }> };
    };
    const ro = j.tiers.find((t) => t.tier === 'readonly')!;
    expect(ro.policy!.Statement.flatMap((s) => s.Action)).toEqual(['logs:FilterLogEvents']);
    expect(ro.handoff.map((e) => e.action)).toEqual(['ssm:SendCommand']);
    expect(j.elevatedForHandoff.Version).toBe('2012-10-17');
    expect(j.elevatedForHandoff.Statement).toEqual([
      {
        Sid: 'ElevateHandoffWrites',
        Effect: 'Allow',
        Action: ['ssm:SendCommand'],
        Resource: 'arn:aws:ec2:us-east-1:1:instance/i-1',
      },
    ]);
    const el = j.tiers.find((t) => t.tier === 'elevated')!;
    expect(el.policy!.Statement.flatMap((s) => s.Action)).toEqual(['ecs:UpdateService']);

    const text = runCli(['policy-hints'], sb.env);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('read-only tier (role behind profile claudecode-readonly)');
    expect(text.stdout).toContain('do NOT add these to the read-only role');
    expect(text.stdout).toMatch(/Hand off instead \(the agent writes\s+plan\.md/);
  });

  it('policy-hints with no denials says so', () => {
    writeActivity([rec({})]);
    const r = runCli(['policy-hints'], sb.env);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no denied aws calls recorded (1 call(s)');
  });
});

describe('elevate claude-md', () => {
  it('edits AGENTS.md when only that exists: show, apply (backup), idempotent', () => {
    const proj = path.join(sb.root, 'my project');
    fs.mkdirSync(proj);
    const original = '# Agents\n\nBe nice.\n';
    fs.writeFileSync(path.join(proj, 'AGENTS.md'), original);
    const show = runCli(['claude-md', '--cwd', proj], sb.env);
    expect(show.status).toBe(0);
    expect(show.stdout).toContain('would append the Elevate section to');
    expect(fs.readFileSync(path.join(proj, 'AGENTS.md'), 'utf8')).toBe(original); // show writes nothing
    const apply = runCli(['claude-md', '--cwd', proj, '--apply', '--json'], sb.env);
    expect(apply.status).toBe(0);
    const j = JSON.parse(apply.stdout) as { file: string; change: string; applied: boolean; backup: string };
    expect(j).toMatchObject({ file: path.join(proj, 'AGENTS.md'), change: 'append', applied: true });
    expect(fs.readFileSync(j.backup, 'utf8')).toBe(original);
    const text = fs.readFileSync(path.join(proj, 'AGENTS.md'), 'utf8');
    expect(text.startsWith(original)).toBe(true);
    expect(text).toContain('<!-- elevate:begin -->');
    expect(text).toContain('`claudecode-readonly`');
    expect(fs.existsSync(path.join(proj, 'CLAUDE.md'))).toBe(false);
    const again = runCli(['claude-md', '--cwd', proj, '--apply', '--json'], sb.env);
    expect(JSON.parse(again.stdout)).toMatchObject({ change: 'none', applied: false });
    expect(fs.readFileSync(path.join(proj, 'AGENTS.md'), 'utf8')).toBe(text);
  });

  it('refuses a file with a lone marker (exit 2) and leaves it alone', () => {
    const proj = path.join(sb.root, 'p2');
    fs.mkdirSync(proj);
    fs.writeFileSync(path.join(proj, 'CLAUDE.md'), 'x\n<!-- elevate:begin -->\n');
    const r = runCli(['claude-md', '--cwd', proj, '--apply'], sb.env);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('without its partner');
    expect(fs.readFileSync(path.join(proj, 'CLAUDE.md'), 'utf8')).toBe('x\n<!-- elevate:begin -->\n');
  });
});

describe('elevate status usage', () => {
  it('reports elevated seconds and sessions today, with a cost-guard warning', () => {
    const now = Date.now();
    const started = new Date(Math.max(now - 50 * 60_000, new Date().setHours(0, 0, 0, 0)));
    const sessions = path.join(home, 'sessions');
    fs.mkdirSync(sessions, { recursive: true });
    const spec = {
      id: '20261124-cccc0003',
      kind: 'claude',
      tier: 'elevated',
      profile: 'claudecode-elevated',
      cwd: sb.root,
      argv: ['claude'],
      env: { set: {}, unset: [] },
      title: 't',
      createdAt: started.toISOString(),
      startedAt: started.toISOString(),
      endedAt: new Date(now).toISOString(),
      endReason: 'exit',
    };
    fs.writeFileSync(path.join(sessions, `${spec.id}.json`), JSON.stringify(spec));
    fs.writeFileSync(
      path.join(home, 'settings.json'),
      JSON.stringify({ costGuard: { maxElevatedMinutesPerDay: 55 } }),
    );
    const r = runCli(['status', '--json'], sb.env);
    expect(r.status).toBe(0);
    const u = (
      JSON.parse(r.stdout) as {
        usage: {
          elevatedSecondsToday: number;
          sessionsToday: number;
          warnings: Array<{ kind: string }>;
          limits: object;
        };
      }
    ).usage;
    const expected = Math.floor((now - started.getTime()) / 1000);
    expect(u.elevatedSecondsToday).toBeGreaterThanOrEqual(expected - 1);
    expect(u.elevatedSecondsToday).toBeLessThanOrEqual(expected + 1);
    expect(u.sessionsToday).toBe(1);
    expect(u.limits).toEqual({ maxElevatedMinutesPerDay: 55 });
    // 50 min used of 55 (unless the day began less than 50 min ago): within the 10-min lead.
    if (expected >= 45 * 60) expect(u.warnings.map((w) => w.kind)).toEqual(['elevated-day']);
    else expect(u.warnings).toEqual([]);
  });
});
