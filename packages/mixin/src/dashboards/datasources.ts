/**
 * The Grafana datasources the dashboards use, by stable uid: Prometheus and one Elasticsearch datasource per index
 * family. Provisioned from infrastructure/grafana/provisioning/datasources/aiops.yml (generated from this list).
 * Patterns are `<prefix>-2*`, as the index templates match (so `logs-2*` never reaches `logs-classified-…`).
 */
import { DEFAULT_INDEX_PREFIXES, type IndexPrefixes } from '@aiops/contracts';

export interface PrometheusDatasource {
  kind: 'prometheus';
  uid: string;
  name: string;
}

export interface ElasticsearchDatasource {
  kind: 'elasticsearch';
  uid: string;
  name: string;
  family: keyof IndexPrefixes;
  timeField: string;
}

export const PROMETHEUS: PrometheusDatasource = { kind: 'prometheus', uid: 'aiops-prometheus', name: 'Prometheus' };

export const ES = {
  logs: { kind: 'elasticsearch', uid: 'aiops-es-logs', name: 'Elasticsearch logs', family: 'logs', timeField: '@timestamp' },
  logsClassified: { kind: 'elasticsearch', uid: 'aiops-es-logs-classified', name: 'Elasticsearch classified logs', family: 'logsClassified', timeField: '@timestamp' },
  zeek: { kind: 'elasticsearch', uid: 'aiops-es-zeek', name: 'Elasticsearch Zeek conn', family: 'zeekConn', timeField: '@timestamp' },
  anomalies: { kind: 'elasticsearch', uid: 'aiops-es-anomalies', name: 'Elasticsearch anomalies', family: 'anomalies', timeField: '@timestamp' },
  // A forecast document's time is the moment it forecasts, not when it was written.
  forecasts: { kind: 'elasticsearch', uid: 'aiops-es-forecasts', name: 'Elasticsearch forecasts', family: 'forecasts', timeField: 'target_time' },
} as const satisfies Record<string, ElasticsearchDatasource>;

export const ELASTICSEARCH_DATASOURCES: readonly ElasticsearchDatasource[] = Object.values(ES);

/** The index pattern a datasource reads, for the default prefixes or a test run's own. */
export function indexPattern(ds: ElasticsearchDatasource, prefixes: IndexPrefixes = DEFAULT_INDEX_PREFIXES): string {
  return `${prefixes[ds.family]}-2*`;
}

export function datasourceByUid(uid: string): PrometheusDatasource | ElasticsearchDatasource | undefined {
  return uid === PROMETHEUS.uid ? PROMETHEUS : ELASTICSEARCH_DATASOURCES.find((d) => d.uid === uid);
}
