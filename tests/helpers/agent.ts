// A stand-in AGENT: a `claude` that Elevate starts (through the real launcher and runner) and that, instead
// of talking to a model, runs a scripted list of attacks/probes as the same OS user with the session's env,
// then stays alive (like a real Claude session) until `stayMs` or a signal. Each step's result is appended
// to <root>/agent-results.jsonl (a path derived from the script's own location, not from env).
//
// Steps:
//   {kind:'aws', name, args, env?}     the REAL /usr/bin/aws with --endpoint-url $AWS_ENDPOINT_URL
//   {kind:'sdk', name, env?}           the real JS SDK v3 STS client, default credential chain → GetCallerIdentity
//   {kind:'elevate', name, args, input?, env?}  the real `elevate` CLI (bin/elevate.cjs)
//   {kind:'sh', name, cmd}             /bin/sh -c
//   {kind:'broker', name, url?, token?} GET the container-credentials endpoint (own by default)
//   {kind:'doublefork', name, ms}      a grandchild in its own session (setsid) that polls the broker every
//                                      `ms` and records each answer to <root>/fork.jsonl; pid in the result
//   {kind:'sleep', ms}
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const ELEVATE_CLI = path.join(REPO_ROOT, 'bin', 'elevate.cjs');

export type AgentStep =
  | { kind: 'aws'; name: string; args: string[]; env?: Record<string, string | null> }
  | { kind: 'sdk'; name: string; env?: Record<string, string | null> }
  | { kind: 'elevate'; name: string; args: string[]; input?: string; env?: Record<string, string | null> }
  | { kind: 'sh'; name: string; cmd: string }
  | { kind: 'broker'; name: string; url?: string; token?: string }
  | { kind: 'doublefork'; name: string; ms: number }
  | { kind: 'sleep'; ms: number };

export interface AgentResult {
  name: string;
  code?: number | null;
  stdout?: string;
  stderr?: string;
  arn?: string | null;
  status?: number;
  body?: Record<string, unknown>;
  pid?: number;
  error?: string;
  t: number;
}

export interface Agent {
  binDir: string;
  program: string;
  results(): AgentResult[];
  result(name: string): AgentResult | undefined;
  /** Broker polls of the double-forked grandchild. */
  forkPolls(): Array<{ t: number; status: number; pid: number }>;
  waitForResult(name: string, timeoutMs?: number): Promise<AgentResult>;
  /** Resolves when the agent finished its steps. */
  waitDone(timeoutMs?: number): Promise<void>;
}

export function makeAgent(root: string, steps: AgentStep[], opts: { stayMs?: number } = {}): Agent {
  const binDir = path.join(root, 'bin');
  fs.mkdirSync(binDir, { recursive: true });
  const program = path.join(binDir, 'claude');
  const resultsFile = path.join(root, 'agent-results.jsonl');
  const forkFile = path.join(root, 'fork.jsonl');
  const script = `#!${process.execPath}
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync, spawn } = require('node:child_process');
const ROOT = path.join(__dirname, '..');
const steps = ${JSON.stringify(steps)};
const CLI = ${JSON.stringify(ELEVATE_CLI)};
const SDK = ${JSON.stringify(path.join(REPO_ROOT, 'node_modules', '@aws-sdk', 'client-sts'))};
const stayMs = ${JSON.stringify(opts.stayMs ?? 0)};
const rec = (r) => fs.appendFileSync(path.join(ROOT, 'agent-results.jsonl'), JSON.stringify({ ...r, t: Date.now() }) + '\\n');
const envWith = (extra) => {
  const e = { ...process.env, AWS_PAGER: '' };
  for (const [k, v] of Object.entries(extra || {})) { if (v === null) delete e[k]; else e[k] = v; }
  return e;
};
const arnOf = (s) => { try { return JSON.parse(s).Arn || null; } catch { return null; } };
async function run(step) {
  if (step.kind === 'sleep') return new Promise((r) => setTimeout(r, step.ms));
  try {
    if (step.kind === 'aws') {
      const e = envWith(step.env);
      const r = spawnSync('/usr/bin/aws', [...step.args, '--endpoint-url', e.AWS_ENDPOINT_URL, '--output', 'json'], { env: e, encoding: 'utf8', timeout: 30000 });
      return rec({ name: step.name, code: r.status, stdout: r.stdout.slice(-2000), stderr: r.stderr.slice(-2000), arn: arnOf(r.stdout) });
    }
    if (step.kind === 'sdk') {
      const saved = { ...process.env };
      Object.assign(process.env, envWith(step.env));
      for (const [k, v] of Object.entries(step.env || {})) if (v === null) delete process.env[k];
      try {
        const { STSClient, GetCallerIdentityCommand } = require(SDK);
        const c = new STSClient({ region: process.env.AWS_REGION || 'us-east-1', endpoint: process.env.AWS_ENDPOINT_URL });
        const out = await c.send(new GetCallerIdentityCommand({}));
        c.destroy();
        return rec({ name: step.name, code: 0, arn: out.Arn });
      } catch (err) {
        return rec({ name: step.name, code: 1, arn: null, error: String(err && err.message || err).slice(0, 500) });
      } finally {
        for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
        Object.assign(process.env, saved);
      }
    }
    if (step.kind === 'elevate') {
      const r = spawnSync(process.execPath, [CLI, ...step.args], { env: envWith(step.env), encoding: 'utf8', input: step.input || '', timeout: 60000 });
      // 64 kB: the --json output of a launch holds the argv of claude, whose --settings JSON is several kB.
      return rec({ name: step.name, code: r.status, stdout: r.stdout.slice(-65536), stderr: r.stderr.slice(-4000) });
    }
    if (step.kind === 'sh') {
      const r = spawnSync('/bin/sh', ['-c', step.cmd], { env: process.env, encoding: 'utf8', timeout: 60000 });
      return rec({ name: step.name, code: r.status, stdout: r.stdout.slice(-4000), stderr: r.stderr.slice(-4000) });
    }
    if (step.kind === 'broker') {
      const url = step.url || process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
      const token = step.token === undefined ? process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN : step.token;
      try {
        const res = await fetch(url, { headers: token ? { authorization: token } : {} });
        let body = {};
        try { body = await res.json(); } catch {}
        return rec({ name: step.name, status: res.status, body });
      } catch (err) {
        return rec({ name: step.name, status: 0, error: String(err && err.message || err) });
      }
    }
    if (step.kind === 'doublefork') {
      const grandchild = "const fs=require('fs');const f=" + JSON.stringify(path.join(ROOT, 'fork.jsonl')) + ";process.on('SIGTERM',()=>{});process.on('SIGHUP',()=>{});setInterval(async()=>{let s=0;try{const r=await fetch(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI,{headers:{authorization:process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN}});s=r.status;}catch{}fs.appendFileSync(f,JSON.stringify({t:Date.now(),status:s,pid:process.pid})+'\\\\n');}," + step.ms + ");";
      const middle = "const {spawn}=require('child_process');const g=spawn(process.execPath,['-e'," + JSON.stringify(grandchild) + "],{detached:true,stdio:'ignore'});g.unref();require('fs').writeFileSync(" + JSON.stringify(path.join(ROOT, 'fork.pid')) + ",String(g.pid));process.exit(0);";
      spawnSync(process.execPath, ['-e', middle], { env: process.env, stdio: 'ignore' });
      const pid = Number(fs.readFileSync(path.join(ROOT, 'fork.pid'), 'utf8'));
      return rec({ name: step.name, pid });
    }
  } catch (err) {
    return rec({ name: step.name, error: String(err && err.message || err) });
  }
}
(async () => {
  for (const s of steps) await run(s);
  rec({ name: '__done__' });
  setTimeout(() => process.exit(0), stayMs);
})();
`;
  fs.writeFileSync(program, script, { mode: 0o755 });
  const results = (): AgentResult[] => {
    let text = '';
    try {
      text = fs.readFileSync(resultsFile, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as AgentResult);
  };
  const waitForResult = async (name: string, timeoutMs = 60_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const r = results().find((x) => x.name === name);
      if (r) return r;
      if (Date.now() > end) throw new Error(`agent step "${name}" did not finish within ${timeoutMs} ms`);
      await new Promise((res) => setTimeout(res, 50));
    }
  };
  return {
    binDir,
    program,
    results,
    result: (name) => results().find((x) => x.name === name),
    forkPolls: () => {
      try {
        return fs
          .readFileSync(forkFile, 'utf8')
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l) as { t: number; status: number; pid: number });
      } catch {
        return [];
      }
    },
    waitForResult,
    waitDone: async (timeoutMs = 90_000) => {
      await waitForResult('__done__', timeoutMs);
    },
  };
}
