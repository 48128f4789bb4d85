/**
 * The PromQL of each capacity metric the forecaster reads (per `instance`), and the name its recording rule
 * stores it under (level:metric:operations, as node-mixin names its rules). The recorded series keep exactly the
 * labels of their expression, so `recorded or expression` returns each series once: the recorded one where the
 * rule has run, the expression for older history (or backfilled raw counters).
 * Recording rules: packages/mixin (infrastructure/prometheus/rules/recording.rules.yml); reader:
 * services/forecaster/src/prometheus/capacity-queries.ts.
 */
export type CapacityMetric = 'cpu' | 'memory' | 'disk' | 'network';

export interface CapacitySeries {
  metric: CapacityMetric;
  /** Recorded name (recording rule output). */
  recorded: string;
  /** The expression it records: the one in docs/contracts.md. */
  expression: string;
}

export const capacitySeries: Record<CapacityMetric, CapacitySeries> = {
  cpu: {
    metric: 'cpu',
    recorded: 'instance:node_cpu_utilisation:percent_rate5m',
    expression: '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])))',
  },
  memory: {
    metric: 'memory',
    recorded: 'instance:node_memory_utilisation:percent',
    expression: '100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)',
  },
  disk: {
    metric: 'disk',
    recorded: 'instance_mountpoint:node_filesystem_utilisation:percent',
    expression: '100 * (1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes)',
  },
  network: {
    metric: 'network',
    recorded: 'instance_device:node_network_transmit_receive_bytes:rate5m',
    expression: 'rate(node_network_receive_bytes_total[5m]) + rate(node_network_transmit_bytes_total[5m])',
  },
};
