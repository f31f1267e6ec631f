import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  approvalState,
  checkPlanBytes,
  deadlineFrom,
  elevatedSessionName,
  fitDuration,
  handoffPrompt,
  isApprovalValid,
  MAX_PLAN_BYTES,
  planHash,
  planPreview,
  planTitle,
  validateElevationMinutes,
  type ApprovalRecord,
} from '../../shared/plan';

const T0 = Date.parse('2026-11-24T12:00:00Z');

describe('planHash', () => {
  it('is the SHA-256 of the exact bytes (same as node:crypto), text or bytes', () => {
    const text = '# Plan\n\n1. Create bucket `x`\n- ünïcödé ✓\n';
    const bytes = new TextEncoder().encode(text);
    const expected = createHash('sha256').update(bytes).digest('hex');
    expect(planHash(bytes)).toBe(expected);
    expect(planHash(text)).toBe(expected);
    // One byte differs → another hash (CRLF vs LF must not be normalised away).
    expect(planHash(text.replace(/\n/g, '\r\n'))).not.toBe(expected);
  });
});

describe('checkPlanBytes', () => {
  it('accepts UTF-8 up to 1 MB and hashes it', () => {
    const bytes = new Uint8Array(MAX_PLAN_BYTES).fill(0x61);
    const r = checkPlanBytes(bytes);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.hash).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
  it('rejects more than 1 MB with a message naming the size', () => {
    const r = checkPlanBytes(new Uint8Array(MAX_PLAN_BYTES + 1).fill(0x61), '/p/plan.md');
    expect(r).toMatchObject({ ok: false, reason: 'too-large' });
    if (!r.ok) expect(r.message).toMatch(/^\/p\/plan\.md is 1\.0 MB; plans over 1 MB are ignored/);
  });
  it('rejects invalid UTF-8 (Latin-1 bytes, truncated sequence) with a clear message', () => {
    const latin1 = Uint8Array.from([0x23, 0x20, 0x50, 0x6c, 0xe4, 0x6e, 0x0a]); // "# Plän" in Latin-1
    const r = checkPlanBytes(latin1);
    expect(r).toMatchObject({ ok: false, reason: 'not-utf8' });
    if (!r.ok) expect(r.message).toContain('not valid UTF-8');
    expect(checkPlanBytes(Uint8Array.from([0x61, 0xe2, 0x82]))).toMatchObject({
      ok: false,
      reason: 'not-utf8',
    });
  });
  it('rejects a blank plan', () => {
    expect(checkPlanBytes(new TextEncoder().encode('  \n\n'))).toMatchObject({ ok: false, reason: 'empty' });
  });
  it('title and preview come from the text', () => {
    const text = '\n## Rotate the keys\nstep 1\nstep 2\nstep 3\n';
    expect(planTitle(text)).toBe('Rotate the keys');
    expect(planPreview(text, 3)).toBe('\n## Rotate the keys\nstep 1');
  });
});

describe('approvals', () => {
  const approval: ApprovalRecord = {
    cwd: '/w/p',
    planHash: 'a'.repeat(64),
    approvedAt: new Date(T0).toISOString(),
    minutes: 30,
  };
  it('is valid only for the same hash and when not voided', () => {
    expect(isApprovalValid(approval, 'a'.repeat(64))).toBe(true);
    expect(isApprovalValid(approval, 'b'.repeat(64))).toBe(false);
    expect(isApprovalValid(approval, null)).toBe(false);
    expect(isApprovalValid(null, 'a'.repeat(64))).toBe(false);
    expect(isApprovalValid({ ...approval, voidedAt: 'x' }, 'a'.repeat(64))).toBe(false);
  });
  it('approvalState says why it is void, and that a used approval cannot launch again', () => {
    expect(approvalState(undefined, 'x')).toEqual({ status: 'none' });
    const changed = approvalState(approval, 'b'.repeat(64));
    expect(changed.status).toBe('void');
    if (changed.status === 'void')
      expect(changed.reason).toBe(
        'plan.md changed after approval (approved sha256 aaaaaaaaaaaa, now bbbbbbbbbbbb)',
      );
    expect(approvalState({ ...approval, usedAt: 'x', sessionId: 's' }, 'a'.repeat(64)).status).toBe('used');
    expect(approvalState(approval, 'a'.repeat(64)).status).toBe('valid');
  });
  it('validates the elevation length 15–60 whole minutes', () => {
    expect(validateElevationMinutes(15)).toEqual({ ok: true, minutes: 15 });
    expect(validateElevationMinutes('60')).toEqual({ ok: true, minutes: 60 });
    for (const bad of [14, 61, 0, -5, 30.5, '30m', '', null, Number.NaN]) {
      const r = validateElevationMinutes(bad);
      expect(r.ok, String(bad)).toBe(false);
    }
    const r = validateElevationMinutes(61);
    if (!r.ok) expect(r.message).toMatch(/15–60 minutes .*got 61/);
    expect(deadlineFrom(T0, 30).toISOString()).toBe('2026-11-24T12:30:00.000Z');
  });
});

describe('fitDuration', () => {
  const at = (minutesLeft: number, secondsExtra = 0) => T0 + minutesLeft * 60_000 + secondsExtra * 1000;
  it('asks for exactly the time left when it is within 900–3600 s', () => {
    expect(fitDuration(at(30), T0)).toMatchObject({
      durationSeconds: 1800,
      outlivesDeadline: false,
      overrunSeconds: 0,
      expired: false,
    });
    expect(fitDuration(at(15), T0)).toMatchObject({ durationSeconds: 900, outlivesDeadline: false });
    expect(fitDuration(at(60), T0)).toMatchObject({
      durationSeconds: 3600,
      outlivesDeadline: false,
      endsBeforeDeadline: false,
    });
  });
  it('rounds partial seconds down so credentials never end after the deadline above the floor', () => {
    expect(fitDuration(T0 + 1_234_999, T0).durationSeconds).toBe(1234);
  });
  it('raises to the STS floor of 900 s and flags that the credentials outlive the deadline', () => {
    expect(fitDuration(at(10), T0)).toEqual({
      durationSeconds: 900,
      remainingSeconds: 600,
      expired: false,
      outlivesDeadline: true,
      overrunSeconds: 300,
      endsBeforeDeadline: false,
    });
    expect(fitDuration(T0 + 1000, T0)).toMatchObject({ durationSeconds: 900, overrunSeconds: 899 });
  });
  it('caps chained roles at 3600 s (and others at 43200 s); the caller then has to refresh', () => {
    expect(fitDuration(at(90), T0)).toMatchObject({ durationSeconds: 3600, endsBeforeDeadline: true });
    expect(fitDuration(at(90), T0, { chained: false })).toMatchObject({
      durationSeconds: 5400,
      endsBeforeDeadline: false,
    });
    expect(fitDuration(at(24 * 60), T0, { chained: false }).durationSeconds).toBe(43200);
  });
  it('reports expiry at and after the deadline', () => {
    expect(fitDuration(T0, T0)).toMatchObject({ expired: true, durationSeconds: 0 });
    expect(fitDuration(new Date(T0 - 5000).toISOString(), new Date(T0))).toMatchObject({
      expired: true,
      remainingSeconds: -5,
    });
    expect(() => fitDuration('not a date', T0)).toThrow(/invalid deadline/);
  });
});

describe('elevatedSessionName', () => {
  it('appends the per-elevation suffix within 64 chars of the STS charset', () => {
    expect(elevatedSessionName('claude-elevated', 'a1b2c3d4')).toBe('claude-elevated-a1b2c3d4');
    expect(elevatedSessionName(undefined, 'a1b2c3d4')).toBe('claude-elevated-a1b2c3d4');
    const long = elevatedSessionName('x'.repeat(100), 'a1b2c3d4');
    expect(long).toHaveLength(64);
    expect(long.endsWith('-a1b2c3d4')).toBe(true);
    const odd = elevatedSessionName('me ünï/{x}', 'ab$cd');
    expect(odd).toMatch(/^[\w+=,.@-]{2,64}$/);
    // space, ü, ï, /, {, } → '-' ; '$' dropped from the suffix
    expect(odd).toBe('me--n---x--abcd');
    expect(elevatedSessionName('aws:foo', '1234')).toBe('aws-foo-1234');
  });
});

describe('handoffPrompt', () => {
  it('names plan.md and its full hash, limits the work to the plan, and is one argument', () => {
    const hash = planHash('plan');
    const p = handoffPrompt(hash, { minutes: 30, deadline: '2026-11-24T12:30:00.000Z' });
    expect(p.startsWith(`Execute the approved plan in plan.md (sha256 ${hash})`)).toBe(true);
    expect(p).toMatch(/stop and ask me/);
    expect(p).toContain('30 minutes, until 2026-11-24T12:30:00.000Z');
    expect(p).not.toContain('\n');
  });
});

// visiblePlanText (CLI) now delegates to neutralizePlanText (window): one neutraliser, one notation.
describe('visiblePlanText', () => {
  it('is neutralizePlanText(...).text (the window and the CLI show the same text)', async () => {
    const { visiblePlanText } = await import('../../shared/plan');
    const { neutralizePlanText } = await import('../../shared/planDisplay');
    const s = 'x\r\x1b]0;t\x07\u202e\u{E0041}\u{E0042}y';
    expect(visiblePlanText(s)).toBe(neutralizePlanText(s).text);
    expect(visiblePlanText(s)).toBe('x⟨CR⟩⟨ESC⟩]0;t⟨BEL⟩⟨U+202E RLO⟩⟨tag text: "AB"⟩y');
  });
  it('shows control characters, escapes, bidi and zero-width characters; keeps text, newlines and tabs', async () => {
    const { visiblePlanText } = await import('../../shared/plan');
    expect(visiblePlanText('a\tb\nc\r\x1b[2K\x1b[1Ad\x7f\u0085\u202e\u200b<!-- x -->')).toBe(
      'a\tb\nc⟨CR⟩⟨ESC⟩[2K⟨ESC⟩[1Ad⟨DEL⟩⟨U+0085 NEL⟩⟨U+202E RLO⟩⟨U+200B ZWSP⟩<!-- x -->',
    );
  });
});
