// The audit log ($ELEVATE_HOME/audit.jsonl): one JSON line per launch, elevation, approval, handoff,
// expiry, switch... Never secrets: callers pass names, ids, hashes and times only.
import fs from 'node:fs';
import { appendJsonLine } from './atomicFile';
import { maskSecrets } from './safeError';
import { files, type Env } from './paths';

export interface AuditEvent {
  /** e.g. launch, elevation-start, approval, approval-void, handoff, expiry, drop, switch, fallback, restore */
  type: string;
  tier?: string;
  profile?: string;
  sessionId?: string;
  /** Role session name, so the line can be matched with CloudTrail. */
  roleSessionName?: string;
  [key: string]: unknown;
}

export interface AuditRecord extends AuditEvent {
  time: string;
}

const SECRETISH = /secret|password|token|credential/i;

export function appendAudit(event: AuditEvent, env: Env = process.env, now: Date = new Date()): AuditRecord {
  for (const key of Object.keys(event)) {
    if (SECRETISH.test(key)) throw new Error(`audit: refusing to log field "${key}" (may hold a secret)`);
  }
  // Values are names, ids, hashes and times; an error text passed as a reason is masked all the same.
  const record = mask({ time: now.toISOString(), ...event }) as AuditRecord;
  appendJsonLine(files.audit(env), record);
  return record;
}

/** Newest last; malformed lines are skipped. */
export function readAudit(env: Env = process.env, limit = 500): AuditRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(files.audit(env), 'utf8');
  } catch {
    return [];
  }
  const out: AuditRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as AuditRecord);
    } catch {
      /* skip a torn line */
    }
  }
  return out.slice(-limit);
}

function mask(v: unknown): unknown {
  if (typeof v === 'string') return maskSecrets(v);
  if (Array.isArray(v)) return v.map(mask);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mask(x)]));
  return v;
}
