// `elevate hook <session-start|pre-tool-use|post-tool-use|post-tool-use-failure|statusline>`: the Claude
// Code hooks of an Elevate session (installed per session through `claude --settings`, see
// shared/iam/hooks.ts hookSettings). Reads the hook JSON on stdin, answers in the documented output
// format (https://code.claude.com/docs/en/hooks, https://code.claude.com/docs/en/statusline).
//
// Never in the agent's way: malformed or unexpected input, a missing catalog, any error → exit 0 with
// no decision (the tool call proceeds; IAM stays the boundary), logged to
// $ELEVATE_HOME/sessions/<id>/hooks.log (or stderr outside a session). No command text or output is
// logged, only the event and what went wrong. Loads no AWS SDK and only the iam-data services named.
//
// Session facts come from the environment Elevate sets for the session: ELEVATE_SESSION_ID,
// ELEVATE_TIER, AWS_PROFILE; the deadline from the session spec ($ELEVATE_HOME/sessions/<id>.json);
// a plan-scoped elevation from ELEVATE_PLAN_ACTIONS: path of a JSON file holding the session policy
// of the approved plan (planSessionPolicy().policy) or `{ "actions": ["s3:PutObject", …] }`.
import fs from 'node:fs';
import path from 'node:path';
import {
  HOOK_EVENTS,
  postToolUse,
  preToolUse,
  sessionStartOutput,
  statusLine,
  type HookEvent,
  type HookOutput,
  type HookSession,
} from '../../../shared/iam/hooks';
import type { PolicyDocument } from '../../../shared/iam/policy';
import { isTier } from '../../../shared/types';
import { loadCatalog } from '../../node/iam/catalog';
import { elevateHome } from '../../node/paths';
import { readSession, SESSION_ID_RE } from '../../node/sessions';

export const usage = `elevate hook <${HOOK_EVENTS.join('|')}>   (Claude Code hook: JSON on stdin)`;

type Env = Record<string, string | undefined>;

function sessionDir(env: Env): string | null {
  const id = env.ELEVATE_SESSION_ID;
  return id && SESSION_ID_RE.test(id) ? path.join(elevateHome(env), 'sessions', id) : null;
}

/** One line per problem; never the command, its output or any value from the input. */
export function logHook(env: Env, event: string, message: string): void {
  const line = `${new Date().toISOString()} ${event} ${message.replace(/\s+/g, ' ').slice(0, 300)}\n`;
  const dir = sessionDir(env);
  try {
    if (!dir) throw new Error('no session');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.appendFileSync(path.join(dir, 'hooks.log'), line, { mode: 0o600 });
  } catch {
    try {
      process.stderr.write(`elevate hook: ${line}`);
    } catch {
      /* nowhere to log */
    }
  }
}

function readPlan(file: string | undefined, env: Env): PolicyDocument | null {
  if (!file) return null;
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      Statement?: unknown;
      actions?: unknown;
      policy?: unknown;
    };
    const doc = (j.policy && typeof j.policy === 'object' ? j.policy : j) as {
      Statement?: unknown;
      actions?: unknown;
    };
    if (doc.Statement) return doc as PolicyDocument;
    if (Array.isArray(doc.actions) && doc.actions.every((a) => typeof a === 'string'))
      return {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: doc.actions as string[], Resource: '*' }],
      };
    logHook(env, 'plan', 'ELEVATE_PLAN_ACTIONS file has neither Statement nor actions: not plan-scoped');
  } catch (e) {
    logHook(env, 'plan', `cannot read ELEVATE_PLAN_ACTIONS: ${(e as Error).message}`);
  }
  return null;
}

export function hookSession(env: Env): HookSession {
  const id =
    env.ELEVATE_SESSION_ID && SESSION_ID_RE.test(env.ELEVATE_SESSION_ID) ? env.ELEVATE_SESSION_ID : null;
  const tier = isTier(env.ELEVATE_TIER) ? env.ELEVATE_TIER : null;
  let deadline: string | null = null;
  if (id && tier === 'elevated') {
    try {
      deadline = readSession(id, env).deadline ?? null;
    } catch (e) {
      logHook(env, 'session', `cannot read the session spec: ${(e as Error).message}`);
    }
  }
  return {
    sessionId: id,
    tier,
    profile: env.AWS_PROFILE ?? null,
    deadline,
    plan: readPlan(env.ELEVATE_PLAN_ACTIONS, env),
  };
}

async function readStdin(limit = 4 * 1024 * 1024): Promise<string> {
  if (process.stdin.isTTY) return '';
  // Synchronous read of the pipe: avoids setting up a stream (~10-20 ms of a hook's start-up). A
  // non-blocking stdin (EAGAIN) falls back to the stream.
  try {
    const buf = fs.readFileSync(0);
    if (buf.length > limit) throw new Error(`input over ${limit} bytes`);
    return buf.toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of process.stdin as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) throw new Error(`input over ${limit} bytes`);
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const EVENT_NAME: Record<HookEvent, string> = {
  'session-start': 'SessionStart',
  'pre-tool-use': 'PreToolUse',
  'post-tool-use': 'PostToolUse',
  'post-tool-use-failure': 'PostToolUseFailure',
  statusline: 'statusLine',
};

export async function run(argv: string[]): Promise<number> {
  const event = argv[0] as HookEvent;
  if (!HOOK_EVENTS.includes(event) || argv.length > 1) {
    // Not through electron/cli/io (it loads settings and zod): this file is also its own small bundle.
    process.stderr.write(`usage: ${usage}\n`);
    return 2;
  }
  const env = process.env;
  let output: HookOutput | string | null = null;
  try {
    const raw = await readStdin();
    let input: unknown = null;
    try {
      input = raw.trim() ? JSON.parse(raw) : null;
    } catch {
      logHook(env, event, `malformed JSON on stdin (${raw.length} bytes): allowed`);
    }
    if (input !== null && (typeof input !== 'object' || Array.isArray(input))) {
      logHook(env, event, 'stdin is JSON but not an object: allowed');
      input = null;
    }
    const name = (input as { hook_event_name?: unknown } | null)?.hook_event_name;
    if (input && name !== undefined && name !== EVENT_NAME[event] && event !== 'statusline')
      logHook(env, event, `hook_event_name ${String(name).slice(0, 40)} differs from the command's event`);
    const s = hookSession(env);
    const now = new Date();
    switch (event) {
      case 'session-start':
        output = sessionStartOutput(s, now);
        break;
      case 'statusline':
        output = statusLine(s, now);
        break;
      case 'pre-tool-use':
        output = input ? preToolUse(input, s, loadCatalog) : null;
        break;
      case 'post-tool-use':
        output = input ? postToolUse(input, s, loadCatalog, 'PostToolUse') : null;
        break;
      case 'post-tool-use-failure':
        output = input ? postToolUse(input, s, loadCatalog, 'PostToolUseFailure') : null;
        break;
    }
  } catch (e) {
    logHook(env, event, `error, allowed: ${(e as Error).message}`);
    output = event === 'statusline' ? 'Elevate' : null;
  }
  if (typeof output === 'string') process.stdout.write(`${output}\n`);
  else if (output) process.stdout.write(`${JSON.stringify(output)}\n`);
  return 0;
}
