/**
 * Feature selection on the VALIDATION rotation only (held-out day 008, trained on 010/011/012): detection per
 * injected attack at contamination 0.01 (benign base = Benign rows + blended real DNS) and the CTU mix-5 % ROC/PR-AUC,
 * for column subsets. The choice made here is then reported on the other three rotations by injection.ts / ctu.ts
 * (which never feed back into the choice). It now runs the shipped `aggregates` set and its leave-one-column-out
 * ablation; the candidate columns measured on the way (docs/evaluation/network.md, "How the columns
 * were chosen") were dropped from the code. FOREST='{"nEstimators":300}' passes forest options.
 * Run: pnpm exec tsx bench/anomaly-eval/explore.ts [variant …]
 */
import { ATTACK_TYPES, blendBenignDns, buildFeatureMatrix, featureNames, injectAttacks, type AttackType, type ConnRecord, type FeatureMatrix } from '@aiops/zeek';
import { CTU_DAYS, isBenign, isMalicious, loadCtuDays, mixture, VALIDATION_DAY, type CtuDay } from './ctu-data.ts';
import { loadDnsChunksByDay } from './dns-data.ts';
import { dense, mean, ranking, selectRows, stack } from './forest-runs.ts';
import { IsolationForest } from '@aiops/ml';

const VALIDATION: CtuDay = VALIDATION_DAY;
const TRAIN_DAYS = CTU_DAYS.filter((d) => d !== VALIDATION);
const SEEDS = [0, 1, 2, 3, 4];

function columns(m: FeatureMatrix, names: readonly string[]): FeatureMatrix {
  const idx = names.map((n) => {
    const j = m.names.indexOf(n);
    if (j < 0) throw new Error(`no column ${n}`);
    return j;
  });
  const data = new Float64Array(m.rows * idx.length);
  for (let i = 0; i < m.rows; i++) for (let k = 0; k < idx.length; k++) data[i * idx.length + k] = m.data[i * m.columns + idx[k]!]!;
  return { data, rows: m.rows, columns: idx.length, names };
}

const full = (records: readonly ConnRecord[]) => buildFeatureMatrix(records, { featureSet: 'aggregates' });
const AGGREGATES = featureNames('aggregates');

/** The shipped set, and the set without each of its columns in turn (what each column pays for). */
export const VARIANTS: Record<string, readonly string[]> = {
  aggregates: AGGREGATES,
  ...Object.fromEntries(AGGREGATES.map((name) => [`-${name}`, AGGREGATES.filter((n) => n !== name)])),
};

const days = await loadCtuDays();
const dnsChunks = await loadDnsChunksByDay();
const benignBase = new Map<CtuDay, ConnRecord[]>(CTU_DAYS.map((d, i) => [d, blendBenignDns(days.get(d)!.filter(isBenign), dnsChunks.get(d)!, { seed: 100 + i }).records]));
const trainFull = new Map(TRAIN_DAYS.map((d) => [d, full(benignBase.get(d)!)]));
const captures = SEEDS.flatMap((seed) =>
  ATTACK_TYPES.map((attack) => {
    const c = injectAttacks(benignBase.get(VALIDATION)!, { seed, attacks: [attack] });
    return { seed, attack, truth: c.attackTypes, m: full(c.records) };
  }),
);
const DRAWS = [0, 1, 2, 3, 4];
const mixes = DRAWS.map((draw) => {
  const data = new Map(CTU_DAYS.map((d, i) => [d, mixture(days.get(d)!, 0.05, 1000 * draw + i)]));
  const test = data.get(VALIDATION)!;
  const labeled = test.flatMap((r, i) => (isBenign(r) || isMalicious(r) ? [i] : []));
  return {
    train: TRAIN_DAYS.map((d) => full(data.get(d)!)),
    test: selectRows(full(test), labeled),
    labels: Uint8Array.from(labeled, (i) => (isMalicious(test[i]!) ? 1 : 0)),
  };
});

const extra = JSON.parse(process.env.FOREST ?? '{}') as Record<string, number>;
const fit = (m: FeatureMatrix, seed: number, contamination: number | 'auto') =>
  IsolationForest.fit(dense(m), { seed, contamination, nEstimators: 100, featureNames: [...m.names], ...extra });

const wanted = process.argv.slice(2);
console.log('| variant | cols | ' + ATTACK_TYPES.join(' | ') + ' | min | benign flagged | mix5 ROC | mix5 PR |');
for (const [name, names] of Object.entries(VARIANTS)) {
  if (wanted.length && !wanted.includes(name)) continue;
  const train = stack(TRAIN_DAYS.map((d) => columns(trainFull.get(d)!, names)));
  const rates = new Map<AttackType, number[]>();
  const fpr: number[] = [];
  for (const seed of SEEDS) {
    const forest = fit(train, seed, 0.01);
    for (const c of captures.filter((x) => x.seed === seed)) {
      const p = forest.predict(dense(columns(c.m, names)));
      let a = 0, caught = 0, b = 0, fa = 0;
      c.truth.forEach((t, i) => { if (t) { a++; if (p[i] === -1) caught++; } else { b++; if (p[i] === -1) fa++; } });
      rates.set(c.attack, [...(rates.get(c.attack) ?? []), caught / a]);
      fpr.push(fa / b);
    }
  }
  const ctu = mixes.flatMap((mx) => SEEDS.map((seed) => ranking(mx.labels, fit(stack(mx.train.map((t) => columns(t, names))), seed, 'auto').anomalyScore(dense(columns(mx.test, names))))));
  const det = ATTACK_TYPES.map((t) => mean(rates.get(t)!));
  console.log(`| ${name} | ${names.length} | ${det.map((x) => (100 * x).toFixed(1)).join(' | ')} | ${(100 * Math.min(...det)).toFixed(1)} | ${(100 * mean(fpr)).toFixed(2)} % | ${mean(ctu.map((r) => r.rocAuc)).toFixed(3)} | ${mean(ctu.map((r) => r.prAuc)).toFixed(3)} |`);
}
