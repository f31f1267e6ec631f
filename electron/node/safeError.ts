// Error text that may reach a terminal, the window, the audit log or the agent: no secrets.
/**
 * An SDK error's message, safe to show in the agent's terminal. A failing credential_process of the user's own
 * comes back as Node's "Command failed: <the whole command line>\n<its stderr>", which may carry a token given
 * on that command line or printed by the tool: only the fact is kept. Anything shaped like an AWS key id,
 * secret or session token is masked.
 */
export function safeErrorMessage(err: unknown): string {
  let msg = err instanceof Error ? err.message : String(err);
  if (/^Command failed:/.test(msg))
    msg = 'a credential_process failed (its command line and output are not shown)';
  return maskSecrets(msg);
}

/**
 * Mask anything shaped like an AWS access key id, secret access key (40 base64 characters) or session token
 * (hundreds). A run starting with "/" of another length is taken for a path (/Users/Me/Projects/App2024).
 */
export function maskSecrets(text: string): string {
  return text
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '$1****************')
    .replace(/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40,}(?![A-Za-z0-9/+=])/g, (m) => {
      const mixed = /\d/.test(m) && /[a-z]/.test(m) && /[A-Z]/.test(m);
      const pathLike = m.startsWith('/') && m.length !== 40 && m.length < 100;
      return mixed && !pathLike ? '[redacted]' : m;
    });
}
