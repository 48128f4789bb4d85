/** Readable summaries for a terminal or a cron mail (stderr for detect, stdout for evaluate). */
import type { EvaluationReport } from '@aiops/network-anomaly';
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

export function evaluationSummary(report: EvaluationReport & { model: string; files: string[] }): string {
  return [
    `model ${report.model} on ${report.files.join(', ')}`,
    `rows ${report.rows}, labeled ${report.labeled} (malicious ${report.malicious}, benign ${report.benign}), flagged ${report.flagged}`,
    `ROC-AUC    ${fixed(report.rocAuc)}`,
    `PR-AUC     ${fixed(report.prAuc)}`,
    `precision  ${fixed(report.precision)}  (at the model's threshold)`,
    `recall     ${fixed(report.recall)}`,
    `silhouette ${fixed(report.silhouette)}  (flagged vs normal, ${report.silhouetteSample} labeled rows sampled)`,
  ].join('\n');
}
