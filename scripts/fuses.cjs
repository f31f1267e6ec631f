/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS hook that electron-builder require()s */
// electron-builder afterPack hook: flip the Electron fuses of the packaged binary.
//   RunAsNode OFF                     no process running as the user may use the signed binary as a Node
//                                     interpreter (ELECTRON_RUN_AS_NODE=1 <app> any.js). The CLI runs in the
//                                     app binary as `<app> --elevate-cli <command>` (electron/main/cliEntry.ts),
//                                     which runs only Elevate's own commands; see docs/laptop.md
//   EnableNodeCliInspectArguments OFF no --inspect/--inspect-brk debugger into the signed binary (Playwright's
//                                     _electron drives the unpackaged development Electron, not this one)
//   GrantFileProtocolExtraPrivileges  ON: the window is loaded from file:// (module scripts from the app
//                                     dir); the page is sandboxed, CSP-locked and cannot navigate
//   everything else hardened (cookie encryption on, NODE_OPTIONS ignored, asar-only with integrity check)
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

const FUSES = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: true,
  [FuseV1Options.WasmTrapHandlers]: true,
};

function executablePath(context) {
  const { electronPlatformName, appOutDir, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas')
    return path.join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${name}.exe`);
  return path.join(appOutDir, packager.executableName);
}

async function afterPack(context) {
  const file = executablePath(context);
  await flipFuses(file, {
    version: FuseVersion.V1,
    // arm64 macOS binaries must stay ad-hoc signed after the flip (signing happens later in the build).
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin',
    strictlyRequireAllFuses: true,
    ...FUSES,
  });
  console.log(`  • fuses set on ${path.basename(file)}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
