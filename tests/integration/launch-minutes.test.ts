// `elevate launch elevated --minutes N` takes the same 15–60 minute bound as handoff and switch (a 12-hour
// elevation through launch was accepted before); bad values exit 2 with usage and nothing is launched.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSandbox, runCli, type Sandbox } from '../helpers/cli';
import { TIER_CONFIG } from '../helpers/standin';

const sandboxes: Sandbox[] = [];
afterAll(() => {
  for (const s of sandboxes) fs.rmSync(s.root, { recursive: true, force: true });
});

describe('elevate launch --minutes', () => {
  it('elevated: outside 15–60 or not whole → exit 2 with usage, no session written, nothing audited', () => {
    const sb = makeSandbox('elevate-launch-minutes-');
    sandboxes.push(sb);
    sb.writeConfig(TIER_CONFIG);
    for (const m of ['720', '61', '14', '1', '0', '-5', '30.5', '1e1', 'ten']) {
      const r = runCli(['launch', 'elevated', '--minutes', m, '--cwd', sb.root], sb.env);
      expect(r.status, `--minutes ${m}`).toBe(2);
      expect(r.stderr, `--minutes ${m}`).toMatch(
        /elevation length must be|whole number|argument is ambiguous/,
      );
    }
    const json = runCli(['launch', 'elevated', '--minutes', '720', '--cwd', sb.root, '--json'], sb.env);
    expect(JSON.parse(json.stdout).error.code).toBe('usage');
    const ro = runCli(['launch', 'readonly', '--minutes', '0x10', '--cwd', sb.root], sb.env);
    expect(ro.status).toBe(2);
    expect(fs.existsSync(path.join(sb.env.ELEVATE_HOME!, 'sessions'))).toBe(false);
    expect(fs.existsSync(path.join(sb.env.ELEVATE_HOME!, 'audit.jsonl'))).toBe(false);
  });
});

describe('elevate launch --prompt', () => {
  it('a prompt that would be read as a Claude option is refused (exit 2), nothing launched', () => {
    const sb = makeSandbox('elevate-launch-prompt-');
    sandboxes.push(sb);
    sb.writeConfig(TIER_CONFIG);
    for (const p of ['--dangerously-skip-permissions', '-p', '  --settings={}']) {
      const r = runCli(['launch', 'readonly', `--prompt=${p}`, '--cwd', sb.root], sb.env);
      expect(r.status, p).toBe(2);
      expect(r.stderr, p).toMatch(/--prompt cannot start with "-"/);
    }
    expect(fs.existsSync(path.join(sb.env.ELEVATE_HOME!, 'sessions'))).toBe(false);
  });
});

describe('elevate launch elevated: the one elevation transaction (issue 11)', () => {
  it('no terminal and no --yes → exit 2, nothing launched or recorded; --yes → one elevation-start line, and the session runs with its own one-profile config and broker', async () => {
    const { startAwsServer, awsTestEnv } = await import('../helpers/awsServer');
    const { makeStandIn } = await import('../helpers/standin');
    const { readAudit } = await import('../../electron/node/audit');
    const { readSession } = await import('../../electron/node/sessions');
    const server = await startAwsServer({
      staticKeys: [{ accessKeyId: 'AKIABASE000000000003', secretAccessKey: 'k'.repeat(40) }],
    });
    try {
      const sb = makeSandbox('elevate-launch-el-');
      sandboxes.push(sb);
      sb.writeConfig(TIER_CONFIG);
      sb.writeCredentials(
        `[base]\naws_access_key_id = AKIABASE000000000003\naws_secret_access_key = ${'k'.repeat(40)}\n`,
      );
      const standIn = makeStandIn(path.join(sb.root, 'standin'), {});
      // A terminal that runs the command it is given (as `xterm -e` does), detached from this CLI.
      const term = path.join(sb.root, 'term');
      fs.writeFileSync(term, '#!/bin/sh\nshift\n"$@" </dev/null >/dev/null 2>&1 &\nexit 0\n', {
        mode: 0o755,
      });
      const env: Record<string, string> = {
        ...sb.env,
        ...awsTestEnv(server),
        TERMINAL: term,
        PATH: `${standIn.binDir}:${sb.env.PATH}`,
      };

      const no = runCli(['launch', 'elevated', '--minutes', '15', '--cwd', sb.root], env);
      expect(no.status).toBe(2);
      expect(no.stderr).toMatch(/needs confirmation: run it in a terminal, or add --yes/);
      expect(fs.existsSync(path.join(env.ELEVATE_HOME!, 'sessions'))).toBe(false);
      expect(fs.existsSync(path.join(env.ELEVATE_HOME!, 'audit.jsonl'))).toBe(false);

      const yes = runCli(['launch', 'elevated', '--minutes', '15', '--yes', '--cwd', sb.root, '--json'], env);
      expect(yes.status).toBe(0);
      const out = JSON.parse(yes.stdout) as { sessionId: string; deadline: string };
      expect(out.deadline).toMatch(/:\d\d\.000Z$/); // whole seconds
      const [run] = await standIn.waitForRuns(1, 20_000);
      const cfg = fs.readFileSync(run!.env.AWS_CONFIG_FILE!, 'utf8');
      expect(run!.env.AWS_CONFIG_FILE).toBe(
        path.join(env.ELEVATE_HOME!, 'sessions', out.sessionId, 'aws', 'config'),
      );
      expect(cfg.match(/^\[.*\]$/gm)).toEqual(['[profile claudecode-elevated]']);
      expect(run!.env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const audit = readAudit(env);
      expect(audit.filter((a) => a.type === 'elevation-start')).toMatchObject([
        { sessionId: out.sessionId, minutes: 15, deadline: out.deadline, source: 'launch' },
      ]);
      for (let i = 0; i < 100 && !readSession(out.sessionId, env).endedAt; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(readSession(out.sessionId, env).endReason).toBe('exit');
    } finally {
      await server.close();
    }
  }, 60_000);
});
