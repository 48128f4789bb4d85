/**
 * The forecasting pipeline on a prepared regular grid: transform → fit each candidate on all but a holdout week →
 * pick the lowest holdout MASE → calibrate the bands on that holdout → refit on the whole history → undo the
 * transform. Shared by forecastSeries and the backtest, so a backtest measures exactly what production runs.
 */
import { mapBands, type Bands } from './bands.ts';
import { calibrationFactors, widen, type CalibrationFactors } from './calibration.ts';
import { mase, mape } from './metrics.ts';
import { fitPredict, type ModelName, type ProphetSettings } from './models.ts';
import { DAY, type RegularSeries } from './series-prep.ts';
import { makeTransform, type TransformName } from './transforms.ts';

export interface PipelineConfig {
  stepSeconds: number;
  /** Candidates; more than one → choice by holdout MASE. */
  models: ModelName[];
  transform: TransformName;
  prophet: ProphetSettings;
  /** Rescale the bands by what the holdout week needed (see calibration.ts). */
  calibrate?: boolean;
  /** The input is a raw monotonic counter, forecast as a per-second rate. */
  counter?: boolean;
}

interface ModelScore {
  model: ModelName;
  mase: number;
  mape: number;
  error?: string;
}

export interface PipelineForecast {
  model: ModelName;
  bands: Bands;
  /** Holdout scores of every candidate, when a holdout ran. */
  scores?: ModelScore[];
  calibration?: CalibrationFactors;
}

/** Every candidate failed to fit (reported as the series' skip reason). */
export class ModelFitError extends Error {}

/** Holdout for the model choice: a week (or the horizon if shorter), at most a quarter of the history. */
function holdoutSteps(grid: RegularSeries, horizonSteps: number): number {
  return Math.min(horizonSteps, Math.round((7 * DAY) / grid.step), Math.floor(grid.values.length / 4));
}

export function runPipeline(grid: RegularSeries, horizonSteps: number, config: PipelineConfig): PipelineForecast {
  const transform = makeTransform(config.transform);
  const z: RegularSeries = { ...grid, values: grid.values.map((v) => (v === null ? null : transform.forward(v))) };
  if (config.models.length === 1 && !config.calibrate) {
    return { model: config.models[0]!, bands: mapBands(fit(config.models[0]!, z, horizonSteps, config), transform.inverse) };
  }
  const h = holdoutSteps(grid, horizonSteps);
  const cut = grid.values.length - h;
  const trainZ: RegularSeries = { ...z, values: z.values.slice(0, cut) };
  const actual = grid.values.slice(cut);
  const season = Math.round(DAY / grid.step);
  const holdout = new Map<ModelName, Bands>();
  const scores: ModelScore[] = config.models.map((model) => {
    try {
      const bands = fit(model, trainZ, h, config);
      holdout.set(model, bands);
      const yhat = bands.yhat.map(transform.inverse);
      return { model, mase: mase(actual, yhat, grid.values.slice(0, cut), season), mape: mape(actual, yhat) };
    } catch (err) {
      return { model, mase: NaN, mape: NaN, error: (err as Error).message };
    }
  });
  // Best holdout MASE first; NaN (a failed fit, an all-null holdout) last. If the winner cannot be refitted on
  // the whole history, the next one is used.
  const ranked = scores.filter((s) => !s.error).sort((a, b) => (Number.isNaN(a.mase) ? 1 : Number.isNaN(b.mase) ? -1 : a.mase - b.mase));
  let best: ModelScore | undefined;
  let bands: Bands | undefined;
  for (const candidate of ranked) {
    try {
      bands = fitPredict(candidate.model, z, horizonSteps, config.prophet);
      best = candidate;
      break;
    } catch (err) {
      candidate.error = `refit: ${(err as Error).message.split('\n')[0]}`;
    }
  }
  if (!best || !bands) throw new ModelFitError(`no model could be fitted: ${scores.map((s) => `${s.model}: ${s.error ?? 'not tried'}`).join('; ')}`);
  let calibration: CalibrationFactors | undefined;
  if (config.calibrate) {
    calibration = calibrationFactors(z.values.slice(cut), holdout.get(best.model)!);
    bands = widen(bands, calibration);
  }
  return { model: best.model, bands: mapBands(bands, transform.inverse), scores, ...(calibration ? { calibration } : {}) };
}

function fit(model: ModelName, train: RegularSeries, horizonSteps: number, config: PipelineConfig): Bands {
  try {
    return fitPredict(model, train, horizonSteps, config.prophet);
  } catch (err) {
    if (config.models.length === 1) throw new ModelFitError(`${model} could not be fitted: ${(err as Error).message.split('\n')[0]}`);
    throw err;
  }
}
