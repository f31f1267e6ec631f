import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  activeFile,
  onAppQuit,
  readActive,
  readActiveRaw,
  refreshTargets,
  shellStateFile,
  switchTier,
  SwitchError,
  tick,
} from '../../electron/node/activeTier';
import { readAppState } from '../../electron/node/appState';
import { readAudit } from '../../electron/node/audit';
import { touchedFiles } from '../../electron/node/claudeSettingsSync';
import { writeSession, type SessionSpec } from '../../electron/node/sessions';

const SEED = fs.readFileSync(new URL('../fixtures/seed-config.ini', import.meta.url), 'utf8');
const T0 = new Date('2026-03-01T10:00:00.000Z');
const min = (n: number) => new Date(T0.getTime() + n * 60_000);

let root: string;
let env: Record<string, string>;
let claudeFile: string;

function writeElevateSettings(s: unknown): void {
  fs.writeFileSync(path.join(env.ELEVATE_HOME!, 'settings.json'), JSON.stringify(s));
}

function claudeEnv(): Record<string, unknown> {
  const j = parseJsonc(fs.readFileSync(claudeFile, 'utf8')) as { env?: Record<string, unknown> };
  return j.env ?? {};
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-active-'));
  for (const d of ['home/.aws', 'elevate', 'claude', 'proj'])
    fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.writeFileSync(path.join(root, 'home/.aws/config'), SEED);
  env = {
    HOME: path.join(root, 'home'),
    ELEVATE_HOME: path.join(root, 'elevate'),
    CLAUDE_CONFIG_DIR: path.join(root, 'claude'),
    AWS_CONFIG_FILE: path.join(root, 'home/.aws/config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'home/.aws/credentials'),
  };
  claudeFile = path.join(root, 'claude', 'settings.json');
  writeElevateSettings({ switchTargets: { claudeUserSettings: true } });
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

// A user file with comments, tabs, CRLF line ends, odd spacing, unknown keys and no final newline.
const ORIGINAL =
  '{\r\n\t// my settings\r\n\t"model":   "opus",\r\n\t"env": {"FOO": "bar"},\r\n\t"permissions": {"allow": ["Bash(ls)"]} /* keep */\r\n}';

describe('active tier: switch, deadline fallback, Claude settings, audit', () => {
  it('elevated for 15 min falls back to read-only after the deadline; the Claude file follows; one audit line per step', () => {
    fs.writeFileSync(claudeFile, ORIGINAL);
    const up = switchTier('elevated', { minutes: 15, now: T0, env, source: 'test' });
    expect(up.state).toMatchObject({
      tier: 'elevated',
      profile: 'claudecode-elevated',
      since: T0.toISOString(),
    });
    expect(up.state.deadline).toBe(min(15).toISOString());
    expect(up.targets.find((t) => t.kind === 'claude-user')).toMatchObject({ ok: true, action: 'written' });
    expect(claudeEnv()).toMatchObject({
      FOO: 'bar',
      AWS_PROFILE: 'claudecode-elevated',
      CLAUDE_CODE_USE_BEDROCK: '1',
    });
    // The rest of the file is untouched text.
    const text = fs.readFileSync(claudeFile, 'utf8');
    expect(text).toContain('\t// my settings\r\n\t"model":   "opus",\r\n');
    expect(text).toContain('"permissions": {"allow": ["Bash(ls)"]} /* keep */\r\n}');
    expect(readAudit(env).map((a) => a.type)).toEqual(['switch']);

    // Before the deadline nothing happens.
    expect(tick(min(14.99), env)).toBeNull();
    expect(readActiveRaw(env).tier).toBe('elevated');

    const fb = tick(min(15.01), env);
    expect(fb).not.toBeNull();
    expect(fb).toMatchObject({ type: 'fallback', deadline: min(15).toISOString() });
    expect(fb!.state).toMatchObject({ tier: 'readonly', profile: 'claudecode-readonly', deadline: null });
    expect(claudeEnv()).toMatchObject({ FOO: 'bar', AWS_PROFILE: 'claudecode-readonly' });
    // A second tick (another process, the app after the CLI) does nothing more.
    expect(tick(min(16), env)).toBeNull();

    const audit = readAudit(env);
    expect(audit.map((a) => [a.type, a.tier, a.from])).toEqual([
      ['switch', 'elevated', 'off'],
      ['fallback', 'readonly', 'elevated'],
    ]);
    expect(audit[0]).toMatchObject({
      profile: 'claudecode-elevated',
      minutes: 15,
      deadline: min(15).toISOString(),
    });
    expect(audit[1]).toMatchObject({
      time: min(15.01).toISOString(),
      expiredDeadline: min(15).toISOString(),
    });
    // Mirrored in state.json for appState readers.
    expect(readAppState(env).state).toMatchObject({
      activeTier: 'readonly',
      deadline: null,
      since: min(15.01).toISOString(),
    });
    // Shell files carry the deadline and the read-only fallback while elevated; now read-only.
    expect(fs.readFileSync(shellStateFile('sh', env), 'utf8')).toMatch(
      /^# elevate-active rev=2 tier=readonly deadline=0\n/,
    );
  });

  it('falls back lazily when the state is read after the deadline (no app, no timer)', () => {
    switchTier('elevated', { minutes: 60, now: T0, env });
    const before = readActive(min(59), env);
    expect(before.state.tier).toBe('elevated');
    expect(before.fallback).toBeNull();
    const after = readActive(min(61), env);
    expect(after.state.tier).toBe('readonly');
    expect(after.fallback?.type).toBe('fallback');
    expect(JSON.parse(fs.readFileSync(activeFile(env), 'utf8'))).toMatchObject({ tier: 'readonly' });
  });

  it('`off` restores the original bytes exactly (and removes a file Elevate created)', () => {
    fs.writeFileSync(claudeFile, ORIGINAL);
    const projLocal = path.join(root, 'proj', '.claude', 'settings.local.json');
    writeElevateSettings({
      switchTargets: { claudeUserSettings: true, projectLocalSettings: [path.join(root, 'proj')] },
    });
    switchTier('readonly', { now: T0, env });
    expect(fs.readFileSync(claudeFile, 'utf8')).not.toBe(ORIGINAL);
    expect(JSON.parse(fs.readFileSync(projLocal, 'utf8'))).toMatchObject({
      env: { AWS_PROFILE: 'claudecode-readonly' },
    });
    switchTier('elevated', { minutes: 30, now: min(1), env });
    switchTier('readonly', { now: min(2), env });
    const off = switchTier('off', { now: min(3), env });
    expect(fs.readFileSync(claudeFile)).toEqual(Buffer.from(ORIGINAL));
    expect(fs.existsSync(projLocal)).toBe(false);
    expect(fs.existsSync(path.dirname(projLocal))).toBe(false); // .claude/ was Elevate's too
    expect(
      off.targets
        .filter((t) => t.kind !== 'shell')
        .map((t) => t.action)
        .sort(),
    ).toEqual(['deleted', 'restored']);
    expect(touchedFiles(env)).toEqual([]);
    const audit = readAudit(env);
    expect(audit.map((a) => a.type)).toEqual(['switch', 'switch', 'switch', 'switch', 'restore', 'restore']);
    expect(
      audit
        .filter((a) => a.type === 'restore')
        .map((a) => a.result)
        .sort(),
    ).toEqual(['deleted', 'restored']);
  });

  it('a settings file with invalid JSON is never written; the switch reports why', () => {
    const broken = '{\n  "env": { "AWS_PROFILE": "mine", }\n  "model" "x"\n}\n';
    fs.writeFileSync(claudeFile, broken);
    const mtime = fs.statSync(claudeFile).mtimeMs;
    const r = switchTier('elevated', { minutes: 15, now: T0, env });
    const t = r.targets.find((x) => x.kind === 'claude-user');
    expect(t).toMatchObject({ ok: false, action: 'failed' });
    expect(t!.message).toMatch(/settings\.json, line 3, column \d+: invalid JSON \(\w+\); not written/);
    expect(r.warnings.join('\n')).toContain('not written');
    expect(fs.readFileSync(claudeFile, 'utf8')).toBe(broken);
    expect(fs.statSync(claudeFile).mtimeMs).toBe(mtime);
    expect(fs.existsSync(`${claudeFile}.elevate-bak`)).toBe(false);
    expect(touchedFiles(env)).toEqual([]);
    // The tier did switch (shells and launches follow it) and the audit line records the failed target.
    expect(readActiveRaw(env).tier).toBe('elevated');
    expect(readAudit(env)[0]).toMatchObject({
      type: 'switch',
      targets: [{ file: claudeFile, action: 'failed', ok: false }],
    });
    // Fallback and off leave it alone too.
    tick(min(16), env);
    switchTier('off', { now: min(17), env });
    expect(fs.readFileSync(claudeFile, 'utf8')).toBe(broken);
  });

  it('the user edited the file meanwhile: only Elevate keys are reverted, the user is told', () => {
    fs.writeFileSync(claudeFile, ORIGINAL);
    switchTier('elevated', { minutes: 15, now: T0, env });
    // The user adds a key (by text) while Elevate's values are in place.
    const edited = fs
      .readFileSync(claudeFile, 'utf8')
      .replace('"model":   "opus",', '"model":   "opus",\r\n\t"theme": "dark",');
    fs.writeFileSync(claudeFile, edited);
    const off = switchTier('off', { now: min(1), env });
    const t = off.targets.find((x) => x.kind === 'claude-user')!;
    expect(t).toMatchObject({ ok: true, action: 'keys-reverted', changedMeanwhile: true });
    expect(t.message).toMatch(/changed after Elevate's last write: only Elevate's keys were reverted/);
    expect(off.warnings.join('\n')).toContain('only Elevate');
    const after = fs.readFileSync(claudeFile, 'utf8');
    expect(after).toContain('"theme": "dark"');
    expect(claudeEnv()).toEqual({ FOO: 'bar' });
    expect(after).not.toMatch(/AWS_PROFILE|CLAUDE_CODE_USE_BEDROCK|ANTHROPIC_MODEL|AWS_REGION/);
    expect(readAudit(env).at(-1)).toMatchObject({
      type: 'restore',
      result: 'keys-reverted',
      changedMeanwhile: true,
    });
  });

  it('a key the user changed meanwhile is kept, the others go back to their original values', () => {
    fs.writeFileSync(claudeFile, '{\n  "env": {\n    "AWS_REGION": "eu-west-1"\n  }\n}\n');
    switchTier('readonly', { now: T0, env });
    expect(claudeEnv()).toMatchObject({ AWS_REGION: 'us-east-1', AWS_PROFILE: 'claudecode-readonly' });
    fs.writeFileSync(
      claudeFile,
      fs.readFileSync(claudeFile, 'utf8').replace('"claudecode-readonly"', '"my-own"'),
    );
    const t = switchTier('off', { now: min(1), env }).targets.find((x) => x.kind === 'claude-user')!;
    expect(t).toMatchObject({ action: 'keys-reverted', keptUserKeys: ['AWS_PROFILE'] });
    expect(t.message).toContain('kept your own value of env.AWS_PROFILE');
    expect(claudeEnv()).toEqual({ AWS_PROFILE: 'my-own', AWS_REGION: 'eu-west-1' });
  });

  it('rejects an elevation outside 15–60 minutes and a tier that is not set up, without changing anything', () => {
    switchTier('readonly', { now: T0, env });
    for (const m of [14, 61, 20.5]) {
      expect(() => switchTier('elevated', { minutes: m, now: min(1), env })).toThrow(/15 to 60/);
    }
    fs.writeFileSync(env.AWS_CONFIG_FILE!, '[profile claudecode-readonly]\nregion = us-east-1\n');
    let err: unknown;
    try {
      switchTier('elevated', { minutes: 15, now: min(1), env });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SwitchError);
    expect((err as SwitchError).code).toBe('no-tier');
    expect(readActiveRaw(env).tier).toBe('readonly');
    expect(readAudit(env)).toHaveLength(1);
  });

  it('lists live Elevate-launched sessions still on another tier, with the argv to resume them', () => {
    const base = (id: string, tier: 'readonly' | 'elevated', extra: Partial<SessionSpec>): SessionSpec => ({
      id,
      kind: 'claude',
      tier,
      profile: `claudecode-${tier}`,
      cwd: path.join(root, 'proj'),
      argv: ['claude'],
      env: { set: {}, unset: [] },
      title: id,
      createdAt: T0.toISOString(),
      startedAt: T0.toISOString(),
      runnerPid: process.pid,
      ...extra,
    });
    writeSession(
      base('20260301100000-aaaaaaaa', 'readonly', { resumeId: '11111111-2222-3333-4444-555555555555' }),
      env,
    );
    writeSession(
      base('20260301100000-bbbbbbbb', 'readonly', { argv: ['claude', '--session-id', 'abc-1'] }),
      env,
    );
    writeSession(base('20260301100000-cccccccc', 'readonly', { endedAt: T0.toISOString() }), env); // ended
    writeSession(base('20260301100000-dddddddd', 'elevated', {}), env); // already on the new tier
    const r = switchTier('elevated', { minutes: 15, now: T0, env });
    expect(r.staleSessions.map((s) => [s.id, s.restartArgv])).toEqual([
      ['20260301100000-aaaaaaaa', ['claude', '--resume', '11111111-2222-3333-4444-555555555555']],
      ['20260301100000-bbbbbbbb', ['claude', '--resume', 'abc-1']],
    ]);
    const back = switchTier('readonly', { now: min(1), env });
    expect(back.staleSessions.map((s) => [s.id, s.restartArgv])).toEqual([
      ['20260301100000-dddddddd', ['claude', '--continue']],
    ]);
  });

  it('a target removed from the settings is restored at the next refresh; app quit restores all and ends elevation', () => {
    fs.writeFileSync(claudeFile, ORIGINAL);
    switchTier('elevated', { minutes: 15, now: T0, env });
    writeElevateSettings({ switchTargets: { claudeUserSettings: false } });
    const r = refreshTargets(min(1), env);
    expect(r.targets.find((t) => t.file === claudeFile)).toMatchObject({ action: 'restored' });
    expect(fs.readFileSync(claudeFile)).toEqual(Buffer.from(ORIGINAL));

    writeElevateSettings({ switchTargets: { claudeUserSettings: true } });
    refreshTargets(min(2), env);
    expect(claudeEnv()).toMatchObject({ AWS_PROFILE: 'claudecode-elevated' });
    const q = onAppQuit(min(3), env);
    expect(q.fallback?.state.tier).toBe('readonly');
    expect(fs.readFileSync(claudeFile)).toEqual(Buffer.from(ORIGINAL));
    expect(readActiveRaw(env).tier).toBe('readonly');
    expect(readAudit(env).map((a) => a.type)).toEqual(['switch', 'restore', 'fallback', 'restore']);
  });
});
