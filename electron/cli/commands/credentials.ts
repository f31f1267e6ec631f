// `elevate credentials --session ID`: the credential_process of an elevated session's generated AWS
// config. Prints ONLY the Version 1 JSON on stdout (the AWS CLI / SDK parse it); every message goes to
// stderr. Refuses after the elevation's deadline or after the session ended.
import { ElevationError, issueCredentials, readElevation, userAwsEnv } from '../../node/elevation';
import { parse } from '../args';
import { CliError, UsageError } from '../io';

export const usage =
  'elevate credentials --session ID   (used as credential_process; prints credentials JSON)';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { session: { type: 'string' } });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  const id = values.session;
  if (!id) throw new UsageError(`missing --session ID\nusage: ${usage}`);
  const guard = `ELEVATE_CREDENTIALS_FOR_${id.replace(/\W/g, '_')}`;
  if (process.env[guard]) {
    throw new CliError(
      'recursion',
      `credential_process for session ${id} called itself (check the source profile's chain)`,
    );
  }
  let spec;
  try {
    spec = readElevation(id, process.env);
  } catch (e) {
    throw new CliError('no-elevation', (e as Error).message);
  }
  // Anything the SDK starts for the source profile (a credential_process of the user's own, SSO) must see
  // the user's real AWS files, not the session's generated config.
  const env = userAwsEnv(spec, process.env);
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  Object.assign(process.env, env, { [guard]: '1' });
  // The SDK's Node-version nag would land in every AWS call's stderr; this process only serves credentials.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    const r = await issueCredentials(id, process.env);
    process.stdout.write(`${JSON.stringify(r.credentials)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof ElevationError) throw new CliError(e.code, e.message, 1);
    throw e;
  }
}
