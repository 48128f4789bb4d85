/**
 * Injection evaluation: synthetic attacks (packages/zeek/src/injection) blended into the Benign rows of a real
 * CTU day, scored by a forest trained on the Benign rows of the three OTHER days (leave one day out; the
 * held-out day's benign rows and the attacks are never seen in training). The benign base of every day also holds
 * real DNS from the WRCCDC dns.log (dns-data.ts; other DNS clients per day), since the CTU days hold none.
 * Figures are means over the three held-out rotations (010, 011, 012); the validation rotation (008), on which
 * the features were chosen, is reported apart.
 *   1. detection rate per attack type at contamination 0.01, basic vs aggregates features, each type injected
 *      alone (seeds 0–4 for both the injection and the forest), with the benign false-positive rate;
 *   2. contamination sweep 0.005–0.10: all five types injected together, pooled precision and recall per point.
 * Run: pnpm exec tsx bench/anomaly-eval/injection.ts  (writes out/bench/anomaly-eval-injection.json + plots)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ATTACK_TYPES, blendBenignDns, injectAttacks, type AttackType, type ConnRecord } from '@aiops/zeek';
import { writeSvg } from '../lib/plot.ts';
import { CTU_DAYS, isBenign, loadCtuDays, VALIDATION_DAY, type CtuDay } from './ctu-data.ts';
import { loadDnsChunksByDay } from './dns-data.ts';
import { dense, features, FEATURE_SETS, fitForest, mean, stack } from './forest-runs.ts';

export const SEEDS = [0, 1, 2, 3, 4];
export const SWEEP = [0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1];
const CONTAMINATION = 0.01;

export interface DetectionRow {
  featureSet: string;
  attack: AttackType;
  detectionRate: number;
  minDetectionRate: number;
  /** On the validation rotation (held-out day 008), where the features were chosen. */
  validationRate: number;
  attackRows: number;
}

export interface SweepPoint {
  featureSet: string;
  contamination: number;
  precision: number;
  recall: number;
  benignFlagRate: number;
}

export interface InjectionResults {
  contamination: number;
  seeds: number[];
  detection: DetectionRow[];
  benignFalsePositiveRate: Record<string, number>;
  sweep: SweepPoint[];
}

function flaggedShare(records: readonly ConnRecord[], attackTypes: readonly (AttackType | null)[], predicted: Int8Array) {
  let attacks = 0;
  let caught = 0;
  let benign = 0;
  let falseAlarms = 0;
  records.forEach((_, i) => {
    const isAttack = attackTypes[i] !== null;
    const flagged = predicted[i] === -1;
    if (isAttack) {
      attacks++;
      if (flagged) caught++;
    } else {
      benign++;
      if (flagged) falseAlarms++;
    }
  });
  return { attacks, caught, benign, falseAlarms };
}

export async function runInjectionEval(): Promise<InjectionResults> {
  const days = await loadCtuDays();
  const dns = await loadDnsChunksByDay();
  const benignOf = new Map<CtuDay, ConnRecord[]>(
    CTU_DAYS.map((d, i) => [d, blendBenignDns(days.get(d)!.filter(isBenign), dns.get(d)!, { seed: 100 + i }).records]),
  );
  const detection: DetectionRow[] = [];
  const benignFalsePositiveRate: Record<string, number> = {};
  const sweep: SweepPoint[] = [];

  for (const featureSet of FEATURE_SETS) {
    const trainOf = new Map(CTU_DAYS.map((d) => [d, features(benignOf.get(d)!, featureSet)]));
    const rates = new Map<AttackType, number[]>(ATTACK_TYPES.map((t) => [t, []]));
    const validation = new Map<AttackType, number[]>(ATTACK_TYPES.map((t) => [t, []]));
    const attackRows = new Map<AttackType, number>(ATTACK_TYPES.map((t) => [t, 0]));
    const fpr: number[] = [];
    const pooled = new Map(SWEEP.map((c) => [c, { tp: 0, fp: 0, fn: 0, benign: 0 }]));

    for (const day of CTU_DAYS) {
      const train = stack(CTU_DAYS.filter((d) => d !== day).map((d) => trainOf.get(d)!));
      for (const seed of SEEDS) {
        const forest = fitForest(train, seed, CONTAMINATION);
        for (const attack of ATTACK_TYPES) {
          const capture = injectAttacks(benignOf.get(day)!, { seed, attacks: [attack] });
          const predicted = forest.predict(dense(features(capture.records, featureSet)));
          const counts = flaggedShare(capture.records, capture.attackTypes, predicted);
          if (day === VALIDATION_DAY) {
            validation.get(attack)!.push(counts.caught / counts.attacks);
            continue;
          }
          rates.get(attack)!.push(counts.caught / counts.attacks);
          attackRows.set(attack, attackRows.get(attack)! + counts.attacks);
          fpr.push(counts.falseAlarms / counts.benign);
        }
        if (day === VALIDATION_DAY) continue;
        const all = injectAttacks(benignOf.get(day)!, { seed, attacks: ATTACK_TYPES });
        const allFeatures = dense(features(all.records, featureSet));
        for (const contamination of SWEEP) {
          // Same seed = same trees; only the threshold (the training-score quantile) moves with the contamination.
          const predicted = fitForest(train, seed, contamination).predict(allFeatures);
          const c = flaggedShare(all.records, all.attackTypes, predicted);
          const p = pooled.get(contamination)!;
          p.tp += c.caught;
          p.fp += c.falseAlarms;
          p.fn += c.attacks - c.caught;
          p.benign += c.benign;
        }
      }
    }
    for (const attack of ATTACK_TYPES) {
      const r = rates.get(attack)!;
      detection.push({ featureSet, attack, detectionRate: mean(r), minDetectionRate: Math.min(...r), validationRate: mean(validation.get(attack)!), attackRows: attackRows.get(attack)! });
    }
    benignFalsePositiveRate[featureSet] = mean(fpr);
    for (const [contamination, p] of pooled) {
      sweep.push({ featureSet, contamination, precision: p.tp / Math.max(1, p.tp + p.fp), recall: p.tp / (p.tp + p.fn), benignFlagRate: p.fp / p.benign });
    }
  }
  return { contamination: CONTAMINATION, seeds: SEEDS, detection, benignFalsePositiveRate, sweep };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function injectionTables(r: InjectionResults): string {
  const lines = [
    `Detection rate per attack type at contamination ${r.contamination} (mean over the 3 held-out rotations × ${r.seeds.length} seeds; min in brackets; validation rotation 008 apart)`,
    '',
    '| attack | basic | aggregates | aggregates, validation (008) |',
    '|---|---|---|---|',
  ];
  for (const attack of ATTACK_TYPES) {
    const cell = (fs: string) => {
      const row = r.detection.find((d) => d.attack === attack && d.featureSet === fs)!;
      return `${pct(row.detectionRate)} (${pct(row.minDetectionRate)})`;
    };
    const v = r.detection.find((d) => d.attack === attack && d.featureSet === 'aggregates')!.validationRate;
    lines.push(`| ${attack} | ${cell('basic')} | ${cell('aggregates')} | ${pct(v)} |`);
  }
  lines.push(`| benign rows flagged | ${pct(r.benignFalsePositiveRate.basic!)} | ${pct(r.benignFalsePositiveRate.aggregates!)} | |`, '');
  lines.push('Contamination sweep (all five attacks together; pooled over the held-out rotations and seeds)', '', '| contamination | precision basic | recall basic | precision aggregates | recall aggregates |', '|---|---|---|---|---|');
  for (const c of SWEEP) {
    const at = (fs: string) => r.sweep.find((s) => s.contamination === c && s.featureSet === fs)!;
    lines.push(`| ${c} | ${at('basic').precision.toFixed(3)} | ${at('basic').recall.toFixed(3)} | ${at('aggregates').precision.toFixed(3)} | ${at('aggregates').recall.toFixed(3)} |`);
  }
  return lines.join('\n');
}

export async function injectionPlots(r: InjectionResults, dir: string): Promise<void> {
  await writeSvg(`${dir}/network-injection-detection.svg`, {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Detection rate per injected attack (contamination ${r.contamination}, held-out CTU days 010-012)`,
    width: 420,
    height: 220,
    data: { values: r.detection.map((d) => ({ ...d })) },
    layer: [
      {
        mark: 'bar',
        encoding: {
          x: { field: 'attack', type: 'nominal', title: null, sort: [...ATTACK_TYPES] },
          xOffset: { field: 'featureSet' },
          y: { field: 'detectionRate', type: 'quantitative', title: 'share of attack rows flagged', scale: { domain: [0, 1] } },
          color: { field: 'featureSet', type: 'nominal', title: 'features' },
        },
      },
      { mark: { type: 'rule', strokeDash: [4, 4], color: 'black' }, encoding: { y: { datum: 0.9 } } },
    ],
  });
  await writeSvg(`${dir}/network-contamination-sweep.svg`, {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Precision and recall vs contamination (five injected attacks, held-out CTU days)',
    width: 420,
    height: 240,
    data: { values: r.sweep.flatMap((s) => [
      { featureSet: s.featureSet, contamination: s.contamination, metric: 'precision', value: s.precision },
      { featureSet: s.featureSet, contamination: s.contamination, metric: 'recall', value: s.recall },
    ]) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'contamination', type: 'quantitative', scale: { type: 'log' } },
      y: { field: 'value', type: 'quantitative', scale: { domain: [0, 1] }, title: null },
      color: { field: 'metric', type: 'nominal' },
      strokeDash: { field: 'featureSet', type: 'nominal', title: 'features' },
    },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await runInjectionEval();
  console.log(injectionTables(results));
  mkdirSync('out/bench', { recursive: true });
  writeFileSync('out/bench/anomaly-eval-injection.json', `${JSON.stringify(results, null, 2)}\n`);
  await injectionPlots(results, 'docs/evaluation/img');
}
