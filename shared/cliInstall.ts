// What "Install command-line tool" did, in words (the tray's message box and the Settings result).
export interface CliInstallOutcome {
  path: string;
  status: 'installed' | 'updated' | 'unchanged';
  onPath: boolean;
  pathHint?: string | undefined;
}

export function cliInstalledMessage(r: CliInstallOutcome): string {
  const verb =
    r.status === 'installed' ? 'Installed' : r.status === 'updated' ? 'Updated' : 'Already installed';
  return `${verb}: ${r.path}`;
}

export function cliInstalledDetail(r: CliInstallOutcome): string {
  return r.onPath
    ? 'Its folder is on PATH: open a new terminal and run `elevate --help`.'
    : `Its folder is not on PATH yet: ${r.pathHint ?? 'add it to PATH'}.`;
}
