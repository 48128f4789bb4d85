/**
 * `train`: extract → backtest model choice per series → model record + training_log.csv, MAPE gauges; forecast
 * then reuses each series' chosen model.
 */
import { capacity } from '@aiops/contracts';
import type { Command } from 'commander';
import { addJobCommand, validateBeforeRun } from '@aiops/common';
import { runCapacityForecast, type ForecastFunction } from '../prometheus/capacity-run.ts';
import { addWindowOptions, JOBS, parseWindow, prometheusOf, validateWindow, type WindowOptions } from './window.ts';

export function registerTrainCommand(program: Command, forecast: ForecastFunction): Command {
  const train = addJobCommand<WindowOptions>(program, {
    command: 'train',
    job: JOBS.train,
    description:
      'extract the window, let the backtest choose a model per series (no forecasts written), record the choice ' +
      'and its error as a versioned model record + training_log.csv row under <modelDir>/forecaster/, and push ' +
      'aiops_forecast_backtest_mape and aiops_model_info; forecast then reuses each series’ chosen model',
    options: addWindowOptions,
    run: async (ctx, options) => {
      const window = parseWindow(options, Date.now() / 1000);
      const { gauges } = await runCapacityForecast(ctx, { prometheus: prometheusOf(ctx), forecast }, {
        command: 'train',
        window,
        instances: options.instances,
        horizonDays: capacity.exhaustionHorizonDays,
      });
      return { gauges };
    },
  });
  validateBeforeRun(train, validateWindow);
  return train;
}
