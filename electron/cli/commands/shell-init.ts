// `elevate shell-init <shell>`: the rc-file snippet that applies the active tier at every prompt by
// reading a small file Elevate writes ($ELEVATE_HOME/shell/active.*). Never runs node or AWS per prompt.
import fs from 'node:fs';
import { isShell, renderShellInit, SHELLS, shellFamily } from '../../../shared/shellHook';
import { readActive, refreshTargets, shellStateFile } from '../../node/activeTier';
import { parse } from '../args';
import { defineCommand, usageOf } from '../help';
import { out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'shell-init',
  usage: [`shell-init <${SHELLS.join('|')}> [--prompt]`],
  args: [
    ['bash', 'add to ~/.bashrc:    eval "$(elevate shell-init bash)"'],
    ['zsh', 'add to ~/.zshrc:     eval "$(elevate shell-init zsh)"'],
    ['fish', 'add to config.fish:  elevate shell-init fish | source'],
    ['powershell', 'add to $PROFILE:     elevate shell-init powershell | Out-String | Invoke-Expression'],
  ],
  options: {
    prompt: { type: 'boolean', help: 'also show [claude-ro] / [claude-el] in front of the prompt' },
  },
  examples: [
    ['eval "$(elevate shell-init bash --prompt)"', 'in ~/.bashrc: the active tier in every new prompt'],
  ],
  notes:
    'The snippet only names the state file, so it can also be saved once (elevate shell-init bash >\n~/.elevate-hook.bash) and sourced from the rc file: then no node runs at shell start either.',
});
export const usage = usageOf(spec);

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, spec);
  const shell = positionals[0];
  if (!isShell(shell)) {
    throw new UsageError(
      `${shell === undefined ? 'missing shell' : `unknown shell "${shell}"`}: expected ${SHELLS.join(', ')}\nusage: ${usage}`,
    );
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const stateFile = shellStateFile(shellFamily(shell));
  // Runs once per new shell: apply a passed deadline, and make sure the state file exists.
  readActive(new Date());
  if (!fs.existsSync(stateFile)) refreshTargets(new Date());
  out(renderShellInit(shell, { stateFile, prompt: values.prompt ?? false }));
  return 0;
}
