/**
 * The four labeled CTU-Normal days of the Stratosphere "security datasets for testing" (../shared/data, see its
 * SOURCES.md): 008 (CTU-Normal-40), 010 (-42), 011 (-43), 012 (-44). Each is a benign Windows host attacked from
 * the Internet; rows are labeled Benign, Malicious (External-Attack-to-Device) or Background (unknown).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readConnLogBatches, type ConnRecord } from '@aiops/zeek';

export const CTU_DAYS = ['008', '010', '011', '012'] as const;
export type CtuDay = (typeof CTU_DAYS)[number];
/**
 * Feature and parameter choices were made on this rotation only (held-out day 008, trained on 010/011/012; fixed
 * before any result was seen: the first day). The figures that count are those of the other three rotations.
 */
export const VALIDATION_DAY: CtuDay = '008';
export const rotationOf = (heldOut: CtuDay): 'validation' | 'held-out' => (heldOut === VALIDATION_DAY ? 'validation' : 'held-out');

import { externalDataDir } from '@aiops/datasets';
import { mulberry32 } from '@aiops/ml';

export function ctuDayFile(day: CtuDay): string {
  return join(externalDataDir(), 'stratosphere-security-datasets-for-testing', `${day}-zeek-mixed/data/conn.log.labeled`);
}

export async function loadCtuDay(day: CtuDay): Promise<ConnRecord[]> {
  const file = ctuDayFile(day);
  if (!existsSync(file)) throw new Error(`${file}: missing; set AIOPS_DATA_DIR to the folder holding the data sets (see the repo README)`);
  const records: ConnRecord[] = [];
  let rejected = 0;
  for await (const batch of readConnLogBatches(file, { onReject: () => rejected++ })) records.push(...batch);
  if (rejected > 0) throw new Error(`${file}: ${rejected} lines rejected by the reader`);
  return records;
}

export async function loadCtuDays(): Promise<Map<CtuDay, ConnRecord[]>> {
  const days = new Map<CtuDay, ConnRecord[]>();
  for (const day of CTU_DAYS) days.set(day, await loadCtuDay(day));
  return days;
}

export const isBenign = (r: ConnRecord) => r.label === 'Benign';
export const isMalicious = (r: ConnRecord) => r.label === 'Malicious';

/** Seeded uniform in [0, 1), for the subsampling draws. */
export const seededRandom = mulberry32;

/**
 * A realistic mixture of one day: every Benign row plus Malicious rows drawn without replacement so that they make
 * up `share` of the result, in ts order (Background rows, whose truth is unknown, are left out). The product's own
 * (anomaly-scorer `evaluate --protocol mixture`), so the bench and the command draw the same rows.
 */
export { mixture } from '@aiops/network-anomaly';
