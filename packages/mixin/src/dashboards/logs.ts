/**
 * Log intelligence: classified volume by class, the confidence distribution, critical + warning lines, the
 * low-confidence review queue, and how the model fares against people's labels.
 */
import { lateArrivals, logReview, metrics } from '@aiops/contracts';
import * as barchart from '@grafana/grafana-foundation-sdk/barchart';
import * as table from '@grafana/grafana-foundation-sdk/table';
import { CATEGORY_COLORS, UIDS, baseDashboard, count, dateHistogram, esQuery, histogram, promQuery, rawData, statPanel, terms, thresholds, timeseriesPanel } from './common.ts';
import { ES } from './datasources.ts';

const LINE_FIELDS = { '@timestamp': true, 'host.name': true, 'log.source': true, service: true, ml_category: true, ml_confidence: true, ml_rule: true, message: true };

function linesTable(title: string, description: string, query: string, box: { x: number; y: number; w: number; h: number }) {
  return new table.PanelBuilder()
    .title(title)
    .description(description)
    .gridPos(box)
    .targets([esQuery(ES.logsClassified, { query, metrics: [rawData(200)] })])
    .withTransformation({ id: 'organize', options: { includeByName: LINE_FIELDS } })
    .overrideByName('ml_category', [{ id: 'mappings', value: Object.entries(CATEGORY_COLORS).map(([category, color]) => ({ type: 'value', options: { [category]: { color, index: 0 } } })) }]);
}

export function logsDashboard() {
  const d = baseDashboard(UIDS.logs, 'AIOps · Log intelligence', 'What the log classifier made of the logs (logs-classified-*), and how far to trust it.', 'now-24h');
  d.withPanel(
    timeseriesPanel(
      'Lines by class',
      { x: 0, y: 0, w: 16, h: 8 },
      [esQuery(ES.logsClassified, { query: '', metrics: [count()], buckets: [terms('ml_category', 4), dateHistogram(ES.logsClassified.timeField)] })],
      { description: 'Classified lines per interval, stacked by class: critical red, warning amber, informational blue, noise grey.', stacked: true, colors: CATEGORY_COLORS },
    ),
  );
  d.withPanel(
    new barchart.PanelBuilder()
      .title('Confidence distribution')
      .description(`Lines per 0.05 of the classifier's confidence; below ${logReview.confidenceBelow} a line goes to review.`)
      .gridPos({ x: 16, y: 0, w: 8, h: 8 })
      .targets([esQuery(ES.logsClassified, { query: '', metrics: [count()], buckets: [histogram('ml_confidence', 0.05)] })])
      .thresholds(thresholds([null, 'orange'], [logReview.confidenceBelow, 'green']))
      .xField('ml_confidence'),
  );
  d.withPanel(linesTable('Critical and warning lines', 'The newest lines classified critical or warning.', 'ml_category:(critical OR warning)', { x: 0, y: 8, w: 24, h: 10 }));
  d.withPanel(
    linesTable(
      'Review queue (low confidence)',
      `Lines classified with confidence below ${logReview.confidenceBelow} and not yet labeled by a person (log-classifier review-export).`,
      'ml_review:true AND NOT _exists_:review_label',
      { x: 0, y: 18, w: 16, h: 10 },
    ),
  );
  d.withPanel(
    statPanel('Lines awaiting review', { x: 16, y: 18, w: 4, h: 5 }, [promQuery(`max(${metrics.logsReviewPending.name})`, { instant: true })], {
      // Both the classify job and the review page publish it, from the same query: one value, not their sum.
      description: 'Lines below the review confidence with no human label yet (classify job and review page).',
    }),
  );
  d.withPanel(
    statPanel('Agreement in spot checks', { x: 20, y: 18, w: 4, h: 5 }, [promQuery(`max(${metrics.logsReviewAgreement.name})`, { instant: true })], {
      description: `Share of the blind spot-check lines (review page, ${logReview.spotCheckPerWeek} a week) labeled in the last ${logReview.gaugeWindowDays} days where the person agreed with the model.`,
      unit: 'percentunit',
      noValue: `no spot check in the last ${logReview.gaugeWindowDays} days`,
      thresholds: thresholds([null, 'red'], [0.8, 'orange'], [0.9, 'green']),
    }),
  );
  d.withPanel(
    statPanel(
      'Macro-F1: reviewed vs held-out',
      { x: 16, y: 23, w: 8, h: 5 },
      [
        promQuery(`avg(${metrics.logsReviewMacroF1.name})`, { instant: true, legend: 'on reviewed lines' }),
        promQuery(`avg(${metrics.logsModelBaselineMacroF1.name})`, { instant: true, legend: 'held-out baseline', refId: 'B' }),
      ],
      {
        description: `LogClassifierF1Drop fires when the first is more than ${Math.round(logReview.maxRelativeF1Drop * 100)} % below the second (at least ${logReview.minReviewedForDrift} reviewed lines).`,
        noValue: 'no review imported',
      },
    ),
  );
  d.withPanel(
    timeseriesPanel('Unseen-token ratio', { x: 0, y: 28, w: 12, h: 6 }, [promQuery(metrics.logsUnseenTokenRatio.name, { legend: '{{instance}}' })], {
      description: 'Share of the last run\'s tokens missing from the model vocabulary: the drift signal.',
      unit: 'percentunit',
    }),
  );
  d.withPanel(
    timeseriesPanel('Lines classified late', { x: 12, y: 28, w: 12, h: 6 }, [promQuery(metrics.logsLateClassified.name, { legend: '{{instance}}' })], {
      description:
        `Lines a run found and classified that reached Elasticsearch after the job had read past their timestamp, up to ${lateArrivals.lookbackHours} h back: ` +
        'above zero, a shipper was down or behind by more than the job\'s --lag.',
    }),
  );
  return d;
}
