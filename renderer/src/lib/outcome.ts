// A request main asked the human to confirm in its native dialog (issue 12 P4) and the human did not:
// that is the human's choice, shown as such ("Cancelled…"), never as a failure or an error banner.
import { IPC_ERRORS } from '../../../shared/channels';
import type { IpcError } from '../../../shared/ipc';

/** The note to show when the request was not confirmed; null when it is a real failure. */
export function cancelledNote(error: IpcError): string | null {
  if (error.code === IPC_ERRORS.declined) return 'Cancelled in the confirmation dialog';
  if (error.code === IPC_ERRORS.unconfirmed)
    return 'Cancelled: it needs the confirmation dialog, which is not available here';
  return null;
}

/** A request's outcome for a status line: cancelled (neutral) or failed (error). */
export function outcomeOf(error: IpcError): { kind: 'cancelled' | 'error'; text: string } {
  const note = cancelledNote(error);
  return note ? { kind: 'cancelled', text: note } : { kind: 'error', text: error.message };
}
