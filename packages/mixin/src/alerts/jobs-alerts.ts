/**
 * Every scheduled job (ML jobs and zeek-ingest): failing, stale (no success within 2 × its period) or never
 * seen succeeding. One rule per job where the job's period matters, so each carries its own limit.
 */
import { mixinConfig } from '../config.ts';
import { jobs, metrics, stalenessPeriods } from '@aiops/contracts';
import type { RuleFile } from '../rules/rule-types.ts';
import { alertRule, durationText, HOST_FROM_INSTANCE } from './alert.ts';

const success = metrics.jobLastSuccessTimestamp.name;
const failure = metrics.jobLastFailureTimestamp.name;

function stale(job: string, periodSeconds: number) {
  const limit = stalenessPeriods * periodSeconds;
  return alertRule({
    alert: 'AiopsJobStale',
    expr: `time() - max by (job, instance) (${success}{job="${job}"}) > ${limit}`,
    for: mixinConfig.jobs.staleFor,
    severity: 'warning',
    area: 'jobs',
    // the job label makes each per-job rule distinct (promtool rejects rules with equal names and labels)
    labels: { ...HOST_FROM_INSTANCE, job },
    summary: 'No successful {{ $labels.job }} run on {{ $labels.instance }} for {{ $value | humanizeDuration }}',
    description:
      `{{ $labels.job }} on {{ $labels.instance }} last succeeded {{ $value | humanizeDuration }} ago; it runs every ` +
      `${durationText(periodSeconds)} and is stale after ${durationText(limit)}. What it feeds (gauges, dashboards, alerts) is out of date.`,
  });
}

function missing(job: string, periodSeconds: number) {
  return alertRule({
    alert: 'AiopsJobMissing',
    expr: `absent(${success}{job="${job}"})`,
    for: durationText(Math.max(stalenessPeriods * periodSeconds, mixinConfig.jobs.missingForAtLeastSeconds)),
    severity: 'warning',
    area: 'jobs',
    labels: { job },
    summary: 'No successful {{ $labels.job }} run recorded by any node',
    description:
      `${success}{job="{{ $labels.job }}"} does not exist: the job has not succeeded since Pushgateway's store was created, ` +
      'or its metrics do not reach Prometheus (outbox, pushgateway-exporter, Pushgateway scrape).',
  });
}


export const jobsAlerts: RuleFile = {
  file: 'jobs.rules.yml',
  header: 'Job health: the job runner\'s gauges (aiops_job_*), pushed on every run through the outbox.',
  groups: [
    {
      name: 'aiops-jobs',
      rules: [
        alertRule({
          alert: 'AiopsJobFailing',
          expr: `${failure} > on (job, instance) ${success}\nor (${failure} unless on (job, instance) ${success})`,
          for: mixinConfig.jobs.failingFor,
          severity: 'warning',
          area: 'jobs',
          labels: HOST_FROM_INSTANCE,
          summary: '{{ $labels.job }} on {{ $labels.instance }} failed and has not succeeded since',
          description:
            '{{ $labels.job }} on {{ $labels.instance }} last failed at {{ $value | humanizeTimestamp }} with no successful run ' +
            'after it. Its cron log names the failing series or server; the exit code says why (docs/contracts.md).',
        }),
        ...Object.values(jobs).map((j) => stale(j.name, j.periodSeconds)),
        ...Object.values(jobs).map((j) => missing(j.name, j.periodSeconds)),
      ],
    },
  ],
};
