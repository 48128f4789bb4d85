/**
 * Generators of synthetic attack traffic as Zeek would log it, each placed at a random time inside a benign
 * capture and using its address space (address-space.ts). The shapes follow what Zeek records for the real thing:
 * - horizontal scan: a compromised LAN device SYN-probes one port on every address of the /24 (nmap -sS):
 *   mostly S0 (nobody there, a lone SYN Zeek cannot time), some REJ (RST from a live host), a few RSTO (open).
 * - vertical scan: the same device probes ~300 ports of the main host: mostly REJ (closed), some S0
 *   (filtered), a few RSTO (open, the scanner resets after SYN-ACK).
 * - DNS exfiltration: the main host tunnels a file through its resolver the way iodine or dnscat2 move data:
 *   600–1,200 queries with long encoded labels (large orig_bytes), 2–20 a second.
 * - bulk transfer: the main host uploads hundreds of MB to a never-seen outside host over a few long TLS/SSH
 *   connections.
 * - beacon: the main host calls a never-seen outside host every ~60 s (±2 % jitter) with small TLS exchanges.
 */
import type { ConnRecord } from '../conn-record.ts';
import type { AddressSpace } from './address-space.ts';
import type { InjectionRandom } from './seeded-random.ts';

export const ATTACK_TYPES = ['horizontal-scan', 'vertical-scan', 'dns-exfiltration', 'bulk-transfer', 'beacon'] as const;
export type AttackType = (typeof ATTACK_TYPES)[number];

export type Shape = Pick<ConnRecord, 'duration' | 'origBytes' | 'respBytes' | 'connState' | 'origPkts' | 'respPkts'> & {
  service: string | null;
};

export interface Endpoint {
  origHost: string;
  respHost: string;
  respPort: number;
  proto: 'tcp' | 'udp';
}

const TCP_IP_HEADER = 40;
const UDP_IP_HEADER = 28;

/** One attack connection as Zeek logs it; `type` becomes the detailed label `injected-<type>`. */
export function attackRecord(rng: InjectionRandom, ts: number, type: string, at: Endpoint, shape: Shape): ConnRecord {
  const header = at.proto === 'udp' ? UDP_IP_HEADER : TCP_IP_HEADER;
  return {
    ts,
    uid: rng.zeekUid(),
    origHost: at.origHost,
    origPort: rng.int(32768, 60999),
    respHost: at.respHost,
    respPort: at.respPort,
    proto: at.proto,
    service: shape.service,
    duration: shape.duration,
    origBytes: shape.origBytes,
    respBytes: shape.respBytes,
    connState: shape.connState,
    origPkts: shape.origPkts,
    origIpBytes: shape.origPkts === null ? null : shape.origPkts * header + (shape.origBytes ?? 0),
    respPkts: shape.respPkts,
    respIpBytes: shape.respPkts === null ? null : shape.respPkts * header + (shape.respBytes ?? 0),
    label: 'Malicious',
    detailedLabel: `injected-${type}`,
  };
}

/** A start time such that an attack lasting `span` seconds ends inside the capture. */
function startTime(space: AddressSpace, rng: InjectionRandom, span: number): number {
  return rng.uniform(space.start, Math.max(space.start, space.end - span));
}

/** An address in the internal /24 that the capture does not use (a device that was quiet until now). */
function freshInternalHost(space: AddressSpace, rng: InjectionRandom): string {
  const used = new Set([...space.internalHosts, ...space.externalHosts]);
  const prefix = space.internalPrefix ?? '10.0.0.';
  for (let tries = 0; tries < 1000; tries++) {
    const host = `${prefix}${rng.int(2, 254)}`;
    if (!used.has(host)) return host;
  }
  throw new Error(`no unused address left in ${prefix}0/24`);
}

export function freshExternalHost(space: AddressSpace, rng: InjectionRandom): string {
  const used = new Set(space.externalHosts);
  for (;;) {
    const host = `${rng.pick([45, 91, 103, 185, 193, 194])}.${rng.int(1, 254)}.${rng.int(1, 254)}.${rng.int(1, 254)}`;
    if (!used.has(host)) return host;
  }
}

/** A SYN probe's outcome as Zeek logs it. */
function probe(outcome: 'silent' | 'closed' | 'open', rng: InjectionRandom): Shape {
  if (outcome === 'silent') {
    // One SYN, or a SYN and its retransmission a second later.
    const retransmitted = rng.next() < 0.3;
    return { service: null, duration: retransmitted ? rng.uniform(0.9, 1.1) : null, origBytes: 0, respBytes: 0, connState: 'S0', origPkts: retransmitted ? 2 : 1, respPkts: 0 };
  }
  if (outcome === 'closed') {
    return { service: null, duration: rng.uniform(0.0001, 0.003), origBytes: 0, respBytes: 0, connState: 'REJ', origPkts: 1, respPkts: 1 };
  }
  return { service: null, duration: rng.uniform(0.0002, 0.005), origBytes: 0, respBytes: 0, connState: 'RSTO', origPkts: 2, respPkts: 1 };
}

function outcome(rng: InjectionRandom, silent: number, closed: number): 'silent' | 'closed' | 'open' {
  const u = rng.next();
  return u < silent ? 'silent' : u < silent + closed ? 'closed' : 'open';
}

export function horizontalScan(space: AddressSpace, rng: InjectionRandom): ConnRecord[] {
  const scanner = freshInternalHost(space, rng);
  const port = rng.pick([22, 23, 445, 3389, 5900]);
  const prefix = space.internalPrefix ?? '10.0.0.';
  const targets = rng.shuffle(Array.from({ length: 254 }, (_, i) => `${prefix}${i + 1}`)).filter((h) => h !== scanner);
  let ts = startTime(space, rng, targets.length * 0.3);
  return targets.map((respHost) => {
    ts += rng.uniform(0.01, 0.3);
    return attackRecord(rng, ts, 'horizontal-scan', { origHost: scanner, respHost, respPort: port, proto: 'tcp' }, probe(outcome(rng, 0.85, 0.1), rng));
  });
}

export function verticalScan(space: AddressSpace, rng: InjectionRandom): ConnRecord[] {
  const scanner = freshInternalHost(space, rng);
  const victim = space.internalHosts[0]!;
  const ports = rng.shuffle(Array.from({ length: 1024 }, (_, i) => i + 1)).slice(0, 300);
  let ts = startTime(space, rng, ports.length * 0.02);
  return ports.map((respPort) => {
    ts += rng.uniform(0.001, 0.02);
    return attackRecord(rng, ts, 'vertical-scan', { origHost: scanner, respHost: victim, respPort, proto: 'tcp' }, probe(outcome(rng, 0.07, 0.9), rng));
  });
}

export function dnsExfiltration(space: AddressSpace, rng: InjectionRandom): ConnRecord[] {
  const count = rng.int(600, 1200);
  let ts = startTime(space, rng, count * 0.5);
  const at: Endpoint = { origHost: space.internalHosts[0]!, respHost: space.resolver, respPort: 53, proto: 'udp' };
  return Array.from({ length: count }, () => {
    ts += rng.uniform(0.05, 0.5);
    // A query carrying ~4 labels of 50-63 base32 characters (a 160-240 character name: 180-260 bytes on the wire);
    // the answer echoes the question plus a TXT/CNAME/NULL record carrying the downstream data (dnscat2, iodine).
    const query = rng.int(180, 260);
    return attackRecord(rng, ts, 'dns-exfiltration', at, {
      service: 'dns',
      duration: rng.uniform(0.005, 0.08),
      origBytes: query,
      respBytes: query + rng.int(16, 250),
      connState: 'SF',
      origPkts: 1,
      respPkts: 1,
    });
  });
}

export function bulkTransfer(space: AddressSpace, rng: InjectionRandom): ConnRecord[] {
  const count = rng.int(3, 6);
  const ssh = rng.next() < 0.5;
  const at: Endpoint = { origHost: space.internalHosts[0]!, respHost: freshExternalHost(space, rng), respPort: ssh ? 22 : 443, proto: 'tcp' };
  let ts = startTime(space, rng, count * 4000);
  return Array.from({ length: count }, () => {
    const duration = rng.uniform(300, 3600);
    const origBytes = Math.round(rng.logUniform(2e8, 2e9));
    const respBytes = Math.round(origBytes * rng.uniform(0.002, 0.01));
    const r = attackRecord(rng, ts, 'bulk-transfer', at, {
      service: ssh ? 'ssh' : 'ssl',
      duration,
      origBytes,
      respBytes,
      connState: 'SF',
      origPkts: Math.ceil(origBytes / 1448),
      respPkts: Math.ceil(origBytes / 2896), // one ACK per two segments
    });
    ts += duration + rng.uniform(5, 300);
    return r;
  });
}

export function beacon(space: AddressSpace, rng: InjectionRandom): ConnRecord[] {
  const period = rng.pick([30, 60, 60, 120]);
  const count = rng.int(100, 200);
  const at: Endpoint = { origHost: space.internalHosts[0]!, respHost: freshExternalHost(space, rng), respPort: 443, proto: 'tcp' };
  let ts = startTime(space, rng, count * period * 1.05);
  return Array.from({ length: count }, () => {
    ts += period * rng.uniform(0.98, 1.02);
    const origBytes = rng.int(300, 600);
    const respBytes = rng.int(200, 1500);
    return attackRecord(rng, ts, 'beacon', at, {
      service: 'ssl',
      duration: rng.uniform(0.1, 0.5),
      origBytes,
      respBytes,
      connState: 'SF',
      origPkts: rng.int(6, 9),
      respPkts: rng.int(5, 8),
    });
  });
}

export const ATTACK_GENERATORS: Readonly<Record<AttackType, (space: AddressSpace, rng: InjectionRandom) => ConnRecord[]>> = {
  'horizontal-scan': horizontalScan,
  'vertical-scan': verticalScan,
  'dns-exfiltration': dnsExfiltration,
  'bulk-transfer': bulkTransfer,
  beacon,
};
