// `elevate handoff`: show the pending plan.md of a project, approve it, and launch the elevated tier
// resuming the read-only session (services/handoff.ts).
import { shortHash, validateElevationMinutes } from '../../../shared/plan';
import { recordApproval } from '../../node/approvals';
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
import { CliError, confirm, err, json, out, UsageError } from '../io';

export const usage =
  'elevate handoff [--cwd DIR] [--approve] [--minutes N] [--yes] [--terminal NAME] [--mfa-code CODE] [--json]';

function approvalView(info: HandoffInfo) {
  const a = info.approval;
  if (a.status === 'none') return { status: 'none' as const };
  return {
    status: a.status,
    planHash: a.approval.planHash,
    approvedAt: a.approval.approvedAt,
    minutes: a.approval.minutes,
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
          ? `approved ${a.approval.approvedAt} for ${a.approval.minutes} min`
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
  out(p.plan.preview.trimEnd().replace(/^/gm, '  │ '));
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    cwd: { type: 'string' },
    approve: { type: 'boolean' },
    minutes: { type: 'string' },
    yes: { type: 'boolean', short: 'y' },
    terminal: { type: 'string' },
    'mfa-code': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
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

  if (values.approve && minutes !== undefined) {
    recordApproval({ cwd: info.cwd, planHash: plan.hash, minutes });
    info = inspectHandoff(info.cwd);
  }

  let doLaunch = Boolean(values.yes);
  let shown = false;
  if (!doLaunch && values.approve && process.stdin.isTTY && !values.json) {
    printInfo(info);
    shown = true;
    doLaunch = await confirm(`\nLaunch the elevated tier for ${minutes} min now? [y/N] `);
  }
  if (!doLaunch) {
    if (values.json) json(infoView(info));
    else {
      if (!shown) printInfo(info);
      if (values.approve)
        out(
          `\napproved sha256 ${shortHash(plan.hash)} for ${minutes} min; launch with: elevate handoff --yes`,
        );
      else if (info.approval.status === 'void') err(`\nelevate: approval void: ${info.approval.reason}`);
    }
    return info.approval.status === 'void' ? 1 : 0;
  }

  try {
    const r = await launchHandoff({
      cwd: info.cwd,
      ...(values['mfa-code'] ? { mfaCode: values['mfa-code'] } : {}),
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
          iamExpiry: r.elevation !== null,
          roleSessionName: r.elevation?.spec.roleSessionName ?? null,
          awsConfig: r.elevation?.configFile ?? null,
          outlivesDeadlineBy: r.elevation?.fitted.overrunSeconds ?? 0,
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
      if (r.elevation)
        out(
          `  AWS      ${r.elevation.spec.roleSessionName} via ${r.elevation.configFile} (credentials stop at the deadline)`,
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
