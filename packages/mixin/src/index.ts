export { mixinConfig, runbookUrl } from './config.ts';
export * from './rules/index.ts';
export { generatedFiles, PROFILES, profileRuleFiles, type GeneratedFile, type Profile } from './outputs.ts';
export { DASHBOARDS, buildDashboard, renderDashboard } from './dashboards/index.ts';
export { ELASTICSEARCH_DATASOURCES, ES, PROMETHEUS, datasourceByUid, indexPattern, type ElasticsearchDatasource, type PrometheusDatasource } from './dashboards/datasources.ts';
export { UIDS } from './dashboards/common.ts';
export { esMsearchBody, interpolate, promRequest, type EsTarget, type PromRequest, type TimeRange } from './dashboards/grafana-requests.ts';
