// Latency of the Claude Code hooks (run before/after every Bash call: budget ≤ 50 ms median over bare
// node) and `elevate explain` start-up, against bare `node -e 0` measured in the same run. Runs are
// interleaved (one of each per round) so machine load hits every row alike. Prints medians and ratios;
// asserts nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, median, REPO } from './lib.mjs';

const ROUNDS = 21;
const cli = path.join(REPO, 'out', 'cli', 'elevate.cjs');
const hookBin = path.join(REPO, 'out', 'cli', 'elevate-hook.cjs');

function once(argv, opts) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export default async function bench() {
  if (!fs.existsSync(cli) || !fs.existsSync(hookBin)) {
    console.log('skipped: out/cli/elevate.cjs or elevate-hook.cjs missing (npm run build:cli)');
    return;
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-bench-hook-'));
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    ELEVATE_HOME: path.join(home, 'elevate'),
    ELEVATE_TIER: 'readonly',
    AWS_PROFILE: 'claudecode-readonly',
  };
  const bash = (command) =>
    JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command } });
  const node = process.execPath;
  const rows = [
    ['bare node -e 0', [node, '-e', '0'], ''],
    ['hook pre-tool-use, no aws (npm test)', [node, hookBin, 'pre-tool-use'], bash('npm test')],
    ['hook pre-tool-use, aws s3 ls (read: passes)', [node, hookBin, 'pre-tool-use'], bash('aws s3 ls')],
    ['hook pre-tool-use, aws s3 mb (deny)', [node, hookBin, 'pre-tool-use'], bash('aws s3 mb s3://x')],
    [
      'hook pre-tool-use, ec2 terminate (ec2.json)',
      [node, hookBin, 'pre-tool-use'],
      bash('aws ec2 terminate-instances --instance-ids i-1'),
    ],
    ['hook session-start', [node, hookBin, 'session-start'], '{"hook_event_name":"SessionStart"}'],
    ['hook statusline', [node, hookBin, 'statusline'], '{}'],
    [
      'elevate hook pre-tool-use (full CLI bundle)',
      [node, cli, 'hook', 'pre-tool-use'],
      bash('aws s3 mb s3://x'),
    ],
    ['elevate explain -- aws s3 ls (start-up)', [node, cli, 'explain', '--', 'aws', 's3', 'ls'], ''],
  ];
  const times = rows.map(() => []);
  for (const [, argv, input] of rows) once(argv, { env, input, cwd: os.tmpdir() }); // warm-up
  for (let r = 0; r < ROUNDS; r++)
    rows.forEach(([, argv, input], i) => times[i].push(once(argv, { env, input, cwd: os.tmpdir() })));
  const base = median(times[0]);
  console.log(`medians of ${ROUNDS} interleaved rounds; budget: hook ≤ 50 ms over bare node`);
  rows.forEach(([label], i) => {
    const ms = median(times[i]);
    const over = i ? `  ×${(ms / base).toFixed(2)} node  (+${fmt(ms - base)})` : '';
    console.log(`${label.padEnd(46)} ${fmt(ms).padStart(10)}${over}`);
  });
  fs.rmSync(home, { recursive: true, force: true });
}
