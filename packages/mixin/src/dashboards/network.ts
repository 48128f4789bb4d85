/**
 * Network anomalies: flagged connections per hour, top sources, protocols, duration × bytes coloured by score, the
 * raw events with a link to their Zeek conn entry, and the host-level scores and alerts.
 */
import { lateArrivals, metrics } from '@aiops/contracts';
import * as commonSdk from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as piechart from '@grafana/grafana-foundation-sdk/piechart';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as xychart from '@grafana/grafana-foundation-sdk/xychart';
import { UIDS, baseDashboard, count, dateHistogram, esQuery, promQuery, rawData, terms, timeseriesPanel } from './common.ts';
import { ES } from './datasources.ts';

const byName = (name: string) => ({ matcher: { id: 'byName', options: name } });

/** anomalies-* holds scored connections (kind connection) and host alerts (kind host). */
const CONNECTIONS = 'NOT kind:host';
const HOST_ALERTS = 'kind:host';

/** Grafana Explore on the Zeek conn datasource, searching the connection's uid. */
function zeekEntryUrl(): string {
  const left = { datasource: ES.zeek.uid, queries: [{ refId: 'A', query: 'uid:"${__value.raw}"', metrics: [{ type: 'raw_document', id: '1' }] }], range: { from: 'now-30d', to: 'now' } };
  return `/explore?left=${encodeURIComponent(JSON.stringify(left)).replace('%24%7B__value.raw%7D', '${__value.raw}')}`;
}

export function networkDashboard() {
  const d = baseDashboard(UIDS.network, 'AIOps · Network anomalies', 'Connections the anomaly scorer flagged (anomalies-*) and host-level scores.', 'now-7d');
  d.withPanel(
    timeseriesPanel('Anomalies per hour', { x: 0, y: 0, w: 16, h: 7 }, [esQuery(ES.anomalies, { query: CONNECTIONS, metrics: [count()], buckets: [dateHistogram(ES.anomalies.timeField, '1h')] })], {
      description: 'Flagged connections per hour.',
      bars: true,
    }),
  );
  d.withPanel(
    new piechart.PanelBuilder()
      .title('Protocols')
      .description('Flagged connections by transport protocol.')
      .gridPos({ x: 16, y: 0, w: 8, h: 7 })
      .targets([esQuery(ES.anomalies, { query: CONNECTIONS, metrics: [count()], buckets: [terms('proto', 10)] })])
      .pieType(piechart.PieChartType.Pie)
      .reduceOptions(new commonSdk.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(true)),
  );
  d.withPanel(
    new table.PanelBuilder()
      .title('Top 10 sources')
      .description('Originators with the most flagged connections.')
      .gridPos({ x: 0, y: 7, w: 8, h: 9 })
      .targets([esQuery(ES.anomalies, { query: CONNECTIONS, metrics: [count()], buckets: [terms('id.orig_h', 10)] })]),
  );
  d.withPanel(
    new xychart.PanelBuilder()
      .title('Duration × bytes, coloured by score')
      .description('Each flagged connection: duration (s) against bytes sent by the originator, colour = anomaly score.')
      .gridPos({ x: 8, y: 7, w: 16, h: 9 })
      .targets([esQuery(ES.anomalies, { query: CONNECTIONS, metrics: [rawData(1000)] })])
      .mapping(xychart.SeriesMapping.Manual)
      .series([{ build: () => ({ x: byName('duration'), y: byName('orig_bytes'), color: byName('anomaly_score') }) }])
      .show(xychart.XYShowMode.Points)
      .pointSize({ fixed: 6 })
      .colorScheme(new dashboard.FieldColorBuilder().mode(dashboard.FieldColorModeId.ContinuousGrYlRd))
      .min(0),
  );
  d.withPanel(
    new table.PanelBuilder()
      .title('Flagged connections')
      .description('The flagged connections, newest first; the uid opens the Zeek conn entry in Explore.')
      .gridPos({ x: 0, y: 16, w: 24, h: 10 })
      .targets([esQuery(ES.anomalies, { query: CONNECTIONS, metrics: [rawData(500)] })])
      .withTransformation({
        id: 'organize',
        options: {
          includeByName: { '@timestamp': true, uid: true, 'id.orig_h': true, 'id.resp_h': true, 'id.resp_p': true, proto: true, service: true, duration: true, orig_bytes: true, resp_bytes: true, anomaly_score: true, model_version: true },
        },
      })
      .overrideByName('uid', [{ id: 'links', value: [{ title: 'Zeek conn entry', url: zeekEntryUrl() }] }])
      .sortBy([new commonSdk.TableSortByFieldStateBuilder().displayName('anomaly_score').desc(true)]),
  );
  d.withPanel(
    new table.PanelBuilder()
      .title('Host alerts')
      .description('Hosts whose window stood out from their own baseline (anomalies-* kind=host): role, window, and the connections that show it.')
      .gridPos({ x: 0, y: 40, w: 24, h: 8 })
      .targets([esQuery(ES.anomalies, { query: HOST_ALERTS, metrics: [rawData(200)] })])
      .withTransformation({ id: 'organize', options: { includeByName: { '@timestamp': true, host: true, host_role: true, window_start: true, window_end: true, connections: true, anomaly_score: true, connection_uids: true } } }),
  );
  d.withPanel(
    timeseriesPanel(
      'Host anomaly score',
      { x: 0, y: 26, w: 12, h: 8 },
      [promQuery(metrics.anomalyHostScore.name, { legend: '{{host}}' }), promQuery(`max(${metrics.anomalyHostThreshold.name})`, { legend: 'alert threshold (model)' })],
      {
        description: `Host-level score of the last batch per host, and the model's learned alert threshold: NetworkAnomalyHost fires on the detector's own decision (${metrics.anomalyHostAlerted.name} = 1).`,
        min: 0,
        max: 1,
      },
    ),
  );
  d.withPanel(
    timeseriesPanel('Flagged per originator (last run)', { x: 12, y: 26, w: 12, h: 8 }, [promQuery(`topk(10, ${metrics.anomalyFlagged.name})`, { legend: '{{host}}' })], {
      description: 'The anomaly scorer\'s gauge: connections flagged in its last run, by originator (top 10).',
    }),
  );
  d.withPanel(
    new table.PanelBuilder()
      .title('Network alerts')
      .description('NetworkAnomalyHost and NetworkAnomalyBurst alerts pending or firing now.')
      .gridPos({ x: 0, y: 34, w: 16, h: 6 })
      .targets([promQuery('ALERTS{alertname=~"NetworkAnomalyHost|NetworkAnomalyBurst"}', { instant: true, table: true })]),
  );
  d.withPanel(
    timeseriesPanel('Connections scored late', { x: 16, y: 34, w: 8, h: 6 }, [promQuery(metrics.anomalyLateConnections.name, { legend: '{{instance}}' })], {
      description:
        `Conn records a run found behind its checkpoint, up to ${lateArrivals.lookbackHours} h back, and scored with their hour: connections longer than detect's --lag ` +
        '(Zeek logs them when they end, stamped with their start) and whatever the shipper delivered late.',
    }),
  );
  return d;
}
