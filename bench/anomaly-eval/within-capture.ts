/**
 * The evaluate CLI's protocols (network-anomaly protocols.ts + pipeline.ts: trained inside the capture, on its own
 * history only, as `anomaly-scorer evaluate --protocol mixture|baseline-live --file` does) over every labeled
 * capture of host-captures.ts: ROC-AUC of the forests alone, of the shipped ranking, and of the host boost at other
 * weights, so the host level's effect on the ranking can be read per capture in the setting the CLI reports.
 * host-loco.ts, by contrast, also trains on the other captures' mixtures (leave one capture out).
 * Columns: `forests` = the two forests' score; `raised` = with the beacon rule's and the host alerts' rows raised
 * to the flag threshold; `boost-w` = that, host-boosted with weight w (fusion.ts; the shipped weight is
 * networkAnomaly.hostBoostWeight); `forest-boost-w` = the forests' score host-boosted, nothing raised.
 * Run: AIOPS_DATA_DIR=../shared/data pnpm exec tsx bench/anomaly-eval/within-capture.ts   (~15 s)
 */
import { networkAnomaly } from '@aiops/contracts';
import { baselineLiveSplit, boostedScores, labeledRanking, MAX_BOOST_FROM, mixtureSplit, scoredRecords, scoreRecords, trainModel, type ProtocolSplit } from '@aiops/network-anomaly';
import { mean } from './forest-runs.ts';
import { loadCaptures } from './host-captures.ts';

const WEIGHTS = [0, 0.1, 0.25, 0.5, 1] as const;
const DRAWS = [0, 1, 2, 3, 4];
const SEEDS = [0, 1];

function rocs(split: ProtocolSplit, seed: number): Record<string, number> | null {
  const model = trainModel(split.train, { featureSet: 'aggregates', contamination: networkAnomaly.contamination, seed, source: 'within-capture', trainedAt: '2026-01-01T00:00:00Z' });
  const { records, reportFrom } = scoredRecords(split);
  const r = scoreRecords(model, records, { all: false, reportFrom });
  const from = Math.min(model.host.json.threshold, MAX_BOOST_FROM);
  const scores: Record<string, ArrayLike<number>> = { forests: r.forestScores, raised: r.scores, shipped: r.fused };
  for (const w of WEIGHTS) {
    scores[`boost-${w}`] = boostedScores(r.scores, r.host.connectionHostScores, { from, weight: w });
    scores[`forest-boost-${w}`] = boostedScores(r.forestScores, r.host.connectionHostScores, { from, weight: w });
  }
  const out: Record<string, number> = {};
  for (const [name, s] of Object.entries(scores)) {
    const roc = labeledRanking(split.score, s).rocAuc;
    if (roc === null) return null;
    out[name] = roc;
  }
  return out;
}

const rows: string[] = [];
let header: string[] = [];
for (const c of await loadCaptures()) {
  for (const protocol of ['mixture-5%', 'baseline-live'] as const) {
    let splits: ProtocolSplit[];
    try {
      splits = protocol === 'mixture-5%' ? DRAWS.map((d) => mixtureSplit(c.records, 0.05, 1000 * d + 7)) : [baselineLiveSplit(c.records)];
    } catch {
      continue; // too few Benign rows to split (njrat-230)
    }
    const runs = splits.flatMap((split) => SEEDS.map((seed) => rocs(split, seed))).filter((r): r is Record<string, number> => r !== null);
    if (runs.length === 0) continue;
    header = Object.keys(runs[0]!);
    rows.push(`| ${protocol} | ${c.name} | ${runs.length} | ${header.map((k) => mean(runs.map((r) => r[k]!)).toFixed(3)).join(' | ')} |`);
  }
}
console.log(`| protocol | capture | runs | ${header.join(' | ')} |`);
console.log(`|---|---|---|${header.map(() => '---|').join('')}`);
for (const row of rows) console.log(row);
