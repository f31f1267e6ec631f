// `elevate whoami <tier>`: resolve the tier's credentials with the SDK's own providers and ask STS who they are.
import { loadContext } from '../../node/context';
import { IdentityError, verifyTier } from '../../node/identity';
import { parse, tierArg } from '../args';
import { CliError, json, out, UsageError } from '../io';

export const usage = 'elevate whoami <readonly|elevated> [--json]';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
  const tier = tierArg(positionals[0], usage);
  if (positionals.length > 1)
    throw new UsageError(`unexpected argument "${positionals[1]}"\nusage: ${usage}`);
  const ctx = loadContext(process.env);
  let id;
  try {
    id = await verifyTier(ctx, tier);
  } catch (e) {
    if (e instanceof IdentityError) throw new CliError(e.code, e.message, 1);
    throw e;
  }
  if (values.json) {
    json(id);
    return 0;
  }
  out(`${tier}: profile ${id.profile}`);
  out(`  account:  ${id.account}`);
  out(`  arn:      ${id.arn}`);
  out(`  user id:  ${id.userId}`);
  if (id.roleName) out(`  role:     ${id.roleName}`);
  if (id.sessionName) {
    const note = id.expectedSessionName
      ? id.sessionNameMatches
        ? '(matches role_session_name)'
        : `(profile's role_session_name is "${id.expectedSessionName}")`
      : '(the profile sets no role_session_name; set one to find this session in CloudTrail)';
    out(`  session:  ${id.sessionName} ${note}`);
  }
  return 0;
}
