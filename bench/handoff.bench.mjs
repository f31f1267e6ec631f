// Issue 5 figures (nothing asserted):
//  1. credential_process cost per AWS call: `elevate credentials` served from its cache vs a fresh
//     AssumeRole chain each time (ELEVATE_CREDENTIALS_CACHE=0), against the local STS endpoint.
//  2. `aws sts get-caller-identity` (AWS CLI v2) through the generated per-session config vs plain static
//     keys in the environment: what the IAM-level expiry adds to each CLI call the agent makes.
//  3. Finding the Claude session to resume: head-only cwd reads (claudeSessions.ts) vs reading and parsing
//     every transcript in full, in a folder shared by two colliding project paths.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fmt, importTs, median, REPO, stsFixture } from './lib.mjs';

const execFileP = promisify(execFile);
const RUNS = 7;

async function timed(fn) {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Medians of two commands run alternately (the machine is shared: load drifts between blocks of runs). */
async function medianPair(a, b, runs) {
  await a();
  await b();
  const ta = [];
  const tb = [];
  for (let i = 0; i < runs; i++) {
    ta.push(await timed(a));
    tb.push(await timed(b));
  }
  return [median(ta), median(tb)];
}

export default async function () {
  const { prepareElevation } = await importTs('electron/node/elevation.ts');
  const { loadContext } = await importTs('electron/node/context.ts');
  const { selfCommand } = await importTs('electron/node/selfCommand.ts');
  const { findClaudeSession, encodeProjectDir } = await importTs('electron/node/claudeSessions.ts');
  const { server, dir, env, base } = await stsFixture('elevate-bench-handoff-');
  try {
    const self = selfCommand({ packaged: false, execPath: process.execPath, repoRoot: REPO });
    const mk = (extra = {}) =>
      prepareElevation({
        sessionId: `20261124000000-${randomUUID().slice(0, 8)}`,
        ctx: loadContext({ ...env, ...extra }),
        minutes: 30,
        self,
      });
    const cached = mk();
    const uncached = mk({ ELEVATE_CREDENTIALS_CACHE: '0' });
    const cli = (p) => () =>
      execFileP(
        process.execPath,
        [path.join(REPO, 'bin', 'elevate.cjs'), 'credentials', '--session', p.spec.sessionId],
        {
          env: { ...env, ...p.extraSet },
        },
      );
    const [tCached, tUncached] = await medianPair(cli(cached), cli(uncached), RUNS);
    const calls = (p) =>
      server.assumeRoleCalls.filter((c) => c.roleSessionName === p.spec.roleSessionName).length;
    console.log(
      `elevate credentials, cached:    ${fmt(tCached)} median of ${RUNS} (elevated AssumeRole calls: ${calls(cached)} for ${RUNS + 1} runs)`,
    );
    console.log(
      `elevate credentials, no cache:  ${fmt(tUncached)} median of ${RUNS} (elevated AssumeRole calls: ${calls(uncached)} for ${RUNS + 1} runs)`,
    );
    console.log(`ratio no-cache / cached: ${(tUncached / tCached).toFixed(2)}x`);

    if (existsSync('/usr/bin/aws')) {
      const aws = (e) => () =>
        execFileP(
          '/usr/bin/aws',
          ['sts', 'get-caller-identity', '--endpoint-url', server.url, '--output', 'json'],
          {
            env: { ...e, AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true' },
          },
        );
      const staticEnv = {
        ...env,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_ACCESS_KEY_ID: base.accessKeyId,
        AWS_SECRET_ACCESS_KEY: base.secretAccessKey,
      };
      const [tProc, tStatic] = await medianPair(aws({ ...env, ...cached.extraSet }), aws(staticEnv), 5);
      console.log(`aws sts get-caller-identity via generated config (cached): ${fmt(tProc)} median of 5`);
      console.log(`aws sts get-caller-identity with static env keys:          ${fmt(tStatic)} median of 5`);
      console.log(`ratio credential_process / static: ${(tProc / tStatic).toFixed(2)}x`);
    } else {
      console.log('aws CLI v2 comparison skipped: /usr/bin/aws not installed');
    }

    // 3. Session lookup: 300 transcripts of ~200 KB in one folder, two colliding cwds.
    const claude = path.join(dir, 'claude');
    const a = '/work/proj.v2';
    const b = '/work/proj-v2';
    const folder = path.join(claude, 'projects', encodeProjectDir(a));
    mkdirSync(folder, { recursive: true });
    const filler = JSON.stringify({ type: 'assistant', message: { content: 'x'.repeat(2000) } });
    const body = Array.from({ length: 100 }, () => filler).join('\n');
    const t0 = Date.now() - 1e7;
    for (let i = 0; i < 300; i++) {
      const cwd = i % 3 === 0 ? a : b; // the newest files belong to the other cwd
      const f = path.join(folder, `${randomUUID()}.jsonl`);
      writeFileSync(f, `${JSON.stringify({ type: 'user', cwd, sessionId: 'x' })}\n${body}\n`);
      utimesSync(f, (t0 + i * 1000) / 1000, (t0 + i * 1000) / 1000);
    }
    const cenv = { HOME: dir, CLAUDE_CONFIG_DIR: claude };
    const naive = () => {
      let best = null;
      for (const name of readdirSync(folder)) {
        const file = path.join(folder, name);
        let cwd = null;
        for (const l of readFileSync(file, 'utf8').split('\n')) {
          if (!l) continue;
          const o = JSON.parse(l);
          if (cwd === null && typeof o.cwd === 'string') cwd = o.cwd;
        }
        if (cwd !== a) continue;
        const mtime = statSync(file).mtimeMs;
        if (!best || mtime > best.mtime) best = { file, mtime };
      }
      return best;
    };
    const expected = naive()?.file;
    const got = findClaudeSession(a, cenv).session?.file;
    console.log(`session lookup agrees with the full scan: ${got === expected}`);
    const [tHead, tFull] = await medianPair(
      async () => findClaudeSession(a, cenv),
      async () => naive(),
      RUNS,
    );
    console.log(
      `findClaudeSession (newest-first, head reads), 300 × 200 KB: ${fmt(tHead)} median of ${RUNS}`,
    );
    console.log(
      `read + parse every transcript in full:                      ${fmt(tFull)} median of ${RUNS}`,
    );
    console.log(`ratio full / head: ${(tFull / tHead).toFixed(1)}x`);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
