/** Per host: node_exporter panels (CPU per core, memory, disk I/O and latency, network, filesystems), its logs and anomalies. */
import { capacity, capacitySeries } from '@aiops/contracts';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as table from '@grafana/grafana-foundation-sdk/table';
import { PROMETHEUS_REF, UIDS, baseDashboard, count, dateHistogram, esQuery, esRef, promQuery, rawData, terms, thresholds, timeseriesPanel, CATEGORY_COLORS } from './common.ts';
import { ES } from './datasources.ts';

const I = 'instance=~"$instance"';

function esTermsVariable(name: string, label: string, ds: (typeof ES)[keyof typeof ES], field: string) {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(esRef(ds))
    .query(JSON.stringify({ find: 'terms', field, size: 500 }))
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
}

export function hostDashboard() {
  const d = baseDashboard(UIDS.host, 'AIOps · Per host', 'One host: node_exporter metrics, its classified logs and its flagged connections.', 'now-24h');
  d.withVariable(
    new dashboard.QueryVariableBuilder('instance')
      .label('node_exporter')
      .datasource(PROMETHEUS_REF)
      .query('label_values(up{job="node"}, instance)')
      .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
      .sort(dashboard.VariableSort.AlphabeticalAsc),
  );
  // Logs name a host by its hostname and Zeek by its address: pick the same machine in each.
  d.withVariable(esTermsVariable('hostname', 'host name (logs)', ES.logsClassified, 'host.name'));
  d.withVariable(esTermsVariable('address', 'address (Zeek)', ES.anomalies, 'id.orig_h'));

  d.withPanel(
    timeseriesPanel('CPU per core', { x: 0, y: 0, w: 12, h: 8 }, [promQuery(`1 - rate(node_cpu_seconds_total{${I},mode="idle"}[$__rate_interval])`, { legend: 'cpu {{cpu}}' })], {
      description: 'Busy share of each core (1 − idle rate).',
      unit: 'percentunit',
      min: 0,
      max: 1,
    }),
  );
  d.withPanel(
    timeseriesPanel(
      'Memory',
      { x: 12, y: 0, w: 12, h: 8 },
      [
        promQuery(`node_memory_MemTotal_bytes{${I}} - node_memory_MemFree_bytes{${I}} - node_memory_Buffers_bytes{${I}} - node_memory_Cached_bytes{${I}} - node_memory_SReclaimable_bytes{${I}}`, { legend: 'used' }),
        promQuery(`node_memory_Buffers_bytes{${I}}`, { legend: 'buffers', refId: 'B' }),
        promQuery(`node_memory_Cached_bytes{${I}} + node_memory_SReclaimable_bytes{${I}}`, { legend: 'cache', refId: 'C' }),
        promQuery(`node_memory_MemFree_bytes{${I}}`, { legend: 'free', refId: 'D' }),
      ],
      { description: 'Memory breakdown: used, buffers, page cache (incl. reclaimable slab), free.', unit: 'bytes', stacked: true },
    ),
  );
  d.withPanel(
    timeseriesPanel(
      'Disk I/O',
      { x: 0, y: 8, w: 8, h: 8 },
      [
        promQuery(`rate(node_disk_read_bytes_total{${I}}[$__rate_interval])`, { legend: '{{device}} read' }),
        promQuery(`rate(node_disk_written_bytes_total{${I}}[$__rate_interval])`, { legend: '{{device}} written', refId: 'B' }),
      ],
      { description: 'Bytes/s read and written per block device.', unit: 'Bps' },
    ),
  );
  d.withPanel(
    timeseriesPanel(
      'Disk latency',
      { x: 8, y: 8, w: 8, h: 8 },
      [
        promQuery(`rate(node_disk_read_time_seconds_total{${I}}[$__rate_interval]) / rate(node_disk_reads_completed_total{${I}}[$__rate_interval])`, { legend: '{{device}} read' }),
        promQuery(`rate(node_disk_write_time_seconds_total{${I}}[$__rate_interval]) / rate(node_disk_writes_completed_total{${I}}[$__rate_interval])`, { legend: '{{device}} write', refId: 'B' }),
      ],
      { description: 'Average time per completed read / write (no point where the device was idle).', unit: 's' },
    ),
  );
  d.withPanel(
    timeseriesPanel(
      'Network',
      { x: 16, y: 8, w: 8, h: 8 },
      [
        promQuery(`rate(node_network_receive_bytes_total{${I},device!="lo"}[$__rate_interval])`, { legend: '{{device}} in' }),
        promQuery(`-rate(node_network_transmit_bytes_total{${I},device!="lo"}[$__rate_interval])`, { legend: '{{device}} out', refId: 'B' }),
      ],
      { description: 'Bytes/s per interface: received up, sent down.', unit: 'Bps' },
    ),
  );
  d.withPanel(
    new bargauge.PanelBuilder()
      .title('Filesystems')
      .description('Share used of each filesystem (tmpfs and overlay excluded), as the capacity forecaster reads it.')
      .gridPos({ x: 0, y: 16, w: 8, h: 8 })
      .targets([promQuery(`${capacitySeries.disk.recorded}{${I}}`, { instant: true, legend: '{{mountpoint}}' })])
      .unit('percent')
      .min(0)
      .max(100)
      .thresholds(thresholds([null, 'green'], [capacity.exhaustionPercent.warning, 'orange'], [capacity.exhaustionPercent.critical, 'red'])),
  );
  d.withPanel(
    timeseriesPanel(
      'Logs of $hostname by class',
      { x: 8, y: 16, w: 16, h: 8 },
      [esQuery(ES.logsClassified, { query: 'host.name:"$hostname"', metrics: [count()], buckets: [terms('ml_category', 4), dateHistogram(ES.logsClassified.timeField)] })],
      { description: 'The host\'s classified log lines per interval.', stacked: true, bars: true, colors: CATEGORY_COLORS },
    ),
  );
  d.withPanel(
    new table.PanelBuilder()
      .title('Latest logs of $hostname')
      .description('The host\'s newest classified lines.')
      .gridPos({ x: 0, y: 24, w: 24, h: 9 })
      .targets([esQuery(ES.logsClassified, { query: 'host.name:"$hostname"', metrics: [rawData(100)] })])
      .withTransformation({ id: 'organize', options: { includeByName: { '@timestamp': true, service: true, ml_category: true, ml_confidence: true, message: true } } }),
  );
  d.withPanel(
    new table.PanelBuilder()
      .title('Flagged connections of $address')
      .description('Connections from or to the address that the anomaly scorer flagged.')
      .gridPos({ x: 0, y: 33, w: 24, h: 8 })
      .targets([esQuery(ES.anomalies, { query: 'id.orig_h:"$address" OR id.resp_h:"$address"', metrics: [rawData(100)] })])
      .withTransformation({ id: 'organize', options: { includeByName: { '@timestamp': true, uid: true, 'id.orig_h': true, 'id.resp_h': true, 'id.resp_p': true, proto: true, anomaly_score: true } } }),
  );
  return d;
}
