/**
 * Real benign DNS for captures that have none (the CTU-Normal conn logs hold no DNS at all: the host's resolver
 * traffic was not captured). Without it every DNS column is constant in training, and a forest cannot split on a
 * constant column, so a DNS tunnel has nothing to differ from. Two steps, both pure:
 *
 * 1. `dnsConnRecords(rows)`: Zeek dns.log rows → the conn.log records Zeek writes for the same traffic. Zeek keys a
 *    UDP "connection" by its 5-tuple (one conn uid, several dns.log rows: A and AAAA of one lookup, retries), so the
 *    rows are grouped by uid. Zeek's dns.log does not carry sizes; they follow from the DNS wire format (RFC 1035):
 *      query    = 12 (header) + name (its length + 2 for the length octets and the root; 1 for the root itself) + 4
 *      response = the query echoed + per answer 2 (compressed name) + 10 (type, class, TTL, length) + data: 4 for an
 *                 IPv4 address, 16 for IPv6, a name's length + 2 otherwise (CNAME, PTR, NS, TXT ...)
 *    orig_pkts = distinct queries (trans_id, qtype) — captures on several taps log each packet twice, so duplicate
 *    rows are dropped; resp_pkts = the answered ones (rtt set); duration = first query to last answer; conn_state SF
 *    when answered, S0 when never; ip bytes = payload + 28 (IPv4 20 + UDP 8) per packet.
 * 2. `blendBenignDns(benign, dns, options)`: lays those records into a benign capture, the way attacks are
 *    blended (injection/inject.ts) but labeled Benign. The capture is cut into slots (300 s); in each slot where the
 *    main host (the busiest originator) opens n connections, one real 300 s chunk of one DNS client is laid in,
 *    the chunk whose lookup count is closest to `ratio` × n (0.4 by default: a workstation resolves a name for a
 *    good share of its new connections), keeping the chunk's own timing (offsets from the chunk start) and sizes.
 *    The client becomes the main host, its resolvers one resolver address (the /24's .1 unless given). So DNS
 *    volume follows the host's activity, and timing and sizes are real.
 */
import type { ConnRecord } from '../conn-record.ts';
import { deriveAddressSpace } from './address-space.ts';
import { InjectionRandom } from './seeded-random.ts';

/** The dns.log fields the conversion needs (Zeek names in comments). */
export interface DnsLogRow {
  ts: number;
  uid: string;
  origHost: string; // id.orig_h
  origPort: number | null; // id.orig_p
  respHost: string; // id.resp_h
  respPort: number | null; // id.resp_p
  proto: string | null;
  transId: number | null; // trans_id
  rtt: number | null;
  query: string | null;
  qtype: number | null;
  answers: readonly string[] | null;
}

const DNS_HEADER = 12;
const QUESTION_TAIL = 4; // qtype + qclass
const ANSWER_FIXED = 12; // compressed name pointer + type, class, TTL, rdlength
const IPV4_UDP_HEADER = 28;

export function dnsQueryBytes(query: string | null): number {
  const name = query === null || query === '' ? 1 : query.length + 2;
  return DNS_HEADER + name + QUESTION_TAIL;
}

function answerBytes(answer: string): number {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(answer)) return ANSWER_FIXED + 4;
  if (answer.includes(':') && /^[0-9a-fA-F:.]+$/.test(answer)) return ANSWER_FIXED + 16;
  return ANSWER_FIXED + answer.length + 2;
}

export function dnsResponseBytes(query: string | null, answers: readonly string[] | null): number {
  let bytes = dnsQueryBytes(query);
  for (const answer of answers ?? []) bytes += answerBytes(answer);
  return bytes;
}

/** One conn record per dns.log uid, in ts order; rows on other ports than 53 (NetBIOS 137 ...) are left out. */
export function dnsConnRecords(rows: readonly DnsLogRow[]): ConnRecord[] {
  const byUid = new Map<string, DnsLogRow[]>();
  for (const row of rows) {
    if (row.respPort !== 53) continue;
    const group = byUid.get(row.uid);
    if (group) group.push(row);
    else byUid.set(row.uid, [row]);
  }
  const records: ConnRecord[] = [];
  for (const [uid, group] of byUid) {
    const seen = new Set<string>();
    let first = Infinity;
    let last = -Infinity;
    let queries = 0;
    let answered = 0;
    let origBytes = 0;
    let respBytes = 0;
    for (const row of group) {
      const key = `${row.transId ?? ''}/${row.qtype ?? ''}/${row.query ?? ''}`;
      if (seen.has(key)) continue; // the same packet seen twice
      seen.add(key);
      queries++;
      origBytes += dnsQueryBytes(row.query);
      first = Math.min(first, row.ts);
      last = Math.max(last, row.ts + (row.rtt ?? 0));
      if (row.rtt !== null) {
        answered++;
        respBytes += dnsResponseBytes(row.query, row.answers);
      }
    }
    const head = group[0]!;
    records.push({
      ts: first,
      uid,
      origHost: head.origHost,
      origPort: head.origPort,
      respHost: head.respHost,
      respPort: 53,
      proto: head.proto ?? 'udp',
      service: 'dns',
      duration: last > first ? last - first : queries + answered > 1 ? 0 : null,
      origBytes,
      respBytes,
      connState: answered > 0 ? 'SF' : 'S0',
      origPkts: queries,
      origIpBytes: origBytes + IPV4_UDP_HEADER * queries,
      respPkts: answered,
      respIpBytes: respBytes + IPV4_UDP_HEADER * answered,
      label: 'Benign',
      detailedLabel: null,
    });
  }
  return records.sort((a, b) => a.ts - b.ts);
}

/** A value of a parsed Zeek record (reader/zeek-values.ts: scalars, null for unset, arrays for vectors). */
type LogValue = string | number | boolean | null | (string | number | boolean | null)[] | undefined;

/** A dns.log record's values (as the reader yields them) → DnsLogRow; errors name the line and the field. */
export function dnsLogRow(values: Readonly<Record<string, LogValue>>, where: string): DnsLogRow {
  const fail = (field: string, why: string): never => {
    throw new Error(`${where}: ${field}: ${why}`);
  };
  const str = (field: string): string => {
    const v = values[field];
    return typeof v === 'string' && v !== '' ? v : fail(field, `expected a string, got ${JSON.stringify(v)}`);
  };
  const num = (field: string): number | null => {
    const v = values[field];
    if (v === null || v === undefined) return null;
    return typeof v === 'number' && Number.isFinite(v) ? v : fail(field, `expected a number, got ${JSON.stringify(v)}`);
  };
  const ts = num('ts') ?? fail('ts', 'missing');
  const answers = values.answers;
  if (answers !== null && answers !== undefined && !Array.isArray(answers)) fail('answers', 'expected a list');
  const query = values.query;
  return {
    ts,
    uid: str('uid'),
    origHost: str('id.orig_h'),
    origPort: num('id.orig_p'),
    respHost: str('id.resp_h'),
    respPort: num('id.resp_p'),
    proto: typeof values.proto === 'string' ? values.proto : null,
    transId: num('trans_id'),
    rtt: num('rtt'),
    query: typeof query === 'string' ? query : null,
    qtype: num('qtype'),
    answers: Array.isArray(answers) ? answers.filter((a): a is string => typeof a === 'string') : null,
  };
}

export interface DnsChunk {
  /** The client's records in one slot, ts relative to the slot's start. */
  records: ConnRecord[];
}

/** Cuts each client's DNS records into `slotSeconds` chunks from the client's first lookup on (empty ones dropped). */
export function dnsChunks(dns: readonly ConnRecord[], slotSeconds = 300): DnsChunk[] {
  const byClient = new Map<string, ConnRecord[]>();
  for (const r of dns) {
    const list = byClient.get(r.origHost);
    if (list) list.push(r);
    else byClient.set(r.origHost, [r]);
  }
  const chunks: DnsChunk[] = [];
  for (const client of [...byClient.keys()].sort()) {
    const records = byClient.get(client)!.sort((a, b) => a.ts - b.ts);
    const start = records[0]!.ts;
    const slots = new Map<number, ConnRecord[]>();
    for (const r of records) {
      const slot = Math.floor((r.ts - start) / slotSeconds);
      const relative = { ...r, ts: r.ts - start - slot * slotSeconds };
      const list = slots.get(slot);
      if (list) list.push(relative);
      else slots.set(slot, [relative]);
    }
    for (const slot of [...slots.keys()].sort((a, b) => a - b)) chunks.push({ records: slots.get(slot)! });
  }
  return chunks;
}

export interface BlendDnsOptions {
  seed: number;
  /** DNS lookups laid in per connection of the main host (default 0.4). */
  ratio?: number;
  slotSeconds?: number;
  /** The resolver address (default: the main host's /24 .1, or 10.0.0.1 for IPv6 captures). */
  resolver?: string;
}

export interface BlendedCapture {
  records: ConnRecord[];
  /** How many DNS records were laid in. */
  added: number;
  resolver: string;
}

export function blendBenignDns(benign: readonly ConnRecord[], chunks: readonly DnsChunk[], options: BlendDnsOptions): BlendedCapture {
  if (chunks.length === 0) throw new Error('blendBenignDns: no DNS chunks to blend (is the dns.log empty or without port 53?)');
  const ratio = options.ratio ?? 0.4;
  const slotSeconds = options.slotSeconds ?? 300;
  const space = deriveAddressSpace(benign);
  const main = space.internalHosts[0]!;
  const resolver = options.resolver ?? `${space.internalPrefix ?? '10.0.0.'}1`;
  const rng = new InjectionRandom(options.seed);
  const perSlot = new Map<number, number>();
  for (const r of benign) {
    if (r.origHost !== main) continue;
    const slot = Math.floor((r.ts - space.start) / slotSeconds);
    perSlot.set(slot, (perSlot.get(slot) ?? 0) + 1);
  }
  const added: ConnRecord[] = [];
  for (const [slot, n] of [...perSlot].sort((a, b) => a[0] - b[0])) {
    const target = Math.max(1, Math.round(ratio * n));
    let best = Infinity;
    let candidates: DnsChunk[] = [];
    for (const chunk of chunks) {
      const distance = Math.abs(chunk.records.length - target);
      if (distance < best) [best, candidates] = [distance, [chunk]];
      else if (distance === best) candidates.push(chunk);
    }
    const chunk = rng.pick(candidates);
    const slotStart = space.start + slot * slotSeconds;
    for (const r of chunk.records) {
      added.push({ ...r, ts: slotStart + r.ts, uid: rng.zeekUid(), origHost: main, respHost: resolver, detailedLabel: 'blended-benign-dns' });
    }
  }
  const records = [...benign, ...added].sort((a, b) => a.ts - b.ts);
  return { records, added: added.length, resolver };
}
