// The shell side of the active tier, pure. Elevate pre-renders one small file per shell family
// ($ELEVATE_HOME/shell/active.sh | active.fish | active.ps1) whenever the tier changes; the hook that
// `elevate shell-init <shell>` prints reads the FIRST LINE of that file at every prompt (a builtin
// `read`, no process spawned) and sources the file only when that line changed. The file defines
// `__elevate_apply` (the tier's env) and, while elevated, `__elevate_expire` (the read-only env) plus the
// deadline in epoch seconds, so a shell falls back to read-only at the deadline on its own, even when the
// Elevate app is closed. Values are quoted with shared/quote.ts; names are fixed identifiers.
import { OVERRIDE_VARS } from './env';
import { quoteFish, quotePowerShell, quoteSh } from './quote';

export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];
export type ShellFamily = 'sh' | 'fish' | 'ps1';

export function isShell(v: unknown): v is Shell {
  return typeof v === 'string' && (SHELLS as readonly string[]).includes(v);
}

export function shellFamily(shell: Shell): ShellFamily {
  return shell === 'fish' ? 'fish' : shell === 'powershell' ? 'ps1' : 'sh';
}

export const SHELL_FILE: Readonly<Record<ShellFamily, string>> = {
  sh: 'active.sh',
  fish: 'active.fish',
  ps1: 'active.ps1',
};

/** What a shell should look like for one tier. `null` = off: drop what Elevate set, touch nothing else. */
export interface ShellTierEnv {
  tier: 'readonly' | 'elevated';
  /** Variables to export (AWS_PROFILE, and with Bedrock AWS_REGION, CLAUDE_CODE_USE_BEDROCK, ANTHROPIC_MODEL). */
  set: Record<string, string>;
  /** Prompt label, e.g. `[claude-ro] `. */
  label: string;
}

export interface ShellStateInput {
  /** Changes on every write; the hook re-sources the file when the first line changes. */
  rev: number;
  /** Active tier's env, or null for off (or when the shell target is disabled). */
  active: ShellTierEnv | null;
  /** Epoch seconds at which `expire` replaces `active` (elevated only). */
  deadlineEpoch: number | null;
  /** The read-only env to fall back to at the deadline (null: fall back to off). */
  expire: ShellTierEnv | null;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function promptLabel(tier: 'readonly' | 'elevated'): string {
  return tier === 'readonly' ? '[claude-ro] ' : '[claude-el] ';
}

function checkNames(env: ShellTierEnv | null): void {
  for (const n of Object.keys(env?.set ?? {}))
    if (!NAME_RE.test(n)) throw new Error(`not a variable name: ${n}`);
}

function headerLine(input: ShellStateInput): string {
  const tier = input.active?.tier ?? 'off';
  return `# elevate-active rev=${input.rev} tier=${tier} deadline=${input.deadlineEpoch ?? 0}`;
}

const OVERRIDES = Object.keys(OVERRIDE_VARS);

function shBody(env: ShellTierEnv | null): string[] {
  if (!env) return ['  __elevate_off'];
  const lines = ['  __elevate_off', `  unset ${OVERRIDES.join(' ')}`];
  for (const [k, v] of Object.entries(env.set)) lines.push(`  export ${k}=${quoteSh(v)}`);
  lines.push(`  __elevate_names=${quoteSh(Object.keys(env.set).join(' '))}`);
  lines.push(`  ELEVATE_TIER=${env.tier}`, `  ELEVATE_PROMPT=${quoteSh(env.label)}`);
  return lines;
}

function fishBody(env: ShellTierEnv | null): string[] {
  if (!env) return ['  __elevate_off'];
  const lines = ['  __elevate_off', `  for __n in ${OVERRIDES.join(' ')}`, '    set -e $__n', '  end'];
  for (const [k, v] of Object.entries(env.set)) lines.push(`  set -gx ${k} ${quoteFish(v)}`);
  lines.push(`  set -g __elevate_names ${Object.keys(env.set).join(' ')}`);
  lines.push(`  set -g ELEVATE_TIER ${env.tier}`, `  set -g ELEVATE_PROMPT ${quoteFish(env.label)}`);
  return lines;
}

function psBody(env: ShellTierEnv | null): string[] {
  if (!env) return ['  __elevate_off'];
  const lines = ['  __elevate_off'];
  lines.push(
    `  foreach ($n in @(${OVERRIDES.map((n) => `'${n}'`).join(', ')})) { Remove-Item -LiteralPath "Env:$n" -ErrorAction SilentlyContinue }`,
  );
  for (const [k, v] of Object.entries(env.set)) lines.push(`  $Env:${k} = ${quotePowerShell(v)}`);
  lines.push(
    `  $global:__elevate_names = @(${Object.keys(env.set)
      .map((n) => `'${n}'`)
      .join(', ')})`,
  );
  lines.push(
    `  $global:ELEVATE_TIER = '${env.tier}'`,
    `  $global:ELEVATE_PROMPT = ${quotePowerShell(env.label)}`,
  );
  return lines;
}

/** The pre-rendered state file for one shell family. */
export function renderShellState(family: ShellFamily, input: ShellStateInput): string {
  checkNames(input.active);
  checkNames(input.expire);
  const deadline = input.active && input.deadlineEpoch ? Math.floor(input.deadlineEpoch) : 0;
  const head = [
    headerLine(input),
    '# Written by Elevate at every tier switch; read by `elevate shell-init`. Do not edit.',
  ];
  if (family === 'sh') {
    return [
      ...head,
      `__elevate_deadline=${deadline}`,
      '__elevate_apply() {',
      ...shBody(input.active),
      '}',
      '__elevate_expire() {',
      ...shBody(input.expire),
      '}',
      '',
    ].join('\n');
  }
  if (family === 'fish') {
    return [
      ...head,
      `set -g __elevate_deadline ${deadline}`,
      'function __elevate_apply',
      ...fishBody(input.active),
      'end',
      'function __elevate_expire',
      ...fishBody(input.expire),
      'end',
      '',
    ].join('\n');
  }
  return [
    ...head,
    `$global:__elevate_deadline = ${deadline}`,
    'function global:__elevate_apply {',
    ...psBody(input.active),
    '}',
    'function global:__elevate_expire {',
    ...psBody(input.expire),
    '}',
    '',
  ].join('\r\n');
}

export interface ShellInitOptions {
  /** Absolute path of the state file for this shell's family. */
  stateFile: string;
  /** Prefix the prompt with `[claude-ro] ` / `[claude-el] `. */
  prompt: boolean;
}

/**
 * The rc-file snippet. Per prompt it costs one builtin `read` of one line (plus, only while elevated, the
 * clock: $EPOCHSECONDS in bash ≥ 5 / zsh, `date +%s` in fish and old bash).
 */
export function renderShellInit(shell: Shell, opts: ShellInitOptions): string {
  switch (shell) {
    case 'bash':
      return bashInit(opts);
    case 'zsh':
      return zshInit(opts);
    case 'fish':
      return fishInit(opts);
    case 'powershell':
      return powershellInit(opts);
  }
}

function shCommon(opts: ShellInitOptions, unsetNames: string): string[] {
  return [
    `__elevate_file=${quoteSh(opts.stateFile)}`,
    "__elevate_seen=''",
    "__elevate_names=''",
    '__elevate_deadline=0',
    "__elevate_expired=''",
    '__elevate_off() {',
    `  if [ -n "$__elevate_names" ]; then unset ${unsetNames}; fi`,
    "  __elevate_names=''",
    '  ELEVATE_TIER=off',
    "  ELEVATE_PROMPT=''",
    '}',
    '__elevate_hook() {',
    "  local __line='' __now=''",
    '  if [[ -r $__elevate_file ]]; then IFS= read -r __line < "$__elevate_file"; fi',
    '  if [[ $__line != "$__elevate_seen" ]]; then',
    '    __elevate_seen=$__line',
    "    __elevate_expired=''",
    '    if [[ $__line == "# elevate-active "* ]]; then',
    '      . "$__elevate_file"',
    '    else',
    '      __elevate_deadline=0',
    '      __elevate_apply() { __elevate_off; }',
    '    fi',
    '    __elevate_apply',
    '  fi',
    '  if [[ -z $__elevate_expired && ${__elevate_deadline:-0} -gt 0 ]]; then',
  ];
}

function shTail(): string[] {
  return [
    '    if (( __now >= __elevate_deadline )); then',
    '      __elevate_expired=1',
    '      __elevate_expire',
    '    fi',
    '  fi',
    '}',
  ];
}

function bashInit(opts: ShellInitOptions): string {
  return [
    '# Elevate: apply the active tier (AWS_PROFILE, override variables) at every prompt.',
    '# Added by: eval "$(elevate shell-init bash)"',
    ...shCommon(opts, '$__elevate_names'),
    '    __now=${EPOCHSECONDS:-}',
    "    if [[ -z $__now ]]; then printf -v __now '%(%s)T' -1 2>/dev/null || __now=$(date +%s); fi",
    ...shTail(),
    'if [[ ";${PROMPT_COMMAND[*]:-};" != *";__elevate_hook;"* ]]; then',
    '  PROMPT_COMMAND="__elevate_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}"',
    'fi',
    ...(opts.prompt
      ? ["if [[ $PS1 != *'${ELEVATE_PROMPT}'* ]]; then PS1='${ELEVATE_PROMPT}'\"$PS1\"; fi"]
      : []),
    '__elevate_hook',
    '',
  ].join('\n');
}

function zshInit(opts: ShellInitOptions): string {
  return [
    '# Elevate: apply the active tier (AWS_PROFILE, override variables) before every prompt and command.',
    '# Added by: eval "$(elevate shell-init zsh)"',
    'zmodload zsh/datetime 2>/dev/null',
    ...shCommon(opts, '${=__elevate_names}'),
    '    __now=${EPOCHSECONDS:-$(date +%s)}',
    ...shTail(),
    'autoload -Uz add-zsh-hook',
    'add-zsh-hook precmd __elevate_hook',
    'add-zsh-hook preexec __elevate_hook',
    ...(opts.prompt
      ? [
          'setopt prompt_subst',
          "if [[ $PROMPT != *'${ELEVATE_PROMPT}'* ]]; then PROMPT='${ELEVATE_PROMPT}'\"$PROMPT\"; fi",
        ]
      : []),
    '__elevate_hook',
    '',
  ].join('\n');
}

function fishInit(opts: ShellInitOptions): string {
  return [
    '# Elevate: apply the active tier (AWS_PROFILE, override variables) before every prompt and command.',
    '# Added by: elevate shell-init fish | source',
    `set -g __elevate_file ${quoteFish(opts.stateFile)}`,
    "set -g __elevate_seen ''",
    'set -g __elevate_names',
    'set -g __elevate_deadline 0',
    "set -g __elevate_expired ''",
    'function __elevate_off',
    '  for __n in $__elevate_names',
    '    set -e $__n',
    '  end',
    '  set -g __elevate_names',
    '  set -g ELEVATE_TIER off',
    "  set -g ELEVATE_PROMPT ''",
    'end',
    'function __elevate_hook --on-event fish_prompt --on-event fish_preexec',
    "  set -l __line ''",
    '  if test -r $__elevate_file',
    '    read __line < $__elevate_file',
    '  end',
    '  if test "$__line" != "$__elevate_seen"',
    '    set -g __elevate_seen $__line',
    "    set -g __elevate_expired ''",
    "    if string match -q '# elevate-active *' -- $__line",
    '      source $__elevate_file',
    '    else',
    '      set -g __elevate_deadline 0',
    '      function __elevate_apply',
    '        __elevate_off',
    '      end',
    '    end',
    '    __elevate_apply',
    '  end',
    '  if test -z "$__elevate_expired"; and test "$__elevate_deadline" -gt 0',
    '    if test (date +%s) -ge $__elevate_deadline',
    '      set -g __elevate_expired 1',
    '      __elevate_expire',
    '    end',
    '  end',
    'end',
    ...(opts.prompt
      ? [
          'if functions -q fish_prompt; and not functions -q __elevate_orig_prompt',
          '  functions -c fish_prompt __elevate_orig_prompt',
          '  function fish_prompt',
          '    printf %s $ELEVATE_PROMPT',
          '    __elevate_orig_prompt',
          '  end',
          'end',
        ]
      : []),
    '__elevate_hook',
    '',
  ].join('\n');
}

function powershellInit(opts: ShellInitOptions): string {
  return [
    '# Elevate: apply the active tier (AWS_PROFILE, override variables) at every prompt.',
    '# Added to $PROFILE by: elevate shell-init powershell | Out-String | Invoke-Expression',
    `$global:__elevate_file = ${quotePowerShell(opts.stateFile)}`,
    "$global:__elevate_seen = ''",
    '$global:__elevate_names = @()',
    '$global:__elevate_deadline = 0',
    '$global:__elevate_expired = $false',
    'function global:__elevate_off {',
    '  foreach ($n in $global:__elevate_names) { Remove-Item -LiteralPath "Env:$n" -ErrorAction SilentlyContinue }',
    '  $global:__elevate_names = @()',
    "  $global:ELEVATE_TIER = 'off'",
    "  $global:ELEVATE_PROMPT = ''",
    '}',
    'function global:__elevate_hook {',
    "  $line = ''",
    '  if ([System.IO.File]::Exists($global:__elevate_file)) {',
    '    $r = [System.IO.StreamReader]::new($global:__elevate_file)',
    '    try { $line = [string]$r.ReadLine() } finally { $r.Dispose() }',
    '  }',
    '  if ($line -ne $global:__elevate_seen) {',
    '    $global:__elevate_seen = $line',
    '    $global:__elevate_expired = $false',
    "    if ($line.StartsWith('# elevate-active ')) { . $global:__elevate_file }",
    '    else { $global:__elevate_deadline = 0; function global:__elevate_apply { __elevate_off } }',
    '    __elevate_apply',
    '  }',
    '  if (-not $global:__elevate_expired -and $global:__elevate_deadline -gt 0) {',
    '    if ([DateTimeOffset]::UtcNow.ToUnixTimeSeconds() -ge $global:__elevate_deadline) {',
    '      $global:__elevate_expired = $true',
    '      __elevate_expire',
    '    }',
    '  }',
    '}',
    'if (-not (Test-Path Function:\\__elevate_orig_prompt)) {',
    '  $global:__elevate_orig_prompt_sb = $function:prompt',
    '  function global:__elevate_orig_prompt { & $global:__elevate_orig_prompt_sb }',
    '}',
    'function global:prompt {',
    '  __elevate_hook',
    opts.prompt ? '  "$global:ELEVATE_PROMPT$(__elevate_orig_prompt)"' : '  __elevate_orig_prompt',
    '}',
    '__elevate_hook',
    '',
  ].join('\r\n');
}
