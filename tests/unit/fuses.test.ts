// The afterPack hook (scripts/fuses.cjs) run on a file that carries Electron's fuse wire (sentinel,
// version 1, 9 fuses, Electron's defaults): the real @electron/fuses flips exactly what the hook claims.
// (No Electron binary on this machine; the wire format is the same bytes electron-builder's output has.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';

const require = createRequire(__filename);
const hook = require('../../scripts/fuses.cjs') as ((ctx: unknown) => Promise<void>) & {
  FUSES: Record<number, boolean>;
};
const dir = mkdtempSync(join(tmpdir(), 'elevate-fuses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('afterPack fuses', () => {
  it('turns RunAsNode and inspect arguments off (the CLI runs as `<app> --elevate-cli`), hardens the rest, sets every fuse', async () => {
    const exe = join(dir, 'elevate');
    // Electron's defaults: on except EnableCookieEncryption, EnableEmbeddedAsarIntegrityValidation,
    // OnlyLoadAppFromAsar and LoadBrowserProcessSpecificV8Snapshot ('0').
    const wire = Buffer.from('101100011', 'ascii');
    writeFileSync(
      exe,
      Buffer.concat([
        Buffer.alloc(64, 7),
        Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
        Buffer.from([1, wire.length]),
        wire,
        Buffer.alloc(64, 7),
      ]),
    );
    await hook({
      electronPlatformName: 'linux',
      appOutDir: dir,
      packager: { appInfo: { productFilename: 'Elevate' }, executableName: 'elevate' },
    });
    const after = await getCurrentFuseWire(exe);
    const on = (o: FuseV1Options) => after[o] === 49; // '1'
    expect(on(FuseV1Options.RunAsNode)).toBe(false);
    expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe(false);
    expect(on(FuseV1Options.EnableCookieEncryption)).toBe(true);
    expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(false);
    expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(true);
    expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe(true);
    expect(on(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(true);
    expect(Object.keys(hook.FUSES)).toHaveLength(wire.length); // strictlyRequireAllFuses: none left to inherit
  });
});
