// `elevate sessions [--all] [--json]` lists live sessions; `elevate sessions drop ID` ends one early.
import { isLive, listSessions, readSession, type SessionSpec } from '../../node/sessions';
import { dropSession } from '../../node/runner';
import { parse } from '../args';
import { palette } from '../color';
import { table, until } from '../format';
import { defineCommand, usageOf } from '../help';
import { CliError, json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'sessions',
  usage: ['sessions [--all] [--json]', 'sessions drop ID [--json]'],
  args: [['drop ID', 'end a live session early (its broker stops giving credentials, its processes end)']],
  options: {
    all: { type: 'boolean', help: 'include ended sessions (with why they ended)' },
    json: { type: 'boolean', help: 'print the sessions (or the dropped one) as JSON, deadlines in ISO 8601' },
  },
  examples: [
    ['elevate sessions', 'live sessions: id, tier, profile, state, deadline with time left, folder'],
    ['elevate sessions --all --json', 'every session, ended ones too, as JSON'],
    ['elevate sessions drop 20261124150000-abcd1234', 'end that session now'],
  ],
  notes: 'exit codes: 0 ok, 1 no such session or not running, 2 bad input',
});
export const usage = usageOf(spec);

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
  const { values, positionals } = parse(argv, spec);
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
  const c = palette();
  const now = new Date();
  out(
    table(
      ['ID', 'TIER', 'PROFILE', 'STATE', 'DEADLINE', 'FOLDER'],
      rows.map((r) => [
        r.id,
        r.tier === 'elevated' ? c.yellow(r.tier) : r.tier === 'readonly' ? c.green(r.tier) : r.kind,
        r.profile ?? '-',
        r.live ? (r.startedAt ? 'running' : 'starting') : `ended (${r.endReason ?? '?'})`,
        r.deadline ? (r.live ? until(r.deadline, now) : r.deadline) : '-',
        r.cwd,
      ]),
      { header: c.bold },
    ),
  );
  return 0;
}
