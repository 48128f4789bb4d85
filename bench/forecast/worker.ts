/** worker_threads entry for the 50-series run: fits the series it is sent, one at a time. */
import { parentPort, workerData } from 'node:worker_threads';
import { initForecastWasm } from '@aiops/ml';
import { fitAndPredict, type BenchSeries } from './prophet-job.ts';
import type { ProphetSettings } from '@aiops/ml';

const { series, settings, intervalWidth } = workerData as { series: BenchSeries[]; settings: ProphetSettings; intervalWidth: number };
await initForecastWasm();
parentPort!.postMessage(series.map((s) => fitAndPredict(s, settings, intervalWidth)));
