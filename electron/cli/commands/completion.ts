// `elevate completion bash|zsh|fish`: print the completion script (generated from the command specs).
import { parse } from '../args';
import { COMPLETION_SHELLS, completionScript, type CompletionShell } from '../completion';
import { defineCommand, usageOf } from '../help';
import { UsageError } from '../io';

export const spec = defineCommand({
  name: 'completion',
  usage: ['completion <bash|zsh|fish>'],
  args: [['<bash|zsh|fish>', 'the shell to print the completion script for']],
  options: {},
  examples: [
    ['eval "$(elevate completion bash)"', 'in ~/.bashrc'],
    ['eval "$(elevate completion zsh)"', 'in ~/.zshrc'],
    ['elevate completion fish > ~/.config/fish/completions/elevate.fish', 'fish'],
  ],
});
export const usage = usageOf(spec);

export async function run(argv: string[]): Promise<number> {
  const { positionals } = parse(argv, spec);
  const shell = positionals[0];
  if (!(COMPLETION_SHELLS as readonly string[]).includes(shell ?? ''))
    throw new UsageError(
      `${shell === undefined ? 'missing shell' : `unknown shell "${shell}"`}: expected bash, zsh or fish\nusage: ${usage}`,
    );
  if (positionals.length > 1)
    throw new UsageError(`unexpected argument "${positionals[1]}"\nusage: ${usage}`);
  // Loaded here, not at the top: main.ts loads this module lazily like every other command.
  const { COMMANDS, specOf } = await import('../main');
  const cmds = await Promise.all(
    Object.entries(COMMANDS).map(async ([name, e]) => ({
      name,
      summary: e.summary,
      spec: specOf(name, await e.load()),
    })),
  );
  cmds.push({
    name: 'help',
    summary: 'help of a command',
    spec: undefined,
  });
  process.stdout.write(completionScript(shell as CompletionShell, cmds));
  return 0;
}
