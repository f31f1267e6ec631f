// Contract tests of `elevate hook <event>` (the built CLI, spawned as Claude Code spawns hooks): the
// documented hook input JSON on stdin (https://code.claude.com/docs/en/hooks), malformed input, exit
// codes and the stdout JSON. The hook must never block or crash the agent's tool call.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeSandbox, runCli, type Sandbox } from '../helpers/cli';
import { writeSession } from '../../electron/node/sessions';

let sb: Sandbox;
const ID = '20261202-hooktest1';

beforeEach(() => {
  sb = makeSandbox('elevate-hook-');
  fs.mkdirSync(sb.env.ELEVATE_HOME!, { recursive: true });
});

function env(tier: 'readonly' | 'elevated' | null, extra: Record<string, string> = {}) {
  return {
    ...sb.env,
    ...(tier ? { ELEVATE_TIER: tier, AWS_PROFILE: `claudecode-${tier}` } : {}),
    ELEVATE_SESSION_ID: ID,
    ...extra,
  };
}

/** The PreToolUse input of the hooks reference for a Bash call. */
function bash(command: string, event = 'PreToolUse', more: Record<string, unknown> = {}) {
  return JSON.stringify({
    session_id: 'abc123',
    transcript_path: '/tmp/t.jsonl',
    cwd: '/tmp',
    permission_mode: 'default',
    hook_event_name: event,
    tool_name: 'Bash',
    tool_input: { command, description: 'run it', timeout: 120000 },
    tool_use_id: 'toolu_01ABC123',
    ...more,
  });
}

function hook(event: string, input: string, e: Record<string, string>) {
  const r = runCli(['hook', event], e, { input });
  expect(r.status, r.stderr).toBe(0);
  if (event === 'statusline') return { ...r, json: null };
  return {
    ...r,
    json: r.stdout.trim() ? (JSON.parse(r.stdout) as { hookSpecificOutput: Record<string, string> }) : null,
  };
}

function writeSpec(deadline?: string) {
  writeSession(
    {
      id: ID,
      kind: 'claude',
      tier: deadline ? 'elevated' : 'readonly',
      profile: 'p',
      cwd: '/tmp',
      argv: ['claude'],
      env: { set: {}, unset: [] },
      title: 't',
      createdAt: new Date().toISOString(),
      ...(deadline ? { deadline } : {}),
    },
    sb.env,
  );
}

describe('elevate hook pre-tool-use', () => {
  it('read-only: a write is denied with "needs elevation: add it to plan.md"', () => {
    const r = hook('pre-tool-use', bash('aws s3 mb s3://new-bucket'), env('readonly'));
    expect(r.json).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason: expect.stringMatching(
          /^needs elevation: add it to plan\.md .*s3:CreateBucket \(Write\)/,
        ),
      },
    });
  });
  it('read-only: reads pass untouched (no output)', () => {
    expect(
      hook(
        'pre-tool-use',
        bash('aws s3 ls && aws ec2 describe-instances --region eu-west-1'),
        env('readonly'),
      ).stdout,
    ).toBe('');
    expect(hook('pre-tool-use', bash('npm test'), env('readonly')).stdout).toBe('');
  });
  it('compound commands are parsed: pipes, xargs, $( ), env prefixes, command, full paths', () => {
    for (const cmd of [
      "aws s3 ls | awk '{print $3}' | xargs -n1 aws s3 rb --force",
      'echo "$(aws iam create-user --user-name x)"',
      'cd infra; AWS_REGION=us-east-1 command /usr/local/bin/aws cloudformation delete-stack --stack-name s',
      'true && bash -c "aws ec2 terminate-instances --instance-ids i-1"',
      'for b in a b; do aws s3api put-bucket-policy --bucket "$b" --policy file://p.json; done',
    ]) {
      const r = hook('pre-tool-use', bash(cmd), env('readonly'));
      expect(r.json?.hookSpecificOutput.permissionDecision, cmd).toBe('deny');
    }
  });
  it('not understood: passed with a note (no decision)', () => {
    for (const cmd of [
      '$AWS s3 rm s3://b/k',
      'cat <<EOF | sh\naws s3 rm s3://b/k\nEOF',
      'aws ec2 describe-instancez',
    ]) {
      const r = hook('pre-tool-use', bash(cmd), env('readonly'));
      expect(r.json?.hookSpecificOutput.hookEventName, cmd).toBe('PreToolUse');
      expect(r.json?.hookSpecificOutput.permissionDecision, cmd).toBeUndefined();
      expect(r.json?.hookSpecificOutput.additionalContext, cmd).toMatch(/IAM decides/);
    }
  });
  it('elevated without a plan scope: everything passes untouched', () => {
    writeSpec(new Date(Date.now() + 30 * 60_000).toISOString());
    expect(hook('pre-tool-use', bash('aws s3 rb s3://x --force'), env('elevated')).stdout).toBe('');
  });
  it('plan-scoped elevation: in-plan passes, out-of-plan asks', () => {
    const plan = path.join(sb.root, 'plan-policy.json');
    fs.writeFileSync(
      plan,
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:PutObject'], Resource: ['arn:aws:s3:::site/*'] },
          { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::site'] },
        ],
      }),
    );
    const e = env('elevated', { ELEVATE_PLAN_ACTIONS: plan });
    expect(hook('pre-tool-use', bash('aws s3 sync ./dist s3://site'), e).stdout).toBe('');
    const out = hook('pre-tool-use', bash('aws s3 cp x s3://other/x'), e).json!;
    expect(out.hookSpecificOutput.permissionDecision).toBe('ask');
    expect(out.hookSpecificOutput.permissionDecisionReason).toMatch(
      /^not in the approved plan: .*s3:PutObject on arn:aws:s3:::other\/x/,
    );
    expect(
      hook('pre-tool-use', bash('aws ec2 terminate-instances --instance-ids i-1'), e).json!.hookSpecificOutput
        .permissionDecision,
    ).toBe('ask');
    // The `{actions: [...]}` form too.
    fs.writeFileSync(plan, JSON.stringify({ actions: ['ec2:TerminateInstances'] }));
    expect(hook('pre-tool-use', bash('aws ec2 terminate-instances --instance-ids i-1'), e).stdout).toBe('');
  });
  it('other tools, unknown fields and malformed input: allowed (exit 0, no output), logged', () => {
    const e = env('readonly');
    expect(
      hook('pre-tool-use', JSON.stringify({ tool_name: 'Edit', tool_input: { file_path: '/x' } }), e).stdout,
    ).toBe('');
    const extra = JSON.parse(bash('aws s3 mb s3://x')) as Record<string, unknown>;
    extra.future_field = { nested: [1, 2] };
    expect(hook('pre-tool-use', JSON.stringify(extra), e).json!.hookSpecificOutput.permissionDecision).toBe(
      'deny',
    );
    for (const bad of [
      '{"tool_name": "Bash", "tool_input": {"command": "aws s3 mb s3://x"',
      '[1,2]',
      '',
      'null',
      '{"tool_name":"Bash","tool_input":{"command":42}}',
      '{"tool_name":"Bash","tool_input":"aws s3 mb s3://x"}',
    ])
      expect(hook('pre-tool-use', bad, e).stdout, bad).toBe('');
    const log = fs.readFileSync(path.join(sb.env.ELEVATE_HOME!, 'sessions', ID, 'hooks.log'), 'utf8');
    expect(log).toMatch(/pre-tool-use malformed JSON on stdin/);
    expect(log).not.toContain('s3://x'); // never the command text
  });
  it('unknown event: usage error (exit 2), never reached by the settings block', () => {
    expect(runCli(['hook', 'pre-tool'], env('readonly'), { input: '{}' }).status).toBe(2);
  });
});

describe('elevate hook session-start / statusline', () => {
  it('session-start: tier, profile, plan.md workflow and the IAM boundary as additionalContext', () => {
    const r = hook(
      'session-start',
      JSON.stringify({ session_id: 'a', hook_event_name: 'SessionStart', source: 'startup', model: 'x' }),
      env('readonly'),
    );
    const c = r.json!.hookSpecificOutput;
    expect(c.hookEventName).toBe('SessionStart');
    expect(c.additionalContext).toMatch(/Tier: readonly \(AWS_PROFILE=claudecode-readonly\)/);
    expect(c.additionalContext).toMatch(/plan\.md/);
    expect(c.additionalContext).toMatch(/IAM, not this prompt, is the boundary/);
  });
  it('session-start (resume) elevated: the deadline from the session spec', () => {
    const deadline = new Date(Date.now() + 20 * 60_000).toISOString();
    writeSpec(deadline);
    const c = hook(
      'session-start',
      JSON.stringify({ hook_event_name: 'SessionStart', source: 'resume' }),
      env('elevated'),
    ).json!.hookSpecificOutput;
    expect(c.additionalContext).toContain(`until ${deadline} (20 min left)`);
  });
  it('statusline: tier and time left (first stdout line)', () => {
    writeSpec(new Date(Date.now() + 9.5 * 60_000).toISOString());
    expect(hook('statusline', '{"model":{"display_name":"Opus"}}', env('elevated')).stdout).toBe(
      'Elevate: ELEVATED · claudecode-elevated · 10 min left\n',
    );
    expect(hook('statusline', 'not json', env('readonly')).stdout).toBe(
      'Elevate: read-only · claudecode-readonly\n',
    );
  });
});

describe('elevate hook post-tool-use / post-tool-use-failure', () => {
  const denied =
    'An error occurred (AccessDeniedException) when calling the SendCommand operation: User: arn:aws:sts::1:assumed-role/ro/s is not authorized to perform: ssm:SendCommand on resource: arn:aws:ec2:us-east-1:1:instance/i-1 because no identity-based policy allows the ssm:SendCommand action';
  it('AccessDenied in the failure → least-privilege hint as context', () => {
    const r = hook(
      'post-tool-use-failure',
      bash(
        'aws ssm send-command --instance-ids i-1 --document-name AWS-RunShellScript',
        'PostToolUseFailure',
        {
          error: `Exit code 254\n${denied}`,
          is_interrupt: false,
        },
      ),
      env('readonly'),
    );
    expect(r.json).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PostToolUseFailure',
        additionalContext: expect.stringMatching(
          /ssm:SendCommand on arn:aws:ec2:us-east-1:1:instance\/i-1 is a Write action: needs elevation: add it to plan\.md/,
        ),
      },
    });
  });
  it('a denied read under read-only → name the action, policy-hints', () => {
    const r = hook(
      'post-tool-use',
      bash('aws logs filter-log-events --log-group-name /app', 'PostToolUse', {
        tool_response: {
          stdout: '',
          stderr:
            'An error occurred (AccessDeniedException) when calling the FilterLogEvents operation: User: x is not authorized to perform: logs:FilterLogEvents',
          interrupted: false,
        },
      }),
      env('readonly'),
    );
    expect(r.json!.hookSpecificOutput.additionalContext).toMatch(
      /read-only role lacks logs:FilterLogEvents \(Read\).*elevate policy-hints/,
    );
  });
  it('no AccessDenied, or malformed input → no output', () => {
    expect(
      hook(
        'post-tool-use',
        bash('aws s3 ls', 'PostToolUse', { tool_response: { stdout: 'ok' } }),
        env('readonly'),
      ).stdout,
    ).toBe('');
    expect(hook('post-tool-use-failure', '{"error": 5', env('readonly')).stdout).toBe('');
  });
});
