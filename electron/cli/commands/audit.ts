// `elevate audit`: the audit log (approvals, voided approvals, elevations, handoffs, expiries, drops...).
import { readAudit, type AuditRecord } from '../../node/audit';
import { files } from '../../node/paths';
import { parse } from '../args';
import { palette } from '../color';
import { localDateTime } from '../format';
import { defineCommand, usageOf } from '../help';
import { json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'audit',
  usage: ['audit [--type TYPE] [--session ID] [--limit N] [--json]'],
  options: {
    json: { type: 'boolean', help: 'print the records as JSON (times in ISO 8601)' },
    type: {
      type: 'string',
      arg: 'TYPE',
      help: 'only records of this type (approval, elevation, handoff, expiry, drop...)',
    },
    session: { type: 'string', arg: 'ID', help: 'only records of this session' },
    limit: { type: 'string', arg: 'N', help: 'the last N records (default 200)' },
  },
  examples: [
    ['elevate audit --limit 20', 'the last 20 records'],
    ['elevate audit --type elevation --json', 'every elevation as JSON'],
  ],
});
export const usage = usageOf(spec);

/** Fields shown first, in this order; the rest follow as key=value. */
const LEAD = [
  'sessionId',
  'tier',
  'profile',
  'roleSessionName',
  'cwd',
  'planHash',
  'minutes',
  'deadline',
  'reason',
];

export function formatAuditLine(r: AuditRecord): string {
  const parts: string[] = [];
  const keys = [
    ...LEAD,
    ...Object.keys(r)
      .filter((k) => !LEAD.includes(k) && k !== 'time' && k !== 'type')
      .sort(),
  ];
  for (const k of keys) {
    const v = r[k];
    if (v === undefined || v === null || v === '') continue;
    let s = typeof v === 'string' ? v : JSON.stringify(v);
    if (k === 'planHash' || k === 'currentHash') s = s.slice(0, 12);
    parts.push(`${k}=${/\s/.test(s) ? JSON.stringify(s) : s}`);
  }
  return `${localDateTime(r.time)}  ${String(r.type).padEnd(15)} ${parts.join(' ')}`;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  let limit = 200;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new UsageError(`--limit must be a positive whole number\nusage: ${usage}`);
  }
  let records = readAudit(process.env, 100_000);
  if (values.type) records = records.filter((r) => r.type === values.type);
  if (values.session) records = records.filter((r) => r.sessionId === values.session);
  records = records.slice(-limit);
  if (values.json) {
    json({ file: files.audit(), records });
    return 0;
  }
  if (records.length === 0) {
    out(`no audit lines${values.type || values.session ? ' match' : ''} (${files.audit()})`);
    return 0;
  }
  const c = palette();
  out(c.bold(`${'TIME'.padEnd(19)}  ${'TYPE'.padEnd(15)} DETAILS`));
  out(records.map(formatAuditLine).join('\n'));
  return 0;
}
