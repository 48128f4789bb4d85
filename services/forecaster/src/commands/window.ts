/**
 * The history window every Prometheus-mode command reads (--days, --step, --end, --instances), declared and
 * checked once; and the forecaster's job names (locks, logs and the aiops_job_*{job} gauges: the stale-forecast
 * alert watches job="forecaster").
 */
import { jobs } from '@aiops/contracts';
import type { Command } from 'commander';
import { PrometheusClient, type JobContext } from '@aiops/common';
import { instanceMatchers } from '../prometheus/capacity-queries.ts';
import { DEFAULT_HISTORY_DAYS, DEFAULT_STEP_SECONDS, historyWindow, type ExtractWindow } from '../prometheus/extract.ts';

export const JOBS = { extract: 'forecaster-extract', train: jobs.forecastTrain.name, forecast: jobs.forecast.name } as const;

export interface WindowOptions {
  days: string;
  step: string;
  end?: string;
  instances?: string;
}

export function addWindowOptions(c: Command): Command {
  return c
    .option('--days <n>', 'days of history to read', String(DEFAULT_HISTORY_DAYS))
    .option('--step <seconds>', 'query_range step in seconds', String(DEFAULT_STEP_SECONDS))
    .option('--end <time>', 'end of the window: ISO 8601 or epoch seconds (default: now), aligned down to the step')
    .option('--instances <regex>', 'only hosts whose Prometheus instance label matches this regular expression');
}

function positiveNumber(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: expected a positive number, got "${raw}"`);
  return n;
}

function parseTime(raw: string): number {
  const asNumber = Number(raw);
  const seconds = /^\d+(\.\d+)?$/.test(raw.trim()) ? asNumber : Date.parse(raw) / 1000;
  if (!Number.isFinite(seconds)) throw new Error(`--end: "${raw}" is neither ISO 8601 nor epoch seconds`);
  return seconds;
}

export function parseWindow(options: WindowOptions, nowSeconds: number): ExtractWindow {
  const end = options.end === undefined ? nowSeconds : parseTime(options.end);
  return historyWindow(end, positiveNumber('--days', options.days), positiveNumber('--step', options.step));
}

export function validateWindow(options: Record<string, string | undefined>): void {
  parseWindow(options as unknown as WindowOptions, Date.now() / 1000);
  instanceMatchers(options.instances);
}

export function prometheusOf(ctx: JobContext): PrometheusClient {
  return new PrometheusClient(ctx.config.prometheus.url, { logger: ctx.logger });
}
