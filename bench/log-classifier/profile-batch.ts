/**
 * Where the batch classify pass spends its time: the default model over the speed bench's 20,000-line stream (run.ts),
 * PASSES passes each from cold caches as the bench runs them, under the V8 profiler (node:inspector); prints lines
 * per CPU-second (the profiler costs some) and the functions with the most self time. Compare two versions in one
 * sitting: the machine is shared and its load moves the absolute figure.
 *
 *   AIOPS_DATA_DIR=… pnpm exec tsx bench/log-classifier/profile-batch.ts      # PASSES=20 TOP=25
 */
import { Session, type Profiler } from 'node:inspector';
import { systemClock } from '@aiops/common';
import { sanitizeLogLine } from '@aiops/ml';
import { LogClassifier, trainModel } from '@aiops/log-classification';
import { defaultOptions, interleavedLoghubLines, linuxLines, loghubLines } from './default-data.ts';

const passes = Number(process.env.PASSES ?? 20);
const top = Number(process.env.TOP ?? 25);
const stream = interleavedLoghubLines(20_000);
const { model } = trainModel([...loghubLines(), ...linuxLines()], defaultOptions(), systemClock());
const classifier = new LogClassifier(model);
const texts = stream.map((l) => {
  const clean = sanitizeLogLine(l);
  return clean.ok ? clean.text : '';
});
function run(n: number): void {
  for (let r = 0; r < n; r++) {
    classifier.clearCaches();
    classifier.decideAll(texts);
  }
}
run(5); // JIT warm-up

const session = new Session();
session.connect();
const post = <T>(method: string): Promise<T> => new Promise((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result as T))));
await post('Profiler.enable');
await post('Profiler.start');
const c0 = process.cpuUsage();
run(passes);
const used = process.cpuUsage(c0);
const { profile } = await post<{ profile: Profiler.Profile }>('Profiler.stop');
console.log(`${Math.round((passes * texts.length) / ((used.user + used.system) / 1e6))} lines per CPU-second (batch, cold caches, profiled)`);
const hits = new Map<number, number>();
for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
const self = new Map<string, number>();
for (const node of profile.nodes) {
  const name = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}`;
  self.set(name, (self.get(name) ?? 0) + (hits.get(node.id) ?? 0));
}
const total = profile.samples?.length ?? 1;
for (const [name, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * n) / total).toFixed(1).padStart(5)} % ${name}`);
