import { consecutiveRuns, HOUR_MS, HourLedger, hoursMissing, lateWindow } from '@aiops/common';
import { describe, expect, it } from 'vitest';

const h = (n: number) => Date.parse('2026-11-21T00:00:00Z') + n * HOUR_MS;

describe('the late pass of detect', () => {
  it('counts the whole hours that settled before the checkpoint, back to the lookback, never before the ledger starts', () => {
    const checkpoint = h(50) + 90_000; // 00:01:30 into hour 50
    expect(lateWindow(0, checkpoint, 48, 0)).toEqual({ from: h(2), to: h(50) });
    expect(lateWindow(h(10), checkpoint, 48, 0)).toEqual({ from: h(10), to: h(50) });
    // Hour 49 ended 90 s before the checkpoint: not settled at 360 s, settled at 60 s.
    expect(lateWindow(0, checkpoint, 48, 360)).toEqual({ from: h(2), to: h(49) });
    expect(lateWindow(0, checkpoint, 48, 60)).toEqual({ from: h(2), to: h(50) });
  });

  it('finds a late connection in a settled hour the forward read counted, and nothing once that hour is handled', () => {
    const checkpoint = h(5) + 1234;
    const ledger = HourLedger.startingAt(h(3));
    // The forward read handled 3 in hour 3, 2 in hour 4 and 2 in hour 5, one of them at the checkpoint's millisecond.
    ledger.add([h(3), h(3) + 1, h(3) + 2, h(4), h(4) + 5, h(5), checkpoint].map((ms) => new Date(ms).toISOString()));
    const { from, to } = lateWindow(ledger.since, checkpoint, 48, 0);
    // The source counted over [from, to): a late connection in hour 4; hour 5, the checkpoint's, is not counted.
    expect({ from, to }).toEqual({ from: h(3), to: h(5) });
    const source = new Map([[h(3), 3], [h(4), 3]]);
    expect(hoursMissing(source, ledger.hours)).toEqual([h(4)]);
    ledger.set(h(4), 3);
    expect(hoursMissing(source, ledger.hours)).toEqual([]);
    expect(ledger.hours.get(h(5))).toBe(2);
  });

  it('groups consecutive short hours into one stretch to read and score', () => {
    expect(consecutiveRuns([h(1), h(2), h(3), h(7), h(9), h(10)])).toEqual([[h(1), h(2), h(3)], [h(7)], [h(9), h(10)]]);
    expect(consecutiveRuns([])).toEqual([]);
  });
});
