/**
 * Host-level windows of a batch of conn records, compared with each host's own baseline.
 *
 * Why: when most of a host's traffic is an attack (a bot's DDoS, a scan, a mass C&C), each connection looks
 * ordinary next to the others and a per-connection model flags almost nothing (docs/evaluation/network.md). What
 * changed is the host: more connections than it usually opens, to more peers and ports it never talked to, more
 * of them failing, another ratio of bytes out to bytes in, a new regular contact. Those are measured per
 * (host, role, window) and relative to what that host did in the baseline, so that the numbers mean the same on a
 * busy server and on a quiet laptop, on this network and on another one (the model fit on them travels).
 *
 * - A window: the connections one host opened (role `orig`) or received (role `resp`) in [start, start + W),
 *   start = floor(ts / W) · W (W = 600 s by default: one detect batch).
 * - Its raw stats, on a log scale (log1p): connections, distinct peers, distinct ports (the remote port for an
 *   originator, the served port for a responder), failed connections (never established: S0, REJ, …; a count and
 *   not a share, so that one failed connection in an otherwise empty window is not "100 % failed"), bytes the host
 *   sent; and the log ratio of bytes sent to bytes received.
 * - The baseline per (role, host): how many windows it had, the sums and the maxima of those stats, the peers and
 *   ports it used, the most it sent in one connection. A host's reference for a stat is the most it ever did in one
 *   baseline window (a busy hour of a benign host is no alert if it has had such hours before), shrunk towards the
 *   mean window of all hosts of that role (weight PRIOR_WINDOWS windows), so a host with two baseline windows is not
 *   judged on two points, and a host never seen is judged against a typical window of the network.
 * - Features of a window (HOST_FEATURE_NAMES): each raw stat minus the host's reference, floored at 0 (only an
 *   increase is a change worth an alert: a quieter window is not, nor one that downloads more than usual, which
 *   is what a busy benign client does; more sent per byte received is an upload, a flood or a scan); the share of its
 *   connections to peers (and to ports) the host never used in the baseline, the log counts of such new peers and ports; and
 *   the log count of NEW regular contacts (peers not in the baseline called ≥ 5 times at even spacing in the window:
 *   the beacon test of beacon.ts at window scale; a count, not a share, so a beacon inside a busy host still counts).
 *
 * Pure: records in, features out; the baseline serialises to plain JSON (toJSON / fromJSON).
 */
import type { ConnRecord } from '../conn-record.ts';
import { gapRegularity } from './beacon.ts';
import { isFailedState } from './connection-features.ts';

export const HOST_ROLES = ['orig', 'resp'] as const;
export type HostRole = (typeof HOST_ROLES)[number];

export const DEFAULT_HOST_WINDOW_SECONDS = 600;

const STAT_NAMES = ['log_conns', 'log_peers', 'log_ports', 'log_failed', 'log_bytes_out', 'log_byte_ratio'] as const;

const STATS = STAT_NAMES.length;

export const HOST_FEATURE_NAMES = [
  'conns_vs_baseline',
  'peers_vs_baseline',
  'ports_vs_baseline',
  'failed_vs_baseline',
  'bytes_out_vs_baseline',
  'byte_ratio_vs_baseline',
  'new_peer_share',
  'log_new_peers',
  'new_port_share',
  'log_new_ports',
  'log_new_periodic_peers',
] as const;
export type HostFeatureName = (typeof HOST_FEATURE_NAMES)[number];

/** Baseline windows a host's own mean counts as much as the population's (shrinkage weight). */
export const PRIOR_WINDOWS = 2;
/** Peers and ports kept per host (the most used ones when over the cap: dropping a rare one only adds novelty). */
export const DEFAULT_MAX_PEERS_PER_HOST = 2_000;

const PERIODIC = { minGaps: 4, maxCv: 0.25, minPeriodSeconds: 5, burstSeconds: 1 } as const;

export interface HostWindow {
  host: string;
  role: HostRole;
  /** Epoch seconds, a multiple of the window length. */
  start: number;
  /** Indices into the records of the window's connections, in input order. */
  indices: number[];
}

const peerOf = (r: ConnRecord, role: HostRole) => (role === 'orig' ? r.respHost : r.origHost);
const hostOf = (r: ConnRecord, role: HostRole) => (role === 'orig' ? r.origHost : r.respHost);
const sentBy = (r: ConnRecord, role: HostRole) => (role === 'orig' ? r.origBytes : r.respBytes) ?? 0;
const portOf = (r: ConnRecord) => `${r.proto ?? '-'}/${r.respPort ?? '-'}`;

/** Windows of both roles, ordered by start, then role, then host (deterministic whatever the input order). */
export function hostWindows(records: readonly ConnRecord[], windowSeconds = DEFAULT_HOST_WINDOW_SECONDS): HostWindow[] {
  if (!(windowSeconds > 0)) throw new Error(`host windows: windowSeconds: expected a positive number, got ${windowSeconds}`);
  const byKey = new Map<string, HostWindow>();
  records.forEach((r, i) => {
    const start = Math.floor(r.ts / windowSeconds) * windowSeconds;
    for (const role of HOST_ROLES) {
      const host = hostOf(r, role);
      const key = `${start}|${role}|${host}`;
      let w = byKey.get(key);
      if (!w) byKey.set(key, (w = { host, role, start, indices: [] }));
      w.indices.push(i);
    }
  });
  return [...byKey.values()].sort((a, b) => a.start - b.start || (a.role < b.role ? -1 : a.role > b.role ? 1 : 0) || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}

function windowStats(records: readonly ConnRecord[], w: HostWindow): number[] {
  const peers = new Set<string>();
  const ports = new Set<string>();
  let failed = 0;
  let out = 0;
  let inbound = 0;
  for (const i of w.indices) {
    const r = records[i]!;
    peers.add(peerOf(r, w.role));
    ports.add(portOf(r));
    if (isFailedState(r.connState)) failed++;
    const sent = sentBy(r, w.role);
    const received = sentBy(r, w.role === 'orig' ? 'resp' : 'orig');
    out += sent;
    inbound += received;
  }
  const n = w.indices.length;
  return [Math.log1p(n), Math.log1p(peers.size), Math.log1p(ports.size), Math.log1p(failed), Math.log1p(out), Math.log((out + 1) / (inbound + 1))];
}

/** Peers of the window called at a regular period inside it (beacon.ts's gap test, at window scale). */
function periodicPeers(records: readonly ConnRecord[], w: HostWindow): Set<string> {
  const times = new Map<string, number[]>();
  for (const i of w.indices) {
    const r = records[i]!;
    const peer = peerOf(r, w.role);
    const t = times.get(peer);
    if (t) t.push(r.ts);
    else times.set(peer, [r.ts]);
  }
  const periodic = new Set<string>();
  for (const [peer, ts] of times) {
    if (ts.length <= PERIODIC.minGaps) continue;
    const regularity = gapRegularity(ts, PERIODIC.burstSeconds);
    if (regularity && regularity.gaps >= PERIODIC.minGaps && regularity.periodSeconds >= PERIODIC.minPeriodSeconds && regularity.cv < PERIODIC.maxCv) periodic.add(peer);
  }
  return periodic;
}

interface Profile {
  windows: number;
  sums: number[];
  maxima: number[];
  /** Bytes: the most the host sent in one connection of a baseline window. */
  largestSend: number;
  peers: Map<string, number>;
  ports: Map<string, number>;
}

export interface HostProfileJson {
  windows: number;
  sums: number[];
  maxima: number[];
  largestSend: number;
  peers: string[];
  ports: string[];
}

export interface HostBaselineJson {
  windowSeconds: number;
  maxPeersPerHost: number;
  stats: readonly string[];
  /** Per role: host → profile. */
  hosts: Record<HostRole, Record<string, HostProfileJson>>;
  /** Per role: sums over every baseline window of every host (the prior of hosts with few windows). */
  population: Record<HostRole, { windows: number; sums: number[] }>;
}

export interface HostWindowFeatures {
  /** HOST_FEATURE_NAMES values. */
  values: number[];
  /**
   * Aligned with w.indices: 1 when the connection shows the change, else 0: a new port, a failure, more sent than
   * the host ever sent in one baseline connection (a tunnel through its usual resolver: known peer, known port,
   * larger queries), or a new peer that it calls at a regular period or sends more to in one connection than the
   * host ever sent in a baseline window. A new peer alone is not enough: a busy client meets new addresses all day
   * (CDNs, cloud front ends), and marking those would lift a compromised host's benign connections together with
   * its attack ones.
   */
  shows: Uint8Array;
  /** Whether the host had any baseline window in this role. */
  knownHost: boolean;
}

const topKeys = (m: Map<string, number>, cap: number): string[] => {
  let keys = [...m.keys()];
  if (keys.length > cap) keys = keys.sort((a, b) => m.get(b)! - m.get(a)! || (a < b ? -1 : 1)).slice(0, cap);
  return keys.sort();
};

/** Per-host baselines (mutable: `absorb` adds a window; the scorer decides which windows may enter). */
export class HostBaseline {
  readonly windowSeconds: number;
  readonly maxPeersPerHost: number;
  private readonly profiles: Record<HostRole, Map<string, Profile>> = { orig: new Map(), resp: new Map() };
  private readonly population: Record<HostRole, { windows: number; sums: number[] }> = {
    orig: { windows: 0, sums: new Array<number>(STATS).fill(0) },
    resp: { windows: 0, sums: new Array<number>(STATS).fill(0) },
  };

  constructor(options: { windowSeconds?: number; maxPeersPerHost?: number } = {}) {
    this.windowSeconds = options.windowSeconds ?? DEFAULT_HOST_WINDOW_SECONDS;
    this.maxPeersPerHost = options.maxPeersPerHost ?? DEFAULT_MAX_PEERS_PER_HOST;
  }

  hosts(role: HostRole): number {
    return this.profiles[role].size;
  }

  /** Baseline windows of the host in that role (0 = never seen). */
  windowsOf(role: HostRole, host: string): number {
    return this.profiles[role].get(host)?.windows ?? 0;
  }

  /**
   * The same population prior with no host in it: what a network the baseline has never seen starts from (the
   * prior is on log and share scales, so another network's is a fair first guess; the hosts are not).
   */
  withoutHosts(): HostBaseline {
    const fresh = new HostBaseline({ windowSeconds: this.windowSeconds, maxPeersPerHost: this.maxPeersPerHost });
    for (const role of HOST_ROLES) fresh.population[role] = { windows: this.population[role].windows, sums: [...this.population[role].sums] };
    return fresh;
  }

  /** The window's features against the baseline as it stands. */
  features(records: readonly ConnRecord[], w: HostWindow): HostWindowFeatures {
    const stats = windowStats(records, w);
    const profile = this.profiles[w.role].get(w.host);
    const pop = this.population[w.role];
    const values: number[] = [];
    for (let s = 0; s < STATS; s++) {
      const prior = pop.windows > 0 ? pop.sums[s]! / pop.windows : 0;
      const n = profile ? profile.windows : 0;
      const own = profile ? n * profile.maxima[s]! : 0;
      const deviation = stats[s]! - (own + PRIOR_WINDOWS * prior) / (n + PRIOR_WINDOWS);
      values.push(Math.max(0, deviation));
    }
    const periodic = periodicPeers(records, w);
    // More than the host ever sent in a whole baseline window, in one connection (population mean when unknown).
    const largeSend = Math.expm1(profile ? profile.maxima[4]! : pop.windows > 0 ? pop.sums[4]! / pop.windows : 0);
    const shows = new Uint8Array(w.indices.length);
    const newPeers = new Set<string>();
    const newPorts = new Set<string>();
    let newPeerConns = 0;
    let newPortConns = 0;
    const newPeriodic = new Set<string>();
    w.indices.forEach((i, k) => {
      const r = records[i]!;
      const peer = peerOf(r, w.role);
      const newPeer = !profile?.peers.has(peer);
      const newPort = !profile?.ports.has(portOf(r));
      if (newPeer) {
        newPeerConns++;
        newPeers.add(peer);
        if (periodic.has(peer)) newPeriodic.add(peer);
      }
      if (newPort) {
        newPortConns++;
        newPorts.add(portOf(r));
      }
      const sent = sentBy(r, w.role);
      const largerThanEver = profile !== undefined && sent > profile.largestSend;
      if (newPort || isFailedState(r.connState) || largerThanEver || (newPeer && (periodic.has(peer) || sent > largeSend))) shows[k] = 1;
    });
    const n = w.indices.length;
    values.push(newPeerConns / n, Math.log1p(newPeers.size), newPortConns / n, Math.log1p(newPorts.size), Math.log1p(newPeriodic.size));
    return { values, shows, knownHost: profile !== undefined };
  }

  /** Adds the window to its host's baseline (and to the population prior). */
  absorb(records: readonly ConnRecord[], w: HostWindow): void {
    const stats = windowStats(records, w);
    let profile = this.profiles[w.role].get(w.host);
    if (!profile) {
      profile = { windows: 0, sums: new Array<number>(STATS).fill(0), maxima: new Array<number>(STATS).fill(-Infinity), largestSend: 0, peers: new Map(), ports: new Map() };
      this.profiles[w.role].set(w.host, profile);
    }
    profile.windows++;
    const pop = this.population[w.role];
    pop.windows++;
    for (let s = 0; s < STATS; s++) {
      profile.sums[s]! += stats[s]!;
      profile.maxima[s] = Math.max(profile.maxima[s]!, stats[s]!);
      pop.sums[s]! += stats[s]!;
    }
    for (const i of w.indices) {
      const r = records[i]!;
      profile.largestSend = Math.max(profile.largestSend, sentBy(r, w.role));
      const peer = peerOf(r, w.role);
      profile.peers.set(peer, (profile.peers.get(peer) ?? 0) + 1);
      const port = portOf(r);
      profile.ports.set(port, (profile.ports.get(port) ?? 0) + 1);
    }
  }

  toJSON(): HostBaselineJson {
    const hosts = { orig: {}, resp: {} } as HostBaselineJson['hosts'];
    for (const role of HOST_ROLES) {
      for (const host of [...this.profiles[role].keys()].sort()) {
        const p = this.profiles[role].get(host)!;
        hosts[role][host] = { windows: p.windows, sums: [...p.sums], maxima: [...p.maxima], largestSend: p.largestSend, peers: topKeys(p.peers, this.maxPeersPerHost), ports: topKeys(p.ports, this.maxPeersPerHost) };
      }
    }
    return {
      windowSeconds: this.windowSeconds,
      maxPeersPerHost: this.maxPeersPerHost,
      stats: STAT_NAMES,
      hosts,
      population: { orig: { ...this.population.orig, sums: [...this.population.orig.sums] }, resp: { ...this.population.resp, sums: [...this.population.resp.sums] } },
    };
  }

  /** Validates and loads a baseline; errors name the field. */
  static fromJSON(doc: unknown, where = 'host baseline'): HostBaseline {
    const fail = (field: string, why: string): never => {
      throw new Error(`${where}: ${field}: ${why}`);
    };
    if (typeof doc !== 'object' || doc === null) fail('(root)', 'not an object');
    const d = doc as Partial<HostBaselineJson>;
    if (!(typeof d.windowSeconds === 'number' && d.windowSeconds > 0)) fail('windowSeconds', 'expected a positive number');
    if (!(Number.isInteger(d.maxPeersPerHost) && d.maxPeersPerHost! >= 0)) fail('maxPeersPerHost', 'expected an integer ≥ 0');
    if (JSON.stringify(d.stats) !== JSON.stringify(STAT_NAMES)) fail('stats', `expected ${STAT_NAMES.join(',')}; retrain the model`);
    const sumsOk = (s: unknown) => Array.isArray(s) && s.length === STATS && s.every((v) => typeof v === 'number' && Number.isFinite(v));
    const baseline = new HostBaseline({ windowSeconds: d.windowSeconds, maxPeersPerHost: d.maxPeersPerHost });
    for (const role of HOST_ROLES) {
      const pop = d.population?.[role];
      if (!pop || !Number.isInteger(pop.windows) || !sumsOk(pop.sums)) fail(`population.${role}`, 'expected { windows, sums[6] }');
      baseline.population[role] = { windows: pop!.windows, sums: [...pop!.sums] };
      const hosts = d.hosts?.[role];
      if (typeof hosts !== 'object' || hosts === null) fail(`hosts.${role}`, 'expected an object');
      for (const [host, p] of Object.entries(hosts!)) {
        const field = `hosts.${role}[${JSON.stringify(host)}]`;
        if (!Number.isInteger(p.windows) || p.windows < 1 || !sumsOk(p.sums) || !sumsOk(p.maxima)) fail(field, 'expected { windows ≥ 1, sums[6], maxima[6], largestSend, peers, ports }');
        if (!(typeof p.largestSend === 'number' && p.largestSend >= 0)) fail(`${field}.largestSend`, 'expected bytes ≥ 0; retrain the model');
        if (!Array.isArray(p.peers) || !Array.isArray(p.ports)) fail(field, 'peers and ports must be arrays of strings');
        baseline.profiles[role].set(host, { windows: p.windows, sums: [...p.sums], maxima: [...p.maxima], largestSend: p.largestSend, peers: new Map(p.peers.map((k) => [k, 1])), ports: new Map(p.ports.map((k) => [k, 1])) });
      }
    }
    return baseline;
  }
}
