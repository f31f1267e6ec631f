import { useState } from 'react';
import { shellLine } from '../../../../shared/quote';
import type { AppState } from '../../../../shared/state';
import { call } from '../../bridge';
import { CopyPre } from '../../components/CopyPre';
import { ExternalLink } from '../../components/ExternalLink';
import { CliInstallButton } from '../settings/CliInstall';

export const CONFIG_SNIPPET = `# ~/.aws/config — the two profiles Elevate switches between
[profile claudecode-readonly]
role_arn = arn:aws:iam::<ACCOUNT_ID>:role/ClaudeCodeReadOnly
# your own credentials; on an EC2 workstation: credential_source = Ec2InstanceMetadata
source_profile = default
role_session_name = claude-readonly
region = us-east-1

[profile claudecode-elevated]
role_arn = arn:aws:iam::<ACCOUNT_ID>:role/ClaudeCodeElevated
source_profile = claudecode-readonly
role_session_name = claude-elevated
region = us-east-1`;

/** An AWS CLI profile name as typed; anything else falls back to the docs' `admin`. */
const PROFILE_RE = /^[A-Za-z0-9_.@+=,-]{1,64}$/;

/** The laptop quick start of docs/laptop.md, as commands for the user's terminal. */
export function quickStart(profile: string): Array<{ id: string; title: string; hint: string; cmd: string }> {
  const p = PROFILE_RE.test(profile) ? profile : 'admin';
  return [
    {
      id: 'dry-run',
      title: 'See what setup would do',
      hint: 'the template, its parameters, the AWS calls and the ~/.aws/config diff; nothing is changed',
      cmd: shellLine(['elevate', 'setup', '--dry-run', '--profile', p]),
    },
    {
      id: 'deploy',
      title: 'Deploy the two roles and add the profiles',
      hint: 'creates the stack as that profile, appends both profiles to ~/.aws/config (backup first, diff confirmed), then verifies both tiers (it asks for your MFA code)',
      cmd: shellLine(['elevate', 'setup', '--deploy', '--profile', p]),
    },
    {
      id: 'whoami',
      title: 'Check the read-only tier',
      hint: 'prints the read-only role this machine now uses',
      cmd: shellLine(['elevate', 'whoami', 'readonly']),
    },
  ];
}

/** First run (no tiers found): the laptop quick start (commands to copy), or the profiles by hand. */
export function Setup({ state }: { state: AppState }) {
  const [profile, setProfile] = useState('admin');
  const steps = quickStart(profile.trim());
  return (
    <section className="card setup" aria-labelledby="setup-title" data-testid="setup">
      <h1 id="setup-title">Set up your two tiers</h1>
      <p>
        Elevate runs Claude Code with a <strong>read-only</strong> AWS profile by default and switches to an{' '}
        <strong>elevated</strong> one only when you approve it, for a limited time. It found no such profiles
        {state.tiers.notes.length ? ` (${state.tiers.notes.join('; ')})` : ''}.
      </p>

      <h2 className="setup__h2">Quick start, in a terminal</h2>
      <p className="muted" data-testid="setup-terminal-note">
        This window does not deploy anything: run these commands in your terminal, where your admin
        credentials and MFA code stay.
      </p>
      <ol className="steps setup__steps" data-testid="quick-start">
        <li>
          <strong>The elevate command.</strong> Put it on PATH (skip if <code>elevate --version</code> already
          works):
          <CliInstallButton />
        </li>
        <li>
          <strong>An admin profile</strong> that may create IAM roles:{' '}
          <code>aws configure --profile admin</code> (access keys) or <code>aws configure sso</code>. Its
          name:{' '}
          <input
            className="setup__profile"
            aria-label="Admin profile name"
            value={profile}
            spellCheck={false}
            onChange={(e) => setProfile(e.target.value)}
          />
          {profile.trim() && !PROFILE_RE.test(profile.trim()) ? (
            <span className="setup__bad"> not a profile name (letters, digits and _ . @ + = , -)</span>
          ) : null}
        </li>
        {steps.map((s) => (
          <li key={s.id}>
            <strong>{s.title}</strong> <span className="muted">— {s.hint}</span>
            <CopyPre text={s.cmd} label={`Command: ${s.title}`} testId={`setup-cmd-${s.id}`} />
          </li>
        ))}
      </ol>
      <div className="card__actions">
        <button type="button" className="btn btn--primary" onClick={() => void call('state:refresh')}>
          I added them — check again
        </button>
      </div>

      <h2 className="setup__h2">Or: roles you already have</h2>
      <p>
        Add both profiles to <code>~/.aws/config</code> yourself (Elevate&apos;s window never edits that
        file):
      </p>
      <pre className="snippet" tabIndex={0} aria-label="~/.aws/config snippet" data-testid="config-snippet">
        {CONFIG_SNIPPET}
      </pre>
      <p className="muted">
        Already have profiles with other names? Pick them in Settings → Tiers. How role profiles work:{' '}
        <ExternalLink href="https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html">
          AWS CLI — using an IAM role
        </ExternalLink>
        .
      </p>
    </section>
  );
}
