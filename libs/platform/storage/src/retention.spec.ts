import { snapshotsToPrune } from './retention';

const snapshot = (snapshotId: string, day: number) => ({ snapshotId, createdAt: `2025-01-${String(day).padStart(2, '0')}T03:00:00Z` });
const newestFirst = [snapshot('s5', 5), snapshot('s4', 4), snapshot('s3', 3), snapshot('s2', 2), snapshot('s1', 1)];

describe('snapshotsToPrune (keepLast)', () => {
  it('keeps the newest keepLast snapshots and prunes the rest', () => {
    expect(snapshotsToPrune(newestFirst, 2)).toEqual(['s3', 's2', 's1']);
    expect(snapshotsToPrune(newestFirst, 5)).toEqual([]);
    expect(snapshotsToPrune(newestFirst, 10)).toEqual([]);
  });

  it('never prunes the newest snapshot, even with keepLast 0', () => {
    expect(snapshotsToPrune(newestFirst, 0)).toEqual(['s4', 's3', 's2', 's1']);
    expect(snapshotsToPrune([snapshot('only', 1)], 0)).toEqual([]);
    expect(snapshotsToPrune([], 0)).toEqual([]);
  });

  it('decides by creation time, not by the order it was given', () => {
    const shuffled = [2, 0, 4, 1, 3].map((index) => newestFirst[index] ?? snapshot('missing', 1));
    expect(snapshotsToPrune(shuffled, 1)).toEqual(['s4', 's3', 's2', 's1']);
    expect(snapshotsToPrune([...newestFirst].reverse(), 0)).not.toContain('s5');
  });

  it('compares instants, not strings, across time zones', () => {
    const older = { snapshotId: 'older', createdAt: '2025-01-01T00:30:00+02:00' }; // 22:30Z, though its string sorts later
    const newer = { snapshotId: 'newer', createdAt: '2024-12-31T23:00:00Z' };
    expect(snapshotsToPrune([older, newer], 1)).toEqual(['older']);
  });

  it('rejects a negative or fractional keepLast', () => {
    expect(() => snapshotsToPrune(newestFirst, -1)).toThrow(RangeError);
    expect(() => snapshotsToPrune(newestFirst, 1.5)).toThrow(RangeError);
  });
});
