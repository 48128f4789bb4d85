/**
 * The shape of a Prometheus rule file (https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/),
 * as the mixin builds it. Key order here is the order the generated YAML shows.
 */
export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export type Severity = 'warning' | 'critical';

export interface AlertingRule {
  alert: string;
  expr: string;
  /** Prometheus duration; omitted = fires on the first evaluation that matches. */
  for?: string;
  labels: { severity: Severity; area: string } & Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: (RecordingRule | AlertingRule)[];
}

/** One generated `<file>.rules.yml`: a header comment and its groups. */
export interface RuleFile {
  file: string;
  header: string;
  groups: RuleGroup[];
}

export function isAlertingRule(rule: RecordingRule | AlertingRule): rule is AlertingRule {
  return 'alert' in rule;
}
