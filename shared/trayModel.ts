// What the tray shows, as plain data: the glue (electron/main/tray.ts) turns it into a Tray icon, title,
// tooltip and Menu, and rebuilds it on every state change (Linux AppIndicator needs a fresh menu; it has
// no click events). Pure and unit-tested for every state.
import {
  type AppState,
  elevationPhase,
  formatAgo,
  formatCountdown,
  hasTiers,
  remainingMs,
  shortPath,
  tierCommand,
  tierLabel,
} from './state';

export type TrayIconName = 'none' | 'readonly' | 'elevated' | 'expiring' | 'error';

export interface TrayItem {
  /** Stable id the glue maps to an action (see trayActionFor). Separators get `sep-N`. */
  id: string;
  label: string;
  enabled: boolean;
  type?: 'normal' | 'separator' | 'radio' | 'checkbox' | 'submenu';
  checked?: boolean;
  submenu?: TrayItem[];
}

export interface TrayModel {
  icon: TrayIconName;
  /** macOS menu-bar title next to the icon: the elevation countdown (`EL 14:32`), else empty. */
  title: string;
  tooltip: string;
  items: TrayItem[];
}

export const MAX_RECENT_IN_MENU = 8;

/** The action a tray item id stands for (ids are data; the glue dispatches on this). */
export type TrayAction =
  | { kind: 'launch'; tier: 'readonly' | 'elevated'; folder: 'choose' | number }
  | { kind: 'verify' }
  | { kind: 'workstation'; op: 'refresh' | 'cloudInit' | 'connect' | 'claude-ro' }
  | { kind: 'review' }
  | { kind: 'drop' }
  | { kind: 'resume' }
  | { kind: 'tier'; tier: 'readonly' | 'elevated' | 'off' }
  | { kind: 'open'; section?: string }
  | { kind: 'installCli' }
  | { kind: 'quit' };

export function trayActionFor(id: string): TrayAction | null {
  let m = /^launch:(readonly|elevated):(choose|recent:(\d+))$/.exec(id);
  if (m) {
    const tier = m[1] as 'readonly' | 'elevated';
    return { kind: 'launch', tier, folder: m[2] === 'choose' ? 'choose' : Number(m[3]) };
  }
  m = /^tier:(readonly|elevated|off)$/.exec(id);
  if (m) return { kind: 'tier', tier: m[1] as 'readonly' | 'elevated' | 'off' };
  m = /^workstation:(refresh|cloudInit|connect|claude-ro)$/.exec(id);
  if (m) return { kind: 'workstation', op: m[1] as 'refresh' };
  switch (id) {
    case 'verify':
      return { kind: 'verify' };
    case 'handoff:review':
      return { kind: 'review' };
    case 'elevation:drop':
      return { kind: 'drop' };
    case 'session:resumeReadonly':
      return { kind: 'resume' };
    case 'open':
      return { kind: 'open' };
    case 'open:settings':
      return { kind: 'open', section: 'settings' };
    case 'open:setup':
      return { kind: 'open', section: 'setup' };
    case 'cli:install':
      return { kind: 'installCli' };
    case 'quit':
      return { kind: 'quit' };
    default:
      return null;
  }
}

function pickIcon(state: AppState, now: number): TrayIconName {
  const phase = elevationPhase(state, now);
  // Elevation outranks everything: it is the state the user must never miss.
  if (phase === 'elevated') return 'elevated';
  if (phase === 'expiring' || phase === 'expired') return 'expiring';
  if (state.configError || state.errors.length > 0) return 'error';
  if (state.identityErrors.readonly || state.identityErrors.elevated) return 'error';
  if (!hasTiers(state) || state.activeTier === 'off') return 'none';
  return 'readonly';
}

/** Minute granularity for menu labels, so the menu is rebuilt once a minute, not every second. */
export function minutesLeft(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 60_000))} min left`;
}

function header(state: AppState, now: number): string {
  if (state.configError) return 'Elevate — configuration problem';
  if (!hasTiers(state)) return 'Elevate — no tiers set up';
  const left = remainingMs(state, now);
  if (left !== null) return left > 0 ? `Elevated — ${minutesLeft(left)}` : 'Elevation expired';
  if (state.activeTier === 'off') return 'Elevate — off';
  const p = state.tiers.readonly?.profile;
  return `Read-only${p ? ` · ${p}` : ''}`;
}

function tooltip(state: AppState, now: number): string {
  const lines: string[] = [];
  const left = remainingMs(state, now);
  const tier = left !== null ? 'elevated' : state.activeTier === 'off' ? null : 'readonly';
  if (state.configError) lines.push('Elevate: configuration problem — open Elevate');
  else if (!hasTiers(state)) lines.push('Elevate: no tiers set up — open Elevate');
  else if (!tier) lines.push('Elevate: off');
  else {
    const info = state.tiers[tier];
    lines.push(`Elevate: ${tierLabel(tier)}${info ? ` · ${info.profile}` : ''}`);
    if (left !== null && state.elevation) {
      const d = new Date(state.elevation.deadline);
      lines.push(`${formatCountdown(left)} left (until ${d.toISOString().slice(11, 16)} UTC)`);
    }
    const id = state.identities[tier];
    if (id) lines.push(`Account ${id.account} · verified ${formatAgo(id.verifiedAt, now)}`);
    else if (state.identityErrors[tier])
      lines.push(`Not verified: ${state.identityErrors[tier]?.message ?? ''}`);
    else lines.push('Identity not verified yet');
  }
  // issue 12 P2: the agent could elevate itself — say so wherever the human looks (window: elevated card)
  if (!state.configError && state.tiers.elevated?.selfElevation?.status === 'fail')
    lines.push('Self-elevation possible: read-only can reach elevated without you — see elevate doctor');
  for (const w of state.usage?.warnings ?? []) lines.push(`Cost guard: ${w.message}`);
  const lastError = state.errors[state.errors.length - 1];
  if (lastError) lines.push(`Error: ${lastError.message}`);
  // Linux/Windows tooltips are short; keep each line readable.
  return lines.map((l) => (l.length > 120 ? `${l.slice(0, 119)}…` : l)).join('\n');
}

function launchItem(state: AppState, tier: 'readonly' | 'elevated'): TrayItem {
  const info = state.tiers[tier];
  const can = info !== null && !state.configError;
  const recent = state.settings.recentFolders.slice(0, MAX_RECENT_IN_MENU);
  const submenu: TrayItem[] = [
    { id: `launch:${tier}:choose`, label: 'Choose project folder…', enabled: can },
  ];
  if (recent.length) {
    submenu.push({ id: `sep-launch-${tier}`, label: '', enabled: true, type: 'separator' });
    recent.forEach((folder, i) =>
      submenu.push({ id: `launch:${tier}:recent:${i}`, label: shortPath(folder), enabled: can }),
    );
  }
  return {
    id: `launch:${tier}`,
    label: `Launch ${tierCommand(tier)}…${info ? '' : tier === 'elevated' ? ' (no elevated tier)' : ' (no read-only tier)'}`,
    enabled: can,
    type: 'submenu',
    submenu,
  };
}

function workstationItem(state: AppState): TrayItem {
  const ws = state.workstation;
  const status = !ws.configured
    ? 'Not configured'
    : ws.error
      ? `Error: ${ws.error.message}`
      : ws.pingStatus
        ? `${ws.pingStatus} · ${ws.instanceId ?? ''}`.trim()
        : `Status unknown · ${ws.instanceId ?? 'discover by tag'}`;
  const ok = ws.configured;
  const submenu: TrayItem[] = [
    { id: 'workstation:status', label: status, enabled: false },
    { id: 'sep-ws', label: '', enabled: true, type: 'separator' },
  ];
  if (!ok) submenu.push({ id: 'open:settings', label: 'Set up workstation…', enabled: true });
  else {
    submenu.push(
      { id: 'workstation:refresh', label: 'Refresh status', enabled: true },
      { id: 'workstation:cloudInit', label: 'Check cloud-init', enabled: true },
      { id: 'workstation:connect', label: 'Connect', enabled: true },
      {
        id: 'workstation:claude-ro',
        label: 'Claude (RO) on workstation',
        enabled: true,
      },
    );
  }
  return { id: 'workstation', label: 'Workstation', enabled: true, type: 'submenu', submenu };
}

export function buildTrayModel(state: AppState, now: number): TrayModel {
  const left = remainingMs(state, now);
  const items: TrayItem[] = [{ id: 'header', label: header(state, now), enabled: false }];
  // Cost guard (issue 8): a disabled line per warning, right under the header, before a limit is reached.
  (state.usage?.warnings ?? []).forEach((w, i) =>
    items.push({ id: `usage:warning:${i}`, label: `⚠ ${capitalize(w.message)}`, enabled: false }),
  );
  let sep = 0;
  const separator = (): TrayItem => ({ id: `sep-${sep++}`, label: '', enabled: true, type: 'separator' });

  if (state.handoff && !state.handoff.approved) {
    items.push({ id: 'handoff:review', label: 'Plan ready — review…', enabled: true });
  }
  if (left === null && state.resumable) {
    items.push({ id: 'session:resumeReadonly', label: 'Resume read-only…', enabled: true });
  }
  if (left !== null) {
    items.push({ id: 'elevation:drop', label: 'Drop elevation now', enabled: true });
  }
  items.push(separator());

  if (!hasTiers(state) && !state.configError) {
    items.push({ id: 'open:setup', label: 'Set up tiers…', enabled: true });
  }
  items.push(launchItem(state, 'readonly'), launchItem(state, 'elevated'));
  items.push({
    id: 'verify',
    label: state.busy.includes('tiers:verify') ? 'Verifying identities…' : 'Verify identities',
    enabled: hasTiers(state) && !state.busy.includes('tiers:verify'),
  });
  items.push(workstationItem(state));

  items.push(separator());
  const ro = state.tiers.readonly;
  const el = state.tiers.elevated;
  // The radio is the active tier (active.json, what `elevate status` says), not a per-session elevation.
  const active = state.activeTier;
  const sw = state.elevations.find((e) => e.source === 'switch');
  const swLeft = sw ? remainingMs({ elevation: sw }, now) : active === 'elevated' ? left : null;
  items.push(
    {
      id: 'tier:readonly',
      label: `Read-only${ro ? ` · ${ro.profile}` : ''}`,
      enabled: ro !== null,
      type: 'radio',
      checked: active === 'readonly',
    },
    {
      id: 'tier:elevated',
      label: `Elevated${el ? ` · ${el.profile}` : ''}${swLeft !== null ? ` (${minutesLeft(swLeft)})` : '…'}`,
      enabled: el !== null,
      type: 'radio',
      checked: active === 'elevated',
    },
    { id: 'tier:off', label: 'Off', enabled: true, type: 'radio', checked: active === 'off' },
  );

  items.push(separator());
  items.push({ id: 'open', label: 'Open Elevate', enabled: true });
  items.push({ id: 'cli:install', label: 'Install command-line tool…', enabled: true });
  items.push({ id: 'quit', label: 'Quit Elevate', enabled: true });

  return {
    icon: pickIcon(state, now),
    title: left !== null ? `EL ${formatCountdown(left)}` : '',
    tooltip: tooltip(state, now),
    items,
  };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Every item id in a model, depth-first (tests, and the test hook that clicks items by id). */
export function flattenItems(items: TrayItem[]): TrayItem[] {
  return items.flatMap((i) => [i, ...(i.submenu ? flattenItems(i.submenu) : [])]);
}
