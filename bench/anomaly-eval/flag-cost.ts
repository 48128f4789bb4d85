/**
 * What the whole pipeline flags at its thresholds (forests at networkAnomaly.contamination, the beacon rule, host
 * alerts), per capture, in host-loco's baseline-live split (seed 0): the share of benign rows and of attack rows
 * flagged. The cost side of a detector change: run it before and after (a worktree of the older commit).
 * Run: AIOPS_DATA_DIR=../shared/data pnpm exec tsx bench/anomaly-eval/flag-cost.ts   (~10 s)
 */
import { networkAnomaly } from '@aiops/contracts';
import { scoredRecords, scoreRecords, trainModel, truthOf } from '@aiops/network-anomaly';
import { loadCaptures } from './host-captures.ts';
import { baselineLiveLocoSplit } from './host-loco.ts';

console.log('| capture | benign rows flagged | attack rows flagged |');
console.log('|---|---|---|');
for (const c of await loadCaptures()) {
  const split = baselineLiveLocoSplit(c, 0);
  if (!split) continue;
  const model = trainModel(split.train.flat(), { featureSet: 'aggregates', contamination: networkAnomaly.contamination, seed: 0, source: 'flag-cost', trainedAt: '2026-01-01T00:00:00Z' });
  const { records, reportFrom } = scoredRecords(split);
  const { labels } = scoreRecords(model, records, { all: false, reportFrom });
  const count = { benign: 0, benignFlagged: 0, attack: 0, attackFlagged: 0 };
  split.score.forEach((row, i) => {
    const truth = truthOf(row);
    if (truth === 0) {
      count.benign++;
      if (labels[i] === -1) count.benignFlagged++;
    } else if (truth === 1) {
      count.attack++;
      if (labels[i] === -1) count.attackFlagged++;
    }
  });
  const pct = (k: number, n: number) => `${((100 * k) / n).toFixed(2)} % of ${n}`;
  console.log(`| ${c.name} | ${pct(count.benignFlagged, count.benign)} | ${pct(count.attackFlagged, count.attack)} |`);
}
