/**
 * docs/contracts.md's tables of metrics, thresholds and job names, generated from @aiops/contracts (the one place
 * they are written). `pnpm contracts:doc` rewrites the marked sections; tests/contracts-doc.test.ts fails when the
 * committed page is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { capacity, exporterAlerts, jobs, logAlerts, logReview, metrics, networkAnomaly, stalenessPeriods, type MetricSpec } from '@aiops/contracts';

export const CONTRACTS_DOC = join(resolve(import.meta.dirname, '..'), 'docs/contracts.md');

const EXPORTER_OWN = new Set<string>([metrics.exporterPushes, metrics.exporterOutboxDepth, metrics.exporterOldestSnapshotAge, metrics.exporterLastPushSuccessTimestamp].map((m) => m.name));

function metricTable(list: readonly MetricSpec[]): string {
  const rows = list.map((m) => `| \`${m.name}\` | ${m.type} | ${m.labels.map((l) => `\`${l}\``).join(', ')} | ${m.help} |`);
  return ['| metric | type | labels | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

function thresholdTable(): string {
  const rows = [
    ['capacity exhaustion', `${capacity.exhaustionPercent.warning} % / ${capacity.exhaustionPercent.critical} %`, 'the `threshold` label of days to exhaustion'],
    ['capacity lead time', `warning < ${capacity.leadTimeDays.warning} d, critical < ${capacity.leadTimeDays.critical} d`, 'capacity alerts'],
    ['exhaustion horizon', `${capacity.exhaustionHorizonDays} d`, 'days to exhaustion is +Inf beyond it'],
    ['forecast horizons', Object.keys(capacity.horizonsDays).join(', '), 'the `horizon` label'],
    ['disk full now', `${capacity.diskFullNowPercent} %`, 'disk almost full alert'],
    ['review confidence', `< ${logReview.confidenceBelow}`, '`ml_review: true`'],
    ['spot check', `${logReview.spotCheckPerWeek} lines a week`, 'review spot checks'],
    ['review gauge window', `${logReview.gaugeWindowDays} d`, [metrics.logsReviewAgreement, metrics.logsReviewSpotChecks, metrics.logsReviewLabels].map((m) => `\`${m.name}\``).join(', ')],
    ['retraining trigger', `reviewed macro-F1 > ${logReview.maxRelativeF1Drop * 100} % below baseline, ≥ ${logReview.minReviewedForDrift} reviewed lines`, '`aiops_logs_retrain_recommended`'],
    ['contamination (default)', String(networkAnomaly.contamination), 'the forest’s flagging threshold'],
    ['host contamination (default)', String(networkAnomaly.hostContamination), 'share of training host windows above the host-alert threshold'],
    ['host window (s)', String(networkAnomaly.hostWindowSeconds), 'one host window = one detect batch'],
    ['staleness', `${stalenessPeriods} × a job's period`, 'stale-job alerts'],
    ['anomaly burst', `> ${networkAnomaly.burstFlaggedPerRun} flagged connections in one run`, '`NetworkAnomalyBurst`'],
    ['host anomaly', `the host detector alerted (\`${metrics.anomalyHostAlerted.name}\` = 1: score above the model's threshold, host contamination ${networkAnomaly.hostContamination})`, '`NetworkAnomalyHost`'],
    ['critical-log burst', `> ${logAlerts.criticalBurstPerRun} critical lines in one run`, '`CriticalLogBurst`'],
    ['review queue', `> ${logAlerts.reviewQueueAbove} lines and growing`, '`LogReviewQueueGrowing`'],
    ['unseen tokens', `> ${logAlerts.unseenTokenRatioAbove * 100} % of a run's tokens`, '`LogClassifierDrift`'],
    ['outbox backlog', `oldest snapshot > ${exporterAlerts.outboxBacklogSeconds / 60} min`, '`ExporterOutboxBacklog`'],
  ];
  return ['| threshold | value | used by |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function jobTable(): string {
  const period = (s: number) => (s % 86_400 === 0 ? `${s / 86_400} d` : s % 3600 === 0 ? `${s / 3600} h` : `${s / 60} min`);
  return ['| job (`job` label) | cron period |', '|---|---|', ...Object.values(jobs).map((j) => `| \`${j.name}\` | ${period(j.periodSeconds)} |`)].join('\n');
}

const SECTIONS: Record<string, () => string> = {
  'pushed-metrics': () => metricTable(Object.values(metrics).filter((m) => !EXPORTER_OWN.has(m.name))),
  'exporter-metrics': () => metricTable(Object.values(metrics).filter((m) => EXPORTER_OWN.has(m.name))),
  thresholds: thresholdTable,
  jobs: jobTable,
};

/** The page with every `<!-- generated:NAME -->…<!-- /generated -->` section rebuilt. */
export function renderContractsDoc(page: string): string {
  return page.replace(/<!-- generated:([a-z-]+) -->[\s\S]*?<!-- \/generated -->/g, (_, name: string) => {
    const section = SECTIONS[name];
    if (!section) throw new Error(`docs/contracts.md: unknown generated section "${name}"`);
    return `<!-- generated:${name} -->\n${section()}\n<!-- /generated -->`;
  });
}

if (process.argv[1] === import.meta.filename) {
  writeFileSync(CONTRACTS_DOC, renderContractsDoc(readFileSync(CONTRACTS_DOC, 'utf8')));
  process.stderr.write(`contracts-doc: ${CONTRACTS_DOC} rewritten from @aiops/contracts\n`);
}
