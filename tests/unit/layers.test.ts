// The layer rule (eslint/layers.mjs, docs/DESIGN.md 'Layers') through ESLint's own API with the repo's
// config: each forbidden import named in issue 11 fails with the rule's name; allowed ones pass.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (r?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layers/allowed-imports', () => {
  it.each([
    ['shared/x.ts', "import { files } from '../electron/node/paths';\nexport const y = files;\n", 'shared'],
    [
      'renderer/src/x.ts',
      "import { ElevateCore } from '../../electron/app/core';\nexport const y = ElevateCore;\n",
      'renderer',
    ],
    [
      'electron/node/x.ts',
      "import { TrayController } from '../main/tray';\nexport const y = TrayController;\n",
      'node',
    ],
    [
      'electron/cli/x.ts',
      "import { ElevateCore } from '../app/core';\nexport const y = ElevateCore;\n",
      'cli',
    ],
    ['electron/app/x.ts', "export const y = import('../main/tray');\n", 'app'],
    ['electron/preload/x.ts', "export { files } from '../node/paths';\n", 'preload'],
  ])('%s: a forbidden import fails lint', async (file, code, layer) => {
    const msgs = await ruleIds(file, code);
    const hit = msgs.filter((m) => m.startsWith('layers/allowed-imports:'));
    expect(hit).toHaveLength(1);
    expect(hit[0]).toContain(`${layer} (`);
  });

  it.each([
    ['electron/node/x.ts', "import { tierOf } from '../../shared/tiers';\nexport const y = tierOf;\n"],
    ['electron/cli/x.ts', "import { files } from '../node/paths';\nexport const y = files;\n"],
    ['electron/main/x.ts', "import { ElevateCore } from '../app/core';\nexport const y = ElevateCore;\n"],
    [
      'renderer/src/x.ts',
      "import { CHANNEL_NAMES } from '../../shared/channels';\nexport const y = CHANNEL_NAMES;\n",
    ],
  ])('%s: an allowed import passes', async (file, code) => {
    const msgs = await ruleIds(file, code);
    expect(msgs.filter((m) => m.startsWith('layers/'))).toEqual([]);
  });
});
