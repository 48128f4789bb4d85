/**
 * The design card's npm package isolation-forest@0.0.9, measured for docs/adr/0004 (bench only, not a dependency):
 *   npm install --prefix /some/dir isolation-forest@0.0.9
 *   AIOPS_NPM_IFOREST_DIR=/some/dir pnpm exec tsx bench/iforest/npm-package.ts
 * Fit and scoring speed on 20,000 × 10 normal rows, next to ours; held-out ROC-AUC on ODDS mammography; whether
 * a fitted model can be serialized. Prints JSON (run.ts includes it when the variable is set).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { IsolationForest } from '@aiops/ml';
import { gaussianMatrix } from '@aiops/ml';
import { rocAuc } from '@aiops/ml';
import { evenOddSplit, loadDataset } from './datasets.ts';
import type { DenseMatrix } from '@aiops/ml';

interface NpmForest {
  fit(rows: Record<string, number>[]): unknown;
  predict(rows: Record<string, number>[]): number[];
}

export function measureNpmPackage(dir: string) {
  const require = createRequire(join(dir, 'node_modules', 'noop.js'));
  const { IsolationForest: NpmIsolationForest } = require('isolation-forest') as { IsolationForest: new (trees?: number, subsample?: number) => NpmForest };
  const version = (require('isolation-forest/package.json') as { version: string }).version;
  const asObjects = (x: DenseMatrix) =>
    Array.from({ length: x.rows }, (_, i) => Object.fromEntries(Array.from({ length: x.cols }, (_, j) => [`f${j}`, x.data[i * x.cols + j]!])));
  const seconds = (f: () => void) => {
    const t0 = performance.now();
    f();
    return (performance.now() - t0) / 1000;
  };

  const x = gaussianMatrix(20_000, 10, 5);
  const objects = asObjects(x);
  const npm = new NpmIsolationForest(100, 256);
  const npmFit = seconds(() => npm.fit(objects));
  const scoredRows = 2000;
  const npmScore = seconds(() => npm.predict(objects.slice(0, scoredRows)));
  let ours: IsolationForest | undefined;
  const oursFit = seconds(() => (ours = IsolationForest.fit(x, { seed: 0 })));
  ours!.anomalyScore(x); // first call: builds the kernel, compiles the WebAssembly (baseline tier first)
  const oursScore = seconds(() => ours!.anomalyScore(x));

  // Its trees keep the rows of every leaf, and all of X: measure the JSON of a small fit only (1,000 rows).
  const small = gaussianMatrix(1000, 10, 6);
  const smallNpm = new NpmIsolationForest(100, 256);
  smallNpm.fit(asObjects(small));
  const npmJsonBytes = JSON.stringify(smallNpm).length;
  const oursJsonBytes = JSON.stringify(IsolationForest.fit(small, { seed: 0 })).length;
  const loadMethods = Object.getOwnPropertyNames(NpmIsolationForest).filter((m) => /json|load|restore|parse/i.test(m));

  const mammography = evenOddSplit(loadDataset('mammography'));
  const npmModel = new NpmIsolationForest(100, 256);
  npmModel.fit(asObjects(mammography.train));
  const npmAuc = rocAuc(mammography.testLabels, npmModel.predict(asObjects(mammography.test)));
  const oursAuc = rocAuc(mammography.testLabels, IsolationForest.fit(mammography.train, { seed: 0 }).anomalyScore(mammography.test));

  return {
    package: `isolation-forest@${version}`,
    rows: x.rows,
    cols: x.cols,
    npm: { fitSeconds: npmFit, scoreRowsPerSecond: scoredRows / npmScore, jsonBytesOf1000RowFit: npmJsonBytes, staticLoadMethods: loadMethods, mammographyHeldOutRocAuc: npmAuc },
    ours: { fitSeconds: oursFit, scoreRowsPerSecond: x.rows / oursScore, jsonBytesOf1000RowFit: oursJsonBytes, mammographyHeldOutRocAuc: oursAuc },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.env.AIOPS_NPM_IFOREST_DIR;
  if (!dir) {
    console.error('set AIOPS_NPM_IFOREST_DIR to a folder where `npm install --prefix <folder> isolation-forest@0.0.9` ran');
    process.exit(64);
  }
  console.log(JSON.stringify(measureNpmPackage(dir), null, 2));
}
