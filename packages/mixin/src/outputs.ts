/**
 * Everything the mixin generates, as (repo-relative path, content) pairs: pure, so the generate script writes
 * them and the staleness test compares them with the committed files.
 */
import { DASHBOARDS, renderDashboard, renderDashboardProvider, renderDatasources } from './dashboards/index.ts';
import { mixinConfig } from './config.ts';
import { RULE_FILES, renderRuleFile, withAlertFor } from './rules/index.ts';

export interface GeneratedFile {
  path: string;
  content: string;
}

export function generatedFiles(): GeneratedFile[] {
  return [
    ...RULE_FILES.map((f) => ({ path: `infrastructure/prometheus/rules/${f.file}`, content: renderRuleFile(f) })),
    ...(Object.keys(DASHBOARDS) as (keyof typeof DASHBOARDS)[]).map((name) => ({ path: `infrastructure/grafana/dashboards/${name}.json`, content: renderDashboard(name) })),
    { path: 'infrastructure/grafana/provisioning/datasources/aiops.yml', content: renderDatasources() },
    { path: 'infrastructure/grafana/provisioning/dashboards/aiops.yml', content: renderDashboardProvider() },
  ];
}

/** Generation profiles besides production's (which generatedFiles writes into the repository). */
export const PROFILES = ['stress'] as const;
export type Profile = (typeof PROFILES)[number];

/**
 * The rule files of a profile, named as in infrastructure/prometheus/rules/ (so they replace those in a Prometheus
 * rules folder): `stress` = every `for:` set to mixinConfig.stressProfile.for. Never committed: written on demand.
 */
export function profileRuleFiles(profile: Profile): GeneratedFile[] {
  const forDuration = mixinConfig.stressProfile.for;
  const note = `STRESS PROFILE: every for: is ${forDuration} (production: 5m-14d), for scripts/stress_test.sh only.`;
  return RULE_FILES.map((f) => ({ path: f.file, content: renderRuleFile(profile === 'stress' ? withAlertFor(f, forDuration, note) : f) }));
}
