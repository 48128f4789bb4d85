/**
 * Classify throughput (lines per CPU-second, batch, cold caches) of one trained default model with each knowledge
 * part switched off in turn: what each part costs at classification time. 20,000 raw Loghub lines as run.ts.
 *   AIOPS_DATA_DIR=… pnpm exec tsx bench/log-classifier/speed-parts.ts
 */
import { systemClock } from '@aiops/common';
import { sanitizeLogLine } from '@aiops/ml';
import { LogClassifier, trainModel, type KnowledgeParts } from '@aiops/log-classification';
import { defaultOptions, interleavedLoghubLines, linuxLines, loghubLines } from './default-data.ts';

const stream = interleavedLoghubLines(20_000);
const texts = stream.map((l) => {
  const clean = sanitizeLogLine(l);
  return clean.ok ? clean.text : '';
});
const { model } = trainModel([...loghubLines(), ...linuxLines()], defaultOptions(), systemClock());
const variants: [string, KnowledgeParts][] = [
  ['all', { header: true, families: true, fail2ban: true, logcheck: true }],
  ['no logcheck', { header: true, families: true, fail2ban: true, logcheck: false }],
  ['header + families', { header: true, families: true, fail2ban: false, logcheck: false }],
  ['families only', { header: false, families: true, fail2ban: false, logcheck: false }],
  ['none', { header: false, families: false, fail2ban: false, logcheck: false }],
];
for (const [name, knowledge] of variants) {
  const classifier = new LogClassifier({ ...model, features: { ...model.features, config: { ...model.features.config, knowledge } } });
  classifier.decideAll(texts);
  const rates: number[] = [];
  for (let r = 0; r < 3; r++) {
    classifier.clearCaches();
    const c0 = process.cpuUsage();
    classifier.decideAll(texts);
    const used = process.cpuUsage(c0);
    rates.push(texts.length / ((used.user + used.system) / 1e6));
  }
  console.log(`${name}: ${Math.round(rates.sort((a, b) => a - b)[1]!)} lines per CPU-second (batch, cold caches)`);
}
