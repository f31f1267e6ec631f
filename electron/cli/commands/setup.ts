// `elevate setup`: deploy the tier roles (infra/laptop.yaml, or infra/workstation.yaml on EC2) as the
// operator, append the two tier profiles to ~/.aws/config, verify both tiers and run doctor.
import { runDoctor } from '../../node/doctor';
import { IdentityError, verifyProfile, type VerifiedIdentity } from '../../node/identity';
import { awsConfigPath } from '../../node/paths';
import {
  cloudFormationClient,
  deployStack,
  formatEvent,
  planSetup,
  profileSpecs,
  SetupError,
  type DeployResult,
  type SetupPlan,
  type TemplateKind,
} from '../../node/setup';
import { applyConfigAppend, planConfigAppend, renderDiff, type ConfigPlan } from '../../node/setupConfig';
import { parse } from '../args';
import { defineCommand, usageOf } from '../help';
import { CliError, confirm, err, json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'setup',
  usage: [
    'setup [--dry-run | --deploy] [--profile NAME] [--region R] [--yes] [--mfa-serial ARN | --no-mfa] [--mfa-code CODE] [--template laptop|workstation] [--stack-name NAME] [--operator-arn ARN] [--readonly-profile NAME] [--elevated-profile NAME] [--vpc-id ID --subnet-id ID] [--json]',
  ],
  options: {
    'dry-run': {
      type: 'boolean',
      help: 'show the template, parameters, AWS calls and config diff; deploy and write nothing',
    },
    deploy: { type: 'boolean', help: 'deploy the stack, append the profiles, verify both tiers, run doctor' },
    yes: {
      type: 'boolean',
      short: 'y',
      help: 'accept the printed config diff without asking (needed off a terminal)',
    },
    json: { type: 'boolean', help: 'print the plan and results as JSON (progress goes to stderr)' },
    profile: {
      type: 'string',
      arg: 'NAME',
      help: 'operator profile that deploys (admin rights; default: AWS_PROFILE, then default)',
    },
    region: { type: 'string', arg: 'R', help: "region of the stack (default: the operator profile's)" },
    'stack-name': {
      type: 'string',
      arg: 'NAME',
      help: 'CloudFormation stack name (default: elevate-laptop or elevate-workstation)',
    },
    template: {
      type: 'string',
      arg: 'laptop|workstation',
      help: 'infra/laptop.yaml or infra/workstation.yaml (default: detected, workstation on EC2)',
    },
    'operator-arn': {
      type: 'string',
      arg: 'ARN',
      help: "principal the tier roles trust (default: the operator profile's identity)",
    },
    'mfa-serial': {
      type: 'string',
      arg: 'ARN',
      help: "MFA device the elevated role requires (default: the operator's, asked or detected)",
    },
    'no-mfa': { type: 'boolean', help: 'the elevated role requires no MFA (not recommended)' },
    'mfa-code': {
      type: 'string',
      arg: 'CODE',
      help: 'current MFA code, to verify the elevated tier after deploy',
    },
    'readonly-profile': {
      type: 'string',
      arg: 'NAME',
      help: 'name of the read-only profile appended to ~/.aws/config',
    },
    'elevated-profile': {
      type: 'string',
      arg: 'NAME',
      help: 'name of the elevated profile appended to ~/.aws/config',
    },
    'vpc-id': {
      type: 'string',
      arg: 'ID',
      help: "workstation template: VPC of the instance (on EC2: this instance's)",
    },
    'subnet-id': {
      type: 'string',
      arg: 'ID',
      help: "workstation template: subnet, with a route to SSM (on EC2: this instance's)",
    },
  },
  examples: [
    ['elevate setup --dry-run --profile admin', 'everything setup would deploy and write, nothing done'],
    [
      'elevate setup --deploy --profile admin',
      'deploy the tier roles and append the two profiles (asks first)',
    ],
    [
      'elevate setup --deploy --yes --json --profile admin --mfa-code 123456',
      'unattended, verifying the MFA-protected elevated tier',
    ],
  ],
  notes:
    '~/.aws/config is only appended to (a backup first); existing sections are never changed. On a terminal without --dry-run or --deploy, setup shows the plan and asks.',
});
export const usage = usageOf(spec);

async function ask(question: string, secret = false): Promise<string | undefined> {
  const readline = await import('node:readline/promises');
  const { Writable } = await import('node:stream');
  // A secret (MFA code) is not echoed: the prompt is written, then the terminal output is muted.
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (!muted) process.stderr.write(chunk);
      cb();
    },
  });
  const rl = readline.createInterface({
    input: process.stdin,
    output,
    terminal: Boolean(process.stdin.isTTY),
  });
  try {
    if (!secret) return await rl.question(question);
    process.stderr.write(question);
    muted = true;
    const answer = await rl.question('');
    muted = false;
    process.stderr.write('\n');
    return answer;
  } finally {
    rl.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  if (v['dry-run'] && v.deploy)
    throw new UsageError(`--dry-run and --deploy exclude each other\nusage: ${usage}`);
  if (v['no-mfa'] && v['mfa-serial']) throw new UsageError('--no-mfa and --mfa-serial exclude each other');
  if (v.template !== undefined && v.template !== 'laptop' && v.template !== 'workstation')
    throw new UsageError(`--template: expected laptop or workstation, got "${v.template}"`);
  if (v['mfa-code'] !== undefined && !/^\d{6}$/.test(v['mfa-code']))
    throw new UsageError('--mfa-code: expected the 6 digits your MFA device shows');
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY) && !v.json;
  if (v.deploy && !interactive && !v.yes)
    throw new UsageError(
      'setup --deploy changes your AWS account and ~/.aws/config; on a non-interactive terminal (or with --json) add --yes to accept the config diff it prints, or use --dry-run to see everything first',
    );
  const env = process.env;
  const pollMs = Number(env.ELEVATE_SETUP_POLL_MS) > 0 ? Number(env.ELEVATE_SETUP_POLL_MS) : 3000;
  // Progress goes to stderr under --json so stdout stays one JSON document.
  const say = v.json ? err : out;
  const report: Record<string, unknown> = {};

  let plan: SetupPlan;
  try {
    plan = await planSetup({
      env,
      ...(v.profile ? { profile: v.profile } : {}),
      ...(v.region ? { region: v.region } : {}),
      ...(v['stack-name'] ? { stackName: v['stack-name'] } : {}),
      ...(v.template ? { template: v.template as TemplateKind } : {}),
      ...(v['operator-arn'] ? { operatorArn: v['operator-arn'] } : {}),
      ...(v['mfa-serial'] ? { mfaSerial: v['mfa-serial'] } : {}),
      ...(v['no-mfa'] ? { noMfa: true } : {}),
      ...(v['readonly-profile'] ? { readonlyProfile: v['readonly-profile'] } : {}),
      ...(v['elevated-profile'] ? { elevatedProfile: v['elevated-profile'] } : {}),
      ...(v['vpc-id'] ? { vpcId: v['vpc-id'] } : {}),
      ...(v['subnet-id'] ? { subnetId: v['subnet-id'] } : {}),
      ...(interactive ? { ask } : {}),
    });
  } catch (e) {
    throw asCli(e);
  }
  const dry = Boolean(v['dry-run']) || (!v.deploy && !interactive);
  report.plan = planJson(plan, dry);
  if (!v.json) printPlan(plan, dry);

  if (dry) {
    if (plan.template.kind === 'laptop') {
      // The ARNs the stack will output (role names are fixed by the template's Prefix).
      const prefix = 'claudecode-laptop';
      const predicted = profileSpecs(plan, {
        ReadOnlyRoleArn: `arn:aws:iam::${plan.operator.account}:role/${prefix}-readonly`,
        ElevatedRoleArn: `arn:aws:iam::${plan.operator.account}:role/${prefix}-elevated`,
      });
      const cp = planConfigAppend(awsConfigPath(env), predicted, new Date().toISOString());
      report.config = configJson(cp);
      if (!v.json) printConfigPlan(cp);
    }
    if (v.json) json({ dryRun: true, ...report });
    else
      out(
        v['dry-run']
          ? '\ndry run: nothing was deployed or written. Run `elevate setup --deploy` to do it.'
          : '\nnothing deployed (not a terminal): run `elevate setup --deploy --yes` to deploy and write the profiles.',
      );
    return 0;
  }

  if (!v.deploy && interactive) {
    const ok = await confirm(
      `\nDeploy stack ${plan.stackName} to account ${plan.operator.account} (${plan.region}) as profile ${plan.operator.profile}? [y/N] `,
    );
    if (!ok) {
      out('nothing deployed.');
      return 1;
    }
  }

  say(`\ndeploying ${plan.stackName} (${plan.template.kind}.yaml) …`);
  const cfn = cloudFormationClient(plan, env);
  let result: DeployResult;
  try {
    result = await deployStack(plan, cfn, (e) => say(`  ${formatEvent(e)}`), { pollMs });
  } catch (e) {
    throw asCli(e);
  } finally {
    cfn.destroy();
  }
  report.stack = {
    name: plan.stackName,
    id: result.stackId,
    action: result.action,
    status: result.status,
    outputs: result.outputs,
  };
  say(
    result.action === 'unchanged'
      ? `stack ${plan.stackName} is already up to date (${result.status})`
      : `stack ${plan.stackName}: ${result.status}`,
  );

  if (plan.template.kind === 'workstation') {
    say(`connect with: ${result.outputs.ConnectCommand ?? `elevate ssm connect --region ${plan.region}`}`);
    if (v.json) json(report);
    return 0;
  }

  // ~/.aws/config: append-only, diff shown and confirmed, backup first.
  const stamp = new Date().toISOString();
  const cp = planConfigAppend(awsConfigPath(env), profileSpecs(plan, result.outputs), stamp);
  report.config = configJson(cp);
  if (cp.conflicts.length) {
    throw new CliError(
      'config-conflict',
      [
        `the stack is deployed, but ${cp.file} already has different profiles with these names; setup changes no existing section:`,
        ...cp.conflicts.flatMap((c) => [
          `  [profile ${c.name}] (line ${c.line}):`,
          ...c.differences.map((d) => `    ${d}`),
        ]),
        'Either fix those sections yourself, or run setup again with --readonly-profile NAME --elevated-profile NAME (new names; then set the tiers in Elevate settings).',
      ].join('\n'),
      1,
    );
  }
  if (cp.after === cp.before) {
    say(`${cp.file}: ${cp.present.join(' and ')} already present with these settings; nothing to add`);
  } else {
    if (!v.json) out(`\n${renderDiff(cp)}\n`);
    else err(renderDiff(cp));
    if (!v.yes) {
      const ok = await confirm(`Append these lines to ${cp.file} (a backup is made first)? [y/N] `);
      if (!ok) {
        out(
          `nothing written to ${cp.file}; the stack stays deployed. Run setup again to write the profiles.`,
        );
        return 1;
      }
    }
    let backup: string | undefined;
    try {
      ({ backup } = applyConfigAppend(cp, stamp));
    } catch (e) {
      throw new CliError('config-write', `${(e as Error).message}`, 1);
    }
    report.config = { ...configJson(cp), written: true, ...(backup ? { backup } : {}) };
    say(
      `appended ${cp.appended.split('\n').filter((l) => l.startsWith('[')).length} profile(s) to ${cp.file}${backup ? ` (backup: ${backup})` : ''}`,
    );
  }

  // Verify both tiers as Claude will use them, then doctor.
  const whoami: Record<string, unknown> = {};
  let ok = true;
  const check = async (label: string, profile: string, code?: string): Promise<void> => {
    try {
      const id = await verifyWithRetry(profile, env, code, pollMs);
      whoami[label] = { ok: true, profile, arn: id.arn, account: id.account };
      say(`whoami ${label}: ok — ${id.arn}`);
    } catch (e) {
      ok = false;
      const msg = e instanceof IdentityError ? e.message : (e as Error).message;
      whoami[label] = { ok: false, profile, error: msg };
      say(`whoami ${label}: FAILED — ${msg}`);
    }
  };
  await check('readonly', plan.profiles.readonly);
  if (plan.profiles.mfaSerial) {
    let code = v['mfa-code'];
    if (!code && interactive)
      code = (
        await ask(
          `MFA code for ${plan.profiles.mfaSerial} (to verify the elevated tier; empty to skip): `,
          true,
        )
      )?.trim();
    if (code) await check('elevated', plan.profiles.elevated, code);
    else {
      whoami.elevated = { ok: null, profile: plan.profiles.elevated, skipped: 'no MFA code' };
      say(
        `whoami elevated: not checked (needs an MFA code: elevate setup --deploy --mfa-code CODE, or elevate whoami elevated)`,
      );
    }
  } else await check('elevated', plan.profiles.elevated);
  report.whoami = whoami;

  const checks = await runDoctor(env);
  const failed = checks.filter((c) => c.status === 'fail');
  const warned = checks.filter((c) => c.status === 'warn');
  report.doctor = { ok: failed.length === 0, fail: failed.length, warn: warned.length, checks };
  say(
    `doctor: ${checks.length - failed.length - warned.length} ok, ${warned.length} warn, ${failed.length} fail`,
  );
  for (const c of [...failed, ...warned])
    say(`  [${c.status}] ${c.id}: ${c.message}${c.fix ? `\n         fix: ${c.fix}` : ''}`);
  if (v.json) json(report);
  else if (ok)
    out(
      `\ndone. Start Claude read-only with: elevate launch readonly   (elevate: elevate launch elevated --minutes 15)`,
    );
  return ok ? 0 : 1;
}

async function verifyWithRetry(
  profile: string,
  env: NodeJS.ProcessEnv,
  code: string | undefined,
  pollMs: number,
): Promise<VerifiedIdentity> {
  // New IAM roles take a few seconds to become assumable; MFA codes are not retried (one use).
  const attempts = code ? 1 : 4;
  for (let i = 1; ; i++) {
    try {
      return await verifyProfile(profile, env, code ? { mfaCodeProvider: () => Promise.resolve(code) } : {});
    } catch (e) {
      if (i >= attempts || !(e instanceof IdentityError) || e.code !== 'access-denied') throw e;
      await new Promise((r) => setTimeout(r, Math.min(pollMs * 2, 5000)));
    }
  }
}

function asCli(e: unknown): unknown {
  if (e instanceof SetupError) return new CliError(e.code, e.message, e.exitCode);
  return e;
}

function planJson(plan: SetupPlan, withTemplate: boolean): Record<string, unknown> {
  return {
    environment: { kind: plan.environment.kind, detail: plan.environment.detail },
    operator: {
      profile: plan.operator.profile,
      profileSource: plan.operator.profileSource,
      arn: plan.operator.arn,
      account: plan.operator.account,
      kind: plan.operator.kind,
      principalArn: plan.operator.principalArn,
    },
    template: {
      kind: plan.template.kind,
      path: plan.template.path,
      ...(withTemplate ? { text: plan.template.text } : {}),
    },
    stackName: plan.stackName,
    region: plan.region,
    parameters: plan.parameters,
    profiles: plan.profiles,
    calls: plan.calls,
    warnings: plan.warnings,
  };
}

function configJson(cp: ConfigPlan): Record<string, unknown> {
  return { file: cp.file, append: cp.appended, present: cp.present, conflicts: cp.conflicts };
}

function printPlan(plan: SetupPlan, withTemplate: boolean): void {
  out(`where:     ${plan.environment.kind} — ${plan.environment.detail}`);
  out(`operator:  profile ${plan.operator.profile} (${plan.operator.profileSource})`);
  out(`           ${plan.operator.arn} (${plan.operator.kind}, account ${plan.operator.account})`);
  out(`template:  ${plan.template.path}`);
  out(`stack:     ${plan.stackName} in ${plan.region}`);
  out('parameters:');
  for (const p of plan.parameters) out(`  ${p.key} = ${p.value}`);
  out(
    `profiles:  ${plan.profiles.readonly} (read-only), ${plan.profiles.elevated} (elevated${plan.profiles.mfaSerial ? `, mfa_serial ${plan.profiles.mfaSerial}` : ', no MFA'}), source_profile = ${plan.operator.profile}`,
  );
  out('calls:');
  for (const c of plan.calls) out(`  ${c}`);
  for (const w of plan.warnings) out(`note: ${w}`);
  if (withTemplate) out(`\n--- ${plan.template.path}\n${plan.template.text.replace(/\n$/, '')}\n---`);
}

function printConfigPlan(cp: ConfigPlan): void {
  if (cp.conflicts.length) {
    out(`\n${cp.file} already has different profiles with these names; --deploy would stop before writing:`);
    for (const c of cp.conflicts) out(`  [profile ${c.name}] (line ${c.line}): ${c.differences.join('; ')}`);
  } else if (cp.after === cp.before)
    out(`\n${cp.file}: the profiles are already present; nothing would be added`);
  else out(`\n${cp.file} would get (role ARNs from the stack outputs):\n${renderDiff(cp)}`);
}
