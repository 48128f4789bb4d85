/**
 * Capacity: the forecaster's days-to-exhaustion gauges (the upper 95 % bound of the forecast crossing a share of
 * the resource) and the disk that is almost full right now. Warning/critical pairs share one alert name, so
 * Alertmanager's inhibit rule can silence the warning while its critical fires.
 */
import { mixinConfig } from '../config.ts';
import { capacity, capacitySeries, metrics } from '@aiops/contracts';
import type { RuleFile } from '../rules/rule-types.ts';
import { alertRule, HOST_FROM_INSTANCE } from './alert.ts';

const series = '{{ $labels.metric }}{{ with $labels.device }} {{ . }}{{ end }} on {{ $labels.host }}';
const days = '{{ $value | printf "%.1f" }} days';

function exhaustion(severity: 'warning' | 'critical', percent: number, leadDays: number, forDuration: string, act: string) {
  return alertRule({
    alert: 'CapacityExhaustion',
    expr: `${metrics.capacityDaysToExhaustion.name}{threshold="${percent}"} < ${leadDays}`,
    for: forDuration,
    severity,
    area: 'capacity',
    summary: `${series} may reach ${percent} % in ${days}`,
    description:
      `The upper 95 % bound of the {{ $labels.metric }} forecast for {{ $labels.host }}{{ with $labels.device }} ({{ . }}){{ end }} ` +
      `crosses ${percent} % in ${days} (alerting below ${leadDays} days). ${act} ` +
      'The forecast curve is in forecasts-* (host={{ $labels.host }}).',
  });
}

const diskPercent = capacitySeries.disk.recorded;

function diskFull(severity: 'warning' | 'critical', percent: number, forDuration: string) {
  return alertRule({
    alert: 'HostDiskAlmostFull',
    expr: `${diskPercent} > ${percent}`,
    for: forDuration,
    severity,
    area: 'capacity',
    labels: HOST_FROM_INSTANCE,
    summary: '{{ $labels.mountpoint }} on {{ $labels.instance }} is {{ $value | printf "%.1f" }} % full',
    description:
      `Filesystem {{ $labels.device }} mounted on {{ $labels.mountpoint }} of {{ $labels.instance }} is {{ $value | printf "%.1f" }} % ` +
      `full (above ${percent} % for ${forDuration}). Free space or grow the volume before writes fail.`,
  });
}

export const capacityAlerts: RuleFile = {
  file: 'capacity.rules.yml',
  header:
    'Capacity alerts: the forecaster\'s days-to-exhaustion gauges (hourly runs, through the outbox and Pushgateway) ' +
    'and the disk that is almost full now.',
  groups: [
    {
      name: 'aiops-capacity',
      rules: [
        exhaustion('critical', capacity.exhaustionPercent.critical, capacity.leadTimeDays.critical, mixinConfig.capacity.criticalFor, 'Add capacity or reduce the load before then.'),
        exhaustion('warning', capacity.exhaustionPercent.warning, capacity.leadTimeDays.warning, mixinConfig.capacity.warningFor, 'Plan capacity.'),
        diskFull('critical', capacity.diskFullNowPercent, mixinConfig.disk.criticalFor),
        diskFull('warning', capacity.exhaustionPercent.warning, mixinConfig.disk.warningFor),
      ],
    },
  ],
};
