// `elevate sessions [--all] [--json]` lists live sessions; `elevate sessions drop ID` ends one early.
import { isLive, listSessions, readSession, type SessionSpec } from '../../node/sessions';
import { dropSession } from '../../node/runner';
import { parse } from '../args';
import { CliError, json, out, UsageError } from '../io';

export const usage = 'elevate sessions [--all] [--json] | elevate sessions drop ID [--json]';

function row(s: SessionSpec, live: boolean) {
  return {
    id: s.id,
    kind: s.kind,
    tier: s.tier,
    profile: s.profile,
    cwd: s.cwd,
    live,
    createdAt: s.createdAt,
    startedAt: s.startedAt ?? null,
    deadline: s.deadline ?? null,
    endedAt: s.endedAt ?? null,
    endReason: s.endReason ?? null,
    exitCode: s.exitCode ?? null,
    pid: s.pid ?? null,
    runnerPid: s.runnerPid ?? null,
    terminal: s.terminal ?? null,
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, all: { type: 'boolean' } });
  if (positionals[0] === 'drop') {
    const id = positionals[1];
    if (!id || positionals.length > 2) throw new UsageError(`usage: ${usage}`);
    let spec: SessionSpec;
    try {
      spec = readSession(id);
    } catch (e) {
      throw new CliError('no-session', (e as Error).message);
    }
    if (!isLive(spec)) throw new CliError('not-live', `session ${id} is not running`);
    const r = await dropSession(id, { by: 'cli' });
    if (values.json) json({ dropped: row(r.spec, false), forced: r.forced });
    else out(`dropped session ${id}${r.forced ? ' (runner did not answer: processes killed)' : ''}`);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  const rows = listSessions()
    .map((s) => row(s, isLive(s)))
    .filter((r) => values.all || r.live);
  if (values.json) {
    json({ sessions: rows });
    return 0;
  }
  if (!rows.length) {
    out(values.all ? 'no sessions' : 'no live sessions');
    return 0;
  }
  for (const r of rows) {
    const left = r.deadline ? ` · ends ${r.deadline}` : '';
    const state = r.live ? (r.startedAt ? 'running' : 'starting') : `ended (${r.endReason ?? '?'})`;
    out(`${r.id}  ${r.tier ?? r.kind}  ${r.profile ?? '-'}  ${state}${left}  ${r.cwd}`);
  }
  return 0;
}
