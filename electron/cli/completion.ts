// Shell completion scripts generated from the command specs (help.ts): commands, options, tier names,
// subcommands, and AWS profile names (read from the config file by the shell itself: no node per <Tab>).
import type { CommandSpec } from './help';

export interface CompletionCommand {
  name: string;
  summary: string;
  spec: CommandSpec | undefined;
}

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** Values offered after an option, by option name. */
const OPTION_VALUES: Record<string, string[]> = {
  format: ['sh', 'bash', 'zsh', 'fish', 'powershell'],
  'remote-claude': ['readonly', 'elevated'],
};

const WORD = /^[A-Za-z0-9][\w.:-]*$/;

/** Words a command takes as its first positional: `<readonly|elevated>` → both, `drop ID` → drop. */
export function positionalWords(spec: CommandSpec | undefined): string[] {
  const words = new Set<string>();
  for (const [arg] of spec?.args ?? []) {
    const alt = /^<([^>]+)>$/.exec(arg);
    const candidates = alt ? (alt[1] ?? '').split('|') : [arg.split(/\s+/)[0] ?? ''];
    for (const w of candidates) if (WORD.test(w)) words.add(w);
  }
  return [...words];
}

function optionWords(spec: CommandSpec | undefined): string[] {
  const words = ['--help'];
  for (const [name, o] of Object.entries(spec?.options ?? {})) {
    words.push(`--${name}`);
    if (o.short) words.push(`-${o.short}`);
  }
  return words.filter((w) => /^--?[\w-]+$/.test(w));
}

const SED = `sed -n -e 's/^[[:space:]]*\\[profile[[:space:]][[:space:]]*\\([^]]*\\)\\].*/\\1/p' -e 's/^[[:space:]]*\\[default\\].*/default/p'`;
const PROFILES_SH = `${SED} "\${AWS_CONFIG_FILE:-$HOME/.aws/config}" 2>/dev/null`;

export function bashCompletion(cmds: readonly CompletionCommand[]): string {
  const names = cmds.map((c) => c.name).filter((n) => WORD.test(n));
  const cases = cmds
    .filter((c) => WORD.test(c.name))
    .map((c) => {
      const words = c.name === 'help' ? names : [...positionalWords(c.spec), ...optionWords(c.spec)];
      return `    ${c.name}) words="${words.join(' ')}" ;;`;
    });
  const valueCases = Object.entries(OPTION_VALUES).map(
    ([o, v]) => `    --${o}) COMPREPLY=($(compgen -W "${v.join(' ')}" -- "$cur")); return 0 ;;`,
  );
  return `# elevate completion for bash: add to ~/.bashrc
#   eval "$(elevate completion bash)"
_elevate_profiles() {
  ${PROFILES_SH}
}
_elevate() {
  local cur prev cmd words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [ "$COMP_CWORD" -le 1 ]; then
    COMPREPLY=($(compgen -W "${[...names, 'help', '--help', '--version'].join(' ')}" -- "$cur"))
    return 0
  fi
  cmd="\${COMP_WORDS[1]}"
  case "$prev" in
    --profile) COMPREPLY=($(compgen -W "$(_elevate_profiles)" -- "$cur")); return 0 ;;
    --cwd) COMPREPLY=($(compgen -d -- "$cur")); return 0 ;;
${valueCases.join('\n')}
  esac
  case "$cmd" in
    help) words="${names.join(' ')}" ;;
${cases.join('\n')}
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  return 0
}
complete -F _elevate elevate
`;
}

export function zshCompletion(cmds: readonly CompletionCommand[]): string {
  return `# elevate completion for zsh: add to ~/.zshrc
#   eval "$(elevate completion zsh)"
autoload -U +X compinit && compinit -C
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(cmds).replace(/^# elevate completion for bash[^\n]*\n#[^\n]*\n/, '')}`;
}

function fishQuote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function fishCompletion(cmds: readonly CompletionCommand[]): string {
  const lines = [
    '# elevate completion for fish: add to ~/.config/fish/config.fish',
    '#   elevate completion fish | source',
    `function __elevate_profiles`,
    '    set -l f $HOME/.aws/config',
    '    set -q AWS_CONFIG_FILE; and set f $AWS_CONFIG_FILE',
    `    ${SED} $f 2>/dev/null`,
    'end',
    'complete -c elevate -f',
    "complete -c elevate -n '__fish_use_subcommand' -l help -d 'show help'",
    "complete -c elevate -n '__fish_use_subcommand' -l version -d 'print the version'",
  ];
  for (const c of cmds) {
    if (!WORD.test(c.name)) continue;
    lines.push(`complete -c elevate -n '__fish_use_subcommand' -a ${c.name} -d ${fishQuote(c.summary)}`);
    const cond = `-n '__fish_seen_subcommand_from ${c.name}'`;
    const pos = positionalWords(c.spec);
    if (pos.length) lines.push(`complete -c elevate ${cond} -a ${fishQuote(pos.join(' '))}`);
    for (const [name, o] of Object.entries(c.spec?.options ?? {})) {
      if (!/^[\w-]+$/.test(name)) continue;
      let line = `complete -c elevate ${cond} -l ${name}`;
      if (o.short && /^\w$/.test(o.short)) line += ` -s ${o.short}`;
      if (o.type === 'string') line += ' -r';
      if (name === 'profile') line += " -a '(__elevate_profiles)'";
      else if (name === 'cwd') line += " -a '(__fish_complete_directories)'";
      else if (OPTION_VALUES[name]) line += ` -a ${fishQuote(OPTION_VALUES[name].join(' '))}`;
      lines.push(`${line} -d ${fishQuote(o.help)}`);
    }
  }
  lines.push(
    `complete -c elevate -n '__fish_seen_subcommand_from help' -a ${fishQuote(cmds.map((c) => c.name).join(' '))}`,
  );
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: CompletionShell, cmds: readonly CompletionCommand[]): string {
  return shell === 'bash'
    ? bashCompletion(cmds)
    : shell === 'zsh'
      ? zshCompletion(cmds)
      : fishCompletion(cmds);
}
