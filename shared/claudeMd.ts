// The Elevate section of a project's CLAUDE.md / AGENTS.md (pure): what the agent should know about its AWS
// tier. The section sits between markers; an update replaces only the text between them (everything
// outside stays byte-identical), an absent section is appended.
export const BEGIN_MARKER = '<!-- elevate:begin -->';
export const END_MARKER = '<!-- elevate:end -->';

export interface SectionInput {
  readonlyProfile: string | null;
  elevatedProfile: string | null;
  /** Plan file name the handoff watches (default plan.md). */
  planFile?: string;
}

const code = (s: string) => `\`${s.replace(/`/g, '')}\``;

/** The section body, markers included, `\n` line endings, no trailing newline. */
export function elevateSection(i: SectionInput): string {
  const plan = code(i.planFile ?? 'plan.md');
  const ro = i.readonlyProfile ? ` (profile ${code(i.readonlyProfile)})` : '';
  const el = i.elevatedProfile ? ` (profile ${code(i.elevatedProfile)})` : '';
  const lines = [
    BEGIN_MARKER,
    '## AWS access (managed by Elevate)',
    '',
    'You run in an Elevate session. Your tier is in `$ELEVATE_TIER` (`readonly` or `elevated`) and `AWS_PROFILE`',
    'is already set for it: do not pass `--profile`, change `AWS_PROFILE` or read `~/.aws/credentials`.',
    '',
    `- **readonly**${ro}: run the \`aws\` CLI yourself for look-ups`,
    '  (`describe-*`, `list-*`, `get-*`, logs, stack templates) instead of asking the user to run them.',
    '- **readonly**: do not attempt writes (create, update, delete, put, start, stop, send-command...) and do not',
    `  suggest widening the read-only role. Write ${plan} in the project root instead: the goal, the exact`,
    '  commands, what each one changes, how to verify and how to roll back. The user approves it and',
    `  ${i.elevatedProfile ? 'Elevate relaunches you elevated to carry it out.' : 'carries it out (no elevated tier is configured).'}`,
    ...(i.elevatedProfile
      ? [
          `- **elevated**${el}, time-limited: carry out the approved ${plan} as written;`,
          '  if it no longer matches what was approved, stop and ask.',
        ]
      : []),
    '- An AccessDenied on a read: name the denied action in your answer (the user can run `elevate policy-hints`).',
    END_MARKER,
  ];
  return lines.join('\n');
}

export type SectionChange = 'create' | 'append' | 'replace' | 'none';

export class SectionMarkerError extends Error {}

/** Insert or refresh the section; `existing` null = the file does not exist. */
export function upsertSection(
  existing: string | null,
  section: string,
): { text: string; change: SectionChange } {
  if (existing === null || existing === '') {
    return { text: `${section}\n`, change: existing === null ? 'create' : 'append' };
  }
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const body = section.replace(/\n/g, eol);
  const begin = existing.indexOf(BEGIN_MARKER);
  const end = existing.indexOf(END_MARKER);
  if (begin === -1 && end === -1) {
    const sep = existing.endsWith(`${eol}${eol}`) ? '' : existing.endsWith(eol) ? eol : `${eol}${eol}`;
    return { text: `${existing}${sep}${body}${eol}`, change: 'append' };
  }
  if (begin === -1 || end === -1 || end < begin)
    throw new SectionMarkerError(
      `found ${begin === -1 ? END_MARKER : BEGIN_MARKER} without its partner: fix the markers by hand`,
    );
  if (existing.indexOf(BEGIN_MARKER, begin + 1) !== -1 || existing.indexOf(END_MARKER, end + 1) !== -1)
    throw new SectionMarkerError('more than one Elevate section: keep one pair of markers');
  const current = existing.slice(begin, end + END_MARKER.length);
  if (current === body) return { text: existing, change: 'none' };
  return {
    text: existing.slice(0, begin) + body + existing.slice(end + END_MARKER.length),
    change: 'replace',
  };
}

/** Which file to edit: CLAUDE.md if present, else AGENTS.md if present, else a new CLAUDE.md. */
export function pickTarget(exists: { claude: boolean; agents: boolean }): 'CLAUDE.md' | 'AGENTS.md' {
  return exists.claude || !exists.agents ? 'CLAUDE.md' : 'AGENTS.md';
}
