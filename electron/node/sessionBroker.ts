// The runner's side of the broker (broker.ts, elevation.ts): from a session spec — HOSTILE input, only its
// tier and requested deadline are used — and the runner's OWN env (the user's real AWS config and Elevate's
// settings), set up the session's credentials:
//   - the tier's profile name and region come from the user's config, not from the spec;
//   - read-only: the tier's chain, lazily (first AWS call), refreshed by the SDK provider;
//   - elevated: deadline = the spec's, capped at MAX_ELEVATION_MINUTES from the runner's clock, whole
//     seconds; with mfa_serial the code is asked on this terminal (tier, role, minutes, local deadline, plan
//     hash) and the ONE AssumeRole happens now; without it (seed layout) the one AssumeRole happens on the
//     first AWS call;
//   - per-session config (one profile) + empty credentials file + the broker's URL/token for the child.
import fs from 'node:fs';
import path from 'node:path';
import { planHash, shortHash } from '../../shared/plan';
import { appendAudit } from './audit';
import {
  brokerEnv,
  BrokerRefusal,
  readonlySource,
  SAFE_PROFILE_RE,
  sessionPeerCheck,
  startCredentialServer,
  writeSessionAwsFiles,
  type CredentialServer,
  type CredentialSource,
} from './broker';
import { loadContext, tierProfile } from './context';
import {
  assumeElevatedOnce,
  elevatedSource,
  ElevationError,
  planElevation,
  type AssumedElevation,
  type ElevationPlan,
} from './elevation';
import { stsEndpointFor } from './identity';
import { reviewPlan } from './iam/planReview';
import { planSessionPolicy, type SessionPolicy } from '../../shared/iam/sessionPolicy';
import { files, type Env } from './paths';
import type { SessionSpec } from './sessions';

export const MFA_ATTEMPTS = 3;
const MFA_RE = /^\d{6}$/;

export interface SessionBroker {
  server: CredentialServer;
  env: Record<string, string>;
  /** The deadline the runner must enforce (elevated: capped, whole seconds). */
  deadline: Date | null;
  plan: ElevationPlan | null;
  notes: string[];
  close(): Promise<void>;
}

export interface BrokerDeps {
  env: Env;
  now(): Date;
  say(s: string): void;
  askLine(prompt: string, timeoutMs: number): Promise<string | null>;
  /** Whether the session already ended (the broker refuses then). */
  ended(): string | null;
  /** The session's own process tree (child + descendants), for the broker's peer check. */
  tree(): number[];
}

function hhmm(d: Date): string {
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
}

/** The approved plan snapshot's bytes in the session's dir (no symlink, regular file), or null. */
export function readSnapshot(spec: SessionSpec, env: Env): Buffer | null {
  const file = path.join(files.sessions(env), spec.id, 'plan.md');
  try {
    const fd = fs.openSync(
      file,
      fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0),
    );
    try {
      if (!fs.fstatSync(fd).isFile()) return null;
      return fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** Hash of the approved plan snapshot in the session's dir, computed here (never taken from the spec). */
export function snapshotHash(spec: SessionSpec, env: Env): string | null {
  const bytes = readSnapshot(spec, env);
  return bytes ? planHash(bytes) : null;
}

/** Where a plan-scoped session's policy is written for the hook (ELEVATE_PLAN_ACTIONS) and the recorder. */
export function planPolicyPath(sessionId: string, env: Env): string {
  return path.join(files.sessions(env), sessionId, 'plan-policy.json');
}

export interface PlanScoped {
  /** Hash of the snapshot bytes the actions were computed from (shown at the MFA prompt). */
  hash: string;
  actions: string[];
  /** The AssumeRole `Policy` (minified). */
  json: string;
  policyScope: SessionPolicy['scope'];
  wildcardServices: string[];
  notes: string[];
  /** Plan commands not understood (not allowed by the session policy). */
  unparsed: number;
}

/**
 * A plan-scoped elevation's session policy, computed from the snapshot bytes read ONCE here (the hash shown
 * at the MFA prompt is of these same bytes): the plan's actions (resources where the commands name them),
 * each statement bounded by DateLessThan the deadline.
 */
export function planScopedPolicy(bytes: Uint8Array, deadline: Date): PlanScoped {
  const text = Buffer.from(bytes)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const review = reviewPlan(text);
  if (!review.actions.length)
    throw new ElevationError(
      'no-elevation',
      'plan-scoped elevation: the approved plan names no AWS action Elevate understands, so the session could do nothing; approve it again with the full elevated role (--scope full)',
    );
  let sp: SessionPolicy;
  try {
    sp = planSessionPolicy(review.actions, review.resources, deadline.toISOString());
  } catch (e) {
    throw new ElevationError('no-elevation', `plan-scoped elevation: ${(e as Error).message}`);
  }
  return {
    hash: planHash(bytes),
    actions: review.actions,
    json: sp.json,
    policyScope: sp.scope,
    wildcardServices: sp.wildcardServices,
    notes: sp.notes,
    unparsed: review.unparsed.length,
  };
}

function writePlanPolicy(file: string, scoped: PlanScoped): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.rmSync(file, { force: true });
  fs.writeFileSync(
    file,
    `${JSON.stringify(
      {
        planHash: scoped.hash,
        actions: scoped.actions,
        policyScope: scoped.policyScope,
        wildcardServices: scoped.wildcardServices,
        notes: scoped.notes,
        policy: JSON.parse(scoped.json) as unknown,
      },
      null,
      2,
    )}\n`,
    { mode: 0o400, flag: 'wx' },
  );
}

function scopeLines(scoped: PlanScoped | null): string[] {
  if (!scoped) return ['  scope     FULL elevated role (every action the role allows, until the deadline)'];
  const lines = [
    `  scope     limited to the plan: ${scoped.actions.length} action${scoped.actions.length === 1 ? '' : 's'} (${scoped.actions.join(', ')})`,
  ];
  if (scoped.wildcardServices.length)
    lines.push(
      `  WIDENED   service wildcards for ${scoped.wildcardServices.join(', ')}: the exact policy was too large for STS`,
    );
  if (scoped.unparsed)
    lines.push(`  note      ${scoped.unparsed} plan command(s) not understood: not allowed in this session`);
  return lines;
}

function auditIssue(
  plan: ElevationPlan,
  a: AssumedElevation,
  spec: SessionSpec,
  env: Env,
  now: Date,
  mfa: boolean,
  scoped: PlanScoped | null,
) {
  appendAudit(
    {
      type: 'elevation-issue',
      sessionId: spec.id,
      profile: plan.profile,
      roleArn: plan.roleArn,
      roleSessionName: plan.roleSessionName,
      sourceIdentity: a.sourceIdentity ? plan.roleSessionName : null,
      durationSeconds: a.durationSeconds,
      expiration: a.credentials.expiration?.toISOString(),
      deadline: plan.deadline.toISOString(),
      sessionPolicyUntil: plan.iamDeadline.toISOString(),
      scope: scoped ? 'plan' : 'full',
      ...(scoped
        ? {
            planHash: scoped.hash,
            actions: scoped.actions,
            policyScope: scoped.policyScope,
            ...(scoped.wildcardServices.length
              ? { wildcardServices: scoped.wildcardServices, policyNotes: scoped.notes }
              : {}),
          }
        : {}),
      mfa,
      by: 'runner',
    },
    env,
    now,
  );
}

/** Set up the broker for a tier session; throws ElevationError / Error with a message for the human. */
export async function setupBroker(spec: SessionSpec, d: BrokerDeps): Promise<SessionBroker | null> {
  if (spec.tier !== 'readonly' && spec.tier !== 'elevated') return null;
  const env = d.env;
  const ctx = loadContext(env);
  const tier = spec.tier;
  const profile = tierProfile(ctx, tier);
  const notes: string[] = [];
  const region =
    ctx.settings.bedrock.region ??
    profile.region ??
    (profile.sourceProfile ? ctx.setup.profiles.get(profile.sourceProfile)?.region : undefined);
  const name = SAFE_PROFILE_RE.test(profile.name) ? profile.name : `elevate-${tier}`;
  let source: CredentialSource;
  let plan: ElevationPlan | null = null;
  let deadline: Date | null = null;
  let scoped: PlanScoped | null = null;

  if (tier === 'readonly') {
    const elevatedName = ctx.tiers.elevated;
    const elevated = elevatedName ? ctx.setup.profiles.get(elevatedName) : undefined;
    if (
      elevated &&
      (elevated.name === profile.name || (elevated.roleArn && elevated.roleArn === profile.roleArn))
    )
      throw new Error(
        `the read-only tier names the elevated profile/role ("${profile.name}"): fix tiers in Elevate settings`,
      );
    source = readonlySource({
      profile: profile.name,
      configFile: ctx.setup.configPath,
      credentialsFile: ctx.setup.credentialsPath,
      endpoint: stsEndpointFor(ctx.env, ctx.settings.endpointUrl),
      region: region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    });
  } else {
    if (!spec.deadline) throw new ElevationError('no-elevation', 'an elevated session needs a deadline');
    plan = planElevation(ctx, spec.id, new Date(spec.deadline), d.now());
    deadline = plan.deadline;
    const p = plan;
    if (p.capped)
      notes.push(
        `the requested deadline ${spec.deadline} is more than the maximum away: ending at ${p.deadline.toISOString()}`,
      );
    // Plan scope: computed from the snapshot bytes read now, before the MFA prompt shows their hash.
    let hash: string | null;
    if (spec.planScope === 'plan') {
      const bytes = readSnapshot(spec, env);
      if (!bytes)
        throw new ElevationError(
          'no-elevation',
          'plan-scoped elevation without its plan snapshot in the session directory: not elevating',
        );
      scoped = planScopedPolicy(bytes, p.iamDeadline);
      hash = scoped.hash;
      writePlanPolicy(planPolicyPath(spec.id, env), scoped);
      if (scoped.wildcardServices.length)
        for (const n of scoped.notes) notes.push(`plan scope widened: ${n}`);
    } else hash = snapshotHash(spec, env);
    const sc = scoped;
    const policy = sc ? { policy: sc.json } : {};
    if (p.mfaSerial) {
      const minutes = Math.max(0, Math.round((p.deadline.getTime() - d.now().getTime()) / 60_000));
      d.say(
        [
          '',
          'elevate: ELEVATION requested for this session',
          `  tier      elevated (${p.profile})`,
          `  role      ${p.roleArn}`,
          `  minutes   ${minutes}`,
          `  until     ${hhmm(p.deadline)} local time (${p.deadline.toISOString()})`,
          ...(hash ? [`  plan      sha256 ${hash} (${shortHash(hash)})`] : []),
          ...scopeLines(sc),
          `  MFA       ${p.mfaSerial}`,
          'Type the MFA code only if YOU asked for this elevation. Anything else (empty line) refuses.',
        ].join('\n'),
      );
      let assumed: AssumedElevation | null = null;
      for (let attempt = 1; attempt <= MFA_ATTEMPTS && !assumed; attempt++) {
        const left = p.deadline.getTime() - d.now().getTime();
        if (left <= 0) break;
        const code = await d.askLine('MFA code: ', Math.min(left, 5 * 60_000));
        if (code === null || code === '') throw new ElevationError('mfa', 'no MFA code given: not elevating');
        if (!MFA_RE.test(code)) {
          d.say('elevate: an MFA code is 6 digits');
          continue;
        }
        try {
          assumed = await assumeElevatedOnce(p, {
            mfaCode: code,
            now: () => d.now().getTime(),
            ...policy,
          });
        } catch (e) {
          d.say(`elevate: ${(e as Error).message}`);
          if (!(e instanceof ElevationError) || e.code !== 'assume-role') throw e;
        }
      }
      if (!assumed) throw new ElevationError('mfa', 'elevation refused: no valid MFA code');
      auditIssue(p, assumed, spec, env, d.now(), true, sc);
      const a = assumed;
      source = elevatedSource(p.iamDeadline, async () => a, { now: () => d.now().getTime(), ended: d.ended });
    } else {
      notes.push(
        `"${p.profile}" has no mfa_serial: anything running as you can elevate (see elevate doctor)`,
      );
      notes.push(
        scopeLines(sc)
          .map((l) => l.trim().replace(/\s+/, ' '))
          .join('; '),
      );
      source = elevatedSource(
        p.iamDeadline,
        async () => {
          const a = await assumeElevatedOnce(p, { now: () => d.now().getTime(), ...policy });
          auditIssue(p, a, spec, env, d.now(), false, sc);
          return a;
        },
        { now: () => d.now().getTime(), ended: d.ended },
      );
    }
  }

  const awsFiles = writeSessionAwsFiles(spec.id, name, { region, tier }, env);
  const server = await startCredentialServer(source, {
    authorize: sessionPeerCheck(d.tree),
    onError: (e) => {
      if (!(e instanceof BrokerRefusal)) d.say(`elevate: credentials: ${(e as Error).message}`);
    },
  });
  return {
    server,
    env: {
      ...brokerEnv(server, awsFiles),
      ...(scoped ? { ELEVATE_PLAN_ACTIONS: planPolicyPath(spec.id, env) } : {}),
    },
    deadline,
    plan,
    notes,
    close: () => server.close(),
  };
}
