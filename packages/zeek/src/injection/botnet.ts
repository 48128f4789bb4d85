/**
 * An IoT-bot outbreak on a capture's main host from time `from` on, as Zeek logs a Mirai-family bot: the shape
 * that per-connection scoring misses (docs/evaluation/network.md), because once the bot runs, most of the host's
 * connections are the attack and each one looks like the others.
 *   - C&C: a TCP session to one new outside host (port 23, as Mirai's default C&C) re-opened every ~60 s (±10 %),
 *     small exchanges;
 *   - telnet scanning: every 20–40 minutes a 2–5 minute burst of SYNs to random outside addresses on 23/2323
 *     (mostly unanswered: S0; a few REJ), 3–8 a second;
 *   - DDoS: three floods of 60–180 s against one new outside target each (UDP to 53/80, or TCP SYN to 80),
 *     10–30 connections a second from fresh source ports, each a one-way burst (S0).
 * Pure and seeded. Rows are labeled Malicious with detailed labels `injected-botnet-cc`, `-scan`, `-ddos`.
 */
import type { ConnRecord } from '../conn-record.ts';
import { deriveAddressSpace } from './address-space.ts';
import { attackRecord, freshExternalHost } from './attacks.ts';
import { InjectionRandom } from './seeded-random.ts';

export interface BotnetOptions {
  /** Epoch seconds at which the bot starts (within the benign capture's range). */
  from: number;
  seed: number;
}

export function botnetOutbreak(benign: readonly ConnRecord[], options: BotnetOptions): ConnRecord[] {
  const space = deriveAddressSpace(benign);
  const rng = new InjectionRandom(options.seed);
  const bot = space.internalHosts[0]!;
  const end = space.end;
  if (!(options.from < end)) throw new Error(`botnet: from (${options.from}) is not before the capture's end (${end})`);
  const out: ConnRecord[] = [];
  const cc = freshExternalHost(space, rng);
  for (let ts = options.from + rng.uniform(1, 30); ts < end; ts += 60 * rng.uniform(0.9, 1.1)) {
    out.push(
      attackRecord(rng, ts, 'botnet-cc', { origHost: bot, respHost: cc, respPort: 23, proto: 'tcp' }, {
        service: null,
        duration: rng.uniform(0.2, 2),
        origBytes: rng.int(20, 120),
        respBytes: rng.int(10, 80),
        connState: 'SF',
        origPkts: rng.int(4, 8),
        respPkts: rng.int(3, 7),
      }),
    );
  }
  for (let burst = options.from + rng.uniform(60, 600); burst < end; burst += 60 * rng.uniform(20, 40)) {
    const stop = Math.min(end, burst + 60 * rng.uniform(2, 5));
    for (let ts = burst; ts < stop; ts += 1 / rng.uniform(3, 8)) {
      const target = `${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
      const answered = rng.next() < 0.05;
      out.push(
        attackRecord(rng, ts, 'botnet-scan', { origHost: bot, respHost: target, respPort: rng.next() < 0.9 ? 23 : 2323, proto: 'tcp' }, {
          service: null,
          duration: answered ? rng.uniform(0.0001, 0.3) : null,
          origBytes: 0,
          respBytes: 0,
          connState: answered ? 'REJ' : 'S0',
          origPkts: 1,
          respPkts: answered ? 1 : 0,
        }),
      );
    }
  }
  const span = end - options.from;
  for (let k = 0; k < 3; k++) {
    const start = options.from + span * rng.uniform(0.05 + 0.3 * k, 0.3 + 0.3 * k);
    const stop = Math.min(end, start + rng.uniform(60, 180));
    const target = freshExternalHost(space, rng);
    const udp = rng.next() < 0.6;
    const port = udp ? rng.pick([53, 80]) : 80;
    for (let ts = start; ts < stop; ts += 1 / rng.uniform(10, 30)) {
      const pkts = rng.int(1, 20);
      const size = udp ? rng.int(512, 1400) : 0;
      out.push(
        attackRecord(rng, ts, 'botnet-ddos', { origHost: bot, respHost: target, respPort: port, proto: udp ? 'udp' : 'tcp' }, {
          service: null,
          duration: pkts > 1 ? rng.uniform(0.01, 2) : null,
          origBytes: pkts * size,
          respBytes: 0,
          connState: 'S0',
          origPkts: pkts,
          respPkts: 0,
        }),
      );
    }
  }
  return out.sort((a, b) => a.ts - b.ts);
}
