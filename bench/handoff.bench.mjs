// Handoff figure (nothing asserted): finding the Claude session to resume — head-only cwd reads
// (claudeSessions.ts) vs reading and parsing every transcript in full, in a folder shared by two colliding
// project paths. (The per-call credential cost of a session is bench/broker.bench.mjs.)
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fmt, importTs, median, stsFixture } from './lib.mjs';

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
  const { findClaudeSession, encodeProjectDir } = await importTs('electron/node/claudeSessions.ts');
  const { server, dir } = await stsFixture('elevate-bench-handoff-');
  try {
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
