/**
 * scikit-learn's IsolationForest on the seed's per-connection features (`basic`) of the very splits host-loco.ts
 * scores: the reference row of its tables (reference only, never imported by the product). One task per split
 * (capture × protocol × draw); sklearn_iforest.py fits it with each seed. The matrices are written to
 * out/bench/host-loco-sklearn/ and removed afterwards (KEEP_MATRICES=1 keeps them).
 * Needs bench/.venv (`pnpm bench anomaly-eval` installs it) or AIOPS_BENCH_PYTHON; without it the column is empty.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureMatrix } from '@aiops/zeek';
import { selectRows } from './forest-runs.ts';

const WORK_DIR = 'out/bench/host-loco-sklearn';

function interpreter(): string | null {
  if (process.env.AIOPS_BENCH_PYTHON) return process.env.AIOPS_BENCH_PYTHON;
  const venv = resolve('bench/.venv/bin/python');
  return existsSync(venv) ? venv : null;
}

function write(path: string, m: FeatureMatrix): string {
  writeFileSync(path, new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength));
  return path;
}

export class SklearnSeedTasks {
  private readonly tasks: { id: string; cols: number; train: string[]; test: string; labels: string }[] = [];

  constructor(private readonly seeds: readonly number[]) {
    rmSync(WORK_DIR, { recursive: true, force: true });
    mkdirSync(WORK_DIR, { recursive: true });
  }

  has(id: string): boolean {
    return this.tasks.some((t) => t.id === id);
  }

  /** `labeled`: indices of the test rows with a truth; `y`: their labels (1 = Malicious). */
  add(id: string, train: FeatureMatrix, test: FeatureMatrix, labeled: readonly number[], y: readonly number[]): void {
    const file = join(WORK_DIR, id.replace(/[^A-Za-z0-9.-]+/g, '_'));
    writeFileSync(`${file}.labels.u8`, Uint8Array.from(y));
    this.tasks.push({
      id,
      cols: train.columns,
      train: [write(`${file}.train.f64`, train)],
      test: write(`${file}.test.f64`, selectRows(test, labeled)),
      labels: `${file}.labels.u8`,
    });
  }

  /** ROC-AUC / PR-AUC per task id and seed; empty when no Python reference is installed. */
  run(): Map<string, Map<number, { roc: number; pr: number }>> {
    const out = new Map<string, Map<number, { roc: number; pr: number }>>();
    const python = interpreter();
    if (!python || this.tasks.length === 0) {
      process.stderr.write('host-loco: no scikit-learn reference (bench/.venv or AIOPS_BENCH_PYTHON): its column stays empty\n');
      return out;
    }
    const manifest = join(WORK_DIR, 'manifest.json');
    const results = join(WORK_DIR, 'sklearn.json');
    writeFileSync(manifest, JSON.stringify({ seeds: this.seeds, nEstimators: 100, tasks: this.tasks }));
    execFileSync(python, [fileURLToPath(new URL('./sklearn_iforest.py', import.meta.url)), manifest, results], { stdio: ['ignore', 'ignore', 'inherit'] });
    const parsed = JSON.parse(readFileSync(results, 'utf8')) as { results: Record<string, { seed: number; rocAuc: number; prAuc: number }[]> };
    for (const [id, runs] of Object.entries(parsed.results)) out.set(id, new Map(runs.map((r) => [r.seed, { roc: r.rocAuc, pr: r.prAuc }])));
    if (!process.env.KEEP_MATRICES) for (const f of readdirSync(WORK_DIR)) if (/\.(f64|u8)$/.test(f)) rmSync(join(WORK_DIR, f));
    return out;
  }
}
