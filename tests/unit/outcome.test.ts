// A request the human did not confirm in main's native dialog is shown as their choice, not a failure.
import { describe, expect, it } from 'vitest';
import { IPC_ERRORS } from '../../shared/ipc';
import { cancelledNote, outcomeOf } from '../../renderer/src/lib/outcome';

describe('renderer outcome of a refused request', () => {
  it('declined in the dialog: "Cancelled in the confirmation dialog", not an error', () => {
    const e = { code: IPC_ERRORS.declined, message: 'Approve plan and elevate: declined in the dialog' };
    expect(cancelledNote(e)).toBe('Cancelled in the confirmation dialog');
    expect(outcomeOf(e)).toEqual({ kind: 'cancelled', text: 'Cancelled in the confirmation dialog' });
  });

  it('no dialog available (unconfirmed): cancelled too, saying why', () => {
    const e = { code: IPC_ERRORS.unconfirmed, message: 'refused launch:start: …' };
    expect(outcomeOf(e).kind).toBe('cancelled');
    expect(cancelledNote(e)).toMatch(/^Cancelled: .*confirmation dialog.*not available/);
  });

  it('a real failure stays an error with its message', () => {
    const e = { code: IPC_ERRORS.failed, message: 'AssumeRole denied' };
    expect(cancelledNote(e)).toBeNull();
    expect(outcomeOf(e)).toEqual({ kind: 'error', text: 'AssumeRole denied' });
  });
});
