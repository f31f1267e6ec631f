// "Install command-line tool" (issue 13 item 2) through the app core: the window's request is confirmed
// in main's native dialog first (it writes a command on PATH); then electron/node/installCli.ts writes
// the launcher into the temp HOME's ~/.local/bin and the answer says where and whether it is on PATH.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ElevateCore, type ConfirmRequest } from '../../electron/app/core';
import { readAudit } from '../../electron/node/audit';
import { CLI_FLAG, LAUNCHER_MARKER } from '../../electron/node/installCli';
import { IPC_ERRORS } from '../../shared/ipc';
import { ManualClock, TWO_TIER_CONFIG, tempHome, type TempHome } from '../helpers/appFixture';

const OWN = 'file:///app/out/renderer/index.html';
const APP = '/opt/Elevate/elevate app'; // a space: the launcher must quote it
let home: TempHome | null = null;
const cores: ElevateCore[] = [];

afterEach(() => {
  for (const c of cores.splice(0)) c.stop();
  home?.cleanup();
  home = null;
});

function setup(opts: { answer?: boolean; noDialog?: boolean; packaged?: boolean; binOnPath?: boolean } = {}) {
  home = tempHome({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }, TWO_TIER_CONFIG);
  const h = home;
  const asked: ConfirmRequest[] = [];
  const bin = join(h.env.HOME as string, '.local', 'bin');
  const core = new ElevateCore({
    env: { ...h.env, ...(opts.binOnPath ? { PATH: `${bin}/:${h.env.PATH}` } : {}) },
    clock: new ManualClock(Date.now()),
    trustedSender: (url) => url === OWN,
    persist: false,
    watchPlans: false,
    platform: {
      appExecutable: () => (opts.packaged === false ? null : APP),
      ...(opts.noDialog
        ? {}
        : {
            confirm: async (q: ConfirmRequest) => {
              asked.push(q);
              return opts.answer ?? true;
            },
          }),
    },
  });
  cores.push(core);
  core.start();
  const install = () => core.handle('cli:install', undefined, { url: OWN });
  return { core, asked, bin, launcher: join(bin, 'elevate'), install, env: h.env };
}

describe('cli:install (app core, temp HOME)', () => {
  it('declined in the dialog: nothing is written, the answer says declined', async () => {
    const { asked, launcher, install } = setup({ answer: false });
    const r = await install();
    expect(r).toMatchObject({ ok: false, error: { code: IPC_ERRORS.declined } });
    expect(asked).toHaveLength(1);
    expect(asked[0]?.title).toBe('Install command-line tool');
    expect(asked[0]?.detail).toContain('Writes: ~/.local/bin/elevate');
    expect(asked[0]?.confirmLabel).toBe('Install');
    expect(existsSync(launcher)).toBe(false);
  });

  it('no dialog available: refused (unconfirmed), nothing written', async () => {
    const { launcher, install } = setup({ noDialog: true });
    expect(await install()).toMatchObject({ ok: false, error: { code: IPC_ERRORS.unconfirmed } });
    expect(existsSync(launcher)).toBe(false);
  });

  it('confirmed: writes the launcher (0755, marker, quoted app path); not on PATH → the hint; again → unchanged', async () => {
    const { install, launcher, env } = setup();
    const r = await install();
    expect(r).toEqual({
      ok: true,
      data: {
        path: launcher,
        status: 'installed',
        onPath: false,
        pathHint: expect.stringContaining('add ') as unknown as string,
      },
    });
    const text = readFileSync(launcher, 'utf8');
    expect(text).toContain(LAUNCHER_MARKER);
    expect(text).toContain(`exec '${APP}' ${CLI_FLAG} "$@"`);
    expect(statSync(launcher).mode & 0o777).toBe(0o755);
    expect(readAudit(env).at(-1)).toMatchObject({ type: 'cli-install', path: launcher, status: 'installed' });
    expect(await install()).toMatchObject({ ok: true, data: { status: 'unchanged' } });
  });

  it('its folder on PATH (trailing slash too): onPath true, no hint', async () => {
    const { install, launcher } = setup({ binOnPath: true });
    expect(await install()).toEqual({
      ok: true,
      data: { path: launcher, status: 'installed', onPath: true },
    });
  });

  it('a file there that Elevate did not write is never replaced: a clear error, the file kept', async () => {
    const { install, bin, launcher, core } = setup();
    mkdirSync(bin, { recursive: true });
    writeFileSync(launcher, '#!/bin/sh\necho npm-installed elevate\n', { mode: 0o755 });
    const r = await install();
    expect(r).toMatchObject({ ok: false, error: { code: 'cli-path-taken' } });
    if (!r.ok) expect(r.error.message).toContain('was not written by Elevate');
    expect(readFileSync(launcher, 'utf8')).toBe('#!/bin/sh\necho npm-installed elevate\n');
    expect(core.getState().errors.map((e) => e.code)).toContain('cli-path-taken');
  });

  it('development (no packaged binary): says to use npm link, writes nothing', async () => {
    const { install, launcher } = setup({ packaged: false });
    const r = await install();
    expect(r).toMatchObject({ ok: false, error: { code: 'not-packaged' } });
    if (!r.ok) expect(r.error.message).toContain('npm link');
    expect(existsSync(launcher)).toBe(false);
  });
});
