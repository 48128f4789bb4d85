/**
 * Network anomalies: the anomaly scorer's gauges describe its last run (one batch of Zeek connections), so these
 * alerts fire on the run that shows it and resolve on the next run that does not.
 */
import { mixinConfig } from '../config.ts';
import { metrics, networkAnomaly } from '@aiops/contracts';
import type { RuleFile } from '../rules/rule-types.ts';
import { alertRule, HOST_FROM_INSTANCE } from './alert.ts';

export const networkAlerts: RuleFile = {
  file: 'network.rules.yml',
  header: 'Network anomaly alerts: the anomaly scorer\'s last-run gauges (anomalies-* holds the connections).',
  groups: [
    {
      name: 'aiops-network',
      rules: [
        alertRule({
          alert: 'NetworkAnomalyBurst',
          expr: `sum by (job, instance) (${metrics.anomalyFlagged.name}) > ${networkAnomaly.burstFlaggedPerRun}`,
          for: mixinConfig.anomalies.burstFor,
          severity: 'warning',
          area: 'network',
          labels: HOST_FROM_INSTANCE,
          summary: '{{ $value }} anomalous connections in the last scoring run of {{ $labels.instance }}',
          description:
            `The anomaly scorer on {{ $labels.instance }} flagged {{ $value }} connections in its last run (more than ` +
            `${networkAnomaly.burstFlaggedPerRun}). The top sources are on the network anomalies dashboard; the connections are in anomalies-*.`,
        }),
        alertRule({
          alert: 'NetworkAnomalyHost',
          // The detector's own decision (its learned threshold, stored with the model), not a fixed score: the
          // value stays the host's score so the message can say how far it stood out.
          expr: `${metrics.anomalyHostScore.name} and on (job, instance, host) (${metrics.anomalyHostAlerted.name} == 1)`,
          for: mixinConfig.anomalies.burstFor,
          severity: 'critical',
          area: 'network',
          summary: 'Host {{ $labels.host }} changed behaviour (host anomaly score {{ $value | printf "%.2f" }})',
          description:
            `The traffic of {{ $labels.host }} in the last batch scores {{ $value | printf "%.2f" }} against its own baseline, ` +
            `above the host detector's learned threshold (${metrics.anomalyHostThreshold.name}). The connections that show it are the kind=host entry in anomalies-* for this host.`,
        }),
      ],
    },
  ],
};
