// The settings form's state and its mapping to and from Elevate's settings. Pure (no DOM, no bridge):
// tests/unit/settingsForm.test.ts. A cleared field becomes `null` in the patch, which main's merge
// (settings:set: nested objects merge one level, null deletes) turns into "use the default / detect".
import type { Settings } from '../../../../shared/settings';

export interface SettingsForm {
  readonly: string;
  elevated: string;
  terminal: string;
  claudePath: string;
  bedrockEnabled: boolean;
  model: string;
  region: string;
  minutes: number;
  launchAtLogin: boolean;
  instanceId: string;
  wsRegion: string;
  operatorProfile: string;
  /** Cost guard: '' = no limit. */
  maxElevatedPerDay: string;
  maxSession: string;
}

/** The patch `settings:set` receives for a form (every key the form edits, nothing else). */
export interface SettingsPatch {
  tiers: { readonly: string | null; elevated: string | null };
  terminal: string | null;
  claudePath: string | null;
  bedrock: { enabled: boolean; model: string; region: string | null };
  elevation: { defaultMinutes: number };
  launchAtLogin: boolean;
  workstation: { instanceId: string | null; region: string | null; operatorProfile: string | null };
  costGuard: { maxElevatedMinutesPerDay: number | null; maxSessionMinutes: number | null };
}

/** The form's fields for the saved settings (unset = empty field). */
export function formFromSettings(s: Settings): SettingsForm {
  return {
    readonly: s.tiers.readonly ?? '',
    elevated: s.tiers.elevated ?? '',
    terminal: s.terminal ?? '',
    claudePath: s.claudePath ?? '',
    bedrockEnabled: s.bedrock.enabled,
    model: s.bedrock.model,
    region: s.bedrock.region ?? '',
    minutes: s.elevation.defaultMinutes,
    launchAtLogin: s.launchAtLogin,
    instanceId: s.workstation.instanceId ?? '',
    wsRegion: s.workstation.region ?? '',
    operatorProfile: s.workstation.operatorProfile ?? '',
    maxElevatedPerDay: s.costGuard.maxElevatedMinutesPerDay?.toString() ?? '',
    maxSession: s.costGuard.maxSessionMinutes?.toString() ?? '',
  };
}

/** Trimmed text, or null (= unset) when blank. */
const opt = (v: string): string | null => (v.trim() ? v.trim() : null);
/** A number field: null (= no limit) when blank; otherwise Number(), which main's schema then checks. */
const optNum = (v: string): number | null => (v.trim() ? Number(v) : null);

/** The `settings:set` patch for a form: trimmed, blanks as null. Validation stays in main (one schema). */
export function formToPatch(form: SettingsForm): SettingsPatch {
  return {
    tiers: { readonly: opt(form.readonly), elevated: opt(form.elevated) },
    terminal: opt(form.terminal),
    claudePath: opt(form.claudePath),
    bedrock: { enabled: form.bedrockEnabled, model: form.model.trim(), region: opt(form.region) },
    elevation: { defaultMinutes: form.minutes },
    launchAtLogin: form.launchAtLogin,
    workstation: {
      instanceId: opt(form.instanceId),
      region: opt(form.wsRegion),
      operatorProfile: opt(form.operatorProfile),
    },
    costGuard: {
      maxElevatedMinutesPerDay: optNum(form.maxElevatedPerDay),
      maxSessionMinutes: optNum(form.maxSession),
    },
  };
}
