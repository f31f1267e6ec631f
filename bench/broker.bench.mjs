// An agent's `aws` call inside an Elevate session (issue 12 figure): the real AWS CLI v2 (/usr/bin/aws)
// getting its credentials from the session's broker (per-session one-profile config + loopback
// container-credentials endpoint, electron/node/broker.ts) vs the same call with static keys in the env,
// against the local endpoint, measured in the same run. Ratios are printed, never asserted.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fmt, importTs, median } from './lib.mjs';

const execFileP = promisify(execFile);

/** Wall time of one async run (the endpoint and the broker live in this process: never block its loop). */
async function timed(argv, env) {
  const t0 = process.hrtime.bigint();
  await execFileP(argv[0], argv.slice(1), { env });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const AWS = '/usr/bin/aws';

export default async function main() {
  if (!existsSync(AWS)) {
    console.log('skipped: /usr/bin/aws (AWS CLI v2) not installed');
    return;
  }
  const { startAwsServer } = await importTs('tests/helpers/awsServer.ts');
  const broker = await importTs('electron/node/broker.ts');
  const key = {
    accessKeyId: 'AKIABENCHBROKER00001',
    secretAccessKey: 'bench-broker-secret-bench-broker-secret1',
  };
  const server = await startAwsServer({ staticKeys: [key] });
  const home = mkdtempSync(path.join(tmpdir(), 'elevate-broker-bench-'));
  const cred = await broker.startCredentialServer(async () => ({
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    expiration: new Date(Date.now() + 3600_000),
  }));
  const files = broker.writeSessionAwsFiles(
    '20261202-bench001',
    'claudecode-readonly',
    { region: 'us-east-1', tier: 'readonly' },
    { ELEVATE_HOME: home, HOME: home },
  );
  const common = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  const staticEnv = {
    ...common,
    AWS_CONFIG_FILE: path.join(home, 'none-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none-credentials'),
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
  };
  const brokerEnv = { ...common, ...broker.brokerEnv(cred, files) };
  const argv = [AWS, 'sts', 'get-caller-identity', '--endpoint-url', server.url, '--output', 'json'];
  const runs = 15;
  const a = [];
  const b = [];
  await timed(argv, staticEnv);
  await timed(argv, brokerEnv);
  for (let i = 0; i < runs; i++) {
    a.push(await timed(argv, staticEnv));
    b.push(await timed(argv, brokerEnv));
  }
  const ms = median(a);
  const mb = median(b);
  console.log(`aws sts get-caller-identity, static keys in env:     ${fmt(ms)} (median of ${runs})`);
  console.log(`aws sts get-caller-identity, session broker:         ${fmt(mb)} (median of ${runs})`);
  console.log(
    `ratio broker / static keys: ${(mb / ms).toFixed(3)}× (goal ≤ 1.02×; a credential_process call was ≈1.12×)`,
  );
  await cred.close?.();
  await server.close();
}
