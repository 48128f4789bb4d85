/** Readable summaries for a terminal or a cron mail (stderr for detect, stdout for evaluate). */
import type { EvaluationReport, IncidentReport } from '@aiops/network-anomaly';
import type { AnomalyModelDocument, ScoringResult } from '@aiops/network-anomaly';

const pct = (part: number, whole: number) => (whole === 0 ? '0 %' : `${((100 * part) / whole).toFixed(2)} %`);
const fixed = (v: number | null, digits = 3) => (v === null ? 'n/a' : v.toFixed(digits));

export function detectSummary(model: AnomalyModelDocument, result: ScoringResult, out: string, top = 10): string {
  const lines = [
    `model ${model.modelVersion} (${model.features.featureSet} features, contamination ${model.hyperparameters.contamination})`,
    `scored ${result.scored} connections, flagged ${result.flagged} (${pct(result.flagged, result.scored)}); ${result.rows.length} lines → ${out}`,
  ];
  const worst = result.rows.filter((r) => r.label === -1).sort((a, b) => b.anomaly_score - a.anomaly_score).slice(0, top);
  if (worst.length > 0) lines.push(`top ${worst.length}:`);
  for (const r of worst) {
    const why = r.explanation.map((e) => `${e.feature}=${e.value.toFixed(2)} (${Math.round(100 * e.weight)} %)`).join(', ');
    const when = new Date(r.ts * 1000).toISOString();
    lines.push(`  ${r.anomaly_score.toFixed(3)}  ${when}  ${r['id.orig_h']} → ${r['id.resp_h']}:${r['id.resp_p'] ?? '-'} ${r.proto ?? ''} ${r.conn_state ?? ''}  ${why}`);
  }
  return lines.join('\n');
}

export interface FullEvaluation extends EvaluationReport {
  model: string;
  files: string[];
  /** The forests' scores alone, before the beacon and host rules (rocAuc/prAuc above rank the fused score). */
  connection?: { rocAuc: number | null; prAuc: number | null };
  incidents?: IncidentReport;
}

export function evaluationSummary(report: FullEvaluation): string {
  const i = report.incidents;
  const host = i
    ? [
        `host       ${i.hostAlerts} alerts, ${i.falseHostAlerts} false (${i.falseHostAlertsPerBenignDay.toFixed(2)} per benign day); episodes detected ${i.episodesDetected} of ${i.episodes.length}, ${i.episodesWithinOneBatch} within one window`,
      ]
    : [];
  return [
    `model ${report.model} on ${report.files.join(', ')}`,
    `rows ${report.rows}, labeled ${report.labeled} (malicious ${report.malicious}, benign ${report.benign}), flagged ${report.flagged}`,
    `ROC-AUC    ${fixed(report.rocAuc)}${report.connection ? `   (the forests alone ${fixed(report.connection.rocAuc)})` : ''}`,
    `PR-AUC     ${fixed(report.prAuc)}${report.connection ? `   (the forests alone ${fixed(report.connection.prAuc)})` : ''}`,
    `precision  ${fixed(report.precision)}  (at the model's threshold)`,
    `recall     ${fixed(report.recall)}`,
    `silhouette ${fixed(report.silhouette)}  (flagged vs normal, ${report.silhouetteSample} labeled rows sampled)`,
    ...host,
  ].join('\n');
}
