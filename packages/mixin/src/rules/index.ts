import { capacityAlerts } from '../alerts/capacity-alerts.ts';
import { jobsAlerts } from '../alerts/jobs-alerts.ts';
import { logsAlerts } from '../alerts/logs-alerts.ts';
import { networkAlerts } from '../alerts/network-alerts.ts';
import { platformAlerts } from '../alerts/platform-alerts.ts';
import { recordingRules } from './recording-rules.ts';
import type { RuleFile } from './rule-types.ts';

/** Every rule file the mixin generates into infrastructure/prometheus/rules/. */
export const RULE_FILES: readonly RuleFile[] = [recordingRules, capacityAlerts, networkAlerts, logsAlerts, jobsAlerts, platformAlerts];

export { isAlertingRule, type AlertingRule, type RecordingRule, type RuleFile, type RuleGroup } from './rule-types.ts';
export { renderRuleFile, withAlertFor } from './render-rules.ts';
