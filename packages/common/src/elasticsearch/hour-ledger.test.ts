import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOUR_MS, HourLedger, HourLedgerStore } from './hour-ledger.ts';
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
