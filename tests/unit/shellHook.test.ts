// The pre-rendered shell state files carry values (profile names, model ids) into shells: hostile values
// must come out byte-exact and never run. Sourced by the real bash and fish.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderShellInit, renderShellState, type ShellFamily } from '../../shared/shellHook';
import { OVERRIDE_VARS } from '../../shared/env';

const HOSTILE = [
  "it's",
  '$(touch PWNED)',
  '`touch PWNED`',
  'a b\tc',
  'back\\slash',
  '"dq" $HOME ${HOME} ; rm -rf x',
  'line1\nline2',
  'ünïcødé-✓',
];

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-shellhook-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status === 0;
}

function stateFile(family: ShellFamily, value: string): string {
  const f = path.join(dir, `active.${family}`);
  fs.writeFileSync(
    f,
    renderShellState(family, {
      rev: 7,
      active: {
        tier: 'elevated',
        set: { AWS_PROFILE: value, ANTHROPIC_MODEL: `m-${value}` },
        label: '[claude-el] ',
      },
      deadlineEpoch: 4102444800,
      expire: { tier: 'readonly', set: { AWS_PROFILE: 'ro' }, label: '[claude-ro] ' },
    }),
  );
  return f;
}

describe('shell state files', () => {
  it('first line identifies the revision, tier and deadline (what the hook compares)', () => {
    const text = renderShellState('sh', { rev: 12, active: null, deadlineEpoch: null, expire: null });
    expect(text.split('\n')[0]).toBe('# elevate-active rev=12 tier=off deadline=0');
    expect(() =>
      renderShellState('sh', {
        rev: 1,
        active: { tier: 'readonly', set: { 'BAD;NAME': 'x' }, label: '' },
        deadlineEpoch: null,
        expire: null,
      }),
    ).toThrow(/not a variable name/);
  });

  it.each(HOSTILE)('bash sources %j byte-exact, runs nothing, unsets the override set', (value) => {
    const f = stateFile('sh', value);
    const script = `__elevate_off() { :; }; . "$1"; __elevate_apply; printf '%s\\0%s\\0%s\\0%s' "$AWS_PROFILE" "$ANTHROPIC_MODEL" "$ELEVATE_TIER" "\${AWS_ACCESS_KEY_ID-unset}"`;
    const r = spawnSync('bash', ['--norc', '-c', script, 'x', f], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SESSION_TOKEN: 'tok' },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\0')).toEqual([value, `m-${value}`, 'elevated', 'unset']);
    expect(fs.existsSync(path.join(dir, 'PWNED'))).toBe(false);
  });

  it.for(HOSTILE)('fish sources %j byte-exact and runs nothing', (value, ctx) => {
    if (!has('fish')) ctx.skip('fish is not installed');
    const f = stateFile('fish', value);
    const script = `function __elevate_off; end; source $argv[1]; __elevate_apply; printf '%s\\0%s\\0%s' "$AWS_PROFILE" "$ANTHROPIC_MODEL" "$ELEVATE_TIER"; set -q AWS_ACCESS_KEY_ID; and echo LEFT`;
    const r = spawnSync('fish', ['--no-config', '-c', script, f], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\0')).toEqual([value, `m-${value}`, 'elevated']);
    expect(fs.existsSync(path.join(dir, 'PWNED'))).toBe(false);
  });

  it('every override variable is in the unset list of each family', () => {
    for (const family of ['sh', 'fish', 'ps1'] as const) {
      const text = renderShellState(family, {
        rev: 1,
        active: { tier: 'readonly', set: { AWS_PROFILE: 'p' }, label: '' },
        deadlineEpoch: null,
        expire: null,
      });
      for (const name of Object.keys(OVERRIDE_VARS)) expect(text).toContain(name);
    }
  });

  it('the init snippet quotes the state file path for its shell', () => {
    const weird = "/tmp/it's a $(dir)/active.sh";
    expect(renderShellInit('bash', { stateFile: weird, prompt: false })).toContain(
      `__elevate_file='/tmp/it'\\''s a $(dir)/active.sh'`,
    );
    expect(renderShellInit('fish', { stateFile: weird, prompt: false })).toContain(
      `set -g __elevate_file '/tmp/it\\'s a $(dir)/active.sh'`,
    );
    expect(renderShellInit('powershell', { stateFile: weird, prompt: true })).toContain(
      `$global:__elevate_file = '/tmp/it''s a $(dir)/active.sh'`,
    );
  });
});
