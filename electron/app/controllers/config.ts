// Loading the configuration (~/.aws/config, settings, sessions) into the store. Problems become
// `configError`, never a crash.
import { resolveChain } from '../../../shared/awsConfig';
import { selfElevationFindings } from '../../../shared/selfElevation';
import type { Settings } from '../../../shared/settings';
import type { AppState, TierInfo } from '../../../shared/state';
import type { Tier } from '../../../shared/types';
import { loadContext, type CoreContext } from '../../node/context';
import type { Runtime } from '../runtime';
import { safeSettings } from '../schedulers/costGuard';

/** Re-read ~/.aws, settings and sessions into the store. `activeTier`: what the tier now is. */
export function reloadConfig(rt: Runtime, activeTier: () => AppState['activeTier']): void {
  let configError: string | null = null;
  try {
    rt.ctx = loadContext(rt.env);
  } catch (err) {
    rt.ctx = null;
    configError = (err as Error).message;
  }
  const ctx = rt.ctx;
  const state = rt.store.state;
  const tiers: AppState['tiers'] = ctx
    ? {
        readonly: tierInfo(ctx, 'readonly'),
        elevated: tierInfo(ctx, 'elevated'),
        source: ctx.tiers.source,
        notes: ctx.tiers.notes,
      }
    : { readonly: null, elevated: null, source: 'none', notes: [] };
  // Identities verified for a profile that is no longer the tier's profile are stale.
  const identities = { ...state.identities };
  const identityErrors = { ...state.identityErrors };
  for (const t of ['readonly', 'elevated'] as const) {
    if (identities[t] && identities[t]?.profile !== tiers[t]?.profile) identities[t] = null;
    if (!tiers[t]) identityErrors[t] = null; // no tier, nothing to have failed
  }
  const settings = ctx?.settings ?? safeSettings(rt.env);
  const ws = settings?.workstation;
  rt.store.stage({ tiers });
  rt.store.update({
    configError,
    elevatedNeedsMfa: Boolean(ctx?.tiers.elevated && ctx.setup.profiles.get(ctx.tiers.elevated)?.mfaSerial),
    tiers,
    identities,
    identityErrors,
    activeTier: activeTier(),
    settings: summarize(settings),
    sessions: rt.readSessions(),
    workstation: {
      ...state.workstation,
      configured: Boolean(ws && (ws.instanceId || ws.operatorProfile)),
      // an instance found by tag (no id in settings) stays known across reloads
      instanceId: ws?.instanceId ?? (ws?.operatorProfile ? state.workstation.instanceId : null),
      region: ws?.region ?? (ws?.operatorProfile ? state.workstation.region : null),
    },
  });
}

function tierInfo(ctx: CoreContext, tier: Tier): TierInfo | null {
  const name = ctx.tiers[tier];
  if (!name) return null;
  const p = ctx.setup.profiles.get(name);
  const chain = resolveChain(ctx.setup.profiles, name);
  return {
    tier,
    profile: name,
    chain: chain.chain,
    roleArn: p?.roleArn ?? null,
    region: p?.region ?? null,
    roleSessionName: p?.roleSessionName ?? null,
    problems: p ? chain.problems : [`profile "${name}" is not in ${ctx.setup.configPath}`],
    ...(tier === 'elevated' ? { selfElevation: selfElevation(ctx) } : {}),
  };
}

/** The elevated tier's self-elevation finding, as `elevate doctor` reports it (electron/node/doctor.ts). */
function selfElevation(ctx: CoreContext): TierInfo['selfElevation'] {
  const f = selfElevationFindings(ctx.setup.profiles, ctx.tiers)[0];
  if (!f) return null;
  return { status: f.status, message: f.message, ...(f.fix ? { fix: f.fix } : {}) };
}

function summarize(s: Settings | null): AppState['settings'] {
  return {
    elevationMinutes: s?.elevation.defaultMinutes ?? 30,
    launchAtLogin: s?.launchAtLogin ?? false,
    recentFolders: s?.recentFolders ?? [],
    terminal: s?.terminal ?? null,
    claudePath: s?.claudePath ?? null,
    bedrock: {
      enabled: s?.bedrock.enabled ?? true,
      model: s?.bedrock.model ?? '',
      region: s?.bedrock.region ?? null,
    },
  };
}
