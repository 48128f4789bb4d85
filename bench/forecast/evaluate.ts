/**
 * `pnpm exec tsx bench/forecast/evaluate.ts [--quick]`: the forecast evaluation of docs/evaluation/forecast.md.
 * Rolling-origin backtests (21-day sliding window, 7-day horizon, a cutoff every 7 days) on real series; the
 * priors are tuned on the Bitbrains folds whose scored week ends by day 42 and every table is scored on the later
 * folds only (held out). Rewrites the results section of docs/evaluation/forecast.md and its SVGs; --quick skips
 * the slow 5-minute baseline (for iterating), --no-doc only prints.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { backtestPipeline, type BacktestReport } from '@aiops/ml';
import { TUNED_PROPHET } from '@aiops/ml';
import type { ProphetSettings } from '@aiops/ml';
import { initForecastWasm } from '@aiops/ml';
import { evaluateExhaustion, exhaustionMarkdown } from './exhaustion-eval.ts';
import { plotBacktest } from './plots.ts';
import { evaluationSeries, headDays, REPO_ROOT, type Kind, type RealSeries } from './real-series.ts';
import { PRIOR_GRID, REFERENCES, STEPS, type Step } from './steps.ts';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const WINDOW = { windowDays: 21, periodDays: 7, horizonDays: 7 };
/** Bitbrains folds scored up to day 42 tune; later folds test. The aggregates (≤ 30 days) only test. */
const TUNE_END_DAYS = 42;
const TARGET_MAPE: Record<Kind, number> = { cpu: 10, memory: 10, disk: 15, network: 15 };

await initForecastWasm();
const all = evaluationSeries();
const isVm = (s: RealSeries) => s.name.startsWith('bitbrains');

function testBacktest(s: RealSeries, step: Step, tuned: ProphetSettings): BacktestReport | { reason: string } {
  // Test cutoffs start at day 42 (Bitbrains) — all of them before are the tuning folds.
  return backtestPipeline(s.series, step.config(s, tuned), { ...WINDOW, initialDays: isVm(s) ? TUNE_END_DAYS : 21 });
}

function log(message: string) {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

// 1. Tune the priors on the tuning folds (VM series cut at day 42 + 7: cutoffs 21, 28, 35).
log(`tuning ${PRIOR_GRID.length} prior settings on ${all.filter(isVm).length} VM series`);
const tuningRows = PRIOR_GRID.map((prophet) => {
  const reports = all.filter(isVm).map((s) =>
    backtestPipeline(headDays(s.series, TUNE_END_DAYS), { stepSeconds: 3600, models: ['prophet'], transform: s.bounded ? 'logit' : 'none', prophet }, { ...WINDOW, initialDays: 21 }),
  );
  const ok = reports.filter((r): r is BacktestReport => !('reason' in r));
  const mean = (f: (r: BacktestReport) => number) => ok.reduce((a, r) => a + f(r), 0) / ok.length;
  return { prophet, fitted: ok.length, of: reports.length, mase: mean((r) => r.mase), mape: mean((r) => r.mape), coverage95: mean((r) => r.coverage95) };
});
// A setting that fails to fit some series is out: production must forecast them all.
const best = tuningRows.filter((r) => r.fitted === r.of).reduce((a, b) => (b.mase < a.mase ? b : a));
const tuned = best.prophet;
const sameAsProduction = tuned.changepointPriorScale === TUNED_PROPHET.changepointPriorScale && tuned.seasonalityPriorScale === TUNED_PROPHET.seasonalityPriorScale;
log(`tuned: ${JSON.stringify(tuned)} (production TUNED_PROPHET ${sameAsProduction ? 'matches' : 'DIFFERS: update packages/ml/src/forecast/index.ts'})`);

// 2. Every step and reference on the held-out folds.
type Row = { step: Step; series: RealSeries; report: BacktestReport | { reason: string }; seconds: number };
const rows: Row[] = [];
for (const step of [...STEPS, ...REFERENCES]) {
  if (quick && step.id === 'default-5min') continue;
  for (const s of all) {
    const t0 = performance.now();
    const report = testBacktest(s, step, tuned);
    rows.push({ step, series: s, report, seconds: (performance.now() - t0) / 1000 });
  }
  log(`${step.id} done`);
}

const fmt = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '–');
const groups: { label: string; filter: (s: RealSeries) => boolean }[] = [
  { label: 'VM CPU', filter: (s) => isVm(s) && s.kind === 'cpu' },
  { label: 'VM memory', filter: (s) => isVm(s) && s.kind === 'memory' },
  { label: 'VM disk I/O', filter: (s) => s.kind === 'disk' },
  { label: 'VM network', filter: (s) => s.kind === 'network' },
  { label: 'Azure/Google aggregates', filter: (s) => !isVm(s) },
];

function stepTable(): string {
  const lines = [
    `| step | ${groups.map((g) => `${g.label}: MAPE / sMAPE / MASE / cov80 / cov95`).join(' | ')} | seconds |`,
    `|---|${groups.map(() => '---').join('|')}|---|`,
  ];
  for (const step of [...STEPS, ...REFERENCES]) {
    const mine = rows.filter((r) => r.step === step);
    if (!mine.length) continue;
    const cells = groups.map((g) => {
      const rs = mine.filter((r) => g.filter(r.series)).map((r) => r.report).filter((r): r is BacktestReport => !('reason' in r));
      const failed = mine.filter((r) => g.filter(r.series) && 'reason' in r.report).length;
      const m = (f: (r: BacktestReport) => number) => rs.reduce((a, r) => a + f(r), 0) / rs.length;
      return `${fmt(m((r) => r.mape))} / ${fmt(m((r) => r.smape))} / ${fmt(m((r) => r.mase), 2)} / ${fmt(m((r) => r.coverage80), 2)} / ${fmt(m((r) => r.coverage95), 2)}${failed ? ` (${failed} failed)` : ''}`;
    });
    lines.push(`| ${step.label} | ${cells.join(' | ')} | ${fmt(mine.reduce((a, r) => a + r.seconds, 0), 0)} |`);
  }
  return lines.join('\n');
}

function seriesTable(stepId: string): string {
  const lines = [
    '| series | model(s) chosen | MAPE % | sMAPE % | MASE | cov80 | cov95 | Durbin-Watson | target | met |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows.filter((x) => x.step.id === stepId)) {
    if ('reason' in r.report) {
      lines.push(`| ${r.series.name} | skipped: ${r.report.reason} | | | | | | | | |`);
      continue;
    }
    const b = r.report;
    const models = [...new Set(b.folds.map((f) => f.model))].map((m) => `${m} ×${b.folds.filter((f) => f.model === m).length}`).join(', ');
    const target = TARGET_MAPE[r.series.kind];
    const met = b.mape < target && b.coverage95 >= 0.9 && b.coverage95 <= 0.99;
    lines.push(
      `| ${r.series.name} | ${models} | ${fmt(b.mape)} | ${fmt(b.smape)} | ${fmt(b.mase, 2)} | ${fmt(b.coverage80, 2)} | ${fmt(b.coverage95, 2)} | ${fmt(b.durbin_watson, 2)} | < ${target} %, 0.90–0.99 | ${met ? 'yes' : 'no'} |`,
    );
  }
  return lines.join('\n');
}

const tuningTable = [
  '| changepoint prior | seasonality prior | series fitted | mean MASE | mean MAPE % | mean cov95 |',
  '|---|---|---|---|---|---|',
  ...tuningRows.map(
    (r) =>
      `| ${r.prophet.changepointPriorScale} | ${r.prophet.seasonalityPriorScale} | ${r.fitted}/${r.of} | ${fmt(r.mase, 3)} | ${fmt(r.mape)} | ${fmt(r.coverage95, 2)} |`,
  ),
].join('\n');

// 3. Plots of the production step and days to exhaustion.
const imgDir = join(REPO_ROOT, 'docs/evaluation/img');
for (const r of rows.filter((x) => x.step.id === 'calibrated')) {
  if (!('reason' in r.report)) await plotBacktest(join(imgDir, `forecast-${r.series.name}.svg`), r.series, r.report);
}
log('plots written');
const exhaustion = await evaluateExhaustion(imgDir);
log('days to exhaustion done');

const results = [
  `Generated by \`pnpm exec tsx bench/forecast/evaluate.ts\` on ${new Date().toISOString().slice(0, 10)}${quick ? ' (--quick: no 5-minute baseline)' : ''}.`,
  '',
  '### Priors, tuned on the tuning folds (Bitbrains, scored weeks ending by day 42; hourly, logit for percentages)',
  '',
  tuningTable,
  '',
  `Chosen: changepoint prior ${tuned.changepointPriorScale}, seasonality prior ${tuned.seasonalityPriorScale} (lowest mean MASE among settings that fit every series)` +
    `${sameAsProduction ? '; this is `TUNED_PROPHET` in packages/ml/src/forecast/index.ts.' : '; DIFFERS from `TUNED_PROPHET` — update it.'}`,
  '',
  '### Each step on the held-out folds (mean over the series of each group)',
  '',
  stepTable(),
  '',
  '### Per series, production configuration (held-out folds)',
  '',
  seriesTable('calibrated'),
  '',
  '### Per series, default Prophet at 5 minutes (the seed)',
  '',
  quick ? '(skipped with --quick)' : seriesTable('default-5min'),
  '',
  '### Days to exhaustion',
  '',
  exhaustionMarkdown(exhaustion),
].join('\n');

mkdirSync(join(REPO_ROOT, 'out/evaluation'), { recursive: true });
writeFileSync(join(REPO_ROOT, 'out/evaluation/forecast-results.md'), `${results}\n`);
writeFileSync(
  join(REPO_ROOT, 'out/evaluation/forecast.json'),
  JSON.stringify(
    rows.map((r) => ({ step: r.step.id, series: r.series.name, seconds: r.seconds, ...('reason' in r.report ? r.report : { ...r.report, folds: r.report.folds.map(({ forecast: _f, actual: _a, ...f }) => f) }) })),
    (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    1,
  ),
);
const docPath = join(REPO_ROOT, 'docs/evaluation/forecast.md');
if (!args.has('--no-doc')) {
  const doc = readFileSync(docPath, 'utf8');
  const begin = '<!-- results:begin -->';
  const end = '<!-- results:end -->';
  if (!doc.includes(begin) || !doc.includes(end)) throw new Error(`${docPath}: no ${begin} … ${end} section to rewrite`);
  writeFileSync(docPath, `${doc.slice(0, doc.indexOf(begin) + begin.length)}\n${results}\n${doc.slice(doc.indexOf(end))}`);
}
process.stdout.write(`${results}\n`);
