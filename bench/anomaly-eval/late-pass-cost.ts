/**
 * What detect's late pass costs on a cron schedule, replayed on the four labeled CTU days: how many connections it
 * scores again, next to what the forward read scores, for the shipped rule (only hours that ended
 * lateArrivals.settleSeconds before the checkpoint) and the rule before it (every hour up to the checkpoint).
 *
 *   AIOPS_DATA_DIR=../shared/data pnpm exec tsx bench/anomaly-eval/late-pass-cost.ts
 *
 * A replay, not a run against Elasticsearch: each record reaches the index when Zeek would write it, at Zeek's
 * defaults — a TCP connection 5 s after it closed (SF, REJ, RST*, S0, SH, SHR), 5 min after its last packet when it
 * was left open (S1, S2, S3, OTH: tcp_inactivity_timeout), a UDP or ICMP one 1 min after (udp/icmp_inactivity_timeout)
 * — plus 2 s to be shipped and visible. detect runs every jobs.anomalyDetect.periodSeconds with the default --lag 60 s
 * and context; its checkpoint is taken to reach `now − lag` on every run. The forward read scores its new
 * connections together with the context before them, as detect does; the late pass counts the visible records per
 * hour against the ledger, as late-connections.ts does (HourLedger, lateWindow and consecutiveRuns of @aiops/common),
 * and scores each stretch of short hours with its context. Durations are the capture's own. What it cannot say: a larger network holds more
 * connections per hour (the cost scales with them), and Zeek's timeouts are often changed.
 */
import { consecutiveRuns, HOUR_MS, HourLedger, hoursMissing, lateWindow } from '@aiops/common';
import { jobs, lateArrivals, networkAnomaly } from '@aiops/contracts';
import type { ConnRecord } from '@aiops/zeek';
import { CTU_DAYS, loadCtuDay } from './ctu-data.ts';

const LAG_MS = 60_000;
const PERIOD_MS = jobs.anomalyDetect.periodSeconds * 1000;
const CONTEXT_MS = networkAnomaly.detectContextSeconds * 1000;
const VISIBLE_AFTER_MS = 2_000;
const OPEN_TCP_STATES = new Set(['S1', 'S2', 'S3', 'OTH']);

/** When Zeek writes the record and it can be read, in epoch ms. */
function arrivalMs(r: ConnRecord): number {
  const lastPacket = r.ts + (Number.isFinite(r.duration) ? r.duration! : 0);
  const writeDelay = r.proto !== 'tcp' ? 60 : OPEN_TCP_STATES.has(r.connState ?? '') ? 300 : 5;
  return (lastPacket + writeDelay) * 1000 + VISIBLE_AFTER_MS;
}

interface Rule {
  name: string;
  /** The end of the window the late pass counts, given the checkpoint. */
  windowEnd: (checkpointMs: number) => number;
}
const RULES: Rule[] = [
  { name: 'every hour up to the checkpoint (before)', windowEnd: (c) => c },
  { name: `hours settled ${lateArrivals.settleSeconds} s before it (shipped)`, windowEnd: (c) => lateWindow(0, c, lateArrivals.lookbackHours, lateArrivals.settleSeconds).to },
];

function replay(records: { ts: number; arrival: number }[], rule: Rule) {
  const count = (from: number, to: number) => records.filter((r) => r.ts >= from && r.ts < to).length;
  const first = records[0]!.ts;
  const last = records.at(-1)!.ts;
  const ledger = HourLedger.startingAt(undefined);
  const result = { runs: 0, forwardNew: 0, forwardScored: 0, late: 0, lateRuns: 0, lateScored: 0, lateHours: 0 };
  let checkpoint = first - 1;
  for (let now = first + PERIOD_MS; now < last + PERIOD_MS + 3 * HOUR_MS; now += PERIOD_MS) {
    result.runs++;
    const until = now - LAG_MS;
    const read = records.filter((r) => r.ts > checkpoint && r.ts <= until && r.arrival <= now);
    ledger.add(read.map((r) => new Date(r.ts).toISOString()));
    const fresh = read.length;
    result.forwardNew += fresh;
    if (fresh > 0) result.forwardScored += count(checkpoint - CONTEXT_MS, until + 1);
    checkpoint = until;
    const to = rule.windowEnd(checkpoint);
    const { from } = lateWindow(ledger.since, checkpoint, lateArrivals.lookbackHours, lateArrivals.settleSeconds);
    const counts = new Map<number, number>();
    for (const r of records) {
      if (r.ts >= from && r.ts < to && r.arrival <= now) {
        const hour = Math.floor(r.ts / HOUR_MS) * HOUR_MS;
        counts.set(hour, (counts.get(hour) ?? 0) + 1);
      }
    }
    const runs = consecutiveRuns(hoursMissing(counts, ledger.hours));
    if (runs.length > 0) result.lateRuns++;
    for (const hours of runs) {
      const end = Math.min(hours.at(-1)! + HOUR_MS, to);
      result.lateScored += count(hours[0]! - CONTEXT_MS, end);
      result.lateHours += hours.length;
      for (const hour of hours) {
        result.late += counts.get(hour)! - (ledger.hours.get(hour) ?? 0);
        ledger.set(hour, counts.get(hour)!);
      }
    }
  }
  return result;
}

const rows: string[] = [];
for (const day of CTU_DAYS) {
  const records = (await loadCtuDay(day)).map((r) => ({ ts: r.ts * 1000, arrival: arrivalMs(r) })).sort((a, b) => a.ts - b.ts);
  for (const rule of RULES) {
    const r = replay(records, rule);
    rows.push(
      `| ${day} | ${records.length.toLocaleString('en')} | ${rule.name} | ${r.runs} | ${r.forwardNew.toLocaleString('en')} | ${r.forwardScored.toLocaleString('en')} | ` +
        `${r.late} | ${r.lateRuns} | ${r.lateHours} | ${r.lateScored.toLocaleString('en')} | ${(r.lateScored / r.forwardScored).toFixed(2)} |`,
    );
  }
}
console.log(
  [
    `detect every ${PERIOD_MS / 60_000} min, --lag ${LAG_MS / 1000} s, context ${CONTEXT_MS / 1000} s, lookback ${lateArrivals.lookbackHours} h`,
    '',
    '| CTU day | connections | late pass looks at | runs | forward: new | forward: scored with context | late connections | runs with a late pass | hours rescored | late pass: scored | late ÷ forward scored |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n'),
);
