/**
 * The PromQL of each capacity metric (docs/contracts.md "PromQL the forecaster reads") and the name its recording
 * rule stores it under (level:metric:operations, as node-mixin names its rules).
 */
export interface CapacityExpression {
  metric: 'cpu' | 'memory' | 'disk' | 'network';
  recorded: string;
  expression: string;
}

export const CAPACITY_EXPRESSIONS: readonly CapacityExpression[] = [
  {
    metric: 'cpu',
    recorded: 'instance:node_cpu_utilisation:percent_rate5m',
    expression: '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])))',
  },
  {
    metric: 'memory',
    recorded: 'instance:node_memory_utilisation:percent',
    expression: '100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)',
  },
  {
    metric: 'disk',
    recorded: 'instance_mountpoint:node_filesystem_utilisation:percent',
    expression: '100 * (1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes)',
  },
  {
    metric: 'network',
    recorded: 'instance_device:node_network_transmit_receive_bytes:rate5m',
    expression: 'rate(node_network_receive_bytes_total[5m]) + rate(node_network_transmit_bytes_total[5m])',
  },
];

export function recordedName(metric: CapacityExpression['metric']): string {
  return CAPACITY_EXPRESSIONS.find((e) => e.metric === metric)!.recorded;
}
