import { HOUR_MS, HourLedger, hoursMissing } from '@aiops/common';
import { describe, expect, it } from 'vitest';
import { consecutiveRuns, handledInHour, lateWindow } from './late-connections.ts';

const h = (n: number) => Date.parse('2026-11-21T00:00:00Z') + n * HOUR_MS;

describe('the late pass of detect', () => {
  it('counts whole hours back from the checkpoint, never before the ledger starts', () => {
    expect(lateWindow(0, h(50) + 90_000, 48)).toEqual({ from: h(2), to: h(50) + 90_000 });
    expect(lateWindow(h(10), h(50) + 90_000, 48)).toEqual({ from: h(10), to: h(50) + 90_000 });
  });

  it("adds the checkpoint's own millisecond to the checkpoint's hour only", () => {
    const checkpoint = h(5) + 1234;
    expect(handledInHour(h(5), 10, checkpoint, 2)).toBe(12);
    expect(handledInHour(h(4), 10, checkpoint, 2)).toBe(10);
  });

  it('finds a late connection in an hour the forward read counted, and nothing once that hour is handled', () => {
    const checkpoint = h(5) + 1234;
    const ledger = HourLedger.startingAt(h(3));
    // The forward read handled 3 in hour 3, 2 in hour 4 and 2 in hour 5, one of them at the checkpoint's millisecond.
    ledger.add([h(3), h(3) + 1, h(3) + 2, h(4), h(4) + 5, h(5), checkpoint].map((ms) => new Date(ms).toISOString()));
    // The source below the checkpoint: a late connection in hour 4; hour 5 holds one below the checkpoint.
    const source = new Map([[h(3), 3], [h(4), 3], [h(5), 1]]);
    expect(hoursMissing(source, ledger.hours)).toEqual([h(4)]);
    ledger.set(h(4), handledInHour(h(4), 3, checkpoint, 1));
    expect(hoursMissing(source, ledger.hours)).toEqual([]);
    // Rescoring the checkpoint's hour whole keeps the document at the checkpoint counted.
    ledger.set(h(5), handledInHour(h(5), 1, checkpoint, 1));
    expect(ledger.hours.get(h(5))).toBe(2);
  });

  it('groups consecutive short hours into one stretch to read and score', () => {
    expect(consecutiveRuns([h(1), h(2), h(3), h(7), h(9), h(10)])).toEqual([[h(1), h(2), h(3)], [h(7)], [h(9), h(10)]]);
    expect(consecutiveRuns([])).toEqual([]);
  });
});
