// Issue 3 figures: `elevate whoami elevated --json` (SDK fromIni chain elevated → readonly → static keys,
// then GetCallerIdentity) against the local STS endpoint
// (tests/helpers/awsServer.ts), against the bare SDK doing the same in a fresh node process.
// Ratios of medians from this run; nothing is asserted.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fmt, median, REPO, stsFixture } from './lib.mjs';

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
  const { server, dir, env } = await stsFixture('elevate-bench-identity-');
  try {
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
