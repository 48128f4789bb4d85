/**
 * Real benign DNS for the evaluations: the WRCCDC 2018 capture's dns.log (../shared/data, SOURCES.md §6:
 * brimdata-zed-sample-data-wrccdc2018/zeek-default/dns.log, 53,615 rows, 21 minutes, Zeek 6.2 default config),
 * turned into conn records (packages/zeek/src/injection/benign-dns.ts says how) and cut into 300 s chunks per client.
 * The clients are dealt to the four CTU days (client i, in address order, to day i mod 4), so the DNS blended into
 * a held-out day comes from other machines than the DNS of the days the forest was trained on.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dnsChunks, dnsConnRecords, dnsLogRow, readZeekLog, type DnsChunk, type DnsLogRow } from '@aiops/zeek';
import { externalDataDir } from '@aiops/datasets';
import { CTU_DAYS, type CtuDay } from './ctu-data.ts';

export function wrccdcDnsFile(): string {
  return join(externalDataDir(), 'brimdata-zed-sample-data-wrccdc2018/zeek-default/dns.log');
}

export async function loadDnsChunksByDay(): Promise<Map<CtuDay, DnsChunk[]>> {
  const file = wrccdcDnsFile();
  if (!existsSync(file)) throw new Error(`${file}: missing; set AIOPS_DATA_DIR to the folder holding the data sets (see the repo README)`);
  const rows: DnsLogRow[] = [];
  let rejected = 0;
  for await (const record of readZeekLog(file, { onReject: () => rejected++ })) rows.push(dnsLogRow(record.values, `${file}:${record.line}`));
  if (rejected > 0) throw new Error(`${file}: ${rejected} lines rejected by the reader`);
  const records = dnsConnRecords(rows);
  const clients = [...new Set(records.map((r) => r.origHost))].sort();
  const dayOf = new Map(clients.map((c, i) => [c, CTU_DAYS[i % CTU_DAYS.length]!]));
  return new Map(CTU_DAYS.map((day) => [day, dnsChunks(records.filter((r) => dayOf.get(r.origHost) === day))]));
}
