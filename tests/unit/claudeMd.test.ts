import { describe, expect, it } from 'vitest';
import {
  BEGIN_MARKER,
  elevateSection,
  END_MARKER,
  pickTarget,
  SectionMarkerError,
  upsertSection,
} from '../../shared/claudeMd';

const section = elevateSection({
  readonlyProfile: 'claudecode-readonly',
  elevatedProfile: 'claudecode-elevated',
});

describe('elevateSection', () => {
  it('tells the agent its tier, to use the aws CLI for look-ups and to write plan.md under read-only', () => {
    expect(section.startsWith(BEGIN_MARKER)).toBe(true);
    expect(section.endsWith(END_MARKER)).toBe(true);
    expect(section).toContain('$ELEVATE_TIER');
    expect(section).toContain('`claudecode-readonly`');
    expect(section).toContain('`claudecode-elevated`');
    expect(section).toContain('run the `aws` CLI yourself');
    expect(section).toContain('Write `plan.md`');
  });

  it('without an elevated tier the elevated bullet is gone', () => {
    const s = elevateSection({ readonlyProfile: 'claude', elevatedProfile: null });
    expect(s).not.toContain('**elevated**');
    expect(s).toContain('no elevated tier is configured');
  });
});

describe('upsertSection', () => {
  it('creates a missing file, appends to one without markers (blank line between)', () => {
    expect(upsertSection(null, section)).toEqual({ text: `${section}\n`, change: 'create' });
    expect(upsertSection('# Project\nrules', section)).toEqual({
      text: `# Project\nrules\n\n${section}\n`,
      change: 'append',
    });
    expect(upsertSection('# Project\n', section).text).toBe(`# Project\n\n${section}\n`);
  });

  it('replaces only between the markers; everything outside is byte-identical', () => {
    const before = '# P\r\n\r\nkeep  me \r\n';
    const after = '\r\n## after\r\ntrailing';
    const old = `${BEGIN_MARKER}\r\nold text\r\n${END_MARKER}`;
    const r = upsertSection(before + old + after, section);
    expect(r.change).toBe('replace');
    expect(r.text.startsWith(before)).toBe(true);
    expect(r.text.endsWith(after)).toBe(true);
    expect(r.text.slice(before.length, r.text.length - after.length)).toBe(section.replace(/\n/g, '\r\n')); // CRLF kept
  });

  it('is idempotent', () => {
    const once = upsertSection('# P\n', section).text;
    expect(upsertSection(once, section)).toEqual({ text: once, change: 'none' });
  });

  it('refuses broken or duplicated markers', () => {
    expect(() => upsertSection(`x\n${BEGIN_MARKER}\ny`, section)).toThrow(SectionMarkerError);
    expect(() => upsertSection(`${END_MARKER}\n${BEGIN_MARKER}`, section)).toThrow(SectionMarkerError);
    expect(() => upsertSection(`${section}\n${section}`, section)).toThrow(/more than one/);
  });
});

describe('pickTarget', () => {
  it('CLAUDE.md if present, else AGENTS.md if present, else a new CLAUDE.md', () => {
    expect(pickTarget({ claude: true, agents: true })).toBe('CLAUDE.md');
    expect(pickTarget({ claude: false, agents: true })).toBe('AGENTS.md');
    expect(pickTarget({ claude: false, agents: false })).toBe('CLAUDE.md');
  });
});
