/** One Prophet fit + 7-day predict, timed: the unit of work `pnpm bench forecast` compares with Python's prophet. */
import { derive80From95 } from '@aiops/ml';
import { prophetFitPredict, prophetOptions, type ProphetSettings } from '@aiops/ml';
// The bench is not a dependant of @bsull/augurs: reach packages/ml's copy (the same module instance initForecastWasm
// initialises) for the parity pass, which needs fit options production does not pass.
import { Prophet, type ProphetOptimizeOptions } from '@bsull/augurs/prophet';

export interface BenchSeries {
  name: string;
  ds: number[];
  y: number[];
  future: number[];
}

export interface BenchResult {
  name: string;
  fitSeconds: number;
  predictSeconds: number;
  yhat: number[];
  lower: number[];
  upper: number[];
}

export function fitAndPredict(s: BenchSeries, settings: ProphetSettings, intervalWidth: number): BenchResult {
  const run = prophetFitPredict(s.ds, s.y, s.future, settings, intervalWidth);
  return { name: s.name, fitSeconds: run.fitSeconds, predictSeconds: run.predictSeconds, yhat: run.yhat, lower: run.lower, upper: run.upper };
}

/**
 * The parity pass: production's model options (prophetOptions) fitted with explicit Stan optimizer options, so both
 * libraries run the same algorithm with the same iteration cap and tolerances (prophet_ref.py gets the same as "fit").
 * yhat only: the point forecast does not depend on the interval draws.
 */
export function fitAndPredictWith(s: BenchSeries, settings: ProphetSettings, intervalWidth: number, fit: ProphetOptimizeOptions): number[] {
  const model = new Prophet(prophetOptions({ ...settings, uncertaintySamples: 0 }, intervalWidth));
  try {
    model.fit({ ds: s.ds, y: s.y }, fit);
    return model.predict({ ds: s.future }).yhat.point;
  } finally {
    model.free();
  }
}

/**
 * How far the 80 % band derived from the 95 % one (production's single fit) is from a second fit at 0.8, as a
 * share of the 95 % band's width; and what each way costs.
 */
export function derivedVsDirect80(s: BenchSeries, settings: ProphetSettings) {
  const at95 = fitAndPredict(s, settings, 0.95);
  const at80 = fitAndPredict(s, settings, 0.8);
  const derived = derive80From95(at95.yhat, at95.lower, at95.upper);
  let maxShare = 0;
  let sumShare = 0;
  at95.yhat.forEach((_, i) => {
    const width = at95.upper[i]! - at95.lower[i]!;
    const d = Math.max(Math.abs(derived.lower80[i]! - at80.lower[i]!), Math.abs(derived.upper80[i]! - at80.upper[i]!)) / width;
    maxShare = Math.max(maxShare, d);
    sumShare += d;
  });
  return {
    maxShareOfBand95: maxShare,
    meanShareOfBand95: sumShare / at95.yhat.length,
    secondsOneFit: at95.fitSeconds + at95.predictSeconds,
    secondsTwoFits: at95.fitSeconds + at95.predictSeconds + at80.fitSeconds + at80.predictSeconds,
  };
}
