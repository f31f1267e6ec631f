// `elevate handoff`: show the pending plan.md of a project, approve it, and launch the elevated tier
// resuming the read-only session (node/handoff.ts).
//
// Approval is the human's: `--approve` shows the WHOLE plan (control characters and escapes made visible,
// comments shown as written) and records NOTHING until the human answers "y" on a terminal (or --yes was
// given); no terminal and no --yes → exit 2, nothing recorded. The approval covers the shown bytes (hash);
// the elevated session executes a snapshot of them. With mfa_serial, the MFA code is asked by the elevated
// session's runner on its own terminal.
//
// Scope (issue 14 item 4): `--scope plan` limits the elevated session to the plan's AWS actions (the runner
// computes them from its snapshot and sends them as the AssumeRole session policy, with the deadline);
// `--scope full` gives the whole elevated role until the deadline. Default: plan when every aws command of
// the plan was understood, else full. The choice and the action list are shown before the y/n question.
import {
  defaultPlanScope,
  isPlanScope,
  shortHash,
  validateElevationMinutes,
  visiblePlanText,
  type PlanScope,
} from '../../../shared/plan';
import { formatPlanAwsReview, type PlanAwsReview } from '../../../shared/iam/planReview';
import { recordApproval } from '../../node/approvals';
import { reviewPlan } from '../../node/iam/planReview';
import { loadSettings } from '../../node/settingsStore';
import {
  HandoffError,
  inspectHandoff,
  launchHandoff,
  requirePlan,
  type HandoffInfo,
} from '../../node/handoff';
import { LaunchError } from '../../node/launcher';
import { TerminalError } from '../../node/terminals';
import { parse } from '../args';
import { defineCommand, usageOf } from '../help';
import { CliError, confirm, err, json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'handoff',
  usage: [
    'handoff [--cwd DIR] [--approve] [--minutes N] [--scope plan|full] [--yes] [--terminal NAME] [--json]',
  ],
  options: {
    cwd: {
      type: 'string',
      arg: 'DIR',
      help: 'project directory holding plan.md (default: the current one)',
    },
    approve: { type: 'boolean', help: 'approve the plan as it is now (its sha256 is recorded)' },
    minutes: { type: 'string', arg: 'N', help: 'with --approve: length of the elevation, 15-60' },
    scope: {
      type: 'string',
      arg: 'plan|full',
      help: "with --approve: only the plan's AWS actions (default when every aws command was understood) or the full elevated role",
    },
    yes: { type: 'boolean', short: 'y', help: 'launch the elevated session without asking' },
    terminal: { type: 'string', arg: 'NAME', help: 'terminal to open (default: settings, then detected)' },
    json: { type: 'boolean', help: 'print the plan, approval and launch as JSON' },
  },
  examples: [
    ['elevate handoff', 'show the pending plan.md, its AWS actions and its approval'],
    [
      'elevate handoff --approve --minutes 15 --yes',
      'approve it and launch the elevated tier resuming the session',
    ],
    [
      'elevate handoff --approve --scope full',
      'approve it for the whole elevated role, not only the actions of its aws commands',
    ],
  ],
});
export const usage = usageOf(spec);

/** The plan's AWS side; a review that fails is treated as "not understood" (default scope full). */
function safeReview(text: string): PlanAwsReview | null {
  try {
    return reviewPlan(text);
  } catch {
    return null;
  }
}

/** Default scope: plan when the plan's aws commands were all understood (and name at least one action). */
export function defaultScope(review: PlanAwsReview | null): PlanScope {
  return defaultPlanScope(review);
}

function printScope(review: PlanAwsReview | null, scope: PlanScope): void {
  out('');
  out('  ── AWS side of the plan ──');
  out(
    review ? formatPlanAwsReview(review).replace(/^/gm, '  ') : '  (could not be reviewed: no actions known)',
  );
  out('');
  if (scope === 'plan') {
    out(`  scope    LIMITED TO THIS PLAN: ${review!.actions.length} action(s), until the deadline`);
    for (const a of review!.actions) out(`             ${a}`);
    if (review!.unparsed.length)
      out(`           ${review!.unparsed.length} command(s) not understood: NOT allowed in the session`);
    out('           (anything else is denied by AWS; use --scope full for the whole elevated role)');
  } else {
    out('  scope    FULL ELEVATED ROLE: every action the role allows, until the deadline');
    if (review?.actions.length)
      out(`           (--scope plan would limit it to: ${review.actions.join(', ')})`);
  }
}

function approvalView(info: HandoffInfo) {
  const a = info.approval;
  if (a.status === 'none') return { status: 'none' as const };
  return {
    status: a.status,
    planHash: a.approval.planHash,
    approvedAt: a.approval.approvedAt,
    minutes: a.approval.minutes,
    scope: a.approval.scope ?? 'full',
    ...(a.approval.actions ? { actions: a.approval.actions } : {}),
    ...(a.status === 'void' ? { reason: a.reason } : {}),
    ...(a.approval.sessionId ? { sessionId: a.approval.sessionId, deadline: a.approval.deadline } : {}),
  };
}

function infoView(info: HandoffInfo) {
  const p = info.plan;
  return {
    cwd: info.cwd,
    plan:
      p.kind === 'plan'
        ? {
            status: 'pending',
            file: p.plan.file,
            sha256: p.plan.hash,
            size: p.plan.size,
            title: p.plan.title,
          }
        : p.kind === 'rejected'
          ? { status: 'rejected', file: p.file, size: p.size, reason: p.reason, message: p.message }
          : { status: 'absent', file: p.file },
    approval: approvalView(info),
    claudeSession: info.claude.session
      ? { id: info.claude.session.id, file: info.claude.session.file, cwd: info.claude.session.cwd }
      : null,
  };
}

function printInfo(info: HandoffInfo): void {
  const p = info.plan;
  if (p.kind !== 'plan') return;
  out(`plan.md in ${info.cwd}`);
  out(`  title    ${p.plan.title}`);
  out(`  sha256   ${p.plan.hash}`);
  out(`  size     ${p.plan.size} bytes`);
  const a = info.approval;
  out(
    `  approval ${
      a.status === 'none'
        ? 'none'
        : a.status === 'valid'
          ? `approved ${a.approval.approvedAt} for ${a.approval.minutes} min (${a.approval.scope === 'plan' ? 'limited to the plan' : 'full elevated role'})`
          : a.status === 'used'
            ? `used by session ${a.approval.sessionId} (until ${a.approval.deadline})`
            : `VOID: ${a.reason}`
    }`,
  );
  const s = info.claude.session;
  out(
    `  resume   ${s ? `${s.id} (${s.file})` : 'no Claude session for this directory: a fresh session would start'}`,
  );
  out('');
  out(`  ── plan.md, all ${p.plan.text.split('\n').length} lines (control characters shown as ␛ ␍ <U+…>) ──`);
  out(visiblePlanText(p.plan.text).trimEnd().replace(/^/gm, '  │ '));
  out('  ── end of plan.md ──');
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  if (values.scope !== undefined && !isPlanScope(values.scope))
    throw new UsageError(`--scope: expected plan or full, got "${values.scope}"\nusage: ${usage}`);
  if (values.scope !== undefined && !values.approve)
    throw new UsageError(`--scope goes with --approve (the scope is part of the approval)\nusage: ${usage}`);
  if (values.minutes !== undefined && !values.approve) {
    throw new UsageError(
      `--minutes goes with --approve (the length is part of the approval)\nusage: ${usage}`,
    );
  }
  let minutes: number | undefined;
  if (values.approve) {
    const m = validateElevationMinutes(values.minutes ?? loadSettings().elevation.defaultMinutes);
    if (!m.ok) throw new UsageError(m.message);
    minutes = m.minutes;
  }
  const cwd = values.cwd ?? process.cwd();
  let info = inspectHandoff(cwd);
  let plan;
  try {
    plan = requirePlan(info);
  } catch (e) {
    if (e instanceof HandoffError) throw new CliError(e.code, e.message, 1);
    throw e;
  }

  // Nothing is recorded before the human says yes.
  if (values.approve && minutes !== undefined) {
    const review = safeReview(plan.text);
    const scope: PlanScope = isPlanScope(values.scope) ? values.scope : defaultScope(review);
    if (scope === 'plan' && !review?.actions.length)
      throw new CliError(
        'no-plan-actions',
        'plan.md names no AWS action Elevate understands, so a plan-scoped session could do nothing: use --scope full. Nothing was recorded',
        2,
      );
    let yes = Boolean(values.yes);
    if (!yes) {
      if (!process.stdin.isTTY || !process.stderr.isTTY || values.json) {
        if (!values.json) {
          printInfo(info);
          printScope(review, scope);
        }
        throw new CliError(
          'confirmation-required',
          `approving plan.md (sha256 ${shortHash(plan.hash)}) for ${minutes} min needs confirmation: run it in a terminal, or add --yes. Nothing was recorded`,
          2,
        );
      }
      printInfo(info);
      printScope(review, scope);
      yes = await confirm(
        `\nApprove THIS plan (sha256 ${shortHash(plan.hash)}) and launch the elevated tier for ${minutes} min, ${scope === 'plan' ? 'limited to the plan' : 'FULL elevated role'}? [y/N] `,
      );
      if (!yes) {
        err('not approved: nothing was recorded');
        return 1;
      }
    }
    // What was shown is what is approved: the bytes must not have changed since they were read.
    const now = inspectHandoff(info.cwd);
    if (now.plan.kind !== 'plan' || now.plan.plan.hash !== plan.hash) {
      throw new CliError(
        'approval-void',
        'plan.md changed while it was shown: nothing was recorded; review it again',
        1,
      );
    }
    recordApproval({
      cwd: info.cwd,
      planHash: plan.hash,
      minutes,
      scope,
      ...(scope === 'plan' ? { actions: review!.actions } : {}),
    });
    if (!values.json && values.yes) printScope(review, scope);
    info = inspectHandoff(info.cwd);
  } else if (!values.yes) {
    if (values.json) json(infoView(info));
    else {
      printInfo(info);
      if (info.approval.status === 'void') err(`\nelevate: approval void: ${info.approval.reason}`);
    }
    return info.approval.status === 'void' ? 1 : 0;
  }

  try {
    const r = await launchHandoff({
      cwd: info.cwd,
      ...(values.terminal ? { launchOptions: { terminal: values.terminal } } : {}),
    });
    if (values.json) {
      json({
        ...infoView(inspectHandoff(info.cwd)),
        launched: {
          sessionId: r.launch.spec.id,
          terminal: r.launch.terminal.id,
          argv: r.launch.spec.argv,
          resumeId: r.resumed?.id ?? null,
          fresh: !r.resumed,
          deadline: r.deadline,
          minutes: r.minutes,
          planSnapshot: r.snapshot,
          scope: r.scope,
        },
        warnings: r.warnings,
      });
    } else {
      out(`launched elevated session ${r.launch.spec.id} in ${r.launch.terminal.label}`);
      out(`  cwd      ${r.cwd}`);
      out(
        r.resumed
          ? `  resumes  Claude session ${r.resumed.id}`
          : '  resumes  nothing: no Claude session found for this directory, started fresh with the same prompt',
      );
      out(`  plan     sha256 ${r.plan.hash}`);
      out(`  ends     ${r.deadline} (${r.minutes} min)`);
      out(`  executes ${r.snapshot} (the approved copy; later edits of plan.md do not reach it)`);
      out(
        r.scope === 'plan'
          ? "  scope    limited to the plan's AWS actions (computed by the runner from the approved copy)"
          : '  scope    full elevated role',
      );
      out(
        "  AWS      credentials from the session's broker, minted by its runner (MFA asked there), ending at the deadline",
      );
      for (const w of r.warnings) err(`warning: ${w}`);
    }
    return 0;
  } catch (e) {
    if (e instanceof HandoffError) throw new CliError(e.code, e.message, 1);
    if (e instanceof LaunchError) throw new CliError(e.code, e.message, e.code === 'bad-option' ? 2 : 1);
    if (e instanceof TerminalError)
      throw new CliError(e.code, e.message, e.code === 'unknown-terminal' ? 2 : 1);
    throw e;
  }
}
