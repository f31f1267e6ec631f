// Overhead of the session `aws` activity shim (issue 8: target < 30 ms per call on top of the real CLI).
// Peers measured in the same run, interleaved (A B C A B C ...) so machine load hits all alike:
//   - the real /usr/bin/aws direct, through the perl shim, through the node fallback shim:
//     `aws --version` and a denied `aws ssm send-command` against the local endpoint (stderr is teed);
//   - the same shims around `/bin/true` as "aws": isolates the shim's own cost from aws's ~0.4 s noise.
// The recorder (node, detached) runs after the call returns; its own time is printed apart, and each run
// is followed by a 150 ms pause so one call's recorder does not load the next measured call. Asserts nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, fmt, importTs, median } from './lib.mjs';

const REAL_AWS = '/usr/bin/aws';
const RECORDER = path.join(REPO, 'out', 'cli', 'aws-activity.cjs');

const SETTLE_MS = 150;
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function wall(argv, env, input) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { env, input, encoding: 'buffer' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  return { ms, status: r.status };
}

/** Interleaved medians of several variants of one command. */
function compare(variants, runs) {
  const times = variants.map(() => []);
  for (const v of variants) wall(v.argv, v.env); // warm-up
  for (let i = 0; i < runs; i++)
    variants.forEach((v, k) => {
      times[k].push(wall(v.argv, v.env).ms);
      sleep(SETTLE_MS); // let the detached recorder of a shimmed call finish before the next run
    });
  return times.map((t) => ({ med: median(t), min: Math.min(...t) }));
}

const line = (label, d, v) =>
  `  ${label} median ${fmt(v.med)} (+${fmt(v.med - d.med)}, ratio ${(v.med / d.med).toFixed(3)}), min ${fmt(v.min)} (+${fmt(v.min - d.min)})`;

export default async function bench() {
  if (!fs.existsSync(RECORDER)) {
    console.log('skipped: out/cli/aws-activity.cjs missing (run npm run build)');
    return;
  }
  const { prepareShim } = await importTs('electron/node/activity.ts');
  const { startAwsServer, awsTestEnv } = await importTs('tests/helpers/awsServer.ts');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-bench-shim-'));
  const base = {
    PATH: '/usr/bin:/bin',
    HOME: root,
    ELEVATE_HOME: path.join(root, 'elevate'),
    LANG: 'C.UTF-8',
  };
  const mk = (id, mode, realAws) =>
    prepareShim({ id, tier: 'readonly', profile: 'ro' }, base, { mode, recorder: RECORDER, realAws }).shim;

  // 1. Shim cost alone: "aws" = /bin/true.
  const truePerl = mk('20261124-benchtrue1', 'perl', '/bin/true');
  const trueNode = mk('20261124-benchtrue2', 'node', '/bin/true');
  const [t0, tp, tn] = compare(
    [
      { argv: ['/bin/true'], env: base },
      { argv: [truePerl, 'sts', 'get-caller-identity'], env: base },
      { argv: [trueNode, 'sts', 'get-caller-identity'], env: base },
    ],
    40,
  );
  console.log(`shim alone ("aws" = /bin/true, median of 40):`);
  console.log(`  direct median ${fmt(t0.med)}, min ${fmt(t0.min)}`);
  console.log(line('perl shim', t0, tp));
  console.log(line('node shim', t0, tn));

  if (!fs.existsSync(REAL_AWS)) {
    console.log(`real aws: skipped (${REAL_AWS} missing)`);
    return;
  }
  // 2. Real aws CLI v2.
  const perl = mk('20261124-benchreal1', 'perl', REAL_AWS);
  const node = mk('20261124-benchreal2', 'node', REAL_AWS);
  const runs = 15;
  const [v0, vp, vn] = compare(
    [
      { argv: [REAL_AWS, '--version'], env: base },
      { argv: [perl, '--version'], env: base },
      { argv: [node, '--version'], env: base },
    ],
    runs,
  );
  console.log(`real ${REAL_AWS} --version (median of ${runs}):`);
  console.log(`  direct median ${fmt(v0.med)}, min ${fmt(v0.min)}`);
  console.log(line('perl shim', v0, vp));
  console.log(line('node shim', v0, vn));

  const server = await startAwsServer({
    staticKeys: [
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    ],
  });
  try {
    server.denySsm('SendCommand');
    const env = {
      ...base,
      ...awsTestEnv(server),
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_CONFIG_FILE: path.join(root, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'none'),
    };
    const args = [
      'ssm',
      'send-command',
      '--endpoint-url',
      server.url,
      '--instance-ids',
      'i-1',
      '--document-name',
      'AWS-RunShellScript',
      '--parameters',
      'commands=ls',
    ];
    // spawnSync blocks this event loop, which serves the endpoint: run the calls from a child node.
    const driver = `
      const { spawnSync } = require('node:child_process');
      const [runs, ...variants] = JSON.parse(process.argv[1]);
      const t = variants.map(() => []);
      for (const v of variants) spawnSync(v[0], v.slice(1), { env: process.env });
      for (let i = 0; i < runs; i++) variants.forEach((v, k) => {
        const s = process.hrtime.bigint();
        spawnSync(v[0], v.slice(1), { env: process.env });
        t[k].push(Number(process.hrtime.bigint() - s) / 1e6);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${SETTLE_MS});
      });
      process.stdout.write(JSON.stringify(t));`;
    const { spawn } = await import('node:child_process');
    const out = await new Promise((resolve, reject) => {
      const c = spawn(
        process.execPath,
        ['-e', driver, JSON.stringify([runs, [REAL_AWS, ...args], [perl, ...args], [node, ...args]])],
        {
          env,
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let s = '';
      c.stdout.on('data', (d) => (s += d));
      c.on('close', () => resolve(s));
      c.on('error', reject);
    });
    const [d0, dp, dn] = JSON.parse(out).map((t) => ({ med: median(t), min: Math.min(...t) }));
    console.log(`real aws ssm send-command → AccessDenied via the local endpoint (median of ${runs}):`);
    console.log(`  direct median ${fmt(d0.med)}, min ${fmt(d0.min)}`);
    console.log(line('perl shim', d0, dp));
    console.log(line('node shim', d0, dn));
  } finally {
    await server.close();
  }

  // 3. The detached recorder (off the caller's critical path): node start + parse + append.
  const payload = Buffer.from(
    ['ELEVATE-ACTIVITY-1', String(Date.now()), '800', '254', '0', '2', 'ssm', 'send-command'].join('\0') +
      '\0An error occurred (AccessDeniedException) when calling the SendCommand operation: User: x is not authorized to perform: ssm:SendCommand on resource: arn:aws:ec2:us-east-1:1:instance/i-1\n',
  );
  const rec = median(
    Array.from(
      { length: 10 },
      () =>
        wall(
          [process.execPath, RECORDER, 'record', '--log', path.join(root, 'bench.jsonl'), '--session', 'b'],
          base,
          payload,
        ).ms,
    ),
  );
  console.log(`detached recorder per call (not waited for by the caller): ${fmt(rec)}`);
  fs.rmSync(root, { recursive: true, force: true });
}
