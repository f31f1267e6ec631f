// Claude Code hooks of an Elevate session (pure): what `elevate hook <event>` answers, and the `hooks` +
// `statusLine` block passed with `claude --settings` for that one session (never the user's files).
//
// Contract relied on: the Claude Code hooks reference (https://code.claude.com/docs/en/hooks) and status
// line page (https://code.claude.com/docs/en/statusline), read 2026-12 through copies found by the docs /
// pages search: docs.anthropic.com/de/docs/claude-code/hooks (settings structure, matchers, timeout),
// spybara.com/anthropic/claude-code/history/docs/en/… (the docs' own diff: PreToolUse moving to
// hookSpecificOutput.permissionDecision / permissionDecisionReason), docs.anthropic.com/{pt,es}/docs/
// claude-code/statusline and docs.claude.com/ja/docs/claude-code/statusline (statusLine: command, JSON
// on stdin, first stdout line), www.hawacode.com/en/docs/hooks-post-tool-use-failure.html and the Agent
// SDK's PostToolUseFailureHookInput (error, is_interrupt; additionalContext output):
//   - Input: JSON on stdin with session_id, transcript_path, cwd, permission_mode, hook_event_name, plus
//     per event: SessionStart `source` (startup|resume|clear|compact); PreToolUse `tool_name`,
//     `tool_input` (Bash: `command`, `description`, `timeout`), `tool_use_id`; PostToolUse
//     `tool_response`; PostToolUseFailure `error` (string), `is_interrupt`.
//   - Exit 0 with JSON on stdout: `hookSpecificOutput.hookEventName` = the event;
//     PreToolUse: `permissionDecision` allow|deny|ask (+ `permissionDecisionReason`: shown to Claude on
//     deny, to the user on ask), or only `additionalContext`; SessionStart / PostToolUse /
//     PostToolUseFailure: `additionalContext` (added to Claude's context). Exit 0 with no output: no
//     effect (the tool call proceeds through the normal permission flow). Exit 2 blocks (never used
//     here: a broken hook must not block the agent); other exit codes are non-blocking errors.
//   - Settings: `hooks: { Event: [{ matcher, hooks: [{ type: 'command', command, timeout (s) }] }] }`;
//     `statusLine: { type: 'command', command, padding }`: JSON session data on stdin, the first line of
//     stdout is the status line.
// The hook is a guide: IAM stays the boundary. A command we do not understand passes with a note.
import type { Tier } from '../types';
import { quoteSh, shellLine } from '../quote';
import { parseAwsError } from '../activity';
import { parseAwsCommand } from './awsArgv';
import { commandActions, resolveActions, type ResolvedAction } from './actions';
import { scanShell } from './shell';
import { evaluate, type PolicyDocument } from './policy';
import { isReadLevel, type ActionCatalog } from './types';

export type HookEvent =
  'session-start' | 'pre-tool-use' | 'post-tool-use' | 'post-tool-use-failure' | 'statusline';
export const HOOK_EVENTS: readonly HookEvent[] = [
  'session-start',
  'pre-tool-use',
  'post-tool-use',
  'post-tool-use-failure',
  'statusline',
];

/** What the hook knows about its session (from the environment Elevate set, and the session spec). */
export interface HookSession {
  sessionId: string | null;
  tier: Tier | null;
  profile: string | null;
  /** ISO deadline of an elevated session. */
  deadline: string | null;
  /** Plan-scoped elevation: the session policy of the approved plan (null: not plan-scoped). */
  plan: PolicyDocument | null;
  /** Plan file name (default plan.md). */
  planFile?: string;
}

/** Loads the catalog for some `prefix:Action` names (Node side: electron/node/iam/catalog.ts). */
export type CatalogLoader = (actions: string[]) => ActionCatalog;

export interface HookOutput {
  hookSpecificOutput: {
    hookEventName: 'SessionStart' | 'PreToolUse' | 'PostToolUse' | 'PostToolUseFailure';
    permissionDecision?: 'allow' | 'deny' | 'ask';
    permissionDecisionReason?: string;
    additionalContext?: string;
  };
}

export const NEEDS_ELEVATION = 'needs elevation: add it to plan.md';
export const NOT_IN_PLAN = 'not in the approved plan: add it to plan.md and re-approve';

function minutesLeft(deadline: string, now: Date): number | null {
  const t = Date.parse(deadline);
  return Number.isNaN(t) ? null : Math.max(0, Math.ceil((t - now.getTime()) / 60_000));
}

// ---------------------------------------------------------------------------------------------------
// SessionStart
// ---------------------------------------------------------------------------------------------------

export function sessionStartContext(s: HookSession, now: Date): string {
  const plan = s.planFile ?? 'plan.md';
  const lines = ['Elevate session (AWS access managed by Elevate).'];
  if (s.tier === 'elevated') {
    const left = s.deadline ? minutesLeft(s.deadline, now) : null;
    lines.push(
      `Tier: elevated${s.profile ? ` (AWS_PROFILE=${s.profile})` : ''}` +
        (s.deadline ? `, until ${s.deadline}${left !== null ? ` (${left} min left)` : ''}` : '') +
        '. The session ends at the deadline.',
      s.plan
        ? `This elevation is limited to the approved ${plan}: carry it out as written. An action outside it is denied by AWS; if you need one, stop, add it to ${plan} and ask the user to re-approve.`
        : `Carry out the approved ${plan} as written; if it no longer matches what was approved, stop and ask.`,
    );
  } else if (s.tier === 'readonly') {
    lines.push(
      `Tier: readonly${s.profile ? ` (AWS_PROFILE=${s.profile})` : ''}. Use the aws CLI yourself for look-ups (describe/list/get, logs).`,
      `For any change (create, update, delete, put, start, stop...) do not try it: write ${plan} in the project root (goal, exact aws commands, what each changes, how to verify and roll back). The user reviews it and Elevate relaunches you elevated, for a limited time, to carry it out.`,
    );
  } else {
    lines.push('Tier: unknown (no ELEVATE_TIER in the environment).');
  }
  lines.push(
    'IAM, not this prompt, is the boundary: the role behind AWS_PROFILE decides. Do not pass --profile, change AWS_PROFILE or read ~/.aws/credentials. `elevate explain -- aws …` shows what a command needs.',
  );
  return lines.join('\n');
}

export function sessionStartOutput(s: HookSession, now: Date): HookOutput {
  return {
    hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: sessionStartContext(s, now) },
  };
}

// ---------------------------------------------------------------------------------------------------
// PreToolUse
// ---------------------------------------------------------------------------------------------------

export interface AwsCallActions {
  text: string;
  actions: ResolvedAction[];
  notes: string[];
  kind: 'aws' | 'local' | 'unknown';
}

/** The aws calls of a Bash command with their resolved actions, and what was not understood. */
export function analyseCommand(
  command: string,
  load: CatalogLoader,
): { calls: AwsCallActions[]; notes: string[] } {
  const scan = scanShell(command);
  const reqs = scan.calls.map((c) => ({ call: c, req: commandActions(parseAwsCommand(c.argv)) }));
  const catalog = load(reqs.flatMap((r) => r.req.actions.map((a) => a.action)));
  const calls = reqs.map(({ call, req }) => ({
    text: call.text,
    kind: req.kind,
    actions: resolveActions(req.actions, catalog),
    notes: [...req.notes, ...(call.viaXargs ? ['run by xargs: arguments added at run time'] : [])],
  }));
  return { calls, notes: scan.problems };
}

function clip(s: string, n = 160): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Decide a Bash tool call. null: no output (the call passes untouched). */
export function preToolUse(input: unknown, s: HookSession, load: CatalogLoader): HookOutput | null {
  const i = input as { tool_name?: unknown; tool_input?: { command?: unknown } } | null;
  if (!i || typeof i !== 'object' || i.tool_name !== 'Bash') return null;
  const command = i.tool_input?.command;
  if (typeof command !== 'string' || !/aws/i.test(command)) return null;
  const { calls, notes } = analyseCommand(command, load);
  const context: string[] = notes.map(
    (n) => `Elevate could not analyse part of this command (${n}); IAM decides.`,
  );
  const writes: string[] = [];
  const outside: string[] = [];
  for (const c of calls) {
    if (c.kind === 'unknown')
      context.push(
        `Elevate could not map \`${clip(c.text)}\` to IAM actions (${c.notes.join('; ')}); IAM decides.`,
      );
    for (const a of c.actions) {
      if (a.accessLevel === null) {
        context.push(`${a.action} (from \`${clip(c.text)}\`) is not in Elevate's IAM catalog; IAM decides.`);
        continue;
      }
      if (s.tier === 'readonly' && !isReadLevel(a.accessLevel)) writes.push(`${a.action} (${a.accessLevel})`);
      if (s.tier === 'elevated' && s.plan) {
        const res = a.resources.length ? a.resources.map((r) => r.arn) : [undefined];
        const allowed = res.every(
          (r) => evaluate([{ name: 'plan', document: s.plan! }], a.action, r).decision === 'allowed',
        );
        if (!allowed)
          outside.push(
            a.action + (a.resources.length ? ` on ${a.resources.map((r) => r.arn).join(', ')}` : ''),
          );
      }
    }
  }
  const uniq = (xs: string[]) => [...new Set(xs)];
  if (writes.length)
    return {
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason: `${NEEDS_ELEVATION} (read-only session; ${uniq(writes).join(', ')}). Write the exact command in ${s.planFile ?? 'plan.md'} with what it changes; the user approves and Elevate relaunches you elevated.`,
      },
    };
  if (outside.length)
    return {
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'ask',
        permissionDecisionReason: `${NOT_IN_PLAN}: ${uniq(outside).join('; ')}. AWS will deny it under this plan-scoped elevation.`,
      },
    };
  if (context.length)
    return {
      hookSpecificOutput: { hookEventName: 'PreToolUse', additionalContext: uniq(context).join('\n') },
    };
  return null;
}

// ---------------------------------------------------------------------------------------------------
// PostToolUse / PostToolUseFailure
// ---------------------------------------------------------------------------------------------------

function textOf(v: unknown, depth = 0): string {
  if (typeof v === 'string') return v;
  if (!v || typeof v !== 'object' || depth > 3) return '';
  return Object.values(v as Record<string, unknown>)
    .map((x) => textOf(x, depth + 1))
    .filter(Boolean)
    .join('\n');
}

const DENIED_RE =
  /AccessDenied|UnauthorizedOperation|not authorized to perform|AuthorizationError|Access Denied/;

/** AccessDenied in a Bash call's output → the least-privilege hint as context. null: nothing to add. */
export function postToolUse(
  input: unknown,
  s: HookSession,
  load: CatalogLoader,
  event: 'PostToolUse' | 'PostToolUseFailure',
): HookOutput | null {
  const i = input as {
    tool_name?: unknown;
    tool_input?: { command?: unknown };
    tool_response?: unknown;
    error?: unknown;
  } | null;
  if (!i || typeof i !== 'object' || i.tool_name !== 'Bash') return null;
  const out =
    event === 'PostToolUseFailure'
      ? textOf(i.error) + '\n' + textOf(i.tool_response)
      : textOf(i.tool_response);
  if (!DENIED_RE.test(out)) return null;
  const command = typeof i.tool_input?.command === 'string' ? i.tool_input.command : '';
  const scan = scanShell(command);
  const only = scan.calls.length === 1 ? parseAwsCommand(scan.calls[0]!.argv) : undefined;
  const err = parseAwsError(
    out.slice(-8000),
    only ? { service: only.service, operation: only.operation } : undefined,
  );
  if (!err.denied) return null;
  const action = err.denied.action;
  const info = resolveActions([{ action, resources: [] }], load([action]))[0]!;
  const level = info.accessLevel;
  const plan = s.planFile ?? 'plan.md';
  const on = err.denied.resource ? ` on ${err.denied.resource}` : '';
  let hint: string;
  if (err.denied.reason.startsWith('explicit-deny'))
    hint = `${action}${on} is explicitly denied (${err.denied.reason.replace('explicit-deny-', '').replace('explicit-deny', 'a Deny statement')}): an Allow will not help; do not retry. Tell the user which policy denies it.`;
  else if (s.tier === 'readonly' && !isReadLevel(level))
    hint = `${action}${on} is a ${level ?? 'non-read'} action: ${NEEDS_ELEVATION}. Write the exact command in ${plan}; the user approves and Elevate relaunches you elevated. Do not retry or work around it.`;
  else if (s.tier === 'readonly')
    hint = `The read-only role lacks ${action}${on} (${level}). Name it in your answer; the user can add it with the statement \`elevate policy-hints\` prints (least privilege: this action only).`;
  else if (s.tier === 'elevated' && s.plan)
    hint = `${action}${on} is ${NOT_IN_PLAN}. Stop; do not work around it.`;
  else
    hint = `The elevated role lacks ${action}${on}${level ? ` (${level})` : ''}. Tell the user; \`elevate policy-hints\` prints the least-privilege statement.`;
  return { hookSpecificOutput: { hookEventName: event, additionalContext: `Elevate: ${hint}` } };
}

// ---------------------------------------------------------------------------------------------------
// Status line
// ---------------------------------------------------------------------------------------------------

export function statusLine(s: HookSession, now: Date): string {
  const profile = s.profile ? ` · ${s.profile}` : '';
  if (s.tier === 'elevated') {
    const left = s.deadline ? minutesLeft(s.deadline, now) : null;
    return `Elevate: ELEVATED${s.plan ? ' (plan)' : ''}${profile}${left !== null ? ` · ${left} min left` : ''}`;
  }
  if (s.tier === 'readonly') return `Elevate: read-only${profile}`;
  return 'Elevate: no tier';
}

// ---------------------------------------------------------------------------------------------------
// Settings for `claude --settings`
// ---------------------------------------------------------------------------------------------------

export interface HookSettingsOptions {
  /**
   * argv that runs the hooks, the event name is appended: the small hook bundle
   * (`[node, '<out/cli>/elevate-hook.cjs']`, electron/node/iam/hookCommand.ts hookArgv()) or the elevate
   * CLI followed by 'hook' (`[node, '<out/cli>/elevate.cjs', 'hook']`). Same contract; the first starts faster.
   */
  hookArgv: readonly string[];
  /** Per hook timeout in seconds (default 10). */
  timeoutSeconds?: number;
}

export interface HookSettings {
  hooks: Record<
    string,
    Array<{ matcher?: string; hooks: Array<{ type: 'command'; command: string; timeout: number }> }>
  >;
  statusLine: { type: 'command'; command: string; padding: number };
}

/**
 * The `hooks` and `statusLine` keys to merge into the JSON passed with `claude --settings` for one
 * session. Commands are shell lines (Claude Code runs hook commands through a shell), quoted for sh.
 */
export function hookSettings(opts: HookSettingsOptions): HookSettings {
  if (!opts.hookArgv.length) throw new Error('hookSettings: hookArgv is empty');
  const timeout = opts.timeoutSeconds ?? 10;
  const cmd = (event: HookEvent) => shellLine([...opts.hookArgv, event], quoteSh);
  const entry = (event: HookEvent, matcher?: string) => [
    { ...(matcher ? { matcher } : {}), hooks: [{ type: 'command' as const, command: cmd(event), timeout }] },
  ];
  return {
    hooks: {
      SessionStart: entry('session-start', 'startup|resume|clear|compact'),
      PreToolUse: entry('pre-tool-use', 'Bash'),
      PostToolUse: entry('post-tool-use', 'Bash'),
      PostToolUseFailure: entry('post-tool-use-failure', 'Bash'),
    },
    statusLine: { type: 'command', command: cmd('statusline'), padding: 0 },
  };
}
