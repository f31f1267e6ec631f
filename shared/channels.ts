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
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

export const EVENT_CHANNELS = ['state:changed', 'ui:show'] as const;
