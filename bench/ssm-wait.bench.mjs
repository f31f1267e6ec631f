// Issue 6 figures: SSM API calls (and real wall time) of `cloud-init --wait` while cloud-init runs for 1, 3
// and 10 simulated minutes, through the real SDK against the local endpoint (tests/helpers/awsServer.ts)
// with a fake clock. Peer, same run, same server: a naive loop that re-sends the status command and polls
// GetCommandInvocation every 2 s (the fastest the ≤ 1 call / 2 s rule allows). Nothing is asserted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { importTs, REPO } from './lib.mjs';

/** Bundle a TS module as CJS with the AWS SDK external, inside the repo so the SDK resolves from node_modules. */
async function requireTs(rel) {
  const outfile = path.join(
    REPO,
    'node_modules',
    '.cache',
    'elevate-bench',
    `${path.basename(rel, '.ts')}.cjs`,
  );
  await build({
    entryPoints: [path.join(REPO, rel)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    // jsonc-parser's "main" is a UMD build whose dynamic require('./impl/format') esbuild cannot follow.
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*', '@smithy/*'],
    logLevel: 'error',
  });
  return createRequire(outfile)(outfile);
}

const WS = 'i-0123456789abcdef0';
const KEY = {
  accessKeyId: 'AKIABENCHSSMBENCHSSM',
  secretAccessKey: 'bench-ssm-secret-bench-ssm-secret-bench1',
};
const status = (s) => `${JSON.stringify({ status: s, extended_status: s, detail: 'DataSourceEc2Local' })}\n`;
const RUNNING = [{ status: 'InProgress' }, { status: 'Success', responseCode: 0, stdout: status('running') }];
const DONE = [{ status: 'InProgress' }, { status: 'Success', responseCode: 0, stdout: status('done') }];

export default async function () {
  const { startAwsServer } = await importTs('tests/helpers/awsServer.ts');
  const ssm = await requireTs('electron/node/ssm.ts');
  const { defaultSettings } = await importTs('shared/settings.ts');
  const dir = mkdtempSync(path.join(tmpdir(), 'elevate-bench-ssm-'));
  writeFileSync(path.join(dir, 'config'), '[profile ops]\nregion = eu-west-1\n');
  writeFileSync(
    path.join(dir, 'credentials'),
    `[ops]\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`,
  );
  const env = {
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
  };
  try {
    for (const minutes of [1, 3, 10]) {
      const results = {};
      for (const mode of ['elevate', 'naive-2s']) {
        let t = Date.UTC(2026, 0, 1);
        const server = await startAwsServer({ staticKeys: [KEY], now: () => t });
        server.addInstance({ instanceId: WS });
        server.scriptCommand(WS, RUNNING);
        const start = t;
        const clock = {
          now: () => t,
          sleep: async (ms) => {
            t += ms;
            if (t - start >= minutes * 60_000) server.scriptCommand(WS, DONE);
          },
        };
        const settings = defaultSettings();
        settings.workstation.operatorProfile = 'ops';
        settings.endpointUrl = server.url;
        const target = ssm.resolveTarget(
          settings,
          { profiles: new Map([['ops', { region: 'eu-west-1' }]]) },
          env,
          {
            instanceId: WS,
          },
        );
        const api = await ssm.createSsmApi(target);
        const t0 = process.hrtime.bigint();
        if (mode === 'elevate') {
          await ssm.checkCloudInit(target, { wait: true, timeoutSeconds: 3600 }, { api, clock });
        } else {
          // Peer: send, then poll every 2 s; on "running" send again 2 s later.
          for (;;) {
            const sent = await api.sendCommand({
              DocumentName: 'AWS-RunShellScript',
              InstanceIds: [WS],
              Parameters: { commands: ['cloud-init status --format json'] },
            });
            let out;
            for (;;) {
              await clock.sleep(2000);
              const inv = await api.getCommandInvocation({
                CommandId: sent.Command.CommandId,
                InstanceId: WS,
              });
              if (inv.Status === 'Success' || inv.Status === 'Failed') {
                out = inv.StandardOutputContent;
                break;
              }
            }
            if (!out.includes('"running"')) break;
            await clock.sleep(2000);
          }
        }
        const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
        api.destroy();
        const calls = server.requests.filter((r) => r.service === 'ssm').length;
        results[mode] = { calls, simulated: (t - start) / 1000, wallMs };
        await server.close();
      }
      const e = results.elevate;
      const n = results['naive-2s'];
      console.log(
        `cloud-init running ${minutes} min: elevate ${e.calls} SSM calls (done seen after ${e.simulated} s, ${e.wallMs.toFixed(0)} ms real)` +
          ` vs naive 2 s polling ${n.calls} calls (after ${n.simulated} s); ratio ${(e.calls / n.calls).toFixed(2)}x calls,` +
          ` detection delay +${(e.simulated - n.simulated).toFixed(1)} s`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
