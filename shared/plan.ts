// plan.md handoff: hashing, approvals, elevation length and the STS duration fitted to a deadline.
// Pure (no I/O): used by the main process, the CLI and the renderer alike.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { DEFAULT_ELEVATION_MINUTES, MAX_ELEVATION_MINUTES, MIN_ELEVATION_MINUTES } from './settings';
import { neutralizePlanText } from './planDisplay';

export const PLAN_FILE = 'plan.md';
/** Plans larger than this are not shown or approved (a plan is for a human to read). */
export const MAX_PLAN_BYTES = 1024 * 1024;
/** STS AssumeRole minimum DurationSeconds. */
export const STS_MIN_DURATION = 900;
/** Role chaining (assuming a role with role credentials) caps DurationSeconds at one hour. */
export const STS_CHAINED_MAX_DURATION = 3600;
/** Role MaxSessionDuration can be at most 12 hours. */
export const STS_MAX_DURATION = 43200;

export { DEFAULT_ELEVATION_MINUTES, MAX_ELEVATION_MINUTES, MIN_ELEVATION_MINUTES };

/** Lower-case hex SHA-256 of the plan's exact bytes. */
export function planHash(bytes: Uint8Array | string): string {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return bytesToHex(sha256(data));
}

export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

export type PlanCheck =
  | { ok: true; text: string; size: number; hash: string }
  | { ok: false; size: number; reason: 'too-large' | 'not-utf8' | 'empty'; message: string };

export function tooLargeMessage(file: string, size: number): string {
  return `${file} is ${formatBytes(size)}; plans over ${formatBytes(MAX_PLAN_BYTES)} are ignored (keep the plan short enough to read)`;
}

/** Validate plan bytes: at most 1 MB, valid UTF-8 (fatal decoder), not blank. */
export function checkPlanBytes(bytes: Uint8Array, file = PLAN_FILE): PlanCheck {
  const size = bytes.byteLength;
  if (size > MAX_PLAN_BYTES)
    return { ok: false, size, reason: 'too-large', message: tooLargeMessage(file, size) };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return {
      ok: false,
      size,
      reason: 'not-utf8',
      message: `${file} is not valid UTF-8 text, so it is ignored (save it as UTF-8)`,
    };
  }
  if (text.trim() === '') {
    return { ok: false, size, reason: 'empty', message: `${file} is empty` };
  }
  return { ok: true, text: text.replace(/^\uFEFF/, ''), size, hash: planHash(bytes) };
}

/** First lines of the plan, for menus and notifications. */
export function planPreview(text: string, maxLines = 8, maxChars = 600): string {
  const lines = text.split(/\r?\n/).slice(0, maxLines).join('\n');
  return lines.length > maxChars ? `${lines.slice(0, maxChars - 1)}…` : lines;
}

/** First Markdown heading (or first non-blank line), as the plan's title. */
export function planTitle(text: string): string {
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (!t) continue;
    return t.replace(/^#+\s*/, '').slice(0, 120);
  }
  return PLAN_FILE;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${n} bytes`;
}

// ---------------------------------------------------------------------------------------------
// Approvals
// ---------------------------------------------------------------------------------------------

/** Plan-scoped elevation (`plan`) or the full elevated role (`full`). */
export type PlanScope = 'plan' | 'full';
export const PLAN_SCOPES: readonly PlanScope[] = ['plan', 'full'];
export function isPlanScope(v: unknown): v is PlanScope {
  return v === 'plan' || v === 'full';
}

/**
 * The scope offered by default for a plan's AWS review: `plan` when every aws command was understood and
 * they name at least one action, else `full` (the human can still pick either where `plan` is possible).
 */
export function defaultPlanScope(
  review: { actions: readonly string[]; unparsed: readonly unknown[] } | null | undefined,
): PlanScope {
  return review && review.actions.length > 0 && review.unparsed.length === 0 ? 'plan' : 'full';
}

export interface ApprovalRecord {
  /** Project directory holding plan.md (absolute). */
  cwd: string;
  /** SHA-256 of the approved plan bytes. */
  planHash: string;
  /** ISO time of the approval. */
  approvedAt: string;
  /** Elevation length the user approved. */
  minutes: number;
  /**
   * What the elevated session may do: `plan` = only the plan's AWS actions (session policy built by the
   * runner from its snapshot), `full` = the whole elevated role. Absent (older records): `full`.
   */
  scope?: PlanScope;
  /** The plan's IAM actions shown at approval (plan scope; informational, the runner recomputes them). */
  actions?: string[];
  /** ISO end of the elevation; set when the elevated session starts (approval + launch). */
  deadline?: string;
  /** Elevate session id launched with this approval (an approval launches once). */
  sessionId?: string;
  usedAt?: string;
  /** Set when the plan changed after approval. */
  voidedAt?: string;
  voidReason?: string;
}

export type ApprovalState =
  | { status: 'none' }
  | { status: 'valid'; approval: ApprovalRecord }
  | { status: 'used'; approval: ApprovalRecord }
  | { status: 'void'; approval: ApprovalRecord; reason: string; voidedNow?: boolean };

/** True when the approval covers exactly these plan bytes and was not voided. */
export function isApprovalValid(
  approval: ApprovalRecord | null | undefined,
  currentHash: string | null,
): boolean {
  return !!approval && !approval.voidedAt && currentHash !== null && approval.planHash === currentHash;
}

/** Where an approval stands against the plan currently on disk (null = no readable plan). */
export function approvalState(
  approval: ApprovalRecord | null | undefined,
  currentHash: string | null,
): ApprovalState {
  if (!approval) return { status: 'none' };
  if (approval.voidedAt) return { status: 'void', approval, reason: approval.voidReason ?? 'voided' };
  if (currentHash === null) return { status: 'void', approval, reason: `${PLAN_FILE} is gone or unreadable` };
  if (approval.planHash !== currentHash) {
    return {
      status: 'void',
      approval,
      reason: `${PLAN_FILE} changed after approval (approved sha256 ${shortHash(approval.planHash)}, now ${shortHash(currentHash)})`,
    };
  }
  if (approval.usedAt) return { status: 'used', approval };
  return { status: 'valid', approval };
}

export type MinutesCheck = { ok: true; minutes: number } | { ok: false; message: string };

/** Elevation length: whole minutes from 15 to 60 (chained AssumeRole sessions cannot outlive one hour). */
export function validateElevationMinutes(value: unknown): MinutesCheck {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    return {
      ok: false,
      message: `elevation length must be a whole number of minutes, got "${String(value)}"`,
    };
  }
  if (n < MIN_ELEVATION_MINUTES || n > MAX_ELEVATION_MINUTES) {
    return {
      ok: false,
      message: `elevation length must be ${MIN_ELEVATION_MINUTES}–${MAX_ELEVATION_MINUTES} minutes (chained AssumeRole sessions last at most 1 hour, STS issues at least 15 minutes), got ${n}`,
    };
  }
  return { ok: true, minutes: n };
}

// ---------------------------------------------------------------------------------------------
// DurationSeconds fitted to a deadline
// ---------------------------------------------------------------------------------------------

export interface FittedDuration {
  /** Value for AssumeRole DurationSeconds (0 when expired). */
  durationSeconds: number;
  /** Whole seconds left until the deadline (≤ 0 when expired). */
  remainingSeconds: number;
  expired: boolean;
  /** The STS floor (900 s) makes the credentials live past the deadline. */
  outlivesDeadline: boolean;
  /** By how many seconds they outlive it (0 when they do not). */
  overrunSeconds: number;
  /** The cap (3600 s chained) ends the credentials before the deadline: the caller must refresh. */
  endsBeforeDeadline: boolean;
}

const toMs = (t: Date | number | string): number =>
  typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime();

/**
 * DurationSeconds for credentials that should end at `deadline`: the whole seconds remaining, raised to
 * the STS floor (900) and capped at 3600 for chained roles (43200 otherwise). Rounds down so the
 * credentials never outlive the deadline except where the floor forces it (then `outlivesDeadline`).
 */
export function fitDuration(
  deadline: Date | number | string,
  now: Date | number,
  opts: { chained?: boolean } = { chained: true },
): FittedDuration {
  const remainingSeconds = Math.floor((toMs(deadline) - toMs(now)) / 1000);
  if (!Number.isFinite(remainingSeconds)) throw new Error(`invalid deadline "${String(deadline)}"`);
  if (remainingSeconds <= 0) {
    return {
      durationSeconds: 0,
      remainingSeconds,
      expired: true,
      outlivesDeadline: false,
      overrunSeconds: 0,
      endsBeforeDeadline: false,
    };
  }
  const max = opts.chained === false ? STS_MAX_DURATION : STS_CHAINED_MAX_DURATION;
  const durationSeconds = Math.min(max, Math.max(STS_MIN_DURATION, remainingSeconds));
  const overrunSeconds = Math.max(0, durationSeconds - remainingSeconds);
  return {
    durationSeconds,
    remainingSeconds,
    expired: false,
    outlivesDeadline: overrunSeconds > 0,
    overrunSeconds,
    endsBeforeDeadline: durationSeconds < remainingSeconds,
  };
}

/** The deadline an approval of `minutes` starting at `start` gives. */
export function deadlineFrom(start: Date | number, minutes: number): Date {
  return new Date(toMs(start) + minutes * 60_000);
}

// ---------------------------------------------------------------------------------------------
// Role session name
// ---------------------------------------------------------------------------------------------

const SESSION_NAME_CHARS = /[^\w+=,.@-]/g;

/**
 * `role_session_name` of the elevated profile plus a per-elevation suffix, within STS limits
 * (2–64 characters of [\w+=,.@-]). Used as RoleSessionName and SourceIdentity so CloudTrail lines match
 * the audit log.
 * Without a role_session_name the base is `claude-elevated`, which the workstation template's trust
 * condition (sts:RoleSessionName like `claude-*`) accepts.
 */
export function elevatedSessionName(base: string | undefined, suffix: string): string {
  const cleanSuffix = `-${suffix.replace(SESSION_NAME_CHARS, '')}`.slice(0, 32);
  // The charset has no ':', so the name can never start with the "aws:" SourceIdentity forbids.
  const cleanBase = (base ?? 'claude-elevated')
    .replace(SESSION_NAME_CHARS, '-')
    .slice(0, 64 - cleanSuffix.length);
  const name = `${cleanBase}${cleanSuffix}`;
  return name.length >= 2 ? name : `el${name}`;
}

// ---------------------------------------------------------------------------------------------
// Handoff prompt
// ---------------------------------------------------------------------------------------------

/**
 * The prompt given to the elevated Claude session. `file` is the approved SNAPSHOT (a copy of the approved
 * bytes in the session's own dir), so later edits of plan.md change nothing the session executes; the hash
 * pins those bytes.
 */
export function handoffPrompt(
  hash: string,
  opts: { minutes?: number; deadline?: string; file?: string } = {},
): string {
  const window =
    opts.minutes !== undefined && opts.deadline
      ? ` You have elevated AWS access for ${opts.minutes} minutes, until ${opts.deadline}; after that AWS calls fail.`
      : '';
  const file = opts.file ?? PLAN_FILE;
  const shown =
    file === PLAN_FILE
      ? `the approved plan in ${PLAN_FILE}`
      : `the approved plan at ${file} (the copy of ${PLAN_FILE} that was approved)`;
  const check = file === PLAN_FILE ? PLAN_FILE : `that file`;
  return (
    `Execute ${shown} (sha256 ${hash}). ` +
    (file === PLAN_FILE
      ? ''
      : `Do not follow ${PLAN_FILE} in the project: it may have changed since it was approved. `) +
    `First check that ${check} still has this sha256 (e.g. \`sha256sum\`); if it does not, stop and tell me. ` +
    `Do only the steps in the plan, in order, and report what you did. ` +
    `If you reach anything not in the plan — a step you would have to add, change or guess, or an error the plan does not cover — stop and ask me before doing it.` +
    window
  );
}

// ---------------------------------------------------------------------------------------------
// Showing a plan to the approver
// ---------------------------------------------------------------------------------------------

/**
 * The plan's text made safe to print in a terminal, with nothing hidden — the one neutraliser the window
 * uses too (shared/planDisplay.ts `neutralizePlanText`): ESC and the other C0 controls (but newline and tab)
 * become ⟨ESC⟩, ⟨CR⟩…, DEL → ⟨DEL⟩, C1 controls, bidi overrides/isolates, zero-width and other invisible
 * characters → ⟨U+XXXX NAME⟩, tag characters → the text they spell. Markdown comments (`<!-- … -->`,
 * `[//]: #`) are plain text here, so they are shown as they are.
 */
export function visiblePlanText(text: string): string {
  return neutralizePlanText(text).text;
}
