/**
 * Capacity: per metric 30 days of history, the latest forecast curve with its 80/95 % bands (forecasts-*), the
 * 85/95 % thresholds, the current value, days to exhaustion and the capacity alerts as annotations.
 */
import { capacity, capacitySeries, metrics, type CapacityMetric } from '@aiops/contracts';
import * as commonSdk from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as table from '@grafana/grafana-foundation-sdk/table';
import { PROMETHEUS_REF, UIDS, average, baseDashboard, dateHistogram, esQuery, promQuery, terms, thresholds, timeseriesPanel } from './common.ts';
import { ES } from './datasources.ts';
import { recordedOr } from './promql.ts';

const HOST = 'host=~"$host"';
const INSTANCE = 'instance=~"$host"';
const bands = thresholds([null, 'green'], [capacity.exhaustionPercent.warning, 'orange'], [capacity.exhaustionPercent.critical, 'red']);

const PERCENT_METRICS: { metric: CapacityMetric; title: string; legend: string }[] = [
  { metric: 'cpu', title: 'CPU', legend: 'CPU %' },
  { metric: 'memory', title: 'Memory', legend: 'memory %' },
  { metric: 'disk', title: 'Disk', legend: '{{mountpoint}}' },
];

function forecastTargets(metric: CapacityMetric) {
  const fields = ['yhat', 'yhat_lower_80', 'yhat_upper_80', 'yhat_lower_95', 'yhat_upper_95'];
  return esQuery(ES.forecasts, {
    refId: 'B',
    query: `host:"$host" AND metric:${metric}`,
    metrics: fields.map((f, i) => average(f, String(i + 1))),
    buckets: [terms('device', 10, '10', '_key'), dateHistogram(ES.forecasts.timeField, '1h', '11')],
  });
}

export function capacityDashboard() {
  const d = baseDashboard(
    UIDS.capacity,
    'AIOps · Capacity',
    `History, forecast with 80/95 % bands and days until the upper 95 % bound crosses ${capacity.exhaustionPercent.warning}/${capacity.exhaustionPercent.critical} %.`,
    'now-30d',
  );
  d.time({ from: 'now-30d', to: 'now+30d' });
  d.withVariable(
    new dashboard.QueryVariableBuilder('host')
      .label('host')
      .datasource(PROMETHEUS_REF)
      .query(`label_values(${metrics.capacityDaysToExhaustion.name}, host)`)
      .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
      .sort(dashboard.VariableSort.AlphabeticalAsc),
  );
  d.annotation(
    new dashboard.AnnotationQueryBuilder()
      .name('Capacity alerts')
      .datasource(PROMETHEUS_REF)
      .enable(true)
      .iconColor('red')
      .expr(`ALERTS{alertname="CapacityExhaustion",alertstate="firing",${HOST}}`)
      .titleFormat('{{alertname}} {{severity}}')
      .textFormat('{{metric}} {{device}} threshold {{threshold}} %')
      .step('5m'),
  );

  PERCENT_METRICS.forEach(({ metric, title, legend }, i) => {
    const y = i * 8;
    d.withPanel(
      timeseriesPanel(
        `${title}: history and forecast`,
        { x: 0, y, w: 16, h: 8 },
        [promQuery(recordedOr(capacitySeries[metric], INSTANCE), { legend }), forecastTargets(metric)],
        {
          description: `${title} % of $host: measured (Prometheus, recorded rule) and the latest forecasts (forecasts-*: yhat and the 80/95 % bands, averaged per hour over the runs in range). Dashed lines: ${capacity.exhaustionPercent.warning} and ${capacity.exhaustionPercent.critical} %.`,
          unit: 'percent',
          min: 0,
          max: 100,
          thresholds: bands,
        },
      ),
    );
    d.withPanel(
      new gauge.PanelBuilder()
        .title(`${title} (latest)`)
        .description(`The latest ${title.toLowerCase()} % of $host within the last hour.`)
        // the dashboard's range ends 30 days ahead: the panel looks at the last hour, and shows its last value
        .timeFrom('1h')
        .gridPos({ x: 16, y, w: 4, h: 8 })
        .targets([promQuery(recordedOr(capacitySeries[metric], INSTANCE), { legend })])
        .reduceOptions(new commonSdk.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
        .unit('percent')
        .min(0)
        .max(100)
        .thresholds(bands),
    );
    d.withPanel(
      new table.PanelBuilder()
        .title(`${title}: days to exhaustion`)
        .description(`Days until the forecast's upper 95 % bound crosses each threshold (+Inf: not within ${capacity.exhaustionHorizonDays} days).`)
        .timeFrom('1h')
        .gridPos({ x: 20, y, w: 4, h: 8 })
        .targets([promQuery(`${metrics.capacityDaysToExhaustion.name}{${HOST},metric="${metric}"}`, { instant: true, table: true })])
        .unit('d')
        .decimals(1),
    );
  });

  d.withPanel(
    new table.PanelBuilder()
      .title('Forecast error (backtest MAPE)')
      .description('Mean absolute percentage error of each series\' model on its own past: how far to trust the dates above.')
      .timeFrom('1h')
      .gridPos({ x: 0, y: 24, w: 12, h: 6 })
      .targets([promQuery(`${metrics.forecastBacktestMape.name}{${HOST}}`, { instant: true, table: true })])
      .unit('percent')
      .decimals(1),
  );
  d.withPanel(
    timeseriesPanel('Network traffic', { x: 12, y: 24, w: 12, h: 6 }, [promQuery(recordedOr(capacitySeries.network, INSTANCE), { legend: '{{device}}' })], {
      description: 'Bytes/s received + sent per interface of $host (forecast only: no ceiling to exhaust).',
      unit: 'Bps',
    }),
  );
  return d;
}
