// The window's sections: the names main's `ui:show` event uses (shared/ipc.ts), and the navigation bar.
import type { z } from 'zod';
import type { EventPayload } from '../../shared/ipc';
import type { TierNameSchema } from '../../shared/state';

export type Section = EventPayload<'ui:show'>['section'];
export type OnSection = (s: Section) => void;
/** A tier with a profile ('readonly' | 'elevated'), as the contract defines it. */
export type TierName = z.infer<typeof TierNameSchema>;

export const NAV: { id: Section; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'plan', label: 'Plan' },
  { id: 'doctor', label: 'Doctor' },
  { id: 'audit', label: 'Activity' },
  { id: 'settings', label: 'Settings' },
];
