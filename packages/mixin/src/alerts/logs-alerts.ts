/**
 * Log intelligence: the log classifier's last-run gauges (critical lines, review queue, unseen tokens) and the
 * review loop's comparison of the model with people's labels.
 */
import { mixinConfig } from '../config.ts';
import { logAlerts, logReview, metrics } from '@aiops/contracts';
import type { RuleFile } from '../rules/rule-types.ts';
import { alertRule, HOST_FROM_INSTANCE } from './alert.ts';

const window = mixinConfig.logs.reviewGrowthWindow;

export const logsAlerts: RuleFile = {
  file: 'logs.rules.yml',
  header: 'Log intelligence alerts: the log classifier\'s gauges (logs-classified-* holds the lines).',
  groups: [
    {
      name: 'aiops-logs',
      rules: [
        alertRule({
          alert: 'CriticalLogBurst',
          expr: `sum by (job, instance) (${metrics.logsClassified.name}{category="critical"}) > ${logAlerts.criticalBurstPerRun}`,
          severity: 'critical',
          area: 'logs',
          labels: HOST_FROM_INSTANCE,
          summary: '{{ $value }} critical log lines in the last classification run',
          description:
            `The log classifier on {{ $labels.instance }} classified {{ $value }} lines as critical in its last run (more than ` +
            `${logAlerts.criticalBurstPerRun}). They are in logs-classified-* with ml_category=critical (log intelligence dashboard).`,
        }),
        alertRule({
          alert: 'LogReviewQueueGrowing',
          expr:
            `${metrics.logsReviewPending.name} > ${logAlerts.reviewQueueAbove}\n` +
            `and delta(${metrics.logsReviewPending.name}[${window}]) > 0`,
          for: '1h',
          severity: 'warning',
          area: 'logs',
          labels: HOST_FROM_INSTANCE,
          summary: '{{ $value }} low-confidence log lines await review, and the queue grows',
          description:
            `{{ $value }} lines classified with confidence below ${logReview.confidenceBelow} await a person's label ` +
            `(more than ${logAlerts.reviewQueueAbove}, and growing over the last ${window}). Export a review sheet (log-classifier review-export).`,
        }),
        alertRule({
          alert: 'LogClassifierDrift',
          expr: `${metrics.logsUnseenTokenRatio.name} > ${logAlerts.unseenTokenRatioAbove}`,
          for: mixinConfig.logs.driftFor,
          severity: 'warning',
          area: 'logs',
          labels: HOST_FROM_INSTANCE,
          summary: '{{ $value | humanizePercentage }} of log tokens are unknown to the classifier',
          description:
            `In the last run {{ $value | humanizePercentage }} of the tokens were not in the model's vocabulary (alerting above ` +
            `${Math.round(logAlerts.unseenTokenRatioAbove * 100)} %): the logs changed since training. Review a sample and retrain.`,
        }),
        alertRule({
          alert: 'LogClassifierF1Drop',
          expr: `${metrics.logsReviewMacroF1.name}\nand on (job, instance) ${metrics.logsRetrainRecommended.name} == 1`,
          severity: 'warning',
          area: 'logs',
          labels: HOST_FROM_INSTANCE,
          summary: 'Log classifier macro-F1 on reviewed lines fell to {{ $value | printf "%.3f" }}',
          description:
            'On the lines people reviewed, the current model scores a macro-F1 of {{ $value | printf "%.3f" }}, more than ' +
            `${Math.round(logReview.maxRelativeF1Drop * 100)} % below its held-out baseline (${metrics.logsModelBaselineMacroF1.name}, ` +
            `at least ${logReview.minReviewedForDrift} reviewed lines): retrain with the reviewed lines.`,
        }),
      ],
    },
  ],
};
