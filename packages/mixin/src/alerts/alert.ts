import { runbookUrl } from '../config.ts';
import type { AlertingRule, Severity } from '../rules/rule-types.ts';

export interface AlertSpec {
  alert: string;
  expr: string;
  for?: string;
  severity: Severity;
  area: string;
  /** Extra labels; `host` is set from a template when the expression has no host label (group_by alertname + host). */
  labels?: Record<string, string>;
  summary: string;
  description: string;
}

/** An alerting rule with the annotations every alert carries (summary, description, runbook_url). */
export function alertRule(spec: AlertSpec): AlertingRule {
  return {
    alert: spec.alert,
    expr: spec.expr,
    ...(spec.for !== undefined && spec.for !== '0s' ? { for: spec.for } : {}),
    labels: { severity: spec.severity, area: spec.area, ...spec.labels },
    annotations: { summary: spec.summary, description: spec.description, runbook_url: runbookUrl(spec.alert) },
  };
}

/** `{{ $labels.instance }}` as the `host` label: Alertmanager groups by alertname + host. */
export const HOST_FROM_INSTANCE = { host: '{{ $labels.instance }}' } as const;

/** "1h", "10m", "1d" for a number of seconds (for texts; Prometheus durations accept the same). */
export function durationText(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
