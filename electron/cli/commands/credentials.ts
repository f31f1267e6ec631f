// `elevate credentials`: REMOVED as a credential source. Sessions get their credentials from their runner's
// broker (node/broker.ts: a loopback container-credentials endpoint whose token exists only in the session's
// environment); no command prints credentials and no cache holds them. Kept as a clear refusal, so an old
// generated config's credential_process fails with an explanation instead of "unknown command".
import { parse } from '../args';
import { defineCommand, usageOf } from '../help';
import { CliError } from '../io';

export const spec = defineCommand({
  name: 'credentials',
  usage: ['credentials   (removed: always refuses; sessions get credentials from their own broker)'],
  options: {
    session: {
      type: 'string',
      arg: 'ID',
      help: 'ignored: accepted only so an old credential_process line gets the explanation, not a usage error',
    },
  },
  examples: [
    [
      'elevate credentials --session 01J...',
      'refuses, explaining the broker: start the session again with `elevate launch` or `elevate handoff`',
    ],
  ],
  notes:
    'No command prints credentials any more. Every session Elevate starts gets them from its own broker: a\n' +
    "loopback endpoint named by AWS_CONTAINER_CREDENTIALS_FULL_URI in that session's environment, whose token\n" +
    'only that session holds. Nothing is cached on disk. Always exits 1.',
});
export const usage = usageOf(spec);

export async function run(argv: string[]): Promise<number> {
  // Options are checked (unknown ones are usage errors); whatever they say, the answer is the refusal.
  parse(argv, spec);
  throw new CliError(
    'removed',
    'elevate credentials no longer issues credentials: every session Elevate starts gets them from its own ' +
      "broker (AWS_CONTAINER_CREDENTIALS_FULL_URI in the session's environment). Start the session again " +
      'with `elevate launch` or `elevate handoff`',
    1,
  );
}
