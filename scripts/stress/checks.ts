/**
 * One row of the stress run's table per injected failure, each with what must surface for it to PASS:
 *   port-scan, dns-exfiltration, bulk-transfer  ≥ 90 % of the injected connections in anomalies-* (kind
 *       connection), and the host dashboard's "Flagged connections of $address" showing them
 *   host-alert        a kind=host entry in anomalies-* for an injected attacker, NetworkAnomalyHost firing in
 *                     Prometheus for it and delivered by Alertmanager (Slack and Discord), the network dashboard's
 *                     "Host alerts" panel showing it
 *   disk-fill         HostDiskAlmostFull firing for the loop mount and delivered; the host dashboard's
 *                     "Filesystems" panel above 85 % for it
 *   capacity-forecast the forecaster's days to 95 % for the loop mount below 7, CapacityExhaustion firing and
 *                     delivered; the capacity dashboard's "Disk: days to exhaustion" showing it
 *   cpu-spike         the host dashboard's "CPU per core" at ≥ 90 % busy on every core during the spike
 *   log-flood         every injected critical line in logs-classified-* as critical, CriticalLogBurst firing and
 *                     delivered; the logs dashboard's "Critical and warning lines" showing them
 * A check returns the evidence when it passes and throws NotYet, saying how far it got, while it has not (it is
 * polled until the run's settle time: the last NotYet is the row's FAIL detail); any other error is a broken query.
 */
import { capacity } from '@aiops/contracts';
import type { TimeRange } from '@aiops/mixin';
import type { ReceivedRequest, WebhookReceiver } from '../support/webhook-receiver.ts';
import type { Detector, StressContext } from './context.ts';
import { firstValue, maxValue, panelData, shows } from './dashboards.ts';
import { esSearch, promAlerts, promQuery } from './servers.ts';
import type { InjectedTraffic, NetworkRow } from './zeek-injection.ts';

export interface RunState {
  t0: number;
  traffic?: InjectedTraffic;
  critical: string[];
  receiver: WebhookReceiver;
}

/** A row that has not surfaced (yet): the message says how far it got. */
export class NotYet extends Error {}

export interface Row {
  name: string;
  injected: string;
  /** The detector whose job must run for the row to surface (`--disable` switches it off); null: none. */
  detector: Detector | null;
  check: (ctx: StressContext, state: RunState) => Promise<string>;
}

const CPU_WINDOW_MS = 20_000;

const range = (state: RunState): TimeRange => ({ from: state.t0 - 6 * 3_600_000, to: Date.now() });

interface SlackMessage {
  attachments?: { title: string; text: string }[];
}

/** A FIRING notification of `alertname` on the receiver's `path` whose text mentions `needle`. */
function delivered(state: RunState, path: '/slack' | '/discord', alertname: string, needle: string): boolean {
  return state.receiver.received.some((r: ReceivedRequest) => {
    if (r.path !== path) return false;
    const a = (r.body as SlackMessage).attachments?.[0];
    return Boolean(a && a.title.startsWith('[FIRING') && a.title.includes(` ${alertname} `) && (a.title + a.text).includes(needle));
  });
}

async function firing(ctx: StressContext, alertname: string, match: (labels: Record<string, string>) => boolean): Promise<Record<string, string> | undefined> {
  return (await promAlerts(ctx)).find((a) => a.state === 'firing' && a.labels.alertname === alertname && match(a.labels))?.labels;
}

async function flaggedUids(ctx: StressContext, uids: string[]): Promise<number> {
  const r = await esSearch<{ uid: string }>(ctx, `${ctx.prefix}anomalies-*`, { size: uids.length, _source: ['uid'], query: { bool: { filter: [{ term: { kind: 'connection' } }, { terms: { uid: uids } }] } } });
  return r.total;
}

/** Where the row's connections show on a dashboard: a panel, its variables, and what it must show. */
interface PanelSpec {
  dashboard: string;
  title: string;
  variables: Record<string, string>;
  needles: string[];
}

function networkRow(name: NetworkRow, injected: string, where: (ctx: StressContext, t: InjectedTraffic['injected'][NetworkRow]) => PanelSpec): Row {
  return {
    name,
    injected,
    detector: 'network',
    async check(ctx, state) {
      const truth = state.traffic?.injected[name];
      if (!truth) throw new NotYet('no injected traffic yet');
      const flagged = await flaggedUids(ctx, truth.uids);
      if (flagged < 0.9 * truth.uids.length) throw new NotYet(`${flagged}/${truth.uids.length} injected connections in anomalies-* (needs 90 %)`);
      const spec = where(ctx, truth);
      const panel = await panelData(ctx, spec.dashboard, spec.title, spec.variables, range(state));
      const shown = spec.needles.find((n) => shows(panel, n));
      if (!shown) throw new NotYet(`${flagged}/${truth.uids.length} flagged, but ${spec.dashboard} dashboard "${spec.title}" does not show them`);
      return `${flagged}/${truth.uids.length} flagged in anomalies-*; ${spec.dashboard} dashboard "${spec.title}" shows ${shown.length > 20 ? 'them' : shown}`;
    },
  };
}

/** The host dashboard's flagged connections of an address only the attack uses: they must include the attack's. */
const flaggedOf = (ctx: StressContext, address: string, uids: string[]): PanelSpec => ({
  dashboard: 'host',
  title: 'Flagged connections of $address',
  variables: { address, instance: ctx.nodeInstance, hostname: ctx.logHost },
  needles: uids,
});

export const ROWS: Row[] = [
  networkRow('port-scan', 'vertical scan: 300 ports of one host (Zeek conn, S0/REJ)', (ctx, t) => flaggedOf(ctx, t.origHosts[0]!, t.uids)),
  // the resolver also answers the host's benign lookups (flagged too, in the host's alert context): the top sources
  networkRow('dns-exfiltration', 'DNS tunnel: 600-1,200 long queries to the resolver', (_ctx, t) => ({ dashboard: 'network', title: 'Top 10 sources', variables: {}, needles: t.origHosts })),
  networkRow('bulk-transfer', 'bulk upload: 3-6 long connections, 0.2-2 GB out', (ctx, t) => flaggedOf(ctx, t.respHosts[0]!, t.uids)),
  {
    name: 'host-alert',
    injected: 'the attackers above, as hosts',
    detector: 'network',
    async check(ctx, state) {
      const t = state.traffic?.injected;
      if (!t) throw new NotYet('no injected traffic yet');
      const hosts = [...new Set(Object.values(t).flatMap((x) => x.origHosts))];
      const docs = await esSearch<{ host: string; anomaly_score: number }>(ctx, `${ctx.prefix}anomalies-*`, { size: 50, query: { bool: { filter: [{ term: { kind: 'host' } }, { terms: { host: hosts } }] } } });
      const host = docs.hits[0]?.host;
      if (!host) throw new NotYet('no kind=host entry in anomalies-* for an injected attacker');
      const alert = await firing(ctx, 'NetworkAnomalyHost', (l) => hosts.includes(l.host ?? ''));
      if (!alert || !delivered(state, '/slack', 'NetworkAnomalyHost', alert.host!) || !delivered(state, '/discord', 'NetworkAnomalyHost', alert.host!)) throw new NotYet(`host entry for ${host}; NetworkAnomalyHost ${alert ? `firing for ${alert.host}, not delivered to both receivers` : 'not firing'}`);
      const panel = await panelData(ctx, 'network', 'Host alerts', {}, range(state));
      if (!shows(panel, host)) throw new NotYet(`NetworkAnomalyHost delivered; network dashboard "Host alerts" does not show ${host}`);
      return `${docs.total} host alert(s) in anomalies-* (${host}); NetworkAnomalyHost ${alert.host} firing, delivered to Slack + Discord`;
    },
  },
  {
    name: 'disk-fill',
    injected: 'loop-mounted ext4 filled to 91 %',
    detector: null,
    async check(ctx, state) {
      const alert = await firing(ctx, 'HostDiskAlmostFull', (l) => l.mountpoint === ctx.mount.dir);
      if (!alert || !delivered(state, '/slack', 'HostDiskAlmostFull', ctx.mount.dir)) throw new NotYet(`HostDiskAlmostFull ${alert ? 'firing, not delivered' : 'not firing'} for ${ctx.mount.dir}`);
      const panel = await panelData(ctx, 'host', 'Filesystems', { instance: ctx.nodeInstance }, { from: state.t0 - 60_000, to: Date.now() });
      const top = maxValue(panel, (m) => m.mountpoint === ctx.mount.dir);
      if (!(top > 85)) throw new NotYet(`HostDiskAlmostFull delivered; host dashboard Filesystems at ${top} %`);
      return `HostDiskAlmostFull (${alert.severity}) firing, delivered to Slack; host dashboard Filesystems ${top.toFixed(1)} %`;
    },
  },
  {
    name: 'capacity-forecast',
    injected: '3 days of rising use (backfilled) + the fill',
    detector: 'capacity',
    async check(ctx, state) {
      const gauge = await promQuery(ctx, `aiops_capacity_days_to_exhaustion{instance="${ctx.instance}",metric="disk",threshold="${capacity.exhaustionPercent.critical}",device="${ctx.mount.dir}"}`);
      const days = Number(gauge[0]?.value[1]);
      if (!(days < 7)) throw new NotYet(`days to 95 % for the loop mount: ${gauge.length === 0 ? 'no gauge' : days}`);
      const alert = await firing(ctx, 'CapacityExhaustion', (l) => l.device === ctx.mount.dir && l.severity === 'critical');
      if (!alert || !delivered(state, '/slack', 'CapacityExhaustion', ctx.mount.dir) || !delivered(state, '/discord', 'CapacityExhaustion', ctx.mount.dir)) throw new NotYet(`${days.toFixed(2)} days to 95 %; CapacityExhaustion (critical) ${alert ? 'firing, not delivered to both receivers' : 'not firing'}`);
      const panel = await panelData(ctx, 'capacity', 'Disk: days to exhaustion', { host: ctx.nodeInstance }, range(state));
      if (!shows(panel, ctx.mount.dir)) throw new NotYet('CapacityExhaustion delivered; capacity dashboard "Disk: days to exhaustion" does not show the loop mount');
      return `${days.toFixed(2)} days to 95 %; CapacityExhaustion (critical) firing, delivered to Slack + Discord`;
    },
  },
  {
    name: 'cpu-spike',
    injected: 'stress-ng on every CPU for 45 s (nice 19)',
    detector: null,
    async check(ctx, state) {
      // only what the panel shows once stress-ng has run for a whole rate window (20 s at the dev stack's 5 s
      // scrape); the value at the injection is the baseline, reported beside it
      const from = state.t0 + CPU_WINDOW_MS;
      if (Date.now() < from) throw new NotYet('the spike has not run a whole rate window yet');
      const panel = await panelData(ctx, 'host', 'CPU per core', { instance: ctx.nodeInstance }, { from: state.t0, to: Date.now() });
      const cores = [...new Set(panel.prometheus.map((s) => s.metric.cpu))];
      const during = cores.map((cpu) => maxValue(panel, (m) => m.cpu === cpu, from / 1000));
      if (cores.length === 0 || !during.every((v) => v >= 0.9)) throw new NotYet(`host dashboard CPU per core during the spike: ${during.map((v) => v.toFixed(2)).join(', ') || 'no series'} (needs 0.90 each)`);
      const before = cores.map((cpu) => firstValue(panel, (m) => m.cpu === cpu));
      const pct = (v: number[]) => v.map((x) => `${(100 * x).toFixed(0)} %`).join(', ');
      return `host dashboard CPU per core: ${pct(during)} busy during the spike (at injection: ${pct(before)})`;
    },
  },
  {
    name: 'log-flood',
    injected: '4,000 real syslog lines + 40 critical kernel lines',
    detector: 'logs',
    async check(ctx, state) {
      const r = await esSearch<{ message: string }>(ctx, `${ctx.prefix}logs-classified-*`, { size: 1000, _source: ['message'], query: { bool: { filter: [{ term: { ml_category: 'critical' } }, { term: { 'host.name': ctx.logHost } }] } } });
      const found = new Set(r.hits.map((h) => h.message));
      const missing = state.critical.filter((m) => !found.has(m));
      if (state.critical.length === 0 || missing.length > 0) throw new NotYet(`${state.critical.length - missing.length}/${state.critical.length} injected critical lines in logs-classified-* as critical`);
      const alert = await firing(ctx, 'CriticalLogBurst', (l) => l.instance === ctx.instance);
      if (!alert || !delivered(state, '/slack', 'CriticalLogBurst', ctx.instance) || !delivered(state, '/discord', 'CriticalLogBurst', ctx.instance)) throw new NotYet(`every critical line classified; CriticalLogBurst ${alert ? 'firing, not delivered to both receivers' : 'not firing'}`);
      const panel = await panelData(ctx, 'logs', 'Critical and warning lines', {}, range(state));
      if (!state.critical.some((m) => shows(panel, JSON.stringify(m).slice(1, -1)))) throw new NotYet('CriticalLogBurst delivered; logs dashboard "Critical and warning lines" does not show the injected lines');
      return `${state.critical.length}/${state.critical.length} critical in logs-classified-* (${r.total} critical in all); CriticalLogBurst delivered to Slack + Discord`;
    },
  },
];
