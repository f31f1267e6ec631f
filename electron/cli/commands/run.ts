// `elevate run --session ID`: what every terminal opened by Elevate runs (see services/runner.ts).
import { runSession } from '../../node/runner';
import { parse } from '../args';
import { UsageError } from '../io';

export const usage = 'elevate run --session ID';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { session: { type: 'string' } });
  if (!values.session || positionals.length) throw new UsageError(`usage: ${usage}`);
  return runSession(values.session);
}
