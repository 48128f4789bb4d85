/**
 * `evaluate --protocol mixture|baseline-live` on one labeled capture: split (protocols.ts), train the full model
 * (forest + beacon test + host level) on the training part, score the rest, and report per run what an operator and
 * a data scientist would ask: ROC-AUC / PR-AUC of the fused ranking and of the forests' scores alone (before the
 * beacon and host rules), the share of attack rows and episodes flagged at the model's thresholds, host alerts, false
 * host alerts per benign day, and the episodes (incidents.ts). Pure: records in, reports out (the clock comes in as `trainedAt`).
 */
import { averagePrecision, rocAuc } from '@aiops/ml';
import type { ConnRecord } from '@aiops/zeek';
import { caughtShares, incidentReport, truthOf, type IncidentReport } from './incidents.ts';
import { scoreRecords, trainModel, type TrainOptions } from './pipeline.ts';
import { baselineLiveSplit, mixtureSplit, scoredRecords, type ProtocolSplit } from './protocols.ts';

export interface ProtocolRunOptions {
  protocol: 'mixture' | 'baseline-live';
  /** mixture: share of Malicious rows (default 0.05). */
  share?: number;
  /** mixture: draws of the Malicious rows (default 5). */
  draws?: number;
  /** Model seeds per split (default 2). */
  seeds?: number;
  /** baseline-live: the Benign time quantile the training part ends at (default 0.6). */
  fraction?: number;
  train: Omit<TrainOptions, 'seed' | 'source'>;
}

export interface ProtocolRun {
  draw: number;
  seed: number;
  trainRows: number;
  scoredRows: number;
  malicious: number;
  benign: number;
  rocAuc: number | null;
  prAuc: number | null;
  connectionRocAuc: number | null;
  connectionPrAuc: number | null;
  /** Attack rows / episodes flagged (forest, beacon rule or host alert) at the model's thresholds. */
  flaggedAttackRows: number;
  flaggedEpisodes: number;
  benignFlagged: number;
  incidents: Omit<IncidentReport, 'episodes'> & { episodes: number };
  /** Hosts with an alert on a window holding attack rows (the hosts an operator is pointed at). */
  alertedAttackHosts: string[];
}

function ranking(labels: number[], scores: number[]): { roc: number | null; pr: number | null } {
  const positives = labels.filter((y) => y === 1).length;
  if (positives === 0) return { roc: null, pr: null };
  return { roc: positives < labels.length ? rocAuc(labels, scores) : null, pr: averagePrecision(labels, scores) };
}

/** ROC-AUC and PR-AUC of `scores` over the Benign (0) / Malicious (1) rows of `records` (null where undefined). */
export function labeledRanking(records: readonly ConnRecord[], scores: ArrayLike<number>): { rocAuc: number | null; prAuc: number | null } {
  const idx = records.flatMap((r, i) => (truthOf(r) === null ? [] : [i]));
  const r = ranking(idx.map((i) => truthOf(records[i]!)!), idx.map((i) => scores[i]!));
  return { rocAuc: r.roc, prAuc: r.pr };
}

export function runProtocol(records: readonly ConnRecord[], options: ProtocolRunOptions): ProtocolRun[] {
  const splits: { draw: number; split: ProtocolSplit }[] = [];
  if (options.protocol === 'mixture') {
    for (let draw = 0; draw < (options.draws ?? 5); draw++) splits.push({ draw, split: mixtureSplit(records, options.share ?? 0.05, 1000 * draw + 7) });
  } else {
    splits.push({ draw: 0, split: baselineLiveSplit(records, options.fraction) });
  }
  const runs: ProtocolRun[] = [];
  for (const { draw, split } of splits) {
    for (let seed = 0; seed < (options.seeds ?? 2); seed++) {
      const model = trainModel(split.train, { ...options.train, seed, source: `${options.protocol} draw ${draw}` });
      // The capture's hour before the scored part as context, as detect reads it (protocols.ts); reported from split.score on.
      const { records: withContext, reportFrom } = scoredRecords(split);
      const result = scoreRecords(model, withContext, { all: false, reportFrom });
      const idx = split.score.flatMap((r, i) => (truthOf(r) === null ? [] : [i]));
      const y = idx.map((i) => truthOf(split.score[i]!)!);
      const fused = ranking(y, idx.map((i) => result.fused[i]!));
      const connection = ranking(y, idx.map((i) => result.forestScores[i]!));
      const flags = Uint8Array.from(result.labels, (l) => (l === -1 ? 1 : 0));
      const caught = caughtShares(split.score, flags, 0.5, null);
      const incidents = incidentReport(withContext, result.host, model.host.json.baseline.windowSeconds, reportFrom);
      const alertedAttackHosts = new Set<string>();
      for (const w of result.host.windows) {
        if (w.alert && w.showing.some((i) => truthOf(withContext[i]!) === 1)) alertedAttackHosts.add(w.host);
      }
      runs.push({
        draw,
        seed,
        trainRows: split.train.length,
        scoredRows: split.score.length,
        malicious: y.filter((v) => v === 1).length,
        benign: y.filter((v) => v === 0).length,
        rocAuc: fused.roc,
        prAuc: fused.pr,
        connectionRocAuc: connection.roc,
        connectionPrAuc: connection.pr,
        flaggedAttackRows: caught.rows,
        flaggedEpisodes: caught.episodes,
        benignFlagged: idx.filter((i) => truthOf(split.score[i]!) === 0 && flags[i] === 1).length / Math.max(1, y.filter((v) => v === 0).length),
        incidents: { ...incidents, episodes: incidents.episodes.length },
        alertedAttackHosts: [...alertedAttackHosts].sort(),
      });
    }
  }
  return runs;
}
