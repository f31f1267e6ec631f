// Issue 12 P4: what the human must confirm in a native dialog shown by MAIN before an elevation-relevant
// request from the window (or a tray item that did not ask already) runs. The renderer's own
// `confirmed: true` does not count: a compromised renderer is a valid sender and can set any field.
import type { Channel, ParsedRequest } from '../../../shared/ipc';
import type { AppState } from '../../../shared/state';
import type { ConfirmRequest, Runtime } from '../runtime';
import { loadSettings } from '../../node/settingsStore';
import { defaultPlanScope } from '../../../shared/plan';
import { elevationChanges } from './settings';
import { cliTarget } from './cli';

/**
 * Text the agent controls (a plan title, a folder name) shown in the dialog: control characters,
 * bidirectional overrides and zero-width characters become spaces, so it cannot fake or hide lines.
 */
export function clean(text: string, max = 200): string {
  const t = text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, ' ');
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

function elevatedLine(state: AppState): string {
  const p = state.tiers.elevated?.profile;
  return `Tier: elevated${p ? ` (profile ${p})` : ''}`;
}

/** The plan's AWS side in the approval dialog (issue 14 item 3), only for the plan (hash) being approved. */
function awsLines(h: AppState['handoff'], planHash: string): string[] {
  if (!h || h.planHash !== planHash) return [];
  const r = h.aws;
  if (!r) return h.awsError ? [`AWS review: ${clean(h.awsError)}`] : [];
  if (!r.commands.length && !r.unparsed.length) return ['AWS: no aws commands found in the plan'];
  const lines = [
    r.noElevationNeeded
      ? 'AWS: no elevation needed (every action is Read or List)'
      : `AWS actions (${r.actions.length}): ${clean(r.actions.join(', '), 300)}`,
  ];
  if (r.destructive.length) lines.push(`Destructive: ${clean(r.destructive.join(', '), 300)}`);
  if (r.unparsed.length)
    lines.push(
      `Not understood: ${r.unparsed.length} command${r.unparsed.length === 1 ? '' : 's'} (see the plan view)`,
    );
  return lines;
}

/** What the elevated session may do (issue 14 item 4): the plan's actions only, or the whole role. */
function scopeLine(h: AppState['handoff'], req: ParsedRequest<'plan:approve'>): string {
  const review = h && h.planHash === req.planHash ? h.aws : null;
  if (!req.scope && !review)
    return 'Scope: limited to the plan when every aws command in it is understood, else the FULL elevated role';
  const scope = req.scope ?? defaultPlanScope(review);
  if (scope === 'full') return 'Scope: FULL elevated role (every action the role allows, until the deadline)';
  return review?.actions.length
    ? `Scope: limited to this plan: ${review.actions.length} action${review.actions.length === 1 ? '' : 's'} (${clean(review.actions.join(', '), 300)}); anything else is denied by AWS`
    : "Scope: limited to this plan's AWS actions (computed from the approved copy); anything else is denied by AWS";
}

function minutesLine(minutes: number): string {
  return `Minutes: ${minutes} (credentials stop being issued at the deadline)`;
}

/** The question for this request, or null when it needs no confirmation. */
export function confirmationFor<C extends Channel>(
  rt: Runtime,
  channel: C,
  request: ParsedRequest<C>,
): ConfirmRequest | null {
  const state = rt.store.state;
  const defaultMinutes = state.settings.elevationMinutes;
  switch (channel) {
    case 'plan:approve': {
      const req = request as ParsedRequest<'plan:approve'>;
      const shown = state.handoff?.cwd === req.cwd ? state.handoff : null;
      return {
        title: 'Approve plan and elevate',
        message: `Approve ${shown?.title ? `"${clean(shown.title, 80)}"` : 'plan.md'} and start an elevated session?`,
        detail: [
          elevatedLine(state),
          minutesLine(req.minutes ?? defaultMinutes),
          `Folder: ${clean(req.cwd)}`,
          `Plan hash (sha256): ${req.planHash}`,
          scopeLine(shown, req),
          ...awsLines(shown, req.planHash),
        ].join('\n'),
        confirmLabel: 'Approve and launch',
      };
    }
    case 'launch:start': {
      const req = request as ParsedRequest<'launch:start'>;
      if (req.tier !== 'elevated') return null;
      return {
        title: 'Launch elevated',
        message: 'Start Claude with the elevated profile?',
        detail: [
          elevatedLine(state),
          minutesLine(req.minutes ?? defaultMinutes),
          `Folder: ${req.cwd ? clean(req.cwd) : '(chosen next)'}`,
          ...(req.resumeId ? [`Resumes Claude session ${req.resumeId}`] : []),
        ].join('\n'),
        confirmLabel: 'Launch elevated',
      };
    }
    case 'tier:switch': {
      const req = request as ParsedRequest<'tier:switch'>;
      if (req.tier !== 'elevated') return null;
      return {
        title: 'Switch to elevated',
        message: 'Switch everything started next to the elevated profile?',
        detail: [elevatedLine(state), minutesLine(req.minutes ?? defaultMinutes)].join('\n'),
        confirmLabel: 'Switch to elevated',
      };
    }
    case 'settings:set': {
      const req = request as ParsedRequest<'settings:set'>;
      let changes: string[];
      try {
        changes = elevationChanges(loadSettings(rt.env), req.patch);
      } catch {
        return null; // settings.json unreadable: the set itself fails with the reason
      }
      if (!changes.length) return null;
      return {
        title: 'Change elevation settings',
        message: 'Change what elevation gives?',
        detail: changes.map((c) => clean(c, 300)).join('\n'),
        confirmLabel: 'Change settings',
      };
    }
    // 'ssm:connect' asks nothing: read-only needs no confirmation and remote elevated is refused
    // (issue 12 P2) before anything runs.
    case 'cli:install':
      // It writes a command into a directory on PATH (every terminal runs it as `elevate`).
      return {
        title: 'Install command-line tool',
        message: 'Install the elevate command for your terminals?',
        detail: [
          `Writes: ${cliTarget(process.platform, rt.env)}`,
          "It runs this app's binary with --elevate-cli (Elevate's own commands only).",
          'A file there that Elevate did not write is never replaced.',
        ].join('\n'),
        confirmLabel: 'Install',
      };
    default:
      return null;
  }
}
