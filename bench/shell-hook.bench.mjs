// Per-prompt cost of the `elevate shell-init` hook (issue 7: must stay < 5 ms). Runs the hook function N
// times inside one shell process and compares with an empty function in the same process, for bash and
// fish; states: read-only (steady), elevated (steady: the deadline is checked too), and "changed" (the
// state file is re-sourced each time, as after a switch). Peer: spawning `elevate status` once (what a
// hook that ran node per prompt would cost). Prints figures; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = path.join(repo, 'bin', 'elevate.cjs');
const N = 1000;

function has(cmd) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status === 0;
}

function sandbox() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-bench-shell-'));
  fs.mkdirSync(path.join(root, 'home', '.aws'), { recursive: true });
  fs.copyFileSync(
    path.join(repo, 'tests', 'fixtures', 'seed-config.ini'),
    path.join(root, 'home', '.aws', 'config'),
  );
  const env = { PATH: process.env.PATH, LC_ALL: 'C', HOME: path.join(root, 'home') };
  Object.assign(env, {
    ELEVATE_HOME: path.join(root, 'elevate'),
    CLAUDE_CONFIG_DIR: path.join(root, 'home', '.claude'),
    AWS_CONFIG_FILE: path.join(root, 'home', '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'home', '.aws', 'credentials'),
  });
  return { root, env };
}

function cli(args, env) {
  return execFileSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
}

const BASH_LOOP = (setup) => `
source "$1"
__empty() { :; }
${setup}
t0=$EPOCHREALTIME; for ((i=0;i<${N};i++)); do __empty; done; t1=$EPOCHREALTIME
t2=$EPOCHREALTIME; for ((i=0;i<${N};i++)); do __elevate_hook; done; t3=$EPOCHREALTIME
t4=$EPOCHREALTIME; for ((i=0;i<${N};i++)); do __elevate_seen=; __elevate_hook; done; t5=$EPOCHREALTIME
echo "$t0 $t1 $t2 $t3 $t4 $t5"`;

const FISH_LOOP = `
source $argv[1]
function __empty; end
set -l r (seq ${N})
set -l t0 (date +%s%N); for i in $r; __empty; end; set -l t1 (date +%s%N)
set -l t2 (date +%s%N); for i in $r; __elevate_hook; end; set -l t3 (date +%s%N)
set -l t4 (date +%s%N); for i in $r; set -g __elevate_seen ''; __elevate_hook; end; set -l t5 (date +%s%N)
echo $t0 $t1 $t2 $t3 $t4 $t5`;

function perPrompt(shell, script, initFile, env) {
  const args =
    shell === 'bash'
      ? ['--norc', '--noprofile', '-c', script, 'bench', initFile]
      : shell === 'zsh'
        ? ['-f', '-c', script, 'bench', initFile]
        : ['--no-config', '-c', script, initFile];
  const out = execFileSync(shell, args, { env, encoding: 'utf8' }).trim().split(/\s+/).map(Number);
  const scale = shell === 'fish' ? 1e-6 : 1000; // ns → ms (fish: date +%s%N), or s → ms ($EPOCHREALTIME)
  const [t0, t1, t2, t3, t4, t5] = out;
  return {
    empty: ((t1 - t0) * scale) / N,
    steady: ((t3 - t2) * scale) / N,
    changed: ((t5 - t4) * scale) / N,
  };
}

export default async function bench() {
  const { root, env } = sandbox();
  try {
    const shells = ['bash', 'zsh', 'fish'].filter(has);
    const rows = [];
    for (const tier of ['readonly', 'elevated']) {
      cli(
        tier === 'elevated' ? ['switch', 'elevated', '--yes', '--minutes', '60'] : ['switch', 'readonly'],
        env,
      );
      for (const shell of shells) {
        const initFile = path.join(root, `init.${shell}`);
        fs.writeFileSync(initFile, cli(['shell-init', shell], env));
        // best of 3 runs
        let best = null;
        for (let k = 0; k < 3; k++) {
          const script =
            shell === 'fish' ? FISH_LOOP : BASH_LOOP(shell === 'zsh' ? 'zmodload zsh/datetime' : '');
          const r = perPrompt(shell, script, initFile, env);
          if (!best || r.steady < best.steady) best = r;
        }
        rows.push({ shell, tier, ...best });
      }
    }
    const t = Date.now();
    const K = 5;
    for (let i = 0; i < K; i++) cli(['status', '--json'], env);
    const nodeMs = (Date.now() - t) / K;

    console.log(`shell hook, ${N} prompts per run in one shell process (best of 3):`);
    console.log(
      'shell  tier      ms/prompt  (hook − empty fn)  after-switch ms  empty fn ms  ratio hook/empty',
    );
    for (const r of rows) {
      console.log(
        `${r.shell.padEnd(6)} ${r.tier.padEnd(9)} ${r.steady.toFixed(4).padStart(9)}  ${(r.steady - r.empty).toFixed(4).padStart(17)}  ${r.changed
          .toFixed(4)
          .padStart(
            15,
          )}  ${r.empty.toFixed(4).padStart(11)}  ${(r.steady / r.empty).toFixed(1).padStart(16)}`,
      );
    }
    const worst = Math.max(...rows.map((r) => r.steady));
    console.log(`worst steady per-prompt cost: ${worst.toFixed(3)} ms (budget 5 ms)`);
    console.log(
      `peer: spawning \`elevate status --json\` (node) once: ${nodeMs.toFixed(1)} ms = ${(nodeMs / worst).toFixed(0)}× the worst hook`,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bench();
