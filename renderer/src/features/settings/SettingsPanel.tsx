import { useState } from 'react';
import type { AppState } from '../../../../shared/state';
import { call } from '../../bridge';
import { Field } from '../../components/Field';
import { CliInstall } from './CliInstall';
import { outcomeOf } from '../../lib/outcome';
import { useChannel } from '../../hooks/useChannel';
import { formFromSettings, formToPatch, type SettingsForm } from './settingsForm';

/** Elevate's settings: loaded once when the section opens, saved as one patch (validated in main). */
export function SettingsPanel({ state }: { state: AppState }) {
  const { data, error } = useChannel('settings:get');
  if (!data) return <p className="muted">{error ?? 'Loading settings…'}</p>;
  return (
    <>
      <SettingsEditor state={state} initial={formFromSettings(data)} />
      <CliInstall />
    </>
  );
}

function SettingsEditor({ state, initial }: { state: AppState; initial: SettingsForm }) {
  const [form, setForm] = useState<SettingsForm>(initial);
  const [status, setStatus] = useState<{ kind: 'ok' | 'cancelled' | 'error'; text: string } | null>(null);
  const set = <K extends keyof SettingsForm>(k: K, v: SettingsForm[K]) => setForm({ ...form, [k]: v });
  const save = async () => {
    const r = await call('settings:set', { patch: { ...formToPatch(form) } });
    setStatus(r.ok ? { kind: 'ok', text: 'Saved.' } : outcomeOf(r.error));
  };
  return (
    <form
      className="card settings"
      aria-labelledby="settings-title"
      data-testid="settings"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <header className="card__head">
        <h2 id="settings-title">Settings</h2>
      </header>
      <fieldset>
        <legend>Tiers</legend>
        <p className="field__hint">Empty = detect from ~/.aws/config (currently {state.tiers.source}).</p>
        <div className="row">
          <Field id="s-ro" label="Read-only profile">
            <input
              id="s-ro"
              value={form.readonly}
              placeholder={state.tiers.readonly?.profile ?? 'claudecode-readonly'}
              onChange={(e) => set('readonly', e.target.value)}
            />
          </Field>
          <Field id="s-el" label="Elevated profile">
            <input
              id="s-el"
              value={form.elevated}
              placeholder={state.tiers.elevated?.profile ?? 'claudecode-elevated'}
              onChange={(e) => set('elevated', e.target.value)}
            />
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>Elevation</legend>
        <div className="row">
          <Field
            id="s-min"
            label="Elevation length (minutes)"
            hint="15–60: chained role sessions cannot outlive an hour."
          >
            <input
              id="s-min"
              type="number"
              min={15}
              max={60}
              step={5}
              value={form.minutes}
              onChange={(e) => set('minutes', Number(e.target.value))}
            />
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>Cost guard</legend>
        <p className="field__hint">
          Bedrock spend grows with time. The tray warns before a limit is reached; empty = no limit.
        </p>
        <div className="row">
          <Field
            id="s-daymax"
            label="Elevated time per day (minutes)"
            hint="All elevated sessions and switches."
          >
            <input
              id="s-daymax"
              type="number"
              min={1}
              max={1440}
              value={form.maxElevatedPerDay}
              placeholder="no limit"
              onChange={(e) => set('maxElevatedPerDay', e.target.value)}
            />
          </Field>
          <Field id="s-sessmax" label="Session length (minutes)" hint="Any tier, each session.">
            <input
              id="s-sessmax"
              type="number"
              min={1}
              max={10080}
              value={form.maxSession}
              placeholder="no limit"
              onChange={(e) => set('maxSession', e.target.value)}
            />
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>Launching Claude</legend>
        <div className="row">
          <Field
            id="s-term"
            label="Terminal"
            hint="Empty = detect (Terminal.app, iTerm2, gnome-terminal, xterm…)."
          >
            <input
              id="s-term"
              value={form.terminal}
              placeholder="detect"
              onChange={(e) => set('terminal', e.target.value)}
            />
          </Field>
          <Field id="s-claude" label="Claude path" hint="Empty = claude on PATH.">
            <input
              id="s-claude"
              value={form.claudePath}
              placeholder="claude"
              onChange={(e) => set('claudePath', e.target.value)}
            />
          </Field>
        </div>
        <label className="check-row">
          <input
            type="checkbox"
            checked={form.bedrockEnabled}
            onChange={(e) => set('bedrockEnabled', e.target.checked)}
          />{' '}
          Use Amazon Bedrock
        </label>
        <div className="row">
          <Field id="s-model" label="Bedrock model">
            <input
              id="s-model"
              value={form.model}
              disabled={!form.bedrockEnabled}
              onChange={(e) => set('model', e.target.value)}
            />
          </Field>
          <Field
            id="s-region"
            label="Bedrock region"
            hint="Claude Code does not read the region from ~/.aws/config."
          >
            <input
              id="s-region"
              value={form.region}
              placeholder="us-east-1"
              disabled={!form.bedrockEnabled}
              onChange={(e) => set('region', e.target.value)}
            />
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>Workstation (SSM)</legend>
        <div className="row row--3">
          <Field id="s-iid" label="Instance id" hint="Empty = find by tag Name=claudecode-*.">
            <input
              id="s-iid"
              value={form.instanceId}
              placeholder="i-0123456789abcdef0"
              onChange={(e) => set('instanceId', e.target.value)}
            />
          </Field>
          <Field id="s-wsr" label="Region">
            <input
              id="s-wsr"
              value={form.wsRegion}
              placeholder="us-east-1"
              onChange={(e) => set('wsRegion', e.target.value)}
            />
          </Field>
          <Field id="s-op" label="Operator profile" hint="Your own profile, not the agent's.">
            <input
              id="s-op"
              value={form.operatorProfile}
              placeholder="default"
              onChange={(e) => set('operatorProfile', e.target.value)}
            />
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>App</legend>
        <label className="check-row">
          <input
            type="checkbox"
            checked={form.launchAtLogin}
            onChange={(e) => set('launchAtLogin', e.target.checked)}
          />{' '}
          Launch Elevate at login
        </label>
      </fieldset>
      <div className="card__actions">
        <button type="submit" className="btn btn--primary">
          Save settings
        </button>
        {status ? (
          <span
            className={
              status.kind === 'ok'
                ? 'saved'
                : status.kind === 'cancelled'
                  ? 'cancelled'
                  : 'alert alert--error alert--inline'
            }
            role={status.kind === 'error' ? 'alert' : 'status'}
            data-testid={status.kind === 'cancelled' ? 'cancelled' : undefined}
          >
            {status.text}
          </span>
        ) : null}
      </div>
    </form>
  );
}
