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
