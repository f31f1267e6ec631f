// `elevate run --session ID`: what every terminal opened by Elevate runs (see services/runner.ts).
import { runSession } from '../../node/runner';
import { parse } from '../args';
import { defineCommand, usageOf } from '../help';
import { UsageError } from '../io';

export const spec = defineCommand({
  name: 'run',
  usage: ['run --session ID'],
  options: {
    session: {
      type: 'string',
      arg: 'ID',
      help: 'the session spec to run (its command, tier, deadline and broker), in this terminal',
    },
  },
  examples: [
    ['elevate run --session 20261124150000-abcd1234', 'what every Elevate terminal runs; not for direct use'],
  ],
  notes: 'Elevate writes the session spec (launch, handoff, ssm connect) and opens a terminal running this.',
});
export const usage = usageOf(spec);

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, spec);
  if (!values.session || positionals.length) throw new UsageError(`usage: ${usage}`);
  return runSession(values.session);
}
