// Running sessions are not switched silently (issue 7): Claude reads credentials at start (and Bedrock keeps
// them until restart), so after a tier switch the UI/CLI lists the live Elevate-launched Claude sessions
// that still run under another tier, each with the argv that resumes it under the new one.
import type { ActiveTier } from '../../shared/state';
import { isLive, listSessions, type SessionSpec } from './sessions';
import type { Env } from './paths';

export interface StaleSession {
  id: string;
  tier: SessionSpec['tier'];
  profile: string | null;
  cwd: string;
  createdAt: string;
  /** Claude's own session id, when known (from --resume/--session-id or the spec). */
  claudeSessionId: string | null;
  /**
   * What to run (in `cwd`, under the new tier's env) to continue the conversation: `claude --resume <id>`,
   * or `claude --continue` (newest conversation in that folder) when the id is unknown.
   */
  restartArgv: string[];
}

function argAfter(argv: readonly string[], names: string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    for (const n of names) {
      if (a === n && i + 1 < argv.length) return argv[i + 1] ?? null;
      if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    }
  }
  return null;
}

export function claudeSessionIdOf(spec: SessionSpec): string | null {
  return spec.resumeId ?? argAfter(spec.argv, ['--resume', '-r', '--session-id']);
}

/** Live Claude sessions launched by Elevate whose tier differs from `active` (off: every tiered session). */
export function staleSessions(
  active: ActiveTier,
  env: Env = process.env,
  claudePath?: string,
  live: (s: SessionSpec) => boolean = isLive,
): StaleSession[] {
  const claude = claudePath ?? 'claude';
  return listSessions(env)
    .filter((s) => s.kind === 'claude' && s.tier !== null && s.tier !== active && live(s))
    .map((s) => {
      const claudeSessionId = claudeSessionIdOf(s);
      return {
        id: s.id,
        tier: s.tier,
        profile: s.profile,
        cwd: s.cwd,
        createdAt: s.createdAt,
        claudeSessionId,
        restartArgv: claudeSessionId ? [claude, '--resume', claudeSessionId] : [claude, '--continue'],
      };
    });
}
