// What every part of the app core shares: the environment, the Clock and Platform seams, the store, the
// loaded configuration (CoreContext) and a few helpers (audit line, session list). Controllers and
// schedulers take a Runtime; only the facade (core.ts) builds one.
import { ElevateError, type ExitCode } from '../../shared/errors';
import type { ActiveTier, SessionSummary } from '../../shared/state';
import { appendAudit } from '../node/audit';
import type { CoreContext } from '../node/context';
import type { LaunchOptions } from '../node/launcher';
import type { Env } from '../node/paths';
import type { SelfCommand } from '../node/selfCommand';
import { isLive, listSessions } from '../node/sessions';
import type { Clock, Store } from './store';

/** What a native confirmation dialog (shown by main, never by the renderer) asks. */
export interface ConfirmRequest {
  title: string;
  message: string;
  detail: string;
  /** The label of the button that says yes ("Approve and launch", "Switch to elevated", …). */
  confirmLabel: string;
}

/** OS services only the Electron glue can provide (or a test stands in for). */
export interface Platform {
  pickFolder?(title?: string): Promise<string | null>;
  openExternal?(url: string): Promise<void>;
  /** `section`: what clicking the notification opens in the window (default: the overview). */
  notify?(title: string, body: string, section?: 'overview' | 'plan'): void;
  setLaunchAtLogin?(enabled: boolean): void;
  /**
   * A native, modal yes/no dialog shown by main (issue 12 P4): elevation-relevant actions asked for by the
   * window need the human's yes here. Without it those actions are refused (never confirmed by default).
   */
  confirm?(req: ConfirmRequest): Promise<boolean>;
  /**
   * The packaged app's binary (app.getPath('exe')) the `elevate` launcher runs with `--elevate-cli`
   * (cli:install). Absent in development: from a clone the CLI is installed with `npm link`.
   */
  appExecutable?(): string | null;
}

export interface CoreOptions {
  env?: Env;
  clock?: Clock;
  platform?: Platform;
  /**
   * Every window request's sender URL must pass it (the glue passes the file:// renderer check). Without
   * it `handle` refuses everything: a window dispatcher is never open by default. Main-side callers (tray)
   * use `invoke`.
   */
  trustedSender?: (url: string) => boolean;
  /** Write state.json (pid, active tier, elevation). Default true. */
  persist?: boolean;
  /** How terminals run Elevate's CLI (`<self> run --session ID`); the glue passes the Electron one. */
  self?: SelfCommand;
  /** Extra launcher options (terminal adapter / spawner seams in tests). */
  launchOptions?: Partial<LaunchOptions>;
  /** Watch plan.md in read-only session folders and the session specs (default true). */
  watchPlans?: boolean;
}

export interface Sender {
  url: string;
}

/** An error with a code the window can act on; anything else becomes `failed`. */
export class CoreError extends ElevateError {
  constructor(code: string, message: string, exitCode: ExitCode = 1) {
    super(code, message, exitCode);
  }
}

export class Runtime {
  readonly env: Env;
  readonly clock: Clock;
  readonly platform: Platform;
  /** The loaded ~/.aws + settings (null when they did not load: `configError` says why). */
  ctx: CoreContext | null = null;
  /** Between start() and stop(): timers run, state.json is ours. */
  started = false;
  /**
   * The active tier as $ELEVATE_HOME/active.json has it (activeTier.ts readActive: the single source, also
   * of `elevate status`). No file = `off`: Elevate changes nothing outside its own launches.
   */
  chosenTier: ActiveTier = 'off';

  constructor(
    readonly opts: CoreOptions,
    readonly store: Store,
    clock: Clock,
  ) {
    this.env = opts.env ?? process.env;
    this.clock = clock;
    this.platform = opts.platform ?? {};
  }

  now(): Date {
    return new Date(this.clock.now());
  }

  requireCtx(): CoreContext {
    if (!this.ctx) throw new CoreError('config', this.store.state.configError ?? 'configuration not loaded');
    return this.ctx;
  }

  launchOpts(): Partial<LaunchOptions> {
    return { ...(this.opts.self ? { self: this.opts.self } : {}), ...this.opts.launchOptions };
  }

  /** One audit line; a failure to write it is shown in the window, never thrown. */
  audit(event: Parameters<typeof appendAudit>[0]): void {
    try {
      appendAudit(JSON.parse(JSON.stringify(event)), this.env, this.now());
    } catch (err) {
      this.store.recordError('audit', {
        code: 'audit-failed',
        message: `could not append to the audit log: ${(err as Error).message}`,
      });
    }
  }

  /** The 20 most recent session specs, summarized for the window. */
  readSessions(): SessionSummary[] {
    try {
      return listSessions(this.env)
        .slice(-20)
        .map((s) => ({
          id: s.id,
          kind: s.kind,
          tier: s.tier,
          profile: s.profile,
          cwd: s.cwd,
          createdAt: s.createdAt,
          deadline: s.deadline ?? null,
          live: isLive(s),
        }));
    } catch {
      return [];
    }
  }
}
