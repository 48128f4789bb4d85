/**
 * A domain gate, tried for the Loghub floor (docs/evaluation/logs.md, "Tenth pass"): on each of the ten template
 * splits, a naive Bayes gate over the masked words (the split's Loghub training lines against every Linux-server line,
 * equal priors) sends a held-out line to a model trained on Loghub alone (no Linux lines, no guide additions: the
 * configuration of the 0.939 floor) when it reads as Loghub, else to the default model. Prints macro-F1 per line per
 * split for the default (C), the Loghub-only model (L: what a perfect gate would give here) and the gated pair (G).
 *
 *   AIOPS_DATA_DIR=… pnpm exec tsx bench/log-classifier/domain-gate.ts      # ~2 min; GATE=0.5 (P(Loghub) above it → L)
 */
import { systemClock } from '@aiops/common';
import { classificationReport } from '@aiops/ml';
import { LogClassifier, maskedTokenizer, predictAll, trainModel } from '@aiops/log-classification';
import { defaultOptions, linuxLines, loghubLines } from './default-data.ts';
import { makeSplit, SPLIT_SEEDS, spread, formatSpread } from './splits.ts';

const CLASSES = ['critical', 'informational', 'noise', 'warning'];
const withAdditions = defaultOptions(undefined, undefined, true);
const loghubOnly = defaultOptions(undefined, undefined, false);
const tokenize = maskedTokenizer(withAdditions.features);
const loghub = loghubLines();
const linuxLabeled = linuxLines();
const linux = linuxLabeled.map((l) => l.message);
const threshold = Number(process.env.GATE ?? 0.5);

/** P(Loghub | words) by multinomial naive Bayes over each domain's distinct messages (a word once per message). */
function domainGate(loghubMessages: readonly string[], linuxMessages: readonly string[]): (text: string) => number {
  const count = (messages: readonly string[]) => {
    const counts = new Map<string, number>();
    let total = 0;
    for (const m of new Set(messages))
      for (const w of new Set(tokenize(m))) {
        counts.set(w, (counts.get(w) ?? 0) + 1);
        total++;
      }
    return { counts, total };
  };
  const a = count(loghubMessages);
  const b = count(linuxMessages);
  const vocabulary = new Set([...a.counts.keys(), ...b.counts.keys()]);
  const v = vocabulary.size;
  const logRatio = new Map([...vocabulary].map((w) => [w, Math.log(((a.counts.get(w) ?? 0) + 1) / (a.total + v)) - Math.log(((b.counts.get(w) ?? 0) + 1) / (b.total + v))]));
  return (text) => 1 / (1 + Math.exp(-[...new Set(tokenize(text))].reduce((s, w) => s + (logRatio.get(w) ?? 0), 0)));
}

const macroF1 = (truth: string[], predicted: string[]) => classificationReport(truth, predicted, CLASSES).macroF1;
const scores: { c: number[]; l: number[]; g: number[] } = { c: [], l: [], g: [] };
for (const seed of SPLIT_SEEDS) {
  const split = makeSplit(loghub, seed);
  const combined = new LogClassifier(trainModel([...split.train, ...linuxLabeled], { ...withAdditions, seed }, systemClock()).model);
  const alone = new LogClassifier(trainModel(split.train, { ...loghubOnly, seed }, systemClock()).model);
  const gate = domainGate(split.train.map((l) => l.message), linux);
  const messages = split.test.map((l) => l.message);
  const severities = split.test.map((l) => l.severity);
  const c = predictAll(combined, messages, severities).categories;
  const l = predictAll(alone, messages, severities).categories;
  const toLoghub = messages.map((m) => gate(m) > threshold);
  const g = c.map((label, i) => (toLoghub[i] ? l[i]! : label));
  const truth = split.test.map((x) => x.label);
  scores.c.push(macroF1(truth, c));
  scores.l.push(macroF1(truth, l));
  scores.g.push(macroF1(truth, g));
  // Of the held-out lines the two models disagree on, how many the gate sends to the Loghub-only model.
  const differ = c.map((label, i) => label !== l[i]);
  const routedDiffer = differ.filter((d, i) => d && toLoghub[i]).length;
  console.log(
    `split ${seed}: C ${scores.c.at(-1)!.toFixed(3)}  L ${scores.l.at(-1)!.toFixed(3)}  G ${scores.g.at(-1)!.toFixed(3)}  gate → L ${((100 * toLoghub.filter(Boolean).length) / toLoghub.length).toFixed(1)} % of lines, ${routedDiffer} of the ${differ.filter(Boolean).length} lines C and L disagree on`,
  );
}
console.log(`default (C) ${formatSpread(spread(scores.c))}\nLoghub only (L) ${formatSpread(spread(scores.l))}\ngated (G) ${formatSpread(spread(scores.g))}`);
