/**
 * The default pipeline, or one variant of it, over the ten seeded template splits: mean ± sd (min) per line and per
 * template — the quick check (~15 s) before a change to the default lands (docs/evaluation/logs.md, "Round 3").
 *
 *   pnpm exec tsx bench/log-classifier/compare-default.ts                 # the default, as in the docs
 *   VARIANT=threshold pnpm exec tsx bench/log-classifier/compare-default.ts
 *   FOLD_SEED_OFFSET=7 …      # another out-of-fold partition for temperature and class biases
 *   BIAS_SCALE=0.75 …         # the tuned class biases multiplied after training
 *   LEX_ADD='crash:dump,kill' LEX_DROP='crash:core' …   # keyword-group edits (model/lexicon.ts) for this run only
 *   NO_SEVERITY_TRAIN=Spark,Zookeeper …                  # train without the severity of these systems
 *   ABLATION_SEEDS=42,1 …     # fewer splits
 */
import { join } from 'node:path';
import { LEXICON_GROUPS } from '../../services/log-classifier/src/model/lexicon.ts';
import { loadLabeledLoghub, sharedDir } from '../../services/log-classifier/src/training/dataset.ts';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from '../../services/log-classifier/src/training/train.ts';
import { formatSpread, makeSplit, scoreSplit, SPLIT_SEEDS, summarize } from './splits.ts';

const D = DEFAULT_TRAIN_OPTIONS;
const variants: Record<string, TrainOptions> = {
  default: D,
  threshold: { ...D, tuneClassBias: false, tuneCriticalThreshold: true },
  beta2: { ...D, criticalBeta: 2 },
  beta4: { ...D, criticalBeta: 4 },
  beta5: { ...D, criticalBeta: 5 },
  C2: { ...D, C: 2 },
  C4: { ...D, C: 4 },
  C5: { ...D, C: 5 },
};

const name = process.env.VARIANT ?? 'default';
const options = variants[name];
if (!options) throw new Error(`VARIANT=${name}: unknown; one of ${Object.keys(variants).join(', ')}`);

// Keyword-group edits for this process only: the Lexicon reads LEXICON_GROUPS when a pipeline is built.
type Group = { words?: string[]; prefixes?: string[] };
for (const [env, add] of [['LEX_ADD', true], ['LEX_DROP', false]] as const) {
  for (const part of (process.env[env] ?? '').split(';').filter(Boolean)) {
    const [groupName, list = ''] = part.split(':');
    const group = (LEXICON_GROUPS as Record<string, Group>)[groupName!];
    if (!group) throw new Error(`${env}: unknown keyword group ${JSON.stringify(groupName)}; one of ${Object.keys(LEXICON_GROUPS).join(', ')}`);
    const words = list.split(',').filter(Boolean);
    group.words = add ? [...(group.words ?? []), ...words] : (group.words ?? []).filter((w) => !words.includes(w));
  }
}

const untrusted = new Set((process.env.NO_SEVERITY_TRAIN ?? '').split(',').filter(Boolean));
const biasScale = Number(process.env.BIAS_SCALE ?? 1);
const foldSeedOffset = Number(process.env.FOLD_SEED_OFFSET ?? 0);
const shared = sharedDir();
const lines = loadLabeledLoghub(join(shared, 'labels'), join(shared, 'data/loghub'));
const seeds = process.env.ABLATION_SEEDS ? process.env.ABLATION_SEEDS.split(',').map(Number) : SPLIT_SEEDS;
const runs = seeds.map((seed) => {
  const split = makeSplit(lines, seed);
  const train = split.train.map((l) => (untrusted.has(l.system) ? { ...l, severity: undefined } : l));
  return scoreSplit({ ...split, train }, options, {
    foldSeedOffset,
    adjust: (m) => (m.decision.classBias && biasScale !== 1 ? { ...m, decision: { ...m.decision, classBias: m.decision.classBias.map((b) => b * biasScale) } } : m),
  });
});
const s = summarize(runs);
const label = [name, process.env.LEX_ADD && `+${process.env.LEX_ADD}`, process.env.LEX_DROP && `−${process.env.LEX_DROP}`, untrusted.size && `no severity ${[...untrusted].join(',')}`, biasScale !== 1 && `bias × ${biasScale}`, foldSeedOffset && `fold seed +${foldSeedOffset}`]
  .filter(Boolean)
  .join(', ');
console.log('| variant | macro-F1 line | critical recall line | macro-F1 template | critical recall template | critical→noise lines |');
console.log('|---|---|---|---|---|---|');
console.log(`| ${label} | ${formatSpread(s.macroF1)} | ${formatSpread(s.criticalRecall)} | ${formatSpread(s.templateMacroF1)} | ${formatSpread(s.templateCriticalRecall)} | ${runs.reduce((a, r) => a + r.criticalAsNoiseLines, 0)} |`);
console.log(`per split (seed macro-F1/critical recall): ${runs.map((r) => `${r.seed} ${r.macroF1.toFixed(2)}/${r.criticalRecall.toFixed(2)}`).join(', ')}`);
