// Settings use cases: merge a window's patch into settings.json (validated as a whole), remember folders.
import { parseSettings, type Settings } from '../../../shared/settings';
import { refreshTargets } from '../../node/activeTier';
import { loadSettings, saveSettings } from '../../node/settingsStore';
import { CoreError, type Runtime } from '../runtime';

/** Top-level keys replace, plain objects merge one level; `null` unsets a key (so a cleared field clears). */
export function mergeSettingsPatch(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const merged: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete merged[k];
    else if (isObj(v) && isObj(merged[k])) {
      const inner: Record<string, unknown> = { ...(merged[k] as Record<string, unknown>) };
      for (const [ik, iv] of Object.entries(v)) {
        if (iv === null) delete inner[ik];
        else inner[ik] = iv;
      }
      merged[k] = inner;
    } else merged[k] = v;
  }
  return merged;
}

/** Settings whose change alters what elevation gives (issue 12 P4: confirmed by the human in main). */
export const ELEVATION_SETTINGS = ['tiers', 'elevation', 'switchTargets'] as const;

/**
 * What a patch would change in the elevation-relevant settings (tier/profile mapping, elevation minutes,
 * switch targets): one line each, empty when nothing relevant changes. Invalid patches report nothing here
 * (they are refused by validation anyway).
 */
export function elevationChanges(current: Settings, patch: Record<string, unknown>): string[] {
  const r = parseSettings(mergeSettingsPatch(current, patch));
  if (!r.ok) return [];
  const out: string[] = [];
  for (const key of ELEVATION_SETTINGS) {
    const before = JSON.stringify(current[key] ?? null);
    const after = JSON.stringify(r.settings[key] ?? null);
    if (before !== after) out.push(`${key}: ${before} → ${after}`);
  }
  return out;
}

export class SettingsController {
  constructor(
    private readonly rt: Runtime,
    private readonly reload: () => void,
  ) {}

  get(): Settings {
    return loadSettings(this.rt.env);
  }

  set(patch: Record<string, unknown>): Settings {
    const { rt } = this;
    const current = loadSettings(rt.env);
    const r = parseSettings(mergeSettingsPatch(current, patch));
    if (!r.ok) throw new CoreError('invalid-settings', r.errors.join('; '), 2);
    saveSettings(r.settings, rt.env);
    if ('launchAtLogin' in patch && r.settings.launchAtLogin !== current.launchAtLogin) {
      rt.platform.setLaunchAtLogin?.(r.settings.launchAtLogin);
    }
    this.reload();
    // Issue 7: targets added/removed, Bedrock or tier profiles changed → bring the switch targets in step.
    if (['switchTargets', 'bedrock', 'tiers'].some((k) => k in patch)) {
      try {
        refreshTargets(rt.now(), rt.env, rt.ctx ?? undefined);
      } catch (err) {
        rt.store.recordError('settings:set', { code: 'switch-target', message: (err as Error).message });
      }
    }
    return r.settings;
  }

  /** Remember a project folder (most recent first, at most 20). */
  rememberFolder(folder: string): void {
    const s = loadSettings(this.rt.env);
    const recentFolders = [folder, ...s.recentFolders.filter((f) => f !== folder)].slice(0, 20);
    saveSettings({ ...s, recentFolders }, this.rt.env);
    this.reload();
  }
}
