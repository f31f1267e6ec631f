// The names of the IPC channels, without their schemas, so the sandboxed preload stays tiny (no zod).
// shared/ipc.ts's `contract` must have exactly these keys (enforced there with `satisfies`): add a
// channel to both files.
export const CHANNEL_NAMES = [
  'state:get',
  'state:refresh',
  'settings:get',
  'settings:set',
  'doctor:run',
  'audit:list',
  'errors:dismiss',
  'tiers:verify',
  'dialog:pickFolder',
  'shell:openExternal',
  'tier:switch',
  'launch:start',
  'plan:approve',
  'elevation:drop',
  'ssm:status',
  'ssm:cloudInit',
  'ssm:connect',
  'session:resumeReadonly',
  'session:drop',
  'activity:list',
  'policy:hints',
  'cli:install',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

export const EVENT_CHANNELS = ['state:changed', 'ui:show'] as const;

/** The `code` of an IpcError (shared/ipc.ts re-exports it). */
export const IPC_ERRORS = {
  unknownChannel: 'unknown-channel',
  invalidRequest: 'invalid-request',
  forbiddenSender: 'forbidden-sender',
  invalidResponse: 'invalid-response',
  failed: 'failed',
  /** The human answered no in main's native confirmation dialog (issue 12 P4): nothing happened. */
  declined: 'declined',
  /** The request needs main's native confirmation and this environment cannot show one. */
  unconfirmed: 'unconfirmed',
} as const;
