// The dispatcher: maps each IPC channel to its use case. In ONE place: the deny-by-default sender check,
// request AND response validation with the zod contract (shared/ipc.ts), the native confirmation of
// elevation-relevant requests (issue 12 P4), and error mapping (ElevateError → {code, message}).
import { isElevateError } from '../../shared/errors';
import {
  contract,
  IPC_ERRORS,
  isChannel,
  type Channel,
  type IpcError,
  type IpcResult,
  type ParsedRequest,
  type Response,
} from '../../shared/ipc';
import type { ConfirmRequest, Platform, Sender } from './runtime';

export type Handlers = { [C in Channel]: (req: ParsedRequest<C>) => Promise<Response<C>> };

export interface DispatcherOptions {
  handlers: Handlers;
  /** Every window request's sender URL must pass it; without it every window request is refused. */
  trustedSender?: ((url: string) => boolean) | undefined;
  /** The question a request needs the human's yes to (null: none). */
  confirmationFor: <C extends Channel>(channel: C, req: ParsedRequest<C>) => ConfirmRequest | null;
  platform: Platform;
  /** A failed request is shown in the window's error list. */
  recordError: (source: string, info: IpcError) => void;
}

export interface InvokeOptions {
  /**
   * Main-side callers only (the tray after its own native dialog): the human has confirmed in main
   * already. Never set for window requests (`handle` does not pass it).
   */
  confirmedInMain?: boolean;
}

export function fail(error: IpcError): IpcResult<never> {
  return { ok: false, error };
}

/** The one mapping from a thrown error to what a window (or the tray) gets back. */
export function toIpcError(err: unknown): IpcError {
  if (isElevateError(err)) return { code: err.code, message: err.message };
  return { code: IPC_ERRORS.failed, message: (err as Error)?.message || String(err) };
}

export class Dispatcher {
  constructor(private readonly o: DispatcherOptions) {}

  /** The window's entry: checks the sender frame (deny by default), then `invoke`. */
  async handle(channel: unknown, payload: unknown, sender?: Sender): Promise<IpcResult<unknown>> {
    if (!isChannel(channel)) return this.invoke(channel, payload);
    if (!this.o.trustedSender || !sender || !this.o.trustedSender(sender.url)) {
      return fail({
        code: IPC_ERRORS.forbiddenSender,
        message: `refused ${channel}: the request did not come from Elevate's own window`,
      });
    }
    return this.invoke(channel, payload);
  }

  /** Validate channel and payload; confirm when needed; run; validate the response. */
  async invoke(channel: unknown, payload: unknown, opts: InvokeOptions = {}): Promise<IpcResult<unknown>> {
    if (!isChannel(channel)) {
      return fail({
        code: IPC_ERRORS.unknownChannel,
        message: `unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`,
      });
    }
    const spec = contract[channel];
    const parsed = spec.request.safeParse(payload);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
        .join('; ');
      return fail({ code: IPC_ERRORS.invalidRequest, message: `invalid ${channel} request: ${detail}` });
    }
    try {
      if (!opts.confirmedInMain) {
        const declined = await this.confirm(channel, parsed.data as ParsedRequest<typeof channel>);
        if (declined) return fail(declined);
      }
      const run = this.o.handlers[channel] as (req: unknown) => Promise<unknown>;
      const data = await run(parsed.data);
      const out = spec.response.safeParse(data);
      if (!out.success) {
        return fail({
          code: IPC_ERRORS.invalidResponse,
          message: `${channel}: response did not match the contract (${out.error.issues[0]?.message ?? ''})`,
        });
      }
      return { ok: true, data: out.data };
    } catch (err) {
      const info = toIpcError(err);
      this.o.recordError(channel, info);
      return fail(info);
    }
  }

  /** null when the request may run; the refusal otherwise (no dialog available, or the human said no). */
  private async confirm<C extends Channel>(channel: C, req: ParsedRequest<C>): Promise<IpcError | null> {
    const question = this.o.confirmationFor(channel, req);
    if (!question) return null;
    if (!this.o.platform.confirm) {
      return {
        code: IPC_ERRORS.unconfirmed,
        message: `refused ${channel}: it needs the human's confirmation and no dialog is available here`,
      };
    }
    const yes = await this.o.platform.confirm(question);
    return yes ? null : { code: IPC_ERRORS.declined, message: `${question.title}: declined in the dialog` };
  }
}
