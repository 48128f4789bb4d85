/** Platform overview: what needs attention across the three pipelines, with links into each dashboard. */
import { capacity, capacitySeries, metrics } from '@aiops/contracts';
import { CATEGORY_COLORS, UIDS, baseDashboard, count, dashboardUrl, dateHistogram, esQuery, maximum, promQuery, statPanel, terms, thresholds, timeseriesPanel } from './common.ts';
import { ES } from './datasources.ts';

/**
 * Health score, 0–100: 100 minus 20 per firing critical alert and 5 per firing warning, floored at 0 (so four
 * criticals, or twenty warnings, read 0). Our own alert rules only, as Prometheus evaluates them (ALERTS).
 */
const HEALTH_SCORE =
  'clamp_min(100' +
  ' - 20 * (count(ALERTS{alertstate="firing",severity="critical"}) or vector(0))' +
  ' - 5 * (count(ALERTS{alertstate="firing",severity="warning"}) or vector(0)), 0)';

const criticalThreshold = `threshold="${capacity.exhaustionPercent.critical}"`;

export function overviewDashboard() {
  const d = baseDashboard(UIDS.overview, 'AIOps · Platform overview', 'Anomalies, critical logs, capacity and host health across the platform.', 'now-24h');
  d.withPanel(
    statPanel('Anomalies (24 h)', { x: 0, y: 0, w: 5, h: 4 }, [esQuery(ES.anomalies, { query: 'NOT kind:host', metrics: [count()], buckets: [dateHistogram(ES.anomalies.timeField)] })], {
      description: 'Connections the anomaly scorer flagged in the time range (anomalies-*).',
      reduce: 'sum',
      link: { title: 'Network anomalies', url: dashboardUrl(UIDS.network) },
    }),
  );
  d.withPanel(
    statPanel(
      'Critical logs (24 h)',
      { x: 5, y: 0, w: 5, h: 4 },
      [esQuery(ES.logsClassified, { query: 'ml_category:critical', metrics: [count()], buckets: [dateHistogram(ES.logsClassified.timeField)] })],
      {
        description: 'Log lines the classifier put in the critical class in the time range (logs-classified-*).',
        reduce: 'sum',
        thresholds: thresholds([null, 'green'], [1, 'red']),
        link: { title: 'Log intelligence', url: dashboardUrl(UIDS.logs) },
      },
    ),
  );
  d.withPanel(
    statPanel(
      'Nearest exhaustion',
      { x: 10, y: 0, w: 5, h: 4 },
      [promQuery(`min(time() + 86400 * (${metrics.capacityDaysToExhaustion.name}{${criticalThreshold}} < +Inf)) * 1000`, { instant: true })],
      {
        description: `The earliest date any forecast's upper 95 % bound reaches ${capacity.exhaustionPercent.critical} % (within the forecast's ${capacity.exhaustionHorizonDays} days).`,
        unit: 'dateTimeAsIso',
        noValue: `none within ${capacity.exhaustionHorizonDays} days`,
        link: { title: 'Capacity', url: dashboardUrl(UIDS.capacity) },
      },
    ),
  );
  d.withPanel(
    statPanel('Health score', { x: 15, y: 0, w: 5, h: 4 }, [promQuery(HEALTH_SCORE, { instant: true })], {
      description: 'Composite 0–100: 100 − 20 × firing critical alerts − 5 × firing warnings, floored at 0 (our alert rules, as Prometheus evaluates them).',
      thresholds: thresholds([null, 'red'], [60, 'orange'], [90, 'green']),
      unit: 'none',
    }),
  );
  d.withPanel(
    statPanel('Targets up', { x: 20, y: 0, w: 4, h: 4 }, [promQuery('sum(up) / count(up)', { instant: true })], {
      description: 'Share of Prometheus scrape targets answering.',
      unit: 'percentunit',
      thresholds: thresholds([null, 'red'], [0.99, 'green']),
    }),
  );

  const sparkline = (title: string, x: number, expr: string, description: string) =>
    statPanel(title, { x, y: 4, w: 8, h: 6 }, [promQuery(expr, { legend: '{{instance}}' })], {
      description,
      unit: 'percent',
      sparkline: true,
      thresholds: thresholds([null, 'green'], [capacity.exhaustionPercent.warning, 'orange'], [capacity.exhaustionPercent.critical, 'red']),
      link: { title: 'Per host', url: dashboardUrl(UIDS.host) },
    });
  d.withPanel(sparkline('CPU per host', 0, capacitySeries.cpu.recorded, 'CPU busy %, 5-minute rate (recorded rule).'));
  d.withPanel(sparkline('Memory per host', 8, capacitySeries.memory.recorded, 'Memory in use % (1 − MemAvailable / MemTotal).'));
  d.withPanel(sparkline('Fullest disk per host', 16, `max by (instance) (${capacitySeries.disk.recorded})`, 'The fullest filesystem of each host, % used.'));

  d.withPanel(
    timeseriesPanel(
      'Log volume by class',
      { x: 0, y: 10, w: 12, h: 8 },
      [esQuery(ES.logsClassified, { query: '', metrics: [count()], buckets: [terms('ml_category', 4), dateHistogram(ES.logsClassified.timeField)] })],
      { description: 'Classified log lines per interval, by the classifier\'s category.', stacked: true, bars: true, colors: CATEGORY_COLORS, link: { title: 'Log intelligence', url: dashboardUrl(UIDS.logs) } },
    ),
  );
  d.withPanel(
    timeseriesPanel(
      'Anomaly timeline',
      { x: 12, y: 10, w: 12, h: 8 },
      [
        esQuery(ES.anomalies, { query: 'NOT kind:host', metrics: [count()], buckets: [dateHistogram(ES.anomalies.timeField)], alias: 'flagged connections' }),
        esQuery(ES.anomalies, { query: 'NOT kind:host', metrics: [maximum('anomaly_score', '1')], buckets: [dateHistogram(ES.anomalies.timeField)], refId: 'B', alias: 'highest score' }),
      ],
      { description: 'Flagged connections per interval and the highest anomaly score among them.', bars: true, link: { title: 'Network anomalies', url: dashboardUrl(UIDS.network) } },
    ),
  );
  return d;
}
