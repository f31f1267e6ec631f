// Plan approvals ($ELEVATE_HOME/approvals.json, mode 0600): one current approval per project directory.
// An approval pins the SHA-256 of plan.md; a later change voids it (audit `approval-void`).
import fs from 'node:fs';
import path from 'node:path';
import {
  approvalState,
  deadlineFrom,
  type ApprovalRecord,
  type ApprovalState,
  type PlanScope,
} from '../../shared/plan';
import { writeFileAtomic } from './atomicFile';
import { appendAudit } from './audit';
import { elevateHome, type Env } from './paths';

interface ApprovalsFile {
  version: 1;
  approvals: Record<string, ApprovalRecord>;
}

export function approvalsPath(env: Env = process.env): string {
  return path.join(elevateHome(env), 'approvals.json');
}

function load(env: Env): ApprovalsFile {
  let text: string;
  try {
    text = fs.readFileSync(approvalsPath(env), 'utf8');
  } catch {
    return { version: 1, approvals: {} };
  }
  try {
    const data = JSON.parse(text) as Partial<ApprovalsFile>;
    if (data && typeof data.approvals === 'object' && data.approvals !== null) {
      return { version: 1, approvals: data.approvals };
    }
  } catch {
    /* corrupt: start over (approvals are cheap to redo, and a lost approval fails closed) */
  }
  return { version: 1, approvals: {} };
}

function save(data: ApprovalsFile, env: Env): void {
  writeFileAtomic(approvalsPath(env), `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
}

export function listApprovals(env: Env = process.env): ApprovalRecord[] {
  return Object.values(load(env).approvals);
}

export function getApproval(cwd: string, env: Env = process.env): ApprovalRecord | null {
  return load(env).approvals[cwd] ?? null;
}

/** Record the user's approval of the plan with this hash (replaces any earlier approval for cwd). */
export function recordApproval(
  input: { cwd: string; planHash: string; minutes: number; scope?: PlanScope; actions?: string[] },
  env: Env = process.env,
  now: Date = new Date(),
): ApprovalRecord {
  const data = load(env);
  const scope = input.scope ?? 'full';
  const record: ApprovalRecord = {
    cwd: input.cwd,
    planHash: input.planHash,
    approvedAt: now.toISOString(),
    minutes: input.minutes,
    scope,
    ...(input.actions ? { actions: [...input.actions] } : {}),
  };
  data.approvals[input.cwd] = record;
  save(data, env);
  appendAudit(
    {
      type: 'approval',
      cwd: input.cwd,
      planHash: input.planHash,
      minutes: input.minutes,
      scope,
      ...(input.actions ? { actions: input.actions } : {}),
    },
    env,
    now,
  );
  return record;
}

/** Mark the approval as used by an elevated session starting now (an approval launches once). */
export function markApprovalUsed(
  cwd: string,
  sessionId: string,
  env: Env = process.env,
  now: Date = new Date(),
  deadline?: string,
): ApprovalRecord {
  const data = load(env);
  const rec = data.approvals[cwd];
  if (!rec) throw new Error(`no approval for ${cwd}`);
  rec.usedAt = now.toISOString();
  rec.sessionId = sessionId;
  rec.deadline = deadline ?? deadlineFrom(now, rec.minutes).toISOString();
  save(data, env);
  return rec;
}

/** Void the approval for cwd (once), with an audit line saying why. Returns the voided record, if any. */
export function voidApproval(
  cwd: string,
  reason: string,
  currentHash: string | null,
  env: Env = process.env,
  now: Date = new Date(),
): ApprovalRecord | null {
  const data = load(env);
  const rec = data.approvals[cwd];
  if (!rec || rec.voidedAt) return null;
  rec.voidedAt = now.toISOString();
  rec.voidReason = reason;
  save(data, env);
  appendAudit(
    {
      type: 'approval-void',
      cwd,
      planHash: rec.planHash,
      currentHash,
      reason,
      ...(rec.sessionId
        ? {
            sessionId: rec.sessionId,
            afterLaunch: true,
            note: 'plan.md changed after the elevated session started; it executes its approved snapshot, not plan.md',
          }
        : {}),
    },
    env,
    now,
  );
  return rec;
}

/**
 * Compare the approval for cwd with the plan hash now on disk (null = no readable plan) and void it if
 * the plan changed. Returns the resulting state.
 */
export function reconcileApproval(
  cwd: string,
  currentHash: string | null,
  env: Env = process.env,
  now: Date = new Date(),
): ApprovalState {
  const state = approvalState(getApproval(cwd, env), currentHash);
  if (state.status === 'void' && !state.approval.voidedAt) {
    const rec = voidApproval(cwd, state.reason, currentHash, env, now);
    return { status: 'void', approval: rec ?? state.approval, reason: state.reason, voidedNow: rec !== null };
  }
  return state;
}
