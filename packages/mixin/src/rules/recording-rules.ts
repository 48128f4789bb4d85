/**
 * Recording rules for the four 5-minute utilisation expressions the forecaster reads (docs/contracts.md), so
 * dashboards and the forecaster read one precomputed series per host instead of re-evaluating rate() over 30 days.
 * The recorded name keeps exactly the labels of its expression (no `job` aggregation), so the forecaster's
 * `recorded or expression` fallback (for history from before the rule existed, or backfilled raw counters) never
 * returns a series twice.
 */
import { capacitySeries } from '@aiops/contracts';
import type { RuleFile } from './rule-types.ts';

export const recordingRules: RuleFile = {
  file: 'recording.rules.yml',
  header: 'Recording rules: the forecaster\'s capacity expressions, precomputed (names and expressions: @aiops/contracts capacitySeries).',
  groups: [
    {
      name: 'aiops-capacity-recording',
      rules: Object.values(capacitySeries).map((s) => ({ record: s.recorded, expr: s.expression })),
    },
  ],
};
