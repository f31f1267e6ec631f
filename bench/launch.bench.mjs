// Time from `elevate launch readonly --terminal T` (a real CLI process) to the stand-in `claude` starting
// inside a real terminal window under a private Xvfb: median of 10 per terminal, against spawning the
// stand-in directly in the same run. Reuses tests/helpers/launchHarness.ts (bundled on the fly by esbuild).
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const N = 10;

async function loadHelpers() {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-bench-')), 'harness.cjs');
  await build({
    stdin: {
      contents: `export * from './launchHarness'; export * from './xvfb';`,
      resolveDir: path.join(root, 'tests', 'helpers'),
      loader: 'ts',
    },
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    define: { __dirname: JSON.stringify(path.join(root, 'tests', 'helpers')) },
    logLevel: 'warning',
  });
  const mod = createRequire(import.meta.url)(out);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return mod;
}

export default async function main() {
  const h = await loadHelpers();
  const missing = ['Xvfb', 'xterm', 'lxterminal'].filter((t) => !h.findOnPath(t));
  if (missing.length) {
    console.log(`launch bench skipped: ${missing.join(', ')} not installed`);
    return;
  }
  const xvfb = await h.startXvfb();
  const fixtures = [];
  try {
    const results = {};
    for (const terminal of ['xterm', 'lxterminal']) {
      const f = h.launchFixture(xvfb.display);
      fixtures.push(f);
      const times = [];
      for (let i = 1; i <= N; i++) times.push((await h.launchOnce(f, terminal, [], i)).ms);
      results[terminal] = times;
    }
    const f = h.launchFixture(xvfb.display);
    fixtures.push(f);
    const direct = [];
    for (let i = 1; i <= N; i++) direct.push(await h.directOnce(f, i));
    const dm = h.median(direct);
    console.log(`stand-in claude spawned directly: median ${dm} ms (n=${N}; ${direct.join(', ')})`);
    for (const [terminal, times] of Object.entries(results)) {
      const m = h.median(times);
      console.log(
        `elevate launch --terminal ${terminal} → stand-in started: median ${m} ms (n=${N}; ${times.join(', ')}); ` +
          `ratio vs direct ${(m / Math.max(dm, 1)).toFixed(1)}x`,
      );
    }
  } finally {
    await xvfb.stop();
    for (const f of fixtures) f.cleanup();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
