// `elevate credentials`: REMOVED as a credential source. Sessions get their credentials from their runner's
// broker (node/broker.ts: a loopback container-credentials endpoint whose token exists only in the session's
// environment); no command prints credentials and no cache holds them. Kept as a clear refusal, so an old
// generated config's credential_process fails with an explanation instead of "unknown command".
import { CliError } from '../io';

export const usage = 'elevate credentials   (removed: sessions get credentials from their own broker)';

export async function run(_argv: string[]): Promise<number> {
  throw new CliError(
    'removed',
    'elevate credentials no longer issues credentials: every session Elevate starts gets them from its own ' +
      "broker (AWS_CONTAINER_CREDENTIALS_FULL_URI in the session's environment). Start the session again " +
      'with `elevate launch` or `elevate handoff`',
    1,
  );
}
