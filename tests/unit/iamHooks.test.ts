// hookSettings (the per-session `claude --settings` block), the shell scanner the hooks rely on, and the
// settings' commands actually running the built hook through sh, as Claude Code runs hook commands.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hookSettings, statusLine, preToolUse, type HookSession } from '../../shared/iam/hooks';
import { scanShell } from '../../shared/iam/shell';
import { loadCatalog } from '../../electron/node/iam/catalog';
import { ELEVATE_BIN } from '../helpers/cli';
import { hookArgv } from '../../electron/node/iam/hookCommand';

const hookBundle = () => hookArgv()[1]!;

describe('hookSettings', () => {
  const s = hookSettings({ hookArgv: ['/opt/My Apps/node', '/opt/elevate/out/cli/elevate-hook.cjs'] });
  it('SessionStart, PreToolUse/PostToolUse/PostToolUseFailure on Bash, and the status line', () => {
    expect(Object.keys(s.hooks)).toEqual(['SessionStart', 'PreToolUse', 'PostToolUse', 'PostToolUseFailure']);
    expect(s.hooks.PreToolUse).toEqual([
      {
        matcher: 'Bash',
        hooks: [
          {
            type: 'command',
            command: "'/opt/My Apps/node' /opt/elevate/out/cli/elevate-hook.cjs pre-tool-use",
            timeout: 10,
          },
        ],
      },
    ]);
    expect(s.hooks.SessionStart![0]!.matcher).toBe('startup|resume|clear|compact');
    expect(s.statusLine).toEqual({
      type: 'command',
      command: "'/opt/My Apps/node' /opt/elevate/out/cli/elevate-hook.cjs statusline",
      padding: 0,
    });
    expect(() => hookSettings({ hookArgv: [] })).toThrow(/hookArgv/);
  });
  it.each([
    ['the small hook bundle', [process.execPath, hookBundle()]],
    ['the elevate CLI', [process.execPath, ELEVATE_BIN, 'hook']],
  ])('its commands run the hook through sh (%s)', (_label, hookArgv) => {
    const set = hookSettings({ hookArgv });
    const cmd = set.hooks.PreToolUse![0]!.hooks[0]!.command;
    const r = spawnSync('/bin/sh', ['-c', cmd], {
      input: JSON.stringify({
        hook_event_name: 'PreToolUse',
        tool_name: 'Bash',
        tool_input: { command: 'aws s3 rb s3://x' },
      }),
      env: { ...process.env, ELEVATE_TIER: 'readonly', ELEVATE_SESSION_ID: '' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
  });
});

describe('pure hook decisions', () => {
  const ro: HookSession = { sessionId: null, tier: 'readonly', profile: 'p', deadline: null, plan: null };
  it('Permissions management and Tagging are not reads', () => {
    const d = (c: string) =>
      preToolUse({ tool_name: 'Bash', tool_input: { command: c } }, ro, loadCatalog)?.hookSpecificOutput
        .permissionDecision;
    expect(d('aws iam attach-role-policy --role-name r --policy-arn arn:aws:iam::aws:policy/A')).toBe('deny');
    expect(d('aws ec2 create-tags --resources i-1 --tags Key=a,Value=b')).toBe('deny');
    expect(d('aws s3api get-bucket-policy --bucket b')).toBeUndefined();
    expect(d('aws configure list')).toBeUndefined();
  });
  it('status line with and without a deadline', () => {
    const now = new Date('2026-12-02T01:00:00Z');
    expect(
      statusLine({ ...ro, tier: 'elevated', deadline: '2026-12-02T01:14:30Z', plan: { Statement: [] } }, now),
    ).toBe('Elevate: ELEVATED (plan) · p · 15 min left');
    expect(statusLine({ ...ro, tier: null, profile: null }, now)).toBe('Elevate: no tier');
  });
});

describe('scanShell', () => {
  const argvs = (s: string) => scanShell(s).calls.map((c) => c.argv.join(' '));
  it.each([
    ['aws s3 ls; aws s3 mb s3://x', ['s3 ls', 's3 mb s3://x']],
    ['aws s3 ls || aws s3 mb s3://x & wait', ['s3 ls', 's3 mb s3://x']],
    ["aws s3 cp 'a b.txt' s3://b/ && echo done", ['s3 cp a b.txt s3://b/']],
    ['(cd x && aws ec2 describe-vpcs)', ['ec2 describe-vpcs']],
    ['{ aws sts get-caller-identity; }', ['sts get-caller-identity']],
    ['if aws s3 ls s3://b; then aws s3 rb s3://b; fi', ['s3 ls s3://b', 's3 rb s3://b']],
    ['env -i PATH=/usr/bin aws s3 ls', ['s3 ls']],
    ['nohup aws s3 sync . s3://b > log 2>&1 &', ['s3 sync . s3://b']],
    [
      'x=$(aws sts get-caller-identity --query Account --output text) && echo $x',
      ['sts get-caller-identity --query Account --output text'],
    ],
    ['echo `aws s3 ls`', ['s3 ls']],
    ['aws s3 ls # aws s3 rb s3://x', ['s3 ls']],
    ["sh -c 'aws s3 rm s3://b/k'", ['s3 rm s3://b/k']],
    ['grep -r aws .', []],
    ['echo "use aws"', []],
    ['git commit -m "aws s3 rm is now in plan.md"', []],
  ])('%s', (line, expected) => {
    expect(argvs(line)).toEqual(expected);
  });
  it('a quoted mention is data, not a command to note', () => {
    expect(scanShell('git commit -m "run aws s3 rm later"').problems).toEqual([]);
    expect(scanShell("alias x='aws s3 rm'; x s3://b/k").problems).toEqual([]);
    expect(scanShell('myaws=1; f aws s3 rm s3://b/k').problems).toEqual([
      'mentions aws in a way not analysed',
    ]);
  });
  it('reports what it does not understand', () => {
    expect(scanShell("aws s3 rm 's3://b/k").problems).toEqual(['unterminated single quote']);
    expect(scanShell('eval "aws s3 rm s3://b/k"').problems).toEqual(['eval: not analysed']);
    expect(scanShell('$AWS_CLI s3 rm s3://b/k').problems[0]).toMatch(/expansion/);
    expect(scanShell('cat <<EOF\nx\nEOF').problems).toEqual(['here-document not analysed']);
  });
  it('marks xargs and expansions', () => {
    const [c] = scanShell('ls | xargs -I{} aws s3 rm s3://b/{}').calls;
    expect(c).toMatchObject({ viaXargs: true, argv: ['s3', 'rm', 's3://b/{}'] });
    expect(scanShell('aws s3 rb "s3://$B"').calls[0]!.hasExpansion).toBe(true);
  });
});
