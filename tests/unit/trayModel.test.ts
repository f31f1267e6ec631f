import { describe, expect, it } from 'vitest';
import { AppStateSchema, formatCountdown, initialState, type AppState } from '../../shared/state';
import { buildTrayModel, flattenItems, trayActionFor, type TrayItem } from '../../shared/trayModel';
import { costWarnings } from '../../shared/usage';

const NOW = Date.parse('2026-11-24T15:00:00Z');

function tierInfo(tier: 'readonly' | 'elevated', profile: string) {
  return {
    tier,
    profile,
    chain: [profile],
    roleArn: `arn:aws:iam::123456789012:role/${profile}`,
    region: 'us-east-1',
    roleSessionName: null,
    problems: [],
  };
}

function state(patch: Partial<AppState> = {}): AppState {
  const base: AppState = {
    ...initialState(new Date(NOW)),
    activeTier: 'readonly',
    tiers: {
      readonly: tierInfo('readonly', 'claudecode-readonly'),
      elevated: tierInfo('elevated', 'claudecode-elevated'),
      source: 'detected-names',
      notes: [],
    },
  };
  const s = { ...base, ...patch };
  AppStateSchema.parse(s); // every fixture is a valid state
  return s;
}

const byId = (items: TrayItem[], id: string) => flattenItems(items).find((i) => i.id === id);
const ids = (items: TrayItem[]) => flattenItems(items).map((i) => i.id);
const elevation = (minutesLeft: number) => ({
  startedAt: new Date(NOW - 60_000).toISOString(),
  deadline: new Date(NOW + minutesLeft * 60_000).toISOString(),
  sessionId: '20261124150000-abcd1234',
  source: 'launch' as const,
});

describe('buildTrayModel', () => {
  it('no tiers: "none" icon, setup entry, launches disabled, no countdown', () => {
    const m = buildTrayModel(
      state({ activeTier: 'off', tiers: { readonly: null, elevated: null, source: 'none', notes: [] } }),
      NOW,
    );
    expect(m.icon).toBe('none');
    expect(m.title).toBe('');
    expect(m.items[0]).toEqual({ id: 'header', label: 'Elevate — no tiers set up', enabled: false });
    expect(byId(m.items, 'open:setup')?.enabled).toBe(true);
    expect(byId(m.items, 'launch:readonly')?.enabled).toBe(false);
    expect(byId(m.items, 'launch:readonly')?.label).toBe('Launch claude-ro… (no read-only tier)');
    expect(byId(m.items, 'verify')?.enabled).toBe(false);
    expect(m.tooltip).toBe('Elevate: no tiers set up — open Elevate');
  });

  it('read-only, verified: readonly icon, tooltip with tier, profile, account and verification time', () => {
    const m = buildTrayModel(
      state({
        identities: {
          readonly: {
            tier: 'readonly',
            profile: 'claudecode-readonly',
            account: '123456789012',
            arn: 'arn:aws:sts::123456789012:assumed-role/ClaudeReadOnly/claude-ro',
            verifiedAt: new Date(NOW - 3 * 60_000).toISOString(),
          },
          elevated: null,
        },
        settings: { ...initialState().settings, recentFolders: ['/home/me/proj a', '/srv/x'] },
      }),
      NOW,
    );
    expect(m.icon).toBe('readonly');
    expect(m.title).toBe('');
    expect(m.tooltip).toBe(
      'Elevate: Read-only · claudecode-readonly\nAccount 123456789012 · verified 3 min ago',
    );
    expect(m.items[0]?.label).toBe('Read-only · claudecode-readonly');
    const launch = byId(m.items, 'launch:readonly');
    expect(launch?.label).toBe('Launch claude-ro…');
    expect(launch?.submenu?.map((i) => [i.id, i.label])).toEqual([
      ['launch:readonly:choose', 'Choose project folder…'],
      ['sep-launch-readonly', ''],
      ['launch:readonly:recent:0', '/home/me/proj a'],
      ['launch:readonly:recent:1', '/srv/x'],
    ]);
    expect(byId(m.items, 'launch:elevated:recent:1')?.enabled).toBe(true);
    // radio group for the active tier (issue 7)
    expect(['tier:readonly', 'tier:elevated', 'tier:off'].map((id) => byId(m.items, id)?.checked)).toEqual([
      true,
      false,
      false,
    ]);
    expect(byId(m.items, 'tier:readonly')?.type).toBe('radio');
    expect(ids(m.items)).not.toContain('handoff:review');
    expect(ids(m.items)).not.toContain('elevation:drop');
    expect(ids(m.items).slice(-3)).toEqual(['open', 'cli:install', 'quit']);
    expect(byId(m.items, 'cli:install')?.label).toBe('Install command-line tool…');
    expect(trayActionFor('cli:install')).toEqual({ kind: 'installCli' });
  });

  it('a per-session (launch) elevation while the active tier is read-only: elevated icon, radio stays on the active tier', () => {
    const el = elevation(20);
    const m = buildTrayModel(state({ activeTier: 'readonly', elevation: el, elevations: [el] }), NOW);
    expect(m.icon).toBe('elevated');
    expect(m.items[0]?.label).toBe('Elevated — 20 min left');
    // the radio is what `elevate status` says (active.json), not the session's elevation
    expect(['tier:readonly', 'tier:elevated', 'tier:off'].map((id) => byId(m.items, id)?.checked)).toEqual([
      true,
      false,
      false,
    ]);
    expect(byId(m.items, 'tier:elevated')?.label).toBe('Elevated · claudecode-elevated…');
  });

  it('elevated with 14:32 left: elevated icon, macOS title countdown, drop item, elevated radio checked', () => {
    const s = state({
      activeTier: 'elevated',
      elevation: { ...elevation(0), deadline: new Date(NOW + (14 * 60 + 32) * 1000).toISOString() },
    });
    const m = buildTrayModel(s, NOW);
    expect(m.icon).toBe('elevated');
    expect(m.title).toBe('EL 14:32');
    expect(m.items[0]?.label).toBe('Elevated — 15 min left');
    expect(byId(m.items, 'elevation:drop')?.enabled).toBe(true);
    expect(byId(m.items, 'tier:elevated')).toMatchObject({
      checked: true,
      label: 'Elevated · claudecode-elevated (15 min left)',
    });
    expect(m.tooltip.split('\n')[0]).toBe('Elevate: Elevated · claudecode-elevated');
    expect(m.tooltip.split('\n')[1]).toBe('14:32 left (until 15:14 UTC)');
    // a second later only the title changes, not the menu (no per-second menu rebuilds)
    const later = buildTrayModel(s, NOW + 1000);
    expect(later.title).toBe('EL 14:31');
    expect(later.items).toEqual(m.items);
  });

  it('expiring below 5 minutes, and expired', () => {
    const s = state({ activeTier: 'elevated', elevation: elevation(5) });
    expect(buildTrayModel(s, NOW).icon).toBe('elevated');
    expect(buildTrayModel(s, NOW + 1).icon).toBe('expiring');
    expect(buildTrayModel(s, NOW + 1).title).toBe('EL 05:00');
    const expired = buildTrayModel(s, NOW + 6 * 60_000);
    expect(expired.icon).toBe('expiring');
    expect(expired.title).toBe('EL 00:00');
    expect(expired.items[0]?.label).toBe('Elevation expired');
  });

  it('error states: config error, identity error and recorded errors show the error icon', () => {
    const cfg = buildTrayModel(state({ configError: '/home/me/.aws/config:3: bad line' }), NOW);
    expect(cfg.icon).toBe('error');
    expect(cfg.items[0]?.label).toBe('Elevate — configuration problem');
    expect(byId(cfg.items, 'launch:readonly')?.enabled).toBe(false);

    const idErr = buildTrayModel(
      state({
        identityErrors: { readonly: { code: 'expired-token', message: 'token expired' }, elevated: null },
      }),
      NOW,
    );
    expect(idErr.icon).toBe('error');
    expect(idErr.tooltip).toContain('Not verified: token expired');

    const rec = buildTrayModel(
      state({
        errors: [
          {
            id: 'e1',
            source: 'launch:start',
            code: 'failed',
            message: 'claude is not on PATH',
            at: new Date(NOW).toISOString(),
          },
        ],
      }),
      NOW,
    );
    expect(rec.icon).toBe('error');
    expect(rec.tooltip.split('\n').pop()).toBe('Error: claude is not on PATH');

    // elevation outranks errors: the user must always see that they are elevated
    expect(buildTrayModel(state({ configError: 'x', elevation: elevation(20) }), NOW).icon).toBe('elevated');
  });

  it('off: "none" icon and Off checked', () => {
    const m = buildTrayModel(state({ activeTier: 'off' }), NOW);
    expect(m.icon).toBe('none');
    expect(m.items[0]?.label).toBe('Elevate — off');
    expect(byId(m.items, 'tier:off')?.checked).toBe(true);
    expect(m.tooltip).toBe('Elevate: off');
  });

  it('pending handoff: "Plan ready — review" on top; gone once approved', () => {
    const handoff = {
      cwd: '/p',
      planPath: '/p/plan.md',
      planHash: 'a'.repeat(64),
      preview: '# Plan',
      detectedAt: new Date(NOW).toISOString(),
      approved: false,
      voided: null,
    };
    const m = buildTrayModel(state({ handoff }), NOW);
    expect(m.items[1]).toEqual({ id: 'handoff:review', label: 'Plan ready — review…', enabled: true });
    expect(ids(buildTrayModel(state({ handoff: { ...handoff, approved: true } }), NOW).items)).not.toContain(
      'handoff:review',
    );
  });

  it('workstation submenu: not configured → setup; configured → status + actions', () => {
    const none = byId(buildTrayModel(state(), NOW).items, 'workstation');
    expect(none?.submenu?.map((i) => i.id)).toEqual(['workstation:status', 'sep-ws', 'open:settings']);
    expect(none?.submenu?.[0]?.label).toBe('Not configured');
    const ws = {
      ...state().workstation,
      configured: true,
      instanceId: 'i-0123456789abcdef0',
      pingStatus: 'Online',
    };
    const on = byId(buildTrayModel(state({ workstation: ws }), NOW).items, 'workstation');
    expect(on?.submenu?.[0]?.label).toBe('Online · i-0123456789abcdef0');
    expect(on?.submenu?.slice(2).map((i) => [i.id, i.enabled])).toEqual([
      ['workstation:refresh', true],
      ['workstation:cloudInit', true],
      ['workstation:connect', true],
      ['workstation:claude-ro', true],
    ]);
    // Remote elevated Claude is refused (issue 12 P2): no tray item offers it.
    expect(on?.submenu?.some((i) => i.id === 'workstation:claude-el')).toBe(false);
  });

  it('after an elevation ended: "Resume read-only…" (not while elevated)', () => {
    const resumable = {
      sessionId: '20261124150000-abcd1234',
      cwd: '/p',
      endedAt: new Date(NOW).toISOString(),
      reason: 'expired',
    };
    expect(buildTrayModel(state({ resumable }), NOW).items[1]).toEqual({
      id: 'session:resumeReadonly',
      label: 'Resume read-only…',
      enabled: true,
    });
    expect(ids(buildTrayModel(state({ resumable, elevation: elevation(20) }), NOW).items)).not.toContain(
      'session:resumeReadonly',
    );
    expect(trayActionFor('session:resumeReadonly')).toEqual({ kind: 'resume' });
  });

  it('self-elevation (issue 12 P2): a tooltip line when the read-only tier can reach elevated; none for warn/ok', () => {
    const withFinding = (status: 'ok' | 'warn' | 'fail') =>
      buildTrayModel(
        state({
          tiers: {
            readonly: tierInfo('readonly', 'claudecode-readonly'),
            elevated: {
              ...tierInfo('elevated', 'claudecode-elevated'),
              selfElevation: {
                status,
                message: `${status} message`,
                ...(status === 'ok' ? {} : { fix: 'f' }),
              },
            },
            source: 'detected-names',
            notes: [],
          },
        }),
        NOW,
      ).tooltip.split('\n');
    const line = 'Self-elevation possible: read-only can reach elevated without you — see elevate doctor';
    expect(withFinding('fail')).toContain(line);
    expect(withFinding('warn')).not.toContain(line);
    expect(withFinding('ok')).not.toContain(line);
    expect(buildTrayModel(state(), NOW).tooltip).not.toContain('Self-elevation');
  });

  it('cost guard: a disabled warning line under the header and a tooltip line per warning; none without', () => {
    const guard = { maxElevatedMinutesPerDay: 60, maxSessionMinutes: 120 };
    const live = [
      {
        id: '20261124130500-abcd1234',
        tier: 'readonly' as const,
        createdAt: new Date(NOW - 115 * 60_000).toISOString(),
        startedAt: new Date(NOW - 115 * 60_000).toISOString(),
      },
    ];
    // 52 of 60 elevated minutes used (warns 10 min ahead), a session 5 min before its 120 min limit
    const warnings = costWarnings({ elevatedSecondsToday: 52 * 60 }, live, guard, new Date(NOW));
    expect(warnings.map((w) => [w.kind, w.level, w.minutesLeft])).toEqual([
      ['elevated-day', 'warn', 8],
      ['session-length', 'warn', 5],
    ]);
    const usage = {
      elevatedSecondsToday: 52 * 60,
      sessionsToday: 3,
      dayStart: new Date(NOW - 15 * 3600_000).toISOString(),
      computedAt: new Date(NOW).toISOString(),
      limits: { maxElevatedMinutesPerDay: 60, maxSessionMinutes: 120 },
      warnings,
    };
    const m = buildTrayModel(state({ usage }), NOW);
    expect(m.items.slice(1, 3)).toEqual([
      { id: 'usage:warning:0', label: '⚠ 8 min of elevated time left today (limit 60 min)', enabled: false },
      {
        id: 'usage:warning:1',
        label: '⚠ Session 20261124130500-abcd1234 reaches the 120 min session limit in 5 min',
        enabled: false,
      },
    ]);
    expect(m.tooltip.split('\n')).toContain('Cost guard: 8 min of elevated time left today (limit 60 min)');
    expect(trayActionFor('usage:warning:0')).toBeNull(); // information, not an action
    // reached: the same line says so
    const reached = costWarnings({ elevatedSecondsToday: 61 * 60 }, [], guard, new Date(NOW));
    const r = buildTrayModel(state({ usage: { ...usage, warnings: reached } }), NOW);
    expect(r.items[1]?.label).toBe('⚠ Elevated time today has reached the 60 min limit');
    // usage without warnings (or not computed yet): no lines at all
    for (const u of [{ ...usage, warnings: [] }, null]) {
      const q = buildTrayModel(state({ usage: u }), NOW);
      expect(ids(q.items).filter((id) => id.startsWith('usage:'))).toEqual([]);
      expect(q.tooltip).not.toContain('Cost guard');
    }
  });

  it('verify shows progress while busy', () => {
    const v = byId(buildTrayModel(state({ busy: ['tiers:verify'] }), NOW).items, 'verify');
    expect(v).toEqual({ id: 'verify', label: 'Verifying identities…', enabled: false });
  });

  it('every actionable item id maps to an action', () => {
    const all = flattenItems(
      buildTrayModel(
        state({
          elevation: elevation(20),
          handoff: {
            cwd: '/p',
            planPath: '/p/plan.md',
            planHash: 'a',
            preview: '',
            detectedAt: '',
            approved: false,
            voided: null,
          },
          workstation: { ...state().workstation, configured: true },
          settings: { ...initialState().settings, recentFolders: ['/a'] },
        }),
        NOW,
      ).items,
    ).filter((i) => i.enabled && i.type !== 'separator' && i.type !== 'submenu' && i.id !== 'header');
    expect(all.length).toBeGreaterThan(10);
    for (const item of all) expect(trayActionFor(item.id), item.id).not.toBeNull();
    expect(trayActionFor('launch:elevated:recent:3')).toEqual({
      kind: 'launch',
      tier: 'elevated',
      folder: 3,
    });
    expect(trayActionFor('nonsense')).toBeNull();
  });
});

describe('formatCountdown', () => {
  it('mm:ss, rounding partial seconds up, never negative', () => {
    expect(formatCountdown(0)).toBe('00:00');
    expect(formatCountdown(-5)).toBe('00:00');
    expect(formatCountdown(999)).toBe('00:01');
    expect(formatCountdown(60 * 60_000)).toBe('60:00');
    expect(formatCountdown(61 * 60_000 + 1000)).toBe('1:01:01');
  });
});
