// `elevate activity`: the aws calls made inside Elevate-launched sessions ($ELEVATE_HOME/activity.jsonl,
// written by the session `aws` shim). Service, operation, flag names, exit code, duration and the denied
// IAM action; never argument values or output.
import type { ActivityRecord } from '../../../shared/activity';
import { activityLogPath, readActivity } from '../../node/activity';
import { parse } from '../args';
import { localDateTime } from '../format';
import { defineCommand, usageOf } from '../help';
import { json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'activity',
  usage: ['activity [--session ID] [--limit N] [--json]'],
  options: {
    session: { type: 'string', arg: 'ID', help: 'only calls of this session' },
    limit: { type: 'string', arg: 'N', help: 'the last N calls' },
    json: { type: 'boolean', help: 'print as JSON (times in ISO 8601)' },
  },
  examples: [
    ['elevate activity', 'aws calls by session, denied actions marked'],
    ['elevate activity --session 01J... --json', 'one session as JSON'],
  ],
});
export const usage = usageOf(spec);

export interface SessionActivity {
  sessionId: string | null;
  tier: string | null;
  profile: string | null;
  calls: number;
  denied: number;
  failed: number;
  first: string;
  last: string;
  records: ActivityRecord[];
}

export function groupBySession(records: readonly ActivityRecord[]): SessionActivity[] {
  const map = new Map<string, SessionActivity>();
  for (const r of records) {
    const key = r.sessionId ?? '(none)';
    const g =
      map.get(key) ??
      ({
        sessionId: r.sessionId,
        tier: r.tier,
        profile: r.profile,
        calls: 0,
        denied: 0,
        failed: 0,
        first: r.time,
        last: r.time,
        records: [],
      } satisfies SessionActivity);
    g.calls++;
    if (r.denied) g.denied++;
    if (r.exitCode !== 0) g.failed++;
    if (r.time < g.first) g.first = r.time;
    if (r.time > g.last) g.last = r.time;
    g.records.push(r);
    map.set(key, g);
  }
  return [...map.values()].sort((a, b) => a.first.localeCompare(b.first));
}

export function formatCall(r: ActivityRecord): string {
  const cmd = ['aws', r.service ?? '', r.operation ?? ''].filter(Boolean).join(' ');
  const status = r.signal ? r.signal : `exit ${r.exitCode ?? '?'}`;
  let line = `  ${localDateTime(r.time)}  ${cmd.padEnd(40)} ${status.padEnd(9)} ${String(r.durationMs).padStart(6)} ms`;
  if (r.profileArg) line += `  --profile ${r.profileArg}`;
  if (r.denied)
    line += `\n      DENIED ${r.denied.action}${r.denied.resource ? ` on ${r.denied.resource}` : ''}${r.denied.inferred ? ' (action inferred from the operation)' : ''}`;
  else if (r.errorCode) line += `  ${r.errorCode}`;
  return line;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  let limit = 0;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new UsageError(`--limit: expected a positive integer\nusage: ${usage}`);
  }
  let records = readActivity(process.env, { sessionId: values.session });
  if (limit) records = records.slice(-limit);
  const sessions = groupBySession(records);
  if (values.json) {
    json({ log: activityLogPath(process.env), total: records.length, sessions });
    return 0;
  }
  if (!records.length) {
    out(
      values.session
        ? `no aws calls recorded for session ${values.session} (${activityLogPath(process.env)})`
        : `no aws calls recorded yet (${activityLogPath(process.env)}); sessions launched by Elevate record them`,
    );
    return 0;
  }
  for (const s of sessions) {
    out(
      `session ${s.sessionId ?? '(none)'} · ${s.tier ?? 'no tier'}${s.profile ? ` · ${s.profile}` : ''} · ${s.calls} call(s), ${s.failed} failed, ${s.denied} denied`,
    );
    for (const r of s.records) out(formatCall(r));
  }
  if (sessions.some((s) => s.denied))
    out('\nRun "elevate policy-hints" for the IAM statements these denials suggest.');
  return 0;
}
