/**
 * The benchmark tables of Liu et al. (2008) as staged in ../shared/data (see its SOURCES.md), loaded exactly as
 * sklearn_iforest.py loads them: KDD Cup 99 10 % http (service http, logged_in 1; log(x + 0.1) of duration,
 * src_bytes, dst_bytes — scikit-learn's fetch_kddcup99 subset), ODDS smtp (already log-transformed) and ODDS
 * mammography.
 */
import { readFileSync } from 'node:fs';
import type { DenseMatrix } from '@aiops/ml';

export const DATASETS = ['kdd-http', 'odds-smtp', 'mammography'] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface LabeledTable {
  x: DenseMatrix;
  labels: Uint8Array;
}

import { externalData } from '@aiops/datasets';

const SPECS: Record<DatasetName, { file: string; features: string[]; label: string; transform?: (v: number) => number }> = {
  'kdd-http': {
    file: 'kddcup99/kdd99_10pct_http_loggedin.csv',
    features: ['duration', 'src_bytes', 'dst_bytes'],
    label: 'is_attack',
    transform: (v) => Math.log(v + 0.1),
  },
  'odds-smtp': { file: 'odds-outlier-benchmarks/smtp.csv', features: ['f0', 'f1', 'f2'], label: 'label' },
  mammography: {
    file: 'odds-outlier-benchmarks/mammography.csv',
    features: ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'],
    label: 'label',
  },
};

export function loadDataset(name: DatasetName): LabeledTable {
  const spec = SPECS[name];
  const path = externalData(spec.file);
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const header = lines[0]!.split(',');
  const columns = spec.features.map((f) => header.indexOf(f));
  const labelColumn = header.indexOf(spec.label);
  if (columns.includes(-1) || labelColumn < 0) throw new Error(`${path}: header lacks one of ${spec.features.join(',')},${spec.label}`);
  const rows = lines.length - 1;
  const data = new Float64Array(rows * columns.length);
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const cells = lines[i + 1]!.split(',');
    columns.forEach((c, j) => {
      const raw = Number(cells[c]);
      if (!Number.isFinite(raw)) throw new Error(`${path}:${i + 2}: field ${spec.features[j]} is not a number: ${cells[c]}`);
      data[i * columns.length + j] = spec.transform ? spec.transform(raw) : raw;
    });
    const label = Number(cells[labelColumn]);
    if (label !== 0 && label !== 1) throw new Error(`${path}:${i + 2}: field ${spec.label} is ${cells[labelColumn]}, expected 0 or 1`);
    labels[i] = label;
  }
  return { x: { data, rows, cols: columns.length }, labels };
}

/** Even rows for fitting, odd rows for scoring: the held-out split both sides use. */
export function evenOddSplit(table: LabeledTable): { train: DenseMatrix; test: DenseMatrix; testLabels: Uint8Array } {
  const { x, labels } = table;
  const trainRows = Math.ceil(x.rows / 2);
  const testRows = x.rows - trainRows;
  const train = new Float64Array(trainRows * x.cols);
  const test = new Float64Array(testRows * x.cols);
  const testLabels = new Uint8Array(testRows);
  for (let i = 0; i < x.rows; i++) {
    const row = x.data.subarray(i * x.cols, (i + 1) * x.cols);
    if (i % 2 === 0) train.set(row, (i / 2) * x.cols);
    else {
      test.set(row, ((i - 1) / 2) * x.cols);
      testLabels[(i - 1) / 2] = labels[i]!;
    }
  }
  return { train: { data: train, rows: trainRows, cols: x.cols }, test: { data: test, rows: testRows, cols: x.cols }, testLabels };
}
