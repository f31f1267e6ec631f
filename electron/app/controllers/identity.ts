// `tiers:verify`: STS GetCallerIdentity through each tier's profile; results shown per tier.
import { isElevateError } from '../../../shared/errors';
import type { ErrorInfo, Identity } from '../../../shared/state';
import type { Tier } from '../../../shared/types';
import type { Response } from '../../../shared/ipc';
import { verifyTier } from '../../node/identity';
import { CoreError, type Runtime } from '../runtime';

export async function verifyTiers(rt: Runtime, tiers: Tier[]): Promise<Response<'tiers:verify'>> {
  const ctx = rt.requireCtx();
  const wanted = tiers.filter((t) => ctx.tiers[t]);
  if (!wanted.length)
    throw new CoreError('no-tiers', 'no tiers are set up yet: add the profiles to ~/.aws/config first', 2);
  return rt.store.withBusy('tiers:verify', async () => {
    const results = await Promise.all(
      wanted.map(async (tier) => {
        try {
          const id = await verifyTier(ctx, tier, { now: () => rt.now() });
          const identity: Identity = {
            tier,
            profile: id.profile,
            account: id.account,
            arn: id.arn,
            userId: id.userId,
            roleName: id.roleName,
            sessionName: id.sessionName,
            sessionNameMatches: id.expectedSessionName ? id.sessionNameMatches : null,
            verifiedAt: id.verifiedAt,
          };
          return { tier, ok: true, identity, error: null };
        } catch (err) {
          const error: ErrorInfo = isElevateError(err)
            ? { code: err.code, message: err.message }
            : { code: 'failed', message: (err as Error).message };
          return { tier, ok: false, identity: null, error };
        }
      }),
    );
    const state = rt.store.state;
    const identities = { ...state.identities };
    const identityErrors = { ...state.identityErrors };
    for (const r of results) {
      identities[r.tier] = r.identity ?? (r.ok ? null : identities[r.tier]);
      identityErrors[r.tier] = r.error;
      if (!r.ok) identities[r.tier] = null;
    }
    rt.store.update({ identities, identityErrors });
    return { results };
  });
}
