/**
 * What an injection needs to know of the benign capture it blends into: its time range, which hosts are
 * "inside" (the capture's busiest originators, i.e. the monitored machines), their /24, the outside hosts they
 * talk to, and a DNS resolver. Derived from the records, so generated attacks use the capture's own addresses.
 */
import type { ConnRecord } from '../conn-record.ts';

export interface AddressSpace {
  start: number;
  end: number;
  /** Busiest originators first; internalHosts[0] is the main monitored host. */
  internalHosts: string[];
  /** The first three octets of internalHosts[0] with a trailing dot, e.g. `147.32.81.`; null for IPv6. */
  internalPrefix: string | null;
  /** Responders of the internal hosts that are not internal themselves. */
  externalHosts: string[];
  /** The internal hosts' DNS server (most used responder on 53/udp), or 8.8.8.8 when the capture has none. */
  resolver: string;
}

/** Hosts originating at least this share of the connections count as internal. */
const INTERNAL_SHARE = 0.05;

export function deriveAddressSpace(benign: readonly ConnRecord[]): AddressSpace {
  if (benign.length === 0) throw new Error('cannot inject into an empty capture: no benign records');
  let start = Infinity;
  let end = -Infinity;
  const originated = new Map<string, number>();
  for (const r of benign) {
    start = Math.min(start, r.ts);
    end = Math.max(end, r.ts + (r.duration ?? 0));
    originated.set(r.origHost, (originated.get(r.origHost) ?? 0) + 1);
  }
  const byCount = [...originated].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const internalHosts = byCount.filter(([, n], i) => i === 0 || n >= INTERNAL_SHARE * benign.length).map(([h]) => h);
  const internal = new Set(internalHosts);
  const external = new Set<string>();
  const resolvers = new Map<string, number>();
  for (const r of benign) {
    if (!internal.has(r.origHost) || internal.has(r.respHost)) continue;
    external.add(r.respHost);
    if (r.respPort === 53 && r.proto === 'udp') resolvers.set(r.respHost, (resolvers.get(r.respHost) ?? 0) + 1);
  }
  const main = internalHosts[0]!;
  const octets = main.split('.');
  return {
    start,
    end,
    internalHosts,
    internalPrefix: octets.length === 4 ? `${octets.slice(0, 3).join('.')}.` : null,
    externalHosts: [...external].sort(),
    resolver: [...resolvers].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '8.8.8.8',
  };
}
