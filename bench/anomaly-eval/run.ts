/**
 * `pnpm bench anomaly-eval`: the network anomaly evaluations of docs/evaluation/network.md in one run —
 * injected attacks into benign CTU traffic (injection.ts) and ours vs scikit-learn on the labeled CTU days
 * (ctu.ts, the Python reference side by side). Prints the tables, writes out/bench/anomaly-eval.json and the
 * plots docs/evaluation/img/network-*.svg. `… run.ts injection` or `… run.ts ctu` runs one part.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { ctuPlot, ctuTable, runCtuEval } from './ctu.ts';
import { injectionPlots, injectionTables, runInjectionEval } from './injection.ts';

const only = process.argv[2];
if (only !== undefined && only !== 'injection' && only !== 'ctu') {
  process.stderr.write(`usage: run.ts [injection|ctu]\n`);
  process.exit(64);
}
const IMG = 'docs/evaluation/img';
mkdirSync('out/bench', { recursive: true });
const report: Record<string, unknown> = { ranAt: new Date().toISOString() };
if (only !== 'ctu') {
  const injection = await runInjectionEval();
  console.log(`${injectionTables(injection)}\n`);
  await injectionPlots(injection, IMG);
  report.injection = injection;
}
if (only !== 'injection') {
  const ctu = await runCtuEval();
  console.log(`${ctuTable(ctu)}\n`);
  await ctuPlot(ctu, IMG);
  report.ctu = ctu;
}
writeFileSync('out/bench/anomaly-eval.json', `${JSON.stringify(report, null, 2)}\n`);
