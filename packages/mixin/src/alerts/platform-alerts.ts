/** The platform itself: scrape targets that stopped answering, and the metrics outbox that stopped draining. */
import { mixinConfig } from '../config.ts';
import { exporterAlerts, metrics } from '@aiops/contracts';
import type { RuleFile } from '../rules/rule-types.ts';
import { alertRule, durationText, HOST_FROM_INSTANCE } from './alert.ts';

export const platformAlerts: RuleFile = {
  file: 'platform.rules.yml',
  header: 'Platform alerts: scrape targets and the pushgateway-exporter\'s outbox.',
  groups: [
    {
      name: 'aiops-platform',
      rules: [
        alertRule({
          alert: 'TargetDown',
          expr: 'up == 0',
          for: mixinConfig.targets.downFor,
          severity: 'critical',
          area: 'platform',
          labels: HOST_FROM_INSTANCE,
          summary: '{{ $labels.job }} target {{ $labels.instance }} is down',
          description:
            `Prometheus has not scraped {{ $labels.instance }} (job {{ $labels.job }}) for ${mixinConfig.targets.downFor}: ` +
            'the host, the exporter or the network between them is down. Nothing it reports is current.',
        }),
        alertRule({
          alert: 'ExporterOutboxBacklog',
          expr: `${metrics.exporterOldestSnapshotAge.name} > ${exporterAlerts.outboxBacklogSeconds}`,
          for: mixinConfig.exporter.backlogFor,
          severity: 'warning',
          area: 'platform',
          labels: HOST_FROM_INSTANCE,
          summary: 'Metrics outbox on {{ $labels.instance }} holds a snapshot {{ $value | humanizeDuration }} old',
          description:
            'pushgateway-exporter on {{ $labels.instance }} has not pushed its oldest snapshot for {{ $value | humanizeDuration }} ' +
            `(alerting above ${durationText(exporterAlerts.outboxBacklogSeconds)}): Pushgateway is unreachable or refuses the pushes. ` +
            'The jobs keep running; their gauges wait in the outbox.',
        }),
      ],
    },
  ],
};
