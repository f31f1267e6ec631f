import type { Identity } from '../../../../shared/state';
import { formatAgo } from '../../../../shared/stateHelpers';
import { useNow } from '../../hooks/useNow';

/** The identity STS confirmed for a tier (GetCallerIdentity through its profile). */
export function IdentityView({ id }: { id: Identity }) {
  const now = useNow(true, 30_000);
  return (
    <dl className="kv kv--identity" data-testid={`identity-${id.tier}`}>
      <dt>Verified ARN</dt>
      <dd className="mono-wrap">{id.arn}</dd>
      <dt>Account</dt>
      <dd>{id.account}</dd>
      {id.sessionName ? (
        <>
          <dt>Session name</dt>
          <dd>
            {id.sessionName}{' '}
            {id.sessionNameMatches === true ? (
              <span className="tag tag--ok">matches profile</span>
            ) : id.sessionNameMatches === false ? (
              <span className="tag tag--warn">differs from profile</span>
            ) : null}
          </dd>
        </>
      ) : null}
      <dt>Checked</dt>
      <dd>{formatAgo(id.verifiedAt, now)}</dd>
    </dl>
  );
}
