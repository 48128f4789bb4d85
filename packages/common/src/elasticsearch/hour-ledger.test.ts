import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consecutiveRuns, HOUR_MS, HourLedger, HourLedgerStore, lateWindow } from './hour-ledger.ts';
import { hoursMissing } from './late-documents.ts';

const t0 = Date.parse('2026-11-21T10:00:00Z');

describe('HourLedger', () => {
  it('starts at the first whole hour after its start, or at the epoch without one', () => {
    expect(HourLedger.startingAt('2026-11-21T10:20:00Z').since).toBe(t0 + HOUR_MS);
    expect(HourLedger.startingAt('2026-11-21T10:00:00Z').since).toBe(t0);
    expect(HourLedger.startingAt(undefined).since).toBe(0);
  });

  it('counts documents per hour of their timestamp, and an hour handled whole takes the source count', () => {
    const ledger = HourLedger.startingAt(t0);
    ledger.add(['2026-11-21T10:00:00.000Z', '2026-11-21T10:59:59.999Z', '2026-11-21T11:00:00.000Z']);
    expect([...ledger.hours]).toEqual([[t0, 2], [t0 + HOUR_MS, 1]]);
    // one late document in the first hour: the source holds 3 there
    expect(hoursMissing(new Map([[t0, 3], [t0 + HOUR_MS, 1]]), ledger.hours)).toEqual([t0]);
    ledger.set(t0, 3);
    expect(hoursMissing(new Map([[t0, 3], [t0 + HOUR_MS, 1]]), ledger.hours)).toEqual([]);
    ledger.prune(t0 + HOUR_MS);
    expect([...ledger.hours]).toEqual([[t0 + HOUR_MS, 1]]);
  });
});

describe('HourLedgerStore', () => {
  it('saves and loads a ledger under its key, and names the file of a damaged one', async () => {
    const store = new HourLedgerStore(mkdtempSync(join(tmpdir(), 'ledger-')));
    expect(await store.load('detect|zeek-conn-2*')).toBeUndefined();
    const ledger = HourLedger.startingAt(t0);
    ledger.add(['2026-11-21T10:30:00.000Z']);
    await store.save('detect|zeek-conn-2*', ledger);
    const loaded = await store.load('detect|zeek-conn-2*');
    expect(loaded?.since).toBe(t0);
    expect([...loaded!.hours]).toEqual([[t0, 1]]);
    writeFileSync(store.fileFor('detect|zeek-conn-2*'), '{"key":"detect|zeek-conn-2*","since":"x"}');
    await expect(store.load('detect|zeek-conn-2*')).rejects.toThrow(/is damaged[\s\S]*fix or delete it/);
  });
});

const h = (n: number) => Date.parse('2026-11-21T00:00:00Z') + n * HOUR_MS;

describe('the late window of an hour ledger', () => {
  it('counts the whole hours that settled before the checkpoint, back to the lookback, never before the ledger starts', () => {
    const checkpoint = h(50) + 90_000; // 00:01:30 into hour 50
    expect(lateWindow(0, checkpoint, 48, 0)).toEqual({ from: h(2), to: h(50) });
    expect(lateWindow(h(10), checkpoint, 48, 0)).toEqual({ from: h(10), to: h(50) });
    // Hour 49 ended 90 s before the checkpoint: not settled at 360 s, settled at 60 s.
    expect(lateWindow(0, checkpoint, 48, 360)).toEqual({ from: h(2), to: h(49) });
    expect(lateWindow(0, checkpoint, 48, 60)).toEqual({ from: h(2), to: h(50) });
  });

  it('finds a late document in a settled hour the job counted, and nothing once that hour is handled', () => {
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
