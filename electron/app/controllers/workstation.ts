// Workstation over SSM (issue 6): status (kept fresh by the monitor while a window shows it), cloud-init,
// connect (with a remote Claude session). Failures show on the workstation panel in plain words.
import { isElevateError } from '../../../shared/errors';
import type { Response } from '../../../shared/ipc';
import type { Tier } from '../../../shared/types';
import { checkCloudInit, resolveInstanceId, resolveTarget, type WorkstationTarget } from '../../node/ssm';
import { connectWorkstation } from '../../node/ssmConnect';
import { refreshWorkstationStatus, WorkstationMonitor } from '../../node/workstationMonitor';
import { CoreError, type Runtime } from '../runtime';
import type { AppState } from '../../../shared/state';

export class WorkstationController {
  private readonly monitor: WorkstationMonitor;

  constructor(private readonly rt: Runtime) {
    // Refreshed while a window shows it, single flight, slower after errors; never an AWS call while no
    // workstation is configured.
    this.monitor = new WorkstationMonitor(
      // the store's slice is the truth (cloud-init results come from elsewhere), not the monitor's copy
      async () =>
        this.ws.configured && rt.ctx
          ? refreshWorkstationStatus(this.ws, { env: rt.env, ctx: rt.ctx, now: () => rt.now() })
          : this.ws,
      (ws) => rt.store.update({ workstation: ws }),
      {
        setTimeout: (fn, ms) => rt.clock.setTimeout(fn, ms),
        clearTimeout: (h) => rt.clock.clearTimeout(h),
      },
    );
  }

  private get ws(): AppState['workstation'] {
    return this.rt.store.state.workstation;
  }

  /** A window shows the workstation: keep its status fresh until the returned function is called. */
  watch(): () => void {
    return this.monitor.watch();
  }

  stop(): void {
    this.monitor.stop();
  }

  private async target(): Promise<WorkstationTarget & { instanceId: string }> {
    const ctx = this.rt.requireCtx();
    const t = resolveTarget(ctx.settings, ctx.setup, this.rt.env);
    return { ...t, instanceId: await resolveInstanceId(t) };
  }

  /** Run a workstation action; its failure is shown on the workstation panel (plain words) and returned. */
  private async run<T>(busy: string, fn: () => Promise<T>): Promise<T> {
    return this.rt.store.withBusy(busy, async () => {
      try {
        return await fn();
      } catch (err) {
        const info = isElevateError(err)
          ? { code: err.code, message: err.message }
          : { code: 'failed', message: (err as Error).message };
        this.rt.store.update({ workstation: { ...this.ws, error: info, checkedAt: this.rt.store.nowIso() } });
        throw isElevateError(err) ? err : new CoreError(info.code, info.message);
      }
    });
  }

  async status(): Promise<Response<'ssm:status'>> {
    if (!this.ws.configured) {
      throw new CoreError(
        'not-configured',
        'no workstation configured: set its instance id (or tag), region and operator profile in Settings',
        2,
      );
    }
    return this.rt.store.withBusy('ssm:status', async () => {
      const ws = await this.monitor.refreshNow(); // joins a refresh already in flight
      if (ws.error) throw new CoreError(ws.error.code, ws.error.message);
      return {
        instanceId: ws.instanceId ?? '',
        pingStatus: ws.pingStatus ?? 'Unknown',
        platform: ws.platform ?? '',
        agentVersion: ws.agentVersion ?? '',
        lastPing: ws.lastPing,
      };
    });
  }

  async cloudInit(wait: boolean): Promise<Response<'ssm:cloudInit'>> {
    const { rt } = this;
    return this.run('ssm:cloudInit', async () => {
      const t = await this.target();
      const r = await checkCloudInit(t, {
        wait,
        timeoutSeconds: wait ? 900 : 60,
        onProgress: (p) =>
          rt.store.update({
            workstation: {
              ...this.ws,
              cloudInit: {
                status: p.cloudInit ?? 'running',
                elapsedSeconds: p.elapsedSeconds,
                output: p.lines.join('\n'),
                checkedAt: rt.store.nowIso(),
              },
            },
          }),
      });
      rt.store.update({
        workstation: {
          ...this.ws,
          instanceId: r.instanceId,
          cloudInit: {
            status: r.status,
            elapsedSeconds: r.elapsedSeconds,
            output: r.output.split('\n').slice(-8).join('\n'),
            checkedAt: rt.store.nowIso(),
          },
          error: null,
        },
      });
      return {
        instanceId: r.instanceId,
        status: r.status,
        responseCode: r.responseCode,
        elapsedSeconds: r.elapsedSeconds,
        output: r.output,
        message: r.message,
      };
    });
  }

  async connect(remoteClaude: Tier | undefined, anyway: boolean): Promise<Response<'ssm:connect'>> {
    const { rt } = this;
    return this.run('ssm:connect', async () => {
      // remoteClaude 'elevated' is refused by connectWorkstation before anything runs (issue 12 P2): the
      // response carries code 'remote-elevated-unsupported' and the message says what to do instead.
      const r = await connectWorkstation({
        env: rt.env,
        ctx: rt.requireCtx(),
        remoteClaude,
        anyway,
        launch: { ...rt.launchOpts(), now: () => rt.now() },
      });
      const sessionId = r.launched?.spec.id ?? null;
      rt.store.update({ sessions: rt.readSessions() });
      return { sessionId, instanceId: r.plan.instanceId, cloudInit: r.cloudInit, deadline: r.plan.deadline };
    });
  }
}
