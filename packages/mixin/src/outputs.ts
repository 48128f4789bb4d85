/**
 * Everything the mixin generates, as (repo-relative path, content) pairs: pure, so the generate script writes
 * them and the staleness test compares them with the committed files.
 */
import { DASHBOARDS, renderDashboard, renderDashboardProvider, renderDatasources } from './dashboards/index.ts';
import { RULE_FILES, renderRuleFile } from './rules/index.ts';

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
