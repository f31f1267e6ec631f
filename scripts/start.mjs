// `npm start`: the app in development (electron-vite dev: main/preload rebuilt, renderer hot-reloaded).
// Needs Electron's binary; if it is missing (npm installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or an
// offline machine) this tries Electron's own installer once, then fails with one clear sentence.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** require('electron') in a child: it prints the binary path, or throws when the download never happened. */
function electronBinary() {
  const r = spawnSync(process.execPath, ['-e', "process.stdout.write(String(require('electron')))"], {
    cwd: root,
    encoding: 'utf8',
  });
  const p = r.status === 0 ? r.stdout.trim() : '';
  return p && existsSync(p) ? p : null;
}

let bin = electronBinary();
let why = 'npm was run with ELECTRON_SKIP_BINARY_DOWNLOAD=1';
if (!bin && process.env.ELECTRON_SKIP_BINARY_DOWNLOAD !== '1') {
  const installer = path.join(root, 'node_modules', 'electron', 'install.js');
  if (existsSync(installer)) {
    console.log('Electron binary missing: downloading it once (node node_modules/electron/install.js)…');
    // Its output is kept, not streamed: a failed download is a raw `TypeError: fetch failed` stack, which
    // says less than the one sentence below. The last line of it is given as the reason.
    const r = spawnSync(process.execPath, [installer], {
      cwd: path.dirname(installer),
      encoding: 'utf8',
      timeout: 180_000,
    });
    bin = electronBinary();
    const lines = `${r.stderr ?? ''}${r.stdout ?? ''}`
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('at '));
    why = r.error
      ? r.error.message
      : (lines.find((l) => /error/i.test(l)) ?? lines.at(-1) ?? `exit ${r.status}`);
  }
}
if (!bin) {
  console.error(
    [
      `Cannot start the Elevate app: the Electron binary is not installed and could not be downloaded (${why}).`,
      'Fix: run `node node_modules/electron/install.js` with network access (or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron), then `npm start` again.',
      'The CLI works without Electron: `npm install -g .` puts `elevate` on PATH (or run `node bin/elevate.cjs --help` here).',
    ].join('\n'),
  );
  process.exit(1);
}

const viteBin = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
const child = spawn(process.execPath, [viteBin, 'dev', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
