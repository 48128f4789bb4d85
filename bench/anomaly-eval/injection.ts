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
 * Each is measured for the forest alone and for the hybrid the scorer ships (forest OR the beacon rule with a
 * baseline of the training days' pairs; beacon-rule.ts), plus the rule's own cost on each held-out benign day.
 * Run: pnpm exec tsx bench/anomaly-eval/injection.ts  (writes out/bench/anomaly-eval-injection.json + plots)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ATTACK_TYPES, blendBenignDns, injectAttacks, type AttackType, type ConnRecord } from '@aiops/zeek';
import { writeSvg } from '@aiops/plots';
import { CTU_DAYS, isBenign, loadCtuDays, seededRandom, VALIDATION_DAY, type CtuDay } from './ctu-data.ts';
import { loadDnsChunksByDay } from './dns-data.ts';
import { beaconBaseline, beaconJitterSweep, beaconRuleCost, hybridLabels, type BeaconRuleDay, type JitterPoint } from './beacon-rule.ts';
import { dense, features, FEATURE_SETS, fitForest, mean, stack } from './forest-runs.ts';

export const SEEDS = [0, 1, 2, 3, 4];
export const SWEEP = [0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1];
export const BEACON_JITTERS = [0.02, 0.1, 0.2, 0.3, 0.4, 0.5];
const CONTAMINATION = 0.01;

export interface DetectionRow {
  featureSet: string;
  attack: AttackType;
  detectionRate: number;
  minDetectionRate: number;
  /** On the validation rotation (held-out day 008), where the features were chosen. */
  validationRate: number;
  /** The same with the beacon rule OR-ed in (the shipped hybrid). */
  hybridDetectionRate: number;
  hybridMinDetectionRate: number;
  hybridValidationRate: number;
  attackRows: number;
}

export interface SweepPoint {
  featureSet: string;
  contamination: number;
  precision: number;
  recall: number;
  benignFlagRate: number;
  hybridPrecision: number;
  hybridRecall: number;
}

export interface InjectionResults {
  contamination: number;
  seeds: number[];
  detection: DetectionRow[];
  benignFalsePositiveRate: Record<string, number>;
  hybridBenignFalsePositiveRate: Record<string, number>;
  beaconRule: BeaconRuleDay[];
  /** The beacon rule alone vs the beacon's sleep jitter (held-out rotations × seeds). */
  beaconJitter: JitterPoint[];
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
  const hybridBenignFalsePositiveRate: Record<string, number> = {};
  const sweep: SweepPoint[] = [];
  // The beacon baseline of each rotation: the pairs of the three training days' benign base.
  const baselineOf = new Map(CTU_DAYS.map((day) => [day, beaconBaseline(CTU_DAYS.filter((d) => d !== day).flatMap((d) => benignOf.get(d)!))]));
  const beaconRule = CTU_DAYS.map((day) => beaconRuleCost(day, benignOf.get(day)!, baselineOf.get(day)!));
  const jitterCaptures = CTU_DAYS.filter((d) => d !== VALIDATION_DAY).flatMap((day) =>
    SEEDS.map((seed) => {
      const capture = injectAttacks(benignOf.get(day)!, { seed, attacks: ['beacon'] });
      return { records: capture.records, isBeacon: capture.attackTypes.map((t) => t === 'beacon'), baseline: baselineOf.get(day)!, seed };
    }),
  );
  const beaconJitter = beaconJitterSweep(jitterCaptures, BEACON_JITTERS, seededRandom);

  for (const featureSet of FEATURE_SETS) {
    const trainOf = new Map(CTU_DAYS.map((d) => [d, features(benignOf.get(d)!, featureSet)]));
    const rates = new Map<AttackType, number[]>(ATTACK_TYPES.map((t) => [t, []]));
    const validation = new Map<AttackType, number[]>(ATTACK_TYPES.map((t) => [t, []]));
    const hybridRates = new Map<AttackType, number[]>(ATTACK_TYPES.map((t) => [t, []]));
    const hybridValidation = new Map<AttackType, number[]>(ATTACK_TYPES.map((t) => [t, []]));
    const attackRows = new Map<AttackType, number>(ATTACK_TYPES.map((t) => [t, 0]));
    const fpr: number[] = [];
    const hybridFpr: number[] = [];
    const pooled = new Map(SWEEP.map((c) => [c, { tp: 0, fp: 0, fn: 0, benign: 0 }]));
    const pooledHybrid = new Map(SWEEP.map((c) => [c, { tp: 0, fp: 0, fn: 0 }]));

    for (const day of CTU_DAYS) {
      const train = stack(CTU_DAYS.filter((d) => d !== day).map((d) => trainOf.get(d)!));
      const baseline = baselineOf.get(day)!;
      for (const seed of SEEDS) {
        const forest = fitForest(train, seed, CONTAMINATION);
        for (const attack of ATTACK_TYPES) {
          const capture = injectAttacks(benignOf.get(day)!, { seed, attacks: [attack] });
          const predicted = forest.predict(dense(features(capture.records, featureSet)));
          const counts = flaggedShare(capture.records, capture.attackTypes, predicted);
          const hybrid = flaggedShare(capture.records, capture.attackTypes, hybridLabels(capture.records, predicted, baseline));
          if (day === VALIDATION_DAY) {
            validation.get(attack)!.push(counts.caught / counts.attacks);
            hybridValidation.get(attack)!.push(hybrid.caught / hybrid.attacks);
            continue;
          }
          rates.get(attack)!.push(counts.caught / counts.attacks);
          hybridRates.get(attack)!.push(hybrid.caught / hybrid.attacks);
          attackRows.set(attack, attackRows.get(attack)! + counts.attacks);
          fpr.push(counts.falseAlarms / counts.benign);
          hybridFpr.push(hybrid.falseAlarms / hybrid.benign);
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
          const h = flaggedShare(all.records, all.attackTypes, hybridLabels(all.records, predicted, baseline));
          const ph = pooledHybrid.get(contamination)!;
          ph.tp += h.caught;
          ph.fp += h.falseAlarms;
          ph.fn += h.attacks - h.caught;
        }
      }
    }
    for (const attack of ATTACK_TYPES) {
      const r = rates.get(attack)!;
      const h = hybridRates.get(attack)!;
      detection.push({
        featureSet,
        attack,
        detectionRate: mean(r),
        minDetectionRate: Math.min(...r),
        validationRate: mean(validation.get(attack)!),
        hybridDetectionRate: mean(h),
        hybridMinDetectionRate: Math.min(...h),
        hybridValidationRate: mean(hybridValidation.get(attack)!),
        attackRows: attackRows.get(attack)!,
      });
    }
    benignFalsePositiveRate[featureSet] = mean(fpr);
    hybridBenignFalsePositiveRate[featureSet] = mean(hybridFpr);
    for (const [contamination, p] of pooled) {
      const ph = pooledHybrid.get(contamination)!;
      sweep.push({
        featureSet,
        contamination,
        precision: p.tp / Math.max(1, p.tp + p.fp),
        recall: p.tp / (p.tp + p.fn),
        benignFlagRate: p.fp / p.benign,
        hybridPrecision: ph.tp / Math.max(1, ph.tp + ph.fp),
        hybridRecall: ph.tp / (ph.tp + ph.fn),
      });
    }
  }
  return { contamination: CONTAMINATION, seeds: SEEDS, detection, benignFalsePositiveRate, hybridBenignFalsePositiveRate, beaconRule, beaconJitter, sweep };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function injectionTables(r: InjectionResults): string {
  const lines = [
    `Detection rate per attack type at contamination ${r.contamination} (mean over the 3 held-out rotations × ${r.seeds.length} seeds; min in brackets; validation rotation 008 apart)`,
    '',
    '| attack | basic | aggregates (forest alone) | **aggregates + beacon rule (shipped)** | forest alone, validation (008) | shipped, validation (008) |',
    '|---|---|---|---|---|---|',
  ];
  for (const attack of ATTACK_TYPES) {
    const at = (fs: string) => r.detection.find((d) => d.attack === attack && d.featureSet === fs)!;
    const agg = at('aggregates');
    lines.push(
      `| ${attack} | ${pct(at('basic').detectionRate)} (${pct(at('basic').minDetectionRate)}) | ${pct(agg.detectionRate)} (${pct(agg.minDetectionRate)}) | ` +
        `${pct(agg.hybridDetectionRate)} (${pct(agg.hybridMinDetectionRate)}) | ${pct(agg.validationRate)} | ${pct(agg.hybridValidationRate)} |`,
    );
  }
  lines.push(
    `| benign rows flagged | ${pct(r.benignFalsePositiveRate.basic!)} | ${pct(r.benignFalsePositiveRate.aggregates!)} | ${pct(r.hybridBenignFalsePositiveRate.aggregates!)} | | |`,
    '',
  );
  lines.push('Beacon rule alone on each benign day (baseline = pairs of the other three days)', '', '| held-out day | baseline pairs | benign rows | rows flagged | pairs flagged | without a baseline: rows / pairs |', '|---|---|---|---|---|---|');
  for (const b of r.beaconRule) {
    lines.push(`| ${b.day} | ${b.baselinePairs} | ${b.benignRows} | ${b.benignRowsFlagged} | ${b.pairsFlagged.join('; ') || '–'} | ${b.benignRowsFlaggedWithoutBaseline} / ${b.pairsFlaggedWithoutBaseline} |`);
  }
  lines.push('', 'Beacon rule alone vs the beacon\'s sleep jitter (gap = period × (1 ± jitter), uniform; held-out rotations × seeds)', '', '| jitter | detected (min) |', '|---|---|');
  for (const j of r.beaconJitter) lines.push(`| ±${(100 * j.jitter).toFixed(0)} % | ${pct(j.detectionRate)} (${pct(j.minDetectionRate)}) |`);
  lines.push('');
  lines.push('Contamination sweep (all five attacks together; pooled over the held-out rotations and seeds)', '', '| contamination | precision basic | recall basic | precision aggregates | recall aggregates | precision shipped | recall shipped |', '|---|---|---|---|---|---|---|');
  for (const c of SWEEP) {
    const at = (fs: string) => r.sweep.find((s) => s.contamination === c && s.featureSet === fs)!;
    const agg = at('aggregates');
    lines.push(
      `| ${c} | ${at('basic').precision.toFixed(3)} | ${at('basic').recall.toFixed(3)} | ${agg.precision.toFixed(3)} | ${agg.recall.toFixed(3)} | ${agg.hybridPrecision.toFixed(3)} | ${agg.hybridRecall.toFixed(3)} |`,
    );
  }
  return lines.join('\n');
}

export async function injectionPlots(r: InjectionResults, dir: string): Promise<void> {
  await writeSvg(`${dir}/network-injection-detection.svg`, {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Detection rate per injected attack (contamination ${r.contamination}, held-out CTU days 010-012)`,
    width: 420,
    height: 220,
    data: {
      values: r.detection.flatMap((d) => [
        { attack: d.attack, detector: d.featureSet, detectionRate: d.detectionRate },
        ...(d.featureSet === 'aggregates' ? [{ attack: d.attack, detector: 'aggregates + beacon rule', detectionRate: d.hybridDetectionRate }] : []),
      ]),
    },
    layer: [
      {
        mark: 'bar',
        encoding: {
          x: { field: 'attack', type: 'nominal', title: null, sort: [...ATTACK_TYPES] },
          xOffset: { field: 'detector' },
          y: { field: 'detectionRate', type: 'quantitative', title: 'share of attack rows flagged', scale: { domain: [0, 1] } },
          color: { field: 'detector', type: 'nominal', title: 'detector' },
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
      ...(s.featureSet === 'aggregates'
        ? [
            { featureSet: 'aggregates + beacon rule', contamination: s.contamination, metric: 'precision', value: s.hybridPrecision },
            { featureSet: 'aggregates + beacon rule', contamination: s.contamination, metric: 'recall', value: s.hybridRecall },
          ]
        : []),
    ]) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'contamination', type: 'quantitative', scale: { type: 'log' } },
      y: { field: 'value', type: 'quantitative', scale: { domain: [0, 1] }, title: null },
      color: { field: 'metric', type: 'nominal' },
      strokeDash: { field: 'featureSet', type: 'nominal', title: 'detector' },
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
