/**
 * Labeled real data: our Isolation Forest and scikit-learn's on the SAME feature matrices, CTU days 008/010/011/012,
 * leave one day out (train on the other three days, evaluate on the held-out one; never on training rows):
 *   raw       each day as captured (Malicious is the majority there: an unsupervised model learns the attacks as
 *             normal, so AUC is low for everyone; reported for parity). Training uses every row (Background
 *             included); metrics use the held-out day's Benign (0) and Malicious (1) rows.
 *   mix-5%    every Benign row + Malicious rows drawn to make 5 % of the day (Background dropped), 5 draws; the
 *   mix-1%    forest trains on the other days' mixtures of the same draw (unlabeled, benign-dominant).
 * Features: basic and aggregates, computed per day on that day's rows (for mixtures: after the draw). Forest
 * seeds 0–4, 100 trees, ψ = 256, for both implementations. The matrices go to out/bench/anomaly-eval/ as float64
 * files and bench/anomaly-eval/sklearn_iforest.py scores them with scikit-learn in the same run.
 * Run: pnpm exec tsx bench/anomaly-eval/ctu.ts  (writes out/bench/anomaly-eval-ctu.json + a plot; KEEP_MATRICES=1
 * keeps the exported matrices in out/bench/anomaly-eval/; CTU_DRAWS=0 runs one mixture draw instead of five, for a quick look)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConnRecord } from '@aiops/zeek';
import { writeSvg } from '@aiops/plots';
import { CTU_DAYS, isBenign, isMalicious, loadCtuDays, mixture, rotationOf, type CtuDay } from './ctu-data.ts';
import { features, FEATURE_SETS, fitForest, mean, ranking, selectRows, stack, std, dense } from './forest-runs.ts';
import type { FeatureMatrix } from '@aiops/zeek';

const SEEDS = [0, 1, 2, 3, 4];
const DRAWS = (process.env.CTU_DRAWS ?? '0,1,2,3,4').split(',').map(Number);
const SCENARIOS = [
  { name: 'raw', share: null },
  { name: 'mix-5%', share: 0.05 },
  { name: 'mix-1%', share: 0.01 },
] as const;
const WORK_DIR = 'out/bench/anomaly-eval';

export interface CtuRow {
  scenario: string;
  /** held-out: rotations 010/011/012 (the figures that count); validation: 008, where the features were chosen. */
  rotation: 'held-out' | 'validation';
  featureSet: string;
  runs: number;
  oursRocAuc: number;
  oursRocStd: number;
  sklearnRocAuc: number;
  oursPrAuc: number;
  sklearnPrAuc: number;
  maliciousShare: number;
  oursFitMs: number;
  sklearnFitMs: number;
}

interface Task {
  id: string;
  scenario: string;
  rotation: 'held-out' | 'validation';
  featureSet: string;
  cols: number;
  train: string[];
  test: string;
  labels: string;
  ours: { rocAuc: number; prAuc: number; fitMs: number }[];
}

function writeMatrix(path: string, m: FeatureMatrix): string {
  writeFileSync(path, new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength));
  return path;
}

function pythonInterpreter(): string {
  const fromEnv = process.env.AIOPS_BENCH_PYTHON;
  if (fromEnv) return fromEnv;
  const venv = resolve('bench/.venv/bin/python');
  if (existsSync(venv)) return venv;
  throw new Error('no Python reference: run `pnpm bench anomaly-eval` (installs bench/.venv) or set AIOPS_BENCH_PYTHON');
}

export async function runCtuEval(): Promise<{ rows: CtuRow[]; sklearn: string }> {
  const days = await loadCtuDays();
  rmSync(WORK_DIR, { recursive: true, force: true });
  mkdirSync(WORK_DIR, { recursive: true });
  const tasks: Task[] = [];
  const shares = new Map<string, number[]>();

  for (const scenario of SCENARIOS) {
    for (const draw of scenario.share === null ? [0] : DRAWS) {
      const data = new Map<CtuDay, ConnRecord[]>(
        CTU_DAYS.map((d, i) => [d, scenario.share === null ? days.get(d)! : mixture(days.get(d)!, scenario.share, 1000 * draw + i)]),
      );
      for (const featureSet of FEATURE_SETS) {
        const files = new Map<CtuDay, string>();
        const matrices = new Map<CtuDay, FeatureMatrix>();
        for (const d of CTU_DAYS) {
          const m = features(data.get(d)!, featureSet);
          matrices.set(d, m);
          files.set(d, writeMatrix(join(WORK_DIR, `${scenario.name}-${draw}-${featureSet}-${d}.train.f64`), m));
        }
        for (const day of CTU_DAYS) {
          const records = data.get(day)!;
          const labeled = records.flatMap((r, i) => (isBenign(r) || isMalicious(r) ? [i] : []));
          const labels = Uint8Array.from(labeled, (i) => (isMalicious(records[i]!) ? 1 : 0));
          const test = selectRows(matrices.get(day)!, labeled);
          const id = `${scenario.name}-${draw}-${featureSet}-${day}`;
          const train = stack(CTU_DAYS.filter((d) => d !== day).map((d) => matrices.get(d)!));
          const ours = SEEDS.map((seed) => {
            const started = performance.now();
            const forest = fitForest(train, seed);
            const fitMs = performance.now() - started;
            return { ...ranking(labels, forest.anomalyScore(dense(test))), fitMs };
          });
          writeFileSync(join(WORK_DIR, `${id}.labels.u8`), labels);
          tasks.push({
            id,
            scenario: scenario.name,
            rotation: rotationOf(day),
            featureSet,
            cols: test.columns,
            train: CTU_DAYS.filter((d) => d !== day).map((d) => files.get(d)!),
            test: writeMatrix(join(WORK_DIR, `${id}.test.f64`), test),
            labels: join(WORK_DIR, `${id}.labels.u8`),
            ours,
          });
          const key = `${scenario.name}/${featureSet}/${rotationOf(day)}`;
          shares.set(key, [...(shares.get(key) ?? []), mean(Array.from(labels))]);
        }
      }
    }
  }

  const manifest = join(WORK_DIR, 'manifest.json');
  const output = join(WORK_DIR, 'sklearn.json');
  writeFileSync(manifest, JSON.stringify({ seeds: SEEDS, nEstimators: 100, tasks: tasks.map(({ ours: _ours, ...t }) => t) }));
  execFileSync(pythonInterpreter(), [fileURLToPath(new URL('./sklearn_iforest.py', import.meta.url)), manifest, output], { stdio: 'inherit' });
  const sk = JSON.parse(readFileSync(output, 'utf8')) as {
    sklearn: string;
    results: Record<string, { rocAuc: number; prAuc: number; fitSeconds: number }[]>;
  };
  // The matrices (~75 MB) are reproducible from the data; keep only the manifest and scikit-learn's results.
  if (!process.env.KEEP_MATRICES) {
    for (const f of readdirSync(WORK_DIR)) if (f.endsWith('.f64') || f.endsWith('.u8')) rmSync(join(WORK_DIR, f));
  }

  const rows: CtuRow[] = [];
  for (const rotation of ['held-out', 'validation'] as const) {
  for (const scenario of SCENARIOS) {
    for (const featureSet of FEATURE_SETS) {
      const group = tasks.filter((t) => t.scenario === scenario.name && t.featureSet === featureSet && t.rotation === rotation);
      const ours = group.flatMap((t) => t.ours);
      const theirs = group.flatMap((t) => sk.results[t.id]!);
      rows.push({
        scenario: scenario.name,
        rotation,
        featureSet,
        runs: ours.length,
        oursRocAuc: mean(ours.map((r) => r.rocAuc)),
        oursRocStd: std(ours.map((r) => r.rocAuc)),
        sklearnRocAuc: mean(theirs.map((r) => r.rocAuc)),
        oursPrAuc: mean(ours.map((r) => r.prAuc)),
        sklearnPrAuc: mean(theirs.map((r) => r.prAuc)),
        maliciousShare: mean(shares.get(`${scenario.name}/${featureSet}/${rotation}`)!),
        oursFitMs: mean(ours.map((r) => r.fitMs)),
        sklearnFitMs: 1000 * mean(theirs.map((r) => r.fitSeconds)),
      });
    }
  }
  }
  return { rows, sklearn: sk.sklearn };
}

export function ctuTable(r: { rows: CtuRow[]; sklearn: string }): string {
  const lines = [
    `CTU days, leave one day out; mean over folds × draws × 5 seeds (scikit-learn ${r.sklearn} on the same matrices); held-out = rotations 010/011/012, validation = 008`,
    '',
    '| rotation | scenario | features | malicious share (test) | runs | ROC-AUC ours | ROC-AUC sklearn | Δ | PR-AUC ours | PR-AUC sklearn | fit ms ours / sklearn |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const x of r.rows) {
    lines.push(
      `| ${x.rotation} | ${x.scenario} | ${x.featureSet} | ${(100 * x.maliciousShare).toFixed(1)} % | ${x.runs} | ${x.oursRocAuc.toFixed(3)} ± ${x.oursRocStd.toFixed(3)} | ${x.sklearnRocAuc.toFixed(3)} | ${(x.oursRocAuc - x.sklearnRocAuc).toFixed(3)} | ${x.oursPrAuc.toFixed(3)} | ${x.sklearnPrAuc.toFixed(3)} | ${x.oursFitMs.toFixed(0)} / ${x.sklearnFitMs.toFixed(0)} |`,
    );
  }
  return lines.join('\n');
}

export async function ctuPlot(r: { rows: CtuRow[] }, dir: string): Promise<void> {
  const values = r.rows.filter((x) => x.rotation === 'held-out').flatMap((x) => [
    { config: `${x.scenario} ${x.featureSet}`, metric: 'ROC-AUC', implementation: 'ours', value: x.oursRocAuc },
    { config: `${x.scenario} ${x.featureSet}`, metric: 'ROC-AUC', implementation: 'scikit-learn', value: x.sklearnRocAuc },
    { config: `${x.scenario} ${x.featureSet}`, metric: 'PR-AUC', implementation: 'ours', value: x.oursPrAuc },
    { config: `${x.scenario} ${x.featureSet}`, metric: 'PR-AUC', implementation: 'scikit-learn', value: x.sklearnPrAuc },
  ]);
  await writeSvg(`${dir}/network-ctu-auc.svg`, {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'CTU labeled days, held-out rotations 010-012: ours vs scikit-learn on the same features',
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', title: null } },
    spec: {
      width: 300,
      height: 200,
      mark: 'bar',
      encoding: {
        x: { field: 'config', type: 'nominal', title: null },
        xOffset: { field: 'implementation' },
        y: { field: 'value', type: 'quantitative', scale: { domain: [0, 1] }, title: null },
        color: { field: 'implementation', type: 'nominal' },
      },
    },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await runCtuEval();
  console.log(ctuTable(results));
  writeFileSync('out/bench/anomaly-eval-ctu.json', `${JSON.stringify(results, null, 2)}\n`);
  await ctuPlot(results, 'docs/evaluation/img');
}
