/**
 * A digest of every decision the default model makes on the speed bench's stream (20,000 raw Loghub lines, run.ts),
 * batch (decideAll: class, confidence, probabilities, rule) and line by line (classifyLine's result objects), each
 * pass from cold caches and once more warm: a change meant only for speed must print the same digests before and after.
 *
 *   pnpm exec tsx bench/log-classifier/decisions-digest.ts
 *   SEVERITY=err …      # every line with that severity (the severity-keyed paths)
 */
import { createHash } from 'node:crypto';
import { systemClock } from '@aiops/common';
import { sanitizeLogLine } from '@aiops/ml';
import { LogClassifier, trainModel } from '@aiops/log-classification';
import { defaultOptions, interleavedLoghubLines, linuxLines, loghubLines } from './default-data.ts';

const stream = interleavedLoghubLines(Number(process.env.LINES ?? 20_000));
const severity = process.env.SEVERITY;
const { model } = trainModel([...loghubLines(), ...linuxLines()], defaultOptions(), systemClock());
const classifier = new LogClassifier(model);
const texts = stream.map((l) => {
  const clean = sanitizeLogLine(l);
  return clean.ok ? clean.text : '';
});
const severities = severity ? texts.map(() => severity) : undefined;

function batchDigest(): string {
  const d = classifier.decideAll(texts, severities);
  const hash = createHash('sha256');
  hash.update(Buffer.from(d.chosen.buffer)).update(Buffer.from(d.confidence.buffer)).update(Buffer.from(d.probabilities.buffer));
  hash.update(JSON.stringify(d.rules));
  return hash.digest('hex').slice(0, 16);
}
function lineDigest(): string {
  const hash = createHash('sha256');
  for (const line of stream) hash.update(JSON.stringify(classifier.classifyLine(line, { severity })));
  return hash.digest('hex').slice(0, 16);
}
for (const [name, digest] of [['batch', batchDigest], ['line by line', lineDigest]] as const) {
  classifier.clearCaches();
  const cold = digest();
  console.log(`${name}: cold ${cold}, warm ${digest()}`);
}
