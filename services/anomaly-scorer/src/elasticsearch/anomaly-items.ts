/**
 * A scoring result as the bulk items detect writes to anomalies-YYYY.MM.DD: each flagged connection under its conn
 * document's own `_id` (a rerun overwrites instead of adding), each host alert under its deterministic id
 * (host-alerts.ts), both dated by their own timestamp. Shared by the forward read and the late pass.
 */
import { dailyIndexName, type BulkItem, type ReadHit } from '@aiops/common';
import type { ScoringResult, AnomalyModel } from '@aiops/network-anomaly';
import type { ConnRecord } from '@aiops/zeek';
import { hostAlertDocuments } from '../host-alerts.ts';
import type { ConnDocument } from './conn-documents.ts';

export function anomalyItems(
  result: ScoringResult,
  records: readonly ConnRecord[],
  hitByUid: ReadonlyMap<string, ReadHit<ConnDocument>>,
  model: AnomalyModel,
  anomaliesPrefix: string,
): { connections: BulkItem<Record<string, unknown>>[]; hosts: BulkItem<Record<string, unknown>>[] } {
  const connections = result.rows.map((row) => {
    const hit = hitByUid.get(row.uid)!;
    return {
      index: dailyIndexName(anomaliesPrefix, hit.timestamp),
      id: hit.id,
      document: { ...hit.source, kind: row.kind, anomaly_score: row.anomaly_score, host_score: row.host_score, model_version: row.model_version, explanation: row.explanation },
    };
  });
  const hosts = hostAlertDocuments(result.host, records, model.document.modelVersion, model.host.json.threshold).map(({ id, document }) => ({
    index: dailyIndexName(anomaliesPrefix, document['@timestamp']),
    id,
    document,
  }));
  return { connections, hosts };
}
