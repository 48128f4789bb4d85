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
 *   GUIDE=none …              # without the labeling guide (the default trains with the labels folder's README.md)
 *   GUIDE=filtered …          # the guide without the examples that quote a held-out template (a lower bound: templates
 *                             # neither labeled nor quoted by the guide); GUIDE_WEIGHT=1 … its examples' weight
 *   GUIDE_PROSE=1 …           # + each rule's title prose as one more example
 *   GUIDE_NO_ACROSS=1 …       # without the "Applied the same way across systems" items (they summarize named
 *                             # templates: `Core dumps: BGL (both templates)` survives the lexical leak filter)
 *   GUIDE_RULES=0 …           # without the guide's phrases as rules before the model (model/guide-rules.ts)
 *   GUIDE_ADDITIVE=1 …        # guide examples on top of the class balance instead of inside it (guideInClassBalance)
 *   LINUX=0 …                 # without the Linux-server lines of data/linux-logs and the guide's Linux additions (the
 *                             # default trains on them too; they are never in a Loghub test set)
 *   KNOWLEDGE=none|… …        # the knowledge parts (default-data.ts), default all
 */
import { LEXICON_GROUPS } from '@aiops/log-classification';
import { knowledgeFile, labelsDir, loghubDir } from '@aiops/datasets';
import { loadKnowledgeFile, loadLabeledLoghub, loadLabelingGuide, loadTemplateTexts } from '@aiops/datasets/log-labels';
import { knowledgeParts, linuxLines } from './default-data.ts';
import { filterGuideLeaks, maskedTokenizer } from '@aiops/log-classification';
import { countByClass } from '@aiops/log-classification';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from '@aiops/log-classification';
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
const variant = variants[name];
if (!variant) throw new Error(`VARIANT=${name}: unknown; one of ${Object.keys(variants).join(', ')}`);
const withLinux = process.env.LINUX !== '0';
const options: TrainOptions = { ...variant, features: { ...variant.features, knowledge: knowledgeParts() }, knowledgeFile: loadKnowledgeFile(knowledgeFile()) };
const linux = withLinux ? linuxLines() : [];

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
const lines = loadLabeledLoghub(labelsDir(), loghubDir());
const seeds = process.env.ABLATION_SEEDS ? process.env.ABLATION_SEEDS.split(',').map(Number) : SPLIT_SEEDS;

const guideMode = process.env.GUIDE ?? 'all'; // the default trains with the labels folder's guide
if (!['none', 'all', 'filtered'].includes(guideMode)) throw new Error(`GUIDE=${guideMode}: one of none, all, filtered`);
const guideWeight = Number(process.env.GUIDE_WEIGHT ?? 1);
const guideInClassBalance = process.env.GUIDE_ADDITIVE !== '1';
const noAcross = process.env.GUIDE_NO_ACROSS === '1';
const guideRules = process.env.GUIDE_RULES !== '0' && options.guideRules;
const guide = (guideMode === 'none' ? [] : (loadLabelingGuide(labelsDir(), { prose: process.env.GUIDE_PROSE === '1' }, withLinux) ?? [])).filter(
  (e) => !noAcross || e.rule !== 'across',
);
if (guideMode !== 'none') console.log(`guide: ${guide.length} examples ${JSON.stringify(countByClass(guide))}, weight ${guideWeight}`);
const templateTexts = loadTemplateTexts(labelsDir());
const tokenize = maskedTokenizer(options.features);
const droppedPerSplit: number[] = [];
const droppedPerClass: Record<string, number> = {};

const runs = seeds.map((seed) => {
  const split = makeSplit(lines, seed);
  const train = [...split.train.map((l) => (untrusted.has(l.system) ? { ...l, severity: undefined } : l)), ...linux];
  let guideExamples = guide;
  if (guideMode === 'filtered') {
    // Held-out texts: the EventTemplates of the held-out templates and their lines.
    const heldOutTexts = [...[...split.heldOut].map((t) => templateTexts.get(t) ?? ''), ...split.test.map((l) => l.message)];
    const { kept, dropped } = filterGuideLeaks(guide, heldOutTexts, tokenize);
    guideExamples = kept;
    droppedPerSplit.push(dropped.length);
    for (const [label, n] of Object.entries(countByClass(dropped))) droppedPerClass[label] = (droppedPerClass[label] ?? 0) + n;
    if (process.env.GUIDE_VERBOSE === '1') console.log(`split ${seed}: dropped ${dropped.map((e) => `${e.rule} ${JSON.stringify(e.phrase)}`).join(', ')}`);
  }
  return scoreSplit({ ...split, train }, { ...options, guideExamples: guideExamples.length > 0 ? guideExamples : null, guideWeight, guideInClassBalance, guideRules }, {
    foldSeedOffset,
    adjust: (m) => (m.decision.classBias && biasScale !== 1 ? { ...m, decision: { ...m.decision, classBias: m.decision.classBias.map((b) => b * biasScale) } } : m),
  });
});
const s = summarize(runs);
const label = [name, guideMode !== 'none' && `guide ${guideMode} × ${guideWeight}${guideInClassBalance ? '' : ' additive'}${process.env.GUIDE_PROSE === '1' ? ' + prose' : ''}${noAcross ? ' − across' : ''}${guideRules ? ' + rules' : ''}`, process.env.LEX_ADD && `+${process.env.LEX_ADD}`, process.env.LEX_DROP && `−${process.env.LEX_DROP}`, untrusted.size && `no severity ${[...untrusted].join(',')}`, biasScale !== 1 && `bias × ${biasScale}`, foldSeedOffset && `fold seed +${foldSeedOffset}`]
  .filter(Boolean)
  .join(', ');
console.log('| variant | macro-F1 line | critical recall line | macro-F1 template | critical recall template | critical→noise lines |');
console.log('|---|---|---|---|---|---|');
console.log(`| ${label} | ${formatSpread(s.macroF1)} | ${formatSpread(s.criticalRecall)} | ${formatSpread(s.templateMacroF1)} | ${formatSpread(s.templateCriticalRecall)} | ${runs.reduce((a, r) => a + r.criticalAsNoiseLines, 0)} |`);
console.log(`per split (seed macro-F1/critical recall): ${runs.map((r) => `${r.seed} ${r.macroF1.toFixed(2)}/${r.criticalRecall.toFixed(2)}`).join(', ')}`);
if (droppedPerSplit.length > 0) {
  const mean = droppedPerSplit.reduce((a, b) => a + b, 0) / droppedPerSplit.length;
  const perClass = Object.entries(droppedPerClass).map(([label, n]) => `${label} ${(n / droppedPerSplit.length).toFixed(1)}`);
  console.log(`guide examples leak-filtered per split: ${droppedPerSplit.join(', ')} (mean ${mean.toFixed(1)} of ${guide.length}: ${perClass.join(', ')})`);
}
