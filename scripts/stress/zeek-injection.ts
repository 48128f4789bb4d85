/**
 * The network part of the stress run: real benign traffic with three attacks blended in, as the Zeek conn.log that
 * zeek-ingest follows. The benign rows are the `Benign` rows of a real CTU capture the repository ships
 * (data/zeek, README there); the attacks are @aiops/zeek's injection generators (the anomaly scorer's evaluation
 * uses the same ones): a vertical port scan by a quiet LAN device, DNS exfiltration and a bulk upload by the
 * capture's main host. Everything is moved in time (whole hours) so the capture ends at least `endsSecondsAgo`, at
 * most an hour more, before now: the detector reads it as fresh traffic. Training data is the Benign rows of another stretch of the same capture.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { injectAttacks, parseConnLines, type AttackType, type ConnRecord } from '@aiops/zeek';

/** The three network failures the stress run injects, as rows of its table. */
export const NETWORK_ATTACKS = { 'port-scan': 'vertical-scan', 'dns-exfiltration': 'dns-exfiltration', 'bulk-transfer': 'bulk-transfer' } as const satisfies Record<string, AttackType>;
export type NetworkRow = keyof typeof NETWORK_ATTACKS;

const TRAIN = 'data/zeek/ctu-011-train.conn.log.labeled';
const BACKGROUND = 'data/zeek/ctu-011-test.conn.log.labeled';
/** Zeek's conn.log columns (Zeek 4+/5 default), without the Stratosphere label columns: what a sensor writes. */
const FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'tunnel_parents'];
const TYPES = ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string', 'interval', 'count', 'count', 'string', 'bool', 'bool', 'count', 'string', 'count', 'count', 'count', 'count', 'set[string]'];

export interface InjectedTraffic {
  /** The conn.log text: header + benign and injected rows in ts order. */
  text: string;
  benign: number;
  /** uids of the injected connections per row, and the hosts at either end. */
  injected: Record<NetworkRow, { uids: string[]; origHosts: string[]; respHosts: string[] }>;
  /** [first ts, last ts] of the capture (epoch seconds), for the detector's --initial-since. */
  range: [number, number];
}

/** The Benign rows of a shipped labeled capture, as TSV lines cut to FIELDS and their parsed records. */
function benignRows(repoRoot: string, file: string): { lines: string[][]; records: ConnRecord[] } {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  const header = text.split('\n').find((l) => l.startsWith('#fields'))!.split('\t').slice(1);
  const at = FIELDS.map((f) => header.indexOf(f));
  const label = header.indexOf('label');
  if (at.includes(-1) || label < 0) throw new Error(`${file}: #fields lacks one of ${FIELDS.join(', ')} or label`);
  const lines = text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t'))
    .filter((cols) => cols[label] === 'Benign')
    .map((cols) => at.map((i) => cols[i]!));
  const { records, rejects } = parseConnLines([headerLines(), ...lines.map((c) => c.join('\t'))].join('\n'), { file });
  if (rejects.length > 0) throw new Error(`${file}: ${rejects.length} rows rejected, first: ${JSON.stringify(rejects[0])}`);
  return { lines, records };
}

function headerLines(): string {
  return ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', '#open\t2026-01-01-00-00-00', `#fields\t${FIELDS.join('\t')}`, `#types\t${TYPES.join('\t')}`].join('\n');
}

const unset = (v: number | string | null, digits?: number): string => (v === null ? '-' : typeof v === 'number' && digits !== undefined ? v.toFixed(digits) : String(v));

/** An injected record as the TSV row Zeek would write (fields it does not model are unset). */
function injectedRow(r: ConnRecord): string[] {
  return [
    r.ts.toFixed(6), r.uid, r.origHost, unset(r.origPort), r.respHost, unset(r.respPort), unset(r.proto), unset(r.service), unset(r.duration, 6),
    unset(r.origBytes), unset(r.respBytes), unset(r.connState), '-', '-', '0', '-', unset(r.origPkts), unset(r.origIpBytes), unset(r.respPkts), unset(r.respIpBytes), '(empty)',
  ];
}

const HOUR = 3_600;
const lastTs = (records: ConnRecord[]): number => Math.max(...records.map((r) => r.ts));

/**
 * How far the capture moves: whole hours, so that it ends `endsSecondsAgo` to an hour more before now. The
 * connections keep their minute and second within the hour, and the training stretch (moved by whole hours too)
 * keeps the same hours of the day relative to them: the detector's hour and weekday features, and so its scores,
 * are the same in every run of the same hour (by the minute they varied: 88 % to 100 % of the DNS tunnel flagged).
 */
function captureShift(now: number, endsSecondsAgo: number, captureEnd: number): number {
  return Math.floor((now - endsSecondsAgo - captureEnd) / HOUR) * HOUR;
}

/**
 * The Benign rows of the training stretch, moved to end a day before the capture does, at the same hour of the day
 * (a model learns the past), as conn.log text.
 */
export function trainingConnLog(repoRoot: string, now: number, endsSecondsAgo: number): string {
  const { lines, records } = benignRows(repoRoot, TRAIN);
  const captureEnd = lastTs(benignRows(repoRoot, BACKGROUND).records);
  const shift = captureShift(now, endsSecondsAgo, captureEnd) + Math.round((captureEnd - lastTs(records)) / HOUR) * HOUR - 86_400;
  return [headerLines(), ...lines.map((c) => [(Number(c[0]) + shift).toFixed(6), ...c.slice(1)].join('\t')), ''].join('\n');
}

export function injectedTraffic(repoRoot: string, now: number, endsSecondsAgo: number, seed: number): InjectedTraffic {
  const { lines, records } = benignRows(repoRoot, BACKGROUND);
  const shift = captureShift(now, endsSecondsAgo, lastTs(records));
  const moved = records.map((r) => ({ ...r, ts: r.ts + shift }));
  const benignLine = new Map(records.map((r, i) => [r.uid, [(Number(lines[i]![0]) + shift).toFixed(6), ...lines[i]!.slice(1)]]));
  const rows = Object.keys(NETWORK_ATTACKS) as NetworkRow[];
  const injection = injectAttacks(moved, { attacks: rows.map((r) => NETWORK_ATTACKS[r]), seed });
  const { records: all, attackTypes } = endInsideCapture(injection.records, injection.attackTypes, now - endsSecondsAgo);
  const injected = Object.fromEntries(rows.map((r) => [r, { uids: [] as string[], origHosts: [] as string[], respHosts: [] as string[] }])) as InjectedTraffic['injected'];
  const out: string[] = [];
  all.forEach((r, i) => {
    const type = attackTypes[i];
    if (type === null || type === undefined) {
      out.push(benignLine.get(r.uid)!.join('\t'));
      return;
    }
    const row = rows.find((k) => NETWORK_ATTACKS[k] === type)!;
    injected[row].uids.push(r.uid);
    if (!injected[row].origHosts.includes(r.origHost)) injected[row].origHosts.push(r.origHost);
    if (!injected[row].respHosts.includes(r.respHost)) injected[row].respHosts.push(r.respHost);
    out.push(injectedRow(r).join('\t'));
  });
  const ts = all.map((r) => r.ts);
  return { text: [headerLines(), ...out, ''].join('\n'), benign: records.length, injected, range: [Math.min(...ts), Math.max(...ts)] };
}

/**
 * A generated attack longer than the capture (the bulk upload's connections span hours) would start connections
 * in the future, which no sensor logs and the detector leaves for later runs: such an attack is moved back, as a
 * whole, so that its last connection starts at the capture's end. Returns the records in ts order again.
 */
function endInsideCapture(records: ConnRecord[], types: (AttackType | null)[], end: number): { records: ConnRecord[]; attackTypes: (AttackType | null)[] } {
  const last = new Map<AttackType, number>();
  records.forEach((r, i) => {
    const t = types[i];
    if (t) last.set(t, Math.max(last.get(t) ?? -Infinity, r.ts));
  });
  const tagged = records.map((r, i) => {
    const t = types[i] ?? null;
    const late = t ? Math.max(0, last.get(t)! - end) : 0;
    return { record: late > 0 ? { ...r, ts: r.ts - late } : r, type: t };
  });
  tagged.sort((a, b) => a.record.ts - b.record.ts);
  return { records: tagged.map((t) => t.record), attackTypes: tagged.map((t) => t.type) };
}
