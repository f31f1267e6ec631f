import type { AppState } from '../../../../shared/state';
import { call } from '../../bridge';
import { ExternalLink } from '../../components/ExternalLink';

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

/** First run (no tiers found): what to add to ~/.aws/config, and a button to look again. */
export function Setup({ state }: { state: AppState }) {
  return (
    <section className="card setup" aria-labelledby="setup-title" data-testid="setup">
      <h1 id="setup-title">Set up your two tiers</h1>
      <p>
        Elevate runs Claude Code with a <strong>read-only</strong> AWS profile by default and switches to an{' '}
        <strong>elevated</strong> one only when you approve it, for a limited time. It found no such profiles
        {state.tiers.notes.length ? ` (${state.tiers.notes.join('; ')})` : ''}.
      </p>
      <ol className="steps">
        <li>
          Create two IAM roles: one with read-only permissions, and one with the write permissions Claude may
          use after approval, trusting the read-only role.
        </li>
        <li>
          Add both profiles to <code>~/.aws/config</code> (Elevate never edits that file for you):
        </li>
      </ol>
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
      <div className="card__actions">
        <button type="button" className="btn btn--primary" onClick={() => void call('state:refresh')}>
          I added them — check again
        </button>
      </div>
    </section>
  );
}
