// Issue 3 figures: `elevate whoami elevated --json` (SDK fromIni chain elevated → readonly → static keys,
// then GetCallerIdentity) against the local STS endpoint
// (tests/helpers/awsServer.ts), against the bare SDK doing the same in a fresh node process.
// Ratios of medians from this run; nothing is asserted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fmt, importTs, median, REPO } from './lib.mjs';

const execFileP = promisify(execFile);

/** Like lib.mjs medianCommand, but async: the STS endpoint lives in this process and must keep serving. */
async function medianCommandAsync(argv, runs, opts) {
  const once = async () => {
    const t0 = process.hrtime.bigint();
    await execFileP(argv[0], argv.slice(1), opts);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  await once();
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  return median(times);
}

const RUNS = 7;
const require_ = (id) => createRequire(path.join(REPO, 'package.json')).resolve(id);

export default async function () {
  const { startAwsServer, awsTestEnv } = await importTs('tests/helpers/awsServer.ts');
  const base = {
    accessKeyId: 'AKIABENCHBENCHBENCH1',
    secretAccessKey: 'bench-secret-bench-secret-bench-secret-1',
  };
  const server = await startAwsServer({ staticKeys: [base] });
  const dir = mkdtempSync(path.join(tmpdir(), 'elevate-bench-identity-'));
  try {
    writeFileSync(
      path.join(dir, 'config'),
      [
        '[profile claudecode-readonly]',
        'role_arn = arn:aws:iam::111111111111:role/ReadOnly',
        'source_profile = base',
        'role_session_name = bench-ro',
        'region = us-east-1',
        '',
        '[profile claudecode-elevated]',
        'role_arn = arn:aws:iam::111111111111:role/Elevated',
        'source_profile = claudecode-readonly',
        'role_session_name = bench-el',
        'region = us-east-1',
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'credentials'),
      `[base]\naws_access_key_id = ${base.accessKeyId}\naws_secret_access_key = ${base.secretAccessKey}\n`,
    );
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      ELEVATE_HOME: path.join(dir, 'elevate'),
      AWS_CONFIG_FILE: path.join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...awsTestEnv(server),
    };
    const before = server.assumeRoleCalls.length;
    const ours = await medianCommandAsync(
      [process.execPath, path.join(REPO, 'bin/elevate.cjs'), 'whoami', 'elevated', '--json'],
      RUNS,
      { env },
    );
    const perRun = (server.assumeRoleCalls.length - before) / (RUNS + 1);
    console.log(
      `elevate whoami elevated --json: median ${fmt(ours)} over ${RUNS} runs (${perRun} AssumeRole calls per run)`,
    );
    // Peer: the bare SDK doing the same chain and call in a fresh node process, without Elevate (no config
    // parsing, settings, tier detection or error mapping). AWS CLI v2.9 (/usr/bin/aws) cannot be the peer:
    // it predates AWS_ENDPOINT_URL_STS, so its AssumeRole hops would go to the real STS.
    const script = path.join(dir, 'peer.cjs');
    writeFileSync(
      script,
      `const { STSClient, GetCallerIdentityCommand } = require(${JSON.stringify(require_('@aws-sdk/client-sts'))});
const { fromIni } = require(${JSON.stringify(require_('@aws-sdk/credential-providers'))});
new STSClient({ region: 'us-east-1', credentials: fromIni({ profile: 'claudecode-elevated' }) })
  .send(new GetCallerIdentityCommand({}))
  .then((r) => process.stdout.write(JSON.stringify(r) + '\\n'));
`,
    );
    const peer = await medianCommandAsync([process.execPath, script], RUNS, { env });
    console.log(
      `bare SDK fromIni + GetCallerIdentity in a fresh node (peer): median ${fmt(peer)}  ratio ${(ours / peer).toFixed(2)}x`,
    );
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
