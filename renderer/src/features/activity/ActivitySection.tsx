import type { AppState } from '../../../../shared/state';
import { AuditPanel } from './AuditPanel';
import { AwsCallsPanel } from './AwsCallsPanel';
import { PolicyHintsPanel } from './PolicyHintsPanel';

/** The Activity section: the agents' aws calls, the policy hints from denials, and Elevate's audit log. */
export function ActivitySection({ state }: { state: AppState }) {
  return (
    <>
      <AwsCallsPanel state={state} />
      <PolicyHintsPanel state={state} />
      <AuditPanel state={state} />
    </>
  );
}
