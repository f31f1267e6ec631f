// `elevate whoami <tier>`: resolve the tier's credentials with the SDK's own providers and ask STS who they are.
import { loadContext } from '../../node/context';
import { IdentityError, verifyTier } from '../../node/identity';
import { parse, tierArg } from '../args';
import { defineCommand, usageOf } from '../help';
import { CliError, json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'whoami',
  usage: ['whoami <readonly|elevated> [--mfa-code CODE] [--json]'],
  args: [['<readonly|elevated>', 'the tier to verify']],
  options: {
    'mfa-code': {
      type: 'string',
      arg: 'CODE',
      help: "the current code of the profile's MFA device (profiles with mfa_serial)",
    },
    json: { type: 'boolean', help: 'print the identity as JSON' },
  },
  examples: [
    ['elevate whoami readonly', 'account, role and session name of the read-only tier'],
    ['elevate whoami elevated --mfa-code 123456', 'the elevated tier, whose profile asks for MFA'],
  ],
});
export const usage = usageOf(spec);

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, spec);
  const tier = tierArg(positionals[0], usage);
  if (positionals.length > 1)
    throw new UsageError(`unexpected argument "${positionals[1]}"\nusage: ${usage}`);
  const code = values['mfa-code'];
  if (code !== undefined && !/^\d{6}$/.test(code))
    throw new UsageError(`--mfa-code: expected the 6 digits your MFA device shows\nusage: ${usage}`);
  const ctx = loadContext(process.env);
  let id;
  try {
    const code = values['mfa-code'];
    id = await verifyTier(
      ctx,
      tier,
      code === undefined ? {} : { mfaCodeProvider: () => Promise.resolve(code) },
    );
  } catch (e) {
    if (e instanceof IdentityError && e.code === 'mfa-required' && values['mfa-code'] === undefined)
      throw new CliError(
        e.code,
        `${e.message.replace(/\. Use a profile without mfa_serial.*$/, '')}: run "elevate whoami ${tier} --mfa-code CODE" with your device's current code`,
        1,
      );
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
