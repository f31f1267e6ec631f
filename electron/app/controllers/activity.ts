// Activity (issue 9): the recorded AWS calls, and the CLI's policy hints with each tier's profile.
import { buildPolicyHints, policyDocument, type IamStatement } from '../../../shared/activity';
import type { ParsedRequest, Response } from '../../../shared/ipc';
import { readActivity } from '../../node/activity';
import type { Runtime } from '../runtime';

export function listActivity(rt: Runtime, req: ParsedRequest<'activity:list'>): Response<'activity:list'> {
  const all = readActivity(rt.env, req?.session ? { sessionId: req.session } : {});
  return { records: all.slice(-(req?.limit ?? 200)), total: all.length };
}

/** `policy:hints`: the CLI's grouping and IAM documents, with the profile each tier's role is behind. */
export function policyHints(rt: Runtime): Response<'policy:hints'> {
  const records = readActivity(rt.env);
  const h = buildPolicyHints(records);
  const doc = (st: IamStatement[]) => (st.length ? JSON.stringify(policyDocument(st), null, 2) : null);
  return {
    tiers: h.tiers.map((t) => ({
      tier: t.tier,
      profile: t.tier === 'unknown' ? null : (rt.store.state.tiers[t.tier]?.profile ?? null),
      denied: t.denied,
      handoff: t.handoff,
      explicit: t.explicit,
      sensitive: t.sensitive,
      policy: doc(t.statements),
    })),
    elevatedForHandoff: doc(h.elevatedForHandoff),
    calls: records.length,
  };
}
