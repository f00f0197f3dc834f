/** The journal's replay order: a message's last fold line stands for it; numbers go to the fold that created them. */
import { createdNumbers, replayOrder } from '../../../src/intake/rebuild';
import type { JournalLine } from '../../../src/store/journal';

const ref = (uid: number) => ({ mailbox: 'INBOX', uidValidity: '7', uid });
const fold = (uid: number, applicationId: string | null, at = '2023-07-15T02:00:00.000Z'): JournalLine =>
  ({ type: 'fold', ref: ref(uid), sha256: `${uid}`.padStart(64, '0'), at, internalDate: null, outcome: applicationId ? 'folded' : 'automatic', applicationId });

describe('replayOrder', () => {
  it('keeps the last fold line of a retried message, in its place, and every staff line', () => {
    const staff: JournalLine = { type: 'staff', audit: { at: 'x', by: 's', action: 'note', applicationId: 'A-0001', reason: 'r', detail: {} } };
    const lines = [fold(2, 'A-0001', 'first try'), fold(1, 'A-0002'), staff, fold(2, 'A-0001', 'retry')];
    expect(replayOrder(lines)).toEqual([lines[1], lines[2], lines[3]]);
  });
});

describe('createdNumbers', () => {
  it('gives each number to the first message folded into it (numbers follow processing, not UIDs)', () => {
    const numbers = createdNumbers([fold(5, 'A-0001'), fold(3, 'A-0002'), fold(4, 'A-0001'), fold(6, null)]);
    expect([...numbers]).toEqual([['INBOX/7/5', 'A-0001'], ['INBOX/7/3', 'A-0002']]);
  });
});
