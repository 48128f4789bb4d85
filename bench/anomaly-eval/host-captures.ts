/**
 * Every labeled capture the host-level evaluation has (../shared/data, SOURCES.md), as one list, each a network
 * of its own for leave-one-capture-out:
 *   ctu-008/010/011/012  CTU-Normal days: one benign Windows host attacked from the Internet (§3);
 *   ctu-sme-11           Slips test18: a Windows 7 VM with RemcosRAT exfiltration, 8 minutes, 44 benign rows (§5);
 *   njrat-230            001-zeek-scenario-malicious: NjRAT C&C, capture-relative ts, 9 benign rows (§3);
 *   wrccdc-injected      the WRCCDC 2018 dns.log turned into conn records (benign-dns.ts; 21 minutes, many
 *                        clients) with the five synthetic attacks of injection/attacks.ts blended in (seed 0);
 *   ctu-011-botnet       day 011's Benign rows (one Windows host, 24 h) whose host turns into an IoT-style bot at
 *                        the 60 % time of its rows (injection/botnet.ts: C&C every minute, telnet scan bursts, three
 *                        floods): the "most of the host's traffic is the attack" shape of the issue's hidden capture.
 * Rows keep their `label` (Benign | Malicious | other = unknown) and `detailedLabel` (the attack label of the
 * incident view; injected rows carry `injected-<type>`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { botnetOutbreak, dnsConnRecords, dnsLogRow, injectAttacks, readConnLogBatches, readZeekLog, type ConnRecord, type DnsLogRow } from '@aiops/zeek';
import { externalDataDir } from '@aiops/datasets';
import { CTU_DAYS, loadCtuDay } from './ctu-data.ts';
import { wrccdcDnsFile } from './dns-data.ts';

export interface Capture {
  name: string;
  records: ConnRecord[];
  /** How to put attacks into a later part for protocol (b): absent = the capture's own labeled rows are used. */
  injectInto?: (benign: ConnRecord[], seed: number) => ConnRecord[];
  /** The capture whose benign rows this one reuses: never in training when the other is held out. */
  base?: string;
}

async function readLabeled(relative: string): Promise<ConnRecord[]> {
  const file = join(externalDataDir(), relative);
  if (!existsSync(file)) throw new Error(`${file}: missing; set AIOPS_DATA_DIR to the folder holding the data sets`);
  const records: ConnRecord[] = [];
  for await (const batch of readConnLogBatches(file, { onReject: () => {} })) records.push(...batch);
  return records.sort((a, b) => a.ts - b.ts);
}

export async function wrccdcBenignDns(): Promise<ConnRecord[]> {
  const file = wrccdcDnsFile();
  if (!existsSync(file)) throw new Error(`${file}: missing; set AIOPS_DATA_DIR to the folder holding the data sets`);
  const rows: DnsLogRow[] = [];
  for await (const record of readZeekLog(file, { onReject: () => {} })) rows.push(dnsLogRow(record.values, `${file}:${record.line}`));
  return dnsConnRecords(rows)
    .map((r) => ({ ...r, label: 'Benign', detailedLabel: 'wrccdc-dns' }))
    .sort((a, b) => a.ts - b.ts);
}

const inject = (benign: ConnRecord[], seed: number) => injectAttacks(benign, { seed }).records;

export async function loadCaptures(): Promise<Capture[]> {
  const captures: Capture[] = [];
  for (const day of CTU_DAYS) captures.push({ name: `ctu-${day}`, records: (await loadCtuDay(day)).sort((a, b) => a.ts - b.ts) });
  captures.push({ name: 'ctu-sme-11', records: await readLabeled('stratosphere-slips-testdata/test18-malicious-ctu-sme-11-win/zeek-labeled/conn.log.labeled') });
  captures.push({ name: 'njrat-230', records: await readLabeled('stratosphere-security-datasets-for-testing/001-zeek-scenario-malicious/labeled-conn.log') });
  const ctu011 = captures.find((c) => c.name === 'ctu-011')!.records.filter((r) => r.label === 'Benign');
  const outbreak = (benign: ConnRecord[], seed: number) => [...benign, ...botnetOutbreak(benign, { from: benign[0]!.ts, seed })].sort((a, b) => a.ts - b.ts);
  const botFrom = ctu011[Math.floor(0.6 * ctu011.length)]!.ts;
  const botnet = botnetOutbreak(ctu011, { from: botFrom, seed: 0 });
  captures.push({ name: 'ctu-011-botnet', records: [...ctu011, ...botnet].sort((a, b) => a.ts - b.ts), injectInto: outbreak, base: 'ctu-011' });
  const dns = await wrccdcBenignDns();
  captures.push({ name: 'wrccdc-injected', records: inject(dns, 0), injectInto: inject });
  return captures;
}
